from datetime import date

import pytest

from firearms.models import EuCategory
from firearms.services import item_add, seizure_create, seizure_transition


@pytest.fixture
def reviewer(make_user):  # noqa: ANN001, ANN201
    return make_user("firearms_reviewer", "BE", username="reviewer")


@pytest.fixture
def seizure():  # noqa: ANN201
    """``seizure(actor, items=1, **fields)``: a draft case of the actor's country, through the
    services."""

    def make(actor, items=1, **fields):  # noqa: ANN001, ANN003, ANN202
        data = {
            "seized_on": date(2026, 5, 1),
            "place": "Calais",
            "context": "seized",
            "smuggling_mode": "truck",
            **fields,
        }
        case = seizure_create(actor=actor, data=data)
        for n in range(items):
            item_add(case=case, actor=actor, data=item_data(serial_number=f"SN-{n}"))
        case.refresh_from_db()
        return case

    return make


def item_data(**overrides):  # noqa: ANN003, ANN201
    return {
        "kind": "firearm",
        "weapon_type": "pistol",
        "eu_category": EuCategory.objects.get(code="B1"),
        "make": "Zastava",
        "model": "M70",
        "calibre": "7.65 mm",
        "serial_number": "A1",
        "serial_state": "intact",
        "quantity": 1,
        **overrides,
    }


@pytest.fixture
def submitted(seizure):  # noqa: ANN001, ANN201
    def make(actor):  # noqa: ANN001, ANN202
        case = seizure(actor)
        return seizure_transition(case=case, actor=actor, transition="submit")

    return make
