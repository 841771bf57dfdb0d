"""Exports: every document and CSV that leaves the system is audited (PDFs with their SHA-256)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from .pdf import render_pdf


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
