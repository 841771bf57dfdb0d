"""Company API clients managed in the pages: list, create (secret shown once), revoke."""

import base64
import re

import pytest
from django.core.exceptions import PermissionDenied
from oauth2_provider.models import AccessToken, Application

from securityunion.accounts.models import ApiClient, Organisation
from securityunion.accounts.services import api_client_create, api_client_revoke
from securityunion.audit import verbs
from securityunion.audit.models import AuditEvent

LIST = "/accounts/api-clients/"
NEW = "/accounts/api-clients/new/"


@pytest.fixture
def company(db):
    return Organisation.objects.create(
        slug="example-social", name="Example Social", type=Organisation.Type.COMPANY
    )


@pytest.fixture
def police(db):
    return Organisation.objects.create(
        slug="police-x", name="Police X", type=Organisation.Type.LAW_ENFORCEMENT
    )


@pytest.fixture
def auditor_user(make_user):
    return make_user("auditor", "BE", username="aud1")


def _create(client, company, scopes=("reports:submit",)):  # noqa: ANN001, ANN202
    return client.post(
        NEW, {"organisation": company.pk, "name": "Production", "scopes": list(scopes)}
    )


def _secret(response):  # noqa: ANN001, ANN202
    return re.search(r'id="client-secret">([^<]+)<', response.content.decode()).group(1)


def _token(client, client_id, secret, scope=None):  # noqa: ANN001, ANN202
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    return client.post("/o/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")


def test_an_administrator_creates_a_client_and_sees_its_secret_once(client, administrator, company):
    client.force_login(administrator)
    response = _create(client, company)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = _secret(response)
    api_client = ApiClient.objects.get(organisation=company)
    assert api_client.scopes == ["reports:submit"] and api_client.created_by == administrator
    assert secret not in client.get(LIST).content.decode()


def test_only_the_secrets_hash_is_stored(client, administrator, company):
    client.force_login(administrator)
    secret = _secret(_create(client, company))
    stored = ApiClient.objects.get(organisation=company).application.client_secret
    assert stored.startswith("client_sha256$") and secret not in stored


def test_the_new_secret_gets_a_token_with_the_chosen_scopes_only(client, administrator, company):
    client.force_login(administrator)
    secret = _secret(_create(client, company, scopes=("reports:submit",)))
    client_id = ApiClient.objects.get(organisation=company).application.client_id
    client.logout()
    response = _token(client, client_id, secret)
    assert response.status_code == 200 and response.json()["scope"] == "reports:submit"
    assert _token(client, client_id, secret, scope="notices:read").status_code == 400


def test_the_creation_is_audited(client, administrator, company):
    client.force_login(administrator)
    _create(client, company)
    event = AuditEvent.objects.get(verb=verbs.API_CLIENT_CREATED)
    assert event.actor == administrator and "secret" not in str(event.data)


def test_a_client_is_only_for_a_company(client, administrator, police):
    client.force_login(administrator)
    response = _create(client, police)
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not ApiClient.objects.exists()


def test_a_client_needs_a_scope(client, administrator, company):
    client.force_login(administrator)
    response = client.post(NEW, {"organisation": company.pk, "scopes": []})
    assert "scopes" in response.context["form"].errors and not ApiClient.objects.exists()


def test_an_unregistered_scope_is_refused(client, administrator, company):
    client.force_login(administrator)
    response = _create(client, company, scopes=("admin:everything",))
    assert response.status_code == 200 and not ApiClient.objects.exists()


def test_revoking_stops_token_issue_and_revokes_the_tokens(client, administrator, company):
    api_client, secret = api_client_create(organisation=company)
    client_id = api_client.application.client_id
    assert _token(client, client_id, secret).status_code == 200
    client.force_login(administrator)
    assert client.get(f"/accounts/api-clients/{api_client.pk}/revoke/").status_code == 200
    response = client.post(f"/accounts/api-clients/{api_client.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    assert _token(client, client_id, secret).status_code in (400, 401)
    assert not AccessToken.objects.filter(application__client_id=client_id).exists()


def test_the_revocation_is_audited(client, administrator, company):
    api_client, _ = api_client_create(organisation=company)
    client.force_login(administrator)
    client.post(f"/accounts/api-clients/{api_client.pk}/revoke/")
    event = AuditEvent.objects.get(verb=verbs.API_CLIENT_REVOKED)
    assert event.actor == administrator


@pytest.mark.parametrize("url", [NEW, "/accounts/api-clients/{pk}/revoke/"])
def test_a_caseworker_is_refused_and_the_refusal_audited(client, caseworker, company, url):
    api_client, _ = api_client_create(organisation=company)
    client.force_login(caseworker)
    target = url.format(pk=api_client.pk)
    assert (
        client.post(target, {"organisation": company.pk, "scopes": ["reports:submit"]}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(actor=caseworker, verb=verbs.PERMISSION_DENIED).exists()
    assert ApiClient.objects.count() == 1 and ApiClient.objects.get().revoked_at is None


def test_a_caseworker_may_not_read_the_list(client, caseworker):
    client.force_login(caseworker)
    assert client.get(LIST).status_code == 403


def test_an_auditor_reads_the_list_but_may_not_create_or_revoke(client, auditor_user, company):
    api_client, _ = api_client_create(organisation=company)
    client.force_login(auditor_user)
    page = client.get(LIST)
    assert page.status_code == 200 and api_client.application.client_id in page.content.decode()
    assert "/revoke/" not in page.content.decode()
    assert client.get(NEW).status_code == 403
    assert client.post(f"/accounts/api-clients/{api_client.pk}/revoke/").status_code == 403


def test_the_services_refuse_a_person_without_the_capability(caseworker, company):
    with pytest.raises(PermissionDenied):
        api_client_create(organisation=company, actor=caseworker, scopes=["reports:submit"])
    api_client, _ = api_client_create(organisation=company)
    with pytest.raises(PermissionDenied):
        api_client_revoke(client=api_client, actor=caseworker)


def test_creating_and_revoking_ask_for_a_recent_password(client, settings, administrator, company):
    settings.SENSITIVE_ACTIONS_NEED_REAUTHENTICATION = True
    api_client, _ = api_client_create(organisation=company)
    client.force_login(administrator)
    assert client.get(LIST).status_code == 200
    for response in (
        _create(client, company),
        client.post(f"/accounts/api-clients/{api_client.pk}/revoke/"),
    ):
        assert response["Location"].startswith("/accounts/reauthenticate/")
    api_client.refresh_from_db()
    assert ApiClient.objects.count() == 1 and api_client.revoked_at is None


def test_a_token_issue_records_the_last_use(client, company):
    api_client, secret = api_client_create(organisation=company)
    _token(client, api_client.application.client_id, secret)
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_an_api_call_records_the_last_use(client, company):
    from django.core.cache import cache

    api_client, secret = api_client_create(organisation=company)
    token = _token(client, api_client.application.client_id, secret).json()["access_token"]
    ApiClient.objects.filter(pk=api_client.pk).update(last_used_at=None)
    cache.clear()
    client.get("/api/v1/whoami/", HTTP_AUTHORIZATION=f"Bearer {token}")
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_the_last_use_is_written_at_most_once_a_minute(client, company):
    api_client, secret = api_client_create(organisation=company)
    token = _token(client, api_client.application.client_id, secret).json()["access_token"]
    ApiClient.objects.filter(pk=api_client.pk).update(last_used_at=None)
    client.get("/api/v1/whoami/", HTTP_AUTHORIZATION=f"Bearer {token}")
    api_client.refresh_from_db()
    assert api_client.last_used_at is None


def test_the_list_shows_scopes_last_use_and_status(client, administrator, company):
    active, _ = api_client_create(organisation=company, scopes=["reports:read"])
    revoked, _ = api_client_create(organisation=company)
    api_client_revoke(client=revoked)
    client.force_login(administrator)
    body = client.get(LIST).content.decode()
    assert "reports:read" in body and "revoked" in body and "never" in body
    assert Application.objects.count() == 2
