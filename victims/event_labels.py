"""How the victims area's events read in timelines and the audit log: an assistance record
reads "Referral recorded" with its date (never its note)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from securityunion.audit import verbs
from securityunion.casework.event_labels import DescribedEvent, Label, register_event_describer

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
    happened = event.data.get("happened_on")
    return Label(text, _("on %(day)s") % {"day": happened} if happened else "")


def register_event_labels() -> None:
    register_event_describer("assistance", _assistance)
