"""The seizure case file (builder ``firearms.seizure_file``): the case, its items, its
decisions and its timeline, from the same selectors and scope as the page."""

from __future__ import annotations

from typing import Any

from securityunion.casework.views import default_case_file_context
from securityunion.documents.registry import register_pdf_builder

SEIZURE_FILE = "firearms.seizure_file"


def seizure_file_context(case: Any, user: Any) -> dict[str, Any]:
    from .selectors import seizure_items

    return {
        **default_case_file_context(case, user),
        "items": list(seizure_items(case)),
        "transit": list(case.transit_countries.all()),
    }


def register_pdf_builders() -> None:
    from .models import SeizureCase

    register_pdf_builder(
        SEIZURE_FILE,
        model=SeizureCase,
        template_name="pdf/firearms/seizure.html",
        context=seizure_file_context,
    )
