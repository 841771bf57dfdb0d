"""PDF case files are rendered by a worker and kept, sealed, for the user who asked."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from securityunion.audit.models import AuditEvent
from securityunion.documents import tasks
from securityunion.documents.models import DocumentExport
from securityunion.documents.registry import _builders, register_pdf_builder
from securityunion.documents.services import (
    case_file_render,
    case_file_request,
    case_files_purge,
)
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


def _age(export: DocumentExport, **delta) -> None:  # noqa: ANN003
    DocumentExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - timedelta(**delta)
    )


def test_old_exports_are_purged_and_recent_ones_kept(client, reviewer, settings):
    case = sample_case()
    client.force_login(reviewer)
    client.get(f"/testapp/{case.reference}/pdf/")
    client.get(f"/testapp/{case.reference}/pdf/")
    old, recent = DocumentExport.objects.order_by("created_at")
    _age(old, hours=settings.CASE_FILE_KEEP_HOURS + 1)
    assert case_files_purge().deleted == 1
    assert list(DocumentExport.objects.values_list("pk", flat=True)) == [recent.pk]


def test_an_export_pending_past_the_limit_becomes_failed(
    client, reviewer, with_broker, settings, django_capture_on_commit_callbacks
):
    _queued(client, reviewer, django_capture_on_commit_callbacks)
    export = DocumentExport.objects.get()
    _age(export, minutes=settings.CASE_FILE_PENDING_MINUTES + 1)
    assert case_files_purge().timed_out == 1
    export.refresh_from_db()
    assert (export.status, export.error) == ("failed", "timed out")
    assert tasks.render_case_file(with_broker[0]) == "gone"


def test_a_recent_pending_export_is_left_to_its_worker(
    client, reviewer, with_broker, django_capture_on_commit_callbacks
):
    _queued(client, reviewer, django_capture_on_commit_callbacks)
    assert case_files_purge().timed_out == 0
    assert DocumentExport.objects.get().status == "pending"


def test_a_stuck_export_is_purged_after_the_keep_time(
    client, reviewer, with_broker, settings, django_capture_on_commit_callbacks
):
    _queued(client, reviewer, django_capture_on_commit_callbacks)
    _age(DocumentExport.objects.get(), hours=settings.CASE_FILE_KEEP_HOURS + 1)
    assert case_files_purge().deleted == 1
    assert not DocumentExport.objects.exists()


def test_a_failed_export_is_purged_after_the_keep_time_and_not_before(
    client, reviewer, with_broker, settings, django_capture_on_commit_callbacks
):
    _queued(client, reviewer, django_capture_on_commit_callbacks)
    reviewer.groups.clear()
    assert tasks.render_case_file(with_broker[0]) == "failed"
    export = DocumentExport.objects.get()
    assert case_files_purge().deleted == 0
    _age(export, hours=settings.CASE_FILE_KEEP_HOURS + 1)
    assert case_files_purge().deleted == 1


def test_the_purge_command_runs_without_a_broker(client, reviewer, settings):
    case = sample_case()
    client.force_login(reviewer)
    client.get(f"/testapp/{case.reference}/pdf/")
    _age(DocumentExport.objects.get(), hours=settings.CASE_FILE_KEEP_HOURS + 1)
    out = io.StringIO()
    call_command("purge_case_files", stdout=out)
    assert "1 deleted" in out.getvalue()
    assert not DocumentExport.objects.exists()


# --- the stored file is delivered only while its requester may still see the record ---------


def _ready_export(client, user) -> tuple:  # noqa: ANN001
    case = sample_case()
    client.force_login(user)
    client.get(f"/testapp/{case.reference}/pdf/")
    export = DocumentExport.objects.get()
    assert export.status == "ready"
    return case, export


def test_a_requester_who_lost_the_role_gets_a_404_for_the_stored_file(client, reviewer):
    _case, export = _ready_export(client, reviewer)
    reviewer.groups.clear()
    client.force_login(reviewer)  # a role change ends the sessions; signed in again without it
    response = client.get(f"/casework/exports/{export.pk}/pdf/")
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_a_refused_download_is_audited(client, reviewer):
    _case, export = _ready_export(client, reviewer)
    reviewer.groups.clear()
    client.force_login(reviewer)  # a role change ends the sessions; signed in again without it
    client.get(f"/casework/exports/{export.pk}/pdf/")
    event = AuditEvent.objects.get(verb="permission_denied", object_id=str(export.pk))
    assert event.actor == reviewer


def test_a_requester_whose_record_left_their_scope_gets_a_404(client, make_user):
    from django.contrib.auth.models import Group

    officer = make_user("focal_point", "FR", username="fp_exporting")
    officer.groups.add(Group.objects.get(name="law_enforcement"))  # export_pdf, own country
    case, export = _ready_export(client, officer)
    assert client.get(f"/casework/exports/{export.pk}/pdf/").status_code == 200
    type(case).objects.filter(pk=case.pk).update(country="DE")
    assert client.get(f"/casework/exports/{export.pk}/pdf/").status_code == 404
    assert AuditEvent.objects.filter(verb="permission_denied", object_id=str(export.pk)).exists()


def test_the_export_page_is_a_404_once_the_record_left_the_requesters_scope(client, make_user):
    from django.contrib.auth.models import Group

    officer = make_user("focal_point", "FR", username="fp_exporting")
    officer.groups.add(Group.objects.get(name="law_enforcement"))  # export_pdf, own country
    case, export = _ready_export(client, officer)
    assert client.get(f"/casework/exports/{export.pk}/").status_code == 200
    type(case).objects.filter(pk=case.pk).update(country="DE")
    response = client.get(f"/casework/exports/{export.pk}/")
    assert response.status_code == 404
    assert case.reference not in response.content.decode()


def test_the_requester_still_in_scope_opens_the_stored_file(client, reviewer):
    _case, export = _ready_export(client, reviewer)
    response = client.get(f"/casework/exports/{export.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- rendering runs outside any transaction ------------------------------------------------


@pytest.fixture
def probe_builder():
    """A builder for the sample case that records whether a transaction was open."""
    from tests.testapp.models import SampleCase

    seen: list[bool] = []

    def context(obj, user):  # noqa: ANN001, ANN202
        seen.append(connection.in_atomic_block)
        return {"object": obj}

    register_pdf_builder(
        "testapp.probe",
        model=SampleCase,
        template_name="pdf/casework/case_file.html",
        context=context,
    )
    yield seen
    _builders.pop("testapp.probe", None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_transaction_is_open_while_a_case_file_renders(probe_builder, make_user, settings):
    reviewer = make_user("firearms_reviewer", "BE", username="reviewer_tx")
    export = case_file_request(builder="testapp.probe", target=sample_case(), actor=reviewer)
    assert probe_builder == [False]
    assert export.status == "ready"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_inside_a_transaction_renders_after_it_commits(probe_builder, make_user):
    from django.db import transaction

    reviewer = make_user("firearms_reviewer", "BE", username="reviewer_tx2")
    with transaction.atomic():
        export = case_file_request(builder="testapp.probe", target=sample_case(), actor=reviewer)
        assert probe_builder == []
    assert probe_builder == [False]
    export.refresh_from_db()
    assert export.status == "ready"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_refuses_to_render_inside_a_transaction():
    from django.db import transaction

    with transaction.atomic(), pytest.raises(RuntimeError):
        case_file_render(export_id="00000000-0000-0000-0000-000000000000")


def test_an_export_names_its_builder_by_registry_key(client, reviewer):
    _ready_export(client, reviewer)
    assert DocumentExport.objects.get().builder == "testapp.case_file"


def test_an_export_naming_an_unknown_builder_fails(
    client, reviewer, with_broker, django_capture_on_commit_callbacks
):
    _queued(client, reviewer, django_capture_on_commit_callbacks)
    DocumentExport.objects.update(builder="testapp.views.SamplePdfView")
    assert tasks.render_case_file(with_broker[0]) == "failed"
    assert DocumentExport.objects.get().error == "unknown document"
