"""The company API under hostile traffic: authentication before parsing, throttles, the
token endpoint, scopes and secret rotation."""

import base64
import json
import time

import pytest
from django.core.management import call_command
from oauth2_provider.models import AccessToken, Application

from securityunion.accounts.models import Organisation
from securityunion.accounts.services import api_client_create, api_client_rotate
from securityunion.audit.models import AuditEvent


@pytest.fixture
def company(db):
    return Organisation.objects.create(
        slug="example-social",
        name="Example Social",
        type=Organisation.Type.COMPANY,
        country_id="IE",
    )


def _basic(client_id, secret):  # noqa: ANN001, ANN202
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _token(client, client_id, secret, scope=None, **extra):  # noqa: ANN001, ANN003, ANN202
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    return client.post("/o/token/", data, HTTP_AUTHORIZATION=_basic(client_id, secret), **extra)


@pytest.fixture
def credentials(company):
    api_client, secret = api_client_create(organisation=company)
    return api_client, api_client.application.client_id, secret


def _bearer(client, credentials, scope=None):  # noqa: ANN001, ANN202
    _api_client, client_id, secret = credentials
    response = _token(client, client_id, secret, scope)
    assert response.status_code == 200, response.content
    return f"Bearer {response.json()['access_token']}"


# --- authentication before the body ---------------------------------------------------------


def test_a_request_without_a_token_is_refused_before_its_body_is_parsed(client, db, monkeypatch):
    from securityunion.casework import parsers

    parsed = []
    monkeypatch.setattr(
        parsers.SafeJSONParser, "parse", lambda *a, **k: parsed.append(1) or {}, raising=True
    )
    response = client.post(
        "/api/v1/reports/", '{"provider_reference": "x"}', content_type="application/json"
    )
    assert response.status_code == 401
    assert parsed == []


def test_a_bad_token_with_a_deeply_nested_body_is_a_401_not_a_500(client, db):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/api/v1/reports/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_form_body_without_a_token_is_not_parsed(client, db, monkeypatch):
    from django.http.request import HttpRequest

    def refuse(self):  # noqa: ANN001, ANN202
        raise AssertionError("the body was parsed before authentication")

    monkeypatch.setattr(HttpRequest, "_load_post_and_files", refuse)
    response = client.post("/api/v1/reports/", {"provider_reference": "x"})
    assert response.status_code == 401


# --- throttles --------------------------------------------------------------------------------


def test_unauthenticated_requests_are_throttled_per_address(client, db):
    from rest_framework.throttling import AnonRateThrottle

    rate = AnonRateThrottle.THROTTLE_RATES["anon"]
    limit = int(rate.split("/")[0])
    codes = [client.get("/api/v1/whoami/").status_code for _ in range(limit + 10)]
    assert codes[0] == 401
    assert 429 in codes
    throttled = client.get("/api/v1/whoami/", HTTP_AUTHORIZATION="Bearer guess")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"


def test_another_address_is_not_throttled_by_the_first(client, db):
    from rest_framework.throttling import AnonRateThrottle

    limit = int(AnonRateThrottle.THROTTLE_RATES["anon"].split("/")[0])
    for _ in range(limit + 1):
        client.get("/api/v1/whoami/")
    assert client.get("/api/v1/whoami/", REMOTE_ADDR="198.51.100.7").status_code == 401


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(client, db):
    from rest_framework.throttling import AnonRateThrottle

    limit = int(AnonRateThrottle.THROTTLE_RATES["anon"].split("/")[0])
    codes = [
        client.get("/api/v1/whoami/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i % 250}").status_code
        for i in range(limit + 5)
    ]
    assert 429 in codes


def test_the_token_endpoint_is_throttled_per_client_id(client, credentials):
    from securityunion.access.api import TokenClientThrottle

    _api_client, client_id, _secret = credentials
    limit = int(TokenClientThrottle.THROTTLE_RATES["token_client"].split("/")[0])
    codes = [
        _token(client, client_id, "wrong", REMOTE_ADDR=f"198.51.100.{i}").status_code
        for i in range(limit + 3)
    ]
    assert codes[0] == 401
    assert codes[-1] == 429


def test_the_token_endpoint_is_throttled_per_address(client, db):
    from securityunion.access.api import TokenAddressThrottle

    limit = int(TokenAddressThrottle.THROTTLE_RATES["token_address"].split("/")[0])
    codes = [_token(client, f"client-{i}", "wrong").status_code for i in range(limit + 3)]
    assert codes[0] == 401
    assert codes[-1] == 429


def test_a_throttled_token_request_does_not_check_the_secret(client, credentials, monkeypatch):
    from securityunion.access import api as access_api
    from securityunion.access.api import TokenClientThrottle

    _api_client, client_id, _secret = credentials
    limit = int(TokenClientThrottle.THROTTLE_RATES["token_client"].split("/")[0])
    for i in range(limit):
        _token(client, client_id, "wrong", REMOTE_ADDR=f"198.51.100.{i}")
    checked = []
    original = access_api.CompanyOAuth2Validator._check_secret

    def spy(self, provided, stored):  # noqa: ANN001, ANN202
        checked.append(provided)
        return original(self, provided, stored)

    monkeypatch.setattr(access_api.CompanyOAuth2Validator, "_check_secret", spy)
    assert _token(client, client_id, "wrong", REMOTE_ADDR="198.51.100.200").status_code == 429
    assert checked == []


def test_a_wrong_client_secret_is_rejected_cheaply(client, credentials, settings):
    # The production hashers, not the test suite's fast one.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "securityunion.access.hashers.ClientSecretSHA256Hasher",
    ]
    company = credentials[0].organisation
    api_client, secret = api_client_create(organisation=company, name="fresh")
    stored = Application.objects.get(pk=api_client.application.pk).client_secret
    assert stored.startswith("client_sha256$")
    started = time.perf_counter()
    for i in range(5):
        response = _token(
            client, api_client.application.client_id, "wrong", REMOTE_ADDR=f"192.0.2.{i}"
        )
        assert response.status_code == 401
    assert (time.perf_counter() - started) / 5 < 0.2


def test_a_secret_hashed_by_the_slow_hasher_still_works_and_is_rehashed(client, company):
    from django.contrib.auth.hashers import make_password

    api_client, secret = api_client_create(organisation=company)
    Application.objects.filter(pk=api_client.application.pk).update(
        client_secret=make_password(secret, hasher="md5")
    )
    assert _token(client, api_client.application.client_id, secret).status_code == 200
    stored = Application.objects.get(pk=api_client.application.pk).client_secret
    assert stored.startswith("client_sha256$")
    assert _token(client, api_client.application.client_id, secret).status_code == 200


def test_a_failed_token_request_is_audited(client, credentials):
    api_client, client_id, _secret = credentials
    _token(client, client_id, "wrong")
    event = AuditEvent.objects.filter(verb="login_failed", object_id=str(api_client.pk)).get()
    assert event.data["client_id"] == client_id
    assert "wrong" not in json.dumps(event.data)


# --- scopes -----------------------------------------------------------------------------------


def test_a_token_without_a_scope_requested_gets_every_company_scope(client, credentials):
    _token_header = _bearer(client, credentials)
    token = AccessToken.objects.get()
    assert set(token.scope.split()) == {
        "reports:submit",
        "reports:read",
        "notices:read",
        "notices:write",
    }


def test_a_read_only_token_cannot_submit_a_report(client, credentials):
    header = _bearer(client, credentials, "reports:read")
    response = client.post(
        "/api/v1/reports/", {}, content_type="application/json", HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_a_scope_refusal_is_audited(client, credentials):
    header = _bearer(client, credentials, "notices:read")
    client.get("/api/v1/reports/", HTTP_AUTHORIZATION=header)
    event = AuditEvent.objects.get(verb="permission_denied")
    assert event.data["scope_needed"] == ["reports:read"]
    assert event.actor == credentials[0].application.user


def test_a_submit_only_token_cannot_read_reports(client, credentials):
    header = _bearer(client, credentials, "reports:submit")
    response = client.get("/api/v1/reports/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 403


def test_a_notices_read_token_cannot_acknowledge_a_notice(client, credentials):
    header = _bearer(client, credentials, "notices:read")
    assert client.get("/api/v1/notices/", HTTP_AUTHORIZATION=header).status_code == 200
    response = client.post("/api/v1/notices/1/acknowledge/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 403


def test_a_reports_scope_token_of_an_existing_client_still_opens_every_endpoint(
    client, credentials
):
    header = _bearer(client, credentials, "reports")
    assert client.get("/api/v1/reports/", HTTP_AUTHORIZATION=header).status_code == 200
    assert client.get("/api/v1/notices/", HTTP_AUTHORIZATION=header).status_code == 200
    response = client.post(
        "/api/v1/reports/", {}, content_type="application/json", HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 400  # past the scope check: the empty report is invalid


def test_a_view_without_declared_scopes_refuses_tokens(client, credentials):
    from rest_framework.test import APIRequestFactory

    from securityunion.access.api import HasCapability, InsufficientScope

    header = _bearer(client, credentials)
    token = AccessToken.objects.get()

    class View:
        required_capability = "reports_submit"

    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=header)
    request.user = token.application.user
    request.auth = token
    with pytest.raises(InsufficientScope):
        HasCapability().has_permission(request, View())


def test_company_endpoints_refuse_a_session(client, credentials):
    api_client = credentials[0]
    client.force_login(api_client.application.user)
    assert client.get("/api/v1/reports/").status_code == 401


# --- rotation ---------------------------------------------------------------------------------


def test_rotation_gives_a_new_secret_and_the_old_one_stops_working(client, credentials):
    api_client, client_id, old_secret = credentials
    _client, new_secret = api_client_rotate(client=api_client)
    assert new_secret != old_secret
    assert _token(client, client_id, old_secret).status_code == 401
    assert _token(client, client_id, new_secret).status_code == 200


def test_rotation_revokes_the_tokens_issued_before(client, credentials):
    header = _bearer(client, credentials)
    api_rotate_client = credentials[0]
    api_client_rotate(client=api_rotate_client)
    assert client.get("/api/v1/whoami/", HTTP_AUTHORIZATION=header).status_code == 401


def test_rotation_is_audited_without_the_secret(credentials):
    api_client = credentials[0]
    _client, secret = api_client_rotate(client=api_client)
    event = AuditEvent.objects.filter(object_id=str(api_client.pk), verb="update").latest("id")
    assert event.data["secret_rotated"] is True
    assert secret not in json.dumps(event.data)


def test_the_rotate_command_prints_the_new_secret_once_as_json(credentials, capsys, client):
    _api_client, client_id, old_secret = credentials
    call_command("api_client", "rotate", "--client-id", client_id)
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["client_id"] == client_id and data["client_secret"] != old_secret
    assert _token(client, client_id, data["client_secret"]).status_code == 200


def test_a_revoked_client_cannot_be_rotated(credentials):
    from django.core.management import CommandError

    from securityunion.accounts.services import api_client_revoke

    api_client, client_id, _secret = credentials
    api_client_revoke(client=api_client)
    with pytest.raises(CommandError, match="revoked"):
        call_command("api_client", "rotate", "--client-id", client_id)


# --- the upload limit belongs to the batch endpoint ------------------------------------------


def test_the_global_form_upload_limit_is_back_to_a_normal_value(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    from reports.conf import app_settings

    assert app_settings.REPORT_BATCH_MAX_BYTES > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_null_byte_in_the_path_is_a_400(client, credentials):
    header = _bearer(client, credentials)
    response = client.get("/api/v1/reports/RPT%00x/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 400
    assert response.json()["status"] == 400
