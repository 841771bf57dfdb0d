"""Matching, the four-eyes decision and what an upheld complaint does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reports.complaints import Complaint, ComplaintMatch
from reports.models import Indicator
from reports.services import indicator_set_status, provider_for
from reports.services.complaints import (
    NOTICE_CORRECTION,
    NOTICE_REINSTATEMENT,
    complaint_link_report,
    complaint_propose_decision,
    complaint_submit,
    complaint_unlink_report,
    reinstatement_reminders_send,
)
from securityunion.casework.models import Approval, Notice
from securityunion.casework.services import approval_decide, case_transition

from .complaint_fixtures import ITEM_URL, complaint_fields


def _review(complaint, people):  # noqa: ANN001, ANN202
    return case_transition(case=complaint, transition="start_review", actor=people["caseworker"])


def _propose(complaint, people, statement, decision="uphold", who="caseworker"):  # noqa: ANN001, ANN202
    return complaint_propose_decision(
        complaint=complaint, decision=decision, actor=people[who], **statement
    )


# --- matching --------------------------------------------------------------------------------


def test_a_complaint_is_matched_by_the_companys_item_id(complaint, forwarded_report):
    match = complaint.matches.get()
    assert match.report == forwarded_report and match.via == "item_id"
    assert match.item.provider_item_id == "item-1"


def test_a_complaint_is_matched_by_the_content_url(forwarded_report, company):
    complaint = complaint_submit(
        **complaint_fields(
            provider_for(company),
            item_id="",
            content_url=ITEM_URL.replace(
                "https://photos.example.com", "HTTPS://Photos.Example.COM"
            ),
        )
    ).complaint
    assert [(m.report, m.via) for m in complaint.matches.all()] == [(forwarded_report, "url")]


def test_another_companys_item_with_the_same_id_is_not_matched(
    forwarded_report, other_company, submit, payload
):
    submit(payload(provider_reference="other"), organisation=other_company)
    complaint = complaint_submit(**complaint_fields(provider_for(other_company))).complaint
    assert [m.report.provider.organisation for m in complaint.matches.all()] == [other_company]


def test_no_match_without_a_reported_item(company, db):
    complaint = complaint_submit(
        **complaint_fields(provider_for(company), item_id="none")
    ).complaint
    assert not complaint.matches.exists()


def test_the_page_shows_the_match_its_forwardings_and_indicators(
    client, complaint, people, forwarded_report, indicator
):
    client.force_login(people["caseworker"])
    response = client.get(f"/reports/complaints/{complaint.reference}/")
    assert response.status_code == 200
    (match,) = response.context["matches"]
    assert match.report == forwarded_report and match.indicators == [indicator]
    html = response.content.decode()
    assert forwarded_report.reference in html and "police-fr" in html


def test_a_reviewer_links_a_report_of_the_same_company(complaint, people, submit, payload):
    other = submit(payload(provider_reference="other-report"))
    complaint_link_report(
        complaint=complaint, reference=other.reference, actor=people["caseworker"]
    )
    assert complaint.matches.filter(report=other, via="reviewer").exists()


def test_a_report_of_another_company_cannot_be_linked(
    complaint, people, submit, payload, other_company
):
    foreign = submit(payload(provider_reference="foreign"), organisation=other_company)
    with pytest.raises(ValidationError):
        complaint_link_report(
            complaint=complaint, reference=foreign.reference, actor=people["caseworker"]
        )


def test_a_reviewer_unlinks_a_wrong_match(complaint, people):
    match = complaint.matches.get()
    complaint_unlink_report(complaint=complaint, match_id=match.pk, actor=people["caseworker"])
    assert not complaint.matches.exists()


def test_law_enforcement_cannot_change_the_matches(complaint, people):
    with pytest.raises(PermissionDenied):
        complaint_unlink_report(
            complaint=complaint, match_id=complaint.matches.get().pk, actor=people["police_fr"]
        )


# --- four eyes -------------------------------------------------------------------------------


def test_a_caseworker_proposes_and_a_supervisor_decides(complaint, people, statement):
    _review(complaint, people)
    approval = _propose(complaint, people, statement)
    assert isinstance(approval, Approval)
    complaint.refresh_from_db()
    assert complaint.status == "under_review"
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    complaint.refresh_from_db()
    assert complaint.status == "upheld" and complaint.decision == "upheld"
    assert complaint.ground == "not_csam" and complaint.automated_detection is True
    assert complaint.due_at is None


def test_the_proposer_cannot_approve_their_own_decision(complaint, people, statement):
    _review(complaint, people)
    approval = _propose(
        complaint, people, {**statement, "ground": "confirmed"}, decision="reject", who="supervisor"
    )
    with pytest.raises(PermissionDenied):
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    complaint.refresh_from_db()
    assert complaint.status == "under_review"


def test_a_caseworker_cannot_decide(complaint, people, statement):
    _review(complaint, people)
    approval = _propose(complaint, people, statement)
    with pytest.raises(PermissionDenied):
        approval_decide(approval=approval, actor=people["caseworker2"], approve=True)


def test_the_statement_of_reasons_is_required(complaint, people, statement):
    _review(complaint, people)
    with pytest.raises(ValidationError) as error:
        _propose(complaint, people, {**statement, "facts": " ", "automated_detection": None})
    assert {"facts", "automated_detection"} <= set(error.value.message_dict)


def test_the_ground_must_fit_the_decision(complaint, people, statement):
    _review(complaint, people)
    with pytest.raises(ValidationError):
        _propose(complaint, people, {**statement, "ground": "confirmed"})


def test_the_statement_is_checked_again_at_approval(complaint, people, statement):
    _review(complaint, people)
    approval = _propose(complaint, people, statement)
    ComplaintMatch.objects.filter(complaint=complaint).delete()
    with pytest.raises(ValidationError):
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    complaint.refresh_from_db()
    assert complaint.status == "under_review"


def test_the_decision_is_not_offered_as_a_plain_transition(client, complaint, people):
    _review(complaint, people)
    client.force_login(people["caseworker"])
    client.post(
        f"/reports/complaints/{complaint.reference}/transition/",
        {"transition": "uphold", "version": complaint.version + 1},
    )
    assert not Approval.objects.filter(object_id=str(complaint.pk), transition="uphold").exists()


def test_awaiting_the_party_and_back(complaint, people):
    _review(complaint, people)
    case_transition(
        case=complaint, transition="await_party", actor=people["caseworker"], reason="Ask the URL"
    )
    case_transition(case=complaint, transition="resume_review", actor=people["caseworker"])
    complaint.refresh_from_db()
    assert complaint.status == "under_review"


# --- the effects of an upheld complaint ------------------------------------------------------


def _uphold(complaint, people, statement):  # noqa: ANN001, ANN202
    _review(complaint, people)
    approval = _propose(complaint, people, statement)
    return approval_decide(approval=approval, actor=people["supervisor"], approve=True)


def test_upheld_creates_the_reinstatement_the_corrections_and_the_quarantine(
    complaint, people, statement, company, organisations, indicator, forwarded_report
):
    disputed = indicator.disputed_matches
    _uphold(complaint, people, statement)
    (reinstatement,) = Notice.objects.filter(type=NOTICE_REINSTATEMENT)
    assert reinstatement.organisation == company
    assert reinstatement.subject_reference == complaint.reference
    assert reinstatement.items == ["item-1"]
    corrections = Notice.objects.filter(type=NOTICE_CORRECTION)
    assert {n.organisation for n in corrections} == {
        organisations["europol"],
        organisations["police-fr"],
    }
    assert {n.subject_reference for n in corrections} == {forwarded_report.reference}
    indicator.refresh_from_db()
    assert indicator.status == Indicator.Status.QUARANTINED
    assert indicator.disputed_matches == disputed + 1
    assert (
        Notice.objects.count()
        == 3 + Notice.objects.exclude(type__in=(NOTICE_REINSTATEMENT, NOTICE_CORRECTION)).count()
    )


def test_rejected_creates_none_of_them(complaint, people, statement, indicator):
    _review(complaint, people)
    approval = _propose(complaint, people, {**statement, "ground": "confirmed"}, decision="reject")
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    assert not Notice.objects.filter(type__in=(NOTICE_REINSTATEMENT, NOTICE_CORRECTION)).exists()
    indicator.refresh_from_db()
    assert indicator.status == Indicator.Status.ACTIVE


def test_when_one_effect_fails_none_happens(complaint, people, statement, indicator, monkeypatch):
    from reports.services import complaints

    real = complaints.notice_send

    def failing(**kwargs):  # noqa: ANN003, ANN202
        if kwargs["type"] == NOTICE_CORRECTION and kwargs["organisation"].slug == "police-fr":
            raise RuntimeError("the correction could not be written")
        return real(**kwargs)

    monkeypatch.setattr(complaints, "notice_send", failing)
    _review(complaint, people)
    approval = _propose(complaint, people, statement)
    disputed = Indicator.objects.get(pk=indicator.pk).disputed_matches
    with pytest.raises(RuntimeError):
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    assert not Notice.objects.filter(type__in=(NOTICE_REINSTATEMENT, NOTICE_CORRECTION)).exists()
    indicator.refresh_from_db()
    assert indicator.status == Indicator.Status.ACTIVE
    assert indicator.disputed_matches == disputed
    complaint.refresh_from_db()
    assert complaint.status == "under_review" and complaint.decision == ""
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING


def test_a_disputed_indicator_is_re_activated_only_with_a_reason(
    complaint, people, statement, indicator
):
    _uphold(complaint, people, statement)
    indicator.refresh_from_db()
    with pytest.raises(ValidationError):
        indicator_set_status(indicator=indicator, status="active", actor=people["supervisor"])
    indicator_set_status(
        indicator=indicator,
        status="active",
        actor=people["supervisor"],
        reason="Reviewed: the hash is right, the match was a collision elsewhere.",
    )
    indicator.refresh_from_db()
    assert indicator.status == Indicator.Status.ACTIVE


def test_a_caseworker_cannot_re_activate_an_indicator(complaint, people, statement, indicator):
    _uphold(complaint, people, statement)
    indicator.refresh_from_db()
    with pytest.raises(PermissionDenied):
        indicator_set_status(
            indicator=indicator, status="active", actor=people["caseworker"], reason="x"
        )


def test_unconfirmed_reinstatements_are_reminded_once(complaint, people, statement):
    _uphold(complaint, people, statement)
    notice = Notice.objects.get(type=NOTICE_REINSTATEMENT)
    assert reinstatement_reminders_send() == 0
    later = timezone.now() + timedelta(days=8)
    assert reinstatement_reminders_send(now=later) == 1
    assert reinstatement_reminders_send(now=later) == 0
    notice.refresh_from_db()
    assert "reminded_at" in notice.data


def test_the_caseworkers_dashboard_shows_unconfirmed_reinstatements(
    client, complaint, people, statement
):
    _uphold(complaint, people, statement)
    Notice.objects.filter(type=NOTICE_REINSTATEMENT).update(
        visible_from=timezone.now() - timedelta(days=8)
    )
    client.force_login(people["caseworker"])
    panels = {p.title: p for p in client.get("/").context["panels"]}
    assert [i.title for i in panels["Reinstatements not confirmed"].items] == [
        f"{complaint.reference} · {complaint.provider}"
    ]


def test_an_overdue_complaint_is_flagged_on_the_dashboard(client, complaint, people):
    Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(people["caseworker"])
    panels = {p.title: p for p in client.get("/").context["panels"]}
    (item,) = panels["Complaints waiting for a decision"].items
    assert item.overdue and "overdue" in item.meta


def test_the_complainants_data_is_erased_after_the_retention_period(complaint, people, statement):
    from securityunion.casework.retention import retention_apply

    _uphold(complaint, people, statement)
    retention_apply(now=timezone.now() + timedelta(days=100))
    complaint.refresh_from_db()
    assert complaint.description == "My holiday photo of a beach was removed. It shows no child."
    retention_apply(now=timezone.now() + timedelta(days=731))
    complaint.refresh_from_db()
    assert complaint.description == "" and complaint.contact_email == ""
    assert complaint.personal_data_erased_at is not None
    assert complaint.facts and complaint.matches.exists()


def test_an_undecided_complaint_keeps_its_data(complaint):
    from securityunion.casework.retention import retention_apply

    retention_apply(now=timezone.now() + timedelta(days=2000))
    complaint.refresh_from_db()
    assert complaint.personal_data_erased_at is None and complaint.description


def test_the_list_costs_the_same_queries_for_1_and_20_complaints(
    client, complaint, people, company
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["caseworker"])
    client.get("/reports/complaints/")
    with CaptureQueriesContext(connection) as one:
        client.get("/reports/complaints/")
    for n in range(19):
        complaint_submit(**complaint_fields(provider_for(company), item_id=f"x-{n}"))
    with CaptureQueriesContext(connection) as twenty:
        response = client.get("/reports/complaints/")
    assert len(response.context["rows"]) == 20
    assert len(twenty) == len(one)


def test_once_decided_the_status_page_shows_the_decision_and_its_reasons(
    client, forwarded_report, company, people, statement
):
    receipt = complaint_submit(**complaint_fields(provider_for(company)))
    _uphold(receipt.complaint, people, statement)
    response = client.post(
        "/complaints/status/", {"reference": receipt.complaint.reference, "code": receipt.code}
    )
    html = response.content.decode()
    assert response.context["decided"] is True
    assert "Upheld" in html and statement["facts"] in html and statement["redress"] in html


def test_the_approver_sees_the_statement_and_what_upholding_does(
    client, complaint, people, statement
):
    _review(complaint, people)
    _propose(complaint, people, statement)
    client.force_login(people["supervisor"])
    html = client.get(f"/reports/complaints/{complaint.reference}/").content.decode()
    assert statement["facts"] in html and statement["redress"] in html
    assert "Reinstatement notice to" in html and "police-fr" in html
    assert "Indicators disputed" in html
