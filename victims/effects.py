"""What the victim case's transitions do besides changing the status (bound in ``workflow.py``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

# The person's data a withdrawal of consent erases from the case (the case keeps its reference,
# country, status and timeline, none of which names the person).
PERSONAL_FIELDS = (
    "person_name",
    "person_contact",
    "date_of_birth",
    "representative_name",
    "representative_role",
    "representative_contact",
)


def consent_withdrawn(
    *, case: Any, actor: Any, data: dict[str, Any], reason: str, previous: str
) -> None:
    """Record when consent was withdrawn and erase the person's data the case holds.

    Runs before the new status is written, so the database's check (a withdrawn case has a
    withdrawal time) holds. Notices and the victim's hashes do not exist yet; when they do,
    stopping and deleting them belongs here too.
    """
    from .models import AssistanceRecord, VictimCase

    now = timezone.now()
    blank = dict.fromkeys(PERSONAL_FIELDS, "")
    VictimCase.objects.filter(pk=case.pk).update(consent_withdrawn_at=now, **blank)
    AssistanceRecord.objects.filter(case_id=case.pk).exclude(note="").update(note="")
    case.consent_withdrawn_at = now
    for name, value in blank.items():
        setattr(case, name, value)
