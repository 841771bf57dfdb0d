"""Four eyes that show what is approved: the approval panel and the supervisor's dashboard."""

import pytest

from reports.effects import duplicate_summary
from reports.services import report_propose_forward, report_propose_unfounded
from securityunion.casework.models import Approval, Notice
from securityunion.casework.proposals import proposal_summary
from securityunion.casework.services import case_transition

NOTICE_LABEL = "Notice the company will receive"


@pytest.fixture
def in_assessment(people, submit, payload):
    def make(reference="r", **overrides):  # noqa: ANN001, ANN003, ANN202
        report = submit(payload(provider_reference=reference, **overrides))
        case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
        report.refresh_from_db()
        return report

    return make


def _items(page):  # noqa: ANN001, ANN202
    return {str(item.label): item for item in page.context["proposal_items"]}


def test_the_panel_lists_the_recipients_with_their_country_and_the_notice(
    client, people, organisations, in_assessment
):
    report = in_assessment()
    report_propose_forward(
        report=report,
        recipient_ids=[organisations["europol"].pk, organisations["police-fr"].pk],
        actor=people["caseworker"],
        reason="Clear material, French user",
    )
    client.force_login(people["supervisor"])
    page = client.get(report.get_absolute_url())
    body = page.content.decode()
    assert "europol (Netherlands)" in body and "police-fr (France)" in body
    assert "The centre assessed the report and forwarded it to law enforcement." in body
    assert "Clear material, French user" in body and str(people["caseworker"]) in body
    assert _items(page)["Recipients"].values == ("europol (Netherlands)", "police-fr (France)")


def test_the_panel_shows_the_unfounded_reason_code_its_text_and_the_notice(
    client, people, in_assessment
):
    report = in_assessment()
    report_propose_unfounded(
        report=report, reason_code="adult", text="The person is 34.", actor=people["caseworker"]
    )
    client.force_login(people["supervisor"])
    page = client.get(report.get_absolute_url())
    items = _items(page)
    assert items["Reason code"].value == "The person depicted is an adult"
    assert items["Statement of reasons"].value == "The person is 34."
    body = page.content.decode()
    assert "The person depicted is an adult" in body and "The person is 34." in body
    assert items[NOTICE_LABEL].value in body.replace("&#x27;", "'")


def test_a_duplicates_summary_names_and_links_the_original(people, in_assessment):
    original = in_assessment("original")
    report = in_assessment("copy")
    items = duplicate_summary(
        case=report,
        data={"duplicate_of": original.pk, "duplicate_of_reference": original.reference},
        reason="Same upload",
    )
    first = items[0]
    assert (first.label, first.value, first.url) == (
        "Original report",
        original.reference,
        original.get_absolute_url(),
    )
    assert f"together with {original.reference}" in items[1].value


def test_the_duplicate_summary_is_what_the_workflow_shows_for_such_a_proposal(
    people, in_assessment
):
    original = in_assessment("original")
    report = in_assessment("copy")
    proposal = Approval(
        transition="mark_duplicate",
        data={"duplicate_of": original.pk, "duplicate_of_reference": original.reference},
    )
    assert proposal_summary(case=report, approval=proposal)[0].value == original.reference


@pytest.mark.parametrize("kind", ["forward", "unfounded"])
def test_the_previewed_notice_is_the_notice_sent_on_approval(
    client, people, organisations, in_assessment, kind
):
    report = in_assessment()
    if kind == "forward":
        report_propose_forward(
            report=report, recipient_ids=[organisations["europol"].pk], actor=people["caseworker"]
        )
    else:
        report_propose_unfounded(
            report=report, reason_code="not_csam", text="A drawing.", actor=people["caseworker"]
        )
    client.force_login(people["supervisor"])
    page = client.get(report.get_absolute_url())
    preview = _items(page)[NOTICE_LABEL].value
    approval = page.context["pending_approval"]
    response = client.post(f"/casework/approvals/{approval.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    assert Notice.objects.get(type="outcome", object_id=str(report.pk)).text == preview


def test_sending_back_without_a_reason_keeps_the_proposal_and_says_so_beside_the_field(
    client, people, in_assessment
):
    report = in_assessment()
    approval = report_propose_unfounded(
        report=report, reason_code="adult", text="Adult.", actor=people["caseworker"]
    )
    client.force_login(people["supervisor"])
    response = client.post(
        f"/casework/approvals/{approval.pk}/decide/", {"decision": "send_back", "reason": " "}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="approval_reason_error"' in body and 'id="approval-errors"' in body
    approval.refresh_from_db()
    assert approval.status == Approval.Status.PENDING


# --- the supervisor's dashboard --------------------------------------------------------------


def _approval_panel(client, user):  # noqa: ANN001, ANN202
    client.force_login(user)
    panels = client.get("/").context["panels"]
    return next((p for p in panels if p.title == "Awaiting my approval"), None)


def test_the_dashboard_counts_the_proposals_a_supervisor_may_decide_urgent_first(
    client, people, organisations, in_assessment
):
    plain = in_assessment("plain")
    urgent = in_assessment("urgent", urgent=True, urgency_reason="Child at risk")
    own = in_assessment("own")
    for report in (plain, urgent):
        report_propose_forward(
            report=report, recipient_ids=[organisations["europol"].pk], actor=people["caseworker"]
        )
    report_propose_unfounded(
        report=own, reason_code="adult", text="Adult.", actor=people["supervisor"]
    )
    panel = _approval_panel(client, people["supervisor"])
    assert panel.count == 2  # not the supervisor's own proposal
    assert [item.url for item in panel.items] == [
        urgent.get_absolute_url(),
        plain.get_absolute_url(),
    ]
    assert panel.items[0].urgent
    assert panel.more_url == "/reports/?awaiting_approval=1"
    body = client.get("/").content.decode()
    assert 'href="/reports/?awaiting_approval=1"' in body
    assert _approval_panel(client, people["supervisor2"]).count == 3


def test_a_caseworker_has_no_proposals_to_decide(client, people, organisations, in_assessment):
    report = in_assessment()
    report_propose_forward(
        report=report, recipient_ids=[organisations["europol"].pk], actor=people["caseworker2"]
    )
    assert _approval_panel(client, people["caseworker"]) is None
    assert _approval_panel(client, people["supervisor"]).count == 1


def test_the_dashboard_counts_no_decided_proposal(client, people, organisations, in_assessment):
    from securityunion.casework.services import approval_decide

    report = in_assessment()
    approval = report_propose_forward(
        report=report, recipient_ids=[organisations["europol"].pk], actor=people["caseworker"]
    )
    approval_decide(approval=approval, actor=people["supervisor2"], approve=True)
    panel = _approval_panel(client, people["supervisor"])
    assert panel.count == 0 and panel.items == []


def test_only_who_may_propose_or_decide_sees_what_a_proposal_would_do(
    client, people, organisations, in_assessment
):
    report = in_assessment()
    report_propose_forward(
        report=report, recipient_ids=[organisations["europol"].pk], actor=people["caseworker"]
    )
    client.force_login(people["caseworker2"])
    assert _items(client.get(report.get_absolute_url()))["Recipients"]
    client.force_login(people["auditor"])
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200 and "proposal_items" not in page.context
