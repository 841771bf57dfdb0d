"""How the reports area's events read in timelines and the audit log
(``securityunion.casework.event_labels``): its data keys, named in bulk, and the events its
services record (intake, acknowledgement and feedback, legal holds)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from securityunion.audit import verbs
from securityunion.casework.event_labels import (
    DescribedEvent,
    Label,
    choice_names,
    day_of,
    model_names,
    register_event_describer,
    register_event_key,
)


def _forwarding_recipients(values: set[Any]) -> dict[Any, str]:
    from .models import Forwarding

    ids = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    rows = Forwarding.objects.filter(pk__in=ids).values_list("pk", "recipient__name")
    return dict(rows)


def _hold_authorities(values: set[Any]) -> dict[Any, str]:
    from .models import LegalHold

    ids = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return dict(LegalHold.objects.filter(pk__in=ids).values_list("pk", "organisation__name"))


def _received(event: DescribedEvent) -> Label | None:
    if event.verb != verbs.CREATE or "items" not in event.data:
        return None
    created = getattr(event.workflow, "created_label", "") or _("Report received")
    parts = []
    items = event.data.get("items")
    if isinstance(items, int):
        parts.append(_("%(n)d item(s)") % {"n": items})
    known = event.data.get("known")
    if isinstance(known, int) and known:
        parts.append(_("%(n)d already known") % {"n": known})
    if event.data.get("urgent"):
        parts.append(_("urgent"))
    return Label(str(created), ", ".join(parts))


def _forwarding(event: DescribedEvent) -> Label | None:
    if event.verb != verbs.UPDATE:
        return None
    who = event.name("forwarding")
    if event.data.get("feedback"):
        return Label(_("Feedback given by %(who)s") % {"who": who})
    return Label(_("Receipt acknowledged by %(who)s") % {"who": who})


def _legal_hold(event: DescribedEvent) -> Label | None:
    who = event.name("legal_hold")
    if event.verb == verbs.CREATE:
        until = day_of(event.data.get("expires_at"))
        text = _("Legal hold placed by %(who)s") % {"who": who}
        return Label(text, _("Until %(day)s") % {"day": until} if until else "")
    if event.data.get("lifted"):
        return Label(_("Legal hold of %(who)s lifted") % {"who": who})
    reminder = event.data.get("reminder")
    if reminder == "failed":
        return Label(_("Reminder to %(who)s of the hold's end could not be sent") % {"who": who})
    if reminder:
        return Label(_("%(who)s reminded that the legal hold ends soon") % {"who": who})
    return None


def register_event_labels() -> None:
    from .models import ProviderReport

    register_event_key(
        "recipients",
        resolve=model_names("accounts.Organisation"),
        phrase=gettext_lazy("to %(names)s"),
    )
    register_event_key(
        "reason_code",
        resolve=choice_names(ProviderReport.UnfoundedReason),
        phrase=gettext_lazy("(%(names)s)"),
    )
    register_event_key("duplicate_of_reference", phrase=gettext_lazy("of %(names)s"))
    register_event_key("forwarding", resolve=_forwarding_recipients)
    register_event_key("legal_hold", resolve=_hold_authorities)
    register_event_describer("items", _received)
    register_event_describer("forwarding", _forwarding)
    register_event_describer("legal_hold", _legal_hold)
