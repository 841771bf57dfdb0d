"""Tamper evidence against the database's owner: signed seals and heads kept outside it.

The attacks are played as an owner would: on SQLite (no triggers) with plain SQL; on
PostgreSQL after ``ALTER TABLE ... DISABLE TRIGGER ALL`` inside the test's transaction.
"""

import base64
import json
import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from securityunion.audit import signing, verbs
from securityunion.audit.models import AuditEvent, AuditSeal
from securityunion.audit.services import (
    GENESIS_HASH,
    _events_hash,
    _seal_hash,
    audit_record,
    audit_seal,
    audit_verify,
    event_digest,
    seal_lag,
)

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("audit_auditevent", "audit_auditseal")


class DatabaseOwner:
    """Writes as the owner of the tables: the append-only triggers are no obstacle to them."""

    def __init__(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks on the tables
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")

    def execute(self, sql: str, params: list | None = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])

    def rewrite_event(self, event_id: int, data: dict) -> None:
        cast = "::jsonb" if connection.vendor == "postgresql" else ""
        self.execute(
            f"UPDATE audit_auditevent SET data = %s{cast} WHERE id = %s",  # noqa: S608
            [json.dumps(data), event_id],
        )

    def recompute_seals(self) -> None:
        """Redo every seal's manifest and hashes over the events as they are now."""
        previous_hash = GENESIS_HASH
        for seal in AuditSeal.objects.order_by("id"):
            events = AuditEvent.objects.filter(
                id__gt=seal.after_event_id, id__lte=seal.watermark
            ).order_by("id")
            manifest = [[e.pk, event_digest(e)] for e in events]
            events_hash = _events_hash(manifest)
            seal_hash = _seal_hash(
                previous_hash, seal.after_event_id, seal.watermark, len(manifest), events_hash
            )
            AuditSeal.objects.filter(pk=seal.pk).update(
                manifest=manifest,
                event_count=len(manifest),
                events_hash=events_hash,
                previous_hash=previous_hash,
                seal_hash=seal_hash,
            )
            previous_hash = seal_hash

    def truncate(self) -> None:
        if connection.vendor == "postgresql":
            self.execute("TRUNCATE audit_auditseal, audit_auditevent")
        else:
            self.execute("DELETE FROM audit_auditseal")
            self.execute("DELETE FROM audit_auditevent")


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite-raw-sql"),
        pytest.param("postgresql", id="postgresql-triggers-disabled", marks=pytest.mark.postgres),
    ]
)
def owner(request, db):  # noqa: ANN001, ANN201
    if connection.vendor != request.param:
        pytest.skip(f"plays the attack on {request.param}")
    return DatabaseOwner


@pytest.fixture
def heads_file(settings, tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "var" / "audit-heads.jsonl"
    settings.AUDIT_HEADS_FILE = str(path)
    return path


@pytest.fixture
def seal(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """Seal as the job does: heads are written when the seal's transaction commits."""

    def make(**kwargs):  # noqa: ANN003, ANN202
        with django_capture_on_commit_callbacks(execute=True):
            return audit_seal(**kwargs)

    return make


def _write(n: int) -> list[AuditEvent]:
    return [audit_record(actor=None, verb=verbs.UPDATE, data={"n": i}) for i in range(n)]


def _seed_text(private: Ed25519PrivateKey) -> str:
    raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return base64.b64encode(raw).decode()


# --- signing ------------------------------------------------------------------------------


def test_a_seal_is_signed_and_records_the_id_of_its_key(db, seal):
    _write(2)
    made = seal()
    key = signing.signing_key()
    assert made.key_id == key.key_id
    assert len(base64.b64decode(made.signature)) == 64
    assert audit_verify().ok


def test_a_signing_key_file_takes_the_place_of_the_key_in_the_environment(
    db, seal, settings, tmp_path
):
    private = Ed25519PrivateKey.generate()
    key_file = tmp_path / "audit-signing.key"
    key_file.write_text(_seed_text(private) + "\n")
    settings.AUDIT_SIGNING_KEY_FILE = str(key_file)
    _write(1)
    assert seal().key_id == signing.key_id(private.public_key())


def test_a_pem_signing_key_file_is_read(db, seal, settings, tmp_path):
    private = Ed25519PrivateKey.generate()
    key_file = tmp_path / "audit-signing.pem"
    key_file.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.AUDIT_SIGNING_KEY_FILE = str(key_file)
    _write(1)
    assert seal().key_id == signing.key_id(private.public_key())


def test_an_unreadable_signing_key_fails_the_system_check_and_seals_nothing(db, settings):
    settings.AUDIT_SIGNING_KEY = "bm90LTMyLWJ5dGVz"
    _write(1)
    with pytest.raises(CommandError, match="audit.E001"):
        call_command("check")
    with pytest.raises(CommandError, match="32 bytes"):
        call_command("audit_seal", "--wait", "0")
    assert not AuditSeal.objects.exists()


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECURITYUNION_TESTING", "DJANGO_SETTINGS_MODULE")
        and not k.startswith("AUDIT_")
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


_PRODUCTION_LIKE = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-like-secret-for-the-check-0123456789",
    "FIELD_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGhlLWNoZWNrIQ==",
    "ALLOWED_HOSTS": "backoffice.example.eu",
    "DATABASE_URL": "sqlite:////tmp/securityunion-check.sqlite3",
}


def test_the_app_refuses_to_start_on_the_development_audit_key():
    result = _manage("check", **_PRODUCTION_LIKE)
    assert result.returncode != 0
    assert "AUDIT_SIGNING_KEY is the development key" in result.stderr


# --- heads outside the database --------------------------------------------------------------


def test_each_committed_seal_appends_its_head_to_the_heads_file(db, seal, heads_file):
    events = _write(2)
    first = seal()
    _write(1)
    second = seal()
    lines = [json.loads(line) for line in heads_file.read_text().splitlines()]
    assert lines == [
        {
            "seal": s.pk,
            "last_event": s.last_event_id,
            "watermark": s.watermark,
            "hash": s.seal_hash,
            "signature": s.signature,
            "key_id": s.key_id,
        }
        for s in (first, second)
    ]
    assert lines[0]["last_event"] == events[-1].pk


def test_no_head_is_written_for_a_seal_whose_transaction_rolls_back(
    db, heads_file, django_capture_on_commit_callbacks
):
    _write(1)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        audit_seal()
        raise RuntimeError("the sealing transaction fails")
    assert not heads_file.exists()
    assert not AuditSeal.objects.exists()


def test_heads_go_under_var_by_default_and_nowhere_in_tests(settings):
    assert settings.AUDIT_HEADS_FILE == ""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.AUDIT_HEADS_FILE)",
        DEBUG="1",
    )
    assert result.stdout.strip().splitlines()[-1] == str(ROOT / "var" / "audit-heads.jsonl"), (
        result.stderr
    )


def test_a_head_is_sent_to_syslog_when_configured(db, seal, settings):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    try:
        settings.AUDIT_HEADS_SYSLOG = f"udp://127.0.0.1:{receiver.getsockname()[1]}"
        _write(1)
        made = seal()
        message = receiver.recv(4096).decode()
    finally:
        receiver.close()
    assert "securityunion-audit-head:" in message
    head = json.loads(message[message.index("{") : message.rindex("}") + 1])
    assert head["seal"] == made.pk and head["signature"] == made.signature


def test_a_syslog_extract_serves_as_a_heads_file(db, seal, settings, tmp_path):
    _write(1)
    made = seal()
    extract = tmp_path / "extract.log"
    head = json.dumps(
        {
            "seal": made.pk,
            "last_event": made.last_event_id,
            "watermark": made.watermark,
            "hash": made.seal_hash,
            "signature": made.signature,
            "key_id": made.key_id,
        }
    )
    extract.write_text(f"Dec  3 14:00:01 host securityunion-audit-head: {head}\n")
    result = audit_verify(heads_file=extract)
    assert result.ok, result.problems
    assert result.heads == 1


# --- the attacks ----------------------------------------------------------------------------


def test_rewritten_events_with_recomputed_seals_fail_the_signature_check(owner, seal):
    events = _write(3)
    first = seal()
    _write(2)
    seal()
    attacker = owner()
    attacker.rewrite_event(events[1].pk, {"n": "rewritten"})
    attacker.recompute_seals()
    result = audit_verify()
    assert not result.ok
    assert result.problems[0] == f"seal #{first.pk}: signature does not verify (seal rewritten)"


def test_seals_re_signed_with_the_attackers_own_key_are_named_as_an_unknown_key(owner, seal):
    events = _write(2)
    made = seal()
    attacker = owner()
    attacker.rewrite_event(events[0].pk, {"n": "rewritten"})
    attacker.recompute_seals()
    forged_key = signing.SigningKey(
        private=(private := Ed25519PrivateKey.generate()),
        key_id=signing.key_id(private.public_key()),
    )
    rewritten = AuditSeal.objects.get(pk=made.pk)
    message = signing.signed_message(
        seal_id=rewritten.pk,
        last_event_id=rewritten.last_event_id,
        watermark=rewritten.watermark,
        seal_hash=rewritten.seal_hash,
        key_id=forged_key.key_id,
    )
    AuditSeal.objects.filter(pk=made.pk).update(
        key_id=forged_key.key_id, signature=forged_key.sign(message)
    )
    problems = audit_verify().problems
    assert problems[0] == f"seal #{made.pk}: signed by unknown key {forged_key.key_id!r}"


def test_removing_the_signature_after_signed_seals_is_caught(owner, seal):
    _write(1)
    seal()
    _write(1)
    second = seal()
    owner().execute(
        "UPDATE audit_auditseal SET signature = '', key_id = '' WHERE id = %s", [second.pk]
    )
    assert audit_verify().problems[0] == (
        f"seal #{second.pk}: unsigned, but follows signed seals (signature removed)"
    )


def test_removing_every_signature_is_caught_past_the_last_unsigned_seal(owner, seal):
    _write(1)
    made = seal()
    owner().execute("UPDATE audit_auditseal SET signature = '', key_id = ''")
    assert audit_verify().ok  # indistinguishable from legacy seals in the database alone...
    problems = audit_verify(last_unsigned_seal=0).problems  # ...not with the operator's record
    assert problems[0].startswith(f"seal #{made.pk}: unsigned, but seals after #0 must be signed")


def test_removing_every_signature_is_caught_by_the_external_heads(owner, seal, heads_file):
    _write(1)
    made = seal()
    owner().execute("UPDATE audit_auditseal SET signature = '', key_id = ''")
    assert audit_verify(heads_file=heads_file).problems == [
        f"seal #{made.pk}: differs from its external head (seal rewritten)"
    ]


def test_deleting_the_last_seal_with_its_events_is_caught_by_the_external_heads(
    owner, seal, heads_file
):
    _write(2)
    seal()
    late = _write(2)
    last = seal()
    attacker = owner()
    attacker.execute("DELETE FROM audit_auditseal WHERE id = %s", [last.pk])
    attacker.execute("DELETE FROM audit_auditevent WHERE id > %s", [last.after_event_id])
    assert audit_verify().ok  # the database alone is consistent again
    result = audit_verify(heads_file=heads_file)
    assert result.problems == [
        f"seal #{last.pk} (events up to #{late[-1].pk}) is in the external heads but missing "
        "from the database",
        f"event #{late[-1].pk}: named by the external head of seal #{last.pk} but missing "
        "from the database",
    ]


def test_emptying_the_audit_tables_is_caught_by_the_external_heads(owner, seal, heads_file):
    _write(2)
    first = seal()
    _write(1)
    seal()
    owner().truncate()
    assert audit_verify().ok
    result = audit_verify(heads_file=heads_file)
    assert result.problems[0].startswith(
        f"seal #{first.pk} (events up to #{first.last_event_id}) is in the external heads"
    )


def test_a_reused_seal_id_after_emptying_the_tables_is_caught(owner, seal, heads_file):
    _write(2)
    first = seal()
    owner().truncate()
    AuditSeal.objects.create(
        id=first.pk,
        after_event_id=0,
        watermark=1,
        event_count=0,
        events_hash=_events_hash([]),
        previous_hash=GENESIS_HASH,
        seal_hash=_seal_hash(GENESIS_HASH, 0, 1, 0, _events_hash([])),
        manifest=[],
        signature=first.signature,
        key_id=first.key_id,
    )
    problems = audit_verify(heads_file=heads_file).problems
    assert f"seal #{first.pk}: differs from its external head (seal rewritten)" in problems


def test_a_forged_line_in_the_heads_file_is_named(db, seal, heads_file):
    _write(1)
    made = seal()
    head = json.loads(heads_file.read_text())
    head["hash"] = "f" * 64
    with heads_file.open("a") as extra:
        extra.write(json.dumps(head) + "\nnot a head\n")
    problems = audit_verify(heads_file=heads_file).problems
    assert problems[0] == f"heads file line 2: seal #{made.pk}'s signature does not verify"
    assert "heads file line 3: unreadable" in problems


# --- legacy seals ---------------------------------------------------------------------------


def _make_legacy(owner: type[DatabaseOwner], made: AuditSeal) -> None:
    """A seal as made before the signature fields existed (the migration left them empty)."""
    owner().execute(
        "UPDATE audit_auditseal SET signature = '', key_id = '' WHERE id = %s", [made.pk]
    )


def test_seals_from_before_signing_verify_as_unsigned_legacy(owner, seal, capsys):
    _write(1)
    _make_legacy(owner, seal())
    _write(1)
    seal()
    result = audit_verify()
    assert result.ok, result.problems
    assert result.unsigned == 1
    call_command("audit_verify", "--heads", "-")
    captured = capsys.readouterr()
    assert "2 seals (1 unsigned)" in captured.out
    assert "1 unsigned (legacy) seal(s)" in captured.err


# --- the commands ----------------------------------------------------------------------------


def test_audit_verify_exits_1_naming_the_first_problem(owner, seal):
    events = _write(2)
    seal()
    owner().rewrite_event(events[0].pk, {"n": "rewritten"})
    with pytest.raises(CommandError, match=f"first problem: event #{events[0].pk}: changed") as e:
        call_command("audit_verify")
    assert e.value.returncode == 1


def test_audit_verify_reads_the_heads_file_from_the_settings(owner, seal, heads_file):
    _write(1)
    made = seal()
    owner().truncate()
    with pytest.raises(CommandError, match=f"first problem: seal #{made.pk} .* missing"):
        call_command("audit_verify")


def test_audit_verify_takes_a_heads_file_and_verify_key_on_the_command_line(
    db, seal, heads_file, settings, capsys
):
    _write(1)
    seal()
    public = signing.public_key_text(signing.signing_key().public)
    settings.AUDIT_HEADS_FILE = ""
    settings.AUDIT_SIGNING_KEY = _seed_text(Ed25519PrivateKey.generate())  # rotated since
    call_command("audit_verify", "--heads", str(heads_file), "--verify-key", public)
    assert "1 external heads" in capsys.readouterr().out


def test_audit_verify_with_another_verify_key_names_the_seal_signed_by_an_unknown_key(db, seal):
    _write(1)
    made = seal()
    other = signing.public_key_text(Ed25519PrivateKey.generate().public_key())
    with pytest.raises(CommandError, match=f"seal #{made.pk}: signed by unknown key"):
        call_command("audit_verify", "--verify-key", other)


def test_audit_verify_exits_2_on_a_missing_heads_file_or_a_bad_key(db, tmp_path):
    with pytest.raises(CommandError, match="heads file unusable") as missing:
        call_command("audit_verify", "--heads", str(tmp_path / "nowhere.jsonl"))
    with pytest.raises(CommandError, match="verify key unusable") as bad_key:
        call_command("audit_verify", "--verify-key", "bm90LWEta2V5")
    assert missing.value.returncode == bad_key.value.returncode == 2


def test_audit_seal_seals_once_now(db, capsys):
    _write(3)
    call_command("audit_seal", "--wait", "0")
    made = AuditSeal.objects.get()
    assert f"as seal #{made.pk}" in capsys.readouterr().out


def test_audit_seal_every_keeps_sealing_until_stopped(db, monkeypatch, capsys):
    from securityunion.audit.management.commands import audit_seal as command

    rounds = []

    def next_round(self, seconds):  # noqa: ANN001, ANN202
        rounds.append(seconds)
        if len(rounds) == 1:
            _write(1)  # written between two rounds
        return len(rounds) == 2

    monkeypatch.setattr(command.Command, "_sleep", next_round)
    _write(1)
    call_command("audit_seal", "--every", "60", "--wait", "0")
    assert rounds == [60.0, 60.0]
    assert AuditSeal.objects.count() == 2
    assert capsys.readouterr().out.endswith("Stopped.\n")


# --- seal lag -----------------------------------------------------------------------------


def test_seal_lag_is_zero_when_every_event_is_sealed(db):
    assert seal_lag() == 0.0
    _write(1)
    audit_seal()
    assert seal_lag() == 0.0


def test_seal_lag_counts_from_the_oldest_unsealed_event_when_nothing_was_ever_sealed(db):
    AuditEvent.objects.create(verb=verbs.UPDATE, at=timezone.now() - timedelta(hours=1))
    AuditEvent.objects.create(verb=verbs.UPDATE)
    assert 3590 < seal_lag() < 3700


def test_seal_lag_counts_from_the_last_seal_for_an_event_older_than_it(owner):
    _write(1)
    made = audit_seal()
    owner()  # back-dates the seal, as if it were made five minutes ago
    AuditSeal.objects.filter(pk=made.pk).update(sealed_at=timezone.now() - timedelta(minutes=5))
    AuditEvent.objects.create(verb=verbs.UPDATE, at=timezone.now() - timedelta(minutes=30))
    assert 290 < seal_lag() < 400


def test_audit_key_prints_the_public_key_that_verifies_the_seals_and_not_the_seed(
    db, seal, settings, capsys
):
    private = Ed25519PrivateKey.generate()
    settings.AUDIT_SIGNING_KEY = _seed_text(private)
    call_command("audit_key")
    out = capsys.readouterr().out
    assert settings.AUDIT_SIGNING_KEY not in out
    public = out.split("AUDIT_VERIFY_KEY=")[1].strip()
    _write(1)
    seal()
    call_command("audit_verify", "--verify-key", public, "--heads", "-")
    assert f"key id: {signing.key_id(private.public_key())}" in out


def test_signed_seals_missing_from_the_heads_file_are_a_warning(db, seal, heads_file, settings):
    _write(1)
    seal()
    settings.AUDIT_HEADS_FILE = ""  # the head of the next seal is not written
    _write(1)
    second = seal()
    result = audit_verify(heads_file=heads_file)
    assert result.ok
    assert result.warnings == [
        f"1 signed seal(s) after #{second.pk - 1} have no external head in {heads_file} "
        "(check that heads are written, or that this is the right file)"
    ]


def test_a_heads_line_with_an_id_no_database_can_hold_is_unreadable(db, heads_file):
    heads_file.parent.mkdir(parents=True)
    heads_file.write_text(
        json.dumps({"seal": 2**70, "last_event": 1, "watermark": 1, "hash": "0" * 64}) + "\n"
    )
    assert audit_verify(heads_file=heads_file).problems == ["heads file line 1: unreadable"]
