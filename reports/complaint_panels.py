"""The complaints' panels on "my work": decisions due (overdue flagged), reinstatements the
companies have not confirmed, and corrections for law enforcement to acknowledge."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.casework.registry import Panel, PanelItem, register_panel
from securityunion.lib.timefmt import format_datetime, time_remaining

from .selectors import complaints_due, corrections_for, reinstatements_unconfirmed

SIZE = 10


@register_panel
def complaint_decisions_due(user: Any) -> Panel | None:
    if not has_capability(user, "complaints_review"):
        return None
    items = [
        PanelItem(
            title=f"{c.reference} · {c.provider}",
            url=c.get_absolute_url(),
            meta=f"{c.get_status_display()} · {time_remaining(c.due_at)}",
            overdue=c.is_overdue,
        )
        for c in complaints_due(user)[:SIZE]
    ]
    return Panel(
        title=_("Complaints waiting for a decision"),
        items=items,
        empty_text=_("No complaint waits for a decision."),
        more_url=reverse("reports:complaint_list"),
    )


@register_panel
def reinstatements_not_confirmed(user: Any) -> Panel | None:
    if not has_capability(user, "complaints_review"):
        return None
    notices = list(reinstatements_unconfirmed(user)[:SIZE])
    items = [
        PanelItem(
            title=f"{n.subject_reference} · {n.organisation}",
            url=reverse("reports:complaint_detail", kwargs={"reference": n.subject_reference}),
            meta=_("sent %s, not confirmed") % format_datetime(n.visible_from),
            overdue=True,
        )
        for n in notices
    ]
    return Panel(
        title=_("Reinstatements not confirmed"),
        items=items,
        empty_text=_("Every reinstatement was confirmed in time."),
    )


@register_panel
def corrections_to_acknowledge(user: Any) -> Panel | None:
    if not has_capability(user, "reports_acknowledge"):
        return None
    notices = list(corrections_for(user).filter(acknowledged_at__isnull=True)[:SIZE])
    items = [
        PanelItem(
            title=_("Correction about %s") % n.subject_reference,
            url=reverse("reports:detail", kwargs={"reference": n.subject_reference}),
            meta=format_datetime(n.visible_from),
        )
        for n in notices
    ]
    return Panel(
        title=_("Corrections to acknowledge"),
        items=items,
        empty_text=_("No correction waits for your acknowledgement."),
        more_url=reverse("reports:correction_list"),
    )
