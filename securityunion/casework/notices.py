"""The companies' notice inbox: sending, acknowledging, answering and confirming notices.

The kinds of notice are registered by the areas that send them (``registry.NoticeType``);
this module is the mechanism they share.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import RuleScope, register_scope
from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from .models import Notice
from .registry import NoticeType, notice_response_handlers, notice_types
from .workflow import WorkflowError

MAX_RESPONSE = 10_000
#: A company's clock may run a little ahead of ours: ``done_at`` up to this far in the future
#: is taken as "now", beyond it is refused.
CLOCK_SKEW = timedelta(minutes=5)


def notice_type_of(notice: Notice) -> NoticeType | None:
    return notice_types.get(notice.type)


def notice_subject_type(notice: Notice) -> str:
    """How the API names what the notice is about (``report``, ``victim_case``...)."""
    kind = notice_type_of(notice)
    if kind is not None:
        return kind.subject_type
    return ContentType.objects.get_for_id(notice.content_type_id).model


def notice_send(
    *,
    organisation: Any,
    type: str,
    subject: models.Model,
    subject_reference: str,
    text: str,
    actor: Any,
    items: list[str] | None = None,
    data: dict[str, Any] | None = None,
    visible_from: datetime | None = None,
) -> Notice:
    """Queue a notice for a company; runs inside the caller's transaction. ``type`` must be
    registered (``registry.register_notice_type``)."""
    if type not in notice_types:
        raise ValueError(f"Unregistered notice type {type!r}.")
    notice = Notice.objects.create(
        organisation=organisation,
        type=type,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        subject_reference=subject_reference,
        text=text,
        items=items or [],
        data=data or {},
        created_by=actor if getattr(actor, "pk", None) else None,
        visible_from=visible_from or timezone.now(),
    )
    audit_record(
        actor=actor,
        verb=verbs.CREATE,
        target=subject,
        data={
            "notice": notice.pk,
            "notice_type": type,
            "to": organisation.slug,
            "deferred_until": visible_from.isoformat() if visible_from else None,
        },
    )
    return notice


def notices_about(subject: models.Model) -> models.QuerySet[Notice]:
    """The notices about one case, newest first (indexed on content type and object id)."""
    return Notice.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    ).order_by("-id")


def notices_defer(*, subject: models.Model, until: datetime | None) -> int:
    """Hold back the unacknowledged notices about ``subject`` until ``until`` (``None``:
    release them now).

    ``until`` is when the last restriction on the subject ends, so notices deferred further by
    a restriction since lifted come forward to it, and earlier ones go back to it.
    """
    qs = notices_about(subject)
    if until is None:
        return qs.filter(visible_from__gt=timezone.now()).update(visible_from=timezone.now())
    return (
        qs.filter(acknowledged_at__isnull=True)
        .exclude(visible_from=until)
        .update(visible_from=until)
    )


@transaction.atomic
def notice_acknowledge(*, notice: Notice, actor: Any) -> Notice:
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.acknowledged_at is None:
        locked.acknowledged_at = timezone.now()
        if locked.status == Notice.Status.OPEN:
            locked.status = Notice.Status.ACKNOWLEDGED
        locked.save(update_fields=["acknowledged_at", "status"])
        audit_record(actor=actor, verb=verbs.UPDATE, target=locked, data={"acknowledged": True})
    else:
        audit_record(
            actor=actor, verb=verbs.VIEW, target=locked, data={"acknowledged": True, "repeat": True}
        )
    return locked


@transaction.atomic
def notice_respond(*, notice: Notice, actor: Any, text: str) -> Notice:
    """Answer a notice that asks for an answer; the area's handler acts on the answer."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The answer cannot be empty.")})
    if len(text) > MAX_RESPONSE:
        raise ValidationError(
            {"text": _("The answer is longer than %d characters.") % MAX_RESPONSE}
        )
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    handler = notice_response_handlers.get(locked.type)
    if handler is None:
        raise WorkflowError(_("This notice does not take an answer."))
    if locked.status == Notice.Status.ANSWERED:
        raise WorkflowError(_("This notice has already been answered."))
    locked.response_text = text
    locked.responded_at = timezone.now()
    locked.acknowledged_at = locked.acknowledged_at or locked.responded_at
    locked.status = Notice.Status.ANSWERED
    locked.save(update_fields=["response_text", "responded_at", "acknowledged_at", "status"])
    audit_record(actor=actor, verb=verbs.UPDATE, target=locked, data={"answered": True})
    handler(notice=locked, actor=actor, text=text)
    return locked


@transaction.atomic
def notice_confirm(*, notice: Notice, actor: Any, done_at: datetime) -> Notice:
    """The company confirms it carried out what the notice asked (a removal, a reinstatement)
    at ``done_at``. Not in the future, not before the notice; confirming again with the same
    time is a replay (nothing changes), with another time a conflict. The notice type's
    ``confirm_handler`` acts on the first confirmation."""
    if done_at is None or timezone.is_naive(done_at):
        raise ValidationError({"done_at": _("Give a date and time with a time zone.")})
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    kind = notice_type_of(locked)
    if kind is None or not kind.confirmable:
        raise WorkflowError(_("This notice does not take a confirmation."))
    now = timezone.now()
    if done_at > now + CLOCK_SKEW:
        raise ValidationError({"done_at": _("Must not be in the future.")})
    if done_at < locked.created_at:
        raise ValidationError({"done_at": _("Must not be before the notice was sent.")})
    if locked.confirmed_at is not None:
        if locked.done_at == done_at:
            audit_record(
                actor=actor,
                verb=verbs.VIEW,
                target=locked,
                data={"confirmed": True, "repeat": True},
            )
            return locked
        raise WorkflowError(_("This notice was already confirmed with another time."))
    locked.done_at = done_at
    locked.confirmed_at = now
    locked.acknowledged_at = locked.acknowledged_at or now
    locked.status = Notice.Status.CONFIRMED
    locked.save(update_fields=["done_at", "confirmed_at", "acknowledged_at", "status"])
    audit_record(
        actor=actor,
        verb=verbs.UPDATE,
        target=locked,
        data={"confirmed": True, "done_at": done_at.isoformat()},
    )
    if kind.confirm_handler is not None:
        kind.confirm_handler(notice=locked, actor=actor, done_at=done_at)
    return locked


def _own_released_notices(user: Any) -> Q:
    return Q(organisation_id=user.organisation_id, visible_from__lte=timezone.now())


register_scope(Notice, RuleScope(see_all=(), rules=(("notices_receive", _own_released_notices),)))
