"""Progress updates: reporters of an action's actors submit them, coordinators review them.

A reporter reports only on actions that their organisation's actor leads or contributes to,
whoever calls the service (a page, a hand-made POST, a command): anything else is refused and
the refusal audited.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.actors import actor_audit_data
from securityunion.casework.services import access_refused, case_transition
from securityunion.casework.workflow import StaleVersion, WorkflowError

from ..models import PERIOD_RE, Action, ProgressUpdate
from ..selectors import actor_of

REPORT = "drugs_report_progress"
MAX_LINKS = 10


def _clean(*, period: str, rag: str, narrative: str, evidence_links: list[str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    period = (period or "").strip().upper()
    narrative = (narrative or "").strip()
    if not re.match(PERIOD_RE, period):
        errors["period"] = _("Give a half-year such as 2026-H2 or a quarter such as 2026-Q3.")
    if rag not in ProgressUpdate.Rag.values:
        errors["rag"] = _("Choose red, amber or green.")
    if not narrative:
        errors["narrative"] = _("Say what was done in the period.")
    links = [link.strip() for link in evidence_links if link and link.strip()]
    if len(links) > MAX_LINKS:
        errors["evidence_links"] = _("Give at most %(n)d links.") % {"n": MAX_LINKS}
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > 500:
            errors["evidence_links"] = _("“%(link)s” is not a web address (http or https).") % {
                "link": link[:80]
            }
            break
    if errors:
        raise ValidationError(errors)
    return {"period": period, "rag": rag, "narrative": narrative, "evidence_links": links}


def _reporting_actor(*, action: Action, actor: Any, why: str) -> Any:
    """The drugs actor ``actor`` reports for on ``action``; refused (audited) if none."""
    if not has_capability(actor, REPORT):
        raise access_refused(
            actor=actor,
            why=f"{why}: no right to report progress",
            message=_("You may not give progress updates."),
            target=action,
        )
    reporting_for = actor_of(actor)
    if reporting_for is None or not action.parts.filter(actor=reporting_for).exists():
        raise access_refused(
            actor=actor,
            why=f"{why}: action of another organisation",
            message=_("You may report only on actions your organisation leads or contributes to."),
            target=action,
        )
    return reporting_for


def progress_update_submit(
    *,
    action: Action,
    period: str,
    rag: str,
    narrative: str,
    evidence_links: list[str] | None = None,
    actor: Any,
) -> ProgressUpdate:
    """A reporter's update on ``action`` for ``period``, for their organisation's actor."""
    reporting_for = _reporting_actor(action=action, actor=actor, why="progress update")
    values = _clean(
        period=period, rag=rag, narrative=narrative, evidence_links=evidence_links or []
    )
    if action.status == Action.Status.DISCONTINUED:
        raise WorkflowError(_("This action is discontinued: it takes no more updates."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                update = ProgressUpdate.objects.create(
                    action=action,
                    actor=reporting_for,
                    submitted_by=actor,
                    status=ProgressUpdate.workflow.initial,
                    **values,
                )
        except IntegrityError:
            raise ValidationError(
                {
                    "period": _(
                        "Your organisation has already reported on this action for %(period)s."
                    )
                    % {"period": values["period"]}
                }
            ) from None
        audit_record(
            actor=actor,
            verb=verbs.CREATE,
            target=update,
            data={
                "action": action.number,
                "period": update.period,
                "rag": update.rag,
                "for": reporting_for.name,
                **actor_audit_data(actor),
            },
        )
        # The action's own timeline shows that an update came in.
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=action,
            data={"progress_update": update.pk, "period": update.period, "rag": update.rag},
        )
    return update


def progress_update_resubmit(
    *,
    update: ProgressUpdate,
    rag: str,
    narrative: str,
    evidence_links: list[str] | None = None,
    expected_version: int,
    actor: Any,
) -> ProgressUpdate:
    """Edit a returned update and submit it again (its period stays)."""
    reporting_for = _reporting_actor(action=update.action, actor=actor, why="resubmission")
    if update.actor_id != reporting_for.pk:
        raise access_refused(
            actor=actor,
            why="resubmission of another organisation's update",
            message=_("You may edit only your organisation's updates."),
            target=update,
        )
    values = _clean(
        period=update.period, rag=rag, narrative=narrative, evidence_links=evidence_links or []
    )
    with transaction.atomic():
        locked = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
        if locked.version != expected_version:
            raise StaleVersion(
                _("This update was changed since you opened it. Reload it and try again.")
            )
        if locked.status != ProgressUpdate.Status.RETURNED:
            raise WorkflowError(_("Only an update returned with comments can be edited."))
        ProgressUpdate.objects.filter(pk=locked.pk).update(
            rag=values["rag"],
            narrative=values["narrative"],
            evidence_links=values["evidence_links"],
            submitted_by=actor,
            submitted_at=timezone.now(),
            version=F("version") + 1,
        )
        locked.refresh_from_db()
        case_transition(case=locked, transition="resubmit", actor=actor, data={"edited": True})
    return locked


def progress_update_review(
    *,
    update: ProgressUpdate,
    accept: bool,
    comment: str = "",
    expected_version: int | None = None,
    actor: Any,
) -> ProgressUpdate:
    """A coordinator accepts an update, or returns it with comments (required)."""
    result = case_transition(
        case=update,
        transition="accept" if accept else "return",
        actor=actor,
        reason=comment,
        expected_version=expected_version,
    )
    return result  # type: ignore[return-value]
