"""What the reports area tells people, besides the events every case type raises (assigned,
a proposal to approve, a decision on one's proposal, past the target time).

Registered from ``apps.py``; raised by the effects and the legal-hold reminders job.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from securityunion.access.policy import users_with_capability
from securityunion.casework.registry import NotificationEvent, register_notification_event

INFORMATION_ANSWERED = "report_information_answered"
FORWARDED = "report_forwarded"
LEGAL_HOLD_LAPSING = "report_legal_hold_lapsing"


def register() -> None:
    for event in (
        NotificationEvent(
            INFORMATION_ANSWERED,
            _("The company answered my information request"),
            _("The company answered the information request on %(case)s"),
            audience=("reports_assess",),
            order=50,
        ),
        NotificationEvent(
            FORWARDED,
            _("A report is forwarded to my organisation"),
            _("%(case)s was forwarded to your organisation"),
            audience=("reports_view_forwarded",),
            order=60,
        ),
        NotificationEvent(
            LEGAL_HOLD_LAPSING,
            _("A legal hold of mine lapses soon"),
            _("Your legal hold on %(case)s lapses soon"),
            audience=("reports_place_legal_hold",),
            order=70,
        ),
    ):
        register_notification_event(event)


def law_enforcement_people(organisations: list[Any]) -> QuerySet:
    """The people of ``organisations`` who see reports forwarded to them (each is checked
    against the case's scope again when notified)."""
    return users_with_capability("reports_view_forwarded").filter(organisation__in=organisations)


def hold_keepers(organisation: Any) -> QuerySet:
    """Who else at an authority looks after its legal holds (when the officer who placed one
    can no longer be told)."""
    return users_with_capability("reports_place_legal_hold").filter(organisation=organisation)
