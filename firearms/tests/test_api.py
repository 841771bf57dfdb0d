"""The firearms API: own country only (session here; OAuth tokens pass the same scoping)."""

import pytest
from rest_framework.test import APIClient

from firearms.models import SeizureCase
from securityunion.audit.models import AuditEvent


@pytest.fixture
def api():  # noqa: ANN201
    def signed_in(user):  # noqa: ANN001, ANN202
        client = APIClient()
        client.force_authenticate(user)
        return client

    return signed_in


def test_the_api_lists_only_the_focal_points_own_seizures(
    api, seizure, focal_point_fr, focal_point_de
):
    own = seizure(focal_point_fr)
    seizure(focal_point_de)
    body = api(focal_point_fr).get("/api/v1/firearms/seizures/").json()
    assert [row["reference"] for row in body["results"]] == [own.reference]
    assert body["results"][0]["items"][0]["serial_number"] == "SN-0"


def test_another_countrys_seizure_is_a_404_in_the_api(api, seizure, focal_point_fr, focal_point_de):
    other = seizure(focal_point_de)
    client = api(focal_point_fr)
    assert client.get(f"/api/v1/firearms/seizures/{other.reference}/").status_code == 404
    response = client.post(
        "/api/v1/firearms/items/",
        {"seizure": other.reference, "kind": "ammunition", "serial_state": "absent"},
        format="json",
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/firearms/items/?seizure={other.reference}").status_code == 404
    assert other.items.count() == 1


def test_the_api_creates_a_seizure_of_the_focal_points_country(api, focal_point_fr):
    response = api(focal_point_fr).post(
        "/api/v1/firearms/seizures/",
        {
            "seized_on": "2026-07-01",
            "place": "Le Havre",
            "context": "seized",
            "smuggling_mode": "container",
            "transit_countries": ["NL"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = SeizureCase.objects.get(reference=response.json()["reference"])
    assert case.country_id == "FR"
    assert list(case.transit_countries.values_list("pk", flat=True)) == ["NL"]


def test_the_api_refuses_a_country_in_the_body(api, focal_point_fr):
    response = api(focal_point_fr).post(
        "/api/v1/firearms/seizures/",
        {"seized_on": "2026-07-01", "place": "x", "context": "seized", "country": "DE"},
        format="json",
    )
    assert response.status_code == 400
    assert not SeizureCase.objects.exists()


def test_the_api_adds_an_item_and_answers_item_rules_with_field_errors(
    api, seizure, focal_point_fr
):
    case = seizure(focal_point_fr, items=0)
    client = api(focal_point_fr)
    bad = client.post(
        "/api/v1/firearms/items/",
        {"seizure": case.reference, "kind": "firearm", "serial_state": "intact", "quantity": 0},
        format="json",
    )
    assert bad.status_code == 400
    assert "quantity" in bad.json()["errors"]
    no_serial = client.post(
        "/api/v1/firearms/items/",
        {"seizure": case.reference, "kind": "firearm", "serial_state": "intact", "quantity": 1},
        format="json",
    )
    assert no_serial.status_code == 400
    assert "serial_number" in no_serial.json()["errors"]
    good = client.post(
        "/api/v1/firearms/items/",
        {
            "seizure": case.reference,
            "kind": "firearm",
            "eu_category": "B1",
            "serial_number": "X1",
            "quantity": 2,
        },
        format="json",
    )
    assert good.status_code == 201, good.json()
    assert case.items.get().eu_category.code == "B1"


def test_the_reviewer_reads_every_country_but_cannot_add_items(
    api, seizure, focal_point_de, reviewer
):
    case = seizure(focal_point_de)
    client = api(reviewer)
    assert client.get(f"/api/v1/firearms/seizures/{case.reference}/").status_code == 200
    response = client.post(
        "/api/v1/firearms/items/",
        {"seizure": case.reference, "kind": "ammunition", "serial_state": "absent"},
        format="json",
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(verb="view", object_id=str(case.pk), actor=reviewer).exists()


def test_the_api_refuses_roles_without_firearms_capabilities(api, make_user):
    client = api(make_user("drugs_coordinator", "FR", username="dc"))
    assert client.get("/api/v1/firearms/seizures/").status_code == 403
