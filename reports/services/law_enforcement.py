"""What law enforcement does with a report forwarded to it: acknowledge it, give feedback."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.services import access_refused

from ..models import Forwarding


def _own_forwarding(forwarding: Forwarding, actor: Any) -> None:
    """Only the recipient's people with ``reports_acknowledge`` act on a forwarding (audited)."""
    if not has_capability(actor, "reports_acknowledge") or (
        forwarding.recipient_id != actor.organisation_id
    ):
        raise access_refused(
            actor=actor,
            target=forwarding.report,
            why="forwarding update by another organisation",
            message=_("Only the recipient acknowledges a forwarding."),
            forwarding=forwarding.pk,
        )


def _forwarding_update(
    *, forwarding: Forwarding, actor: Any, feedback: str | None = None
) -> Forwarding:
    """The recipient acknowledges a forwarding and, optionally, gives feedback (audited)."""
    _own_forwarding(forwarding, actor)  # the recipient of a forwarding never changes
    with transaction.atomic():
        locked = Forwarding.objects.select_for_update().get(pk=forwarding.pk)
        now = timezone.now()
        fields = []
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = now, actor
            fields += ["acknowledged_at", "acknowledged_by"]
        if feedback is not None:
            locked.feedback, locked.feedback_at = feedback, now
            fields += ["feedback", "feedback_at"]
        if fields:
            locked.save(update_fields=fields)
            audit_record(
                actor=actor,
                verb=verbs.UPDATE,
                target=locked.report,
                data={
                    "forwarding": locked.pk,
                    "acknowledged": True,
                    "feedback": feedback is not None,
                },
            )
    return locked


def forwarding_acknowledge(*, forwarding: Forwarding, actor: Any) -> Forwarding:
    return _forwarding_update(forwarding=forwarding, actor=actor)


def forwarding_feedback(*, forwarding: Forwarding, actor: Any, text: str) -> Forwarding:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"feedback": _("Write the feedback.")})
    return _forwarding_update(forwarding=forwarding, actor=actor, feedback=text)
