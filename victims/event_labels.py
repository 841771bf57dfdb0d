"""How the victims area's events read in timelines and the audit log: an assistance record
reads "Referral recorded" with its date (never its note)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from securityunion.audit import verbs
from securityunion.casework.event_labels import DescribedEvent, Label, register_event_describer
from securityunion.lib.timefmt import format_date

KINDS = {
    "referral": lambda: _("Referral recorded"),
    "information": lambda: _("Information given recorded"),
    "contact": lambda: _("Contact recorded"),
}


def _assistance(event: DescribedEvent) -> Label | None:
    if event.verb != verbs.CREATE:
        return None
    kind = KINDS.get(str(event.data.get("kind", "")))
    text = kind() if kind else _("Assistance recorded")
    happened = _day(event.data.get("happened_on"))
    return Label(text, _("on %(day)s") % {"day": happened} if happened else "")


def _day(value: object) -> str:
    """The recorded ISO date in the one date format (``1 Dec 2026``); anything else as it is."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        return format_date(datetime.date.fromisoformat(value))
    except ValueError:
        return value


def register_event_labels() -> None:
    register_event_describer("assistance", _assistance)
