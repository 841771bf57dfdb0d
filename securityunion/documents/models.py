"""Case files rendered in the background, kept sealed until their requester fetches them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentExport(models.Model):
    """One requested PDF case file: who asked, for which record, and the document once made.

    The PDF is stored encrypted (the field-encryption key ring, bound to this export's id) and
    only for ``CASE_FILE_KEEP_HOURS``; a scheduled job deletes older exports and fails those a
    worker never finished. ``pending`` -> ``rendering`` (claimed by a worker) -> ``ready`` or
    ``failed``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        RENDERING = "rendering", _("Being rendered")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_exports"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    # The registry key of the document's builder (``securityunion.documents.registry``).
    builder = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sealed_pdf = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready")
                | (models.Q(sealed_pdf__isnull=False) & ~models.Q(sha256="")),
                name="document_export_ready_has_pdf",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
