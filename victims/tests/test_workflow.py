"""The case's workflow, and withdrawal of consent from every state that is not final."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from securityunion.casework.services import case_transition
from securityunion.casework.workflow import WorkflowError
from victims.models import AssistanceRecord, VictimCase
from victims.services import assistance_record_add

pytestmark = pytest.mark.django_db

PATHS = {
    "opened": [],
    "verified": ["verify"],
    "active": ["verify", "activate"],
    "paused": ["verify", "activate", "pause"],
}


def _walk(case, actor, steps):  # noqa: ANN001, ANN202
    for step in steps:
        case_transition(case=case, transition=step, actor=actor, reason="needed")
    case.refresh_from_db()
    return case


def test_a_case_goes_from_opened_to_closed(people, case):
    officer = people["officer"]
    _walk(case, officer, ["verify", "activate", "pause", "resume", "close"])
    assert case.status == "closed"


@pytest.mark.parametrize("state", list(PATHS))
def test_consent_can_be_withdrawn_from_every_open_state(people, case, state):
    officer = people["officer"]
    _walk(case, officer, PATHS[state])
    assert case.status == state
    assistance_record_add(
        case=case,
        actor=officer,
        kind="contact",
        counterpart="Telephone",
        note="private note",
        happened_on=case.consent_given_on,
    )
    case_transition(case=case, transition="withdraw", actor=officer, reason="Asked by phone")
    case = VictimCase.objects.get(pk=case.pk)
    assert case.status == "withdrawn" and case.consent_withdrawn_at is not None
    assert case.person_name == case.person_contact == case.representative_name == ""
    assert case.date_of_birth == "" and case.representative_contact == ""
    assert AssistanceRecord.objects.get(case=case).note == ""


def test_withdrawal_needs_a_reason(people, case):
    with pytest.raises(ValidationError):
        case_transition(case=case, transition="withdraw", actor=people["officer"], reason=" ")
    case.refresh_from_db()
    assert case.status == "opened" and case.person_name


@pytest.mark.parametrize("steps", [["verify", "activate", "close"], ["withdraw"]])
def test_a_final_case_cannot_be_withdrawn_again(people, case, steps):
    _walk(case, people["officer"], steps)
    with pytest.raises(WorkflowError):
        case_transition(case=case, transition="withdraw", actor=people["officer"], reason="x")


def test_pausing_needs_a_reason(people, case):
    _walk(case, people["officer"], ["verify", "activate"])
    with pytest.raises(ValidationError):
        case_transition(case=case, transition="pause", actor=people["officer"])


def test_a_case_cannot_skip_verification(people, case):
    with pytest.raises(WorkflowError):
        case_transition(case=case, transition="activate", actor=people["officer"])


def test_the_auditor_cannot_take_a_transition(people, case):
    with pytest.raises(PermissionDenied):
        case_transition(case=case, transition="verify", actor=people["auditor"])


def test_another_officer_cannot_take_a_transition(people, case):
    with pytest.raises(PermissionDenied):
        case_transition(case=case, transition="verify", actor=people["officer2"])


def test_withdrawal_through_the_page_without_a_reason_keeps_the_case(client, people, case):
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{case.reference}/transition/",
        {"transition": "withdraw", "reason": "", "version": case.version},
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "opened"


def test_an_assistance_record_shows_on_the_timeline(client, people, case):
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{case.reference}/assistance/",
        {"kind": "referral", "counterpart": "Helpline", "happened_on": "2026-01-05", "note": "n"},
    )
    assert response.status_code == 302
    body = client.get(case.get_absolute_url()).content.decode()
    timeline = body[body.index('id="timeline-title"') :]
    assert "Referral recorded" in timeline and "on 5 Jan 2026" in timeline


def test_a_refused_assistance_record_keeps_what_was_typed(client, people, case):
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{case.reference}/assistance/",
        {"kind": "referral", "counterpart": "Typed helpline", "happened_on": "2999-01-01"},
    )
    assert response.status_code == 400
    assert "Typed helpline" in response.content.decode()
    assert not AssistanceRecord.objects.exists()


def test_the_assigned_officer_takes_a_transition_on_the_page(client, people, case):
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{case.reference}/transition/", {"transition": "verify", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "verified"


def test_withdrawal_on_the_page_with_a_reason_erases_the_persons_data(client, people, case):
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{case.reference}/transition/",
        {"transition": "withdraw", "reason": "Asked in person", "version": case.version},
    )
    assert response.status_code == 302
    case = VictimCase.objects.get(pk=case.pk)
    assert case.status == "withdrawn" and case.person_name == ""


def test_the_auditor_is_offered_no_transition(client, people, case):
    client.force_login(people["auditor"])
    body = client.get(case.get_absolute_url()).content.decode()
    assert 'name="transition"' not in body
