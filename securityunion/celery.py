"""Celery application.

With ``CELERY_BROKER_URL`` unset, tasks run in-process (eager), so the quick start and the
tests need no broker; with it set (Redis in production) they go to the workers.

The beat schedule is not listed in the settings: ``RegistryScheduler`` builds it from the jobs
the apps register (``securityunion.casework.jobs``) once Django is set up. Without a broker,
``manage.py run_jobs --loop`` runs the same jobs.
"""

import os

from celery import Celery
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securityunion.settings")

app = Celery("securityunion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_scheduler = "securityunion.celery:RegistryScheduler"
app.autodiscover_tasks()


class RegistryScheduler(PersistentScheduler):
    """celery beat's scheduler, its schedule taken from the registered jobs."""

    def setup_schedule(self) -> None:
        import django
        from django.apps import apps

        if not apps.ready:  # the worker fixup has usually set Django up already
            django.setup()
        from securityunion.casework.jobs import beat_schedule

        self.app.conf.beat_schedule = beat_schedule()
        super().setup_schedule()
