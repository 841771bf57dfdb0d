"""Periodic jobs: each app registers its own in ``apps.py`` ``ready()``; no central list.

    register_job("myapp-reminders", "myapp.tasks.send_reminders", every=timedelta(hours=1))

A job's target is a callable or the dotted path of one (a Celery task is a callable too). Two
ways run the same registry:

- ``celery beat`` (``securityunion.celery.RegistryScheduler``) sends one
  ``run_scheduled_job(name)`` task per job and interval to the workers;
- ``manage.py run_jobs --once`` / ``--loop`` runs due jobs in-process, without a broker.

Either way a run is claimed first on the job's ``ScheduledJob`` row (``select_for_update`` with
``skip_locked`` on PostgreSQL, then a compare-and-set on ``last_started_at``), so a job runs at
most once per interval across all processes and machines. A failure is recorded on the row
(outcome, error, count) and the job runs again at its next interval.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# A scheduler tick that arrives a moment early (clock jitter between beat and the database)
# still counts as due; without it a job every minute would run every other minute.
CLOCK_SLACK = timedelta(seconds=2)
RUN_TASK = "securityunion.casework.jobs.run_scheduled_job"


@dataclass(frozen=True)
class Job:
    name: str
    target: str | Callable[[], Any]
    interval: timedelta
    description: str = ""

    def resolve(self) -> Callable[[], Any]:
        return import_string(self.target) if isinstance(self.target, str) else self.target

    @property
    def target_label(self) -> str:
        if isinstance(self.target, str):
            return self.target
        return f"{self.target.__module__}.{self.target.__qualname__}"


@dataclass(frozen=True)
class JobResult:
    name: str
    outcome: str  # "succeeded", "failed" or "skipped" (not due, or claimed elsewhere)
    result: Any = None
    error: str = ""


jobs: dict[str, Job] = {}


def register_job(
    name: str,
    target: str | Callable[[], Any],
    *,
    every: timedelta | float,
    description: str = "",
) -> Job:
    """Add a periodic job; ``every`` is a timedelta or seconds. Registering it again is a no-op."""
    interval = every if isinstance(every, timedelta) else timedelta(seconds=every)
    if interval <= timedelta(0):
        raise ImproperlyConfigured(f"Job {name}: the interval must be positive.")
    job = Job(name=name, target=target, interval=interval, description=description)
    existing = jobs.get(name)
    if existing is not None and existing != job:
        raise ImproperlyConfigured(f"Job {name} is registered twice with different targets.")
    jobs[name] = job
    return job


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The Celery beat schedule: one entry per registered job, each going through the claim."""
    return {
        job.name: {"task": RUN_TASK, "schedule": job.interval.total_seconds(), "args": (job.name,)}
        for job in jobs.values()
    }


def _claim(job: Job, now: datetime) -> bool:
    """Take this interval's run of ``job`` for this process; False when not due or taken."""
    from .models import ScheduledJob

    ScheduledJob.objects.get_or_create(name=job.name)
    due_before = now - job.interval + CLOCK_SLACK
    with transaction.atomic():
        row = (
            ScheduledJob.objects.select_for_update(skip_locked=True)
            .filter(name=job.name)
            .only("pk", "last_started_at")
            .first()
        )
        if row is None:  # another process holds the row: it is running or claiming the job
            return False
        if row.last_started_at is not None and row.last_started_at > due_before:
            return False
        # Compare-and-set as well, for databases without row locks (SQLite).
        claimed = (
            ScheduledJob.objects.filter(pk=row.pk)
            .filter(Q(last_started_at__isnull=True) | Q(last_started_at__lte=due_before))
            .update(
                last_started_at=now,
                last_outcome=ScheduledJob.Outcome.RUNNING,
                runs=F("runs") + 1,
            )
        )
    return bool(claimed)


def run_job(name: str, *, now: datetime | None = None) -> JobResult:
    """Run the job ``name`` if it is due and nobody else has claimed it; record the outcome."""
    from .models import ScheduledJob

    job = jobs[name]
    now = now or timezone.now()
    if not _claim(job, now):
        return JobResult(name, "skipped")
    try:
        result = job.resolve()()
    except Exception as error:  # noqa: BLE001  (recorded on the row, retried next interval)
        logger.exception("Scheduled job %s failed", name)
        message = f"{type(error).__name__}: {error}"[:1000]
        ScheduledJob.objects.filter(name=name).update(
            last_finished_at=timezone.now(),
            last_outcome=ScheduledJob.Outcome.FAILED,
            last_error=message,
            failures=F("failures") + 1,
        )
        return JobResult(name, "failed", error=message)
    ScheduledJob.objects.filter(name=name).update(
        last_finished_at=timezone.now(),
        last_outcome=ScheduledJob.Outcome.SUCCEEDED,
        last_error="",
    )
    return JobResult(name, "succeeded", result=result)


def run_due_jobs(*, now: datetime | None = None, names: list[str] | None = None) -> list[JobResult]:
    """Run every due job once (in name order); jobs claimed elsewhere or not due are skipped."""
    selected = sorted(names) if names else sorted(jobs)
    return [run_job(name, now=now) for name in selected]


def next_due_in(*, now: datetime | None = None, names: list[str] | None = None) -> timedelta:
    """How long until the first of the jobs is due again (for ``run_jobs --loop``)."""
    from .models import ScheduledJob

    now = now or timezone.now()
    selected = [jobs[name] for name in names] if names else list(jobs.values())
    last = dict(
        ScheduledJob.objects.filter(name__in=[j.name for j in selected]).values_list(
            "name", "last_started_at"
        )
    )
    waits = []
    for job in selected:
        started = last.get(job.name)
        waits.append(timedelta(0) if started is None else started + job.interval - now)
    return max(min(waits, default=timedelta(minutes=1)), timedelta(0))


@shared_task(name=RUN_TASK)
def run_scheduled_job(name: str) -> str:
    """What celery beat sends: one job by name, through the same claim as ``run_jobs``."""
    if name not in jobs:
        logger.error("Scheduled job %s is not registered in this process", name)
        return "unknown"
    return run_job(name).outcome
