from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "securityunion.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from securityunion.access.policy import register_scope
        from securityunion.casework.jobs import register_job
        from securityunion.casework.registry import (
            NotificationEvent,
            register_notification_event,
        )
        from securityunion.casework.retention import register_retention

        from . import checks, services  # noqa: F401  (checks registers itself)
        from .conf import app_settings
        from .models import Notification
        from .selectors import RecipientScope

        register_scope(Notification, RecipientScope())
        # The events the shared case services raise for every case type.
        for event in (
            NotificationEvent(
                services.CASE_ASSIGNED,
                _("A case is assigned to me"),
                _("%(case)s was assigned to you"),
                order=10,
            ),
            NotificationEvent(
                services.APPROVAL_REQUESTED,
                _("A proposal awaits my approval"),
                _("A proposal on %(case)s awaits your approval"),
                order=20,
            ),
            NotificationEvent(
                services.APPROVAL_DECIDED,
                _("A decision on my proposal"),
                _("Your proposal on %(case)s was decided"),
                order=30,
            ),
            NotificationEvent(
                services.CASE_OVERDUE,
                _("A case of mine is past its target time"),
                _("%(case)s is past its target time"),
                order=40,
            ),
        ):
            register_notification_event(event)
        register_retention(
            Notification,
            name="notifications",
            days=lambda: app_settings.NOTIFICATIONS_RETENTION_DAYS,
            date_field="created_at",
            description="Notifications, after 180 days (the audit log keeps who was told what).",
        )
        register_job(
            "notifications-retry-emails",
            "securityunion.notifications.tasks.retry_emails",
            every=timedelta(minutes=30),
            description="Send again notification mails that failed or lost their task.",
        )
        register_job(
            "notifications-daily-digest",
            "securityunion.notifications.tasks.send_digests",
            every=timedelta(days=1),
            description="One mail per person listing the notifications they chose to get daily.",
        )
        register_job(
            "notifications-overdue-cases",
            "securityunion.notifications.tasks.notify_overdue_cases",
            every=timedelta(hours=1),
            description="Tell assignees, once per case, of cases past their target time.",
        )
