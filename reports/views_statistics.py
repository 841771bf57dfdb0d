"""The transparency statistics: the staff page with its CSV and PDF, and the public page.

``?period=`` is ``2026-11`` (month), ``2026-Q4`` (quarter) or ``2026`` (year); without it the
staff page shows the last complete month and the public page the last published quarter. A
period that cannot be read or is not available is a 400 with the reason, never an error.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.base import TemplateResponseMixin

from securityunion.access.mixins import (
    PUBLIC,
    CapabilityRequiredMixin,
)
from securityunion.casework.statistics import (
    STATISTICS_CSV_HEADER,
    InvalidPeriod,
    Period,
    last_complete_month,
    parse_period,
)
from securityunion.documents.csv import csv_response
from securityunion.documents.models import DocumentExport
from securityunion.documents.services import ExportUnavailable, case_file_open

from .conf import app_settings
from .services.statistics import (
    CAPABILITY,
    statistics_csv,
    statistics_pdf_request,
    statistics_view,
    transparency_enabled,
    transparency_figures,
    transparency_period,
    transparency_periods,
)


def _suggested_periods(now_period: Period) -> list[Period]:
    """Quick choices: the last complete month, its quarter and its year."""
    quarter = Period("quarter", now_period.year, (now_period.number - 1) // 3 + 1)
    return [now_period, quarter, Period("year", now_period.year)]


class StatisticsPageMixin(CapabilityRequiredMixin, TemplateResponseMixin):
    required_capability = CAPABILITY
    template_name = "reports/statistics.html"

    def period_or_error(self) -> Period | InvalidPeriod:
        try:
            return parse_period(self.request.GET.get("period"))
        except InvalidPeriod as error:
            return error

    def base_context(self, *, period: Period | None) -> dict[str, Any]:
        raw = self.request.GET.get("period", "")
        return {
            "title": _("Transparency statistics"),
            "period": period,
            "period_value": period.key if period else raw[:16],
            "suggested": _suggested_periods(last_complete_month()),
        }

    def bad_period(self, error: InvalidPeriod) -> HttpResponse:
        """The page with the reason and the period picker, answered as a 400."""
        context = self.base_context(period=None)
        context["period_error"] = str(error)
        return self.render_to_response(context, status=400)


class StatisticsView(StatisticsPageMixin, View):
    """Staff page: every section's figures and charts, with links to the CSV and the PDF."""

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        period = self.period_or_error()
        if isinstance(period, InvalidPeriod):
            return self.bad_period(period)
        context = self.base_context(period=period)
        query = urlencode({"period": period.key})
        context.update(
            sections=statistics_view(period=period, actor=request.user),
            in_progress=not period.has_ended(),
            csv_url=f"{reverse('reports:statistics_csv')}?{query}",
            pdf_url=f"{reverse('reports:statistics_pdf')}?{query}",
            title=_("Transparency statistics: %s") % period.label,
        )
        return self.render_to_response(context)


class StatisticsCsvView(StatisticsPageMixin, View):
    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        period = self.period_or_error()
        if isinstance(period, InvalidPeriod):
            return self.bad_period(period)
        rows = statistics_csv(period=period, actor=request.user)
        return csv_response(f"statistics-{period.key}.csv", STATISTICS_CSV_HEADER, rows)


class StatisticsPdfView(StatisticsPageMixin, View):
    """The period's transparency report as PDF, rendered by a worker like a case file: the
    request waits up to ``CASE_FILE_WAIT_SECONDS``, then sends the user to the export's page."""

    poll_seconds = 0.2

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        period = self.period_or_error()
        if isinstance(period, InvalidPeriod):
            return self.bad_period(period)
        export = statistics_pdf_request(period=period, actor=request.user)
        deadline = time.monotonic() + settings.CASE_FILE_WAIT_SECONDS
        while not export.is_finished and time.monotonic() < deadline:
            time.sleep(self.poll_seconds)
            export.refresh_from_db(fields=["status", "sha256", "size", "error", "finished_at"])
        if export.status != DocumentExport.Status.READY:
            return HttpResponseRedirect(reverse("casework:export", kwargs={"pk": export.pk}))
        try:
            export, pdf = case_file_open(export_id=export.pk, actor=request.user)
        except ExportUnavailable:
            raise Http404 from None
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="statistics-{period.key}.pdf"'
        response["X-Document-SHA256"] = export.sha256
        return response


@method_decorator(login_not_required, name="dispatch")
class TransparencyView(TemplateView):
    """The public page: aggregate figures of ended quarters and years, no sign-in.

    Off (404) when ``TRANSPARENCY_PUBLIC`` is false. No personal data and no company-level
    figure below ``TRANSPARENCY_MIN_COMPANY_REPORTS``; not audited (nothing sensitive is read).
    """

    required_capability = PUBLIC
    template_name = "reports/transparency.html"
    title = gettext_lazy("Transparency: reports of child sexual abuse online")

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        if not transparency_enabled():
            raise Http404
        context: dict[str, Any] = {
            "title": self.title,
            "periods": transparency_periods(),
            "threshold": app_settings.TRANSPARENCY_MIN_COMPANY_REPORTS,
            # The public page is not marked like the back office's restricted pages.
            "sensitivity_marking": _("Public information"),
        }
        try:
            period = transparency_period(request.GET.get("period"))
        except InvalidPeriod as error:
            context["period_error"] = str(error)
            return self.render_to_response(context, status=400)
        if period is not None:
            context.update(period=period, sections=transparency_figures(period=period))
        return self.render_to_response(context)
