"""Writing, sealing and verifying the audit log."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from . import heads, signing
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
    that were open at its checkpoint to finish. The seal is signed with ``AUDIT_SIGNING_KEY``
    and, once committed, its head is written outside the database (``heads.publish``).
    """
    key = signing.signing_key()  # a missing or unreadable key fails before anything is written
    if not connection.in_atomic_block:
        with transaction.atomic():
            audit_checkpoint()
    else:
        audit_checkpoint()
    deadline = time.monotonic() + wait_seconds
    while True:
        seal = _seal_once(key)
        if seal is not None:
            transaction.on_commit(partial(heads.publish, seal_head(seal)))
            return seal
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.2)


def _next_seal_id() -> int:
    """The new seal's id, drawn before the insert so that the signature can cover it (the seal
    table takes no UPDATE). Callers hold the sealing lock."""
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [AuditSeal._meta.db_table]
            )
            return cursor.fetchone()[0]
    last = AuditSeal.objects.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


def seal_head(seal: AuditSeal) -> heads.Head:
    return heads.Head(
        seal_id=seal.pk,
        last_event_id=seal.last_event_id,
        watermark=seal.watermark,
        seal_hash=seal.seal_hash,
        signature=seal.signature,
        key_id=seal.key_id,
    )


def _head_message(head: heads.Head) -> bytes:
    return signing.signed_message(
        seal_id=head.seal_id,
        last_event_id=head.last_event_id,
        watermark=head.watermark,
        seal_hash=head.seal_hash,
        key_id=head.key_id,
    )


@transaction.atomic
def _seal_once(key: signing.SigningKey) -> AuditSeal | None:
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
    seal = AuditSeal(
        id=_next_seal_id(),
        previous=last,
        after_event_id=after,
        watermark=watermark,
        event_count=len(manifest),
        events_hash=events_hash,
        previous_hash=previous_hash,
        seal_hash=_seal_hash(previous_hash, after, watermark, len(manifest), events_hash),
        manifest=manifest,
        key_id=key.key_id,
    )
    seal.signature = key.sign(_head_message(seal_head(seal)))
    seal.save(force_insert=True)
    AuditCheckpoint.objects.filter(sequence_value__lte=watermark).delete()
    return seal


def seal_lag() -> float:
    """Seconds the oldest event not yet covered by a seal has waited, counted from the last
    seal when it is older than that seal (it was still in an open transaction then); ``0.0``
    when every event is sealed. For a readiness probe: a stopped sealing job shows here."""
    last = AuditSeal.objects.order_by("-id").values("watermark", "sealed_at").first()
    pending = AuditEvent.objects.order_by("id")
    if last is not None:
        pending = pending.filter(id__gt=last["watermark"])
    oldest = pending.values_list("at", flat=True).first()
    if oldest is None:
        return 0.0
    since = max(oldest, last["sealed_at"]) if last is not None else oldest
    return max(0.0, (timezone.now() - since).total_seconds())


@dataclass
class VerifyResult:
    seals: int = 0
    events: int = 0
    unsigned: int = 0
    heads: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(
    *,
    verify_keys: dict[str, Ed25519PublicKey] | None = None,
    heads_file: str | Path | None = None,
    last_unsigned_seal: int | None = None,
) -> VerifyResult:
    """Recompute every seal and check its signature; list each problem, the first one first.

    Catches an event changed or removed under a seal, an event slipped in below a seal's
    watermark, a seal altered or removed, a broken chain, and (with the verify keys, by default
    the configured ones) events rewritten together with recomputed seals. With ``heads_file``
    it also catches the newest seals deleted with their events and emptied tables.

    Seals made before seals were signed are counted as unsigned (legacy), not as problems, as
    long as they come before every signed seal and, when ``last_unsigned_seal`` is given, have
    an id no higher than it.
    """
    keys = signing.configured_verify_keys() if verify_keys is None else verify_keys
    if last_unsigned_seal is None:
        last_unsigned_seal = getattr(settings, "AUDIT_LAST_UNSIGNED_SEAL", None)
    result = VerifyResult()
    previous_hash = GENESIS_HASH
    previous_watermark = 0
    previous_id = None
    signed_seen = False
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
        _check_signature(seal, keys, signed_seen, last_unsigned_seal, result)
        signed_seen = signed_seen or bool(seal.signature or seal.key_id)
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
    if result.unsigned:
        result.warnings.append(
            f"{result.unsigned} unsigned (legacy) seal(s), made before seals were signed: their "
            "hashes are checked, but only a signature shows the database owner did not redo them"
        )
    if heads_file is not None:
        _check_heads(Path(heads_file), keys, result)
    return result


def _check_signature(
    seal: AuditSeal,
    keys: dict[str, Ed25519PublicKey],
    signed_seen: bool,
    last_unsigned_seal: int | None,
    result: VerifyResult,
) -> None:
    label = f"seal #{seal.pk}"
    if not seal.signature and not seal.key_id:
        if signed_seen:
            result.problems.append(
                f"{label}: unsigned, but follows signed seals (signature removed)"
            )
        elif last_unsigned_seal is not None and seal.pk > last_unsigned_seal:
            result.problems.append(
                f"{label}: unsigned, but seals after #{last_unsigned_seal} must be signed "
                "(signature removed)"
            )
        else:
            result.unsigned += 1
        return
    public_key = keys.get(seal.key_id)
    if public_key is None:
        result.problems.append(f"{label}: signed by unknown key {seal.key_id!r}")
    elif not signing.signature_valid(public_key, seal.signature, _head_message(seal_head(seal))):
        result.problems.append(f"{label}: signature does not verify (seal rewritten)")


def _check_heads(path: Path, keys: dict[str, Ed25519PublicKey], result: VerifyResult) -> None:
    """Every head written outside the database must match a seal that is still there."""
    chunk: dict[int, heads.Head] = {}
    newest = 0

    def check(chunk: dict[int, heads.Head]) -> None:
        stored = AuditSeal.objects.in_bulk(list(chunk))
        for seal_id in sorted(chunk):
            head = chunk[seal_id]
            seal = stored.get(seal_id)
            if seal is None:
                result.problems.append(
                    f"seal #{seal_id} (events up to #{head.last_event_id}) is in the external "
                    "heads but missing from the database"
                )
                if not AuditEvent.objects.filter(pk=head.last_event_id).exists():
                    result.problems.append(
                        f"event #{head.last_event_id}: named by the external head of seal "
                        f"#{seal_id} but missing from the database"
                    )
            elif seal_head(seal) != head:
                result.problems.append(
                    f"seal #{seal_id}: differs from its external head (seal rewritten)"
                )

    for line, head in heads.read(path):
        if head is None:
            result.problems.append(f"heads file line {line}: unreadable")
            continue
        result.heads += 1
        newest = max(newest, head.seal_id)
        public_key = keys.get(head.key_id)
        if public_key is None:
            result.problems.append(
                f"heads file line {line}: seal #{head.seal_id} signed by unknown key "
                f"{head.key_id!r}"
            )
        elif not signing.signature_valid(public_key, head.signature, _head_message(head)):
            result.problems.append(
                f"heads file line {line}: seal #{head.seal_id}'s signature does not verify"
            )
        if head.seal_id in chunk:
            if chunk[head.seal_id] != head:
                result.problems.append(
                    f"heads file line {line}: a second, different head for seal #{head.seal_id}"
                )
            continue
        chunk[head.seal_id] = head
        if len(chunk) >= 1000:
            check(chunk)
            chunk = {}
    if chunk:
        check(chunk)
    unpublished = AuditSeal.objects.filter(pk__gt=newest).exclude(signature="").count()
    if unpublished:
        result.warnings.append(
            f"{unpublished} signed seal(s) after #{newest} have no external head in {path} "
            "(check that heads are written, or that this is the right file)"
        )


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
