"""The workflows of the drugs area, as data: actions of the action plan and progress updates.

Actions: not_started -> in_progress <-> delayed -> completed; any open state -> discontinued
(with a justification); completed -> in_progress again only by a coordinator, with a reason.
Every status change of an action is the coordinators' (``drugs_manage``): reporters say how an
action is going through progress updates, they do not move it.

Progress updates: submitted -> accepted | returned (with comments); a returned update is
edited and submitted again (``resubmit``, taken only through ``progress_update_resubmit``,
which carries the edited text and checks the reporter's organisation).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from securityunion.casework.workflow import Transition, Workflow

from . import effects


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


A = ActionStatus

ACTION_WORKFLOW = Workflow(
    initial=A.NOT_STARTED,
    final=(A.DISCONTINUED,),
    create_capability="drugs_manage",
    edit_capability="drugs_manage",
    transitions=[
        Transition(
            "start", _("Start"), (A.NOT_STARTED,), A.IN_PROGRESS, "drugs_manage", style="primary"
        ),
        Transition(
            "delay",
            _("Mark as delayed"),
            (A.IN_PROGRESS,),
            A.DELAYED,
            "drugs_manage",
            reason_required=True,
        ),
        Transition("resume", _("Resume"), (A.DELAYED,), A.IN_PROGRESS, "drugs_manage"),
        Transition(
            "complete",
            _("Mark as completed"),
            (A.IN_PROGRESS, A.DELAYED),
            A.COMPLETED,
            "drugs_manage",
            style="primary",
        ),
        # A completed action is reopened only by a coordinator who says why (the plan's
        # monitoring counted it as done).
        Transition(
            "reopen",
            _("Reopen"),
            (A.COMPLETED,),
            A.IN_PROGRESS,
            "drugs_manage",
            reason_required=True,
        ),
        Transition(
            "discontinue",
            _("Discontinue"),
            (A.NOT_STARTED, A.IN_PROGRESS, A.DELAYED, A.COMPLETED),
            A.DISCONTINUED,
            "drugs_manage",
            reason_required=True,
        ),
    ],
)


class UpdateStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with comments")


U = UpdateStatus

UPDATE_WORKFLOW = Workflow(
    initial=U.SUBMITTED,
    final=(U.ACCEPTED,),
    transitions=[
        Transition(
            "accept",
            _("Accept"),
            (U.SUBMITTED,),
            U.ACCEPTED,
            "drugs_review_updates",
            style="primary",
            effect=effects.update_reviewed,
            manual=False,
        ),
        Transition(
            "return",
            _("Return with comments"),
            (U.SUBMITTED,),
            U.RETURNED,
            "drugs_review_updates",
            reason_required=True,
            effect=effects.update_reviewed,
            manual=False,
        ),
        Transition(
            "resubmit",
            _("Submit again"),
            (U.RETURNED,),
            U.SUBMITTED,
            "drugs_report_progress",
            manual=False,
        ),
    ],
)
