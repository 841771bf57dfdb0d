"""A schema-based fuzzer against the company API, with a real token: nothing it sends may
cause a 500. Bounded (a few examples per operation) so it stays around a minute."""

import base64
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, given, settings

from securityunion.accounts.models import Organisation
from securityunion.accounts.services import api_client_create

EXAMPLES_PER_OPERATION = 12
BUDGET_SECONDS = 90
COMPANY_PATHS = r"^/api/v1/(reports|notices)/"


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, called directly inside the test's transaction: like
    Django's test client, keep the request signals from closing the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db):
    company = Organisation.objects.create(
        slug="fuzz-co", name="Fuzz Co", type=Organisation.Type.COMPANY, country_id="IE"
    )
    api_client, secret = api_client_create(organisation=company)
    basic = base64.b64encode(f"{api_client.application.client_id}:{secret}".encode()).decode()
    response = Client().post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200
    return f"Bearer {response.json()['access_token']}"


def test_the_schema_fuzzer_finds_no_server_error_on_the_company_endpoints(bearer, wsgi_app):
    with override_settings(API_DOCS_PUBLIC=True):
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    operations = [
        result.ok() for result in schema.include(path_regex=COMPANY_PATHS).get_all_operations()
    ]
    assert len(operations) >= 8  # reports: list, create, batch, detail; notices: 4
    failures: list[str] = []
    statuses: set[int] = set()
    started = time.monotonic()

    for operation in operations:
        _fuzz(operation, bearer, failures, statuses)()
        if time.monotonic() - started > BUDGET_SECONDS:
            break
    assert failures == []
    assert 200 in statuses and 400 in statuses  # the token worked; hostile input got a 400


def _fuzz(operation, bearer, failures, statuses):  # noqa: ANN001, ANN202
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):  # noqa: ANN001, ANN202
        response = case.call(headers={"Authorization": bearer})
        statuses.add(response.status_code)
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

    return run
