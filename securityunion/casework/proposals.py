"""What a pending four-eyes proposal would do, shown to the person asked to decide it.

A transition declares its ``summary`` (``workflow.ProposalSummary``), or an app registers one
for a transition of its model here (``register_proposal_summary``, from its ``apps.py``). The
shared approval panel renders the items; the summary is computed from the proposal's stored
data with the same code that acts on it, so that what is shown is what will be done.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import Approval
from .workflow import ProposalSummary, SummaryItem, WorkflowError

_registered: dict[tuple[str, str], ProposalSummary] = {}


def register_proposal_summary(
    model: type[models.Model], transition: str, summary: ProposalSummary
) -> None:
    """Show ``summary``'s items for proposals of ``transition`` on ``model`` (idempotent)."""
    _registered[(model._meta.label_lower, transition)] = summary


def summary_for(model: type[models.Model], transition: str) -> ProposalSummary | None:
    registered = _registered.get((model._meta.label_lower, transition))
    if registered is not None:
        return registered
    workflow = getattr(model, "workflow", None)
    if workflow is None:
        return None
    try:
        return workflow.get(transition).summary
    except WorkflowError:
        return None


def proposal_summary(*, case: Any, approval: Approval) -> list[SummaryItem]:
    """The items describing ``approval`` on ``case``; empty when its transition declares none
    (the panel then shows the proposer's reason only, never raw data)."""
    summary = summary_for(type(case), approval.transition)
    if summary is None:
        return []
    return list(summary(case=case, data=dict(approval.data or {}), reason=approval.reason))
