"""Celery application.

With ``CELERY_BROKER_URL`` unset, tasks run in-process (eager), so the quick start and the
tests need no broker; with it set (Redis in production) they go to the workers.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securityunion.settings")

app = Celery("securityunion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
