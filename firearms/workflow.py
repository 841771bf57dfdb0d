"""The seizure case's statuses and transitions (``securityunion.casework.workflow``).

A national focal point enters a case in ``draft`` and submits it; a Commission reviewer
validates it or returns it with comments (a reason is required); a returned case goes back to
``draft`` for correction. A validated case is closed by the reviewer.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from securityunion.casework.workflow import Transition, Workflow

EDIT = "firearms_edit"
REVIEW = "firearms_validate_return"


class SeizureStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    VALIDATED = "validated", _("Validated")
    CLOSED = "closed", _("Closed")


# Statuses in which the focal points of the case's country may change it and its items.
EDITABLE = (SeizureStatus.DRAFT, SeizureStatus.RETURNED)


class SubmitNeedsItems:
    """A case is submitted with at least one seized item (else there is nothing to validate)."""

    def __call__(
        self, *, case: Any, actor: Any, data: dict[str, Any], reason: str, previous: str
    ) -> None:
        if not case.items.exists():
            raise ValidationError(_("Add at least one seized item before submitting the case."))


class RecordReviewComments:
    """Keep the reviewer's comments on the case, shown to the focal point while they correct it."""

    def __call__(
        self, *, case: Any, actor: Any, data: dict[str, Any], reason: str, previous: str
    ) -> None:
        case.review_comments = reason
        case.save(update_fields=["review_comments"])


class ClearReviewComments:
    """A validated case no longer carries the comments of an earlier return."""

    def __call__(
        self, *, case: Any, actor: Any, data: dict[str, Any], reason: str, previous: str
    ) -> None:
        if case.review_comments:
            case.review_comments = ""
            case.save(update_fields=["review_comments"])


SEIZURE_WORKFLOW = Workflow(
    initial=SeizureStatus.DRAFT,
    final=(SeizureStatus.CLOSED,),
    create_capability=EDIT,
    edit_capability=EDIT,
    transitions=[
        Transition(
            "submit",
            _("Submit for validation"),
            (SeizureStatus.DRAFT,),
            SeizureStatus.SUBMITTED,
            EDIT,
            style="primary",
            effect=SubmitNeedsItems(),
        ),
        Transition(
            "validate",
            _("Validate"),
            (SeizureStatus.SUBMITTED,),
            SeizureStatus.VALIDATED,
            REVIEW,
            style="primary",
            effect=ClearReviewComments(),
        ),
        Transition(
            "return",
            _("Return with comments"),
            (SeizureStatus.SUBMITTED,),
            SeizureStatus.RETURNED,
            REVIEW,
            reason_required=True,
            effect=RecordReviewComments(),
        ),
        Transition(
            "reopen",
            _("Back to draft for correction"),
            (SeizureStatus.RETURNED,),
            SeizureStatus.DRAFT,
            EDIT,
        ),
        Transition(
            "close",
            _("Close"),
            (SeizureStatus.VALIDATED,),
            SeizureStatus.CLOSED,
            REVIEW,
        ),
    ],
)
