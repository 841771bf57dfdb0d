"""The reporting API against hostile bodies: size limits before parsing, malformed JSON,
crafted cursors and the ways media was smuggled through text."""

import base64
import io
import json
import os

import pytest
from django.test import Client

from reports.models import ProviderReport

from .conftest import hexhash

URL = "/api/v1/reports/"
BATCH = "/api/v1/reports/batch/"


@pytest.fixture
def bearer(company):
    """A real token of the company's client (the hostile paths go through authentication)."""
    from oauth2_provider.models import AccessToken

    from securityunion.accounts.services import api_client_create

    api_client, secret = api_client_create(organisation=company, name="hostile")
    basic = base64.b64encode(f"{api_client.application.client_id}:{secret}".encode()).decode()
    response = Client().post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200
    assert AccessToken.objects.exists()
    return f"Bearer {response.json()['access_token']}"


def _raw(client, bearer, body, url=URL, **extra):  # noqa: ANN001, ANN003, ANN202
    return client.generic(
        "POST", url, body, content_type="application/json", HTTP_AUTHORIZATION=bearer, **extra
    )


# --- size ------------------------------------------------------------------------------------


def test_a_declared_length_over_the_limit_is_413_before_the_body_is_read(client, bearer, settings):
    settings.REPORT_API_MAX_BYTES = 1000
    response = _raw(client, bearer, b"{" + b" " * 2000 + b"}")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_chunked_body_over_the_limit_is_413(client, bearer, settings):
    settings.REPORT_API_MAX_BYTES = 1000
    body = json.dumps({"notes": "x" * 5000}).encode()
    response = client.generic(
        "POST",
        URL,
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer,
        HTTP_TRANSFER_ENCODING="chunked",
        **{
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": "",
            "CONTENT_TYPE": "application/json",
        },
    )
    assert response.status_code == 413


def test_a_chunked_body_within_the_limit_is_read(client, bearer, payload):
    body = json.dumps(payload()).encode()
    response = client.generic(
        "POST",
        URL,
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer,
        HTTP_TRANSFER_ENCODING="chunked",
        **{
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": "",
            "CONTENT_TYPE": "application/json",
        },
    )
    assert response.status_code == 201, response.content[:300]


def test_a_body_longer_than_its_declared_length_is_not_read_past_the_limit(
    client, bearer, settings
):
    settings.REPORT_API_MAX_BYTES = 1000
    from securityunion.casework.parsers import read_capped

    with pytest.raises(Exception) as refused:
        read_capped(io.BytesIO(b"x" * 5000), 1000)
    assert getattr(refused.value, "status_code", None) == 413


def test_the_batch_endpoint_takes_bodies_over_the_form_upload_limit(
    client, bearer, payload, settings
):
    reports = [
        payload(provider_reference=f"r-{i}", notes="A moderator confirmed this. " * 200)
        for i in range(60)
    ]
    body = json.dumps({"reports": reports})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 8
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _raw(client, bearer, body, url=BATCH)
    assert response.status_code == 200, response.content[:300]
    assert ProviderReport.objects.count() == 60


# --- malformed JSON --------------------------------------------------------------------------


def test_deeply_nested_json_is_a_400(client, bearer):
    response = _raw(client, bearer, "[" * 50_000 + "]" * 50_000)
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_nesting_just_over_the_depth_limit_is_a_400(client, bearer, payload):
    data = payload()
    nested = {}
    for _ in range(40):
        nested = {"n": nested}
    data["reported_user"] = nested
    response = _raw(client, bearer, json.dumps(data))
    assert response.status_code == 400


def test_a_lone_surrogate_is_a_400(client, bearer, payload):
    body = json.dumps(payload()).replace('"abc-123"', '"abc-\\ud800"')
    response = _raw(client, bearer, body)
    assert response.status_code == 400
    assert not ProviderReport.objects.exists()


def test_a_lone_surrogate_in_a_batch_is_a_400(client, bearer, payload):
    body = json.dumps({"reports": [payload()]}).replace('"abc-123"', '"abc-\\udfff"')
    assert _raw(client, bearer, body, url=BATCH).status_code == 400


def test_a_nan_constant_is_a_400(client, bearer):
    assert _raw(client, bearer, '{"urgent": NaN}').status_code == 400


def test_a_body_that_is_not_utf8_is_a_400(client, bearer):
    assert _raw(client, bearer, b'{"notes": "\xff\xfe"}').status_code == 400


# --- path and cursor -------------------------------------------------------------------------


def test_a_nul_byte_in_the_report_reference_is_a_400(client, bearer):
    response = client.get(URL + "RPT-2026%00/", HTTP_AUTHORIZATION=bearer)
    assert response.status_code == 400


def test_a_nul_byte_in_a_filter_is_a_400(client, bearer):
    response = client.get(URL + "?status=%00", HTTP_AUTHORIZATION=bearer)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        base64.b64encode(b"p=abc").decode(),
        base64.b64encode(b"p=1%00").decode(),
        base64.b64encode(b"p=99999999999999999999999999").decode(),
        base64.b64encode(b"o=-1").decode(),
        base64.b64encode(b"r=7").decode(),
        base64.b64encode(b"x=1").decode(),
        "\u00e9t\u00e9",
    ],
)
def test_a_crafted_cursor_is_a_400(client, bearer, cursor):
    response = client.get(URL, {"cursor": cursor}, HTTP_AUTHORIZATION=bearer)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_the_cursor_the_api_gives_still_works(client, bearer, api, payload):
    for i in range(3):
        api.post(URL, payload(provider_reference=f"c-{i}"), format="json")
    first = client.get(URL, {"page_size": 2}, HTTP_AUTHORIZATION=bearer).json()
    second = client.get(first["next"], HTTP_AUTHORIZATION=bearer)
    assert second.status_code == 200
    assert len(second.json()["results"]) == 1


def test_a_crafted_cursor_on_the_notice_inbox_is_a_400(client, bearer):
    cursor = base64.b64encode(b"p=abc").decode()
    response = client.get("/api/v1/notices/", {"cursor": cursor}, HTTP_AUTHORIZATION=bearer)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "value", ["9999-12-31T23:59:59-10:00", "0001-01-01T00:00:00+10:00", "2026-13-45T99:00:00Z"]
)
def test_a_date_filter_at_the_edge_of_the_calendar_is_a_400(client, bearer, value):
    response = client.get(URL, {"received_after": value}, HTTP_AUTHORIZATION=bearer)
    assert response.status_code == 400


# --- smuggling media through text --------------------------------------------------------------


def _b64(n: int, urlsafe: bool = False) -> str:
    raw = os.urandom(n)
    return (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(raw).decode()


def _refused(api, data, field):  # noqa: ANN001, ANN202
    response = api.post(URL, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not ProviderReport.objects.exists()


def test_a_data_uri_in_the_middle_of_notes_is_refused(api, payload):
    notes = "See the picture: data:image/png;base64," + _b64(30) + " thanks."
    _refused(api, payload(notes=notes), "notes")


def test_a_data_uri_in_the_service_name_is_refused(api, payload):
    _refused(api, payload(service="app data:;base64,AAAA"), "service")


def test_base64_split_over_commas_is_refused(api, payload):
    blob = _b64(3000)
    notes = ", ".join(blob[i : i + 60] for i in range(0, len(blob), 60))
    _refused(api, payload(notes=notes), "notes")


def test_base64url_split_over_lines_is_refused(api, payload):
    blob = _b64(3000, urlsafe=True)
    notes = "\n".join(blob[i : i + 40] for i in range(0, len(blob), 40))
    _refused(api, payload(notes=notes), "notes")


def test_hex_split_over_spaces_is_refused(api, payload):
    blob = os.urandom(500).hex()
    notes = " ".join(blob[i : i + 32] for i in range(0, len(blob), 32))
    _refused(api, payload(notes=notes), "notes")


def test_a_long_opaque_run_in_the_urgency_reason_is_refused(api, payload):
    _refused(api, payload(urgent=True, urgency_reason="Live: " + _b64(120)), "urgency_reason")


def test_a_long_opaque_run_in_the_reported_username_is_refused(api, payload):
    data = payload()
    data["reported_user"]["username"] = _b64(60)
    _refused(api, data, "reported_user.username")


def test_an_item_id_carrying_data_is_refused(api, payload):
    data = payload()
    data["items"][0]["provider_item_id"] = _b64(90)
    _refused(api, data, "items[0].provider_item_id")


def test_an_item_id_with_characters_no_id_has_is_refused(api, payload):
    data = payload()
    data["items"][0]["provider_item_id"] = "item 1 <b>"
    _refused(api, data, "items[0].provider_item_id")


def test_a_photodna_value_that_is_not_144_bytes_is_refused(api, payload):
    data = payload()
    data["items"][0]["hashes"]["photodna"] = _b64(290)[:400]
    _refused(api, data, "items[0].hashes.photodna")


def test_a_real_photodna_hash_is_accepted(api, payload):
    data = payload()
    data["items"][0]["hashes"]["photodna"] = base64.b64encode(os.urandom(144)).decode()
    assert api.post(URL, data, format="json").status_code == 201


def test_a_url_query_string_carrying_a_payload_is_refused(api, payload):
    data = payload()
    data["items"][0]["url"] = "https://photos.example.com/p/1?x=" + _b64(300, urlsafe=True)
    _refused(api, data, "items[0].url")


def test_a_url_with_a_data_uri_in_its_query_is_refused(api, payload):
    data = payload()
    data["items"][0]["url"] = "https://example.com/r?u=data%3Aimage%2Fpng%3Bbase64%2CAAAA"
    _refused(api, data, "items[0].url")


def test_a_long_url_query_is_refused(api, payload):
    data = payload()
    data["items"][0]["url"] = "https://example.com/r?" + "&".join(f"k{i}=v" for i in range(200))
    _refused(api, data, "items[0].url")


def test_an_email_that_is_not_an_email_is_refused(api, payload):
    data = payload()
    data["reported_user"]["email"] = "not an address"
    _refused(api, data, "reported_user.email")


def test_an_ip_event_port_that_is_not_a_port_is_refused(api, payload):
    data = payload()
    data["reported_user"]["ip_events"][0]["port"] = "AAAA" * 100
    _refused(api, data, "reported_user.ip_events[0].port")


def test_plain_notes_with_a_few_hashes_and_links_are_accepted(api, payload):
    notes = (
        "Found by our classifier on 2026-11-01, confirmed by moderator 4411. Related item "
        f"sha256 {hexhash('a')} was removed; see https://example.com/help/reporting?lang=en "
        "for our policy. The account was created with the e-mail someone@example.com."
    )
    assert api.post(URL, payload(notes=notes), format="json").status_code == 201
