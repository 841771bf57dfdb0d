"""Failed sign-ins are throttled per account and per real client address, and audited."""

import pytest
from django.test import RequestFactory

from securityunion.accounts.network import client_ip
from securityunion.audit.models import AuditEvent

from .conftest import sign_in


def _request(remote: str, forwarded: str | None = None):  # noqa: ANN202
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_the_client_is_the_first_untrusted_hop_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = _request("10.0.0.1", "1.2.3.4, 198.51.100.9, 10.0.0.2")
    assert client_ip(request) == "198.51.100.9"


def test_a_forged_leftmost_hop_is_never_taken(settings):
    settings.TRUSTED_PROXIES = "10.0.0.1"
    assert client_ip(_request("10.0.0.1", "127.0.0.1, 198.51.100.9")) == "198.51.100.9"


def test_a_malformed_hop_stops_the_walk_at_the_last_trusted_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("10.0.0.1", "198.51.100.9, not-an-ip")) == "10.0.0.1"


def test_without_trusted_proxies_the_peer_address_answers(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "198.51.100.9")) == "127.0.0.1"


@pytest.fixture
def limits(settings):  # noqa: ANN001, ANN201
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    settings.LOGIN_FAILURES_PER_ADDRESS = 5
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    return settings


def test_an_account_is_throttled_after_its_failures_and_the_refusal_audited(
    client, limits, caseworker
):
    for _ in range(3):
        sign_in(client, caseworker, "wrong-password-000")
    response = sign_in(client, caseworker)  # the right password, now refused
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(verb="login_throttled")
    assert event.data["by"] == "account" and event.data["username"] == "cw1"


def test_an_address_is_throttled_across_accounts(client, limits, caseworker, make_user):
    other = make_user("auditor", "BE", username="aud2")
    for name in ["a", "b", "c", "d", "e"]:
        client.post("/accounts/login/", {"login": name, "password": "wrong-password-000"})
    response = sign_in(client, other)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert AuditEvent.objects.get(verb="login_throttled").data["by"] == "address"


def test_one_client_behind_the_proxy_does_not_lock_out_another(client, limits, make_user):
    user = make_user("auditor", "BE", username="aud3")
    for name in ["a", "b", "c", "d", "e"]:
        client.post(
            "/accounts/login/",
            {"login": name, "password": "wrong-password-000"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    response = sign_in(client, user, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_forged_forwarded_for_does_not_escape_the_address_throttle(client, limits, make_user):
    user = make_user("auditor", "BE", username="aud4")
    for index, name in enumerate(["a", "b", "c", "d", "e"]):
        client.post(
            "/accounts/login/",
            {"login": name, "password": "wrong-password-000"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{index}",
        )
    sign_in(client, user, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert "_auth_user_id" not in client.session


def test_a_correct_password_under_the_limit_signs_in(client, limits, caseworker):
    sign_in(client, caseworker, "wrong-password-000")
    response = sign_in(client, caseworker)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(caseworker.pk)


def test_audit_events_name_the_client_behind_a_trusted_proxy(client, limits, caseworker):
    client.post(
        "/accounts/login/",
        {"login": "cw1", "password": "wrong-password-000"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert AuditEvent.objects.get(verb="login_failed").ip == "198.51.100.66"


def test_audit_events_ignore_a_forwarded_for_from_an_untrusted_peer(client, limits, caseworker):
    client.post(
        "/accounts/login/",
        {"login": "cw1", "password": "wrong-password-000"},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert AuditEvent.objects.get(verb="login_failed").ip == "203.0.113.5"
