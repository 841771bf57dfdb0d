"""The report's PDF case file (builder ``reports.case_file``, registered with
``securityunion.documents``): its context, built from what the exporting user sees.

The case file renders the same decision as the report page (``selectors.report_case_view``),
section for section and fact for fact: a law-enforcement user's file holds its own forwarding,
feedback and holds, none of the centre's assignee and target time, and no audit excerpt; the
centre's and the auditor's hold everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from securityunion.casework.visibility import (
    EARLIER,
    FORWARDINGS,
    HOLDS,
    ITEMS,
    NOTICES,
    case_file_context,
)
from securityunion.documents.registry import register_pdf_builder

from .models import IndicatorMatch, ProviderReport, StatisticsPeriod
from .selectors import report_case_view

CASE_FILE = "reports.case_file"
STATISTICS = "reports.statistics"
TIMELINE_LIMIT = 500


def report_case_file_context(report: ProviderReport, user: Any) -> dict[str, Any]:
    """The template context of ``pdf/reports/report.html`` for ``user``."""
    prefetch_related_objects(
        [report],
        "candidate_countries",
        Prefetch("items__matches", queryset=IndicatorMatch.objects.select_related("indicator")),
    )
    view = report_case_view(user, report)
    return {
        **case_file_context(view, limit=TIMELINE_LIMIT),
        "items": view.rows(ITEMS),
        "earlier": view.rows(EARLIER),
        "forwardings": view.rows(FORWARDINGS),
        "holds": view.rows(HOLDS),
        "notices": view.rows(NOTICES),
    }


COMPLAINT_CASE_FILE = "reports.complaint_case_file"


def complaint_case_file_context(complaint: Any, user: Any) -> dict[str, Any]:
    """The template context of the complaint's case file: what the complaint page shows."""
    from .selectors import MATCHES, complaint_case_view

    view = complaint_case_view(user, complaint)
    return {
        **case_file_context(view, limit=TIMELINE_LIMIT),
        "matches": view.rows(MATCHES),
        "notices": view.rows("notices"),
        "corrections": view.rows("corrections"),
    }


def register_pdf_builders() -> None:
    from .complaints import Complaint

    register_pdf_builder(
        COMPLAINT_CASE_FILE,
        model=Complaint,
        template_name="reports/complaints/case_file.html",
        context=complaint_case_file_context,
    )
    register_pdf_builder(
        CASE_FILE,
        model=ProviderReport,
        template_name="pdf/reports/report.html",
        context=report_case_file_context,
    )
    register_pdf_builder(
        STATISTICS,
        model=StatisticsPeriod,
        template_name="pdf/reports/statistics.html",
        context=_statistics_context,
        capability="reports_statistics",
    )


def _statistics_context(target: StatisticsPeriod, user: Any) -> dict[str, Any]:
    from .services.statistics import statistics_pdf_context

    return statistics_pdf_context(target, user)
