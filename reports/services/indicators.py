"""Indicator lists: all-or-nothing CSV import and the lifecycle of an indicator.

An indicator's status follows ``INDICATOR_WORKFLOW`` through the shared ``case_transition``
(capability, optimistic lock, audit of the reason; the PDQ index's token is renewed by the
transitions' effect).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.actors import actor_audit_data
from securityunion.casework.services import access_refused, case_transition
from securityunion.casework.workflow import StaleVersion, WorkflowError
from securityunion.documents.services import dispatch_after_commit, in_transaction
from securityunion.lib.encryption import DecryptionError, decrypt_bytes, encrypt_bytes

from ..matching import indicator_lookup
from ..models import Indicator, IndicatorImport
from ..pdq_index import pdq_index_changed

INDICATOR_COLUMNS = ("algorithm", "value", "category", "source")
# An import still queued or running after this long has lost its worker (scheduled job).
IMPORT_STALE_AFTER = timedelta(hours=1)

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _indicator_row(
    row: dict[str, str], line: int, default_source: str
) -> tuple[Indicator | None, str]:
    from ..intake import HASH_HINTS, clean_hash, is_web_url

    algorithm = (row.get("algorithm") or "").strip().lower()
    value = (row.get("value") or "").strip()
    category = (row.get("category") or "").strip()
    source = (row.get("source") or "").strip() or default_source
    if algorithm not in Indicator.Algorithm.values:
        return None, _("unknown algorithm %(a)r (use %(all)s)") % {
            "a": algorithm,
            "all": ", ".join(Indicator.Algorithm.values),
        }
    if not value:
        return None, _("empty value")
    if algorithm == "url":
        if not is_web_url(value):
            return None, _("not an http or https URL")
    else:
        cleaned = clean_hash(algorithm, value)
        if cleaned is None:
            return None, _("malformed %(a)s value: expected %(hint)s") % {
                "a": algorithm,
                "hint": HASH_HINTS[algorithm],
            }
        value = cleaned
    if not category:
        return None, _("empty category")
    if not source:
        return None, _("no source (give the column or --source)")
    if len(category) > 64 or len(source) > 100:
        return None, _("category or source too long")
    return (
        Indicator(
            algorithm=algorithm,
            value=value,
            lookup=indicator_lookup(algorithm, value),
            category=category,
            source=source,
        ),
        "",
    )


def _import_allowed(*, actor: Any, source: str, status: str) -> None:
    """An import needs ``indicators_verify`` (a refusal is audited) and lands active or proposed."""
    if not has_capability(actor, "indicators_verify"):
        raise access_refused(
            actor=actor,
            why="indicator import not permitted",
            message=_("You may not import indicators."),
            indicator_import=str(source)[:100],
        )
    if status not in (Indicator.Status.ACTIVE, Indicator.Status.PROPOSED):
        raise ValidationError({"status": _("Import as active or proposed.")})


def indicators_import(
    *, text: str, source: str, status: str, actor: Any, max_errors: int = 100
) -> ImportResult:
    """Import a CSV (``algorithm,value,category,source``): all rows or none.

    The actor needs ``indicators_verify`` (a caseworker cannot add to the lists that mark
    reported material as known); a refusal is audited. Rows already on the list (same
    algorithm, value and source) are left as they are. Errors are reported by line number;
    with any error nothing is stored.
    """
    _import_allowed(actor=actor, source=source, status=status)
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("algorithm", "value", "category") if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append((1, _("missing column(s): %s") % ", ".join(missing)))
        return result
    rows: list[Indicator] = []
    seen: set[tuple[str, str, str]] = set()
    for line, row in enumerate(reader, start=2):
        indicator, error = _indicator_row(row, line, source)
        if error:
            result.errors.append((line, error))
            if len(result.errors) >= max_errors:
                break
            continue
        key = (indicator.algorithm, indicator.lookup, indicator.source)
        if key in seen:
            continue
        seen.add(key)
        indicator.status = status
        rows.append(indicator)
    if result.errors:
        return result
    if not rows:
        result.errors.append((1, _("the file holds no indicator")))
        return result
    with transaction.atomic():
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            # Rows already on the list are found through the unique index, never by counting
            # the table (which holds millions of indicators).
            existing = _existing_keys(chunk)
            Indicator.objects.bulk_create(
                [r for r in chunk if (r.algorithm, r.lookup, r.source) not in existing],
                ignore_conflicts=True,
            )
            result.unchanged += len(existing)
        result.created = len(rows) - result.unchanged
        if status == Indicator.Status.ACTIVE and any(r.algorithm == "pdq" for r in rows):
            pdq_index_changed()
        audit_record(
            actor=actor,
            verb=verbs.CREATE,
            data={
                "indicator_import": source,
                "status": status,
                "rows": len(rows),
                "created": result.created,
                **actor_audit_data(actor),
            },
        )
    return result


def _existing_keys(rows: list[Indicator]) -> set[tuple[str, str, str]]:
    """Which of ``rows`` are on their list already (one query on the unique index)."""
    keys = {(r.algorithm, r.lookup, r.source) for r in rows}
    found = Indicator.objects.filter(
        algorithm__in={k[0] for k in keys},
        lookup__in={k[1] for k in keys},
        source__in={k[2] for k in keys},
    ).values_list("algorithm", "lookup", "source")
    return keys & set(found)


# --- uploads, imported in the background ------------------------------------------------
#
# An upload is stored encrypted and imported by a worker: a list of a million rows runs for
# minutes, far past a web request's timeout. The worker claims the upload in one short
# transaction, imports it all-or-nothing (``indicators_import``, acting as the requester, who
# must still hold ``indicators_verify``), then stores the outcome and deletes the file's text.


def import_encryption_context(import_id: Any) -> str:
    """What a stored file is bound to: a sealed text copied to another row does not open."""
    return f"reports.indicatorimport.sealed_text:{import_id}"


def _dispatch_import(import_id: Any) -> None:
    from ..tasks import run_indicator_import

    if settings.CELERY_TASK_ALWAYS_EAGER:
        indicator_import_run(import_id=import_id)
    else:
        run_indicator_import.delay(str(import_id))


def indicator_import_request(*, text: str, source: str, status: str, actor: Any) -> IndicatorImport:
    """Queue the import of an uploaded CSV as ``actor``; a worker imports it.

    The actor's capability is checked here (a refusal is audited) and again by the worker. The
    text is stored encrypted until the import ran. The task is dispatched once the calling
    transaction (if any) commits; without a broker it runs in-process, so the import is
    finished when this returns.
    """
    _import_allowed(actor=actor, source=source, status=status)
    upload = IndicatorImport(requested_by=actor, source=source[:100], import_as=status)
    upload.sealed_text = encrypt_bytes(
        text.encode("utf-8"), context=import_encryption_context(upload.pk)
    )
    with transaction.atomic():
        upload.save(force_insert=True)
        audit_record(
            actor=actor,
            verb=verbs.CREATE,
            target=upload,
            data={
                "indicator_upload": str(upload.pk),
                "source": upload.source,
                "queued": True,
                "status": status,
                "bytes": len(text),
                **actor_audit_data(actor),
            },
        )
    dispatch_after_commit(lambda: _dispatch_import(upload.pk))
    upload.refresh_from_db()
    return upload


def _import_finish(upload_id: Any, **outcome: Any) -> int:
    """Store the outcome of a running import and delete its file text (one short update)."""
    return IndicatorImport.objects.filter(
        pk=upload_id, status=IndicatorImport.Status.RUNNING
    ).update(sealed_text=None, finished_at=timezone.now(), **outcome)


def _import_claim(import_id: Any) -> tuple[IndicatorImport, str] | str:
    """Take a queued import (one short transaction): the row and its text, or a status."""
    with transaction.atomic():
        upload = (
            IndicatorImport.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .filter(pk=import_id, status=IndicatorImport.Status.QUEUED)
            .first()
        )
        if upload is None:  # claimed already (a task delivered twice), timed out or deleted
            return "gone"
        upload.status = IndicatorImport.Status.RUNNING
        upload.save(update_fields=["status"])
        try:
            text = decrypt_bytes(
                bytes(upload.sealed_text), context=import_encryption_context(upload.pk)
            ).decode("utf-8")
        except (DecryptionError, UnicodeDecodeError):  # its key is gone, or it was tampered with
            logger.exception("indicator import %s cannot be opened", upload.pk)
            _import_finish(upload.pk, status=IndicatorImport.Status.FAILED, error="import failed")
            return IndicatorImport.Status.FAILED
    return upload, text


def indicator_import_run(*, import_id: Any) -> str:
    """Import a queued upload (the worker's task); returns the import's status.

    Runs with no transaction open: the claim, the all-or-nothing import and the outcome each
    have their own. The requester's right to import is checked again by ``indicators_import``
    (a refusal is audited there and recorded as ``not allowed``). The file's text is deleted
    whatever the outcome.
    """
    if in_transaction():
        raise RuntimeError("Indicator imports run outside any transaction.")
    claim = _import_claim(import_id)
    if isinstance(claim, str):
        return claim
    upload, text = claim
    user = upload.requested_by
    try:
        result = indicators_import(
            text=text,
            source=upload.source,
            status=upload.import_as,
            actor=user,
            max_errors=IndicatorImport.MAX_ERRORS,
        )
    except PermissionDenied:  # the requester lost the capability; audited by the import
        _import_finish(upload.pk, status=IndicatorImport.Status.FAILED, error="not allowed")
        return IndicatorImport.Status.FAILED
    except Exception:
        logger.exception("indicator import %s failed", upload.pk)
        _import_finish(upload.pk, status=IndicatorImport.Status.FAILED, error="import failed")
        return IndicatorImport.Status.FAILED
    status = IndicatorImport.Status.DONE if result.ok else IndicatorImport.Status.FAILED
    with transaction.atomic():
        stored = _import_finish(
            upload.pk,
            status=status,
            created=result.created,
            unchanged=result.unchanged,
            errors=[[line, str(message)] for line, message in result.errors[: upload.MAX_ERRORS]],
        )
        if not stored:  # timed out while it ran; the import itself is audited already
            return "gone"
        audit_record(
            actor=user,
            verb=verbs.UPDATE,
            target=upload,
            data={
                "indicator_upload": str(upload.pk),
                "source": upload.source,
                "outcome": status,
                "created": result.created,
                "unchanged": result.unchanged,
                "row_errors": len(result.errors),
            },
        )
    return status


def indicator_imports_time_out(*, now: datetime | None = None) -> int:
    """Fail imports still queued or running after ``IMPORT_STALE_AFTER`` (their worker is lost)
    and delete their file text; returns how many (a scheduled job, hourly)."""
    now = now or timezone.now()
    stale = IndicatorImport.objects.filter(
        status__in=(IndicatorImport.Status.QUEUED, IndicatorImport.Status.RUNNING),
        created_at__lt=now - IMPORT_STALE_AFTER,
    )
    with transaction.atomic():
        ids = [str(pk) for pk in stale.values_list("pk", flat=True)]
        count = stale.update(
            status=IndicatorImport.Status.FAILED,
            error="timed out",
            sealed_text=None,
            finished_at=now,
        )
        if count:
            audit_record(
                actor=None,
                verb=verbs.UPDATE,
                data={"indicator_imports_timed_out": ids[:100], "count": count},
            )
    return count


def indicator_set_status(
    *,
    indicator: Indicator,
    status: str,
    actor: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> Indicator:
    """Move ``indicator`` to ``status`` through the workflow transition that leads there."""
    leading = [t for t in Indicator.workflow.transitions if t.target == status]
    transition = next((t for t in leading if indicator.status in t.sources), None) or next(
        iter(leading), None
    )
    if transition is None:
        raise ValidationError(
            {
                "status": _("An indicator cannot go from %(a)s to %(b)s.")
                % {"a": indicator.status, "b": status}
            }
        )
    try:
        return case_transition(  # type: ignore[return-value]
            case=indicator,
            transition=transition.name,
            actor=actor,
            reason=reason,
            expected_version=expected_version,
        )
    except StaleVersion:
        raise
    except WorkflowError:
        raise ValidationError(
            {
                "status": _("An indicator cannot go from %(a)s to %(b)s.")
                % {"a": Indicator.objects.get(pk=indicator.pk).status, "b": status}
            }
        ) from None
