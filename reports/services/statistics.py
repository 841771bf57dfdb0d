"""Transparency statistics for staff (page, CSV, PDF) and the public page.

The figures are the registered sections of ``securityunion.casework.statistics`` (this area
registers its own in ``reports.statistics``). Staff need ``reports_statistics``; every view
and export is audited. The public page shows the public sections of ended quarters and years
only, with small companies folded into "Other companies", cached in the shared cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.services import access_refused
from securityunion.casework.statistics import (
    InvalidPeriod,
    Period,
    SectionResult,
    compute_statistics,
    fold_small_companies,
    parse_period,
    published_periods,
    statistics_csv_rows,
    with_charts,
)
from securityunion.documents.models import DocumentExport
from securityunion.documents.services import case_file_request, csv_export_record

from ..conf import app_settings
from ..models import StatisticsPeriod

CAPABILITY = "reports_statistics"
PDF_BUILDER = "reports.statistics"


def _check(actor: Any, what: str) -> None:
    if not has_capability(actor, CAPABILITY):
        raise access_refused(
            actor=actor,
            why=f"statistics {what} not permitted",
            message=_("You may not see the statistics."),
        )


def statistics_view(*, period: Period, actor: Any) -> list[SectionResult]:
    """Every section's figures and charts for ``period``; the read is audited."""
    _check(actor, "view")
    results = with_charts(compute_statistics(period))
    audit_record(actor=actor, verb=verbs.VIEW, data={"statistics": period.key})
    return results


def statistics_csv(*, period: Period, actor: Any) -> Iterable[list[Any]]:
    """The same figures as rows for the CSV download; the export is audited."""
    _check(actor, "export")
    results = compute_statistics(period)
    csv_export_record(actor=actor, what="statistics", filters={"period": period.key}, limit=0)
    return list(statistics_csv_rows(period, results))


def statistics_pdf_request(*, period: Period, actor: Any) -> DocumentExport:
    """Queue the PDF of ``period`` (rendered by a worker like a case file, audited with its
    SHA-256 when stored)."""
    _check(actor, "export")
    target, _created = StatisticsPeriod.objects.get_or_create(key=period.key)
    return case_file_request(builder=PDF_BUILDER, target=target, actor=actor)


def statistics_pdf_context(target: StatisticsPeriod, user: Any) -> dict[str, Any]:
    """The PDF builder's context (run by the worker, which checked the requester again)."""
    period = parse_period(target.key)
    return {
        "title": _("Transparency report %s") % period.label,
        "period": period,
        "sections": with_charts(compute_statistics(period)),
        "in_progress": not period.has_ended(),
    }


# --- the public page -------------------------------------------------------------------------


def transparency_enabled() -> bool:
    return bool(app_settings.TRANSPARENCY_PUBLIC)


def transparency_periods(now: Any = None) -> list[Period]:
    return published_periods(first_year=app_settings.TRANSPARENCY_FIRST_YEAR, now=now)


def transparency_period(raw: Any) -> Period | None:
    """The published period ``raw`` names, or the most recent one when ``raw`` is empty
    (``None`` while nothing is published yet).

    Raises ``InvalidPeriod`` (a 400) for a period that is not published: a month, a quarter or
    year not yet ended, or one before ``TRANSPARENCY_FIRST_YEAR``.
    """
    published = transparency_periods()
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return published[0] if published else None
    period = parse_period(raw)
    if period not in published:
        raise InvalidPeriod(
            _("Only quarters and years that have ended are published, from %d on.")
            % app_settings.TRANSPARENCY_FIRST_YEAR
        )
    return period


def transparency_figures(*, period: Period) -> list[SectionResult]:
    """The public sections of a published period, companies below the threshold folded into
    "Other companies"; kept in the shared cache (a past period's figures do not change)."""
    threshold = app_settings.TRANSPARENCY_MIN_COMPANY_REPORTS
    key = f"reports:transparency:v1:{period.key}:{threshold}:{get_language() or ''}"
    results = cache.get(key)
    if results is None:
        computed = compute_statistics(period, public_only=True)
        results = with_charts(fold_small_companies(computed, threshold))
        cache.set(key, results, app_settings.TRANSPARENCY_CACHE_SECONDS)
    return results
