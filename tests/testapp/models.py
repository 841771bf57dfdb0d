from django.core.exceptions import ValidationError
from django.db import models

from securityunion.casework.fields import EncryptedJSONField, EncryptedTextField
from securityunion.casework.models import CaseBase
from securityunion.casework.workflow import Transition, Workflow

REJECTION_CODES = ("incomplete", "out_of_scope")


def valid_rejection(*, case, actor, data):  # noqa: ANN001, ANN201
    """A rejection names a known code, and only a case with a title can be rejected."""
    if data.get("code") not in REJECTION_CODES:
        raise ValidationError({"code": "Choose a rejection code."})
    if not case.title:
        raise ValidationError({"title": "A case without a title cannot be rejected."})
    return {"code": data["code"]}


class SampleCase(CaseBase):
    REFERENCE_PREFIX = "TST"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        VALIDATED = "validated", "Validated"
        CLOSED = "closed", "Closed"

    workflow = Workflow(
        initial=Status.DRAFT,
        final=(Status.CLOSED,),
        create_capability="firearms_edit",
        edit_capability="firearms_edit",
        transitions=[
            Transition("submit", "Submit", (Status.DRAFT,), Status.SUBMITTED, "firearms_edit"),
            Transition(
                "validate",
                "Validate",
                (Status.SUBMITTED,),
                Status.VALIDATED,
                "firearms_edit",
                four_eyes=True,
                approve_capability="firearms_submit_return",
            ),
            Transition(
                "reject",
                "Reject",
                (Status.SUBMITTED,),
                Status.CLOSED,
                "firearms_edit",
                four_eyes=True,
                approve_capability="firearms_submit_return",
                validator=valid_rejection,
                manual=False,
            ),
            Transition(
                "close",
                "Close",
                (Status.SUBMITTED, Status.VALIDATED),
                Status.CLOSED,
                "firearms_edit",
                reason_required=True,
            ),
        ],
    )

    title = models.CharField(max_length=100, default="")
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFT)

    def get_absolute_url(self) -> str:
        return f"/testapp/{self.reference}/"


class SealedNote(models.Model):
    """Encrypted columns, for the key ring's tests (rotation, swaps, re-encryption)."""

    body = EncryptedTextField(blank=True, default="")
    details = EncryptedJSONField(blank=True, default=dict)
    other = EncryptedTextField(blank=True, default="")

    def __str__(self) -> str:
        return f"note {self.pk}"
