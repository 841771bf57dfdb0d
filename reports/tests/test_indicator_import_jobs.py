"""Indicator lists uploaded on the page are imported by a worker, not inside the request."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reports.models import Indicator, IndicatorImport
from reports.services import (
    indicator_import_request,
    indicator_import_run,
    indicator_imports_time_out,
)
from securityunion.audit.models import AuditEvent
from securityunion.lib.encryption import decrypt_bytes

from .conftest import hexhash

HEADER = "algorithm,value,category,source\n"
GOOD = HEADER + f"sha256,{hexhash('j1')},known_csam,\nmd5,{hexhash('j2', 32)},known_csam,\n"


@pytest.fixture
def supervisor(make_user):  # noqa: ANN001, ANN201
    return make_user("centre_supervisor", "BE", username="sup-jobs")


@pytest.fixture
def queued_only(settings):  # noqa: ANN001, ANN201
    """A broker is configured: uploads are queued and wait for a worker."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch("reports.tasks.run_indicator_import.delay") as delay:
        yield delay


def _upload(client, text=GOOD):  # noqa: ANN001, ANN202
    return client.post(
        "/reports/indicators/import/",
        {
            "file": SimpleUploadedFile("list.csv", text.encode(), content_type="text/csv"),
            "source": "hotline",
            "status": "active",
        },
    )


def test_an_upload_is_imported_and_its_page_shows_the_counts(client, supervisor):
    client.force_login(supervisor)
    response = _upload(client)
    upload = IndicatorImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/indicators/import/{upload.pk}/"
    assert (upload.status, upload.created, upload.unchanged) == ("done", 2, 0)
    page = client.get(response["Location"]).content.decode()
    assert "2 indicators added, 0 already on the list." in page
    assert 'http-equiv="refresh"' not in page
    assert Indicator.objects.filter(source="hotline").count() == 2


def test_an_invalid_file_shows_its_row_errors_on_the_import_page_and_adds_nothing(
    client, supervisor
):
    client.force_login(supervisor)
    response = _upload(client, HEADER + f"sha256,{hexhash('ok')},known_csam,\nmd5,bad,x,\n")
    upload = IndicatorImport.objects.get()
    assert upload.status == "failed" and upload.errors[0][0] == 3
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page and "Line 3" in page
    assert not Indicator.objects.exists()


def test_a_queued_import_page_refreshes_itself_without_script(client, supervisor, queued_only):
    client.force_login(supervisor)
    response = _upload(client)
    queued_only.assert_called_once()
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh"' in page
    assert "queued for import" in page
    assert not Indicator.objects.exists()


def test_another_supervisor_gets_a_404_on_someones_import_page(client, supervisor, make_user):
    client.force_login(supervisor)
    location = _upload(client)["Location"]
    client.force_login(make_user("centre_supervisor", "BE", username="other-sup"))
    assert client.get(location).status_code == 404


def test_a_caseworker_cannot_open_an_import_page(client, supervisor, make_user):
    client.force_login(supervisor)
    location = _upload(client)["Location"]
    client.force_login(make_user("centre_caseworker", "BE"))
    assert client.get(location).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in_from_an_import_page(client, supervisor):
    client.force_login(supervisor)
    location = _upload(client)["Location"]
    client.logout()
    response = client.get(location)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_caseworker_cannot_queue_an_import(make_user, db):
    from django.core.exceptions import PermissionDenied

    caseworker = make_user("centre_caseworker", "BE")
    with pytest.raises(PermissionDenied):
        indicator_import_request(text=GOOD, source="l", status="active", actor=caseworker)
    assert not IndicatorImport.objects.exists()
    assert AuditEvent.objects.filter(verb="permission_denied", actor=caseworker).exists()


def test_a_requester_who_lost_the_capability_before_the_task_runs_imports_nothing(
    supervisor, queued_only
):
    upload = indicator_import_request(text=GOOD, source="l", status="active", actor=supervisor)
    supervisor.groups.clear()
    assert indicator_import_run(import_id=upload.pk) == "failed"
    upload.refresh_from_db()
    assert (upload.status, upload.error) == ("failed", "not allowed")
    assert not Indicator.objects.exists()
    assert AuditEvent.objects.filter(
        verb="permission_denied", actor=supervisor, data__indicator_import="l"
    ).exists()


def test_a_task_delivered_twice_imports_once(supervisor, queued_only):
    upload = indicator_import_request(text=GOOD, source="l", status="active", actor=supervisor)
    assert indicator_import_run(import_id=upload.pk) == "done"
    assert indicator_import_run(import_id=upload.pk) == "gone"
    assert Indicator.objects.count() == 2
    assert AuditEvent.objects.filter(verb="create", data__indicator_import="l").count() == 1


def test_the_file_text_is_stored_encrypted_until_the_import_ran(supervisor, queued_only):
    upload = indicator_import_request(text=GOOD, source="l", status="active", actor=supervisor)
    sealed = bytes(IndicatorImport.objects.get().sealed_text)
    assert hexhash("j1").encode() not in sealed
    context = f"reports.indicatorimport.sealed_text:{upload.pk}"
    assert decrypt_bytes(sealed, context=context).decode() == GOOD


def test_the_file_text_is_not_kept_after_the_import(supervisor):
    upload = indicator_import_request(text=GOOD, source="l", status="active", actor=supervisor)
    assert IndicatorImport.objects.get(pk=upload.pk).sealed_text is None


def test_a_file_text_sealed_for_another_import_does_not_open(supervisor, queued_only):
    first = indicator_import_request(text=GOOD, source="l", status="active", actor=supervisor)
    second = indicator_import_request(text=GOOD, source="m", status="active", actor=supervisor)
    sealed = IndicatorImport.objects.get(pk=first.pk).sealed_text
    IndicatorImport.objects.filter(pk=second.pk).update(sealed_text=sealed)
    assert indicator_import_run(import_id=second.pk) == "failed"
    second.refresh_from_db()
    assert (second.error, second.sealed_text) == ("import failed", None)
    assert not Indicator.objects.exists()


def test_the_file_text_is_not_kept_after_a_refused_import(supervisor, queued_only):
    upload = indicator_import_request(text=GOOD, source="l", status="active", actor=supervisor)
    supervisor.groups.clear()
    indicator_import_run(import_id=upload.pk)
    assert IndicatorImport.objects.get(pk=upload.pk).sealed_text is None


def test_an_import_queued_for_over_an_hour_fails_and_loses_its_text(supervisor, queued_only):
    upload = indicator_import_request(text=GOOD, source="l", status="active", actor=supervisor)
    fresh = indicator_import_request(text=GOOD, source="m", status="active", actor=supervisor)
    IndicatorImport.objects.filter(pk=upload.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    assert indicator_imports_time_out() == 1
    upload.refresh_from_db()
    assert (upload.status, upload.error, upload.sealed_text) == ("failed", "timed out", None)
    assert IndicatorImport.objects.get(pk=fresh.pk).status == "queued"
    assert indicator_import_run(import_id=upload.pk) == "gone"
    assert not Indicator.objects.exists()


def test_the_time_out_is_a_registered_scheduled_job(db):
    from securityunion.casework.jobs import jobs

    assert jobs["reports-indicator-imports-time-out"].target == (
        "reports.tasks.indicator_imports_time_out"
    )
