"""The two notice types of complaints in the inbox, corrections for law enforcement, and who
may see a complaint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from reports.services.complaints import (
    NOTICE_CORRECTION,
    NOTICE_REINSTATEMENT,
    complaint_propose_decision,
    correction_acknowledge,
)
from securityunion.audit.models import AuditEvent
from securityunion.casework.models import Notice
from securityunion.casework.services import approval_decide, case_transition


@pytest.fixture
def upheld(complaint, people, statement):
    case_transition(case=complaint, transition="start_review", actor=people["caseworker"])
    approval = complaint_propose_decision(
        complaint=complaint, decision="uphold", actor=people["caseworker"], **statement
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def reinstatement(upheld):
    notice = Notice.objects.get(type=NOTICE_REINSTATEMENT)
    earlier = timezone.now() - timedelta(hours=2)
    Notice.objects.filter(pk=notice.pk).update(created_at=earlier, visible_from=earlier)
    return Notice.objects.get(pk=notice.pk)


def test_the_company_sees_its_reinstatement_in_the_inbox(api, reinstatement, upheld):
    rows = api.get("/api/v1/notices/", {"type": "reinstatement"}).json()["results"]
    assert [r["id"] for r in rows] == [reinstatement.pk]
    assert rows[0]["subject"] == {"type": "complaint", "reference": upheld.reference}
    assert rows[0]["confirmable"] is True and rows[0]["report"] is None


def test_the_inbox_filters_reinstatements_by_status(api, reinstatement):
    assert api.get("/api/v1/notices/", {"type": "reinstatement", "status": "open"}).json()[
        "results"
    ]
    assert (
        api.get("/api/v1/notices/", {"type": "reinstatement", "status": "confirmed"}).json()[
            "results"
        ]
        == []
    )


def test_the_company_never_sees_the_corrections(api, reinstatement):
    assert api.get("/api/v1/notices/", {"type": "correction"}).json()["results"] == []


def test_another_company_gets_a_404(other_api, reinstatement):
    assert other_api.get("/api/v1/notices/").json()["results"] == []
    response = other_api.post(
        f"/api/v1/notices/{reinstatement.pk}/confirm/",
        {"done_at": timezone.now().isoformat()},
        format="json",
    )
    assert response.status_code == 404


def test_the_company_confirms_the_reinstatement(api, reinstatement, upheld):
    done = timezone.now() - timedelta(minutes=10)
    response = api.post(
        f"/api/v1/notices/{reinstatement.pk}/confirm/",
        {"done_at": done.isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert AuditEvent.objects.filter(
        object_type="reports.complaint", object_id=str(upheld.pk), data__notice=reinstatement.pk
    ).exists()


def test_every_inbox_call_is_audited(api, reinstatement):
    before = AuditEvent.objects.count()
    api.get("/api/v1/notices/", {"type": "reinstatement"})
    api.post(f"/api/v1/notices/{reinstatement.pk}/acknowledge/")
    assert AuditEvent.objects.count() >= before + 2


def test_the_right_police_acknowledge_their_correction(upheld, people):
    notice = Notice.objects.get(type=NOTICE_CORRECTION, organisation__slug="police-fr")
    correction_acknowledge(notice=notice, actor=people["police_fr"])
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None


def test_other_police_cannot_acknowledge_it(upheld, people):
    notice = Notice.objects.get(type=NOTICE_CORRECTION, organisation__slug="police-fr")
    with pytest.raises(PermissionDenied):
        correction_acknowledge(notice=notice, actor=people["police_de"])
    with pytest.raises(PermissionDenied):
        correction_acknowledge(notice=notice, actor=people["europol"])
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def test_the_acknowledgement_page_is_a_404_for_other_police(client, upheld, people):
    notice = Notice.objects.get(type=NOTICE_CORRECTION, organisation__slug="police-fr")
    client.force_login(people["europol"])
    assert client.post(f"/reports/corrections/{notice.pk}/acknowledge/").status_code == 404
    client.force_login(people["police_fr"])
    client.post(f"/reports/corrections/{notice.pk}/acknowledge/")
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None


def test_the_police_see_their_correction_on_the_report_page_and_list(
    client, upheld, people, forwarded_report
):
    client.force_login(people["police_fr"])
    page = client.get(f"/reports/{forwarded_report.reference}/")
    (shown,) = page.context["case_view"]["corrections"].rows
    assert shown.organisation.slug == "police-fr"
    assert "Acknowledge the correction" in page.content.decode()
    listed = client.get("/reports/corrections/").context["corrections"]
    assert [n.pk for n in listed] == [shown.pk]


def test_the_police_dashboard_lists_corrections_to_acknowledge(client, upheld, people):
    client.force_login(people["police_fr"])
    panels = {p.title: p for p in client.get("/").context["panels"]}
    assert len(panels["Corrections to acknowledge"].items) == 1


# --- who sees a complaint --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["caseworker", "supervisor", "auditor"])
def test_the_centre_and_auditors_open_a_complaint(client, complaint, people, who):
    client.force_login(people[who])
    response = client.get(f"/reports/complaints/{complaint.reference}/")
    assert response.status_code == 200
    assert "owner@example.org" in response.content.decode()


@pytest.mark.parametrize("who", ["police_fr", "europol"])
def test_the_police_cannot_open_a_complaint(client, complaint, people, who):
    client.force_login(people[who])
    assert client.get(f"/reports/complaints/{complaint.reference}/").status_code == 403
    assert client.get("/reports/complaints/").status_code == 403


def test_a_company_user_cannot_open_a_complaint(client, complaint, make_user, company):
    user = make_user("company", "IE", username="company-person", organisation=company)
    client.force_login(user)
    assert client.get(f"/reports/complaints/{complaint.reference}/").status_code == 403


def test_the_anonymous_are_sent_to_sign_in(client, complaint):
    response = client.get(f"/reports/complaints/{complaint.reference}/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_an_unknown_complaint_is_a_404(client, people, db):
    client.force_login(people["caseworker"])
    assert client.get("/reports/complaints/CMP-2026-999999/").status_code == 404


def test_reading_a_complaint_is_audited(client, complaint, people):
    client.force_login(people["auditor"])
    client.get(f"/reports/complaints/{complaint.reference}/")
    assert AuditEvent.objects.filter(
        verb="view", object_type="reports.complaint", object_id=str(complaint.pk)
    ).exists()


def test_the_list_shows_complaints_to_the_centre(client, complaint, people):
    client.force_login(people["caseworker"])
    rows = client.get("/reports/complaints/").context["rows"]
    assert [r["object"] for r in rows] == [complaint]


def test_the_pdf_case_file_shows_the_page_and_is_audited(client, upheld, people):
    from io import BytesIO

    from pypdf import PdfReader

    client.force_login(people["supervisor"])
    response = client.get(f"/reports/complaints/{upheld.reference}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert upheld.reference in text and "owner@example.org" in text
    assert "not child sexual abuse material" in text
    assert AuditEvent.objects.filter(verb="export", object_id=str(upheld.pk)).exists()


def test_a_caseworker_cannot_export_the_pdf(client, complaint, people):
    client.force_login(people["caseworker"])
    assert client.get(f"/reports/complaints/{complaint.reference}/pdf/").status_code == 403


def test_the_police_cannot_export_the_pdf(client, complaint, people):
    client.force_login(people["police_fr"])
    assert client.get(f"/reports/complaints/{complaint.reference}/pdf/").status_code == 404
