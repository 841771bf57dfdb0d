"""Provider reports of child sexual abuse material and solicitation, and the indicator lists.

No media, ever: a reported item is known only by its hashes, its URL and the company's item id.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securityunion.casework.fields import EncryptedJSONField
from securityunion.casework.indexes import EqualityIndex
from securityunion.casework.models import CaseBase

from .conf import app_settings
from .workflow import INDICATOR_WORKFLOW, REPORT_WORKFLOW, IndicatorStatus, ReportStatus


class Provider(models.Model):
    """An online company that reports to the centre (its organisation is of type company)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="provider"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name


class AbuseType(models.TextChoices):
    CSAM = "csam", _("Child sexual abuse material")
    SOLICITATION = "solicitation", _("Solicitation of children")


class ProviderReport(CaseBase):
    REFERENCE_PREFIX = "RPT"
    # The queue "see all" links lead to (its filters include ``awaiting_approval=1``).
    QUEUE_URL_NAME = "reports:index"
    workflow = REPORT_WORKFLOW
    Status = ReportStatus

    class UnfoundedReason(models.TextChoices):
        NOT_CSAM = "not_csam", _("The material is not child sexual abuse material")
        ADULT = "adult", _("The person depicted is an adult")
        NO_SOLICITATION = "no_solicitation", _("The exchange is not solicitation of a child")
        INSUFFICIENT = "insufficient", _("The report holds too little to act on")
        OUT_OF_SCOPE = "out_of_scope", _("Outside the centre's remit")

    status = models.CharField(
        _("status"),
        max_length=32,
        choices=ReportStatus.choices,
        default=ReportStatus.RECEIVED,
        db_index=True,
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="reports")
    provider_reference = models.CharField(_("company's reference"), max_length=200)
    body_sha256 = models.CharField(max_length=64, help_text="Of the canonical request body.")
    abuse_type = models.CharField(_("abuse type"), max_length=16, choices=AbuseType.choices)
    incident_at = models.DateTimeField(_("incident time"), null=True, blank=True)
    service = models.CharField(_("service"), max_length=200, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    urgency_reason = models.TextField(_("urgency reason"), blank=True)
    candidate_countries = models.ManyToManyField(
        "accounts.Country", verbose_name=_("candidate countries"), blank=True, related_name="+"
    )
    reported_user = EncryptedJSONField(_("reported user"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    has_known_items = models.BooleanField(_("known material"), default=False)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    unfounded_reason = models.CharField(
        _("reason code"), max_length=32, choices=UnfoundedReason.choices, blank=True
    )
    outcome_text = models.TextField(_("statement of reasons"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(CaseBase.Meta):
        verbose_name = _("provider report")
        verbose_name_plural = _("provider reports")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"], name="report_unique_provider_reference"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="manifestly_unfounded") | ~models.Q(unfounded_reason=""),
                name="report_unfounded_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["-urgent", "created_at", "id"], name="report_queue_idx"),
            models.Index(
                fields=["status", "-urgent", "created_at", "id"], name="report_status_queue_idx"
            ),
            models.Index(fields=["provider", "id"], name="report_provider_idx"),
            models.Index(fields=["assignee", "status"], name="report_assignee_idx"),
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:detail", kwargs={"reference": self.reference})

    @property
    def target_hours(self) -> int:
        return (
            app_settings.REPORT_TARGET_HOURS_URGENT
            if self.urgent
            else app_settings.REPORT_TARGET_HOURS
        )


class ReportedItem(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")
        URL = "url", _("URL")
        TEXT = "text", _("Text")
        ACCOUNT = "account", _("Account")

    report = models.ForeignKey(ProviderReport, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    md5 = models.CharField(max_length=32, blank=True, db_index=True)
    sha1 = models.CharField(max_length=40, blank=True, db_index=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    pdq = models.CharField(max_length=64, blank=True, db_index=True)
    photodna = models.CharField(max_length=400, blank=True)
    photodna_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    url = models.TextField(_("URL"), blank=True)
    url_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    provider_item_id = models.CharField(_("company's item id"), max_length=200, blank=True)
    publicly_available = models.BooleanField(_("publicly available"), null=True)
    removed_by_provider = models.BooleanField(_("removed by the company"), null=True)
    known = models.BooleanField(_("known material"), default=False)

    class Meta:
        ordering = ["report", "position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.provider_item_id or self.pk}"

    def hashes(self) -> dict[str, str]:
        return {
            name: value
            for name in ("md5", "sha1", "sha256", "pdq", "photodna")
            if (value := getattr(self, name))
        }


class Indicator(models.Model):
    """A hash or URL from a verified list; an active one marks matching items as known.

    Its status follows ``INDICATOR_WORKFLOW`` through the shared ``case_transition`` (hence
    ``version``, the optimistic lock every workflow model carries).
    """

    workflow = INDICATOR_WORKFLOW
    Status = IndicatorStatus

    class Algorithm(models.TextChoices):
        MD5 = "md5", "MD5"
        SHA1 = "sha1", "SHA-1"
        SHA256 = "sha256", "SHA-256"
        PDQ = "pdq", "PDQ"
        PHOTODNA = "photodna", "PhotoDNA"
        URL = "url", "URL"

    algorithm = models.CharField(_("algorithm"), max_length=8, choices=Algorithm.choices)
    value = models.TextField(_("value"))
    lookup = models.CharField(
        max_length=64, help_text="The value itself for short hashes, else its SHA-256."
    )
    category = models.CharField(_("category"), max_length=64)
    source = models.CharField(_("source list"), max_length=100)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IndicatorStatus.choices,
        default=IndicatorStatus.PROPOSED,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    confirmed_matches = models.PositiveIntegerField(_("confirmed matches"), default=0)
    disputed_matches = models.PositiveIntegerField(_("disputed matches"), default=0)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm", "lookup", "source"], name="indicator_unique_per_source"
            ),
        ]
        indexes = [
            # Matching at intake and the list's search by value: equality only.
            EqualityIndex(fields=["lookup"], name="indicator_lookup_eq_idx"),
            models.Index(fields=["status", "id"], name="indicator_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_algorithm_display()} {self.value[:16]}…"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:indicator_detail", kwargs={"pk": self.pk})


class PdqIndexVersion(models.Model):
    """One row whose token changes with the set of active PDQ indicators.

    Each process keeps the active PDQ hashes in an in-memory index (``reports.pdq_index``) and
    rebuilds it when this token differs from the one its index was built at.
    """

    token = models.CharField(max_length=32, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"PDQ indicators {self.token or '-'} ({self.changed_at:%Y-%m-%d %H:%M})"


class IndicatorMatch(models.Model):
    item = models.ForeignKey(ReportedItem, on_delete=models.CASCADE, related_name="matches")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="matches")
    algorithm = models.CharField(max_length=8)
    distance = models.PositiveSmallIntegerField(default=0)
    matched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "indicator"], name="match_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} ~ {self.indicator_id}"


class Forwarding(models.Model):
    """A report sent to a law-enforcement recipient (Europol or a national authority)."""

    report = models.ForeignKey(ProviderReport, on_delete=models.CASCADE, related_name="forwardings")
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="forwardings"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient"], name="forwarding_unique"),
        ]
        indexes = [
            models.Index(fields=["recipient", "report"], name="forwarding_recipient_idx"),
            # Law enforcement's own list: its forwardings, newest first.
            models.Index(fields=["recipient", "-sent_at"], name="forwarding_recipient_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.recipient}"


class LegalHold(models.Model):
    """Law enforcement's instruction not to notify the company or the user, for a while."""

    report = models.ForeignKey(ProviderReport, on_delete=models.CASCADE, related_name="holds")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    placed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    lifted_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # A reminder that could not be sent is recorded here and tried again at the next run.
    reminder_failed_at = models.DateTimeField(null=True, blank=True)
    reminder_error = models.CharField(max_length=500, blank=True)
    reminder_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("placed_at")),
                name="hold_expires_after_placing",
            ),
        ]

    def __str__(self) -> str:
        return f"hold on {self.report} until {self.expires_at:%Y-%m-%d}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None and self.expires_at > timezone.now()


class IndicatorImport(models.Model):
    """One uploaded indicator list, imported by a worker: who asked, what came of it.

    The file's text is stored encrypted (the field-encryption key ring, bound to this import's
    id) only until the import ran; then it is deleted. ``queued`` -> ``running`` (claimed by a
    worker) -> ``done`` or ``failed`` (row errors, refused, timed out). Row errors are kept
    (the first ``MAX_ERRORS``) to show the same report as the upload page did.
    """

    MAX_ERRORS = 1000

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="indicator_imports"
    )
    source = models.CharField(_("source list"), max_length=100)
    # The status the rows are imported as (active or proposed).
    import_as = models.CharField(max_length=16, choices=IndicatorStatus.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # ``[[line, message], ...]``: the row-by-row error report of a refused file.
    errors = models.JSONField(default=list, blank=True)
    # Why it failed apart from row errors: ``not allowed``, ``timed out``, ``import failed``.
    error = models.CharField(max_length=200, blank=True)
    sealed_text = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=("queued", "running"))
                | models.Q(sealed_text__isnull=True),
                name="indicator_import_finished_keeps_no_file",
            ),
            models.CheckConstraint(
                condition=models.Q(import_as__in=("active", "proposed")),
                name="indicator_import_as_active_or_proposed",
            ),
        ]

    def __str__(self) -> str:
        return f"indicator import {self.source} ({self.status})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:indicator_import_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class StatisticsPeriod(models.Model):
    """A period whose transparency statistics someone exported (``2026-11``, ``2026-Q4``,
    ``2026``): what a statistics PDF is a document *of*, so that it is rendered, sealed and
    audited by the same background exports as the case files. Holds no figures: they are
    computed from the event log each time, and a past period gives the same answer."""

    key = models.CharField(_("period"), max_length=8, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-key"]
        verbose_name = _("statistics period")
        verbose_name_plural = _("statistics periods")

    def __str__(self) -> str:
        return f"Transparency statistics {self.key}"


# Complaints live in their own module; imported here so that Django registers their models.
from .complaints import Complaint, ComplaintMatch  # noqa: E402, F401
