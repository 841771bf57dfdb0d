"""The victim case's statuses and transitions, declared once as data.

opened -> verified -> active <-> paused -> closed; withdrawn from any state that is not final.
Withdrawing consent is a transition with a reason: its effect clears what the case holds about
the person (``effects.consent_withdrawn``). Later slices add to that effect (stopping notices,
deleting the victim's hashes) without changing the workflow.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from securityunion.casework.workflow import Transition, Workflow

from .effects import consent_withdrawn

CASEWORK = "victims_casework"


class Status(models.TextChoices):
    OPENED = "opened", _("Opened")
    VERIFIED = "verified", _("Verified")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Consent withdrawn")


FINAL = (Status.CLOSED, Status.WITHDRAWN)
NOT_FINAL = (Status.OPENED, Status.VERIFIED, Status.ACTIVE, Status.PAUSED)

WORKFLOW = Workflow(
    initial=Status.OPENED,
    final=FINAL,
    create_capability=CASEWORK,
    edit_capability=CASEWORK,
    created_label=_("Case opened"),
    transitions=[
        Transition(
            "verify",
            _("Identity and consent verified"),
            (Status.OPENED,),
            Status.VERIFIED,
            CASEWORK,
            style="primary",
            done_label=_("Identity and consent verified"),
        ),
        Transition(
            "activate",
            _("Start work"),
            (Status.VERIFIED,),
            Status.ACTIVE,
            CASEWORK,
            done_label=_("Work started"),
        ),
        Transition(
            "pause",
            _("Pause"),
            (Status.ACTIVE,),
            Status.PAUSED,
            CASEWORK,
            reason_required=True,
            done_label=_("Paused"),
        ),
        Transition(
            "resume",
            _("Resume"),
            (Status.PAUSED,),
            Status.ACTIVE,
            CASEWORK,
            done_label=_("Resumed"),
        ),
        Transition(
            "close",
            _("Close"),
            (Status.ACTIVE, Status.PAUSED),
            Status.CLOSED,
            CASEWORK,
            reason_required=True,
            done_label=_("Closed"),
        ),
        Transition(
            "withdraw",
            _("Consent withdrawn"),
            NOT_FINAL,
            Status.WITHDRAWN,
            CASEWORK,
            reason_required=True,
            style="danger",
            effect=consent_withdrawn,
            done_label=_("Consent withdrawn: the person's data erased"),
        ),
    ],
)
