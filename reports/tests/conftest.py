import copy
import hashlib

import pytest
from rest_framework.test import APIClient

from securityunion.accounts.models import Organisation
from securityunion.accounts.services import api_client_create


def hexhash(seed: str, length: int = 64) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


BASE_PAYLOAD = {
    "provider_reference": "abc-123",
    "abuse_type": "csam",
    "incident_at": "2026-11-01T10:00:00Z",
    "service": "Photo sharing app",
    "urgent": False,
    "urgency_reason": "",
    "countries": ["FR", "BE"],
    "reported_user": {
        "account_id": "u-991",
        "username": "someone",
        "email": "someone@example.com",
        "ip_events": [{"ip": "203.0.113.9", "at": "2026-11-01T09:58:00Z"}],
    },
    "items": [
        {
            "kind": "image",
            "hashes": {"md5": hexhash("m", 32), "sha256": hexhash("s")},
            "url": "https://photos.example.com/p/1",
            "provider_item_id": "item-1",
            "publicly_available": True,
            "removed_by_provider": True,
        }
    ],
    "notes": "Found by our classifier, confirmed by a moderator.",
}


@pytest.fixture
def payload():
    def make(**overrides):  # noqa: ANN003, ANN202
        data = copy.deepcopy(BASE_PAYLOAD)
        data.update(overrides)
        return data

    return make


def _company(slug: str, country: str = "IE") -> Organisation:
    return Organisation.objects.get_or_create(
        slug=slug,
        defaults={"name": slug.title(), "type": Organisation.Type.COMPANY, "country_id": country},
    )[0]


@pytest.fixture
def company(db):
    return _company("example-social")


@pytest.fixture
def other_company(db):
    return _company("example-hosting", "NL")


def _api_for(organisation: Organisation) -> APIClient:
    client, _secret = api_client_create(organisation=organisation)
    api = APIClient()
    api.force_authenticate(client.application.user)
    api.user = client.application.user
    return api


@pytest.fixture
def api(company):
    return _api_for(company)


@pytest.fixture
def other_api(other_company):
    return _api_for(other_company)


@pytest.fixture
def organisations(db):
    def org(slug, kind, country):  # noqa: ANN001, ANN202
        return Organisation.objects.get_or_create(
            slug=slug, defaults={"name": slug, "type": kind, "country_id": country}
        )[0]

    return {
        "europol": org("europol", Organisation.Type.LAW_ENFORCEMENT, "NL"),
        "police-fr": org("police-fr", Organisation.Type.LAW_ENFORCEMENT, "FR"),
        "police-de": org("police-de", Organisation.Type.LAW_ENFORCEMENT, "DE"),
        "police-be": org("police-be", Organisation.Type.LAW_ENFORCEMENT, "BE"),
    }


@pytest.fixture
def people(make_user, organisations):
    return {
        "caseworker": make_user("centre_caseworker", "BE", username="cw"),
        "caseworker2": make_user("centre_caseworker", "BE", username="cw2"),
        "supervisor": make_user("centre_supervisor", "BE", username="sup"),
        "supervisor2": make_user("centre_supervisor", "BE", username="sup2"),
        "europol": make_user(
            "law_enforcement", "NL", username="ep", organisation=organisations["europol"]
        ),
        "police_fr": make_user(
            "law_enforcement", "FR", username="pfr", organisation=organisations["police-fr"]
        ),
        "police_de": make_user(
            "law_enforcement", "DE", username="pde", organisation=organisations["police-de"]
        ),
        "auditor": make_user("auditor", "BE", username="aud"),
        "focal_point": make_user("focal_point", "FR", username="fpfr"),
    }


@pytest.fixture
def submit(company):
    """Store a report as the company would, through the intake service."""
    from reports.services import provider_for, reports_intake

    submitters: dict[int, object] = {}

    def make(payload, organisation=None):  # noqa: ANN001, ANN202
        org = organisation or company
        if org.pk not in submitters:  # the company's API service account, as in production
            submitters[org.pk] = api_client_create(organisation=org)[0].application.user
        actor = submitters[org.pk]
        result = reports_intake(provider=provider_for(org), payloads=[payload], actor=actor)[0]
        assert result.outcome == "created", result.errors
        return result.report

    return make


# The complaint tests' fixtures (a forwarded report with an indicator behind it, a complaint).
from .complaint_fixtures import complaint, forwarded_report, indicator, statement  # noqa: E402, F401
