"""The dashboard, the list's filters and the case file."""

import io

from firearms.models import EuCategory
from firearms.services import item_add, seizure_transition
from securityunion.audit.models import AuditEvent

from .conftest import item_data


def test_the_dashboard_counts_only_the_users_scope(client, seizure, focal_point_fr, focal_point_de):
    seizure(focal_point_fr)
    seizure(focal_point_de)
    seizure(focal_point_de)
    client.force_login(focal_point_fr)
    response = client.get("/firearms/")
    counts = {row["status"]: row["count"] for row in response.context["counts"]}
    assert counts["draft"] == 1
    assert [c.country_id for c in response.context["recent"]] == ["FR"]


def test_the_list_filters_by_status_mode_and_category(client, seizure, focal_point_fr):
    parcel = seizure(focal_point_fr, smuggling_mode="postal_parcel", items=0)
    item_add(
        case=parcel,
        actor=focal_point_fr,
        data=item_data(eu_category=EuCategory.objects.get(code="A6")),
    )
    truck = seizure(focal_point_fr)
    seizure_transition(case=truck, actor=focal_point_fr, transition="submit")
    client.force_login(focal_point_fr)

    def listed(query):  # noqa: ANN001, ANN202
        body = client.get(f"/firearms/seizures/?{query}").content.decode()
        return {ref for ref in (parcel.reference, truck.reference) if ref in body}

    assert listed("smuggling_mode=postal_parcel") == {parcel.reference}
    assert listed("status=submitted") == {truck.reference}
    assert listed("category=A6") == {parcel.reference}
    assert listed("seized_from=2026-06-01") == set()


def test_a_period_that_ends_before_it_starts_is_refused(client, focal_point_fr):
    client.force_login(focal_point_fr)
    response = client.get("/firearms/seizures/?seized_from=2026-06-01&seized_to=2026-01-01")
    assert "The end of the period is before its start." in response.content.decode()


def test_hostile_filter_values_are_not_a_server_error(client, focal_point_fr):
    client.force_login(focal_point_fr)
    response = client.get("/firearms/seizures/?seized_from=yesterday&category=%00&status=x")
    assert response.status_code == 200


def test_the_case_file_holds_the_case_and_its_items_and_is_audited(client, seizure, focal_point_fr):
    from pypdf import PdfReader

    case = seizure(focal_point_fr)
    client.force_login(focal_point_fr)
    response = client.get(f"/firearms/seizures/{case.reference}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert case.reference in text and "SN-0" in text and "Zastava" in text
    assert AuditEvent.objects.filter(verb="export", object_id=str(case.pk)).exists()


def test_the_reviewer_exports_another_countrys_case_file(client, seizure, focal_point_de, reviewer):
    case = seizure(focal_point_de)
    client.force_login(reviewer)
    response = client.get(f"/firearms/seizures/{case.reference}/pdf/")
    assert response["Content-Type"] == "application/pdf"


def _queries(client, url):  # noqa: ANN001, ANN202
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_the_dashboard_cost_the_same_for_1_and_12_cases(
    client, seizure, focal_point_fr
):
    seizure(focal_point_fr, items=0)
    client.force_login(focal_point_fr)
    client.get("/firearms/")  # the first request of a session fills caches
    one = (_queries(client, "/firearms/seizures/"), _queries(client, "/firearms/"))
    for _ in range(11):
        seizure(focal_point_fr, items=0)
    assert (_queries(client, "/firearms/seizures/"), _queries(client, "/firearms/")) == one
