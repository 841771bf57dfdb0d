"""The dashboard panels the shared layer provides; apps register their own the same way."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BigIntegerField, CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability, visible
from securityunion.lib.timefmt import format_datetime

from .models import Approval
from .registry import Panel, PanelItem, case_models, register_panel

PANEL_SIZE = 10


def _case_item(case: Any) -> PanelItem:
    meta = case.get_status_display()
    if case.due_at:
        meta = _("%(status)s · due %(due)s") % {
            "status": meta,
            "due": format_datetime(case.due_at),
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


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def approvals_awaiting(user: Any, model: type[models.Model]) -> models.QuerySet[Approval] | None:
    """Pending proposals on ``model`` that ``user`` may decide: a transition whose approval
    capability they hold, proposed by someone else (None: they may decide none of them).
    The cases' visibility is applied by ``cases_awaiting``."""
    decidable = [
        t.name
        for t in model.workflow.transitions  # type: ignore[attr-defined]
        if t.four_eyes and has_capability(user, t.approve_capability)
    ]
    if not decidable:
        return None
    return Approval.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        status=Approval.Status.PENDING,
        transition__in=decidable,
    ).exclude(proposed_by=user)


def cases_awaiting(user: Any, model: type[models.Model]) -> models.QuerySet | None:
    """The cases of ``model`` user sees with a proposal awaiting their decision; annotated with
    the proposal's time, urgent ones first (when the model has ``urgent``), then the oldest
    proposal. One query however many there are; None when the user decides none."""
    pending = approvals_awaiting(user, model)
    if pending is None:
        return None
    proposed_at = pending.filter(object_id=Cast(OuterRef("pk"), CharField())).values("proposed_at")[
        :1
    ]
    order = ["-urgent"] if _has_field(model, "urgent") else []
    case_pks = pending.annotate(case_pk=Cast("object_id", BigIntegerField())).values("case_pk")
    return (
        visible(model._default_manager.all(), user)
        .filter(pk__in=case_pks)
        .annotate(proposed_at=Subquery(proposed_at))
        .order_by(*order, "proposed_at", "pk")
    )


@register_panel
def awaiting_my_approval(user: Any) -> Panel | None:
    """Pending four-eyes proposals on cases the user sees and may decide (not their own): how
    many, and the first of them, urgent ones first. "See all" leads to the case type's queue
    filtered to them (``QUEUE_URL_NAME`` of the model, with ``?awaiting_approval=1``)."""
    items: list[PanelItem] = []
    count = 0
    more_url = ""
    may_approve_somewhere = False
    for model in case_models:
        cases_qs = cases_awaiting(user, model)
        if cases_qs is None:
            continue
        may_approve_somewhere = True
        found = cases_qs.count()
        if not found:
            continue
        count += found
        queue = getattr(model, "QUEUE_URL_NAME", "")
        if queue and not more_url:
            more_url = reverse(queue) + "?awaiting_approval=1"
        page = list(cases_qs[:PANEL_SIZE])
        approvals = {
            a.object_id: a
            for a in approvals_awaiting(user, model)  # type: ignore[union-attr]
            .filter(object_id__in=[str(c.pk) for c in page])
            .select_related("proposed_by")
        }
        for case in page:
            approval = approvals.get(str(case.pk))
            if approval is None:
                continue
            transition = model.workflow.get(approval.transition)  # type: ignore[attr-defined]
            items.append(
                PanelItem(
                    title=f"{case} · {transition.label}",
                    url=case.get_absolute_url(),
                    meta=_("proposed by %(who)s, %(when)s")
                    % {"who": approval.proposed_by, "when": format_datetime(approval.proposed_at)},
                    urgent=bool(getattr(case, "urgent", False)),
                )
            )
    if not may_approve_somewhere:
        return None
    items.sort(key=lambda item: not item.urgent)
    return Panel(
        title=_("Awaiting my approval"),
        items=items[:PANEL_SIZE],
        empty_text=_("No proposal awaits your decision."),
        more_url=more_url,
        count=count,
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
