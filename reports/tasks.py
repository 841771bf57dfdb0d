"""Background jobs of the reports app (registered as periodic jobs in ``apps.py``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from . import notifications
from .conf import app_settings
from .models import LegalHold

logger = logging.getLogger(__name__)


def _remind(hold: LegalHold) -> int:
    """Tell the officer who placed the hold, or, when they can no longer be told (left, moved
    on), the others at their authority who look after its holds. Returns how many were told."""
    from securityunion.lib.timefmt import format_date
    from securityunion.notifications.services import notify

    reason = _("The hold ends on %(when)s. After that the company is told the outcome.") % {
        "when": format_date(hold.expires_at)
    }
    for people in ([hold.placed_by], notifications.hold_keepers(hold.organisation)):
        told = notify(
            notifications.LEGAL_HOLD_LAPSING, people, case=hold.report, urgent=False, reason=reason
        )
        if told:
            return len(told)
    return 0


def legal_hold_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the placing authority of holds that lapse soon; returns how many were reminded.

    The reminder is a notification (in the back office, and by mail as each person chose; the
    mail is sent, retried and shown as failed by the notification centre). A hold counts as
    reminded once someone was told. When nobody can be told, that is recorded on the hold
    (when, why, attempts), in the audit log and in the log, and the hold is tried again at the
    next run. Each hold is locked while it is reminded, so two runs never remind it twice.
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
                .select_related("report", "placed_by", "organisation")
                .filter(pk=pk, reminder_sent_at__isnull=True)
                .first()
            )
            if hold is None:  # reminded meanwhile, or another run is reminding it now
                continue
            hold.reminder_attempts += 1
            if not _remind(hold):
                logger.warning("Legal-hold reminder for hold %s: nobody to tell", pk)
                hold.reminder_failed_at = now
                hold.reminder_error = "nobody at the authority can be told"
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
                        "error": "nobody to tell",
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


@shared_task(name="reports.tasks.reinstatement_reminders")
def reinstatement_reminders() -> int:
    from .services.complaints import reinstatement_reminders_send

    return reinstatement_reminders_send()
