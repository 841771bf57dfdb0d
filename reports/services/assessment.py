"""Assessment decisions on provider reports: the transitions that carry data, and assignment.

Each decision is one ``case_transition``; the transition's validator (``reports.effects``)
checks the recipients, the reason code or the original, so the rules hold for any caller,
and again when a supervisor approves a proposal.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.casework.models import Approval
from securityunion.casework.services import case_assign, case_take, case_transition

from ..models import ProviderReport


def report_propose_forward(
    *, report: ProviderReport, recipient_ids: list[int], actor: Any, reason: str = ""
) -> Approval:
    """Propose forwarding to Europol and/or authorities of the candidate countries."""
    return case_transition(  # type: ignore[return-value]
        case=report,
        transition="forward",
        actor=actor,
        reason=reason,
        data={"recipients": list(recipient_ids)},
    )


def report_propose_unfounded(
    *, report: ProviderReport, reason_code: str, text: str, actor: Any
) -> Approval:
    """Propose "manifestly unfounded" with a reason code and a statement for the company."""
    return case_transition(  # type: ignore[return-value]
        case=report,
        transition="unfounded",
        actor=actor,
        reason=text,
        data={"reason_code": reason_code},
    )


def report_mark_duplicate(
    *, report: ProviderReport, duplicate_of: str, actor: Any, reason: str
) -> ProviderReport:
    """Mark ``report`` a duplicate of the report whose reference is ``duplicate_of``."""
    return case_transition(  # type: ignore[return-value]
        case=report,
        transition="mark_duplicate",
        actor=actor,
        reason=reason,
        data={"duplicate_of_reference": duplicate_of},
    )


def reports_assign(
    *, reports: list[ProviderReport], assignee: Any, actor: Any, note: str = ""
) -> int:
    """A supervisor (``reports_assign``) assigns reports to a caseworker, or unassigns them;
    the new assignee is notified, with the optional ``note``. Someone without the capability
    who assigns reports to themself takes them (``reports_take``)."""
    if (
        assignee is not None
        and getattr(actor, "pk", None) == assignee.pk
        and not has_capability(actor, "reports_assign")
    ):
        return reports_take(reports=reports, actor=actor)
    if assignee is not None and not has_capability(assignee, "reports_assess"):
        raise ValidationError({"assignee": _("Reports are assigned to caseworkers.")})
    return case_assign(
        cases=reports, assignee=assignee, actor=actor, capability="reports_assign", note=note
    )


def reports_take(*, reports: list[ProviderReport], actor: Any) -> int:
    """ "Assign to me": anyone who assesses reports takes those nobody has (in their scope).

    A report someone else has is refused (reassigning is a supervisor's), and so is anyone
    who does not assess reports (an auditor, the police); each refusal is audited.
    """
    return case_take(cases=reports, actor=actor, capability="reports_assess")
