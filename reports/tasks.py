"""Background jobs of the reports app (registered as periodic jobs in ``apps.py``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.lib import timefmt

from .conf import app_settings
from .models import LegalHold

logger = logging.getLogger(__name__)


class ReminderNotSent(Exception):
    """A reminder that could not go out for a reason of our own (no address)."""


def _send_reminder(hold: LegalHold) -> None:
    if not hold.placed_by.email:
        raise ReminderNotSent("the officer who placed the hold has no e-mail address")
    send_mail(
        _("Legal hold on %s lapses soon") % hold.report.reference,
        _(
            "The legal hold you placed on report %(ref)s ends on %(when)s. "
            "After that the company is told the outcome."
        )
        % {
            "ref": hold.report.reference,
            "when": timefmt.format_datetime(hold.expires_at, timefmt.user_zone(hold.placed_by)),
        },
        None,
        [hold.placed_by.email],
        fail_silently=False,
    )


def legal_hold_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the placing authority of holds that lapse soon; returns how many were sent.

    A hold counts as reminded only once its mail went out. A failure (the mail server refuses,
    no address) is recorded on the hold (when, the error, attempts), in the audit log (the
    error's kind only) and in the log, and the hold is tried again at the next run. Each hold
    is locked while its mail is sent, so two runs never remind the same hold twice.
    """
    now = now or timezone.now()
    soon = now + timedelta(days=app_settings.LEGAL_HOLD_REMINDER_DAYS)
    due = list(
        LegalHold.objects.filter(
            lifted_at__isnull=True,
            reminder_sent_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=soon,
        )
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            hold = (
                LegalHold.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("report", "placed_by")
                .filter(pk=pk, reminder_sent_at__isnull=True)
                .first()
            )
            if hold is None:  # reminded meanwhile, or another run is sending it now
                continue
            hold.reminder_attempts += 1
            try:
                _send_reminder(hold)
            except Exception as error:  # noqa: BLE001  (recorded, retried at the next run)
                logger.warning("Legal-hold reminder for hold %s not sent: %r", pk, error)
                hold.reminder_failed_at = now
                hold.reminder_error = f"{type(error).__name__}: {error}"[:500]
                hold.save(
                    update_fields=["reminder_failed_at", "reminder_error", "reminder_attempts"]
                )
                audit_record(
                    actor=None,
                    verb=verbs.UPDATE,
                    target=hold.report,
                    data={
                        "legal_hold": hold.pk,
                        "reminder": "failed",
                        "error": type(error).__name__,
                        "attempt": hold.reminder_attempts,
                    },
                )
                continue
            hold.reminder_sent_at = now
            hold.reminder_error = ""
            hold.save(update_fields=["reminder_sent_at", "reminder_error", "reminder_attempts"])
            audit_record(
                actor=None,
                verb=verbs.UPDATE,
                target=hold.report,
                data={"legal_hold": hold.pk, "reminder": True},
            )
            sent += 1
    return sent


@shared_task(name="reports.tasks.legal_hold_reminders")
def legal_hold_reminders() -> int:
    return legal_hold_reminders_send()


@shared_task(name="reports.tasks.run_indicator_import")
def run_indicator_import(import_id: str) -> str:
    from .services import indicator_import_run

    return indicator_import_run(import_id=import_id)


@shared_task(name="reports.tasks.indicator_imports_time_out")
def indicator_imports_time_out() -> int:
    from .services import indicator_imports_time_out as time_out

    return time_out()
