"""The victim case's documents (registered with ``securityunion.documents``).

``victims.case_file``: the case file, rendering the same decision as the case page
(``selectors.victim_case_view``): the person's data only for those who work the case.
``victims.information``: the plain-language document for the person: their reference, their
rights, what the centre does, how to withdraw consent and whom to contact; no one's personal
data, not even theirs (it may be lost or seen by someone else).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from securityunion.casework.visibility import case_file_context
from securityunion.documents.registry import register_pdf_builder

from .selectors import ASSISTANCE, PERSONAL, victim_case_view

CASE_FILE = "victims.case_file"
INFORMATION = "victims.information"
TIMELINE_LIMIT = 500


def victim_case_file_context(case: Any, user: Any) -> dict[str, Any]:
    view = victim_case_view(user, case)
    return {
        **case_file_context(view, limit=TIMELINE_LIMIT),
        "personal": view[PERSONAL],
        "assistance": view.rows(ASSISTANCE),
        "assistance_shows": view[ASSISTANCE].shows,
    }


def victim_information_context(case: Any, user: Any) -> dict[str, Any]:
    """Only what the person may keep: the reference, the consent they gave and its date."""
    return {
        "reference": case.reference,
        "consent_scope": case.get_consent_scope_display(),
        "consent_given_on": case.consent_given_on,
        "withdrawn": case.consent_withdrawn_at is not None,
        "contact": getattr(
            settings,
            "VICTIM_SUPPORT_CONTACT",
            "victim-support@eu-centre.example · +32 2 000 00 00 (weekdays 9:00–17:00 CET)",
        ),
    }


def register_pdf_builders() -> None:
    from .models import VictimCase

    register_pdf_builder(
        CASE_FILE,
        model=VictimCase,
        template_name="pdf/victims/case_file.html",
        context=victim_case_file_context,
    )
    register_pdf_builder(
        INFORMATION,
        model=VictimCase,
        template_name="pdf/victims/information.html",
        context=victim_information_context,
        capability="victims_casework",
    )
