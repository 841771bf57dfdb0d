"""Writing, sealing and verifying the audit log."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .context import current_request
from .models import AuditCheckpoint, AuditEvent, AuditSeal

GENESIS_HASH = "0" * 64
_MAX_TEXT = 1000


def _clean(value: Any) -> Any:
    """JSON-safe, bounded copy of ``value`` (no secrets belong here; callers pass field names)."""
    if isinstance(value, dict):
        return {str(k)[:100]: _clean(v) for k, v in list(value.items())[:100]}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in list(value)[:1000]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:_MAX_TEXT]


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    country: str | None = None,
) -> AuditEvent:
    """Append one event. Never updates or deletes; callers run it inside their transaction."""
    ctx = current_request.get()
    object_type = object_id = object_repr = ""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
        object_repr = str(target)[:200]
        if country is None:
            country = getattr(target, "country_id", None) or ""
            if not isinstance(country, str):
                country = ""
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=(actor_obj.get_username() if actor_obj else "")[:150],
        verb=str(verb),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        country=(country or "")[:2],
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
        data=_clean(data or {}),
    )


def audit_read(*, actor: Any, objects: Iterable[models.Model], what: str) -> AuditEvent | None:
    """One ``view`` event for a list read, recording the ids it returned."""
    from . import verbs

    ids = [str(o.pk) for o in objects]
    return audit_record(actor=actor, verb=verbs.VIEW, data={"list": what, "ids": ids})


def object_timeline(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """The events about one object, newest first (indexed on object type and id)."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related(None)


# --- sealing ---------------------------------------------------------------------------------


def event_digest(event: AuditEvent) -> str:
    payload = [
        event.pk,
        event.at.isoformat(timespec="microseconds"),
        event.actor_id,
        event.actor_label,
        event.verb,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.country,
        event.ip,
        event.request_id,
        event.data,
    ]
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _events_hash(manifest: list[list[Any]]) -> str:
    h = hashlib.sha256()
    for event_id, digest in manifest:
        h.update(f"{event_id}:{digest}\n".encode())
    return h.hexdigest()


def _seal_hash(previous_hash: str, after: int, watermark: int, count: int, events_hash: str) -> str:
    raw = f"{previous_hash}|{after}|{watermark}|{count}|{events_hash}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def audit_checkpoint() -> AuditCheckpoint:
    """Read the event id sequence and the database clock together."""
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [AuditEvent._meta.db_table])
            (seq,) = cursor.fetchone()
            cursor.execute(f"SELECT last_value, is_called, clock_timestamp() FROM {seq}")  # noqa: S608 - PostgreSQL's own quoted sequence name  # nosec B608
            last_value, is_called, now = cursor.fetchone()
        value = last_value if is_called else last_value - 1
        return AuditCheckpoint.objects.create(sequence_value=value, taken_at=now)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return AuditCheckpoint.objects.create(sequence_value=last, taken_at=timezone.now())


def _safe_watermark() -> int:
    """The highest event id below which no open transaction can still commit an event."""
    if not _is_postgres():
        return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND xact_start IS NOT NULL "
            "AND datname = current_database()"
        )
        (oldest_open,) = cursor.fetchone()
    checkpoints = AuditCheckpoint.objects.all()
    if oldest_open is not None:
        checkpoints = checkpoints.filter(taken_at__lt=oldest_open)
    best = checkpoints.order_by("-sequence_value").values_list("sequence_value", flat=True).first()
    return best or 0


def audit_seal(*, wait_seconds: float = 0.0) -> AuditSeal | None:
    """Seal every final event since the last seal; ``None`` when there is nothing to seal.

    Takes a checkpoint first (committed on its own), then seals up to the newest checkpoint that
    no open transaction predates. ``wait_seconds`` lets an on-demand call wait for transactions
    that were open at its checkpoint to finish.
    """
    if not connection.in_atomic_block:
        with transaction.atomic():
            audit_checkpoint()
    else:
        audit_checkpoint()
    deadline = time.monotonic() + wait_seconds
    while True:
        seal = _seal_once()
        if seal is not None or time.monotonic() >= deadline:
            return seal
        time.sleep(0.2)


@transaction.atomic
def _seal_once() -> AuditSeal | None:
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5EA1])
    last = AuditSeal.objects.order_by("-id").first()
    after = last.watermark if last else 0
    watermark = _safe_watermark()
    if watermark <= after:
        return None
    manifest = [
        [event.pk, event_digest(event)]
        for event in AuditEvent.objects.filter(id__gt=after, id__lte=watermark).order_by("id")
    ]
    if not manifest:
        # Ids were drawn by transactions that rolled back: nothing to seal in that range yet.
        return None
    previous_hash = last.seal_hash if last else GENESIS_HASH
    events_hash = _events_hash(manifest)
    seal = AuditSeal.objects.create(
        previous=last,
        after_event_id=after,
        watermark=watermark,
        event_count=len(manifest),
        events_hash=events_hash,
        previous_hash=previous_hash,
        seal_hash=_seal_hash(previous_hash, after, watermark, len(manifest), events_hash),
        manifest=manifest,
    )
    AuditCheckpoint.objects.filter(sequence_value__lte=watermark).delete()
    return seal


@dataclass
class VerifyResult:
    seals: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify() -> VerifyResult:
    """Recompute every seal; list each problem, the first one first.

    Catches an event changed or removed under a seal, an event slipped in below a seal's
    watermark, a seal altered or removed, and a broken chain.
    """
    result = VerifyResult()
    previous_hash = GENESIS_HASH
    previous_watermark = 0
    previous_id = None
    for seal in AuditSeal.objects.order_by("id").iterator():
        result.seals += 1
        label = f"seal #{seal.pk}"
        if seal.previous_id != previous_id or seal.previous_hash != previous_hash:
            result.problems.append(f"{label}: does not follow the previous seal (chain broken)")
        if seal.after_event_id != previous_watermark:
            result.problems.append(
                f"{label}: covers events after #{seal.after_event_id}, expected after "
                f"#{previous_watermark} (a seal is missing)"
            )
        manifest = [[int(i), str(d)] for i, d in seal.manifest]
        if (
            _events_hash(manifest) != seal.events_hash
            or seal.seal_hash
            != _seal_hash(
                seal.previous_hash,
                seal.after_event_id,
                seal.watermark,
                seal.event_count,
                seal.events_hash,
            )
            or len(manifest) != seal.event_count
        ):
            result.problems.append(f"{label}: the seal itself was altered")
        sealed = dict(manifest)
        actual = {
            e.pk: event_digest(e)
            for e in AuditEvent.objects.filter(
                id__gt=seal.after_event_id, id__lte=seal.watermark
            ).order_by("id")
        }
        result.events += len(actual)
        for event_id in sorted(set(sealed) | set(actual)):
            if event_id not in actual:
                result.problems.append(f"event #{event_id}: removed ({label})")
            elif event_id not in sealed:
                result.problems.append(f"event #{event_id}: inserted below {label}'s watermark")
            elif actual[event_id] != sealed[event_id]:
                result.problems.append(f"event #{event_id}: changed after sealing ({label})")
        previous_hash, previous_watermark, previous_id = seal.seal_hash, seal.watermark, seal.pk
    return result


def audit_record_many(
    *, actor: Any, verb: str, targets: list[models.Model], data: list[dict[str, Any]] | None = None
) -> None:
    """One event per target in a single insert (batch operations)."""
    ctx = current_request.get()
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    events = []
    for index, target in enumerate(targets):
        country = getattr(target, "country_id", None)
        events.append(
            AuditEvent(
                actor=actor_obj,
                actor_label=(actor_obj.get_username() if actor_obj else "")[:150],
                verb=str(verb),
                object_type=target._meta.label_lower,
                object_id=str(target.pk),
                object_repr=str(target)[:200],
                country=country if isinstance(country, str) else "",
                ip=ctx.ip if ctx else None,
                request_id=ctx.request_id if ctx else "",
                data=_clean(data[index] if data else {}),
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
