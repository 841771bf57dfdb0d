"""The public complaint form and the status look-up."""

from __future__ import annotations

import pytest
from django.core import mail

from reports.complaints import Complaint
from reports.services import provider_for
from reports.services.complaints import complaint_status_lookup, complaint_submit
from securityunion.audit.models import AuditEvent

from .complaint_fixtures import ITEM_ID, complaint_fields


@pytest.fixture
def provider(company):
    return provider_for(company)


def _form(company_provider, **overrides):  # noqa: ANN001, ANN003, ANN202
    data = {
        "complainant": "content_owner",
        "provider": str(company_provider.pk),
        "service": "Photo sharing app",
        "content_url": "https://photos.example.com/p/1",
        "item_id": ITEM_ID,
        "removed_on": "2026-11-20",
        "description": "My photo of a beach was removed.",
        "contact_email": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_is_public(client, db):
    response = client.get("/complaints/new/")
    assert response.status_code == 200
    assert b"Who are you?" in response.content


def test_the_status_page_is_public(client, db):
    assert client.get("/complaints/status/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", "consent"),
        ({"content_url": "not a url", "item_id": ""}, "content_url", "https://"),
        ({"content_url": "", "item_id": ""}, "content_url", "item id"),
        ({"description": "x" * 4001}, "description", "at most 4000"),
        ({"complainant": ""}, "complainant", "who you are"),
        ({"provider": "999999"}, "provider", "company"),
        ({"contact_email": "nope"}, "contact_email", "e-mail"),
        ({"removed_on": "2999-01-01"}, "removed_on", "future"),
    ],
)
def test_bad_input_re_renders_the_form_with_a_specific_message_and_stores_nothing(
    client, provider, overrides, field, message
):
    response = client.post("/complaints/new/", _form(provider, **overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert message.lower() in " ".join(form.errors[field]).lower()
    assert f'href="#id_{field}' in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_field_in_error_is_described_by_its_message(client, provider):
    response = client.post("/complaints/new/", _form(provider, description=""))
    html = response.content.decode()
    assert 'aria-describedby="id_description_help id_description_error"' in html
    assert 'aria-invalid="true"' in html


def test_a_filled_honeypot_stores_nothing(client, provider):
    response = client.post("/complaints/new/", _form(provider, website="http://spam.test"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Complaint.objects.exists()
    assert AuditEvent.objects.filter(data__reason="honeypot filled").exists()


def test_success_shows_the_reference_and_the_code_once(client, provider):
    response = client.post("/complaints/new/", _form(provider))
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    html = response.content.decode()
    assert complaint.reference in html
    assert response.context["code"] in html
    assert response.context["code"] not in complaint.code_hash


def test_the_personal_data_is_encrypted_and_not_audited(client, provider):
    from django.db import connection

    client.post(
        "/complaints/new/",
        _form(provider, contact_email="owner@example.org", description="secret words here"),
    )
    complaint = Complaint.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_email, description FROM reports_complaint WHERE id = %s",
            [complaint.pk],
        )
        email, text = cursor.fetchone()
    assert "owner@example.org" not in email and "secret words" not in text
    audited = str(list(AuditEvent.objects.values_list("data", flat=True)))
    assert "owner@example.org" not in audited and "secret words" not in audited


def test_the_code_is_mailed_after_commit_when_an_address_is_given(
    provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = complaint_submit(**complaint_fields(provider))
    assert len(mail.outbox) == 1
    assert receipt.code in mail.outbox[0].body
    assert mail.outbox[0].to == ["owner@example.org"]


def test_no_mail_without_an_address(provider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint_submit(**complaint_fields(provider, contact_email=""))
    assert mail.outbox == []


def test_the_right_code_shows_the_status(client, provider):
    receipt = complaint_submit(**complaint_fields(provider))
    response = client.post(
        "/complaints/status/",
        {"reference": receipt.complaint.reference, "code": receipt.code.lower()},
    )
    assert response.status_code == 200
    assert response.context["complaint"] == receipt.complaint
    assert "Received" in response.content.decode()


def test_a_wrong_code_and_an_unknown_reference_give_the_same_not_found(client, provider):
    receipt = complaint_submit(**complaint_fields(provider))
    wrong = client.post(
        "/complaints/status/", {"reference": receipt.complaint.reference, "code": "AAAA-BBBB"}
    )
    unknown = client.post(
        "/complaints/status/", {"reference": "CMP-2026-999999", "code": receipt.code}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.context["not_found"] == unknown.context["not_found"]
    assert "complaint" not in wrong.context and "complaint" not in unknown.context


def test_the_lookup_checks_a_hash_for_an_unknown_reference_too(provider, monkeypatch):
    from reports.services import complaints

    checked = []
    real = complaints.check_password
    monkeypatch.setattr(
        complaints, "check_password", lambda raw, enc: checked.append(enc) or real(raw, enc)
    )
    assert complaint_status_lookup(reference="CMP-2026-999999", code="X") is None
    assert len(checked) == 1


def test_submissions_are_rate_limited_per_address(client, provider, settings):
    settings.COMPLAINT_SUBMISSIONS_PER_ADDRESS = 2
    for _n in range(2):
        client.post("/complaints/new/", _form(provider), REMOTE_ADDR="198.51.100.7")
    refused = client.post("/complaints/new/", _form(provider), REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert Complaint.objects.count() == 2
    assert AuditEvent.objects.filter(data__reason="rate limited").exists()
    other = client.post("/complaints/new/", _form(provider), REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 200


def test_status_lookups_are_rate_limited_per_address(client, provider, settings):
    settings.COMPLAINT_LOOKUPS_PER_ADDRESS = 3
    receipt = complaint_submit(**complaint_fields(provider))
    for _n in range(3):
        client.post("/complaints/status/", {"reference": "CMP-2026-1", "code": "x"})
    right = client.post(
        "/complaints/status/",
        {"reference": receipt.complaint.reference, "code": receipt.code},
    )
    assert right.status_code == 429


def test_the_form_needs_a_csrf_token(provider, db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/complaints/new/", _form(provider)).status_code == 403
    assert not Complaint.objects.exists()


def test_the_decision_deadline_is_set_from_the_setting(provider):
    complaint = complaint_submit(**complaint_fields(provider)).complaint
    assert (complaint.due_at - complaint.created_at).days == 30


def test_every_problem_is_named_at_once(client, provider):
    response = client.post(
        "/complaints/new/",
        _form(provider, consent=None, content_url="not a url", description="x" * 4001),
    )
    assert {"consent", "content_url", "description"} <= set(response.context["form"].errors)
    assert not Complaint.objects.exists()
