"""Background work of the notification centre: one mail, retried; the digest; the retry job."""

from __future__ import annotations

from celery import shared_task

from .conf import app_settings
from .mail import notification_email_attempt, notifications_digest_send, notifications_email_retry
from .services import cases_overdue_notify


@shared_task(bind=True, name="securityunion.notifications.tasks.send_notification_email")
def send_notification_email(self, notification_id: int) -> str:  # noqa: ANN001
    """Send one notification's mail; retry with a growing delay, then record it as failed.

    Without a broker (eager, in-process) the retries follow at once.
    """
    attempts = app_settings.NOTIFICATIONS_EMAIL_ATTEMPTS
    done = self.request.retries or 0
    while True:
        final = done + 1 >= attempts
        outcome = notification_email_attempt(notification_id=notification_id, final=final)
        if outcome != "retry":
            return outcome
        if not self.request.is_eager:
            delay = app_settings.NOTIFICATIONS_EMAIL_RETRY_SECONDS * 2**done
            raise self.retry(countdown=delay, max_retries=attempts)
        done += 1


@shared_task(name="securityunion.notifications.tasks.send_digests")
def send_digests() -> int:
    return notifications_digest_send()


@shared_task(name="securityunion.notifications.tasks.retry_emails")
def retry_emails() -> int:
    return notifications_email_retry()


@shared_task(name="securityunion.notifications.tasks.notify_overdue_cases")
def notify_overdue_cases() -> int:
    return cases_overdue_notify()
