"""The company is told "forwarded" only after the authorities had a window to place a hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.services import legal_hold_lift, legal_hold_place, report_propose_forward
from securityunion.casework.services import approval_decide, case_transition


@pytest.fixture
def forward(submit, payload, people, organisations):
    def make(reference="fw"):  # noqa: ANN001, ANN202
        report = submit(payload(provider_reference=reference))
        case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
        approval = report_propose_forward(
            report=report,
            recipient_ids=[organisations["europol"].pk, organisations["police-fr"].pk],
            actor=people["caseworker"],
        )
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
        report.refresh_from_db()
        return report

    return make


@pytest.fixture
def later(monkeypatch):
    """Move the clock forward by ``hours`` (the code reads ``timezone.now()``)."""

    def move(hours):  # noqa: ANN001, ANN202
        moment = timezone.now() + timedelta(hours=hours)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


def _inbox(api):  # noqa: ANN001, ANN202
    return [n["report"] for n in api.get("/api/v1/notices/").json()["results"]]


def test_it_keeps_the_forwarded_notice_back_within_the_window(forward, api):
    report = forward()
    assert report.reference not in _inbox(api)


def test_it_withholds_the_forwarded_status_within_the_window(forward, api):
    report = forward()
    body = api.get(f"/api/v1/reports/{report.reference}/").json()
    assert body["status"] == "in_assessment" and body["outcome"] is None


def test_it_lists_the_notice_once_the_window_has_passed(forward, api, later):
    report = forward()
    later(25)
    assert report.reference in _inbox(api)


def test_it_shows_the_outcome_once_the_window_has_passed(forward, api, later):
    report = forward()
    later(25)
    assert api.get(f"/api/v1/reports/{report.reference}/").json()["outcome"]["decision"] == (
        "forwarded"
    )


def test_it_tells_the_company_at_once_without_a_window(forward, api, settings):
    settings.FORWARDED_NOTICE_DELAY_HOURS = 0
    report = forward()
    assert report.reference in _inbox(api)


def test_the_window_follows_the_setting(forward, api, settings, later):
    settings.FORWARDED_NOTICE_DELAY_HOURS = 48
    report = forward()
    later(25)
    assert report.reference not in _inbox(api)


def test_a_hold_placed_in_the_window_keeps_the_notice_back_after_it(forward, api, people, later):
    report = forward()
    legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Ongoing investigation",
        expires_at=timezone.now() + timedelta(days=30),
    )
    later(25)
    assert report.reference not in _inbox(api)


def test_the_notice_comes_when_a_hold_placed_in_the_window_expires(forward, api, people, later):
    report = forward()
    legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Ongoing investigation",
        expires_at=timezone.now() + timedelta(days=3),
    )
    later(3 * 24 + 1)
    assert report.reference in _inbox(api)


def test_a_hold_shorter_than_the_window_does_not_shorten_it(forward, api, people, later):
    report = forward()
    legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Quick check",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    later(3)
    assert report.reference not in _inbox(api)


def test_lifting_a_hold_within_the_window_leaves_the_others_their_window(forward, api, people):
    report = forward()
    hold = legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Quick check",
        expires_at=timezone.now() + timedelta(days=3),
    )
    legal_hold_lift(hold=hold, actor=people["police_fr"])
    assert report.reference not in _inbox(api)


def test_lifting_a_hold_after_the_window_releases_the_notice(forward, api, people, later):
    report = forward()
    hold = legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Ongoing investigation",
        expires_at=timezone.now() + timedelta(days=30),
    )
    later(25)
    legal_hold_lift(hold=hold, actor=people["police_fr"])
    assert report.reference in _inbox(api)
