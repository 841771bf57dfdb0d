"""The person's data is encrypted at rest and never reaches the audit log."""

import json

import pytest
from django.db import connection

from securityunion.audit.models import AuditEvent
from victims.models import AssistanceRecord, VictimCase
from victims.services import assistance_record_add, victim_personal_data_update

from .conftest import PERSON

pytestmark = pytest.mark.django_db


def _raw(table, pk):  # noqa: ANN001, ANN202
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return " ".join(str(v) for v in cursor.fetchone())


def test_the_persons_data_is_not_readable_in_the_database(case):
    row = _raw(VictimCase._meta.db_table, case.pk)
    for value in PERSON.values():
        assert value not in row
    assert VictimCase.objects.get(pk=case.pk).person_name == PERSON["person_name"]


def test_an_assistance_note_is_not_readable_in_the_database(people, case):
    record = assistance_record_add(
        case=case,
        actor=people["officer"],
        kind="contact",
        counterpart="Telephone",
        note="Lives at 12 Secret Street",
        happened_on=case.consent_given_on,
    )
    assert "Secret Street" not in _raw(AssistanceRecord._meta.db_table, record.pk)


def test_edits_audit_the_names_of_the_changed_fields_never_their_values(people, case):
    victim_personal_data_update(
        case=case,
        actor=people["officer"],
        personal={**PERSON, "person_contact": "new.secret@example.org"},
        expected_version=case.version,
    )
    events = AuditEvent.objects.filter(object_id=str(case.pk))
    dumped = json.dumps([e.data for e in events])
    assert "person_contact" in dumped
    assert "new.secret@example.org" not in dumped
    for value in PERSON.values():
        assert value not in dumped


def test_the_creation_audit_marks_the_personal_data_redacted(case):
    created = AuditEvent.objects.get(verb="create", object_id=str(case.pk))
    assert created.data.get("personal_data") == "redacted"
    assert PERSON["person_name"] not in json.dumps(created.data)


def test_the_auditor_does_not_see_the_persons_data_on_the_page(client, people, case):
    client.force_login(people["auditor"])
    body = client.get(case.get_absolute_url()).content.decode()
    assert case.reference in body
    for value in PERSON.values():
        assert value not in body


def test_the_assigned_officer_sees_the_persons_data(client, people, case):
    client.force_login(people["officer"])
    body = client.get(case.get_absolute_url()).content.decode()
    assert PERSON["person_contact"] in body


def test_a_form_refused_keeps_what_was_typed(client, people, case):
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{case.reference}/personal/",
        {
            **PERSON,
            "person_contact": "typed.value@example.org",
            "date_of_birth": "not-a-date",
            "version": case.version,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "typed.value@example.org" in body and "not-a-date" in body
    assert "YYYY-MM-DD" in body
    case.refresh_from_db()
    assert case.person_contact == PERSON["person_contact"]


def test_a_stale_edit_is_refused(client, people, case):
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{case.reference}/personal/",
        {**PERSON, "person_name": "Other", "version": case.version - 1},
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.person_name == PERSON["person_name"]


def test_the_auditor_cannot_edit_the_persons_data(client, people, case):
    client.force_login(people["auditor"])
    response = client.post(
        f"/victims/{case.reference}/personal/",
        {**PERSON, "person_name": "Other", "version": case.version},
    )
    assert response.status_code == 403


def test_the_create_form_keeps_what_was_typed_on_error(client, people):
    client.force_login(people["officer"])
    response = client.post(
        "/victims/new/",
        {
            "country": "PT",
            "consent_scope": "removal",
            "consent_given_on": "2999-01-01",
            "person_contact": "kept@example.org",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "kept@example.org" in body
    assert not VictimCase.objects.exists()


def test_an_officers_new_case_is_assigned_to_them(client, people):
    client.force_login(people["officer"])
    response = client.post(
        "/victims/new/",
        {
            "country": "PT",
            "consent_scope": "removal",
            "consent_given_on": "2026-01-02",
            "person_name": "Someone",
        },
    )
    assert response.status_code == 302
    case = VictimCase.objects.get()
    assert case.assignee == people["officer"] and case.reference.startswith("VIC-")
    assert "Someone" not in response["Location"]


def test_hostile_input_on_the_create_form_is_a_400(client, people):
    client.force_login(people["officer"])
    response = client.post(
        "/victims/new/", {"country": "XX\x00", "consent_scope": "<script>", "consent_given_on": "x"}
    )
    assert response.status_code == 400


def test_a_leads_new_case_stays_unassigned_until_assigned(client, people):
    client.force_login(people["lead"])
    response = client.post(
        "/victims/new/",
        {
            "country": "BE",
            "consent_scope": "information",
            "consent_given_on": "2026-01-02",
            "representative_name": "A Lawyer",
        },
    )
    assert response.status_code == 302
    assert VictimCase.objects.get().assignee is None


def test_a_case_needs_the_persons_or_the_representatives_name(client, people):
    client.force_login(people["officer"])
    response = client.post(
        "/victims/new/",
        {"country": "BE", "consent_scope": "information", "consent_given_on": "2026-01-02"},
    )
    assert response.status_code == 400
    assert not VictimCase.objects.exists()
