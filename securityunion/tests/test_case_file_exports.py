"""PDF case files are rendered by a worker and kept, sealed, for the user who asked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from securityunion.audit.models import AuditEvent
from securityunion.documents import tasks
from securityunion.documents.models import DocumentExport
from securityunion.documents.services import case_files_purge
from securityunion.tests.factories import sample_case

pytestmark = pytest.mark.urls("tests.testapp.urls")


@pytest.fixture
def with_broker(settings, monkeypatch):
    """Tasks go to a worker instead of running in the request; returns the queued export ids."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CASE_FILE_WAIT_SECONDS = 0
    queued: list[str] = []
    monkeypatch.setattr(tasks.render_case_file, "delay", queued.append)
    return queued


@pytest.fixture
def reviewer(make_user):
    return make_user("firearms_reviewer", "BE", username="reviewer_be")


def _queued(client, user, capture):  # noqa: ANN001, ANN202
    """A case whose file ``user`` asked for, queued for the worker (not yet rendered)."""
    case = sample_case()
    client.force_login(user)
    with capture(execute=True):
        client.get(f"/testapp/{case.reference}/pdf/")
    return case


def test_without_a_broker_the_page_answers_the_pdf_at_once(client, reviewer):
    case = sample_case()
    client.force_login(reviewer)
    response = client.get(f"/testapp/{case.reference}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert DocumentExport.objects.get().status == "ready"


def test_with_a_broker_the_request_queues_the_file_and_shows_its_page(
    client, reviewer, with_broker, django_capture_on_commit_callbacks
):
    case = sample_case()
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/testapp/{case.reference}/pdf/")
    export = DocumentExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/casework/exports/{export.pk}/"
    assert with_broker == [str(export.pk)]
    page = client.get(response["Location"]).content.decode()
    assert "being prepared" in page
    assert 'http-equiv="refresh"' in page


def test_the_worker_renders_the_file_and_its_requester_opens_it(
    client, reviewer, with_broker, django_capture_on_commit_callbacks
):
    case = _queued(client, reviewer, django_capture_on_commit_callbacks)
    assert tasks.render_case_file(with_broker[0]) == "ready"
    export = DocumentExport.objects.get()
    assert "Open the PDF" in client.get(f"/casework/exports/{export.pk}/").content.decode()
    response = client.get(f"/casework/exports/{export.pk}/pdf/")
    assert response.content.startswith(b"%PDF")
    exported = AuditEvent.objects.get(verb="export", object_id=str(case.pk))
    assert exported.data["sha256"] == response["X-Document-SHA256"]
    assert AuditEvent.objects.filter(verb="view", object_id=str(export.pk)).exists()


def test_the_stored_file_is_encrypted(client, reviewer):
    case = sample_case()
    client.force_login(reviewer)
    client.get(f"/testapp/{case.reference}/pdf/")
    sealed = bytes(DocumentExport.objects.get().sealed_pdf)
    assert b"%PDF" not in sealed


def test_another_user_cannot_see_or_open_my_export(client, reviewer, make_user):
    case = sample_case()
    client.force_login(reviewer)
    client.get(f"/testapp/{case.reference}/pdf/")
    export = DocumentExport.objects.get()
    client.force_login(make_user("firearms_reviewer", "BE", username="other_reviewer"))
    assert client.get(f"/casework/exports/{export.pk}/").status_code == 404
    assert client.get(f"/casework/exports/{export.pk}/pdf/").status_code == 404


def test_the_worker_refuses_a_requester_who_lost_the_right_to_export(
    client, reviewer, with_broker, django_capture_on_commit_callbacks
):
    case = _queued(client, reviewer, django_capture_on_commit_callbacks)
    reviewer.groups.clear()
    assert tasks.render_case_file(with_broker[0]) == "failed"
    export = DocumentExport.objects.get()
    assert export.sealed_pdf is None
    assert not AuditEvent.objects.filter(verb="export", object_id=str(case.pk)).exists()


def test_a_task_delivered_twice_renders_once(
    client, reviewer, with_broker, django_capture_on_commit_callbacks
):
    case = _queued(client, reviewer, django_capture_on_commit_callbacks)
    tasks.render_case_file(with_broker[0])
    assert tasks.render_case_file(with_broker[0]) == "gone"
    assert AuditEvent.objects.filter(verb="export", object_id=str(case.pk)).count() == 1


def test_old_exports_are_purged_and_recent_ones_kept(client, reviewer, settings):
    case = sample_case()
    client.force_login(reviewer)
    client.get(f"/testapp/{case.reference}/pdf/")
    client.get(f"/testapp/{case.reference}/pdf/")
    old, recent = DocumentExport.objects.order_by("created_at")
    old.created_at = timezone.now() - timedelta(hours=settings.CASE_FILE_KEEP_HOURS + 1)
    old.save(update_fields=["created_at"])
    assert case_files_purge() == 1
    assert list(DocumentExport.objects.values_list("pk", flat=True)) == [recent.pk]
