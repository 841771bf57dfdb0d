import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Indicator, ProviderReport
from reports.services import indicators_import, report_propose_forward
from reports.tests.actors import IMPORTER
from securityunion.audit.models import AuditEvent
from securityunion.casework.services import approval_decide, case_transition

from .conftest import hexhash


def _queries(client, url):  # noqa: ANN001, ANN202
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_the_queue_shows_urgent_reports_first_then_the_oldest(client, people, submit, payload):
    old = submit(payload(provider_reference="old"))
    urgent = submit(payload(provider_reference="urgent", urgent=True, urgency_reason="Danger"))
    client.force_login(people["caseworker"])
    rows = [r["object"] for r in client.get("/reports/").context["rows"]]
    assert rows == [urgent, old]


def test_the_queue_costs_the_same_queries_for_1_and_20_reports(client, people, submit, payload):
    client.force_login(people["caseworker"])
    submit(payload(provider_reference="r0"))
    client.get("/reports/")
    one = _queries(client, "/reports/")
    for n in range(1, 21):
        submit(payload(provider_reference=f"r{n}", urgent=n % 2 == 0, urgency_reason="x"))
    assert _queries(client, "/reports/") == one


def test_the_queue_searches_our_reference_and_the_companys(client, people, submit, payload):
    a = submit(payload(provider_reference="find-me"))
    submit(payload(provider_reference="other"))
    client.force_login(people["caseworker"])
    assert [r["object"] for r in client.get("/reports/", {"q": "find-me"}).context["rows"]] == [a]
    assert [r["object"] for r in client.get("/reports/", {"q": a.reference}).context["rows"]] == [a]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"urgent": "true"}, ["u"]),
        ({"known": "new"}, ["u", "n"]),
        ({"country": "BE"}, ["u", "n"]),
        ({"country": "DE"}, []),
        ({"abuse_type": "solicitation"}, []),
        ({"assignee": "none"}, ["u", "n"]),
    ],
)
def test_the_queue_filters(client, people, submit, payload, params, expected):
    submit(payload(provider_reference="n"))
    submit(payload(provider_reference="u", urgent=True, urgency_reason="x"))
    client.force_login(people["caseworker"])
    rows = client.get("/reports/", params).context["rows"]
    assert [r["object"].provider_reference for r in rows] == expected


def test_a_supervisor_assigns_in_bulk_and_a_caseworker_may_not(client, people, submit, payload):
    a = submit(payload(provider_reference="a"))
    b = submit(payload(provider_reference="b"))
    client.force_login(people["caseworker"])
    response = client.post(
        "/reports/assign/", {"reports": [a.reference], "assignee": "cw2"}, follow=True
    )
    assert "You may not assign cases." in response.content.decode()
    a.refresh_from_db()
    assert a.assignee is None
    client.force_login(people["supervisor"])
    client.post("/reports/assign/", {"reports": [a.reference, b.reference], "assignee": "cw"})
    assert set(ProviderReport.objects.values_list("assignee__username", flat=True)) == {"cw"}


def test_assigning_to_someone_who_cannot_assess_is_refused(client, people, submit, payload):
    a = submit(payload(provider_reference="a"))
    client.force_login(people["supervisor"])
    response = client.post(
        "/reports/assign/", {"reports": [a.reference], "assignee": "pfr"}, follow=True
    )
    assert "assigned to caseworkers" in response.content.decode()
    a.refresh_from_db()
    assert a.assignee is None


def test_the_detail_page_shows_the_items_and_audits_the_read(client, people, submit, payload):
    report = submit(payload())
    client.force_login(people["caseworker"])
    response = client.get(report.get_absolute_url())
    body = response.content.decode()
    assert report.provider_reference in body and "item-1" in body
    assert AuditEvent.objects.filter(
        verb="view", object_id=str(report.pk), actor=people["caseworker"]
    ).exists()


def test_the_caseworker_proposes_and_the_supervisor_approves_from_the_pages(
    client, people, submit, payload, organisations
):
    report = submit(payload())
    client.force_login(people["caseworker"])
    client.post(
        f"/reports/{report.reference}/transition/",
        {"transition": "start_assessment", "version": "1"},
    )
    client.post(
        f"/reports/{report.reference}/forward/",
        {"recipients": [organisations["europol"].pk], "reason": "ok"},
    )
    client.force_login(people["supervisor"])
    page = client.get(report.get_absolute_url())
    assert page.context["can_decide_approval"]
    approval = page.context["pending_approval"]
    client.post(f"/casework/approvals/{approval.pk}/decide/", {"decision": "approve"})
    report.refresh_from_db()
    assert report.status == "forwarded"


def test_the_police_open_a_forwarded_report_but_not_another(
    client, people, submit, payload, organisations
):
    report = submit(payload(provider_reference="fw"))
    other = submit(payload(provider_reference="no"))
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    approval = report_propose_forward(
        report=report, recipient_ids=[organisations["police-fr"].pk], actor=people["caseworker"]
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    client.force_login(people["police_fr"])
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert [r["object"] for r in client.get("/reports/forwarded/").context["rows"]] == [report]
    client.force_login(people["police_de"])
    assert client.get(report.get_absolute_url()).status_code == 404
    client.force_login(people["police_fr"])
    client.post(f"/reports/{report.reference}/acknowledge/")
    assert report.forwardings.get().acknowledged_at is not None


def test_roles_without_reports_are_refused_the_queue(client, people):
    client.force_login(people["focal_point"])
    assert client.get("/reports/").status_code == 403


def test_the_pdf_case_file_holds_the_reference_and_is_audited(client, people, submit, payload):
    import io

    from pypdf import PdfReader

    report = submit(payload())
    client.force_login(people["auditor"])
    response = client.get(f"/reports/{report.reference}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert report.reference in text and "item-1" in text
    assert AuditEvent.objects.filter(verb="export", object_id=str(report.pk)).exists()


def test_a_caseworker_cannot_export_the_pdf(client, people, submit, payload):
    report = submit(payload())
    client.force_login(people["caseworker"])
    assert client.get(f"/reports/{report.reference}/pdf/").status_code == 403


def test_the_indicator_list_is_visible_to_caseworkers_only(client, people):
    client.force_login(people["caseworker"])
    assert client.get("/reports/indicators/").status_code == 200
    client.force_login(people["police_fr"])
    assert client.get("/reports/indicators/").status_code == 403


def test_the_bulk_assignee_field_has_an_id_of_its_own(client, people, submit, payload):
    submit(payload())
    client.force_login(people["supervisor"])
    body = client.get("/reports/").content.decode()
    assert body.count('id="id_assignee"') == 1  # the filter's
    assert body.count('id="bulk_assignee"') == 1


def test_only_a_supervisor_gets_the_bulk_assignee_field(client, people, submit, payload):
    report = submit(payload(provider_reference="a", urgent=True, urgency_reason="x"))
    client.force_login(people["supervisor"])
    body = client.get("/reports/").content.decode()
    assert f'name="reports" value="{report.reference}"' in body
    assert 'action="/reports/assign/' in body and '<tr class="urgent">' in body
    assert 'id="bulk_assignee"' in body
    client.force_login(people["caseworker"])
    body = client.get("/reports/").content.decode()
    assert 'id="bulk_assignee"' not in body and 'name="assign_to_me"' in body
    client.force_login(people["auditor"])
    body = client.get("/reports/").content.decode()
    assert 'name="reports"' not in body and 'action="/reports/assign/' not in body


def test_an_indicator_without_history_says_so_in_its_own_words(client, people):
    indicators_import(
        text=f"algorithm,value,category,source\nmd5,{hexhash('e', 32)},known_csam,\n",
        source="list-a",
        status="active",
        actor=IMPORTER,
    )
    client.force_login(people["caseworker"])
    indicator = Indicator.objects.get()
    page = client.get(f"/reports/indicators/{indicator.pk}/").content.decode()
    assert "Nothing has been recorded here yet." in page
    assert "this case" not in page


def test_the_dashboard_shows_a_caseworker_the_reports_waiting_for_one(
    client, people, submit, payload
):
    report = submit(payload(provider_reference="waiting"))
    client.force_login(people["caseworker"])
    body = client.get("/").content.decode()
    assert "Reports waiting for a caseworker" in body and report.reference in body


def test_the_dashboard_shows_no_caseworker_queue_to_the_police(client, people, submit, payload):
    submit(payload(provider_reference="waiting"))
    client.force_login(people["police_fr"])
    body = client.get("/").content.decode()
    assert "Reports waiting for a caseworker" not in body


def test_law_enforcement_finds_its_corrections_in_the_navigation(client, people):
    client.force_login(people["police_fr"])
    body = client.get("/reports/forwarded/").content.decode()
    assert 'href="/reports/corrections/"' in body


def test_the_centre_has_no_corrections_entry_in_the_navigation(client, people):
    client.force_login(people["caseworker"])
    body = client.get("/").content.decode()
    assert 'href="/reports/corrections/"' not in body
