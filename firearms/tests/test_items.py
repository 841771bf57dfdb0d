"""Seized items: serial number rules, quantity, year; forms keep what was typed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from firearms.models import SeizedItem
from firearms.services import item_add, item_remove, item_update
from securityunion.audit.models import AuditEvent

from .conftest import item_data


@pytest.mark.parametrize("state", ["intact", "partial"])
def test_a_readable_serial_number_is_required(seizure, focal_point_fr, state):
    case = seizure(focal_point_fr, items=0)
    with pytest.raises(ValidationError) as error:
        item_add(
            case=case, actor=focal_point_fr, data=item_data(serial_number="", serial_state=state)
        )
    assert "serial_number" in error.value.error_dict


@pytest.mark.parametrize("state", ["obliterated", "absent"])
def test_an_unreadable_serial_number_may_be_left_out(seizure, focal_point_fr, state):
    case = seizure(focal_point_fr, items=0)
    item = item_add(
        case=case, actor=focal_point_fr, data=item_data(serial_number="", serial_state=state)
    )
    assert item.pk


def test_an_absent_serial_number_has_no_number(seizure, focal_point_fr):
    case = seizure(focal_point_fr, items=0)
    with pytest.raises(ValidationError) as error:
        item_add(case=case, actor=focal_point_fr, data=item_data(serial_state="absent"))
    assert "serial_state" in error.value.error_dict


@pytest.mark.parametrize("quantity", [0, -3])
def test_the_quantity_is_at_least_one(seizure, focal_point_fr, quantity):
    case = seizure(focal_point_fr, items=0)
    with pytest.raises(ValidationError):
        item_add(case=case, actor=focal_point_fr, data=item_data(quantity=quantity))
    assert not case.items.exists()


@pytest.mark.parametrize("year", [1500, 2999])
def test_the_year_of_manufacture_is_plausible(seizure, focal_point_fr, year):
    case = seizure(focal_point_fr, items=0)
    with pytest.raises(ValidationError) as error:
        item_add(case=case, actor=focal_point_fr, data=item_data(manufacture_year=year))
    assert "manufacture_year" in error.value.error_dict


def test_a_deactivated_item_needs_its_certificate(seizure, focal_point_fr):
    case = seizure(focal_point_fr, items=0)
    with pytest.raises(ValidationError) as error:
        item_add(case=case, actor=focal_point_fr, data=item_data(disposition="deactivated"))
    assert "certificate_number" in error.value.error_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"quantity": 0},
        {"serial_number": "", "serial_state": "intact"},
        {"manufacture_year": 1200},
        {"disposition": "deactivated", "certificate_number": ""},
    ],
)
def test_the_database_backs_the_item_rules(seizure, focal_point_fr, fields):
    case = seizure(focal_point_fr)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeizedItem.objects.filter(case=case).update(**fields)


def test_an_invalid_item_form_keeps_what_was_typed(client, seizure, focal_point_fr):
    case = seizure(focal_point_fr, items=0)
    client.force_login(focal_point_fr)
    data = item_data(serial_number="", make="Crvena Zastava", calibre="9x19")
    data["eu_category"] = data["eu_category"].pk
    response = client.post(f"/firearms/seizures/{case.reference}/items/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Crvena Zastava"' in body and 'value="9x19"' in body
    assert "Enter the serial number" in body
    assert not case.items.exists()


def test_an_invalid_seizure_form_keeps_what_was_typed(client, focal_point_fr):
    client.force_login(focal_point_fr)
    response = client.post(
        "/firearms/seizures/new/", {"place": "Port of Antwerp", "context": "seized"}
    )
    assert response.status_code == 400
    assert 'value="Port of Antwerp"' in response.content.decode()


def test_items_are_changed_and_removed_with_an_audit_trail(seizure, focal_point_fr):
    case = seizure(focal_point_fr)
    item = case.items.get()
    item_update(case=case, actor=focal_point_fr, item_id=item.pk, data={"quantity": 5})
    item_remove(case=case, actor=focal_point_fr, item_id=item.pk)
    assert not case.items.exists()
    data = list(
        AuditEvent.objects.filter(verb="update", object_id=str(case.pk)).values_list(
            "data", flat=True
        )
    )
    assert any(d.get("item_changed") == item.pk and d["fields"] == ["quantity"] for d in data)
    assert any(d.get("item_removed") == item.pk for d in data)


def test_the_case_page_read_is_audited(client, seizure, focal_point_fr):
    case = seizure(focal_point_fr)
    client.force_login(focal_point_fr)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert AuditEvent.objects.filter(
        verb="view", object_id=str(case.pk), actor=focal_point_fr
    ).exists()


def test_an_item_of_another_case_cannot_be_removed(seizure, focal_point_fr):
    from django.core.exceptions import PermissionDenied

    one, two = seizure(focal_point_fr), seizure(focal_point_fr)
    with pytest.raises(PermissionDenied):
        item_remove(case=one, actor=focal_point_fr, item_id=two.items.get().pk)
    assert two.items.exists()
