"""Periodic jobs: registered by the apps, scheduled by celery beat or run by ``run_jobs``."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from securityunion.casework import jobs
from securityunion.casework.jobs import RUN_TASK, beat_schedule, register_job, run_job
from securityunion.casework.models import ScheduledJob
from tests.testapp import extensions

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def frozen(monkeypatch):
    clock = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


@pytest.fixture
def calls():
    extensions.job_calls.clear()
    yield extensions.job_calls
    extensions.job_calls.clear()


@pytest.fixture
def failing_job():
    def explode() -> None:
        raise RuntimeError("mail server unreachable")

    register_job("test-failing", explode, every=timedelta(minutes=5))
    yield "test-failing"
    jobs.jobs.pop("test-failing")


def test_the_beat_schedule_is_built_from_the_registered_jobs_not_the_settings():
    schedule = beat_schedule()
    assert not hasattr(settings, "CELERY_BEAT_SCHEDULE")
    assert {"audit-seal", "purge-case-files", "reports-legal-hold-reminders", "retention"} <= set(
        schedule
    )
    assert schedule["testapp-tick"] == {
        "task": RUN_TASK,
        "schedule": 600.0,
        "args": ("testapp-tick",),
    }
    assert schedule["audit-seal"]["schedule"] == 60.0


def test_celery_beat_takes_its_schedule_from_the_registry(tmp_path):
    from securityunion.celery import RegistryScheduler, app

    scheduler = RegistryScheduler(app=app, schedule_filename=str(tmp_path / "beat"), lazy=True)
    scheduler.setup_schedule()
    try:
        assert "testapp-tick" in scheduler.schedule
        assert scheduler.schedule["testapp-tick"].task == RUN_TASK
    finally:
        scheduler.close()


def test_run_jobs_once_runs_a_due_job_once_per_interval(db, frozen, calls):
    call_command("run_jobs", "--once", "--job", "testapp-tick")
    call_command("run_jobs", "--once", "--job", "testapp-tick")
    assert calls == ["tick"]
    frozen["now"] = NOW + timedelta(minutes=10)
    call_command("run_jobs", "--once", "--job", "testapp-tick")
    assert calls == ["tick", "tick"]
    row = ScheduledJob.objects.get(name="testapp-tick")
    assert (row.runs, row.last_outcome, row.last_started_at) == (2, "succeeded", frozen["now"])


def test_a_job_is_not_run_again_before_its_interval_is_over(db, frozen, calls):
    assert run_job("testapp-tick").outcome == "succeeded"
    frozen["now"] = NOW + timedelta(minutes=9)
    assert run_job("testapp-tick").outcome == "skipped"
    assert calls == ["tick"]


def test_a_run_started_by_another_process_in_this_interval_is_skipped(db, frozen, calls):
    ScheduledJob.objects.create(name="testapp-tick", last_started_at=NOW - timedelta(minutes=1))
    assert run_job("testapp-tick").outcome == "skipped"
    assert calls == []


def test_a_failing_job_is_recorded_as_failed_with_its_error_and_runs_next_interval(
    db, frozen, failing_job
):
    result = run_job(failing_job)
    row = ScheduledJob.objects.get(name=failing_job)
    assert result.outcome == "failed"
    assert (row.last_outcome, row.failures) == ("failed", 1)
    assert row.last_error == "RuntimeError: mail server unreachable"
    assert run_job(failing_job).outcome == "skipped"
    frozen["now"] = NOW + timedelta(minutes=5)
    assert run_job(failing_job).outcome == "failed"
    assert ScheduledJob.objects.get(name=failing_job).failures == 2


def test_run_jobs_reports_a_failure_and_goes_on_with_the_other_jobs(
    db, frozen, calls, failing_job, capsys
):
    call_command("run_jobs", "--once", "--job", failing_job, "--job", "testapp-tick")
    captured = capsys.readouterr()
    assert "test-failing: failed (RuntimeError: mail server unreachable)" in captured.err
    assert "testapp-tick: succeeded" in captured.out
    assert calls == ["tick"]


def test_run_jobs_says_so_when_no_job_is_due(db, frozen, calls, capsys):
    call_command("run_jobs", "--once", "--job", "testapp-tick")
    capsys.readouterr()
    call_command("run_jobs", "--once", "--job", "testapp-tick")
    assert capsys.readouterr().out.strip() == "No job due."


def test_run_jobs_refuses_an_unknown_job(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_jobs", "--once", "--job", "no-such-job")


def test_the_task_celery_beat_sends_goes_through_the_same_claim(db, frozen, calls):
    assert jobs.run_scheduled_job("testapp-tick") == "succeeded"
    assert jobs.run_scheduled_job("testapp-tick") == "skipped"
    assert calls == ["tick"]


def test_run_jobs_loop_keeps_running_jobs_as_they_fall_due(db, frozen, calls):
    sleeps = []

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        frozen["now"] += timedelta(minutes=10)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    with mock.patch("time.sleep", fake_sleep), pytest.raises(KeyboardInterrupt):
        call_command("run_jobs", "--loop", "--job", "testapp-tick", "--max-sleep", "5")
    assert calls == ["tick", "tick"]
    assert sleeps == [5.0, 5.0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_locked_by_another_connection_is_skipped_not_waited_for(calls):
    ScheduledJob.objects.create(name="testapp-tick")
    locked, release = threading.Event(), threading.Event()

    def hold_the_row() -> None:
        try:
            with transaction.atomic():
                ScheduledJob.objects.select_for_update().get(name="testapp-tick")
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(10)
        assert run_job("testapp-tick").outcome == "skipped"
    finally:
        release.set()
        holder.join()
    assert calls == []
    assert run_job("testapp-tick").outcome == "succeeded"
