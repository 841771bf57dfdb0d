"""The dashboard panels the shared layer provides; apps register their own the same way."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability, visible
from securityunion.lib import timefmt

from .models import Approval
from .registry import Panel, PanelItem, case_models, register_panel

PANEL_SIZE = 10


def _case_item(case: Any) -> PanelItem:
    meta = case.get_status_display()
    if case.due_at:
        meta = _("%(status)s · due %(due)s") % {
            "status": meta,
            "due": timefmt.format_datetime(case.due_at),
        }
    return PanelItem(
        title=str(case), url=case.get_absolute_url(), meta=meta, overdue=case.is_overdue
    )


@register_panel
def assigned_to_me(user: Any) -> Panel | None:
    items: list[PanelItem] = []
    for model in case_models:
        qs = visible(model.objects.open().assigned_to(user), user).order_by("due_at", "id")
        items += [_case_item(case) for case in qs[:PANEL_SIZE]]
    return Panel(
        title=_("Assigned to me"),
        items=items[:PANEL_SIZE],
        empty_text=_("Nothing is assigned to you."),
    )


@register_panel
def awaiting_my_approval(user: Any) -> Panel | None:
    """Pending four-eyes proposals on cases the user sees and may decide (not their own)."""
    items: list[PanelItem] = []
    may_approve_somewhere = False
    for model in case_models:
        capabilities = {t.approve_capability for t in model.workflow.transitions if t.four_eyes}
        if not any(has_capability(user, c) for c in capabilities):
            continue
        may_approve_somewhere = True
        pending = list(
            Approval.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                status=Approval.Status.PENDING,
            )
            .exclude(proposed_by=user)
            .select_related("proposed_by")
            .order_by("proposed_at")[: PANEL_SIZE * 5]
        )
        cases = visible(model.objects.all(), user).in_bulk(
            [int(a.object_id) for a in pending if a.object_id.isdigit()]
        )
        for approval in pending:
            case = cases.get(int(approval.object_id)) if approval.object_id.isdigit() else None
            transition = model.workflow.get(approval.transition)
            if case is None or not has_capability(user, transition.approve_capability):
                continue
            items.append(
                PanelItem(
                    title=f"{case} · {transition.label}",
                    url=case.get_absolute_url(),
                    meta=_("proposed by %(who)s") % {"who": approval.proposed_by},
                )
            )
    if not may_approve_somewhere:
        return None
    return Panel(
        title=_("Awaiting my approval"),
        items=items[:PANEL_SIZE],
        empty_text=_("No proposal awaits your decision."),
    )


@register_panel
def overdue(user: Any) -> Panel | None:
    items: list[PanelItem] = []
    for model in case_models:
        qs = visible(model.objects.overdue(), user).order_by("due_at", "id")
        items += [_case_item(case) for case in qs[:PANEL_SIZE]]
    return Panel(
        title=_("Overdue"),
        items=items[:PANEL_SIZE],
        empty_text=_("Nothing you can see is overdue."),
    )
