"""Victim case services: each checks its actor and scope, writes, and audits (no values of the
person's data ever go into the audit log: edits record field names only)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability, is_visible
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.actors import actor_audit_data
from securityunion.casework.services import case_assign, case_create, case_update

from .effects import PERSONAL_FIELDS
from .models import AssistanceRecord, ConsentScope, VictimCase
from .selectors import SEE_ALL, WORK

FINAL = VictimCase.workflow.final


def _clean_personal(values: dict[str, Any]) -> dict[str, str]:
    cleaned = {name: str(values.get(name) or "").strip() for name in PERSONAL_FIELDS}
    dob = cleaned["date_of_birth"]
    if dob:
        try:
            born = datetime.date.fromisoformat(dob)
        except ValueError:
            raise ValidationError({"date_of_birth": _("Give the date as YYYY-MM-DD.")}) from None
        if born > timezone.localdate() or born.year < 1900:
            raise ValidationError({"date_of_birth": _("Give a date of birth in the past.")})
    if not cleaned["person_name"] and not cleaned["representative_name"]:
        raise ValidationError(
            {"person_name": _("Give the person's name, or their representative's.")}
        )
    return cleaned


def victim_case_create(
    *,
    actor: Any,
    country: Any,
    consent_scope: str,
    consent_given_on: datetime.date,
    personal: dict[str, Any],
) -> VictimCase:
    """Open a case. An officer's own case is assigned to them (else they could not see it);
    a lead's stays unassigned until they assign it."""
    if consent_scope not in ConsentScope.values:
        raise ValidationError({"consent_scope": _("Choose what the person consented to.")})
    if consent_given_on > timezone.localdate():
        raise ValidationError({"consent_given_on": _("Consent cannot be given in the future.")})
    fields: dict[str, Any] = {
        "country": country,
        "consent_scope": consent_scope,
        "consent_given_on": consent_given_on,
        **_clean_personal(personal),
    }
    if not any(has_capability(actor, c) for c in SEE_ALL):
        fields["assignee"] = actor
    return case_create(
        model=VictimCase,
        actor=actor,
        fields=fields,
        audit_data={"consent_scope": consent_scope, "personal_data": "redacted"},
    )


def victim_personal_data_update(
    *, case: VictimCase, actor: Any, personal: dict[str, Any], expected_version: int
) -> VictimCase:
    """Change the person's data. Only the names of the fields that changed are audited."""
    if case.status in FINAL:
        raise ValidationError(_("A closed or withdrawn case is not edited."))
    cleaned = _clean_personal(personal)
    changes = {k: v for k, v in cleaned.items() if getattr(case, k) != v}
    if not changes:
        return case
    return case_update(
        case=case,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        capability=WORK,
    )


def victim_cases_assign(*, cases: list[VictimCase], assignee: Any, actor: Any) -> int:
    """The lead assigns cases to an officer (someone who works victim cases)."""
    if assignee is not None and not has_capability(assignee, WORK):
        raise ValidationError({"assignee": _("Assign the case to a victim-support officer.")})
    return case_assign(cases=cases, assignee=assignee, actor=actor, capability="victims_assign")


def assistance_record_add(
    *,
    case: VictimCase,
    actor: Any,
    kind: str,
    counterpart: str,
    note: str,
    happened_on: datetime.date,
) -> AssistanceRecord:
    """Record help given on the case; the timeline shows the kind and date, never the note."""
    if kind not in AssistanceRecord.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of assistance.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        if not has_capability(actor, WORK) or not is_visible(actor, case):
            raise PermissionDenied(_("You may not record assistance on this case."))
        if case.status in FINAL:
            raise ValidationError(_("A closed or withdrawn case takes no more records."))
        record = AssistanceRecord.objects.create(
            case=case,
            kind=kind,
            counterpart=counterpart.strip(),
            note=note.strip(),
            happened_on=happened_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            verb=verbs.CREATE,
            target=case,
            data={
                "assistance": record.pk,
                "kind": kind,
                "happened_on": happened_on.isoformat(),
                **actor_audit_data(actor),
            },
        )
    return record
