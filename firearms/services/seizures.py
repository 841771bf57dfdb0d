"""Seizure cases and seized items: creation, edits and status changes.

Each service checks its actor inside: the capability, the case's country against the actor's
countries, and the case's status (only a draft or a returned case is edited). Refusals are
audited; every write is audited on the case, so its timeline shows what changed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.actors import actor_audit_data
from securityunion.casework.services import access_refused, case_create, case_transition
from securityunion.casework.workflow import StaleVersion, WorkflowError

from ..models import SeizedItem, SeizureCase
from ..selectors import enters_data_for
from ..workflow import EDIT, EDITABLE

# The case's own fields a focal point sets (never its country, reference, status or version).
CASE_FIELDS = (
    "seized_on",
    "place",
    "context",
    "smuggling_mode",
    "origin_country",
    "destination_country",
    "linked_drugs",
    "linked_ocg",
    "linked_terrorism",
    "europol_reference",
    "jit_reference",
    "investigation_status",
    "prosecution_status",
    "conviction_status",
)
ITEM_FIELDS = (
    "quantity",
    "kind",
    "weapon_type",
    "eu_category",
    "make",
    "model",
    "calibre",
    "serial_number",
    "serial_state",
    "manufacture_country",
    "manufacture_year",
    "import_marking",
    "legal_status",
    "modification",
    "disposition",
    "certificate_number",
)


def _case_fields(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(CASE_FIELDS) - {"transit_countries"}
    if unknown:
        raise ValidationError(_("These fields cannot be set: %s.") % ", ".join(sorted(unknown)))
    return {name: data[name] for name in CASE_FIELDS if name in data}


def _check_case(instance: SeizureCase) -> None:
    instance.full_clean(exclude=["reference", "status", "country", "version"])


def _check_enters_data(*, case: SeizureCase, actor: Any, what: str) -> None:
    """Refuse (audited, before any transaction) an actor who does not enter data for the
    case's country. The country of a case never changes, so no lock is needed for this."""
    if not enters_data_for(actor, case):
        raise access_refused(
            actor=actor,
            why=f"{what} not permitted",
            message=_("You may not change this case."),
            target=case,
        )


def _lock_editable(*, case: SeizureCase) -> SeizureCase:
    """The case locked for a change: refused unless it is a draft or returned."""
    locked = SeizureCase.objects.select_for_update().get(pk=case.pk)
    if locked.status not in EDITABLE:
        raise WorkflowError(
            _("The case is “%(status)s”: only a draft or a returned case can be changed.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _touch(case: SeizureCase) -> None:
    SeizureCase.objects.filter(pk=case.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def seizure_create(*, actor: Any, data: dict[str, Any]) -> SeizureCase:
    """A new draft case of the actor's own country (the country is never taken from ``data``)."""
    if "country" in data:
        raise ValidationError({"country": _("The country is the one of your account.")})
    if getattr(actor, "country_id", None) is None:
        raise access_refused(
            actor=actor,
            why="seizure creation without a country",
            message=_("Your account has no country: you cannot enter seizures."),
        )
    fields = _case_fields(data)
    _check_case(SeizureCase(country_id=actor.country_id, **fields))
    with transaction.atomic():
        case = case_create(
            model=SeizureCase,
            actor=actor,
            fields={**fields, "country_id": actor.country_id},
            audit_data={"context": fields.get("context", "")},
        )
        if data.get("transit_countries"):
            case.transit_countries.set(data["transit_countries"])
    return case


def seizure_update(
    *, case: SeizureCase, actor: Any, data: dict[str, Any], expected_version: int
) -> SeizureCase:
    """Change a draft or returned case of the actor's country; stale versions are refused."""
    fields = _case_fields(data)
    _check_enters_data(case=case, actor=actor, what="edit")
    with transaction.atomic():
        locked = _lock_editable(case=case)
        if locked.version != expected_version:
            raise StaleVersion(
                _(
                    "This case was changed by someone else since you opened it. "
                    "Reload it and try again."
                )
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        _check_case(locked)
        changed = [name for name in fields if getattr(case, name) != fields[name]]
        locked.version = F("version") + 1
        locked.save(update_fields=[*fields, "version", "updated_at"])
        if "transit_countries" in data:
            before = set(locked.transit_countries.values_list("pk", flat=True))
            after = {c.pk for c in data["transit_countries"]}
            if before != after:
                locked.transit_countries.set(data["transit_countries"])
                changed.append("transit_countries")
        locked.refresh_from_db()
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=locked,
            data={"fields": sorted(changed), **actor_audit_data(actor)},
        )
    return locked


def seizure_transition(
    *,
    case: SeizureCase,
    actor: Any,
    transition: str,
    reason: str = "",
    expected_version: int | None = None,
) -> SeizureCase:
    """Submit, validate, return (with comments), reopen or close a case (the shared service
    checks the actor's capability, the case's scope and status, and the reason)."""
    t = SeizureCase.workflow.get(transition)
    if EDIT in t.capabilities and not enters_data_for(actor, case):
        raise access_refused(
            actor=actor,
            why=f"transition {t.name} not permitted",
            message=_("You may not take this action on this case."),
            target=case,
        )
    return case_transition(
        case=case,
        transition=transition,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
    )


def _item_fields(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %s.") % ", ".join(sorted(unknown)))
    return dict(data)


def item_add(*, case: SeizureCase, actor: Any, data: dict[str, Any]) -> SeizedItem:
    """Add a seized item to a draft or returned case of the actor's country."""
    fields = _item_fields(data)
    _check_enters_data(case=case, actor=actor, what="item addition")
    with transaction.atomic():
        locked = _lock_editable(case=case)
        item = SeizedItem(case=locked, **fields)
        item.full_clean()
        item.save()
        _touch(locked)
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=locked,
            data={"item_added": item.pk, "kind": item.kind, **actor_audit_data(actor)},
        )
    return item


def _item_of(case: SeizureCase, item_id: int) -> SeizedItem:
    try:
        return SeizedItem.objects.select_for_update().get(pk=item_id, case=case)
    except (SeizedItem.DoesNotExist, ValueError, TypeError):
        raise PermissionDenied(_("This item is not part of this case.")) from None


def item_update(*, case: SeizureCase, actor: Any, item_id: int, data: dict[str, Any]) -> SeizedItem:
    fields = _item_fields(data)
    _check_enters_data(case=case, actor=actor, what="item edit")
    with transaction.atomic():
        locked = _lock_editable(case=case)
        item = _item_of(locked, item_id)
        changed = sorted(n for n, v in fields.items() if getattr(item, n) != v)
        for name, value in fields.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
        _touch(locked)
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=locked,
            data={"item_changed": item.pk, "fields": changed, **actor_audit_data(actor)},
        )
    return item


def item_remove(*, case: SeizureCase, actor: Any, item_id: int) -> None:
    _check_enters_data(case=case, actor=actor, what="item removal")
    with transaction.atomic():
        locked = _lock_editable(case=case)
        item = _item_of(locked, item_id)
        pk, kind = item.pk, item.kind
        item.delete()
        _touch(locked)
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=locked,
            data={"item_removed": pk, "kind": kind, **actor_audit_data(actor)},
        )
