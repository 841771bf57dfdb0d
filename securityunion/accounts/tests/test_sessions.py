"""Session records, ending sessions, absolute lifetime and re-authentication before exports."""

import time

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client

from securityunion.accounts.models import UserSession
from securityunion.audit.models import AuditEvent
from securityunion.tests.factories import sample_case

from .conftest import sign_in


def _two_sessions(user):  # noqa: ANN001, ANN202
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    return first, second


def test_signing_in_records_the_session(client, caseworker):
    sign_in(client, caseworker, HTTP_USER_AGENT="Firefox 140")
    record = UserSession.objects.get(user=caseworker)
    assert record.session_key == client.session.session_key
    assert record.user_agent == "Firefox 140" and record.ip == "127.0.0.1"


def test_the_sessions_page_lists_my_sessions_only(caseworker, administrator):
    first, _second = _two_sessions(caseworker)
    Client().force_login(administrator)
    response = first.get("/accounts/sessions/")
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 2
    assert "This session" in response.content.decode()


def test_a_user_ends_another_of_their_sessions(caseworker):
    first, second = _two_sessions(caseworker)
    other = UserSession.objects.get(session_key=second.session.session_key)
    response = first.post(f"/accounts/sessions/{other.pk}/end/")
    assert response.status_code == 302
    assert second.get("/").status_code == 302  # signed out
    assert first.get("/").status_code == 200
    assert AuditEvent.objects.get(verb="session_ended").actor_id == caseworker.pk


def test_a_user_cannot_end_someone_elses_session(client, caseworker, administrator):
    other = Client()
    other.force_login(administrator)
    client.force_login(caseworker)
    record = UserSession.objects.get(user=administrator)
    assert client.post(f"/accounts/sessions/{record.pk}/end/").status_code == 404
    assert Session.objects.filter(session_key=record.session_key).exists()


def test_disabling_an_account_ends_its_sessions(caseworker):
    first, _second = _two_sessions(caseworker)
    caseworker.is_active = False
    caseworker.save()
    assert not UserSession.objects.filter(user=caseworker).exists()
    assert first.get("/").status_code == 302
    assert AuditEvent.objects.get(verb="session_ended").data["why"] == "account disabled"


def test_losing_a_role_ends_the_users_sessions(caseworker):
    first, _second = _two_sessions(caseworker)
    caseworker.groups.remove(Group.objects.get(name="centre_caseworker"))
    assert not UserSession.objects.filter(user=caseworker).exists()
    assert first.get("/").status_code == 302


def test_losing_a_role_from_the_groups_side_ends_the_sessions_too(caseworker):
    first, _second = _two_sessions(caseworker)
    Group.objects.get(name="centre_caseworker").user_set.clear()
    assert first.get("/").status_code == 302


def test_a_new_role_keeps_the_sessions(caseworker):
    first, _second = _two_sessions(caseworker)
    caseworker.groups.add(Group.objects.get(name="auditor"))
    assert first.get("/").status_code == 200


def test_a_session_past_its_absolute_lifetime_ends(client, settings, caseworker):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client.force_login(caseworker)
    session = client.session
    session["_auth_started_at"] = time.time() - 3601
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(verb="session_ended").exists()


def test_an_active_session_within_its_lifetime_stays(client, settings, caseworker):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client.force_login(caseworker)
    session = client.session
    session["_auth_started_at"] = time.time() - 3500
    session.save()
    assert client.get("/").status_code == 200


@pytest.mark.urls("tests.testapp.urls")
class TestReauthenticationBeforeExports:
    @pytest.fixture
    def reviewer(self, settings, make_user):  # noqa: ANN001, ANN201
        settings.SENSITIVE_ACTIONS_NEED_REAUTHENTICATION = True
        return make_user("firearms_reviewer", "BE", username="reviewer")

    def test_an_export_without_a_recent_password_asks_for_it(self, client, reviewer):
        case = sample_case()
        client.force_login(reviewer)
        response = client.get(f"/testapp/{case.reference}/pdf/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert not AuditEvent.objects.filter(verb="export").exists()

    def test_an_export_right_after_signing_in_is_answered(self, client, reviewer):
        case = sample_case()
        sign_in(client, reviewer)
        response = client.get(f"/testapp/{case.reference}/pdf/")
        assert response["Content-Type"] == "application/pdf"

    def test_a_password_entered_too_long_ago_asks_again(self, client, settings, reviewer):
        case = sample_case()
        sign_in(client, reviewer)
        settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
        response = client.get(f"/testapp/{case.reference}/pdf/")
        assert response["Location"].startswith("/accounts/reauthenticate/")

    def test_without_the_capability_the_answer_is_403_not_a_password_prompt(
        self, client, approver_fr
    ):
        # A national approver sees the country's cases but exports no case file.
        case = sample_case()
        client.force_login(approver_fr)
        assert client.get(f"/testapp/{case.reference}/pdf/").status_code == 403
