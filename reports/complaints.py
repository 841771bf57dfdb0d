"""Complaints about removed or reported content (DSA Article 20 style redress).

Anyone may complain through the public form, without an account: the content's owner, the
company, or a representative. A complaint gets a reference and a secret status code (only a
keyed, slow hash of the code is stored). On arrival it is matched to the reported items of the
same company (by the company's item id or the content URL), and so to their reports, the
forwardings of those reports and the indicators that caused a match.

Workflow (``COMPLAINT_WORKFLOW``): received -> under_review -> (awaiting_party <->
under_review) -> upheld | rejected | inadmissible -> closed. A caseworker proposes the decision
with a statement of reasons; a supervisor other than the proposer decides (four eyes). An upheld
complaint sends a reinstatement notice to the company and a correction to every law-enforcement
recipient of the matched reports, and quarantines the indicators behind the match.

The contact address and the free text are personal data: encrypted at rest, never audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securityunion.casework.fields import EncryptedTextField
from securityunion.casework.models import CaseBase
from securityunion.casework.workflow import Transition, Workflow

from . import complaint_effects as effects


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    AWAITING_PARTY = "awaiting_party", _("Awaiting the complainant")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
    INADMISSIBLE = "inadmissible", _("Inadmissible")
    CLOSED = "closed", _("Closed")


C = ComplaintStatus
COMPLAINT_DECIDED = (C.UPHELD, C.REJECTED, C.INADMISSIBLE)


def _decision(name: str, label: str, sources: tuple[str, ...], target: str) -> Transition:
    return Transition(
        name,
        label,
        sources,
        target,
        "complaints_review",
        four_eyes=True,
        approve_capability="complaints_decide",
        effect=effects.complaint_decided,
        validator=effects.statement_of_reasons_validator(name),
        summary=effects.decision_summary,
        manual=False,
    )


COMPLAINT_WORKFLOW = Workflow(
    initial=C.RECEIVED,
    final=(C.CLOSED,),
    create_capability="complaints_review",
    transitions=[
        Transition(
            "start_review",
            _("Start review"),
            (C.RECEIVED,),
            C.UNDER_REVIEW,
            "complaints_review",
            style="primary",
        ),
        Transition(
            "await_party",
            _("Ask the complainant or the company"),
            (C.UNDER_REVIEW,),
            C.AWAITING_PARTY,
            "complaints_review",
            reason_required=True,
        ),
        Transition(
            "resume_review",
            _("Resume review"),
            (C.AWAITING_PARTY,),
            C.UNDER_REVIEW,
            "complaints_review",
        ),
        _decision("uphold", _("Uphold"), (C.UNDER_REVIEW,), C.UPHELD),
        _decision("reject", _("Reject"), (C.UNDER_REVIEW,), C.REJECTED),
        _decision("inadmissible", _("Inadmissible"), (C.RECEIVED, C.UNDER_REVIEW), C.INADMISSIBLE),
        Transition("close", _("Close"), COMPLAINT_DECIDED, C.CLOSED, "complaints_review"),
    ],
)

# The decision transitions, by the decision they record.
DECISION_TRANSITIONS = {C.UPHELD: "uphold", C.REJECTED: "reject", C.INADMISSIBLE: "inadmissible"}


class Complaint(CaseBase):
    REFERENCE_PREFIX = "CMP"
    workflow = COMPLAINT_WORKFLOW
    Status = ComplaintStatus

    class Complainant(models.TextChoices):
        CONTENT_OWNER = "content_owner", _("The person whose content was removed or reported")
        COMPANY = "company", _("The company")
        REPRESENTATIVE = "representative", _("Someone acting for that person")

    class Ground(models.TextChoices):
        NOT_CSAM = "not_csam", _("The content is not child sexual abuse material")
        INDICATOR_ERROR = "indicator_error", _("An indicator matched content it should not have")
        ASSESSMENT_ERROR = "assessment_error", _("The centre's assessment was wrong")
        CONFIRMED = "confirmed", _("The content is child sexual abuse material")
        NOT_CONCERNED = "not_concerned", _("The centre did not act on this content")
        INCOMPLETE = "incomplete", _("The complaint does not identify the content")
        OUT_OF_TIME = "out_of_time", _("The complaint came after the time limit")
        ABUSIVE = "abusive", _("The complaint is abusive or manifestly unfounded")

    status = models.CharField(
        _("status"),
        max_length=32,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        db_index=True,
    )
    complainant = models.CharField(_("complainant"), max_length=16, choices=Complainant.choices)
    provider = models.ForeignKey(
        "reports.Provider",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    service = models.CharField(_("service"), max_length=200, blank=True)
    content_url = EncryptedTextField(_("content URL"), blank=True)
    content_url_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    item_id = models.CharField(_("company's item id"), max_length=200, blank=True)
    removed_on = models.DateField(_("date of removal"), null=True, blank=True)
    description = EncryptedTextField(_("what happened"))
    contact_email = EncryptedTextField(_("contact e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    code_hash = models.CharField(max_length=256, editable=False)
    decision = models.CharField(
        _("decision"), max_length=16, choices=ComplaintStatus.choices, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ground = models.CharField(_("ground"), max_length=32, choices=Ground.choices, blank=True)
    facts = models.TextField(_("facts and reasons"), blank=True)
    automated_detection = models.BooleanField(_("automated detection involved"), null=True)
    redress = models.TextField(_("redress still available"), blank=True)
    # When the retention rule erased the complainant's text, address and URL.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(CaseBase.Meta):
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(content_url_sha256="", item_id=""),
                name="complaint_names_the_content",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="")
                | (~models.Q(ground="") & ~models.Q(facts="") & models.Q(decided_at__isnull=False)),
                name="complaint_decision_has_reasons",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at", "id"], name="complaint_queue_idx"),
            models.Index(fields=["provider", "item_id"], name="complaint_item_idx"),
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:complaint_detail", kwargs={"reference": self.reference})

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class ComplaintMatch(models.Model):
    """A report the complaint concerns: found on arrival (by item id or URL) or linked by a
    reviewer. ``item`` is the reported item that matched (none for a reviewer's link: then
    every item of the report counts)."""

    class Via(models.TextChoices):
        ITEM_ID = "item_id", _("company's item id")
        URL = "url", _("content URL")
        REVIEWER = "reviewer", _("linked by a reviewer")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="matches")
    # A report deleted by its retention rule takes its matches with it.
    report = models.ForeignKey(
        "reports.ProviderReport", on_delete=models.CASCADE, related_name="complaint_matches"
    )
    item = models.ForeignKey(
        "reports.ReportedItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="complaint_matches",
    )
    via = models.CharField(max_length=16, choices=Via.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "report"], name="complaint_match_unique_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} ~ {self.report_id}"
