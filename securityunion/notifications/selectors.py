"""Reads of the notification centre: each person sees their own notifications, nobody else's."""

from __future__ import annotations

from typing import Any

from django.db import models

from securityunion.access.policy import Scope, has_capability
from securityunion.casework.registry import notification_events

from .models import Notification, NotificationPreference


class RecipientScope(Scope):
    """A notification is visible to its recipient only, whatever their role (auditors too:
    what each person was told is in the audit log)."""

    def apply(self, qs: models.QuerySet, user: Any) -> models.QuerySet:
        return qs.filter(recipient_id=user.pk) if getattr(user, "pk", None) else qs.none()


def notifications_of(user: Any) -> models.QuerySet[Notification]:
    """The notifications ``user`` may see: their own, and nobody else's (whatever their role)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def inbox_of(user: Any) -> models.QuerySet[Notification]:
    """The page's order: unread first, then newest first."""
    return notifications_of(user).order_by(
        models.F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def events_for(user: Any) -> list[Any]:
    """The events offered on ``user``'s preferences page (those they may ever receive)."""
    return sorted(
        (
            e
            for e in notification_events.values()
            if not e.audience or any(has_capability(user, c) for c in e.audience)
        ),
        key=lambda e: (e.order, e.code),
    )


def preferences_of(user: Any) -> dict[str, NotificationPreference]:
    """Every offered event's choice for ``user`` (unsaved defaults where none is stored)."""
    stored = {p.event: p for p in NotificationPreference.objects.filter(user_id=user.pk)}
    return {
        e.code: stored.get(e.code) or NotificationPreference(user_id=user.pk, event=e.code)
        for e in events_for(user)
    }
