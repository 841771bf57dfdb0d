"""Exports: every document and CSV that leaves the system is audited (PDFs with their SHA-256)."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.fields import decrypt_bytes, encrypt_bytes

from .models import DocumentExport
from .pdf import render_pdf

logger = logging.getLogger(__name__)


def document_export(
    *,
    actor: Any,
    template_name: str,
    context: dict[str, Any],
    target: models.Model | None,
    document: str,
) -> tuple[bytes, str]:
    """Render a PDF and record its export; returns the bytes and their SHA-256."""
    pdf = render_pdf(template_name, context)
    digest = hashlib.sha256(pdf).hexdigest()
    audit_record(
        actor=actor,
        verb=verbs.EXPORT,
        target=target,
        data={"document": document, "format": "pdf", "sha256": digest, "bytes": len(pdf)},
    )
    return pdf, digest


def csv_export_record(*, actor: Any, what: str, filters: dict[str, Any], limit: int) -> None:
    audit_record(
        actor=actor,
        verb=verbs.EXPORT,
        data={"list": what, "format": "csv", "filters": filters, "limit": limit},
    )


# --- case files, rendered in the background ----------------------------------------------


def case_file_request(*, builder: str, target: models.Model, actor: Any) -> DocumentExport:
    """Ask for the PDF case file of ``target`` as ``actor``; it is rendered by a worker.

    ``builder`` is the dotted path of the export view class that declares the document. The
    caller has checked that ``actor`` may export ``target``; the worker checks again. Without
    a broker (tasks run in-process) the document is ready when this returns.
    """
    from .tasks import render_case_file

    export = DocumentExport.objects.create(
        requested_by=actor,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        builder=builder,
        title=str(target),
    )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        case_file_render(export_id=export.pk)
        export.refresh_from_db()
    else:
        transaction.on_commit(lambda: render_case_file.delay(str(export.pk)))
    return export


def case_file_render(*, export_id: Any) -> str:
    """Render a requested case file (the worker's task); returns the export's status.

    Long case files (reports carry up to 1,000 items) take WeasyPrint a minute and hundreds of
    megabytes: that work belongs to a worker process, not to a web request.
    """
    from securityunion.access.policy import has_capability, is_visible

    with transaction.atomic():
        export = (
            DocumentExport.objects.select_for_update()
            .select_related("requested_by", "content_type")
            .filter(pk=export_id, status=DocumentExport.Status.PENDING)
            .first()
        )
        if export is None:  # done already (a task delivered twice) or purged
            return "gone"
        user = export.requested_by
        target = export.content_type.model_class()._default_manager.filter(pk=export.object_id)
        obj = target.first()
        if obj is None or not has_capability(user, "export_pdf") or not is_visible(user, obj):
            export.status, export.error = DocumentExport.Status.FAILED, "not allowed"
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            return export.status
        builder = import_string(export.builder)()
        try:
            with transaction.atomic():  # a failed query leaves the export's row writable
                pdf, digest = document_export(
                    actor=user,
                    template_name=builder.pdf_template,
                    context={**builder.get_pdf_context(obj, user), "exported_by": user},
                    target=obj,
                    document=builder.pdf_template,
                )
        except Exception:
            logger.exception("case file %s failed", export.pk)
            export.status, export.error = DocumentExport.Status.FAILED, "rendering failed"
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            return export.status
        export.sealed_pdf = encrypt_bytes(pdf)
        export.sha256, export.size = digest, len(pdf)
        export.status, export.finished_at = DocumentExport.Status.READY, timezone.now()
        export.save(update_fields=["sealed_pdf", "sha256", "size", "status", "finished_at"])
        return export.status


def case_file_wait(export: DocumentExport, seconds: float) -> DocumentExport:
    """The export once it is no longer pending, or as it is after ``seconds``."""
    deadline = time.monotonic() + seconds
    while export.status == DocumentExport.Status.PENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        export.refresh_from_db(fields=["status", "sha256", "size", "error", "finished_at"])
    return export


def case_file_pdf(export: DocumentExport) -> bytes:
    """The decrypted document of a ready export."""
    return decrypt_bytes(bytes(export.sealed_pdf))


def exports_of(user: Any) -> models.QuerySet[DocumentExport]:
    """The exports a user may see: their own, nobody else's."""
    return DocumentExport.objects.filter(requested_by=user).defer("sealed_pdf")


def case_files_purge(*, now: Any = None) -> int:
    """Delete exports older than ``CASE_FILE_KEEP_HOURS`` (a scheduled job); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.CASE_FILE_KEEP_HOURS)
    deleted, _by_model = DocumentExport.objects.filter(created_at__lt=cutoff).delete()
    return deleted
