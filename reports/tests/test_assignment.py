"""Taking and handing over reports: assign to me, starting assigns, supervisors reassign."""

import pytest
from django.core.exceptions import PermissionDenied

from reports.models import ProviderReport
from reports.services import reports_assign, reports_take
from securityunion.audit.models import AuditEvent
from securityunion.casework.services import case_transition
from securityunion.notifications.models import Notification


@pytest.fixture
def report(submit, payload):
    return submit(payload())


def _refusals(person):  # noqa: ANN001, ANN202
    return AuditEvent.objects.filter(verb="permission_denied", actor=person)


# --- assign to me ------------------------------------------------------------------------------


def test_a_caseworker_takes_an_unassigned_report(report, people):
    assert reports_take(reports=[report], actor=people["caseworker"]) == 1
    report.refresh_from_db()
    assert report.assignee == people["caseworker"]
    assert not Notification.objects.exists()  # nobody is told of their own action


def test_assign_to_me_from_the_report_page(client, report, people):
    client.force_login(people["caseworker"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'action="/reports/{report.reference}/take/"' in page
    response = client.post(f"/reports/{report.reference}/take/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == people["caseworker"]


def test_an_auditor_cannot_assign_a_report_to_themself(client, report, people):
    with pytest.raises(PermissionDenied):
        reports_take(reports=[report], actor=people["auditor"])
    assert _refusals(people["auditor"]).exists()
    client.force_login(people["auditor"])
    assert "take/" not in client.get(report.get_absolute_url()).content.decode()
    assert client.post(f"/reports/{report.reference}/take/").status_code == 403
    report.refresh_from_db()
    assert report.assignee is None


def test_the_police_cannot_assign_a_report_to_themselves(report, people):
    with pytest.raises(PermissionDenied):
        reports_take(reports=[report], actor=people["police_fr"])
    assert _refusals(people["police_fr"]).exists()
    report.refresh_from_db()
    assert report.assignee is None


def test_a_caseworker_cannot_take_a_report_someone_else_has(report, people):
    reports_take(reports=[report], actor=people["caseworker"])
    with pytest.raises(PermissionDenied):
        reports_take(reports=[report], actor=people["caseworker2"])
    assert _refusals(people["caseworker2"]).filter(data__reason="case assigned to someone else")
    report.refresh_from_db()
    assert report.assignee == people["caseworker"]


def test_assign_to_me_in_the_queue(client, submit, payload, people):
    first = submit(payload(provider_reference="q-1"))
    second = submit(payload(provider_reference="q-2"))
    client.force_login(people["caseworker"])
    queue = client.get("/reports/").content.decode()
    assert 'name="assign_to_me"' in queue and 'id="bulk_assignee"' not in queue
    client.post(
        "/reports/assign/", {"reports": [first.reference, second.reference], "assign_to_me": "1"}
    )
    assert set(ProviderReport.objects.values_list("assignee", flat=True)) == {
        people["caseworker"].pk
    }


def test_the_queue_offers_a_supervisor_both_ways(client, people, report):
    client.force_login(people["supervisor"])
    queue = client.get("/reports/").content.decode()
    assert 'name="assign_to_me"' in queue and 'id="bulk_assignee"' in queue


# --- starting an assessment ----------------------------------------------------------------


def test_starting_the_assessment_of_an_unassigned_report_assigns_it(report, people):
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    report.refresh_from_db()
    assert report.assignee == people["caseworker"]
    assert AuditEvent.objects.filter(data__via="start_assessment", data__assignee="cw").exists()


def test_starting_the_assessment_keeps_the_assignee_it_has(report, people):
    reports_assign(reports=[report], assignee=people["caseworker2"], actor=people["supervisor"])
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    report.refresh_from_db()
    assert report.assignee == people["caseworker2"]


# --- a supervisor reassigns --------------------------------------------------------------------


def test_a_supervisor_reassigns_with_a_note_and_the_assignee_is_told(client, report, people):
    reports_take(reports=[report], actor=people["caseworker"])
    client.force_login(people["supervisor"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'action="/reports/{report.reference}/assign/"' in page
    response = client.post(
        f"/reports/{report.reference}/assign/",
        {"assignee": people["caseworker2"].pk, "note": "Caseworker 1 is on leave"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == people["caseworker2"]
    notification = Notification.objects.get(recipient=people["caseworker2"])
    assert notification.event == "case_assigned"
    assert notification.reason == "Caseworker 1 is on leave"
    assert AuditEvent.objects.filter(data__note="Caseworker 1 is on leave").exists()


def test_a_caseworker_cannot_reassign_someone_elses_report(client, report, people):
    reports_take(reports=[report], actor=people["caseworker"])
    with pytest.raises(PermissionDenied):
        reports_assign(
            reports=[report], assignee=people["caseworker2"], actor=people["caseworker2"]
        )
    with pytest.raises(PermissionDenied):
        reports_assign(reports=[report], assignee=people["caseworker"], actor=people["caseworker2"])
    assert _refusals(people["caseworker2"]).count() == 2
    client.force_login(people["caseworker2"])
    assert '/assign/"' not in client.get(report.get_absolute_url()).content.decode()
    response = client.post(
        f"/reports/{report.reference}/assign/", {"assignee": people["caseworker2"].pk}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.assignee == people["caseworker"]


def test_reports_are_reassigned_only_to_caseworkers(client, report, people):
    client.force_login(people["supervisor"])
    client.post(f"/reports/{report.reference}/assign/", {"assignee": people["police_fr"].pk})
    report.refresh_from_db()
    assert report.assignee is None
