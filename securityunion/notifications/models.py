"""The notification centre: what each person is told, and how they want to be told.

A ``Notification`` names its case by content type, id, reference and URL (a generic reference,
so any area raises them without the shared layer knowing it) and carries a title that holds
no case content: the kind of case, its reference and what happened. A decision's reason is
kept for the page only (``reason``) and never goes into a mail.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DIGEST = "digest", _("In a daily digest")


class Notification(models.Model):
    class EmailStatus(models.TextChoices):
        NOT_WANTED = "not_wanted", _("No e-mail")
        PENDING = "pending", _("E-mail pending")
        SENT = "sent", _("E-mail sent")
        FAILED = "failed", _("E-mail failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    case_reference = models.CharField(_("reference"), max_length=64)
    case_url = models.CharField(max_length=300)
    title = models.CharField(_("title"), max_length=300)
    reason = models.TextField(_("reason"), blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.NOT_WANTED
    )
    email_delivery = models.CharField(
        max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_last_error = models.CharField(max_length=500, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # the bell (unread count) and the page (unread first, newest first)
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_inbox_idx"),
            # the mail jobs: pending digests, failed or stranded mails
            models.Index(fields=["email_status", "email_delivery"], name="notif_email_idx"),
            # "once per case": has this person been told this about this case already?
            models.Index(
                fields=["event", "content_type", "object_id", "recipient"], name="notif_case_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """One person's choice for one event; without a row, the default: e-mail at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("event"), max_length=64)
    email = models.BooleanField(_("by e-mail"), default=True)
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event}"
