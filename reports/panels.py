"""The reports area's panels on "my work"."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.casework.registry import Panel, PanelItem, register_panel
from securityunion.lib import timefmt

from .models import Forwarding, ProviderReport
from .selectors import report_queue

SIZE = 10


@register_panel
def unassigned_reports(user: Any) -> Panel | None:
    if not has_capability(user, "reports_assess"):
        return None
    qs = report_queue(user).filter(
        assignee__isnull=True,
        status__in=(ProviderReport.Status.RECEIVED, ProviderReport.Status.IN_ASSESSMENT),
    )
    items = [
        PanelItem(
            title=f"{r.reference} · {r.provider}",
            url=r.get_absolute_url(),
            meta=(_("urgent") + " · " if r.urgent else "") + r.get_status_display(),
            overdue=r.is_overdue,
        )
        for r in qs[:SIZE]
    ]
    return Panel(
        title=_("Reports waiting for a caseworker"),
        items=items,
        empty_text=_("Every open report has a caseworker."),
        more_url=reverse("reports:index") + "?assignee=none",
    )


@register_panel
def forwarded_to_us(user: Any) -> Panel | None:
    if not has_capability(user, "reports_acknowledge"):
        return None
    qs = (
        Forwarding.objects.filter(recipient_id=user.organisation_id, acknowledged_at__isnull=True)
        .select_related("report")
        .order_by("-report__urgent", "sent_at")
    )
    items = [
        PanelItem(
            title=f.report.reference,
            url=f.report.get_absolute_url(),
            meta=_("sent %s") % timefmt.format_datetime(f.sent_at)
            + (" · " + _("urgent") if f.report.urgent else ""),
        )
        for f in qs[:SIZE]
    ]
    return Panel(
        title=_("Forwarded to us, not yet acknowledged"),
        items=items,
        empty_text=_("Nothing waits for your acknowledgement."),
        more_url=reverse("reports:forwarded") + "?acknowledged=no",
    )
