import json

import pytest
from django.db import connection

from reports.models import Indicator, IndicatorMatch, ProviderReport, ReportedItem
from reports.services import indicators_import
from reports.tests.actors import IMPORTER

from .conftest import hexhash

URL = "/api/v1/reports/"


def _post(api, data):  # noqa: ANN001, ANN202
    return api.post(URL, data, format="json")


def test_a_valid_report_is_created_with_its_reference(api, payload):
    response = _post(api, payload())
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("RPT-") and body["status"] == "received"
    assert body["items"][0]["provider_item_id"] == "item-1"
    assert body["items"][0]["known"] is False
    assert "received_at" in body


def test_an_item_matching_an_active_indicator_is_known(api, payload):
    indicators_import(
        text=f"algorithm,value,category,source\nsha256,{hexhash('s')},known_csam,l",
        source="l",
        status="active",
        actor=IMPORTER,
    )
    body = _post(api, payload()).json()
    assert body["items"][0]["known"] is True
    assert ProviderReport.objects.get().has_known_items


def test_a_url_on_an_active_list_makes_the_item_known(api, payload):
    indicators_import(
        text="algorithm,value,category,source\nurl,HTTPS://Photos.example.com/p/1,known_csam,l",
        source="l",
        status="active",
        actor=IMPORTER,
    )
    assert _post(api, payload()).json()["items"][0]["known"] is True


def test_a_quarantined_indicator_does_not_make_an_item_known(api, payload):
    indicators_import(
        text=f"algorithm,value,category,source\nsha256,{hexhash('s')},known_csam,l",
        source="l",
        status="active",
        actor=IMPORTER,
    )
    Indicator.objects.update(status=Indicator.Status.QUARANTINED)
    assert _post(api, payload()).json()["items"][0]["known"] is False
    assert not IndicatorMatch.objects.exists()


def test_the_same_reference_and_body_replays_the_same_report(api, payload):
    first = _post(api, payload())
    second = _post(api, payload())
    assert second.status_code == 200
    assert second.json()["reference"] == first.json()["reference"]
    assert ProviderReport.objects.count() == 1 and ReportedItem.objects.count() == 1


def test_the_same_reference_with_another_body_is_a_conflict(api, payload):
    _post(api, payload())
    response = _post(api, payload(service="Another app"))
    assert response.status_code == 409
    assert ProviderReport.objects.count() == 1


def test_two_companies_may_use_the_same_reference(api, other_api, payload):
    assert _post(api, payload()).status_code == 201
    assert _post(other_api, payload()).status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("md5", "abc"),
        ("sha1", "z" * 40),
        ("sha256", "0" * 63),
        ("pdq", "g" * 64),
    ],
)
def test_a_malformed_hash_is_refused_with_a_field_message(api, payload, field, value):
    data = payload()
    data["items"][0]["hashes"] = {field: value}
    response = _post(api, data)
    assert response.status_code == 400
    assert f"items[0].hashes.{field}" in response.json()["errors"]
    assert not ProviderReport.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": []}, "items"),
        ({"items": None}, "items"),
        ({"abuse_type": "other"}, "abuse_type"),
        ({"countries": ["FR", "XX"]}, "countries"),
        ({"provider_reference": ""}, "provider_reference"),
        ({"urgent": True, "urgency_reason": ""}, "urgency_reason"),
        ({"incident_at": "yesterday"}, "incident_at"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_input_is_a_400_naming_the_field_and_stores_nothing(api, payload, change, field):
    response = _post(api, payload(**change))
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and field in body["errors"]
    assert not ProviderReport.objects.exists()


def test_an_unknown_item_kind_is_refused(api, payload):
    data = payload()
    data["items"][0]["kind"] = "audio"
    assert "items[0].kind" in _post(api, data).json()["errors"]


def test_a_csam_report_needs_an_image_video_or_url_item(api, payload):
    response = _post(api, payload(items=[{"kind": "text", "provider_item_id": "m-1"}]))
    assert response.status_code == 400
    assert "items" in response.json()["errors"]


def test_a_solicitation_report_with_only_text_items_is_allowed(api, payload):
    response = _post(
        api, payload(abuse_type="solicitation", items=[{"kind": "text", "provider_item_id": "m-1"}])
    )
    assert response.status_code == 201


@pytest.mark.parametrize("field", ["content", "file", "data"])
def test_a_field_carrying_file_content_is_refused_as_media(api, payload, field):
    data = payload()
    data["items"][0][field] = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"
    response = _post(api, data)
    assert response.status_code == 400
    assert "never accepts media" in response.json()["errors"][f"items[0].{field}"][0]
    assert not ProviderReport.objects.exists()


def test_a_base64_blob_in_a_text_field_is_refused_as_media(api, payload):
    response = _post(api, payload(notes="QUJD" * 1000))
    assert response.status_code == 400
    assert "never accepts media" in response.json()["errors"]["notes"][0]


def test_a_multipart_upload_is_refused_as_media(api, payload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post(
        URL, {"file": SimpleUploadedFile("x.jpg", b"\xff\xd8\xff")}, format="multipart"
    )
    assert response.status_code == 415
    assert "never accepts media" in response.json()["detail"]


def test_a_body_over_the_limit_is_413(api, payload, settings):
    settings.REPORT_API_MAX_BYTES = 500
    response = _post(api, payload(notes="x" * 600))
    assert response.status_code == 413
    assert not ProviderReport.objects.exists()


def test_the_company_reads_its_own_report(api, payload):
    reference = _post(api, payload()).json()["reference"]
    response = api.get(f"{URL}{reference}/")
    assert response.status_code == 200 and response.json()["reference"] == reference
    assert response.json()["outcome"] is None


def test_another_companys_report_is_404(api, other_api, payload):
    reference = _post(api, payload()).json()["reference"]
    assert other_api.get(f"{URL}{reference}/").status_code == 404


def test_the_list_holds_only_the_companys_reports_and_filters_by_status(api, other_api, payload):
    _post(api, payload(provider_reference="a-1"))
    _post(other_api, payload(provider_reference="b-1"))
    body = api.get(URL).json()
    assert [r["provider_reference"] for r in body["results"]] == ["a-1"]
    assert api.get(URL, {"status": "forwarded"}).json()["results"] == []
    assert "next" in body


def test_the_list_filters_by_date(api, payload):
    _post(api, payload())
    assert api.get(URL, {"received_after": "2999-01-01T00:00:00Z"}).json()["results"] == []


def test_staff_cannot_use_the_company_endpoints(make_user, payload):
    from rest_framework.test import APIClient

    staff = APIClient()
    staff.force_authenticate(make_user("centre_supervisor", "BE"))
    assert staff.post(URL, payload(), format="json").status_code == 403


def test_no_token_is_401(client, db):
    assert client.get(URL).status_code == 401
    assert client.post(URL, "{}", content_type="application/json").status_code == 401


def test_a_report_is_audited_on_intake_and_on_read(api, payload):
    from securityunion.audit.models import AuditEvent

    reference = _post(api, payload()).json()["reference"]
    report = ProviderReport.objects.get(reference=reference)
    api.get(f"{URL}{reference}/")
    verbs_seen = set(
        AuditEvent.objects.filter(
            object_id=str(report.pk), object_type="reports.providerreport"
        ).values_list("verb", flat=True)
    )
    assert {"create", "view"} <= verbs_seen


def test_the_reported_user_is_encrypted_at_rest(api, payload):
    _post(api, payload())
    with connection.cursor() as cursor:
        cursor.execute("SELECT reported_user FROM reports_providerreport")
        (stored,) = cursor.fetchone()
    assert stored.startswith("v2:") and "someone@example.com" not in stored
    assert ProviderReport.objects.get().reported_user["email"] == "someone@example.com"


# --- batch -----------------------------------------------------------------------------------


def test_a_batch_answers_one_result_per_report_in_order(api, payload):
    _post(api, payload(provider_reference="old"))
    bad = payload(provider_reference="bad", abuse_type="nope")
    response = api.post(
        URL + "batch/",
        {
            "reports": [
                payload(provider_reference="new-1"),
                payload(provider_reference="old"),
                bad,
                payload(provider_reference="new-2"),
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["result"] for r in results] == ["created", "replayed", "invalid", "created"]
    assert [r["status"] for r in results] == [201, 200, 400, 201]
    assert "abuse_type" in results[2]["body"]["errors"]
    assert not ProviderReport.objects.filter(provider_reference="bad").exists()
    assert ProviderReport.objects.count() == 3


def test_the_same_reference_twice_in_one_batch_is_stored_once(api, payload):
    results = api.post(
        URL + "batch/", {"reports": [payload(), payload(), payload(service="x")]}, format="json"
    ).json()["results"]
    assert [r["result"] for r in results] == ["created", "replayed", "conflict"]
    assert ProviderReport.objects.count() == 1


def test_a_batch_over_500_reports_is_refused(api, payload):
    response = api.post(URL + "batch/", {"reports": [payload()] * 501}, format="json")
    assert response.status_code == 413


def test_an_empty_batch_is_a_400(api):
    assert api.post(URL + "batch/", {"reports": []}, format="json").status_code == 400


def test_a_batch_creates_the_same_rows_as_single_posts(api, payload):
    api.post(
        URL + "batch/",
        {"reports": [payload(provider_reference=f"r{i}") for i in range(5)]},
        format="json",
    )
    assert ProviderReport.objects.count() == 5
    assert ReportedItem.objects.count() == 5
    assert ProviderReport.candidate_countries.through.objects.count() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_identical_requests_racing_create_one_report(payload):
    import threading

    from rest_framework.test import APIClient

    from securityunion.accounts.models import Organisation
    from securityunion.accounts.services import api_client_create

    org = Organisation.objects.create(slug="racer", name="Racer", type="company", country_id="IE")
    client, _ = api_client_create(organisation=org)
    user = client.application.user
    barrier = threading.Barrier(2)
    codes = []

    def send():  # noqa: ANN202
        api = APIClient()
        api.force_authenticate(user)
        barrier.wait(5)
        codes.append(api.post(URL, json.loads(json.dumps(payload())), format="json").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(codes) == [200, 201]
    assert ProviderReport.objects.filter(provider__organisation=org).count() == 1
