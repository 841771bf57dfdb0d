"""What the decisions on a complaint check and do (held by ``COMPLAINT_WORKFLOW``).

The validator checks the statement of reasons a decision carries; ``case_transition`` runs it
when a caseworker proposes the decision and again when a supervisor approves it. The effect
runs inside the approval's transaction: for an upheld complaint it sends the reinstatement
notice, the corrections and quarantines the indicators in that same transaction, so either all
of it happens or none of it.

The models are imported inside the functions: ``complaints.py`` imports this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.casework.workflow import Validator

if TYPE_CHECKING:
    from .complaints import Complaint

MAX_FACTS = 5000
MAX_REDRESS = 2000

# The grounds that fit each decision.
GROUNDS = {
    "uphold": ("not_csam", "indicator_error", "assessment_error"),
    "reject": ("confirmed", "not_concerned"),
    "inadmissible": ("incomplete", "out_of_time", "abusive"),
}


def statement_of_reasons_validator(decision: str) -> Validator:
    """The validator of the decision ``decision`` (a transition name of ``GROUNDS``)."""
    if decision not in GROUNDS:
        raise ValueError(f"Unknown complaint decision {decision!r}")

    def valid_statement_of_reasons(
        *, case: Complaint, actor: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
        return _statement_of_reasons(decision, case=case, data=data)

    return valid_statement_of_reasons


def _statement_of_reasons(decision: str, *, case: Complaint, data: dict[str, Any]) -> dict:
    """A structured statement of reasons: a ground fitting the decision, the facts, whether
    automated detection was involved, and the redress still available. An upheld complaint
    must concern at least one report (checked again at approval: a reviewer may have unlinked
    it meanwhile)."""
    errors: dict[str, str] = {}
    ground = data.get("ground")
    if not isinstance(ground, str) or ground not in GROUNDS[decision]:
        errors["ground"] = _("Choose a ground that fits the decision.")
    facts = data.get("facts")
    facts = facts.strip() if isinstance(facts, str) else ""
    if not facts:
        errors["facts"] = _("State the facts and reasons.")
    elif len(facts) > MAX_FACTS:
        errors["facts"] = _("The facts and reasons are longer than %d characters.") % MAX_FACTS
    automated = data.get("automated_detection")
    if not isinstance(automated, bool):
        errors["automated_detection"] = _("Say whether automated detection was involved.")
    redress = data.get("redress")
    redress = redress.strip() if isinstance(redress, str) else ""
    if not redress:
        errors["redress"] = _("Say what redress is still available.")
    elif len(redress) > MAX_REDRESS:
        errors["redress"] = _("The redress text is longer than %d characters.") % MAX_REDRESS
    if decision == "uphold" and not case.matches.exists():
        errors["matches"] = _("An upheld complaint must concern at least one report.")
    if errors:
        raise ValidationError(errors)
    return {
        "decision": decision,
        "ground": ground,
        "facts": facts,
        "automated_detection": automated,
        "redress": redress,
    }


def complaint_decided(
    *, case: Complaint, actor: Any, data: dict, reason: str, previous: str
) -> None:
    """Record the decision and its statement of reasons; for an upheld complaint, its effects."""
    case.decision = case.status
    case.ground = data["ground"]
    case.facts = data["facts"]
    case.automated_detection = data["automated_detection"]
    case.redress = data["redress"]
    case.decided_at = timezone.now()
    case.due_at = None
    case.save(
        update_fields=[
            "decision",
            "ground",
            "facts",
            "automated_detection",
            "redress",
            "decided_at",
            "due_at",
        ]
    )
    if case.status == "upheld":
        # Deferred import: the services import the models, which import this module.
        from .services.complaints import complaint_upheld_effects

        complaint_upheld_effects(complaint=case, actor=actor)


def decision_summary(*, case: Complaint, data: dict[str, Any], reason: str) -> list:
    """What the proposed decision says and, for an upheld complaint, what approving it does:
    computed from the proposal's data and the current matches, as the effect will find them."""
    from securityunion.casework.workflow import SummaryItem

    from .complaints import Complaint
    from .models import Forwarding, Indicator

    ground = data.get("ground", "")
    items = [
        SummaryItem(_("Ground"), str(Complaint.Ground(ground).label) if ground else ""),
        SummaryItem(_("Facts and reasons"), data.get("facts", ""), quote=True),
        SummaryItem(
            _("Automated detection involved"),
            _("yes") if data.get("automated_detection") else _("no"),
        ),
        SummaryItem(_("Redress still available"), data.get("redress", ""), quote=True),
    ]
    if data.get("decision") != "uphold":
        return items
    from .services.complaints import complaint_indicator_ids

    matches = list(case.matches.select_related("report", "item"))
    recipients = (
        Forwarding.objects.filter(report_id__in=[m.report_id for m in matches])
        .select_related("recipient", "report")
        .order_by("report_id", "recipient_id")
    )
    indicators = Indicator.objects.filter(pk__in=complaint_indicator_ids(matches)).order_by("pk")
    items += [
        SummaryItem(_("Reinstatement notice to"), str(case.provider)),
        SummaryItem(
            _("Corrections to"),
            values=tuple(f"{f.recipient} ({f.report.reference})" for f in recipients),
        ),
        SummaryItem(
            _("Indicators disputed (quarantined if active)"),
            values=tuple(
                f"{i.get_algorithm_display()} #{i.pk} ({i.get_status_display()})"
                for i in indicators
            ),
        ),
    ]
    return items
