import base64
import json

import pytest
from django.core.management import call_command
from oauth2_provider.models import Application

from securityunion.accounts.models import Organisation
from securityunion.accounts.services import api_client_create, api_client_revoke


@pytest.fixture
def company(db):
    return Organisation.objects.create(
        slug="example-social",
        name="Example Social",
        type=Organisation.Type.COMPANY,
        country_id="IE",
    )


def _token(client, client_id, secret):  # noqa: ANN001, ANN202
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )


def test_client_credentials_return_a_token_that_opens_the_api(client, company):
    api_client, secret = api_client_create(organisation=company)
    response = _token(client, api_client.application.client_id, secret)
    assert response.status_code == 200
    token = response.json()["access_token"]
    me = client.get("/api/v1/whoami/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["organisation"] == "example-social"
    assert me.json()["api_client"] is True


def test_a_bad_secret_gets_401(client, company):
    api_client, _secret = api_client_create(organisation=company)
    response = _token(client, api_client.application.client_id, "wrong-secret")
    assert response.status_code == 401


def test_a_bad_token_gets_401_in_the_error_format(client, db):
    response = client.get("/api/v1/whoami/", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401
    assert response.json()["status"] == 401 and "detail" in response.json()


def test_no_credentials_get_401(client, db):
    response = client.get("/api/v1/whoami/")
    assert response.status_code == 401


def test_the_secret_is_stored_hashed(company):
    api_client, secret = api_client_create(organisation=company)
    stored = Application.objects.get(pk=api_client.application.pk).client_secret
    assert secret not in stored


def test_only_companies_get_api_clients(db):
    from django.core.exceptions import ValidationError

    police = Organisation.objects.create(
        slug="police", name="Police", type=Organisation.Type.LAW_ENFORCEMENT
    )
    with pytest.raises(ValidationError):
        api_client_create(organisation=police)


def test_a_revoked_client_can_no_longer_get_a_token(client, company):
    api_client, secret = api_client_create(organisation=company)
    api_client_revoke(client=api_client)
    assert _token(client, api_client.application.client_id, secret).status_code in (400, 401)


def test_the_command_prints_the_credentials_as_json_on_its_last_line(company, capsys):
    call_command("api_client", "create", "--organisation", "example-social")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    data = json.loads(last)
    assert set(data) == {"client_id", "client_secret"}
    assert Application.objects.filter(client_id=data["client_id"]).exists()


def test_the_command_refuses_an_unknown_organisation(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No organisation"):
        call_command("api_client", "create", "--organisation", "nope")


def test_the_api_client_account_cannot_sign_in_to_the_pages(client, company):
    api_client, _ = api_client_create(organisation=company)
    user = api_client.application.user
    client.force_login(user)
    assert client.get("/").status_code == 403


def test_the_schema_and_docs_are_public_when_configured(client, db, settings):
    settings.API_DOCS_PUBLIC = True
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_a_staff_user_without_capability_is_refused_by_the_api(client, make_user):
    from rest_framework.test import APIClient

    from securityunion.access.api import HasCapability

    api = APIClient()
    api.force_authenticate(make_user("auditor", "BE"))
    assert api.get("/api/v1/whoami/").status_code == 200

    class View:
        required_capability = "reports_submit"

    class Request:
        user = make_user("auditor", "BE", username="aud2")

    assert HasCapability().has_permission(Request(), View()) is False


def test_a_view_declaring_nothing_is_denied(make_user):
    from securityunion.access.api import HasCapability

    class View:
        pass

    class Request:
        user = make_user("auditor", "BE")

    assert HasCapability().has_permission(Request(), View()) is False


def test_the_committed_openapi_schema_is_in_step_with_the_code(db):
    """Clients are generated from ``openapi.yaml``: regenerate it with
    ``manage.py spectacular --file openapi.yaml`` when the API changes."""
    from pathlib import Path

    from django.core.management import call_command

    committed = Path(__file__).resolve().parents[2] / "openapi.yaml"
    from io import StringIO

    out = StringIO()
    call_command("spectacular", stdout=out)
    assert out.getvalue() == committed.read_text(), "openapi.yaml is stale: regenerate it"
