"""The reports area's PDF documents, registered with ``securityunion.documents``."""

from __future__ import annotations

from typing import Any

from securityunion.documents.registry import register_pdf_builder

from .models import ProviderReport

CASE_FILE = "reports.case_file"


def case_file(report: ProviderReport, user: Any) -> dict[str, Any]:
    """A report's case file as ``user`` may see it: the report page's own PDF context."""
    from .views import ReportPdfView

    return ReportPdfView().get_pdf_context(report, user)


def register_pdf_builders() -> None:
    register_pdf_builder(
        CASE_FILE,
        model=ProviderReport,
        template_name="pdf/reports/report.html",
        context=case_file,
    )
