"""Notification mails: one per notification (sent by a task that retries), the daily digest,
and the job that tries failed or stranded mails again.

A mail names the case's reference and a link, never its content: the subject is the
notification's title (kind of case, reference, what happened), the body a link to the case
and to the person's settings. A decision's reason, the actor and the case's data stay in the
page. Each mail is audited when it went out (``notification_sent``, channel ``email``) or
when its last attempt failed (``notification_failed``, with the kind of error only).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.audit import verbs
from securityunion.audit.services import audit_record_many

from .conf import app_settings
from .models import Delivery, Notification

logger = logging.getLogger(__name__)

NO_ADDRESS = "The account has no e-mail address."


def absolute_url(path: str) -> str:
    return app_settings.NOTIFICATIONS_BASE_URL.rstrip("/") + path


def _subject(notification: Notification) -> str:
    prefix = _("Urgent: ") if notification.urgent else ""
    return f"{prefix}{notification.title}"[:250]


def email_message(notification: Notification) -> tuple[str, str]:
    """Subject and body of one notification's mail: the title (kind, reference, what
    happened) and a link. Never the reason, the actor or anything of the case's content."""
    body = render_to_string(
        "notifications/email/notification.txt",
        {
            "title": notification.title,
            "reference": notification.case_reference,
            "link": absolute_url(notification.case_url),
            "preferences_link": absolute_url(reverse("notifications:preferences")),
        },
    )
    return _subject(notification), body


def digest_message(notifications: list[Notification]) -> tuple[str, str]:
    body = render_to_string(
        "notifications/email/digest.txt",
        {
            "entries": [
                {"title": n.title, "link": absolute_url(n.case_url), "urgent": n.urgent}
                for n in notifications
            ],
            "inbox_link": absolute_url(reverse("notifications:list")),
            "preferences_link": absolute_url(reverse("notifications:preferences")),
        },
    )
    subject = _("Your notifications: %(count)d new") % {"count": len(notifications)}
    return subject, body


def _mail(subject: str, body: str, address: str) -> None:
    if not address:
        raise ValueError(NO_ADDRESS)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def _record_mail_outcome(
    notifications: list[Notification], *, error: BaseException | None, final: bool, digest: bool
) -> None:
    now = timezone.now()
    for n in notifications:
        n.email_attempts += 1
        if error is None:
            n.email_status, n.email_sent_at, n.email_last_error = (
                Notification.EmailStatus.SENT,
                now,
                "",
            )
        else:
            n.email_last_error = _error_text(error)
            if final:
                n.email_status = Notification.EmailStatus.FAILED
    Notification.objects.bulk_update(
        notifications, ["email_attempts", "email_status", "email_sent_at", "email_last_error"]
    )
    if error is None:
        verb, data = verbs.NOTIFICATION_SENT, {"channel": "email", "digest": digest}
    elif final:
        verb, data = verbs.NOTIFICATION_FAILED, {"channel": "email", "error": type(error).__name__}
    else:
        return  # an attempt the task retries: only its last outcome is audited
    audit_record_many(
        actor=notifications[0].recipient,
        verb=verb,
        targets=notifications,
        data=[
            {**data, "case": n.case_reference, "attempts": n.email_attempts} for n in notifications
        ],
    )


_MAILABLE = (Notification.EmailStatus.PENDING, Notification.EmailStatus.FAILED)


def notification_email_attempt(*, notification_id: int, final: bool) -> str:
    """One attempt at one notification's mail: ``sent``, ``retry`` (failed, not the last
    attempt), ``failed`` (the last attempt failed: shown as failed) or ``skipped`` (sent
    meanwhile, not wanted, or being sent by another worker). The row is locked while its mail
    goes out, so two workers never send it twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email_status__in=_MAILABLE)
            .first()
        )
        if notification is None:
            return "skipped"
        try:
            _mail(*email_message(notification), notification.recipient.email)
        except Exception as error:  # noqa: BLE001  (recorded on the row; retried)
            logger.warning("Notification mail %s not sent: %r", notification_id, error)
            _record_mail_outcome([notification], error=error, final=final, digest=False)
            return "failed" if final else "retry"
        _record_mail_outcome([notification], error=None, final=final, digest=False)
        return "sent"


def _send_digest(user_id: int, statuses: tuple[str, ...], ids: list[int] | None = None) -> bool:
    """One mail to one person listing their digest items in ``statuses``; True when sent."""
    with transaction.atomic():
        qs = Notification.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            recipient_id=user_id, email_status__in=statuses, email_delivery=Delivery.DIGEST
        )
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        items = list(qs.select_related("recipient").order_by("-urgent", "created_at", "id"))
        if not items:
            return False
        try:
            _mail(*digest_message(items), items[0].recipient.email)
        except Exception as error:  # noqa: BLE001  (recorded on the rows; the retry job)
            logger.warning("Notification digest for user %s not sent: %r", user_id, error)
            _record_mail_outcome(items, error=error, final=True, digest=True)
            return False
        _record_mail_outcome(items, error=None, final=True, digest=True)
        return True


def notifications_digest_send() -> int:
    """The daily digest: one mail per person with pending digest items; returns mails sent."""
    users = (
        Notification.objects.filter(
            email_status=Notification.EmailStatus.PENDING, email_delivery=Delivery.DIGEST
        )
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(_send_digest(user_id, (Notification.EmailStatus.PENDING,)) for user_id in users)


def notifications_email_retry(*, now: datetime | None = None, limit: int = 500) -> int:
    """Try again the mails that failed (and immediate ones whose task was lost): each until it
    has had ``NOTIFICATIONS_EMAIL_MAX_ATTEMPTS`` attempts, for ``NOTIFICATIONS_EMAIL_RETRY_HOURS``.
    Failed digest items go out again as one digest per person. Returns mails sent."""
    now = now or timezone.now()
    stranded = now - timedelta(minutes=app_settings.NOTIFICATIONS_EMAIL_STRANDED_MINUTES)
    due = list(
        Notification.objects.filter(
            created_at__gte=now - timedelta(hours=app_settings.NOTIFICATIONS_EMAIL_RETRY_HOURS),
            email_attempts__lt=app_settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS,
        )
        .filter(
            Q(email_status=Notification.EmailStatus.FAILED)
            | Q(
                email_status=Notification.EmailStatus.PENDING,
                email_delivery=Delivery.IMMEDIATE,
                created_at__lte=stranded,
            )
        )
        .order_by("created_at", "id")
        .values_list("pk", "recipient_id", "email_delivery")[:limit]
    )
    sent = 0
    digests: dict[int, list[int]] = defaultdict(list)
    for pk, recipient_id, delivery in due:
        if delivery == Delivery.DIGEST:
            digests[recipient_id].append(pk)
        elif notification_email_attempt(notification_id=pk, final=True) == "sent":
            sent += 1
    for recipient_id, ids in digests.items():
        sent += _send_digest(recipient_id, (Notification.EmailStatus.FAILED,), ids)
    return sent
