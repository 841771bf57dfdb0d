"""The notice inbox serves every kind of subject; notice types are registered by their apps;
a company confirms it carried out a removal or reinstatement."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from securityunion.accounts.models import Organisation
from securityunion.accounts.services import api_client_create
from securityunion.audit.models import AuditEvent
from securityunion.casework.models import Notice
from securityunion.casework.notices import notice_send
from securityunion.casework.registry import NoticeType, notice_types, register_notice_type
from securityunion.tests.factories import sample_case
from tests.testapp.notices import SAMPLE_REMOVAL


def _company(slug):  # noqa: ANN001, ANN202
    return Organisation.objects.create(
        slug=slug, name=slug.title(), type=Organisation.Type.COMPANY, country_id="IE"
    )


def _api(organisation):  # noqa: ANN001, ANN202
    client, _secret = api_client_create(organisation=organisation)
    api = APIClient()
    api.force_authenticate(client.application.user)
    return api


@pytest.fixture
def company(db):
    return _company("example-hosting")


@pytest.fixture
def api(company):
    return _api(company)


@pytest.fixture
def case(db):
    return sample_case()


@pytest.fixture
def removal(company, case):
    notice = notice_send(
        organisation=company,
        type=SAMPLE_REMOVAL,
        subject=case,
        subject_reference=case.reference,
        text="Remove the items listed.",
        items=["https://files.example.com/a"],
        actor=None,
    )
    Notice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - timedelta(hours=2),
        visible_from=timezone.now() - timedelta(hours=2),
    )
    return Notice.objects.get(pk=notice.pk)


def _confirm(api, notice, done_at):  # noqa: ANN001, ANN202
    return api.post(
        f"/api/v1/notices/{notice.pk}/confirm/", {"done_at": done_at.isoformat()}, format="json"
    )


def test_an_app_registers_its_own_notice_type_from_its_app_config():
    kind = notice_types[SAMPLE_REMOVAL]
    assert kind.subject_type == "sample_case" and kind.confirmable


def test_the_reports_area_registers_its_notice_types():
    assert notice_types["information_request"].response_handler is not None
    assert notice_types["outcome"].subject_type == "report"


def test_registering_a_different_type_under_a_taken_code_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        register_notice_type(NoticeType(code=SAMPLE_REMOVAL, label="x", subject_type="other"))


def test_an_unregistered_notice_type_cannot_be_sent(company, case):
    with pytest.raises(ValueError, match="Unregistered"):
        notice_send(
            organisation=company,
            type="nonsense",
            subject=case,
            subject_reference=case.reference,
            text="x",
            actor=None,
        )


def test_a_notice_names_its_subject_by_type_and_reference(api, removal, case):
    row = api.get("/api/v1/notices/").json()["results"][0]
    assert row["type"] == SAMPLE_REMOVAL
    assert row["subject"] == {"type": "sample_case", "reference": case.reference}
    assert row["report"] is None
    assert row["confirmable"] is True


def test_the_inbox_filters_by_a_registered_type(api, removal):
    assert len(api.get("/api/v1/notices/", {"type": SAMPLE_REMOVAL}).json()["results"]) == 1
    assert api.get("/api/v1/notices/", {"type": "outcome"}).json()["results"] == []


def test_filtering_by_an_unknown_type_is_a_400(api, removal):
    assert api.get("/api/v1/notices/", {"type": "nonsense"}).status_code == 400


def test_a_company_confirms_a_removal(api, removal):
    done = timezone.now() - timedelta(minutes=30)
    response = _confirm(api, removal, done)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "confirmed" and body["done_at"] and body["confirmed_at"]
    removal.refresh_from_db()
    assert removal.done_at == done and removal.acknowledged_at is not None


def test_a_confirmation_is_audited_and_the_type_handler_acts_on_it(api, removal, case):
    _confirm(api, removal, timezone.now() - timedelta(minutes=30))
    assert AuditEvent.objects.filter(
        object_type="casework.notice", object_id=str(removal.pk), data__confirmed=True
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="testapp.samplecase", object_id=str(case.pk), data__removal_confirmed=True
    ).exists()


def test_confirming_again_with_the_same_time_is_a_harmless_replay(api, removal, case):
    done = timezone.now() - timedelta(minutes=30)
    first = _confirm(api, removal, done)
    second = _confirm(api, removal, done)
    assert second.status_code == 200 and second.json() == first.json()
    handled = AuditEvent.objects.filter(
        object_type="testapp.samplecase", object_id=str(case.pk), data__removal_confirmed=True
    )
    assert handled.count() == 1


def test_confirming_again_with_another_time_is_a_conflict(api, removal):
    _confirm(api, removal, timezone.now() - timedelta(minutes=30))
    response = _confirm(api, removal, timezone.now() - timedelta(minutes=10))
    assert response.status_code == 409


def test_a_done_at_in_the_future_is_refused(api, removal):
    response = _confirm(api, removal, timezone.now() + timedelta(days=1))
    assert response.status_code == 400 and "done_at" in response.json()["errors"]
    removal.refresh_from_db()
    assert removal.confirmed_at is None


def test_a_done_at_before_the_notice_is_refused(api, removal):
    response = _confirm(api, removal, removal.created_at - timedelta(minutes=1))
    assert response.status_code == 400 and "done_at" in response.json()["errors"]


def test_a_done_at_without_a_time_zone_is_refused(api, removal):
    response = api.post(
        f"/api/v1/notices/{removal.pk}/confirm/",
        {"done_at": "2026-01-01T10:00:00"},
        format="json",
    )
    assert response.status_code == 400


def test_a_notice_that_takes_no_confirmation_cannot_be_confirmed(api, company, case):
    notice = notice_send(
        organisation=company,
        type="outcome",
        subject=case,
        subject_reference=case.reference,
        text="Decided.",
        actor=None,
    )
    response = _confirm(api, notice, timezone.now())
    assert response.status_code == 409
    notice.refresh_from_db()
    assert notice.confirmed_at is None


def test_another_company_cannot_confirm_the_notice(removal):
    other = _api(_company("someone-else"))
    response = _confirm(other, removal, timezone.now() - timedelta(minutes=5))
    assert response.status_code == 404
    removal.refresh_from_db()
    assert removal.confirmed_at is None


def test_a_deferred_notice_cannot_be_confirmed_yet(api, removal):
    Notice.objects.filter(pk=removal.pk).update(visible_from=timezone.now() + timedelta(days=3))
    assert _confirm(api, removal, timezone.now()).status_code == 404


def test_the_database_refuses_a_done_at_before_the_notice(removal):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.filter(pk=removal.pk).update(
            done_at=removal.created_at - timedelta(days=1), confirmed_at=timezone.now()
        )


def test_the_committed_schema_shows_the_subject_and_the_confirmation():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "openapi.yaml").read_text()
    assert "/api/v1/notices/{id}/confirm/:" in text
    assert "NoticeSubject:" in text and "NoticeConfirm" in text
