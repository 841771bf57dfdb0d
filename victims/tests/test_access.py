"""Need to know: an officer sees only their cases; the lead and auditors all; others none."""

import pytest

from securityunion.audit.models import AuditEvent
from victims.models import VictimCase
from victims.selectors import victim_cases_visible_to

pytestmark = pytest.mark.django_db


def test_an_officer_sees_only_the_cases_assigned_to_them(people, open_case):
    mine, theirs = open_case("officer"), open_case("officer2")
    visible = set(victim_cases_visible_to(people["officer"]))
    assert mine in visible and theirs not in visible


def test_the_list_page_leaves_out_another_officers_case(client, people, open_case):
    mine, theirs = open_case("officer"), open_case("officer2")
    client.force_login(people["officer"])
    body = client.get("/victims/").content.decode()
    assert mine.reference in body and theirs.reference not in body


@pytest.mark.parametrize("suffix", ["", "pdf/", "information/pdf/"])
def test_another_officers_case_is_a_404(client, people, open_case, suffix):
    theirs = open_case("officer2")
    client.force_login(people["officer"])
    assert client.get(f"/victims/{theirs.reference}/{suffix}").status_code == 404


def test_an_unassigned_case_is_a_404_for_an_officer(client, people, open_case):
    case = open_case(assignee=None)
    client.force_login(people["officer"])
    assert client.get(f"/victims/{case.reference}/").status_code == 404


def test_an_officer_cannot_take_a_transition_on_another_officers_case(client, people, open_case):
    theirs = open_case("officer2")
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{theirs.reference}/transition/", {"transition": "verify", "version": 2}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "opened"


@pytest.mark.parametrize("role", ["lead", "auditor"])
def test_the_lead_and_the_auditor_see_every_case(client, people, open_case, role):
    cases = [open_case("officer"), open_case("officer2"), open_case(None)]
    client.force_login(people[role])
    body = client.get("/victims/").content.decode()
    assert all(c.reference in body for c in cases)
    assert all(client.get(c.get_absolute_url()).status_code == 200 for c in cases)


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "police", "company"])
def test_other_roles_cannot_see_victims_at_all(client, people, case, role):
    client.force_login(people[role])
    assert client.get("/victims/").status_code == 403
    assert client.get(case.get_absolute_url()).status_code == 403
    assert client.get(f"/victims/{case.reference}/pdf/").status_code in (403, 404)
    assert not victim_cases_visible_to(people[role]).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, case):
    response = client.get(case.get_absolute_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_lead_assigns_a_case_to_an_officer(client, people, open_case):
    case = open_case(None)
    client.force_login(people["lead"])
    response = client.post(f"/victims/{case.reference}/assign/", {"assignee": people["officer"].pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == people["officer"]
    assert (
        VictimCase.objects.filter(pk=case.pk)
        .filter(pk__in=victim_cases_visible_to(people["officer"]))
        .exists()
    )


def test_an_officer_cannot_assign(client, people, case):
    client.force_login(people["officer"])
    response = client.post(
        f"/victims/{case.reference}/assign/", {"assignee": people["officer2"].pk}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.assignee == people["officer"]


def test_a_case_cannot_be_assigned_to_someone_who_does_not_work_victim_cases(client, people, case):
    from django.core.exceptions import ValidationError

    from victims.services import victim_cases_assign

    with pytest.raises(ValidationError):
        victim_cases_assign(cases=[case], assignee=people["caseworker"], actor=people["lead"])


@pytest.mark.parametrize("role", ["officer", "lead", "auditor"])
def test_every_read_of_a_case_page_is_audited(client, people, case, role):
    client.force_login(people[role])
    client.get(case.get_absolute_url())
    assert AuditEvent.objects.filter(
        verb="view", object_id=str(case.pk), actor=people[role]
    ).exists()


def test_every_pdf_of_a_case_is_audited(client, people, case):
    client.force_login(people["officer"])
    assert client.get(f"/victims/{case.reference}/pdf/").status_code == 200
    assert client.get(f"/victims/{case.reference}/information/pdf/").status_code == 200
    exports = AuditEvent.objects.filter(
        verb="export", object_id=str(case.pk), actor=people["officer"]
    )
    assert exports.count() >= 2


def test_a_refused_look_at_another_officers_case_is_audited(client, people, open_case):
    theirs = open_case("officer2")
    client.force_login(people["officer"])
    client.get(theirs.get_absolute_url())
    assert AuditEvent.objects.filter(
        verb="permission_denied", object_id=str(theirs.pk), actor=people["officer"]
    ).exists()


def test_the_list_costs_the_same_queries_for_one_case_and_for_several(client, people, open_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["lead"])
    open_case("officer")
    client.get("/victims/")
    with CaptureQueriesContext(connection) as one:
        client.get("/victims/")
    for _ in range(4):
        open_case("officer2")
    with CaptureQueriesContext(connection) as several:
        client.get("/victims/")
    assert len(several) == len(one)
