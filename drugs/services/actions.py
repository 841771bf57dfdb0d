"""Writing the action plan: creating and editing actions (coordinators only).

Status changes go through the shared ``case_transition`` (``drugs.workflow.ACTION_WORKFLOW``):
the generic transition page for coordinators, with the reason a transition requires.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.actors import actor_audit_data
from securityunion.casework.services import access_refused
from securityunion.casework.workflow import StaleVersion

from ..models import ACTION_NUMBER_RE, Action, ActionActor, Actor, Framework, Priority

MANAGE = "drugs_manage"


def _clean(
    *,
    framework: Framework,
    number: str,
    text: str,
    priority: Priority,
    timetable: str,
    due_year: int | None,
    due_date: date | None,
    lead_actors: list[Actor],
    contributing_actors: list[Actor],
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    number = (number or "").strip()
    text = (text or "").strip()
    if not re.match(ACTION_NUMBER_RE, number):
        errors["number"] = _("Give a number such as 12 or 3.2.")
    elif Action.objects.filter(framework=framework, number=number).exclude(pk=exclude_pk).exists():
        errors["number"] = _("Another action of this plan has this number.")
    if not text:
        errors["text"] = _("Say what the action is.")
    if priority.framework_id != framework.pk:
        errors["priority"] = _("Choose a priority of this plan.")
    if timetable == Action.Timetable.YEAR:
        if due_year is None or not (framework.start_year - 1 <= due_year <= framework.end_year + 5):
            errors["due_year"] = _("Give the year by which the action is due.")
        due_date = None
    elif timetable == Action.Timetable.DATE:
        if due_date is None:
            errors["due_date"] = _("Give the date by which the action is due.")
        due_year = None
    elif timetable == Action.Timetable.ONGOING:
        due_year = due_date = None
    else:
        errors["timetable"] = _("Choose a timetable.")
    if not lead_actors:
        errors["lead_actors"] = _("Name at least one actor that leads the action.")
    if set(lead_actors) & set(contributing_actors):
        errors["contributing_actors"] = _("An actor either leads or contributes, not both.")
    if errors:
        raise ValidationError(errors)
    return {
        "number": number,
        "text": text,
        "priority": priority,
        "timetable": timetable,
        "due_year": due_year,
        "due_date": due_date,
    }


def _set_parts(action: Action, lead: list[Actor], contributing: list[Actor]) -> None:
    action.parts.all().delete()
    ActionActor.objects.bulk_create(
        [ActionActor(action=action, actor=a, role=ActionActor.Role.LEAD) for a in lead]
        + [
            ActionActor(action=action, actor=a, role=ActionActor.Role.CONTRIBUTOR)
            for a in contributing
        ]
    )


def _audit_data(action: Action, lead: list[Actor], contributing: list[Actor]) -> dict[str, Any]:
    return {
        "number": action.number,
        "priority": action.priority.number,
        "timetable": action.timetable,
        "lead": sorted(a.name for a in lead),
        "contributors": sorted(a.name for a in contributing),
    }


def action_create(
    *,
    framework: Framework,
    number: str,
    text: str,
    priority: Priority,
    timetable: str,
    lead_actors: list[Actor],
    contributing_actors: list[Actor] | None = None,
    due_year: int | None = None,
    due_date: date | None = None,
    actor: Any,
) -> Action:
    """Add an action to ``framework``'s plan; it starts as not started."""
    if not has_capability(actor, MANAGE):
        raise access_refused(
            actor=actor, why="action creation not permitted", message=_("You may not add actions.")
        )
    contributing = list(contributing_actors or [])
    lead = list(lead_actors)
    with transaction.atomic():
        values = _clean(
            framework=framework,
            number=number,
            text=text,
            priority=priority,
            timetable=timetable,
            due_year=due_year,
            due_date=due_date,
            lead_actors=lead,
            contributing_actors=contributing,
        )
        try:
            with transaction.atomic():
                action = Action.objects.create(
                    framework=framework, status=Action.workflow.initial, **values
                )
        except IntegrityError:
            raise ValidationError(
                {"number": _("Another action of this plan has this number.")}
            ) from None
        _set_parts(action, lead, contributing)
        audit_record(
            actor=actor,
            verb=verbs.CREATE,
            target=action,
            data={
                "status": action.status,
                **_audit_data(action, lead, contributing),
                **actor_audit_data(actor),
            },
        )
    return action


def action_update(
    *,
    action: Action,
    number: str,
    text: str,
    priority: Priority,
    timetable: str,
    lead_actors: list[Actor],
    contributing_actors: list[Actor] | None = None,
    due_year: int | None = None,
    due_date: date | None = None,
    expected_version: int,
    actor: Any,
) -> Action:
    """Edit an action's text, number, priority, timetable and actors (not its status).

    Refused as stale when someone changed the action since ``expected_version`` was read.
    """
    if not has_capability(actor, MANAGE):
        raise access_refused(
            actor=actor,
            why="action edit not permitted",
            message=_("You may not edit actions."),
            target=action,
        )
    contributing = list(contributing_actors or [])
    lead = list(lead_actors)
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.version != expected_version:
            raise StaleVersion(
                _(
                    "This action was changed by someone else since you opened it. Reload it and "
                    "try again."
                )
            )
        values = _clean(
            framework=locked.framework,
            number=number,
            text=text,
            priority=priority,
            timetable=timetable,
            due_year=due_year,
            due_date=due_date,
            lead_actors=lead,
            contributing_actors=contributing,
            exclude_pk=locked.pk,
        )
        changed = sorted(k for k, v in values.items() if getattr(locked, k) != v)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.version = F("version") + 1
        locked.updated_at = timezone.now()
        locked.save()
        locked.refresh_from_db()
        _set_parts(locked, lead, contributing)
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=locked,
            data={
                "fields": changed,
                **_audit_data(locked, lead, contributing),
                **actor_audit_data(actor),
            },
        )
    return locked
