"""What the reports area tells people: each event raised, delivered in the page and by mail,
and each person's preference respected."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reports.services import (
    legal_hold_place,
    report_propose_forward,
    report_propose_unfounded,
    reports_assign,
)
from reports.tasks import legal_hold_reminders_send
from securityunion.casework.models import Notice
from securityunion.casework.notices import notice_respond
from securityunion.casework.services import approval_decide, case_transition
from securityunion.notifications.mail import notifications_digest_send
from securityunion.notifications.models import Notification, NotificationPreference
from securityunion.notifications.services import cases_overdue_notify


@pytest.fixture
def staff(people):
    for person in people.values():
        person.email = f"{person.username}@example.eu"
        person.save()
    return people


@pytest.fixture
def report(submit, payload, staff):
    report = submit(payload())
    case_transition(case=report, transition="start_assessment", actor=staff["caseworker"])
    report.refresh_from_db()
    return report


def _told(event, person):  # noqa: ANN001, ANN202
    return Notification.objects.filter(event=event, recipient=person)


def _mails_to(person):  # noqa: ANN001, ANN202
    return [m for m in mail.outbox if m.to == [person.email]]


def _forward(report, staff, organisations, capture):  # noqa: ANN001, ANN202
    approval = report_propose_forward(
        report=report,
        recipient_ids=[organisations["police-fr"].pk],
        actor=staff["caseworker"],
        reason="Founded",
    )
    with capture(execute=True):
        approval_decide(approval=approval, actor=staff["supervisor"], approve=True)
    return approval


# --- assigned to me ----------------------------------------------------------------------------


def test_a_report_assigned_to_me_is_notified_in_the_page_and_by_mail(
    report, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reports_assign(reports=[report], assignee=staff["caseworker2"], actor=staff["supervisor"])
    notification = _told("case_assigned", staff["caseworker2"]).get()
    assert notification.title == f"Provider report {report.reference} was assigned to you"
    assert len(_mails_to(staff["caseworker2"])) == 1


def test_an_assignment_by_mail_switched_off_is_not_mailed(
    report, staff, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=staff["caseworker2"], event="case_assigned", email=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        reports_assign(reports=[report], assignee=staff["caseworker2"], actor=staff["supervisor"])
    assert _told("case_assigned", staff["caseworker2"]).exists()
    assert _mails_to(staff["caseworker2"]) == []


# --- a proposal awaiting my approval ---------------------------------------------------------


def test_a_proposal_is_notified_to_every_supervisor_but_its_proposer(
    report, staff, organisations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_propose_forward(
            report=report,
            recipient_ids=[organisations["europol"].pk],
            actor=staff["supervisor"],
            reason="Founded",
        )
    told = set(
        Notification.objects.filter(event="approval_requested").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"sup2"}
    assert len(_mails_to(staff["supervisor2"])) == 1 and _mails_to(staff["supervisor"]) == []


def test_a_proposal_on_an_urgent_report_is_marked_urgent(
    submit, payload, staff, organisations, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=staff["supervisor"], event="approval_requested", delivery="digest"
    )
    report = submit(payload(provider_reference="u-1", urgent=True, urgency_reason="Live abuse"))
    case_transition(case=report, transition="start_assessment", actor=staff["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        report_propose_unfounded(
            report=report, reason_code="adult", text="An adult", actor=staff["caseworker"]
        )
    notification = _told("approval_requested", staff["supervisor"]).get()
    assert notification.urgent
    [message] = _mails_to(staff["supervisor"])  # at once, despite the digest
    assert message.subject.startswith("Urgent")


def test_a_digest_supervisor_gets_the_proposal_in_one_digest_mail(
    report, staff, organisations, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=staff["supervisor"], event="approval_requested", delivery="digest"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_propose_forward(
            report=report, recipient_ids=[organisations["europol"].pk], actor=staff["caseworker"]
        )
    assert _mails_to(staff["supervisor"]) == []
    notifications_digest_send()
    [digest] = _mails_to(staff["supervisor"])
    assert report.reference in digest.body


# --- a decision on my proposal ---------------------------------------------------------------


def test_a_sent_back_proposal_tells_the_proposer_with_the_reason_in_the_page_only(
    report, staff, organisations, django_capture_on_commit_callbacks
):
    approval = report_propose_forward(
        report=report, recipient_ids=[organisations["europol"].pk], actor=staff["caseworker"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(
            approval=approval, actor=staff["supervisor"], approve=False, reason="Add France"
        )
    notification = _told("approval_decided", staff["caseworker"]).get()
    assert "sent back" in notification.title and notification.reason == "Add France"
    [message] = _mails_to(staff["caseworker"])
    assert report.reference in message.subject and "Add France" not in message.body


def test_an_approved_proposal_tells_the_proposer(
    report, staff, organisations, django_capture_on_commit_callbacks
):
    _forward(report, staff, organisations, django_capture_on_commit_callbacks)
    notification = _told("approval_decided", staff["caseworker"]).get()
    assert "approved" in notification.title
    assert len(_mails_to(staff["caseworker"])) == 1


# --- the company answered my information request ---------------------------------------------


def _request_information(report, staff):  # noqa: ANN001, ANN202
    case_transition(
        case=report,
        transition="request_information",
        actor=staff["caseworker2"],
        reason="Which service was it?",
    )
    return Notice.objects.get(type="information_request", subject_reference=report.reference)


def test_the_answer_returns_the_report_to_its_assignee_who_is_told(
    report, staff, api, django_capture_on_commit_callbacks
):
    notice = _request_information(report, staff)
    with django_capture_on_commit_callbacks(execute=True):
        notice_respond(notice=notice, actor=api.user, text="The photo app, EU instance")
    report.refresh_from_db()
    assert report.status == "in_assessment" and report.assignee == staff["caseworker"]
    notification = _told("report_information_answered", staff["caseworker"]).get()
    assert "EU instance" not in notification.title + notification.reason
    [message] = _mails_to(staff["caseworker"])
    assert "EU instance" not in message.body


def test_an_information_request_on_an_unassigned_report_assigns_it_to_the_asker(
    submit, payload, staff, api
):
    report = submit(payload(provider_reference="unassigned"))
    case_transition(case=report, transition="start_assessment", actor=staff["caseworker"])
    report.__class__.objects.filter(pk=report.pk).update(assignee=None)
    report.refresh_from_db()
    notice = _request_information(report, staff)
    notice_respond(notice=notice, actor=api.user, text="Answer")
    report.refresh_from_db()
    assert report.assignee == staff["caseworker2"]
    assert _told("report_information_answered", staff["caseworker2"]).exists()


# --- forwarded to my organisation ------------------------------------------------------------


def test_a_forwarding_tells_the_recipients_law_enforcement_people_only(
    report, staff, organisations, django_capture_on_commit_callbacks
):
    _forward(report, staff, organisations, django_capture_on_commit_callbacks)
    told = set(
        Notification.objects.filter(event="report_forwarded").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"pfr"}  # not Europol (not a recipient), not the German police
    assert len(_mails_to(staff["police_fr"])) == 1
    assert _mails_to(staff["europol"]) == [] and _mails_to(staff["police_de"]) == []


def test_a_forwarding_never_tells_someone_of_the_organisation_who_cannot_open_it(
    report, staff, organisations, make_user, django_capture_on_commit_callbacks
):
    clerk = make_user("auditor", "FR", username="clerk", organisation=organisations["police-fr"])
    _forward(report, staff, organisations, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(recipient=clerk).exists()


# --- a legal hold about to lapse -------------------------------------------------------------


def test_a_lapsing_hold_is_notified_to_its_officer(
    report, staff, organisations, django_capture_on_commit_callbacks
):
    _forward(report, staff, organisations, django_capture_on_commit_callbacks)
    legal_hold_place(
        report=report,
        actor=staff["police_fr"],
        reason="Investigation",
        expires_at=timezone.now() + timedelta(days=3),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        legal_hold_reminders_send()
    notification = _told("report_legal_hold_lapsing", staff["police_fr"]).get()
    assert "The hold ends on" in notification.reason
    [message] = _mails_to(staff["police_fr"])
    assert report.reference in message.subject and "Investigation" not in message.body


# --- a case of mine past its target time ---------------------------------------------------


def test_an_overdue_report_tells_its_assignee_once(
    report, staff, django_capture_on_commit_callbacks
):
    report.__class__.objects.filter(pk=report.pk).update(
        due_at=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_overdue_notify() == 1
        assert cases_overdue_notify() == 0
    assert _told("case_overdue", staff["caseworker"]).count() == 1
    assert len(_mails_to(staff["caseworker"])) == 1


def test_a_closed_report_is_never_overdue(report, staff):
    report.__class__.objects.filter(pk=report.pk).update(
        status="closed", due_at=timezone.now() - timedelta(minutes=5)
    )
    assert cases_overdue_notify() == 0
