"""The notification centre, on the test app's sample case: raising, mail, digest, pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from securityunion.audit.models import AuditEvent
from securityunion.casework.services import approval_decide, case_assign, case_transition
from securityunion.notifications import mail as mail_jobs
from securityunion.notifications import services
from securityunion.notifications.models import Notification, NotificationPreference
from securityunion.tests.factories import sample_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(db):
    return sample_case(title="Seizure at the port of Marseille", country="FR")


@pytest.fixture
def colleague(make_user):
    return make_user("focal_point", "FR", username="fp_fr2", email="fp2@example.org")


@pytest.fixture
def refuse_mail(monkeypatch):
    calls = []

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(args)
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("securityunion.notifications.mail.send_mail", refuse)
    return calls


def _assign(case, assignee, actor, capture, note=""):  # noqa: ANN001, ANN202
    with capture(execute=True):
        case_assign(
            cases=[case], assignee=assignee, actor=actor, capability="firearms_edit", note=note
        )


# --- raising -------------------------------------------------------------------------------


def test_an_assignment_tells_the_assignee_in_the_back_office_and_by_mail(
    case, focal_point_fr, colleague, django_capture_on_commit_callbacks
):
    _assign(case, colleague, focal_point_fr, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=colleague)
    assert notification.event == "case_assigned" and notification.read_at is None
    assert notification.case_reference == case.reference
    assert notification.case_url == case.get_absolute_url()
    assert notification.email_status == "sent"
    assert [m.to for m in mail.outbox] == [["fp2@example.org"]]


def test_the_actor_is_not_told_of_their_own_action(
    case, focal_point_fr, django_capture_on_commit_callbacks
):
    _assign(case, focal_point_fr, focal_point_fr, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()


def test_nobody_is_told_about_a_case_they_could_not_open(case, focal_point_fr, focal_point_de):
    services.notify(services.CASE_ASSIGNED, [focal_point_de], case=case, actor=focal_point_fr)
    assert not Notification.objects.exists()


def test_a_rolled_back_change_tells_nobody(
    case, focal_point_fr, colleague, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(services.CASE_ASSIGNED, [colleague], case=case, actor=focal_point_fr)
        raise RuntimeError("the change fails")
    assert not Notification.objects.exists()
    assert callbacks == [] and mail.outbox == []


def test_an_unregistered_event_is_a_programming_error(case, colleague):
    with pytest.raises(ValueError, match="Unregistered"):
        services.notify("no_such_event", [colleague], case=case)


def test_each_notification_is_audited_as_sent(case, focal_point_fr, colleague):
    services.notify(services.CASE_ASSIGNED, [colleague], case=case, actor=focal_point_fr)
    notification = Notification.objects.get()
    event = AuditEvent.objects.get(verb="notification_sent", object_id=str(notification.pk))
    assert event.actor == colleague
    assert event.data["channel"] == "in_app" and event.data["by"] == focal_point_fr.username


def test_a_reassignment_note_is_shown_in_the_page_but_never_mailed(
    case, focal_point_fr, colleague, django_capture_on_commit_callbacks
):
    note = "Handle with the customs seizure of last week"
    _assign(case, colleague, focal_point_fr, django_capture_on_commit_callbacks, note=note)
    assert Notification.objects.get().reason == note
    assert note not in mail.outbox[0].body and note not in mail.outbox[0].subject


def test_the_mail_names_the_reference_and_a_link_and_no_case_content(
    case, focal_point_fr, colleague, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATIONS_BASE_URL = "https://backoffice.example.eu"
    _assign(case, colleague, focal_point_fr, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert case.reference in message.subject
    assert f"https://backoffice.example.eu{case.get_absolute_url()}" in message.body
    assert case.title not in message.body and case.title not in message.subject
    assert focal_point_fr.username not in message.body


# --- preferences -----------------------------------------------------------------------------


def test_an_event_switched_off_by_mail_is_only_shown_in_the_page(
    case, focal_point_fr, colleague, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=colleague, event="case_assigned", email=False)
    _assign(case, colleague, focal_point_fr, django_capture_on_commit_callbacks)
    assert Notification.objects.get().email_status == "not_wanted"
    assert mail.outbox == []


def test_a_digest_event_sends_no_mail_at_once_and_one_digest_later(
    focal_point_fr, colleague, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=colleague, event="case_assigned", delivery="digest")
    cases = [sample_case(country="FR") for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(
            cases=cases, assignee=colleague, actor=focal_point_fr, capability="firearms_edit"
        )
    assert mail.outbox == []
    assert mail_jobs.notifications_digest_send() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert all(c.reference in body for c in cases)
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
    assert mail_jobs.notifications_digest_send() == 0


def test_an_urgent_notification_does_not_wait_for_the_digest(
    case, colleague, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=colleague, event="case_assigned", delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(services.CASE_ASSIGNED, [colleague], case=case, urgent=True)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Urgent")


def test_a_person_without_an_address_is_told_in_the_page_only(case, focal_point_fr, colleague):
    colleague.email = ""
    colleague.save()
    services.notify(services.CASE_ASSIGNED, [colleague], case=case, actor=focal_point_fr)
    notification = Notification.objects.get()
    assert notification.email_status == "not_wanted"
    assert "no e-mail address" in notification.email_last_error


def test_the_preferences_page_saves_the_choices(client, colleague):
    client.force_login(colleague)
    response = client.get("/notifications/preferences/")
    assert response.status_code == 200 and b"A case is assigned to me" in response.content
    client.post(
        "/notifications/preferences/",
        {
            "case_assigned-delivery": "digest",
            "case_assigned-email": "on",
            "approval_requested-delivery": "immediate",
            "approval_decided-delivery": "immediate",
            "approval_decided-email": "on",
            "case_overdue-delivery": "immediate",
            "case_overdue-email": "on",
        },
    )
    saved = {p.event: (p.email, p.delivery) for p in colleague.notification_preferences.all()}
    assert saved == {"case_assigned": (True, "digest"), "approval_requested": (False, "immediate")}


def test_the_preferences_page_offers_only_events_the_role_can_receive(client, colleague):
    client.force_login(colleague)
    content = client.get("/notifications/preferences/").content.decode()
    assert "A report is forwarded to my organisation" not in content


def test_nobody_changes_another_persons_preferences(colleague, focal_point_fr):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.notification_preferences_save(
            user=colleague, actor=focal_point_fr, choices={"case_assigned": (False, "immediate")}
        )
    assert AuditEvent.objects.filter(verb="permission_denied", actor=focal_point_fr).exists()


# --- mail retries ----------------------------------------------------------------------------


def test_a_failed_mail_is_retried_then_shown_as_failed(
    case, focal_point_fr, colleague, refuse_mail, django_capture_on_commit_callbacks
):
    _assign(case, colleague, focal_point_fr, django_capture_on_commit_callbacks)
    notification = Notification.objects.get()
    assert len(refuse_mail) == 3  # the first attempt and two retries
    assert notification.email_status == "failed" and notification.email_attempts == 3
    assert notification.email_last_error == "ConnectionRefusedError: mail server down"
    failed = AuditEvent.objects.get(verb="notification_failed")
    assert failed.data["error"] == "ConnectionRefusedError"


def test_the_retry_job_sends_a_failed_mail_later(
    case, focal_point_fr, colleague, refuse_mail, django_capture_on_commit_callbacks, monkeypatch
):
    _assign(case, colleague, focal_point_fr, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    assert mail_jobs.notifications_email_retry() == 1
    notification = Notification.objects.get()
    assert notification.email_status == "sent" and notification.email_attempts == 4
    assert len(mail.outbox) == 1
    assert mail_jobs.notifications_email_retry() == 0


def test_the_retry_job_gives_up_after_the_last_attempt(case, colleague, settings):
    settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = 3
    notification = services.notify(services.CASE_ASSIGNED, [colleague], case=case)[0]
    Notification.objects.filter(pk=notification.pk).update(email_status="failed", email_attempts=3)
    assert mail_jobs.notifications_email_retry() == 0 and mail.outbox == []


def test_the_retry_job_sends_a_mail_whose_task_was_lost(case, colleague):
    notification = services.notify(services.CASE_ASSIGNED, [colleague], case=case)[0]
    assert notification.email_status == "pending"  # its task never ran (no commit)
    later = timezone.now() + timedelta(hours=1)
    assert mail_jobs.notifications_email_retry(now=later) == 1
    assert len(mail.outbox) == 1


def test_a_failed_digest_is_sent_again_as_one_digest(colleague, refuse_mail, monkeypatch):
    NotificationPreference.objects.create(user=colleague, event="case_assigned", delivery="digest")
    for _ in range(2):
        services.notify(services.CASE_ASSIGNED, [colleague], case=sample_case(country="FR"))
    assert mail_jobs.notifications_digest_send() == 0
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"failed"}
    monkeypatch.undo()
    assert mail_jobs.notifications_email_retry() == 1
    assert len(mail.outbox) == 1


def test_the_mail_jobs_are_registered():
    from securityunion.casework.jobs import jobs

    assert {
        "notifications-retry-emails",
        "notifications-daily-digest",
        "notifications-overdue-cases",
    } <= set(jobs)


# --- generic events of the case services -----------------------------------------------------


def test_a_proposal_tells_who_may_approve_it_and_not_the_proposer(
    case, focal_point_fr, approver_fr, make_user
):
    approver_de = make_user("national_approver", "DE", username="approver_de")
    case_transition(case=case, transition="submit", actor=focal_point_fr)
    case_transition(case=case, transition="validate", actor=focal_point_fr)
    told = set(
        Notification.objects.filter(event="approval_requested").values_list("recipient", flat=True)
    )
    assert told == {approver_fr.pk}
    assert approver_de.pk not in told


def test_a_decision_tells_the_proposer_with_the_reason(case, focal_point_fr, approver_fr):
    case_transition(case=case, transition="submit", actor=focal_point_fr)
    approval = case_transition(case=case, transition="validate", actor=focal_point_fr)
    approval_decide(approval=approval, actor=approver_fr, approve=False, reason="Add the serials")
    notification = Notification.objects.get(event="approval_decided")
    assert notification.recipient == focal_point_fr
    assert "sent back" in notification.title and notification.reason == "Add the serials"


def test_an_overdue_case_tells_its_assignee_once(colleague):
    case = sample_case(country="FR", assignee=colleague)
    case.due_at = timezone.now() - timedelta(hours=1)
    case.save()
    assert services.cases_overdue_notify() == 1
    assert services.cases_overdue_notify() == 0
    notification = Notification.objects.get(event="case_overdue")
    assert notification.recipient == colleague and "past its target" in notification.title


# --- the pages ---------------------------------------------------------------------------------


def test_the_page_shows_only_my_own_notifications(client, case, colleague, focal_point_fr):
    services.notify(services.CASE_ASSIGNED, [colleague], case=case, title="For the colleague")
    services.notify(services.CASE_ASSIGNED, [focal_point_fr], case=case, title="For me")
    client.force_login(focal_point_fr)
    content = client.get("/notifications/").content.decode()
    assert "For me" in content and "For the colleague" not in content


def test_the_page_lists_unread_first_and_links_each_to_its_case(client, colleague):
    first, second = sample_case(country="FR"), sample_case(country="FR")
    old = services.notify(services.CASE_ASSIGNED, [colleague], case=first)[0]
    services.notify(services.CASE_ASSIGNED, [colleague], case=second)
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now())
    client.force_login(colleague)
    response = client.get("/notifications/")
    notifications = response.context["notifications"]
    assert [n.case_reference for n in notifications] == [second.reference, first.reference]
    assert f'href="{first.get_absolute_url()}"' in response.content.decode()


def test_the_page_says_when_there_is_nothing(client, colleague):
    client.force_login(colleague)
    assert b"No notifications." in client.get("/notifications/").content


def test_marking_one_read(client, case, colleague):
    notification = services.notify(services.CASE_ASSIGNED, [colleague], case=case)[0]
    client.force_login(colleague)
    response = client.post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_marks_another_persons_notification(client, case, colleague, focal_point_fr):
    notification = services.notify(services.CASE_ASSIGNED, [colleague], case=case)[0]
    client.force_login(focal_point_fr)
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert AuditEvent.objects.filter(verb="permission_denied", actor=focal_point_fr).exists()


def test_marking_all_read_touches_only_mine(client, case, colleague, focal_point_fr):
    mine = services.notify(services.CASE_ASSIGNED, [colleague, colleague], case=case)
    other = services.notify(services.CASE_ASSIGNED, [focal_point_fr], case=case)[0]
    client.force_login(colleague)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_read_is_a_post(client, case, colleague):
    notification = services.notify(services.CASE_ASSIGNED, [colleague], case=case)[0]
    client.force_login(colleague)
    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405


def test_the_bell_shows_my_unread_count(client, colleague):
    for _ in range(2):
        services.notify(services.CASE_ASSIGNED, [colleague], case=sample_case(country="FR"))
    client.force_login(colleague)
    content = client.get("/notifications/preferences/").content.decode()
    assert '<span class="bell-count">2</span>' in content


def test_the_bell_costs_one_query(rf, colleague, django_assert_num_queries):
    from securityunion.notifications.context_processors import notifications

    request = rf.get("/")
    request.user = colleague
    unread = notifications(request)["notifications_unread"]
    with django_assert_num_queries(1):
        assert unread() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_decided_proposal_no_longer_awaits_the_other_approvers(
    case, focal_point_fr, approver_fr, make_user
):
    other = make_user("national_approver", "FR", username="approver_fr2")
    case_transition(case=case, transition="submit", actor=focal_point_fr)
    approval = case_transition(case=case, transition="validate", actor=focal_point_fr)
    approval_decide(approval=approval, actor=approver_fr, approve=True)
    waiting = Notification.objects.get(event="approval_requested", recipient=other)
    assert waiting.read_at is not None


def test_the_bell_stops_counting_at_99_plus(client, colleague):
    from securityunion.notifications.context_processors import BELL_LIMIT

    first = services.notify(services.CASE_ASSIGNED, [colleague], case=sample_case(country="FR"))
    Notification.objects.bulk_create([Notification(**_row(first[0])) for _ in range(BELL_LIMIT)])
    client.force_login(colleague)
    content = client.get("/notifications/preferences/").content.decode()
    assert '<span class="bell-count">99+</span>' in content


def _row(notification):  # noqa: ANN001, ANN202
    fields = {
        f.attname: getattr(notification, f.attname) for f in Notification._meta.concrete_fields
    }
    fields.pop("id")
    return fields
