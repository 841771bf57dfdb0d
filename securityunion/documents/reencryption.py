"""Re-encrypting everything under the newest key of ``FIELD_ENCRYPTION_KEY``.

Walks every encrypted field of every installed model and every stored case file, in batches
ordered by primary key, and rewrites each value that is not yet in the current format under the
newest key. A value already current is left alone, so a run can be interrupted and repeated.
A row is rewritten only if its stored value is still the one that was read (compare and set),
so a concurrent edit is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.db.models.lookups import Exact

from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.lib.encryption import (
    EncryptedFieldMixin,
    bytes_key_is_current,
    current_text_prefix,
    decrypt_bytes,
    decrypt_text,
    encrypt_bytes,
    encrypted_fields,
    key_ring,
)

from .models import DocumentExport
from .services import export_encryption_context

Log = Callable[[str], None]


def _raw(field: models.Field) -> Cast:
    return Cast(F(field.attname), output_field=TextField())


def _reencrypt_column(
    model: type[models.Model], field: EncryptedFieldMixin, batch_size: int
) -> int:
    manager = model._base_manager
    prefix = current_text_prefix()
    rewritten, last = 0, None
    while True:
        rows = manager.annotate(_stored=_raw(field)).order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows.values_list("pk", "_stored")[:batch_size])
        if not batch:
            return rewritten
        last = batch[-1][0]
        with transaction.atomic():
            for pk, stored in batch:
                if not stored or stored.startswith(prefix):
                    continue
                value = field.decode(decrypt_text(stored, context=field.encryption_context))
                rewritten += (
                    manager.filter(pk=pk)
                    .filter(Exact(_raw(field), stored))
                    .update(**{field.attname: value})
                )


def _reencrypt_exports(batch_size: int) -> int:
    rewritten, last = 0, None
    while True:
        ids = DocumentExport.objects.filter(sealed_pdf__isnull=False).order_by("pk")
        if last is not None:
            ids = ids.filter(pk__gt=last)
        batch = list(ids.values_list("pk", flat=True)[:batch_size])
        if not batch:
            return rewritten
        last = batch[-1]
        for pk in batch:
            with transaction.atomic():
                export = (
                    DocumentExport.objects.select_for_update()
                    .filter(pk=pk, sealed_pdf__isnull=False)
                    .only("pk", "sealed_pdf")
                    .first()
                )
                if export is None:  # purged meanwhile
                    continue
                sealed = bytes(export.sealed_pdf)
                if bytes_key_is_current(sealed):
                    continue
                context = export_encryption_context(pk)
                pdf = decrypt_bytes(sealed, context=context)
                export.sealed_pdf = encrypt_bytes(pdf, context=context)
                export.save(update_fields=["sealed_pdf"])
                rewritten += 1


def fields_reencrypt(*, batch_size: int = 500, log: Log | None = None) -> dict[str, int]:
    """Rewrite every encrypted value under the newest key; returns the count per column."""
    counts: dict[str, int] = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in encrypted_fields(model):
            counts[field.encryption_context] = _reencrypt_column(model, field, batch_size)
            if log:
                log(f"{field.encryption_context}: {counts[field.encryption_context]} rewritten")
    exports = "documents.documentexport.sealed_pdf"
    counts[exports] = _reencrypt_exports(max(1, batch_size // 50))
    if log:
        log(f"{exports}: {counts[exports]} rewritten")
    with transaction.atomic():
        audit_record(
            actor=None,
            verb=verbs.UPDATE,
            data={
                "operation": "reencrypt_fields",
                "key_id": key_ring().newest.key_id_hex,
                "rewritten": counts,
            },
        )
    return counts


def reencrypt_summary(counts: dict[str, Any]) -> str:
    return f"{sum(counts.values())} values rewritten under the newest key"
