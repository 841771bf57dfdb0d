from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from reports.models import ProviderReport
from reports.selectors import reports_visible_to
from reports.services import (
    forwarding_acknowledge,
    forwarding_feedback,
    legal_hold_lift,
    legal_hold_place,
    report_propose_forward,
)
from reports.tasks import legal_hold_reminders_send as legal_hold_reminders
from securityunion.access.policy import get_for_user_or_404
from securityunion.casework.services import approval_decide, case_transition

LAPSING = "report_legal_hold_lapsing"


@pytest.fixture
def forwarded(submit, payload, people, organisations, settings):
    """Two reports: one forwarded to Europol and the French police, one not forwarded.

    The company is told at once (no window for holds after forwarding): these tests are
    about the holds themselves (the window: ``test_forwarded_notice_window``).
    """
    settings.FORWARDED_NOTICE_DELAY_HOURS = 0
    report = submit(payload(provider_reference="fw"))
    kept = submit(payload(provider_reference="kept"))
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    approval = report_propose_forward(
        report=report,
        recipient_ids=[organisations["europol"].pk, organisations["police-fr"].pk],
        actor=people["caseworker"],
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    report.refresh_from_db()
    return report, kept


def test_the_police_see_only_reports_forwarded_to_them(forwarded, people):
    report, kept = forwarded
    assert list(reports_visible_to(people["police_fr"])) == [report]


def test_another_countrys_police_see_nothing(forwarded, people):
    report, _ = forwarded
    assert not reports_visible_to(people["police_de"]).exists()
    with pytest.raises(Http404):
        get_for_user_or_404(ProviderReport.objects.all(), people["police_de"], pk=report.pk)


def test_europol_sees_every_forwarded_report_and_nothing_else(
    forwarded, people, submit, payload, organisations
):
    report, kept = forwarded
    assert list(reports_visible_to(people["europol"])) == [report]


def test_other_roles_see_no_report(forwarded, people):
    assert not reports_visible_to(people["focal_point"]).exists()


def test_the_recipient_acknowledges_and_gives_feedback(forwarded, people):
    report, _ = forwarded
    forwarding = report.forwardings.get(recipient__slug="police-fr")
    forwarding_acknowledge(forwarding=forwarding, actor=people["police_fr"])
    forwarding_feedback(
        forwarding=forwarding, actor=people["police_fr"], text="Suspect identified."
    )
    forwarding.refresh_from_db()
    assert forwarding.acknowledged_at and forwarding.feedback == "Suspect identified."


def test_only_the_recipient_acknowledges_its_forwarding(forwarded, people):
    report, _ = forwarded
    forwarding = report.forwardings.get(recipient__slug="police-fr")
    with pytest.raises(PermissionDenied):
        forwarding_acknowledge(forwarding=forwarding, actor=people["europol"])


def test_a_hold_longer_than_18_months_is_refused(forwarded, people):
    report, _ = forwarded
    with pytest.raises(ValidationError):
        legal_hold_place(
            report=report,
            actor=people["police_fr"],
            reason="Investigation",
            expires_at=timezone.now() + timedelta(days=600),
        )


def test_a_hold_needs_a_reason_and_a_future_end(forwarded, people):
    report, _ = forwarded
    with pytest.raises(ValidationError):
        legal_hold_place(
            report=report,
            actor=people["police_fr"],
            reason="",
            expires_at=timezone.now() - timedelta(days=1),
        )


def test_a_hold_cannot_be_placed_on_a_report_not_forwarded_to_you(forwarded, people):
    _, kept = forwarded
    with pytest.raises(PermissionDenied):
        legal_hold_place(
            report=kept,
            actor=people["police_fr"],
            reason="x",
            expires_at=timezone.now() + timedelta(days=30),
        )


def test_a_hold_blocks_notices_and_the_outcome_until_it_ends(forwarded, people, api):
    report, _ = forwarded
    assert api.get("/api/v1/notices/").json()["results"]
    legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Ongoing investigation",
        expires_at=timezone.now() + timedelta(days=90),
    )
    assert api.get("/api/v1/notices/").json()["results"] == []
    body = api.get(f"/api/v1/reports/{report.reference}/").json()
    assert body["outcome"] is None and body["status"] == "in_assessment"


def test_a_hold_placed_on_a_report_read_with_its_holds_still_blocks_notices(forwarded, people, api):
    # A page that prefetched the report's holds must not hide the hold just placed.
    from django.db.models import prefetch_related_objects

    report, _ = forwarded
    prefetch_related_objects([report], "holds")
    legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Ongoing investigation",
        expires_at=timezone.now() + timedelta(days=90),
    )
    assert api.get("/api/v1/notices/").json()["results"] == []


@pytest.mark.parametrize("endpoint", ["/api/v1/reports/", "/api/v1/reports/batch/"])
def test_a_replayed_report_does_not_reveal_the_outcome_during_a_hold(
    forwarded, people, api, payload, endpoint
):
    report, _ = forwarded
    legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Ongoing investigation",
        expires_at=timezone.now() + timedelta(days=90),
    )
    body = payload(provider_reference="fw")
    response = api.post(
        endpoint, {"reports": [body]} if "batch" in endpoint else body, format="json"
    )
    answer = response.json()["results"][0]["body"] if "batch" in endpoint else response.json()
    assert answer["reference"] == report.reference
    assert answer["outcome"] is None and answer["status"] == "in_assessment"


def test_lifting_the_longer_of_two_holds_brings_the_notices_forward(forwarded, people):
    from securityunion.casework.models import Notice

    report, _ = forwarded
    now = timezone.now()
    short = legal_hold_place(
        report=report, actor=people["police_fr"], reason="a", expires_at=now + timedelta(days=30)
    )
    long = legal_hold_place(
        report=report, actor=people["police_fr"], reason="b", expires_at=now + timedelta(days=90)
    )
    legal_hold_lift(hold=long, actor=people["police_fr"])
    held_until = set(
        Notice.objects.filter(subject_reference=report.reference).values_list(
            "visible_from", flat=True
        )
    )
    assert held_until == {short.expires_at}


def test_the_hold_has_a_hard_expiry(forwarded, people, api):
    report, _ = forwarded
    hold = legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Investigation",
        expires_at=timezone.now() + timedelta(days=10),
    )
    from securityunion.casework.models import Notice

    assert not Notice.objects.released().filter(subject_reference=report.reference).exists()
    type(hold).objects.filter(pk=hold.pk).update(
        placed_at=timezone.now() - timedelta(days=20),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    Notice.objects.filter(subject_reference=report.reference).update(
        visible_from=timezone.now() - timedelta(seconds=1)
    )
    assert api.get("/api/v1/notices/").json()["results"]
    assert (
        api.get(f"/api/v1/reports/{report.reference}/").json()["outcome"]["decision"] == "forwarded"
    )


def test_lifting_the_hold_releases_the_notices(forwarded, people, api):
    report, _ = forwarded
    hold = legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Investigation",
        expires_at=timezone.now() + timedelta(days=90),
    )
    legal_hold_lift(hold=hold, actor=people["police_fr"])
    assert api.get("/api/v1/notices/").json()["results"]


def test_a_reminder_goes_out_once_before_the_hold_lapses(
    forwarded, people, django_capture_on_commit_callbacks
):
    report, _ = forwarded
    people["police_fr"].email = "pfr@police.example"
    people["police_fr"].save()
    legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Investigation",
        expires_at=timezone.now() + timedelta(days=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert legal_hold_reminders() == 1
        assert legal_hold_reminders() == 0
    assert len(mail.outbox) == 1 and report.reference in mail.outbox[0].subject


def test_the_reminder_is_a_notification_of_the_officer(forwarded, people):
    from securityunion.notifications.models import Notification

    hold = _hold_ending_soon(forwarded, people)
    legal_hold_reminders()
    notification = Notification.objects.get(recipient=people["police_fr"], event=LAPSING)
    assert notification.event == "report_legal_hold_lapsing"
    assert notification.case_reference == hold.report.reference


def test_no_reminder_for_a_hold_far_from_its_end(forwarded, people):
    report, _ = forwarded
    legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Investigation",
        expires_at=timezone.now() + timedelta(days=200),
    )
    assert legal_hold_reminders() == 0
    assert mail.outbox == []


def _hold_ending_soon(forwarded, people):  # noqa: ANN001, ANN202
    report, _ = forwarded
    people["police_fr"].email = "pfr@police.example"
    people["police_fr"].save()
    return legal_hold_place(
        report=report,
        actor=people["police_fr"],
        reason="Investigation",
        expires_at=timezone.now() + timedelta(days=5),
    )


def test_a_reminder_mail_that_fails_is_retried_then_shown_failed_not_lost(
    forwarded, people, monkeypatch, django_capture_on_commit_callbacks
):
    from securityunion.notifications.models import Notification

    hold = _hold_ending_soon(forwarded, people)

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("securityunion.notifications.mail.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        assert legal_hold_reminders() == 1
    hold.refresh_from_db()
    assert hold.reminder_sent_at is not None  # reminded in the back office
    notification = Notification.objects.get(recipient=people["police_fr"], event=LAPSING)
    assert notification.email_status == "failed" and notification.email_attempts == 3
    assert notification.email_last_error == "ConnectionRefusedError: mail server down"


def test_a_hold_whose_officer_has_no_address_is_reminded_in_the_back_office(forwarded, people):
    from securityunion.notifications.models import Notification

    hold = _hold_ending_soon(forwarded, people)
    people["police_fr"].email = ""
    people["police_fr"].save()
    assert legal_hold_reminders() == 1
    hold.refresh_from_db()
    assert hold.reminder_sent_at is not None
    notification = Notification.objects.get(recipient=people["police_fr"], event=LAPSING)
    assert notification.email_status == "not_wanted"
    assert mail.outbox == []


def test_a_hold_nobody_can_be_told_about_is_recorded_and_tried_again(forwarded, people):
    from securityunion.audit.models import AuditEvent

    hold = _hold_ending_soon(forwarded, people)
    people["police_fr"].is_active = False
    people["police_fr"].save()
    assert legal_hold_reminders() == 0
    hold.refresh_from_db()
    assert hold.reminder_sent_at is None and hold.reminder_attempts == 1
    assert "nobody" in hold.reminder_error
    assert AuditEvent.objects.filter(data__legal_hold=hold.pk, data__reminder="failed").exists()


def test_the_reminder_goes_to_the_authoritys_other_officers_when_the_placer_left(
    forwarded, people, make_user, organisations
):
    from securityunion.notifications.models import Notification

    _hold_ending_soon(forwarded, people)
    colleague = make_user(
        "law_enforcement", "FR", username="pfr2", organisation=organisations["police-fr"]
    )
    people["police_fr"].is_active = False
    people["police_fr"].save()
    assert legal_hold_reminders() == 1
    assert list(Notification.objects.filter(event=LAPSING).values_list("recipient", flat=True)) == [
        colleague.pk
    ]


def test_the_reminder_job_runs_through_the_job_registry(
    forwarded, people, django_capture_on_commit_callbacks
):
    from securityunion.casework.jobs import run_job

    hold = _hold_ending_soon(forwarded, people)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_job("reports-legal-hold-reminders").outcome == "succeeded"
    hold.refresh_from_db()
    assert hold.reminder_sent_at is not None
    assert len(mail.outbox) == 1
