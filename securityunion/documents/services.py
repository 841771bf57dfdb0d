"""Exports: every document and CSV that leaves the system is audited (PDFs with their SHA-256)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone

from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.lib.encryption import decrypt_bytes, encrypt_bytes
from securityunion.lib.timefmt import user_zone

from .models import DocumentExport
from .pdf import render_pdf
from .registry import PdfBuilder, pdf_builder

logger = logging.getLogger(__name__)


def document_export(
    *,
    actor: Any,
    template_name: str,
    context: dict[str, Any],
    target: models.Model | None,
    document: str,
) -> tuple[bytes, str]:
    """Render a PDF (in ``actor``'s time zone) and record its export; returns the bytes and
    their SHA-256."""
    with timezone.override(user_zone(actor)):
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
#
# A case file is claimed in one short transaction, rendered with no transaction open and
# stored in another short one. A render takes WeasyPrint a minute for a large report: inside a
# transaction it would hold the export's row lock and hold back audit sealing, whose watermark
# waits for the oldest open transaction.


class ExportUnavailable(Exception):
    """The export is not the actor's, not ready, gone, or its record is no longer theirs to see."""


def in_transaction() -> bool:
    """Whether a transaction is open on the default connection.

    The test suite's own wrapping transaction does not count (Django marks it), so tests that
    run inside one still exercise the same code path.
    """
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def dispatch_after_commit(dispatch: Any) -> None:
    """Run ``dispatch`` (queue a task) once the caller's transaction commits, or now without one.

    Like ``transaction.on_commit``, except that the test suite's wrapping transaction does not
    hold it back, so tests exercise the same path as production.
    """
    if in_transaction():
        transaction.on_commit(dispatch)
    else:
        dispatch()


def export_encryption_context(export_id: Any) -> str:
    """What a stored document is bound to: a sealed file copied to another row does not open."""
    return f"documents.documentexport.sealed_pdf:{export_id}"


def _may_export(user: Any, builder: PdfBuilder, obj: models.Model | None) -> bool:
    from securityunion.access.policy import has_capability, is_visible

    return (
        obj is not None
        and isinstance(obj, builder.model)
        and has_capability(user, builder.capability)
        and is_visible(user, obj)
    )


def _target_of(export: DocumentExport, builder: PdfBuilder) -> models.Model | None:
    if export.content_type.model_class() is not builder.model:
        return None
    return builder.model._default_manager.filter(pk=export.object_id).first()


def _dispatch(export_id: Any) -> None:
    from .tasks import render_case_file

    if settings.CELERY_TASK_ALWAYS_EAGER:
        case_file_render(export_id=export_id)
    else:
        render_case_file.delay(str(export_id))


def case_file_request(*, builder: str, target: models.Model, actor: Any) -> DocumentExport:
    """Ask for the PDF case file of ``target`` as ``actor``; a worker renders it.

    ``builder`` is a registry key (``"<app>.case_file"``). The actor's right to export the
    record is checked here and again by the worker. The render is dispatched once the calling
    transaction (if any) commits; without a broker it runs in-process, so the document is ready
    when this returns.
    """
    document = pdf_builder(builder)
    if not _may_export(actor, document, target):
        raise PermissionDenied
    with transaction.atomic():
        export = DocumentExport.objects.create(
            requested_by=actor,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            builder=document.key,
            title=str(target)[:200],
        )
    dispatch_after_commit(lambda: _dispatch(export.pk))
    export.refresh_from_db()
    return export


@dataclass
class _Claim:
    export: DocumentExport
    builder: PdfBuilder
    target: models.Model
    user: Any


def _finish_failed(export: DocumentExport, error: str) -> None:
    export.status, export.error = DocumentExport.Status.FAILED, error
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])


def _case_file_claim(export_id: Any) -> _Claim | str:
    """Take a pending export for rendering (one short transaction); a status when there is none."""
    with transaction.atomic():
        export = (
            DocumentExport.objects.select_for_update()
            .select_related("requested_by", "content_type")
            .filter(pk=export_id, status=DocumentExport.Status.PENDING)
            .first()
        )
        if export is None:  # claimed already (a task delivered twice), timed out or purged
            return "gone"
        try:
            builder = pdf_builder(export.builder)
        except LookupError:
            _finish_failed(export, "unknown document")
            return export.status
        user = export.requested_by
        target = _target_of(export, builder)
        if not _may_export(user, builder, target):
            _finish_failed(export, "not allowed")
            audit_record(
                actor=user,
                verb=verbs.PERMISSION_DENIED,
                target=export,
                data={"document_export": str(export.pk), "document": builder.key},
            )
            return export.status
        export.status = DocumentExport.Status.RENDERING
        export.save(update_fields=["status"])
    return _Claim(export, builder, target, user)


def _case_file_store(claim: _Claim, pdf: bytes) -> str:
    """Keep the rendered file, sealed, and record its export (one short transaction)."""
    export = claim.export
    digest = hashlib.sha256(pdf).hexdigest()
    sealed = encrypt_bytes(pdf, context=export_encryption_context(export.pk))
    with transaction.atomic():
        stored = DocumentExport.objects.filter(
            pk=export.pk, status=DocumentExport.Status.RENDERING
        ).update(
            sealed_pdf=sealed,
            sha256=digest,
            size=len(pdf),
            status=DocumentExport.Status.READY,
            finished_at=timezone.now(),
        )
        if not stored:  # timed out or purged while it rendered: nothing leaves the system
            return "gone"
        audit_record(
            actor=claim.user,
            verb=verbs.EXPORT,
            target=claim.target,
            data={
                "document": claim.builder.key,
                "format": "pdf",
                "sha256": digest,
                "bytes": len(pdf),
                "document_export": str(export.pk),
            },
        )
    return DocumentExport.Status.READY


def case_file_render(*, export_id: Any) -> str:
    """Render a requested case file (the worker's task); returns the export's status.

    Must be called with no transaction open: claim, render and store each manage their own.
    """
    if in_transaction():
        raise RuntimeError("Case files are rendered outside any transaction.")
    claim = _case_file_claim(export_id)
    if isinstance(claim, str):
        return claim
    try:
        # Times in the document read as on the requester's pages: in their own time zone.
        with timezone.override(user_zone(claim.user)):
            context = {**claim.builder.context(claim.target, claim.user), "exported_by": claim.user}
            pdf = render_pdf(claim.builder.template_name, context)
    except Exception:
        logger.exception("case file %s failed", claim.export.pk)
        DocumentExport.objects.filter(
            pk=claim.export.pk, status=DocumentExport.Status.RENDERING
        ).update(
            status=DocumentExport.Status.FAILED,
            error="rendering failed",
            finished_at=timezone.now(),
        )
        return DocumentExport.Status.FAILED
    return _case_file_store(claim, pdf)


def _check_still_allowed(export: DocumentExport, actor: Any) -> None:
    """Refuse (audited) unless ``actor`` asked for ``export`` and may still export its record."""
    builder = None
    try:
        builder = pdf_builder(export.builder)
    except LookupError:
        pass
    allowed = (
        export.requested_by_id == getattr(actor, "pk", None)
        and builder is not None
        and _may_export(actor, builder, _target_of(export, builder))
    )
    if not allowed:
        audit_record(
            actor=actor,
            verb=verbs.PERMISSION_DENIED,
            target=export,
            data={"document_export": str(export.pk), "reason": "case file not available"},
        )
        raise ExportUnavailable


def case_file_status(*, export_id: Any, actor: Any) -> DocumentExport:
    """An export's state (pending, ready, failed) for its requester while they may still see
    its record: the same check as the download, so the page names no case they lost."""
    export = (
        DocumentExport.objects.select_related("content_type")
        .defer("sealed_pdf")
        .filter(pk=export_id)
        .first()
    )
    if export is None:
        raise ExportUnavailable
    _check_still_allowed(export, actor)
    return export


def case_file_open(*, export_id: Any, actor: Any) -> tuple[DocumentExport, bytes]:
    """The decrypted document of a ready export, for its requester while they may still see it.

    The requester's capability and scope are checked again now: a file asked for yesterday is
    not theirs today if they lost the role or the record left their scope. Every refusal of an
    existing export and every delivery is audited. Raises :class:`ExportUnavailable`.
    """
    export = (
        DocumentExport.objects.select_related("content_type")
        .filter(pk=export_id, status=DocumentExport.Status.READY)
        .first()
    )
    if export is None:
        raise ExportUnavailable
    _check_still_allowed(export, actor)
    pdf = decrypt_bytes(bytes(export.sealed_pdf), context=export_encryption_context(export.pk))
    audit_record(
        actor=actor,
        verb=verbs.VIEW,
        target=export,
        data={"document_export": str(export.pk), "sha256": export.sha256},
    )
    return export, pdf


def exports_of(user: Any) -> models.QuerySet[DocumentExport]:
    """The exports a user may see: their own, nobody else's."""
    return DocumentExport.objects.filter(requested_by=user).defer("sealed_pdf")


@dataclass(frozen=True)
class PurgeResult:
    timed_out: int
    deleted: int


def case_files_purge(*, now: Any = None) -> PurgeResult:
    """Housekeeping for case files (scheduled hourly, or ``manage.py purge_case_files``).

    An export still pending or rendering after ``CASE_FILE_PENDING_MINUTES`` has lost its
    worker: it becomes failed. Every export, ready, failed or stuck, is deleted once older than
    ``CASE_FILE_KEEP_HOURS``.
    """
    now = now or timezone.now()
    unfinished = (DocumentExport.Status.PENDING, DocumentExport.Status.RENDERING)
    stuck_before = now - timedelta(minutes=settings.CASE_FILE_PENDING_MINUTES)
    timed_out = DocumentExport.objects.filter(
        status__in=unfinished, created_at__lt=stuck_before
    ).update(status=DocumentExport.Status.FAILED, error="timed out", finished_at=now)
    cutoff = now - timedelta(hours=settings.CASE_FILE_KEEP_HOURS)
    deleted, _by_model = DocumentExport.objects.filter(created_at__lt=cutoff).delete()
    return PurgeResult(timed_out=timed_out, deleted=deleted)
