"""The report workflow, as data.

received -> in_assessment -> (awaiting_information <-> in_assessment)
         -> forwarded | manifestly_unfounded | duplicate -> closed

Forwarding and "manifestly unfounded" are proposed by a caseworker and take effect only when
a supervisor other than the proposer approves them (four eyes).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from securityunion.casework.workflow import Transition, Workflow


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_ASSESSMENT = "in_assessment", _("In assessment")
    AWAITING_INFORMATION = "awaiting_information", _("Awaiting information")
    FORWARDED = "forwarded", _("Forwarded")
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded", _("Manifestly unfounded")
    DUPLICATE = "duplicate", _("Duplicate")
    CLOSED = "closed", _("Closed")


DECIDED = (ReportStatus.FORWARDED, ReportStatus.MANIFESTLY_UNFOUNDED, ReportStatus.DUPLICATE)


def _effect(name: str):  # noqa: ANN202
    def run(**kwargs):  # noqa: ANN003, ANN202
        from . import effects

        return getattr(effects, name)(**kwargs)

    run.__name__ = name
    return run


S = ReportStatus

REPORT_WORKFLOW = Workflow(
    initial=S.RECEIVED,
    final=(S.CLOSED,),
    transitions=[
        Transition(
            "start_assessment",
            _("Start assessment"),
            (S.RECEIVED,),
            S.IN_ASSESSMENT,
            "reports_assess",
            style="primary",
        ),
        Transition(
            "request_information",
            _("Request information from the company"),
            (S.IN_ASSESSMENT,),
            S.AWAITING_INFORMATION,
            "reports_request_information",
            reason_required=True,
            effect=_effect("information_requested"),
        ),
        Transition(
            "resume_assessment",
            _("Resume assessment"),
            (S.AWAITING_INFORMATION,),
            S.IN_ASSESSMENT,
            ("reports_assess", "notices_receive"),
        ),
        Transition(
            "forward",
            _("Forward to law enforcement"),
            (S.IN_ASSESSMENT,),
            S.FORWARDED,
            "reports_assess",
            four_eyes=True,
            approve_capability="reports_approve",
            effect=_effect("forwarded"),
            manual=False,
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
            effect=_effect("found_unfounded"),
            manual=False,
        ),
        Transition(
            "mark_duplicate",
            _("Mark as duplicate"),
            (S.RECEIVED, S.IN_ASSESSMENT),
            S.DUPLICATE,
            "reports_assess",
            reason_required=True,
            effect=_effect("marked_duplicate"),
            manual=False,
        ),
        Transition("close", _("Close"), DECIDED, S.CLOSED, "reports_assess"),
    ],
)
