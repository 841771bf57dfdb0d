"""Pages of the reports area: the queue, a report, its PDF case file, the indicator lists."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from securityunion.access.mixins import CapabilityRequiredMixin
from securityunion.access.policy import get_for_user_or_404, has_capability
from securityunion.casework.sorting import status_rank
from securityunion.casework.views import (
    BulkAssignView,
    CaseActionView,
    Column,
    PdfExportView,
    Preset,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    TransitionView,
)
from securityunion.casework.visibility import EARLIER, FORWARDINGS, HOLDS, ITEMS, NOTICES
from securityunion.lib import timefmt
from securityunion.lib.timefmt import format_date, format_datetime

from . import forms, services
from .filters import ForwardedReportFilterSet, IndicatorFilterSet, ReportFilterSet
from .models import Indicator, IndicatorMatch, LegalHold, ProviderReport, ReportedItem
from .pdf import report_case_file_context
from .selectors import (
    forwarding_candidates,
    forwarding_to,
    indicator_imports_of,
    indicators_visible_to,
    report_queue,
    reports_forwarded_to_my_organisation,
)

SEE_REPORTS = ("reports_view_all", "reports_view_forwarded")


def _age(report: ProviderReport) -> str:
    hours = int((timezone.now() - report.created_at).total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h"


def _remaining(report: ProviderReport) -> str:
    if not ProviderReport.workflow.is_open(report.status):
        return ""
    return timefmt.time_remaining(report.due_at)


class ReportQueueView(ScopedListView):
    """The centre's queue: open work by default, urgent first then the oldest; sortable by its
    headers, with saved views and the built-in "My urgent" and "Unassigned"."""

    model = ProviderReport
    required_capability = SEE_REPORTS
    filterset_class = ReportFilterSet
    template_name = "reports/report_list.html"
    title = gettext_lazy("Report queue")
    export_name = "reports"
    empty_text = gettext_lazy("No report matches these filters.")
    columns = (
        Column(gettext_lazy("Reference"), "reference", sort="reference", css_class="nowrap"),
        Column(
            gettext_lazy("Received"),
            "created_at",
            sort="received",
            css_class="when",
            template="reports/includes/cell_received.html",
            export=lambda r: timefmt.format_datetime(r.created_at),
        ),
        Column(gettext_lazy("Age"), _age, sort="age", css_class="nowrap"),
        Column(
            gettext_lazy("Time to target"),
            "due_at",
            sort="target",
            css_class="nowrap",
            template="reports/includes/cell_remaining.html",
            export=_remaining,
        ),
        Column(
            gettext_lazy("Target"),
            lambda r: timefmt.format_datetime(r.due_at),
            on_page=False,
        ),
        Column(
            gettext_lazy("Status"),
            "status",
            sort="status",
            template="reports/includes/cell_status.html",
        ),
        Column(
            gettext_lazy("Urgent"),
            "urgent",
            sort="urgent",
            css_class="flags",
            template="reports/includes/cell_flags.html",
            export=lambda r: _("yes") if r.urgent else "",
        ),
        Column(
            gettext_lazy("Known"),
            lambda r: _("known") if r.has_known_items else _("new"),
            on_page=False,
        ),
        Column(
            gettext_lazy("Company"),
            lambda r: r.provider.organisation.name,
            template="reports/includes/cell_company.html",
        ),
        Column(gettext_lazy("Company's reference"), "provider_reference", on_page=False),
        Column(gettext_lazy("Abuse type"), "abuse_type", css_class="truncate"),
        Column(
            gettext_lazy("Country"),
            "country_id",
            css_class="nowrap",
            template="reports/includes/cell_country.html",
        ),
        Column(
            gettext_lazy("Assignee"),
            lambda r: r.assignee.username if r.assignee else "",
            css_class="truncate",
        ),
    )
    sort_fields = {
        "reference": ("reference",),
        "received": ("created_at",),
        "age": ("-created_at",),
        "target": ("due_at",),
        "status": (status_rank(ProviderReport.workflow.statuses),),
        "urgent": ("-urgent", "due_at"),
    }

    bulk_field = "reports"
    list_url_name = "reports:index"

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        # Law enforcement works from its own list (no centre's assignee or targets there).
        if not has_capability(request.user, "reports_view_all"):
            return HttpResponseRedirect(reverse("reports:forwarded"))
        return super().get(request, *args, **kwargs)

    @property
    def is_centre(self) -> bool:
        # Only the centre works from this queue (``get`` sends anyone else to law enforcement's
        # own list); the reads below stay right whoever reaches the view.
        return has_capability(self.request.user, "reports_view_all")

    def get_base_queryset(self):  # noqa: ANN201
        qs = report_queue(self.request.user)
        # The centre sees which reports await a second person; law enforcement does not
        # learn of the centre's proposals (``selectors``: what a role sees of a report).
        return qs.with_pending_approval() if self.is_centre else qs

    def queue_options(self) -> dict[str, bool]:
        return {"open_only": self.is_centre, "approvals": self.is_centre}

    def get_presets(self) -> list[Preset]:
        user = self.request.user
        presets = []
        if has_capability(user, "reports_assess"):
            presets += [
                Preset(_("My urgent"), "assignee=me&urgent=true"),
                Preset(_("Unassigned"), "assignee=none"),
            ]
        if has_capability(user, "reports_approve"):
            presets.append(Preset(_("Awaiting approval"), "awaiting_approval=1"))
        return presets

    def row_key(self, obj: ProviderReport) -> str:
        return obj.reference

    def row_class(self, obj: ProviderReport) -> str:
        return "urgent" if obj.urgent else ""

    def get_bulk_url(self) -> str:
        user = self.request.user
        if has_capability(user, "reports_assign") or has_capability(user, "reports_assess"):
            return reverse("reports:bulk_assign")
        return ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Caseworkers take reports ("Assign to me"); supervisors also assign them to others.
        context["can_take"] = has_capability(self.request.user, "reports_assess")
        context["take_only"] = not has_capability(self.request.user, "reports_assign")
        return context


def _acknowledged(report: ProviderReport) -> str:
    if report.our_acknowledged_at is None:
        return _("not yet")
    return _("yes, %s") % format_datetime(report.our_acknowledged_at)


def _our_holds(report: ProviderReport) -> str:
    now = timezone.now()
    active = [h for h in report.own_holds if h.lifted_at is None and h.expires_at > now]
    if active:
        return _("active until %s") % format_date(max(h.expires_at for h in active))
    if report.own_holds:
        last = report.own_holds[0]
        if last.lifted_at:
            return _("lifted %s") % format_date(last.lifted_at)
        return _("ended %s") % format_date(last.expires_at)
    return ""


def _our_feedback(report: ProviderReport) -> str:
    text = report.our_feedback or ""
    return text if len(text) <= 80 else text[:80] + "…"


class ForwardedReportListView(ScopedListView):
    """Law enforcement's own list: what was forwarded to its organisation, whether it was
    acknowledged, its own feedback and holds; none of the centre's assignees or targets."""

    model = ProviderReport
    required_capability = "reports_view_forwarded"
    filterset_class = ForwardedReportFilterSet
    template_name = "reports/forwarded_list.html"
    title = gettext_lazy("Forwarded to us")
    export_name = "forwarded-reports"
    empty_text = gettext_lazy("No report forwarded to your organisation matches these filters.")
    columns = (
        Column(gettext_lazy("Reference"), "reference"),
        Column(gettext_lazy("Forwarded to us"), lambda r: format_datetime(r.our_forwarded_at)),
        Column(gettext_lazy("Urgent"), lambda r: _("urgent") if r.urgent else ""),
        Column(gettext_lazy("Abuse type"), "abuse_type"),
        Column(gettext_lazy("Acknowledged"), _acknowledged),
        Column(gettext_lazy("Our feedback"), _our_feedback),
        Column(gettext_lazy("Our legal holds"), _our_holds),
    )

    def get_base_queryset(self):  # noqa: ANN201
        return reports_forwarded_to_my_organisation(self.request.user)

    def row_class(self, obj: ProviderReport) -> str:
        return "urgent" if obj.urgent else ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        oldest_first = query.get("sort") == "forwarded"
        query["sort"] = "-forwarded" if oldest_first else "forwarded"
        context["sort_forwarded"] = {
            "url": "?" + query.urlencode(),
            "state": "ascending" if oldest_first else "descending",
        }
        return context


class ReportBulkAssignView(BulkAssignView):
    model = ProviderReport
    required_capability = ("reports_assign", "reports_assess")
    bulk_field = ReportQueueView.bulk_field
    list_url_name = "reports:index"
    nothing_selected = gettext_lazy("Select at least one report.")
    assigned = gettext_lazy("%d report(s) assigned.")

    def assign(self, cases, assignee):  # noqa: ANN001, ANN201
        return services.reports_assign(reports=cases, assignee=assignee, actor=self.request.user)


class ReportDetailView(ScopedDetailView):
    model = ProviderReport
    required_capability = SEE_REPORTS
    template_name = "reports/report_detail.html"

    def get_object(self) -> ProviderReport:
        qs = ProviderReport.objects.select_related(
            "provider__organisation", "assignee", "country", "duplicate_of"
        ).prefetch_related(
            "candidate_countries",
            Prefetch(
                "items",
                queryset=ReportedItem.objects.prefetch_related(
                    Prefetch("matches", queryset=IndicatorMatch.objects.select_related("indicator"))
                ),
            ),
        )
        return get_for_user_or_404(qs, self.request.user, reference=self.kwargs["reference"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report: ProviderReport = kwargs["object"]
        user = self.request.user
        # What of the report this user sees (``selectors.report_case_view``, computed by the
        # base view): one decision, also rendered by the PDF case file and the API.
        view = context["case_view"]
        forwardings = view.rows(FORWARDINGS)
        own_forwarding = next(
            (f for f in forwardings if f.recipient_id == user.organisation_id), None
        )
        pending = context.get("pending_approval")
        # The decisions that carry data have forms of their own; the workflow says which of
        # them this user may take now (status, capability, a pending proposal).
        offered = {
            t.name
            for t in ProviderReport.workflow.available(
                report, user, pending_approval=pending is not None, including_services=True
            )
        }
        can_forward = "forward" in offered
        candidates = forwarding_candidates(report) if can_forward else []
        context.update(
            transition_url=reverse("reports:transition", kwargs={"reference": report.reference}),
            items=view.rows(ITEMS),
            earlier=view.rows(EARLIER),
            forwardings=forwardings,
            own_forwarding=own_forwarding,
            holds=view.rows(HOLDS),
            notices=view.rows(NOTICES),
            can_forward=can_forward,
            can_propose_unfounded="unfounded" in offered,
            can_mark_duplicate="mark_duplicate" in offered,
            forward_form=forms.ForwardForm(candidates=candidates),
            unfounded_form=forms.UnfoundedForm(),
            duplicate_form=forms.DuplicateForm(),
            can_acknowledge=own_forwarding is not None
            and has_capability(user, "reports_acknowledge"),
            feedback_form=forms.FeedbackForm(
                initial={"feedback": own_forwarding.feedback} if own_forwarding else None
            ),
            can_hold=has_capability(user, "reports_place_legal_hold"),
            hold_form=forms.LegalHoldForm(),
            can_pdf=has_capability(user, "export_pdf"),
            pending_data=pending.data if pending else {},
            **self.assignment_context(report),
        )
        return context

    def assignment_context(self, report: ProviderReport) -> dict[str, Any]:
        """Who may take the report ("Assign to me": nobody has it) and who may reassign it."""
        user = self.request.user
        open_case = report.status not in ProviderReport.workflow.final
        can_reassign = open_case and has_capability(user, "reports_assign")
        return {
            "can_take": open_case
            and report.assignee_id is None
            and has_capability(user, "reports_assess"),
            "can_reassign": can_reassign,
            "reassign_form": forms.ReassignForm(initial={"assignee": report.assignee_id})
            if can_reassign
            else None,
        }


class ReportTransitionView(TransitionView):
    model = ProviderReport
    required_capability = SEE_REPORTS


class ReportActionView(CaseActionView):
    """A POST action on one report (the shared action view, with the report's defaults)."""

    model = ProviderReport
    required_capability = SEE_REPORTS
    success_message = ""

    def perform(self, case: ProviderReport, form: Any) -> str:
        self.act(case, form)
        return str(self.success_message)

    @abstractmethod
    def act(self, report: ProviderReport, form: Any) -> None:
        """Call the report's service; errors it raises become messages."""


class ReportTakeView(ReportActionView):
    """ "Assign to me" on a report: anyone who assesses reports takes one nobody has."""

    required_capability = "reports_assess"
    success_message = gettext_lazy("The report is assigned to you.")

    def act(self, report, form):  # noqa: ANN001, ANN201
        services.reports_take(reports=[report], actor=self.request.user)


class ReportReassignView(ReportActionView):
    """A supervisor assigns a report to a caseworker (or to nobody), with an optional note."""

    required_capability = "reports_assign"
    form_class = forms.ReassignForm
    success_message = gettext_lazy("Assignment saved; the assignee is told.")

    def act(self, report, form):  # noqa: ANN001, ANN201
        services.reports_assign(
            reports=[report],
            assignee=form.cleaned_data["assignee"],
            actor=self.request.user,
            note=form.cleaned_data["note"],
        )


class ReportForwardView(ReportActionView):
    form_class = forms.ForwardForm
    form_context_name = "forward_form"
    success_message = gettext_lazy("Forwarding proposed; a supervisor must approve it.")

    def get_form_kwargs(self, report):  # noqa: ANN001, ANN201
        return {"candidates": forwarding_candidates(report)}

    def act(self, report, form):  # noqa: ANN001, ANN201
        services.report_propose_forward(
            report=report,
            recipient_ids=[o.pk for o in form.cleaned_data["recipients"]],
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class ReportUnfoundedView(ReportActionView):
    form_class = forms.UnfoundedForm
    form_context_name = "unfounded_form"
    success_message = gettext_lazy("“Manifestly unfounded” proposed; a supervisor must approve it.")

    def act(self, report, form):  # noqa: ANN001, ANN201
        services.report_propose_unfounded(
            report=report,
            reason_code=form.cleaned_data["reason_code"],
            text=form.cleaned_data["text"],
            actor=self.request.user,
        )


class ReportDuplicateView(ReportActionView):
    form_class = forms.DuplicateForm
    form_context_name = "duplicate_form"
    success_message = gettext_lazy("Marked as a duplicate.")

    def act(self, report, form):  # noqa: ANN001, ANN201
        services.report_mark_duplicate(
            report=report,
            duplicate_of=form.cleaned_data["duplicate_of"],
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class ForwardingAcknowledgeView(ReportActionView):
    required_capability = "reports_acknowledge"
    success_message = gettext_lazy("Receipt acknowledged.")

    def act(self, report, form):  # noqa: ANN001, ANN201
        services.forwarding_acknowledge(
            forwarding=forwarding_to(report, self.request.user), actor=self.request.user
        )


class ForwardingFeedbackView(ReportActionView):
    required_capability = "reports_acknowledge"
    form_class = forms.FeedbackForm
    form_context_name = "feedback_form"
    success_message = gettext_lazy("Feedback sent to the centre.")

    def act(self, report, form):  # noqa: ANN001, ANN201
        services.forwarding_feedback(
            forwarding=forwarding_to(report, self.request.user),
            actor=self.request.user,
            text=form.cleaned_data["feedback"],
        )


class LegalHoldPlaceView(ReportActionView):
    required_capability = "reports_place_legal_hold"
    form_class = forms.LegalHoldForm
    form_context_name = "hold_form"
    success_message = gettext_lazy("Legal hold placed: the company is told nothing until it ends.")

    def act(self, report, form):  # noqa: ANN001, ANN201
        services.legal_hold_place(
            report=report,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            expires_at=form.expires_datetime(),
        )


class LegalHoldLiftView(ReportActionView):
    required_capability = "reports_place_legal_hold"
    success_message = gettext_lazy("Legal hold lifted.")

    def act(self, report, form):  # noqa: ANN001, ANN201
        hold = get_object_or_404(LegalHold, pk=self.kwargs["hold"], report=report)
        services.legal_hold_lift(hold=hold, actor=self.request.user)


class ReportPdfView(PdfExportView):
    model = ProviderReport
    pdf_template = "pdf/reports/report.html"

    def get_pdf_context(self, obj, user):  # noqa: ANN001, ANN201
        return report_case_file_context(obj, user)


# --- indicators ----------------------------------------------------------------------------


class IndicatorListView(ScopedListView):
    model = Indicator
    required_capability = "indicators_view"
    filterset_class = IndicatorFilterSet
    template_name = "reports/indicator_list.html"
    title = gettext_lazy("Indicators")
    export_name = "indicators"
    audit_reads = False
    list_url_name = "reports:indicator_list"
    empty_text = gettext_lazy("No indicator matches these filters.")
    columns = (
        Column(gettext_lazy("#"), "pk", sort="id", css_class="nowrap"),
        Column(gettext_lazy("Algorithm"), "algorithm", sort="algorithm", css_class="nowrap"),
        Column(gettext_lazy("Value"), "value", css_class="truncate mono"),
        Column(gettext_lazy("Category"), "category", sort="category", css_class="truncate"),
        Column(gettext_lazy("Source"), "source", sort="source", css_class="truncate"),
        Column(gettext_lazy("Status"), "status", sort="status", css_class="nowrap"),
        Column(
            gettext_lazy("Confirmed / disputed"),
            lambda i: f"{i.confirmed_matches} / {i.disputed_matches}",
            sort="matches",
            css_class="nowrap",
        ),
        Column(
            gettext_lazy("Added"),
            lambda i: timefmt.format_datetime(i.created_at),
            sort="added",
            css_class="when",
        ),
    )
    sort_fields = {
        "id": ("id",),
        "algorithm": ("algorithm",),
        "category": ("category",),
        "source": ("source",),
        "status": (status_rank(Indicator.workflow.statuses),),
        "matches": ("confirmed_matches", "disputed_matches"),
        "added": ("created_at",),
    }

    def get_base_queryset(self):  # noqa: ANN201
        return indicators_visible_to(self.request.user).order_by("-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_import"] = has_capability(self.request.user, "indicators_verify")
        return context


class IndicatorDetailView(ScopedDetailView):
    model = Indicator
    required_capability = "indicators_view"
    template_name = "reports/indicator_detail.html"
    lookup_field = "pk"
    lookup_url_kwarg = "pk"
    audit_reads = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        indicator = kwargs["object"]
        statuses = indicator_next_statuses(indicator, self.request.user)
        context["next_statuses"] = statuses
        context["status_form"] = (
            forms.IndicatorStatusForm(statuses=statuses, initial={"version": indicator.version})
            if statuses
            else None
        )
        context["matches"] = list(
            IndicatorMatch.objects.filter(indicator=indicator)
            .select_related("item__report")
            .order_by("-id")[:50]
        )
        return context


def indicator_next_statuses(indicator: Indicator, user: Any) -> list[tuple[str, str]]:
    """The statuses ``user`` may move ``indicator`` to now, as choices."""
    return [
        (t.target, Indicator.Status(t.target).label)
        for t in Indicator.workflow.available(indicator, user)
    ]


class IndicatorStatusView(CaseActionView):
    """Change an indicator's status: an explicit choice and a reason, as the detail page asks."""

    model = Indicator
    required_capability = "indicators_verify"
    lookup_field = "pk"
    lookup_url_kwarg = "pk"
    form_class = forms.IndicatorStatusForm
    form_context_name = "status_form"

    def get_form_kwargs(self, indicator):  # noqa: ANN001, ANN201
        return {"statuses": indicator_next_statuses(indicator, self.request.user)}

    def perform(self, case: Indicator, form: Any) -> str:
        services.indicator_set_status(
            indicator=case,
            status=form.cleaned_data["status"],
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
        return _("Indicator status changed.")


class IndicatorUploadView(ScopedMixin, FormView):
    """Upload an indicator list; a worker imports it and the user follows it on its own page.

    Without a broker the import runs in-process, so a small list is imported by the time the
    user reaches that page.
    """

    model = Indicator
    required_capability = "indicators_verify"
    form_class = forms.IndicatorUploadForm
    template_name = "reports/indicator_upload.html"

    def form_valid(self, form):  # noqa: ANN001, ANN201
        upload = services.indicator_import_request(
            text=form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            status=form.cleaned_data["status"],
            actor=self.request.user,
        )
        return HttpResponseRedirect(upload.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Import indicators")
        return context


class IndicatorImportView(CapabilityRequiredMixin, TemplateView):
    """An uploaded indicator list: queued or running (the page refreshes itself), its counts,
    or the row-by-row errors. Only its requester sees it; anyone else gets a 404."""

    required_capability = "indicators_verify"
    template_name = "reports/indicator_import.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        upload = get_object_or_404(indicator_imports_of(self.request.user), pk=kwargs["pk"])
        context["upload"] = upload
        context["import_errors"] = [(line, message) for line, message in upload.errors]
        context["title"] = _("Indicator import from %s") % upload.source
        return context
