"""Country isolation: a focal point sees and changes only their country's seizures."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from firearms.models import SeizureCase
from firearms.selectors import seizures_visible_to
from firearms.services import item_add, seizure_create, seizure_update
from securityunion.audit.models import AuditEvent

from .conftest import item_data


def test_a_focal_point_lists_only_their_own_countrys_seizures(
    client, seizure, focal_point_fr, focal_point_de
):
    own = seizure(focal_point_fr)
    other = seizure(focal_point_de)
    client.force_login(focal_point_fr)
    body = client.get("/firearms/seizures/").content.decode()
    assert own.reference in body
    assert other.reference not in body


def test_a_focal_point_cannot_open_another_countrys_seizure(
    client, seizure, focal_point_fr, focal_point_de
):
    other = seizure(focal_point_de)
    client.force_login(focal_point_fr)
    assert client.get(f"/firearms/seizures/{other.reference}/").status_code == 404
    assert AuditEvent.objects.filter(
        verb="permission_denied", object_id=str(other.pk), actor=focal_point_fr
    ).exists()


def test_a_focal_point_cannot_export_another_countrys_case_file(
    client, seizure, focal_point_fr, focal_point_de
):
    other = seizure(focal_point_de)
    client.force_login(focal_point_fr)
    assert client.get(f"/firearms/seizures/{other.reference}/pdf/").status_code == 404


def test_a_focal_point_cannot_edit_or_add_items_to_another_countrys_seizure(
    client, seizure, focal_point_fr, focal_point_de
):
    other = seizure(focal_point_de)
    client.force_login(focal_point_fr)
    ref = other.reference
    assert client.get(f"/firearms/seizures/{ref}/edit/").status_code == 404
    assert client.post(f"/firearms/seizures/{ref}/items/", item_data()).status_code == 404
    assert (
        client.post(f"/firearms/seizures/{ref}/transition/", {"transition": "submit"}).status_code
        == 404
    )
    assert other.items.count() == 1


def test_the_item_service_refuses_another_countrys_focal_point(
    seizure, focal_point_fr, focal_point_de
):
    other = seizure(focal_point_de)
    with pytest.raises(PermissionDenied):
        item_add(case=other, actor=focal_point_fr, data=item_data())
    with pytest.raises(PermissionDenied):
        seizure_update(
            case=other, actor=focal_point_fr, data={"place": "x"}, expected_version=other.version
        )
    assert AuditEvent.objects.filter(verb="permission_denied", object_id=str(other.pk)).count() == 2


def test_a_posted_country_is_ignored_the_case_is_the_focal_points(client, focal_point_fr):
    client.force_login(focal_point_fr)
    response = client.post(
        "/firearms/seizures/new/",
        {
            "seized_on": "2026-04-01",
            "place": "Dunkirk",
            "context": "seized",
            "smuggling_mode": "truck",
            "investigation_status": "unknown",
            "prosecution_status": "unknown",
            "conviction_status": "unknown",
            "country": "DE",
        },
    )
    assert response.status_code == 302
    assert SeizureCase.objects.get().country_id == "FR"


def test_the_create_service_refuses_a_country_in_its_data(focal_point_fr):
    with pytest.raises(ValidationError):
        seizure_create(
            actor=focal_point_fr,
            data={"seized_on": "2026-04-01", "place": "x", "context": "seized", "country": "DE"},
        )
    assert not SeizureCase.objects.exists()


def test_the_reviewer_sees_every_country(client, seizure, focal_point_fr, focal_point_de, reviewer):
    fr, de = seizure(focal_point_fr), seizure(focal_point_de)
    assert set(seizures_visible_to(reviewer)) == {fr, de}
    client.force_login(reviewer)
    body = client.get("/firearms/seizures/").content.decode()
    assert fr.reference in body and de.reference in body
    assert client.get(f"/firearms/seizures/{de.reference}/").status_code == 200


def test_the_reviewer_does_not_edit_a_countrys_seizure(seizure, focal_point_fr, reviewer):
    case = seizure(focal_point_fr)
    with pytest.raises(PermissionDenied):
        item_add(case=case, actor=reviewer, data=item_data())


def test_the_auditor_reads_every_country_but_changes_nothing(seizure, focal_point_de, auditor):
    case = seizure(focal_point_de)
    assert list(seizures_visible_to(auditor)) == [case]
    with pytest.raises(PermissionDenied):
        item_add(case=case, actor=auditor, data=item_data())


@pytest.mark.parametrize("role", ["drugs_coordinator", "centre_caseworker", None])
def test_roles_without_firearms_capabilities_are_refused_the_pages(client, make_user, role):
    client.force_login(make_user(role, "FR", username="other"))
    assert client.get("/firearms/").status_code == 403
    assert client.get("/firearms/seizures/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/firearms/seizures/")
    assert response.status_code == 302
    assert "login" in response["Location"]
