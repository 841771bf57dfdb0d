"""Demo data of the firearms area: seizures of France and Germany in every status."""

from __future__ import annotations

from datetime import date
from typing import Any


def load(*, users: dict[str, Any], organisations: dict[str, Any]) -> None:
    from securityunion.accounts.models import Country

    from .models import EuCategory, SeizureCase
    from .services import item_add, seizure_create, seizure_transition

    if SeizureCase.objects.filter(place__startswith="Demo: ").exists():
        return
    fr, de, reviewer = users["focal_point_fr"], users["focal_point_de"], users["firearms_reviewer"]
    country = {c.pk: c for c in Country.objects.filter(pk__in=["RS", "BA", "AT", "SI", "NL"])}
    category = {c.code: c for c in EuCategory.objects.all()}

    def case(actor: Any, day: date, place: str, context: str, mode: str, **extra: Any) -> Any:
        return seizure_create(
            actor=actor,
            data={
                "seized_on": day,
                "place": f"Demo: {place}",
                "context": context,
                "smuggling_mode": mode,
                **extra,
            },
        )

    def pistol(actor: Any, seized: Any, **extra: Any) -> None:
        item_add(
            case=seized,
            actor=actor,
            data={
                "kind": "firearm",
                "weapon_type": "pistol",
                "eu_category": category.get("B1"),
                "make": "Zastava",
                "model": "M70",
                "calibre": "7.65 mm",
                "serial_number": extra.pop("serial", ""),
                "serial_state": extra.pop("serial_state", "intact"),
                "manufacture_country": country.get("RS"),
                "manufacture_year": 1988,
                "legal_status": "smuggled",
                **extra,
            },
        )

    # France: a validated coach seizure, a submitted parcel case, a returned one and a draft.
    c1 = case(
        fr,
        date(2026, 3, 14),
        "Lyon, coach station",
        "seized",
        "car_coach",
        origin_country=country.get("RS"),
        destination_country=None,
        linked_ocg=True,
        investigation_status="ongoing",
        transit_countries=[c for c in (country.get("SI"), country.get("AT")) if c],
    )
    pistol(fr, c1, serial="A123456")
    pistol(fr, c1, serial_state="obliterated", quantity=3, legal_status="trafficked")
    item_add(
        case=c1,
        actor=fr,
        data={
            "kind": "ammunition",
            "calibre": "7.65 mm",
            "quantity": 250,
            "serial_state": "absent",
        },
    )
    seizure_transition(case=c1, actor=fr, transition="submit")
    seizure_transition(case=c1, actor=reviewer, transition="validate")

    c2 = case(fr, date(2026, 6, 2), "Roissy, parcel hub", "seized", "postal_parcel")
    item_add(
        case=c2,
        actor=fr,
        data={
            "kind": "essential_component",
            "weapon_type": "pistol",
            "eu_category": category.get("UNKNOWN"),
            "serial_state": "absent",
            "quantity": 4,
            "modification": "printed_3d",
            "legal_status": "illicit_manufacture",
        },
    )
    seizure_transition(case=c2, actor=fr, transition="submit")

    c3 = case(fr, date(2026, 8, 21), "Marseille, port", "found", "container")
    pistol(fr, c3, serial="77-PX", serial_state="partial", modification="converted_alarm")
    seizure_transition(case=c3, actor=fr, transition="submit")
    seizure_transition(
        case=c3,
        actor=reviewer,
        transition="return",
        reason="Give the EU category of the converted weapon and the country of origin.",
    )

    case(fr, date(2026, 11, 5), "Lille", "surrendered", "unknown")

    # Germany: a closed darknet case and a draft.
    d1 = case(de, date(2026, 2, 9), "Hamburg", "seized", "darknet", linked_drugs=True)
    item_add(
        case=d1,
        actor=de,
        data={
            "kind": "firearm",
            "weapon_type": "rifle",
            "eu_category": category.get("A6"),
            "make": "Unknown",
            "serial_number": "DE-99812",
            "serial_state": "intact",
            "manufacture_year": 1975,
            "legal_status": "trafficked",
            "modification": "auto_to_semi",
        },
    )
    seizure_transition(case=d1, actor=de, transition="submit")
    seizure_transition(case=d1, actor=reviewer, transition="validate")
    seizure_transition(case=d1, actor=reviewer, transition="close")
    d2 = case(de, date(2026, 10, 30), "Munich, airport", "seized", "air_passenger")
    pistol(de, d2, serial="G-4411", make="Glock", model="17", manufacture_country=None)
