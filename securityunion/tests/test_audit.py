import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.db.utils import DatabaseError

from securityunion.audit import verbs
from securityunion.audit.models import AuditEvent, AuditSeal
from securityunion.audit.services import audit_record, audit_seal, audit_verify


def _write(n, actor=None):  # noqa: ANN001, ANN202
    return [audit_record(actor=actor, verb=verbs.UPDATE, data={"n": i}) for i in range(n)]


def _bypass_triggers():  # noqa: ANN202
    """Tamper as a database superuser would: triggers off for this session."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


def test_an_intact_sealed_log_verifies(db):
    _write(5)
    seal = audit_seal()
    assert seal is not None and seal.event_count >= 5
    result = audit_verify()
    assert result.ok, result.problems
    assert result.seals == 1


def test_seals_chain_to_each_other(db):
    _write(2)
    first = audit_seal()
    _write(2)
    second = audit_seal()
    assert second.previous == first
    assert second.previous_hash == first.seal_hash
    assert second.after_event_id == first.watermark
    assert audit_verify().ok


def test_nothing_new_means_no_seal(db):
    _write(1)
    audit_seal()
    assert audit_seal() is None


def test_it_catches_a_changed_event(db):
    events = _write(3)
    audit_seal()
    _bypass_triggers()
    AuditEvent.objects.filter(pk=events[1].pk).update(data={"n": 99})
    result = audit_verify()
    assert not result.ok
    assert result.problems[0] == f"event #{events[1].pk}: changed after sealing (seal #1)".replace(
        "seal #1", f"seal #{AuditSeal.objects.get().pk}"
    )


def test_it_catches_a_deleted_event(db):
    events = _write(3)
    audit_seal()
    _bypass_triggers()
    AuditEvent.objects.filter(pk=events[0].pk).delete()
    result = audit_verify()
    assert any(f"event #{events[0].pk}: removed" in p for p in result.problems)


def test_it_catches_an_event_inserted_below_a_seal(db):
    events = _write(3)
    audit_seal()
    _bypass_triggers()
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    forged = AuditEvent.objects.create(id=events[1].pk, verb=verbs.UPDATE, data={"forged": True})
    result = audit_verify()
    assert not result.ok
    assert f"event #{forged.pk}" in result.problems[0]


def test_it_catches_an_event_slipped_into_a_gap_below_a_seal(db):
    events = _write(3)
    _bypass_triggers()
    AuditEvent.objects.filter(pk=events[1].pk).delete()  # a gap, as a rollback leaves
    audit_seal()
    AuditEvent.objects.create(id=events[1].pk, verb=verbs.UPDATE, data={"late": True})
    result = audit_verify()
    assert result.problems[0] == (
        f"event #{events[1].pk}: inserted below seal #{AuditSeal.objects.get().pk}'s watermark"
    )


def test_it_catches_an_altered_seal(db):
    _write(2)
    seal = audit_seal()
    _bypass_triggers()
    AuditSeal.objects.filter(pk=seal.pk).update(event_count=1)
    assert any("the seal itself was altered" in p for p in audit_verify().problems)


def test_the_command_exits_zero_on_an_intact_log(db, capsys):
    _write(2)
    audit_seal()
    call_command("audit_verify")
    assert "audit log intact" in capsys.readouterr().out


def test_the_command_fails_naming_the_first_bad_event(db):
    events = _write(2)
    audit_seal()
    _bypass_triggers()
    AuditEvent.objects.filter(pk=events[0].pk).update(verb=verbs.VIEW)
    with pytest.raises(CommandError, match=f"event #{events[0].pk}: changed"):
        call_command("audit_verify")


def test_events_carry_no_password_on_failed_sign_in(client, db):
    client.post("/accounts/login/", {"login": "ghost", "password": "secret-guess"})
    event = AuditEvent.objects.get(verb=verbs.LOGIN_FAILED)
    assert event.data == {"username": "ghost"}
    assert "secret-guess" not in str(event.data)


def test_sign_in_and_sign_out_are_audited(client, focal_point_fr):
    client.post("/accounts/login/", {"login": "fp_fr", "password": "test-password-123"})
    client.post("/accounts/logout/")
    verbs_seen = list(
        AuditEvent.objects.filter(actor=focal_point_fr).values_list("verb", flat=True)
    )
    assert verbs.LOGIN in verbs_seen and verbs.LOGOUT in verbs_seen


@pytest.mark.postgres
def test_update_of_an_audit_row_fails_on_postgresql(db):
    event = audit_record(actor=None, verb=verbs.CREATE)
    with pytest.raises((InternalError, ProgrammingError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb=verbs.VIEW)


@pytest.mark.postgres
def test_delete_of_an_audit_row_fails_on_postgresql(db):
    event = audit_record(actor=None, verb=verbs.CREATE)
    with pytest.raises((InternalError, ProgrammingError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_two_seals_cannot_claim_the_same_range(db):
    _write(1)
    seal = audit_seal()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditSeal.objects.create(
            previous=None,
            after_event_id=seal.after_event_id,
            watermark=seal.watermark + 1,
            event_count=0,
            events_hash="x",
            previous_hash="y",
            seal_hash="z",
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_writers_are_not_serialized_and_late_commits_stay_unsealed():
    """Writer A holds its transaction open; writer B must still commit at once, and a seal
    taken meanwhile must stop below A's event, which may still commit."""
    a_wrote, b_done, a_may_commit = threading.Event(), threading.Event(), threading.Event()
    ids = {}
    errors = []

    def writer_a():  # noqa: ANN202
        try:
            with transaction.atomic():
                ids["a"] = audit_record(actor=None, verb=verbs.CREATE, data={"w": "a"}).pk
                a_wrote.set()
                a_may_commit.wait(10)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    def writer_b():  # noqa: ANN202
        try:
            a_wrote.wait(10)
            with transaction.atomic():
                ids["b"] = audit_record(actor=None, verb=verbs.CREATE, data={"w": "b"}).pk
            b_done.set()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    thread_a, thread_b = threading.Thread(target=writer_a), threading.Thread(target=writer_b)
    thread_a.start()
    thread_b.start()
    try:
        assert b_done.wait(5), "writer B waited for writer A: the audit log serializes writers"
        assert ids["b"] > ids["a"]
        seal = audit_seal()
        assert seal is None or seal.watermark < ids["a"], "sealed past an open transaction"
    finally:
        a_may_commit.set()
        thread_a.join(10)
        thread_b.join(10)
    assert not errors
    seal = audit_seal(wait_seconds=5)
    assert seal is not None and seal.watermark >= ids["b"]
    assert audit_verify().ok


def test_the_sealing_task_runs_in_process_without_a_broker(db, settings):
    from securityunion.audit.tasks import seal_audit_log

    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    _write(2)
    seal_pk = seal_audit_log.delay().get()
    assert AuditSeal.objects.filter(pk=seal_pk).exists()
