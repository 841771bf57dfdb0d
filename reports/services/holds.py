"""Legal holds: law enforcement defers what the company is told, for at most 18 months."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability, is_visible
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.notices import notices_defer
from securityunion.casework.services import access_refused

from ..conf import app_settings
from ..models import LegalHold, ProviderReport
from ..selectors import company_told_from


def legal_hold_place(
    *, report: ProviderReport, actor: Any, reason: str, expires_at: datetime
) -> LegalHold:
    """Block notices to the company (and so to its user) until ``expires_at``, at most 18 months."""
    if not has_capability(actor, "reports_place_legal_hold") or not is_visible(actor, report):
        raise access_refused(
            actor=actor,
            target=report,
            why="legal hold not permitted",
            message=_("You may not place a legal hold on this report."),
        )
    reason = (reason or "").strip()
    now = timezone.now()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the legal ground for the hold.")
    if expires_at <= now:
        errors["expires_at"] = _("The hold must end in the future.")
    elif expires_at > now + timedelta(days=app_settings.LEGAL_HOLD_MAX_DAYS):
        errors["expires_at"] = _("A legal hold lasts at most 18 months.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _hold_place(
            report=report, actor=actor, reason=reason, now=now, expires_at=expires_at
        )


def _hold_place(
    *, report: ProviderReport, actor: Any, reason: str, now: datetime, expires_at: datetime
) -> LegalHold:
    hold = LegalHold.objects.create(
        report=report,
        placed_by=actor,
        organisation=actor.organisation,
        reason=reason,
        placed_at=now,
        expires_at=expires_at,
    )
    notices_defer(subject=report, until=company_told_from(report, fresh=True))
    audit_record(
        actor=actor,
        verb=verbs.CREATE,
        target=report,
        data={"legal_hold": hold.pk, "expires_at": expires_at.isoformat()},
    )
    return hold


def legal_hold_lift(*, hold: LegalHold, actor: Any) -> LegalHold:
    """The authority that placed a hold lifts it (its organisation never changes)."""
    if hold.organisation_id != actor.organisation_id or not has_capability(
        actor, "reports_place_legal_hold"
    ):
        raise access_refused(
            actor=actor,
            target=hold.report,
            why="legal hold lift by another organisation",
            message=_("Only the authority that placed a hold lifts it."),
            legal_hold=hold.pk,
        )
    with transaction.atomic():
        return _hold_lift(hold, actor)


def _hold_lift(hold: LegalHold, actor: Any) -> LegalHold:
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is None:
        locked.lifted_at = timezone.now()
        locked.save(update_fields=["lifted_at"])
        notices_defer(subject=locked.report, until=company_told_from(locked.report, fresh=True))
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=locked.report,
            data={"legal_hold": locked.pk, "lifted": True},
        )
    return locked
