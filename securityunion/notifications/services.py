"""Telling people: one entry point, ``notify``, for every area, and the mail that follows.

``notify(event, recipients, case=..., actor=...)`` writes one in-app notification per
recipient inside the caller's transaction (a rolled-back change leaves none) and queues the
immediate mails for after the commit (``transaction.on_commit``): a change that is rolled back
tells nobody anything. The actor is never told about their own action, and nobody is told
about a case they could not open (each recipient's scope is checked, as the case page would).

Mails name the case's reference and a link, never its content: the title holds the kind of
case, its reference and what happened; the reason of a decision stays in the page. A mail is
sent by a background task that retries; after its last retry the notification shows "e-mail
failed" and a scheduled job tries failed (and stranded) mails again later. People who chose
the daily digest get one mail a day listing their pending items (all in ``mail``). Every
notification and every mail is audited (``notification_sent`` / ``notification_failed``, the
recipient as the one notified).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from securityunion.access.policy import visible
from securityunion.audit import verbs
from securityunion.audit.services import audit_record, audit_record_many
from securityunion.casework.actors import actor_audit_data
from securityunion.casework.registry import case_models, notification_events

from .mail import NO_ADDRESS
from .models import Delivery, Notification, NotificationPreference
from .selectors import notifications_of, preferences_of

# The events the shared layer raises for every case type (registered in ``apps.py``).
CASE_ASSIGNED = "case_assigned"
APPROVAL_REQUESTED = "approval_requested"
APPROVAL_DECIDED = "approval_decided"
CASE_OVERDUE = "case_overdue"


# --- raising -----------------------------------------------------------------------------------


def case_label(case: models.Model) -> str:
    """``Provider report RPT-2026-000042``: the kind of case and its reference, nothing else."""
    return f"{capfirst(case._meta.verbose_name)} {case_reference(case)}"


def case_reference(case: models.Model) -> str:
    return str(getattr(case, "reference", "") or case.pk)


def case_is_urgent(case: models.Model) -> bool:
    """A case model with a boolean ``urgent`` field marks its notifications urgent."""
    return bool(getattr(case, "urgent", False))


def _case_url(case: models.Model) -> str:
    getter = getattr(case, "get_absolute_url", None)
    return getter() if getter else ""


def _people(recipients: Iterable[Any], actor: Any) -> list[Any]:
    """Real, active people other than the actor, each once (system actors have no pk)."""
    actor_pk = getattr(actor, "pk", None)
    seen: dict[int, Any] = {}
    for person in recipients:
        pk = getattr(person, "pk", None)
        if pk is None or pk == actor_pk or pk in seen:
            continue
        if not person.is_active or getattr(person, "is_api_client", False):
            continue
        seen[pk] = person
    return list(seen.values())


def _visible_pairs(people: list[Any], cases: list[models.Model]) -> list[tuple[Any, models.Model]]:
    """(person, case) for each case each person could open: one scoped query per person."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for case in cases:
        by_model[type(case)].append(case)
    pairs = []
    for person in people:
        for model, group in by_model.items():
            pks = {case.pk for case in group}
            seen = set(
                visible(model._default_manager.filter(pk__in=pks), person).values_list(
                    "pk", flat=True
                )
            )
            pairs.extend((person, case) for case in group if case.pk in seen)
    return pairs


def notify(
    event: str,
    recipients: Iterable[Any],
    *,
    case: models.Model,
    actor: Any = None,
    urgent: bool | None = None,
    reason: str = "",
    title: str | None = None,
) -> list[Notification]:
    """Tell ``recipients`` that ``event`` happened to ``case`` (in-app, then by mail).

    Runs inside the caller's transaction. ``urgent`` defaults to the case's own urgency;
    ``reason`` (a decision's reason) is shown in the page only; ``title`` replaces the
    event's title (it must hold no case content either). Returns the notifications written.
    """
    return notify_cases(
        event, recipients, cases=[case], actor=actor, urgent=urgent, reason=reason, title=title
    )


def notify_cases(
    event: str,
    recipients: Iterable[Any],
    *,
    cases: list[models.Model],
    actor: Any = None,
    urgent: bool | None = None,
    reason: str = "",
    title: str | None = None,
) -> list[Notification]:
    """``notify`` for several cases at once (a bulk assignment): one notification per
    recipient and case, one query per recipient for the scope, one insert."""
    definition = notification_events.get(event)
    if definition is None:
        raise ValueError(f"Unregistered notification event {event!r}.")
    people = _people(recipients, actor)
    if not people or not cases:
        return []
    pairs = _visible_pairs(people, cases)
    if not pairs:
        return []
    preferences = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(
            user_id__in={person.pk for person, _case in pairs}, event=event
        )
    }
    now = timezone.now()
    actor_obj = actor if getattr(actor, "pk", None) else None
    rows = []
    for person, case in pairs:
        is_urgent = case_is_urgent(case) if urgent is None else urgent
        status, delivery, note = _email_choice(person, preferences.get(person.pk), is_urgent)
        rows.append(
            Notification(
                recipient=person,
                event=event,
                content_type=ContentType.objects.get_for_model(case),
                object_id=str(case.pk),
                case_reference=case_reference(case)[:64],
                case_url=_case_url(case)[:300],
                title=(title or str(definition.title) % {"case": case_label(case)})[:300],
                reason=reason or "",
                urgent=is_urgent,
                actor=actor_obj,
                created_at=now,
                email_status=status,
                email_delivery=delivery,
                email_last_error=note,
            )
        )
    created = Notification.objects.bulk_create(rows)
    _audit_delivered(created, actor)
    immediate = [
        n.pk
        for n in created
        if n.email_status == Notification.EmailStatus.PENDING
        and n.email_delivery == Delivery.IMMEDIATE
    ]
    if immediate:
        transaction.on_commit(lambda: _dispatch_mails(immediate), robust=True)
    return created


def notifications_resolve(event: str, *, case: models.Model) -> int:
    """The unread ``event`` notifications about ``case`` are settled (a proposal decided by
    one supervisor no longer awaits the others): marked read, and left out of the digest."""
    qs = Notification.objects.filter(
        event=event,
        content_type=ContentType.objects.get_for_model(case),
        object_id=str(case.pk),
        read_at__isnull=True,
    )
    qs.filter(email_status=Notification.EmailStatus.PENDING, email_delivery=Delivery.DIGEST).update(
        email_status=Notification.EmailStatus.NOT_WANTED, email_last_error="settled"
    )
    return qs.update(read_at=timezone.now())


def _email_choice(
    person: Any, preference: NotificationPreference | None, urgent: bool
) -> tuple[str, str, str]:
    """(e-mail status, delivery, note): the person's choice; urgent ones never wait a day."""
    wants = preference.email if preference is not None else True
    delivery = preference.delivery if preference is not None else Delivery.IMMEDIATE
    if not wants:
        return Notification.EmailStatus.NOT_WANTED, delivery, ""
    if not person.email:
        return Notification.EmailStatus.NOT_WANTED, delivery, NO_ADDRESS
    if urgent:
        delivery = Delivery.IMMEDIATE
    return Notification.EmailStatus.PENDING, delivery, ""


def _audit_delivered(notifications: list[Notification], actor: Any) -> None:
    by_recipient: dict[int, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_recipient[notification.recipient_id].append(notification)
    extra = actor_audit_data(actor)
    by = actor.get_username() if getattr(actor, "pk", None) else None
    for group in by_recipient.values():
        audit_record_many(
            actor=group[0].recipient,
            verb=verbs.NOTIFICATION_SENT,
            targets=group,
            data=[
                {
                    "event": n.event,
                    "case": n.case_reference,
                    "channel": "in_app",
                    "email": n.email_status,
                    "by": by,
                    **extra,
                }
                for n in group
            ],
        )


def _dispatch_mails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_email

    for pk in notification_ids:
        send_notification_email.delay(pk)


# --- overdue cases (a scheduled job for every case type) ---------------------------------------


def _has_fields(model: type[models.Model], *names: str) -> bool:
    concrete = {f.name for f in model._meta.get_fields()}
    return all(name in concrete for name in names)


def cases_overdue_notify(*, limit: int = 500) -> int:
    """Tell each assignee, once per case, that a case of theirs is past its target time."""
    told = 0
    for model in case_models:
        if not _has_fields(model, "assignee", "due_at") or not hasattr(
            model._default_manager, "overdue"
        ):
            continue
        content_type = ContentType.objects.get_for_model(model)
        already = Notification.objects.filter(
            event=CASE_OVERDUE,
            content_type=content_type,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            recipient_id=OuterRef("assignee_id"),
        )
        overdue = (
            model._default_manager.overdue()
            .filter(assignee__isnull=False)
            .exclude(Exists(already))
            .select_related("assignee")
            .order_by("due_at", "pk")[: limit - told]
        )
        for case in overdue:
            with transaction.atomic():
                told += len(notify(CASE_OVERDUE, [case.assignee], case=case))
        if told >= limit:
            break
    return told


# --- the recipient's own actions -------------------------------------------------------------


def notification_mark_read(*, notification: Notification, actor: Any) -> Notification:
    """Mark one of the actor's own notifications read (another's is refused, audited)."""
    from securityunion.casework.services import access_refused

    if notification.recipient_id != getattr(actor, "pk", None):
        raise access_refused(
            actor=actor,
            target=notification,
            why="another person's notification",
            message=_("This notification is not yours."),
        )
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if updated:
        audit_record(actor=actor, verb=verbs.UPDATE, target=notification, data={"read": True})
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    count = notifications_of(actor).filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_record(actor=actor, verb=verbs.UPDATE, data={"notifications_read": count})
    return count


def notification_preferences_save(
    *, user: Any, actor: Any, choices: dict[str, tuple[bool, str]]
) -> int:
    """Store ``choices`` (event -> (by e-mail, delivery)) as ``user``'s own; returns changes.

    Only the person themself changes their preferences; only offered events are stored.
    """
    from securityunion.casework.services import access_refused

    if getattr(actor, "pk", None) != user.pk:
        raise access_refused(
            actor=actor,
            target=user,
            why="another person's notification preferences",
            message=_("These preferences are not yours."),
        )
    current = preferences_of(user)
    unknown = set(choices) - set(current)
    if unknown:
        raise ValidationError(_("Unknown notification event."))
    changed = []
    with transaction.atomic():
        for code, (email, delivery) in choices.items():
            if delivery not in Delivery.values:
                raise ValidationError({code: _("Choose how the e-mail is delivered.")})
            preference = current[code]
            if preference.pk and (preference.email, preference.delivery) == (email, delivery):
                continue
            if not preference.pk and (email, delivery) == (True, Delivery.IMMEDIATE):
                continue  # the default: no row needed
            NotificationPreference.objects.update_or_create(
                user_id=user.pk, event=code, defaults={"email": email, "delivery": delivery}
            )
            changed.append(code)
        if changed:
            audit_record(
                actor=actor,
                verb=verbs.UPDATE,
                target=user,
                data={"notification_preferences": changed},
            )
    return len(changed)
