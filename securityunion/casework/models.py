from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import Workflow


def pending_approval_exists(model: type[models.Model]) -> models.Exists:
    """``Exists(...)`` of a pending four-eyes proposal on the outer row of ``model``: a filter or
    an annotation in the list's own query (``Approval.object_id`` holds the case's key as text).
    """
    return models.Exists(
        Approval.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=Cast(models.OuterRef("pk"), models.CharField(max_length=64)),
            status=Approval.Status.PENDING,
        )
    )


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        """Cases with work waiting: neither decided nor final (``Workflow.open_statuses``)."""
        return self.exclude(status__in=self.model.workflow.finished)

    def awaiting_approval(self) -> CaseQuerySet:
        """Cases with a four-eyes proposal waiting for its second person."""
        return self.filter(pending_approval_exists(self.model))

    def with_pending_approval(self) -> CaseQuerySet:
        """Each case annotated ``pending_approval`` (bool), in the same query."""
        return self.annotate(pending_approval=pending_approval_exists(self.model))

    def assigned_to(self, user) -> CaseQuerySet:  # noqa: ANN001
        return self.filter(assignee=user)

    def overdue(self) -> CaseQuerySet:
        return self.open().filter(due_at__lt=timezone.now())


class CaseBase(models.Model):
    """What every case type shares: reference, status, country, assignee, target time, version.

    Subclasses set ``REFERENCE_PREFIX`` and ``workflow`` and add their own fields. Writes go
    through services; ``version`` guards edits against silent overwrites.
    """

    REFERENCE_PREFIX: ClassVar[str]
    workflow: ClassVar[Workflow]

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=32, db_index=True)
    country = models.ForeignKey(
        "accounts.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.due_at and self.due_at < timezone.now() and self.workflow.is_open(self.status)
        )


class Approval(models.Model):
    """A four-eyes proposal: one person proposes a transition, another decides it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="approval_case_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status="pending"),
                name="approval_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("proposed_by")),
                name="approval_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transition} ({self.get_status_display()})"

    @property
    def transition_label(self) -> str:
        """What the proposal is called ("Forwarding"), from its case's workflow (no query:
        content types are cached)."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        workflow = getattr(model, "workflow", None)
        if workflow is None:
            return self.transition
        try:
            return workflow.get(self.transition).noun_label
        except Exception:  # noqa: BLE001 - a transition since renamed: its stored name
            return self.transition


class ReferenceCounter(models.Model):
    """Reference counters for databases without sequences (the SQLite quick start)."""

    prefix = models.CharField(max_length=5, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.value}"


class NoticeQuerySet(models.QuerySet):
    def released(self) -> NoticeQuerySet:
        """Notices the recipient may see now (a legal hold defers them)."""
        return self.filter(visible_from__lte=timezone.now())


class Notice(models.Model):
    """What the centre sends a company: one inbox, read, answered and confirmed through the API.

    The kinds of notice are not named here: each area registers its own from its ``apps.py``
    (``registry.register_notice_type``: information requests and outcomes about reports,
    reinstatement notices, removal notices about victim cases...). A legal hold defers a
    notice by setting ``visible_from``.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ANSWERED = "answered", _("Answered")
        CONFIRMED = "confirmed", _("Carried out")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="notices"
    )
    type = models.CharField(_("type"), max_length=32, help_text=_("A registered notice type."))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    visible_from = models.DateTimeField(_("visible from"), default=timezone.now)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    subject_reference = models.CharField(_("reference"), max_length=32)
    items = models.JSONField(_("items concerned"), default=list, blank=True)
    text = models.TextField(_("text"))
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    response_text = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(
        _("carried out at"),
        null=True,
        blank=True,
        help_text=_("When the company says it carried out the removal or reinstatement."),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["organisation", "visible_from", "id"], name="notice_inbox_idx"),
            models.Index(fields=["content_type", "object_id"], name="notice_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True)
                | models.Q(done_at__gte=models.F("created_at"), confirmed_at__isnull=False),
                name="notice_done_after_notice_and_confirmed",
            ),
        ]

    def __str__(self) -> str:
        from .registry import notice_types

        kind = notice_types.get(self.type)
        return f"{kind.label if kind else self.type} {self.subject_reference}"


class ScheduledJob(models.Model):
    """The last run of one registered periodic job (``casework.jobs``), shared by every process.

    A process claims a due job by moving ``last_started_at`` forward under a row lock, so the
    job runs once per interval however many schedulers, workers or ``run_jobs`` loops there are.
    """

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SavedFilter(models.Model):
    """A list view a user named and kept: the list (its URL name) and its query string.

    Only the query string is kept, never a result: applying it is following a link to the list,
    whose filters validate it again and whose scope decides the rows as on any other visit.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    list_name = models.CharField(_("list"), max_length=100)
    label = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("query string"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_name", "label"], name="savedfilter_unique_label_per_list"
            )
        ]

    def __str__(self) -> str:
        return self.label
