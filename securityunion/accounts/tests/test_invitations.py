"""Accounts are created by invitation: a one-time, expiring link; the token is stored hashed."""

import hashlib
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from securityunion.accounts.models import Invitation, User
from securityunion.audit.models import AuditEvent


@pytest.fixture
def invite(client, administrator, django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    def make(**overrides):  # noqa: ANN003, ANN202
        data = {
            "username": "newcomer",
            "email": "newcomer@example.eu",
            "country": "FR",
            "organisation": administrator.organisation_id,
            "role": "centre_caseworker",
        }
        data.update(overrides)
        client.force_login(administrator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/invitations/new/", data)
        client.logout()
        return response

    return make


def _link() -> str:
    return re.search(r"https?://\S+/accounts/invitations/\S+/", mail.outbox[-1].body).group(0)


def test_an_invitation_creates_an_inactive_account_and_emails_the_link(invite, administrator):
    response = invite()
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert not user.is_active and not user.has_usable_password()
    assert user.groups.filter(name="centre_caseworker").exists()
    assert mail.outbox[-1].to == ["newcomer@example.eu"]
    event = AuditEvent.objects.get(verb="invitation_sent")
    assert event.actor_id == administrator.pk and event.object_id == str(user.pk)


def test_only_the_tokens_hash_is_stored(invite):
    invite()
    token = _link().rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash


def test_the_invitee_sets_a_password_once(client, invite):
    invite()
    link = _link()
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"password1": "A-long-new-pass-2026", "password2": "A-long-new-pass-2026"}
    )
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.is_active and user.check_password("A-long-new-pass-2026")
    assert EmailAddress.objects.get(user=user).verified
    assert AuditEvent.objects.filter(verb="invitation_accepted", actor=user).exists()
    again = client.post(
        link, {"password1": "Other-long-pass-2026", "password2": "Other-long-pass-2026"}
    )
    assert again.status_code == 404
    user.refresh_from_db()
    assert user.check_password("A-long-new-pass-2026")


def test_an_expired_invitation_does_not_work(client, invite):
    invite()
    past = timezone.now() - timedelta(days=4)
    Invitation.objects.update(created_at=past, expires_at=past + timedelta(days=3))
    assert client.get(_link()).status_code == 404


def test_a_weak_password_is_refused_and_the_link_stays_usable(client, invite):
    invite()
    link = _link()
    response = client.post(link, {"password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert not User.objects.get(username="newcomer").is_active
    assert client.get(link).status_code == 200


def test_a_taken_user_name_is_refused(invite, caseworker):
    response = invite(username=caseworker.username)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_an_unknown_token_shows_the_invalid_page(client, db):
    assert client.get("/accounts/invitations/not-a-token/").status_code == 404


def test_a_user_without_manage_users_cannot_invite(client, caseworker):
    client.force_login(caseworker)
    response = client.post(
        "/accounts/invitations/new/",
        {"username": "x", "email": "x@example.eu", "role": "auditor"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_inviting_asks_for_a_recent_password_when_enabled(client, settings, administrator):
    settings.SENSITIVE_ACTIONS_NEED_REAUTHENTICATION = True
    client.force_login(administrator)
    response = client.post(
        "/accounts/invitations/new/",
        {"username": "x", "email": "x@example.eu", "role": "auditor"},
    )
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not User.objects.filter(username="x").exists()


def test_the_invitation_form_preselects_no_role_and_requires_one(client, administrator):
    client.force_login(administrator)
    page = client.get("/accounts/invitations/new/").content.decode()
    assert '<option value="" selected>' in page
    response = client.post(
        "/accounts/invitations/new/", {"username": "x", "email": "x@example.eu", "role": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not User.objects.filter(username="x").exists()
