import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports.models import Forwarding, ProviderReport
from reports.services import (
    report_mark_duplicate,
    report_propose_forward,
    report_propose_unfounded,
)
from reports.tests.actors import IMPORTER
from securityunion.casework.models import Approval, Notice
from securityunion.casework.services import approval_decide, case_transition


@pytest.fixture
def report(submit, payload, people):
    report = submit(payload())
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    report.refresh_from_db()
    return report


def _propose_forward(report, people, organisations, who="caseworker"):  # noqa: ANN001, ANN202
    return report_propose_forward(
        report=report,
        recipient_ids=[organisations["europol"].pk, organisations["police-fr"].pk],
        actor=people[who],
        reason="Founded",
    )


def test_a_forwarding_proposal_waits_for_a_supervisor(report, people, organisations):
    approval = _propose_forward(report, people, organisations)
    report.refresh_from_db()
    assert isinstance(approval, Approval) and report.status == "in_assessment"
    assert not Forwarding.objects.exists()


def test_the_supervisor_approves_and_the_report_is_forwarded(report, people, organisations):
    approval = _propose_forward(report, people, organisations)
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    report.refresh_from_db()
    assert report.status == "forwarded" and report.decided_at
    assert set(Forwarding.objects.values_list("recipient__slug", flat=True)) == {
        "europol",
        "police-fr",
    }
    assert Notice.objects.filter(type="outcome", subject_reference=report.reference).exists()


def test_a_supervisor_cannot_approve_their_own_proposal(report, people, organisations):
    approval = _propose_forward(report, people, organisations, who="supervisor")
    with pytest.raises(PermissionDenied):
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    approval_decide(approval=approval, actor=people["supervisor2"], approve=True)
    report.refresh_from_db()
    assert report.status == "forwarded"


def test_a_caseworker_cannot_approve(report, people, organisations):
    approval = _propose_forward(report, people, organisations)
    with pytest.raises(PermissionDenied):
        approval_decide(approval=approval, actor=people["caseworker2"], approve=True)


def test_sending_back_keeps_the_report_in_assessment(report, people, organisations):
    approval = _propose_forward(report, people, organisations)
    approval_decide(
        approval=approval, actor=people["supervisor"], approve=False, reason="Check the country"
    )
    report.refresh_from_db()
    assert report.status == "in_assessment" and not Forwarding.objects.exists()


def test_recipients_must_be_europol_or_authorities_of_candidate_countries(
    report, people, organisations
):
    with pytest.raises(ValidationError):
        report_propose_forward(
            report=report, recipient_ids=[organisations["police-de"].pk], actor=people["caseworker"]
        )
    with pytest.raises(ValidationError):
        report_propose_forward(report=report, recipient_ids=[], actor=people["caseworker"])


def test_unfounded_needs_a_reason_code_and_text(report, people):
    with pytest.raises(ValidationError):
        report_propose_unfounded(
            report=report, reason_code="", text="x", actor=people["caseworker"]
        )
    with pytest.raises(ValidationError):
        report_propose_unfounded(
            report=report, reason_code="adult", text=" ", actor=people["caseworker"]
        )


def test_the_company_learns_an_unfounded_outcome_with_its_reasons(report, people, api):
    approval = report_propose_unfounded(
        report=report,
        reason_code="adult",
        text="The person is an adult.",
        actor=people["caseworker"],
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    body = api.get(f"/api/v1/reports/{report.reference}/").json()
    assert body["status"] == "manifestly_unfounded"
    assert body["outcome"]["decision"] == "manifestly_unfounded"
    assert body["outcome"]["reason_code"] == "adult"
    assert body["outcome"]["reasons"] == "The person is an adult."
    notice = api.get("/api/v1/notices/", {"type": "outcome"}).json()["results"][0]
    assert notice["report"] == report.reference and "adult" in notice["text"]


def test_an_information_request_reaches_the_company_and_its_answer_resumes_assessment(
    report, people, api
):
    case_transition(
        case=report,
        transition="request_information",
        actor=people["caseworker"],
        reason="When was the account created?",
    )
    report.refresh_from_db()
    assert report.status == "awaiting_information"
    notices = api.get("/api/v1/notices/", {"type": "information_request"}).json()["results"]
    assert notices[0]["text"] == "When was the account created?"
    assert notices[0]["items"] == ["item-1"]
    response = api.post(
        f"/api/v1/notices/{notices[0]['id']}/respond/", {"text": "On 1 March 2026."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "answered"
    report.refresh_from_db()
    assert report.status == "in_assessment"


def test_an_empty_answer_is_refused(report, people, api):
    case_transition(
        case=report,
        transition="request_information",
        actor=people["caseworker"],
        reason="Question?",
    )
    notice_id = api.get("/api/v1/notices/").json()["results"][0]["id"]
    response = api.post(f"/api/v1/notices/{notice_id}/respond/", {"text": ""}, format="json")
    assert response.status_code == 400 and "text" in response.json()["errors"]


def test_an_outcome_notice_takes_no_answer_but_can_be_acknowledged(
    report, people, organisations, api, settings
):
    settings.FORWARDED_NOTICE_DELAY_HOURS = 0  # told at once, no window for holds
    approval_decide(
        approval=_propose_forward(report, people, organisations),
        actor=people["supervisor"],
        approve=True,
    )
    notice_id = api.get("/api/v1/notices/").json()["results"][0]["id"]
    assert (
        api.post(f"/api/v1/notices/{notice_id}/respond/", {"text": "ok"}, format="json").status_code
        == 409
    )
    acknowledged = api.post(f"/api/v1/notices/{notice_id}/acknowledge/")
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"


def test_another_companys_notice_is_404(report, people, api, other_api):
    case_transition(
        case=report,
        transition="request_information",
        actor=people["caseworker"],
        reason="Question?",
    )
    notice_id = api.get("/api/v1/notices/").json()["results"][0]["id"]
    assert other_api.get("/api/v1/notices/").json()["results"] == []
    assert other_api.post(f"/api/v1/notices/{notice_id}/acknowledge/").status_code == 404
    assert (
        other_api.post(
            f"/api/v1/notices/{notice_id}/respond/", {"text": "x"}, format="json"
        ).status_code
        == 404
    )


def test_a_duplicate_points_to_the_original(report, submit, payload, people):
    other = submit(payload(provider_reference="other-ref"))
    report_mark_duplicate(
        report=other,
        duplicate_of=report.reference,
        actor=people["caseworker"],
        reason="Same upload",
    )
    other.refresh_from_db()
    assert other.status == "duplicate" and other.duplicate_of == report


def test_a_report_cannot_duplicate_itself(report, people):
    with pytest.raises(ValidationError):
        report_mark_duplicate(
            report=report, duplicate_of=report.reference, actor=people["caseworker"], reason="x"
        )


def test_law_enforcement_cannot_assess(report, people):
    with pytest.raises(PermissionDenied):
        case_transition(
            case=report, transition="request_information", actor=people["police_fr"], reason="x"
        )


def test_closing_a_decided_report(report, people, organisations):
    approval_decide(
        approval=_propose_forward(report, people, organisations),
        actor=people["supervisor"],
        approve=True,
    )
    report.refresh_from_db()
    case_transition(case=report, transition="close", actor=people["caseworker"])
    report.refresh_from_db()
    assert report.status == ProviderReport.Status.CLOSED


def test_decisions_count_as_confirmed_or_disputed_matches(submit, payload, people, organisations):
    from reports.models import Indicator
    from reports.services import indicators_import

    from .conftest import hexhash

    indicators_import(
        text=f"algorithm,value,category,source\nsha256,{hexhash('s')},known_csam,l",
        source="l",
        status="active",
        actor=IMPORTER,
    )
    founded = submit(payload(provider_reference="founded"))
    unfounded = submit(payload(provider_reference="unfounded"))
    for report in (founded, unfounded):
        case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    approval_decide(
        approval=report_propose_forward(
            report=founded, recipient_ids=[organisations["europol"].pk], actor=people["caseworker"]
        ),
        actor=people["supervisor"],
        approve=True,
    )
    approval_decide(
        approval=report_propose_unfounded(
            report=unfounded, reason_code="adult", text="Adult", actor=people["caseworker"]
        ),
        actor=people["supervisor"],
        approve=True,
    )
    indicator = Indicator.objects.get()
    assert (indicator.confirmed_matches, indicator.disputed_matches) == (1, 1)


def test_every_notice_call_is_audited(report, people, api):
    from securityunion.audit.models import AuditEvent

    case_transition(
        case=report,
        transition="request_information",
        actor=people["caseworker"],
        reason="Question?",
    )
    notice_id = api.get("/api/v1/notices/").json()["results"][0]["id"]
    api.post(f"/api/v1/notices/{notice_id}/acknowledge/")
    api.post(f"/api/v1/notices/{notice_id}/acknowledge/")
    api.post(f"/api/v1/notices/{notice_id}/respond/", {"text": "Answer"}, format="json")
    events = AuditEvent.objects.filter(actor=api.user)
    assert events.filter(verb="view", data__list="casework.notice").count() == 1
    assert events.filter(object_type="casework.notice", object_id=str(notice_id)).count() == 3
