"""The workflows of the reports area, as data: provider reports and indicators.

Reports: received -> in_assessment -> (awaiting_information <-> in_assessment)
         -> forwarded | manifestly_unfounded | duplicate -> closed

Forwarding and "manifestly unfounded" are proposed by a caseworker and take effect only when
a supervisor other than the proposer approves them (four eyes). Forwarding, "manifestly
unfounded" and "duplicate" carry data (recipients, a reason code, the original): each
declares a validator that ``case_transition`` runs, also when the proposal is approved, and is
taken only through its service in ``reports.services.assessment``.

Indicators: proposed -> verified -> active <-> quarantined, and any of them -> retired; every
change of an indicator's status says why (it changes what future reports match).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from securityunion.casework.workflow import Transition, Workflow

from . import effects


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_ASSESSMENT = "in_assessment", _("In assessment")
    AWAITING_INFORMATION = "awaiting_information", _("Awaiting information")
    FORWARDED = "forwarded", _("Forwarded")
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded", _("Manifestly unfounded")
    DUPLICATE = "duplicate", _("Duplicate")
    CLOSED = "closed", _("Closed")


DECIDED = (ReportStatus.FORWARDED, ReportStatus.MANIFESTLY_UNFOUNDED, ReportStatus.DUPLICATE)

S = ReportStatus

REPORT_WORKFLOW = Workflow(
    initial=S.RECEIVED,
    final=(S.CLOSED,),
    decided=DECIDED,
    create_capability="reports_submit",
    created_label=_("Report received from the company"),
    transitions=[
        Transition(
            "start_assessment",
            _("Start assessment"),
            (S.RECEIVED,),
            S.IN_ASSESSMENT,
            "reports_assess",
            style="primary",
            effect=effects.assessment_started,
            done_label=_("Assessment started"),
        ),
        Transition(
            "request_information",
            _("Request information from the company"),
            (S.IN_ASSESSMENT,),
            S.AWAITING_INFORMATION,
            "reports_request_information",
            reason_required=True,
            effect=effects.information_requested,
            done_label=_("Information requested from the company"),
        ),
        Transition(
            "resume_assessment",
            _("Resume assessment"),
            (S.AWAITING_INFORMATION,),
            S.IN_ASSESSMENT,
            ("reports_assess", "notices_receive"),
            done_label=_("Assessment resumed"),
        ),
        Transition(
            "forward",
            _("Forward to law enforcement"),
            (S.IN_ASSESSMENT,),
            S.FORWARDED,
            "reports_assess",
            four_eyes=True,
            approve_capability="reports_approve",
            effect=effects.forwarded,
            validator=effects.valid_forwarding,
            summary=effects.forwarding_summary,
            manual=False,
            done_label=_("Forwarded"),
            noun=_("Forwarding"),
        ),
        Transition(
            "unfounded",
            _("Manifestly unfounded"),
            (S.IN_ASSESSMENT,),
            S.MANIFESTLY_UNFOUNDED,
            "reports_assess",
            reason_required=True,
            four_eyes=True,
            approve_capability="reports_approve",
            effect=effects.found_unfounded,
            validator=effects.valid_unfounded,
            summary=effects.unfounded_summary,
            manual=False,
            done_label=_("Found manifestly unfounded"),
            noun=_("“Manifestly unfounded”"),
        ),
        Transition(
            "mark_duplicate",
            _("Mark as duplicate"),
            (S.RECEIVED, S.IN_ASSESSMENT),
            S.DUPLICATE,
            "reports_assess",
            reason_required=True,
            effect=effects.marked_duplicate,
            validator=effects.valid_duplicate,
            summary=effects.duplicate_summary,
            manual=False,
            done_label=_("Marked as duplicate"),
        ),
        Transition(
            "close", _("Close"), DECIDED, S.CLOSED, "reports_assess", done_label=_("Closed")
        ),
    ],
)


class IndicatorStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    VERIFIED = "verified", _("Verified")
    ACTIVE = "active", _("Active")
    QUARANTINED = "quarantined", _("Quarantined")
    RETIRED = "retired", _("Retired")


I = IndicatorStatus  # noqa: E741

INDICATOR_WORKFLOW = Workflow(
    initial=I.PROPOSED,
    final=(I.RETIRED,),
    transitions=[
        Transition(
            "verify",
            _("Verify"),
            (I.PROPOSED,),
            I.VERIFIED,
            "indicators_verify",
            style="primary",
            reason_required=True,
            effect=effects.indicator_status_changed,
            done_label=_("Verified"),
        ),
        Transition(
            "activate",
            _("Activate"),
            (I.VERIFIED,),
            I.ACTIVE,
            "indicators_verify",
            style="primary",
            reason_required=True,
            effect=effects.indicator_status_changed,
            done_label=_("Activated"),
        ),
        # A quarantined indicator was disputed (an unfounded report, an upheld complaint):
        # putting it back in use needs the reviewer's reason on record.
        Transition(
            "reactivate",
            _("Re-activate"),
            (I.QUARANTINED,),
            I.ACTIVE,
            "indicators_verify",
            reason_required=True,
            effect=effects.indicator_status_changed,
        ),
        Transition(
            "quarantine",
            _("Quarantine"),
            (I.ACTIVE,),
            I.QUARANTINED,
            "indicators_verify",
            reason_required=True,
            effect=effects.indicator_status_changed,
            done_label=_("Quarantined"),
        ),
        Transition(
            "retire",
            _("Retire"),
            (I.PROPOSED, I.VERIFIED, I.ACTIVE, I.QUARANTINED),
            I.RETIRED,
            "indicators_verify",
            reason_required=True,
            effect=effects.indicator_status_changed,
            done_label=_("Retired"),
        ),
    ],
)
