"""The shared case operations: creation, transitions (with four eyes and validators), edits
under optimistic locking, assignment. Domain services call these; views, the API, commands and
tasks call the domain services. Each checks its actor's capability and scope inside.

They work for any model with a ``status``, a ``version`` and a ``workflow`` (case models and,
for example, the indicators of the reports area), not only subclasses of ``CaseBase``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability, is_visible, users_with_capability, visible
from securityunion.audit import verbs
from securityunion.audit.services import audit_record, audit_record_many
from securityunion.notifications import services as notifications

from .actors import actor_audit_data
from .models import Approval
from .references import references_next
from .workflow import StaleVersion, Transition, WorkflowError

M = TypeVar("M", bound=models.Model)

# Fields only the shared services write: never through ``case_create`` or ``case_update``.
MANAGED_FIELDS = frozenset({"id", "pk", "reference", "status", "version", "created_at"})


class _Refused(Exception):
    """Raised inside a transaction; audited after its rollback so the refusal is kept."""

    def __init__(
        self, case: models.Model | None, why: str, message: str, data: dict | None = None
    ) -> None:
        super().__init__(message)
        self.case, self.why, self.message, self.data = case, why, message, data or {}


def _refused(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Record a refusal raised inside ``fn``'s transaction, then answer ``PermissionDenied``."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except _Refused as refusal:
            actor = kwargs.get("actor")
            audit_record(
                actor=actor,
                verb=verbs.PERMISSION_DENIED,
                target=refusal.case,
                data={"reason": refusal.why, **refusal.data, **actor_audit_data(actor)},
            )
            raise PermissionDenied(refusal.message) from None

    return wrapper


def access_refused(
    *, actor: Any, why: str, message: str, target: models.Model | None = None, **data: Any
) -> PermissionDenied:
    """Audit a refusal (verb ``permission_denied``) and return the exception to raise.

    For domain services that refuse before they write anything (no transaction to roll back).
    """
    audit_record(
        actor=actor,
        verb=verbs.PERMISSION_DENIED,
        target=target,
        data={"reason": why, **data, **actor_audit_data(actor)},
    )
    return PermissionDenied(message)


def _lock(case: M) -> M:
    return type(case)._default_manager.select_for_update().get(pk=case.pk)


def _status_display(case: models.Model) -> str:
    display = getattr(case, "get_status_display", None)
    return str(display()) if display else str(case.status)


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist; any lookup failure means "no"
        return False
    return True


def _pending_approval(case: models.Model) -> Approval | None:
    return (
        Approval.objects.select_for_update()
        .filter(
            content_type=ContentType.objects.get_for_model(case),
            object_id=str(case.pk),
            status=Approval.Status.PENDING,
        )
        .first()
    )


def pending_approval_for(case: models.Model) -> Approval | None:
    return Approval.objects.filter(
        content_type=ContentType.objects.get_for_model(case),
        object_id=str(case.pk),
        status=Approval.Status.PENDING,
    ).first()


def approvals_for(case: models.Model) -> models.QuerySet[Approval]:
    """Every four-eyes proposal on a case, oldest first (for case files and timelines)."""
    return (
        Approval.objects.filter(
            content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk)
        )
        .select_related("proposed_by", "decided_by")
        .order_by("proposed_at")
    )


# --- creation ------------------------------------------------------------------------------


def case_initial_status(model: type[models.Model]) -> str:
    """The status every new case of ``model`` starts in: its workflow's initial one."""
    return str(model.workflow.initial)  # type: ignore[attr-defined]


def case_references(model: type[models.Model], count: int) -> list[str]:
    """``count`` new references of ``model`` from its sequence, in one round trip."""
    return references_next(model.REFERENCE_PREFIX, count)  # type: ignore[attr-defined]


def case_due_at(due_in: timedelta | None, *, now: Any = None) -> Any:
    return (now or timezone.now()) + due_in if due_in is not None else None


def case_may_create(model: type[models.Model], actor: Any) -> bool:
    capability = model.workflow.create_capability  # type: ignore[attr-defined]
    return bool(capability) and has_capability(actor, capability)


def cases_created_audit(
    *, actor: Any, cases: list[models.Model], data: list[dict[str, Any]] | None = None
) -> None:
    """The creation events of ``cases`` (one insert, one event per case)."""
    extra = actor_audit_data(actor)
    rows = data or [{} for _case in cases]
    audit_record_many(
        actor=actor,
        verb=verbs.CREATE,
        targets=cases,
        data=[{"status": c.status, **row, **extra} for c, row in zip(cases, rows, strict=True)],
    )


@_refused
def case_create(
    *,
    model: type[M],
    actor: Any,
    fields: dict[str, Any],
    due_in: timedelta | None = None,
    audit_data: dict[str, Any] | None = None,
) -> M:
    """Create a case of ``model`` as ``actor``: reference, initial status, due time, audit.

    The actor needs the workflow's ``create_capability`` and must be able to see the case it
    creates (a focal point creates cases of their own country only); otherwise nothing is
    stored and the refusal is audited. ``fields`` may not set the fields the shared layer
    manages (reference, status, version, creation time).
    """
    managed = MANAGED_FIELDS & set(fields)
    if managed:
        raise ValueError(f"case_create sets {', '.join(sorted(managed))} itself")
    label = model._meta.label_lower
    with transaction.atomic():
        if not case_may_create(model, actor):
            raise _Refused(
                None, f"creation of {label} not permitted", _("You may not create this case.")
            )
        now = timezone.now()
        values = dict(fields)
        if due_in is not None:
            values["due_at"] = case_due_at(due_in, now=now)
        case = model(
            reference=case_references(model, 1)[0],
            status=case_initial_status(model),
            created_at=now,
            **values,
        )
        case.save(force_insert=True)
        if not is_visible(actor, case):
            raise _Refused(
                None,
                f"creation of {label} outside the actor's scope",
                _("You may not create this case."),
            )
        cases_created_audit(actor=actor, cases=[case], data=[audit_data or {}])
    return case


# --- transitions ---------------------------------------------------------------------------


def _validated(
    transition: Transition, *, case: models.Model, actor: Any, data: dict[str, Any]
) -> dict[str, Any]:
    if transition.validator is None:
        return data
    return transition.validator(case=case, actor=actor, data=dict(data))


def _apply(
    *,
    case: M,
    transition: Transition,
    actor: Any,
    reason: str,
    data: dict[str, Any],
    approval: Approval | None = None,
) -> M:
    previous = case.status
    case.status = transition.target
    if transition.effect is not None:
        # Before the status is written, so that rows the effect fills in (reasons, decision
        # times) are in place when the database checks the new status's constraints.
        transition.effect(case=case, actor=actor, data=data, reason=reason, previous=previous)
    case.version = F("version") + 1
    fields = ["status", "version"]
    if _has_field(type(case), "updated_at"):
        fields.append("updated_at")
    case.save(update_fields=fields)
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
            **actor_audit_data(actor),
        },
    )
    return case


@_refused
def case_transition(
    *,
    case: M,
    transition: str,
    actor: Any,
    reason: str = "",
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
    offered_only: bool = False,
) -> M | Approval:
    """Take ``transition`` on ``case`` as ``actor``, or propose it when it needs four eyes.

    Checks, inside the locked row: the case is visible to the actor, the actor holds the
    transition's capability, the version is current, the status is a source of the
    transition, a required reason is given and the transition's validator accepts the data.
    ``offered_only`` (the generic transition page) accepts only what ``Workflow.available``
    offers: a transition that only a service takes is refused and the refusal audited.
    Returns the case, or the pending ``Approval``.
    """
    data = data or {}
    reason = (reason or "").strip()
    model = type(case)
    with transaction.atomic():
        locked = _lock(case)
        try:
            t = model.workflow.get(transition)  # type: ignore[attr-defined]
        except WorkflowError:
            if offered_only:
                raise _Refused(
                    locked,
                    f"unknown transition {str(transition)[:64]!r} posted",
                    _("This action is not offered on this case."),
                ) from None
            raise
        if offered_only and not t.manual:
            raise _Refused(
                locked,
                f"transition {t.name} is not offered on the page",
                _("This action is not offered on this case."),
            )
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
                % {"action": t.label, "status": _status_display(locked)}
            )
        if t.reason_required and not reason:
            raise ValidationError({"reason": _("A reason is required for this action.")})
        data = _validated(t, case=locked, actor=actor, data=data)
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
                data={
                    "proposed": t.name,
                    "reason": reason,
                    "approval": approval.pk,
                    **data,
                    **actor_audit_data(actor),
                },
            )
            # Everyone who may decide it, but not the proposer (four eyes).
            notifications.notify(
                notifications.APPROVAL_REQUESTED,
                users_with_capability(t.approve_capability),
                case=locked,
                actor=actor,
            )
            return approval
        case_after = _apply(case=locked, transition=t, actor=actor, reason=reason, data=data)
    case.status, case.version = case_after.status, case_after.version
    return case_after


@_refused
def approval_decide(*, approval: Approval, actor: Any, approve: bool, reason: str = "") -> Approval:
    """Approve (apply the proposed transition) or send back a four-eyes proposal.

    The decider must hold the transition's approval capability, see the case, and not be the
    proposer. Sending back needs a reason. Approving runs the transition's validator again,
    as the decider and on the case as it is now: data that was valid when proposed but is
    not any more (a recipient no longer a candidate) is refused and nothing changes.
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
        data = _validated(t, case=case, actor=actor, data=locked.data) if approve else locked.data
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
                data=data,
                approval=locked,
            )
        else:
            audit_record(
                actor=actor,
                verb=verbs.TRANSITION,
                target=case,
                data={"sent_back": t.name, "reason": reason, "approval": locked.pk},
            )
        label = notifications.case_label(case)
        notifications.notifications_resolve(notifications.APPROVAL_REQUESTED, case=case)
        notifications.notify(
            notifications.APPROVAL_DECIDED,
            [locked.proposed_by],
            case=case,
            actor=actor,
            # The reason is shown in the page only, never mailed.
            reason=reason,
            title=(
                _("Your proposal on %(case)s was approved")
                if approve
                else _("Your proposal on %(case)s was sent back")
            )
            % {"case": label},
        )
    return locked


# --- edits and assignment ------------------------------------------------------------------


@_refused
def case_update(
    *,
    case: M,
    actor: Any,
    changes: dict[str, Any],
    expected_version: int,
    capability: str | None = None,
) -> M:
    """Write ``changes`` only if nobody changed the case since ``expected_version``.

    The actor needs the edit capability (``capability``, else the workflow's
    ``edit_capability``; with neither, nobody edits) and must see the case: a read-only role
    changes nothing. Status, reference and version are not edited here (a status changes
    through ``case_transition``). A single ``UPDATE ... WHERE version = expected``: zero rows
    means a stale edit, refused with ``StaleVersion`` (409 in the API), never a silent
    overwrite. Only field names are audited, not values (they may hold personal data).
    """
    model = type(case)
    managed = MANAGED_FIELDS & set(changes)
    if managed:
        raise ValidationError(
            _("These fields are not edited directly: %s.") % ", ".join(sorted(managed))
        )
    workflow = getattr(model, "workflow", None)
    needed = capability or (workflow.edit_capability if workflow is not None else "")
    with transaction.atomic():
        if not needed or not has_capability(actor, needed) or not is_visible(actor, case):
            raise _Refused(case, "edit not permitted", _("You may not edit this case."))
        values: dict[str, Any] = {**changes, "version": F("version") + 1}
        if _has_field(model, "updated_at"):
            values["updated_at"] = timezone.now()
        updated = model._default_manager.filter(pk=case.pk, version=expected_version).update(
            **values
        )
        if updated == 0:
            raise StaleVersion(
                _(
                    "This case was changed by someone else since you opened it. Reload it and "
                    "try again."
                )
            )
        fresh = model._default_manager.get(pk=case.pk)
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=fresh,
            data={"fields": sorted(changes), **actor_audit_data(actor)},
        )
    return fresh


@_refused
def case_assign(
    *,
    cases: list[models.Model],
    assignee: Any,
    actor: Any,
    capability: str,
    note: str = "",
    only_unassigned: bool = False,
) -> int:
    """Assign several cases at once (bulk assign); each assignment is audited.

    Set-based whatever the number of cases: one locking read, one scope check, one update and
    one insert of audit events. A case outside the actor's scope refuses the whole batch, and
    so does, with ``only_unassigned`` (someone taking work), a case another person has. The
    new assignee is notified (the optional ``note`` shown with it, never mailed), unless they
    assigned it to themself.
    """
    if not has_capability(actor, capability):
        raise access_refused(
            actor=actor,
            why="assignment not permitted",
            message=_("You may not assign cases."),
            target=cases[0] if len(cases) == 1 else None,
        )
    if not cases:
        return 0
    model = type(cases[0])
    pks = sorted({case.pk for case in cases})
    target = assignee.pk if assignee else None
    note = (note or "").strip()
    with transaction.atomic():
        # In primary-key order, so that two bulk assignments never wait on each other in a cycle.
        locked = list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        allowed = set(visible(model.objects.filter(pk__in=pks), actor).values_list("pk", flat=True))
        for case in locked:
            if case.pk not in allowed:
                raise _Refused(case, "assignment not permitted", _("You may not assign this case."))
            if only_unassigned and case.assignee_id not in (None, target):
                raise _Refused(
                    case,
                    "case assigned to someone else",
                    _("%(case)s is assigned to someone else: a supervisor reassigns it.")
                    % {"case": case},
                )
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
            data=[{"assignee": label, **({"note": note} if note else {})}] * len(changing),
        )
        if assignee is not None:
            notifications.notify_cases(
                notifications.CASE_ASSIGNED, [assignee], cases=changing, actor=actor, reason=note
            )
    return len(changing)


def case_take(*, cases: list[models.Model], actor: Any, capability: str) -> int:
    """``actor`` takes unassigned cases (their own stay theirs): "assign to me".

    Needs ``capability`` (working the cases, not assigning others) and the cases in the
    actor's scope; a case someone else has is refused (a supervisor reassigns it), audited.
    """
    return case_assign(
        cases=cases, assignee=actor, actor=actor, capability=capability, only_unassigned=True
    )
