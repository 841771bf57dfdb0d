"""The shared case operations: transitions (with four eyes), edits under optimistic locking,
assignment. Domain services call these; views and the API call the domain services."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability, is_visible, visible
from securityunion.audit import verbs
from securityunion.audit.services import audit_record, audit_record_many

from .models import Approval, CaseBase
from .workflow import StaleVersion, Transition, WorkflowError


class _Refused(Exception):
    """Raised inside a transaction; audited after its rollback so the refusal is kept."""

    def __init__(self, case: CaseBase, why: str, message: str) -> None:
        super().__init__(message)
        self.case, self.why, self.message = case, why, message


def _refused(fn):  # noqa: ANN001, ANN202
    """Record a refusal raised inside ``fn``'s transaction, then answer ``PermissionDenied``."""
    from functools import wraps

    @wraps(fn)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return fn(*args, **kwargs)
        except _Refused as refusal:
            audit_record(
                actor=kwargs.get("actor"),
                verb=verbs.PERMISSION_DENIED,
                target=refusal.case,
                data={"reason": refusal.why},
            )
            raise PermissionDenied(refusal.message) from None

    return wrapper


def _lock(case: CaseBase) -> CaseBase:
    return type(case).objects.select_for_update().get(pk=case.pk)


def _pending_approval(case: CaseBase) -> Approval | None:
    return (
        Approval.objects.select_for_update()
        .filter(
            content_type=ContentType.objects.get_for_model(case),
            object_id=str(case.pk),
            status=Approval.Status.PENDING,
        )
        .first()
    )


def pending_approval_for(case: CaseBase) -> Approval | None:
    return Approval.objects.filter(
        content_type=ContentType.objects.get_for_model(case),
        object_id=str(case.pk),
        status=Approval.Status.PENDING,
    ).first()


def approvals_for(case: CaseBase) -> models.QuerySet[Approval]:
    """Every four-eyes proposal on a case, oldest first (for case files and timelines)."""
    return (
        Approval.objects.filter(
            content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk)
        )
        .select_related("proposed_by", "decided_by")
        .order_by("proposed_at")
    )


def _apply(
    *,
    case: CaseBase,
    transition: Transition,
    actor: Any,
    reason: str,
    data: dict[str, Any],
    approval: Approval | None = None,
) -> CaseBase:
    previous = case.status
    case.status = transition.target
    if transition.effect is not None:
        # Before the status is written, so that rows the effect fills in (reasons, decision
        # times) are in place when the database checks the new status's constraints.
        transition.effect(case=case, actor=actor, data=data, reason=reason)
    case.version = F("version") + 1
    case.save(update_fields=["status", "version", "updated_at"])
    case.refresh_from_db(fields=["version"])
    audit_record(
        actor=actor,
        verb=verbs.TRANSITION,
        target=case,
        data={
            "transition": transition.name,
            "from": previous,
            "to": transition.target,
            "reason": reason,
            **(
                {"approval": approval.pk, "proposed_by": approval.proposed_by.get_username()}
                if approval
                else {}
            ),
            **data,
        },
    )
    return case


@_refused
def case_transition(
    *,
    case: CaseBase,
    transition: str,
    actor: Any,
    reason: str = "",
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
) -> CaseBase | Approval:
    """Take ``transition`` on ``case`` as ``actor``, or propose it when it needs four eyes.

    Checks, inside the locked row: the case is visible to the actor, the actor holds the
    transition's capability, the version is current, the status is a source of the transition
    and a required reason is given. Returns the case, or the pending ``Approval``.
    """
    data = data or {}
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(case)
        t = type(locked).workflow.get(transition)
        if not is_visible(actor, locked) or not t.allowed(actor):
            raise _Refused(
                locked,
                f"transition {t.name} not permitted",
                _("You may not take this action on this case."),
            )
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(
                _(
                    "This case was changed by someone else since you opened it. Reload it and "
                    "try again."
                )
            )
        if locked.status not in t.sources:
            raise WorkflowError(
                _("“%(action)s” is not possible while the case is “%(status)s”.")
                % {"action": t.label, "status": locked.get_status_display()}
            )
        if t.reason_required and not reason:
            raise ValidationError({"reason": _("A reason is required for this action.")})
        if t.four_eyes:
            if _pending_approval(locked) is not None:
                raise WorkflowError(_("A proposal on this case is already awaiting approval."))
            approval = Approval.objects.create(
                content_type=ContentType.objects.get_for_model(locked),
                object_id=str(locked.pk),
                transition=t.name,
                reason=reason,
                data=data,
                proposed_by=actor,
            )
            audit_record(
                actor=actor,
                verb=verbs.TRANSITION,
                target=locked,
                data={"proposed": t.name, "reason": reason, "approval": approval.pk, **data},
            )
            return approval
        case_after = _apply(case=locked, transition=t, actor=actor, reason=reason, data=data)
    case.status, case.version = case_after.status, case_after.version
    return case_after


@_refused
def approval_decide(*, approval: Approval, actor: Any, approve: bool, reason: str = "") -> Approval:
    """Approve (apply the proposed transition) or send back a four-eyes proposal.

    The decider must hold the transition's approval capability, see the case, and not be the
    proposer. Sending back needs a reason.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Approval.objects.select_for_update().get(pk=approval.pk)
        case = _lock(locked.case)
        t = type(case).workflow.get(locked.transition)
        if locked.status != Approval.Status.PENDING:
            raise WorkflowError(_("This proposal has already been decided."))
        if not is_visible(actor, case) or not has_capability(actor, t.approve_capability):
            raise _Refused(
                case, f"approval of {t.name} not permitted", _("You may not decide this proposal.")
            )
        if actor.pk == locked.proposed_by_id:
            raise _Refused(
                case,
                "self-approval",
                _("Four eyes: a proposal must be decided by someone other than its proposer."),
            )
        if not approve and not reason:
            raise ValidationError({"reason": _("Say why the proposal is sent back.")})
        if approve and case.status not in t.sources:
            raise WorkflowError(_("The case is no longer in a state where this can be approved."))
        locked.status = Approval.Status.APPROVED if approve else Approval.Status.SENT_BACK
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        if approve:
            _apply(
                case=case,
                transition=t,
                actor=actor,
                reason=locked.reason,
                data=locked.data,
                approval=locked,
            )
        else:
            audit_record(
                actor=actor,
                verb=verbs.TRANSITION,
                target=case,
                data={"sent_back": t.name, "reason": reason, "approval": locked.pk},
            )
    return locked


@_refused
def case_update(
    *, case: CaseBase, actor: Any, changes: dict[str, Any], expected_version: int
) -> CaseBase:
    """Write ``changes`` only if nobody changed the case since ``expected_version``.

    A single ``UPDATE ... WHERE version = expected``: zero rows means a stale edit, refused
    with ``StaleVersion`` (409 in the API), never a silent overwrite. Only field names are
    audited, not values (they may hold personal data).
    """
    model = type(case)
    with transaction.atomic():
        if not is_visible(actor, case):
            raise _Refused(case, "edit not permitted", _("You may not edit this case."))
        updated = model.objects.filter(pk=case.pk, version=expected_version).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated == 0:
            raise StaleVersion(
                _(
                    "This case was changed by someone else since you opened it. Reload it and "
                    "try again."
                )
            )
        fresh = model.objects.get(pk=case.pk)
        audit_record(actor=actor, verb=verbs.UPDATE, target=fresh, data={"fields": sorted(changes)})
    return fresh


@_refused
def case_assign(*, cases: list[CaseBase], assignee: Any, actor: Any, capability: str) -> int:
    """Assign several cases at once (bulk assign); each assignment is audited.

    Set-based whatever the number of cases: one locking read, one scope check, one update and
    one insert of audit events. A case outside the actor's scope refuses the whole batch.
    """
    if not has_capability(actor, capability):
        raise PermissionDenied(_("You may not assign cases."))
    if not cases:
        return 0
    model = type(cases[0])
    pks = sorted({case.pk for case in cases})
    target = assignee.pk if assignee else None
    with transaction.atomic():
        # In primary-key order, so that two bulk assignments never wait on each other in a cycle.
        locked = list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        allowed = set(visible(model.objects.filter(pk__in=pks), actor).values_list("pk", flat=True))
        for case in locked:
            if case.pk not in allowed:
                raise _Refused(case, "assignment not permitted", _("You may not assign this case."))
        changing = [case for case in locked if case.assignee_id != target]
        if not changing:
            return 0
        model.objects.filter(pk__in=[case.pk for case in changing]).update(
            assignee=assignee, version=F("version") + 1, updated_at=timezone.now()
        )
        label = assignee.get_username() if assignee else None
        audit_record_many(
            actor=actor,
            verb=verbs.UPDATE,
            targets=changing,
            data=[{"assignee": label}] * len(changing),
        )
    return len(changing)
