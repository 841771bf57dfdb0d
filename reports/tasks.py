from celery import shared_task

from .services import legal_hold_reminders as _remind


@shared_task(name="reports.tasks.legal_hold_reminders")
def legal_hold_reminders() -> int:
    return _remind()
