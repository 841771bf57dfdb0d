"""Shared state for the complaint tests: a known report forwarded to Europol and the French
police, with an active indicator behind its item."""

from __future__ import annotations

from typing import Any

import pytest

from reports.models import Indicator, Provider
from reports.services import indicators_import, provider_for, report_propose_forward
from reports.services.complaints import complaint_submit
from reports.tests.actors import IMPORTER
from securityunion.casework.services import approval_decide, case_transition

from .conftest import hexhash

ITEM_ID = "item-1"
ITEM_URL = "https://photos.example.com/p/1"


def complaint_fields(provider: Provider, **overrides: Any) -> dict[str, Any]:
    fields = {
        "complainant": "content_owner",
        "provider": provider,
        "service": "Photo sharing app",
        "content_url": "",
        "item_id": ITEM_ID,
        "removed_on": None,
        "description": "My holiday photo of a beach was removed. It shows no child.",
        "contact_email": "owner@example.org",
        "consent": True,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def indicator(db) -> Indicator:
    indicators_import(
        text=f"algorithm,value,category,source\nsha256,{hexhash('s')},known_csam,test-list",
        source="test-list",
        status="active",
        actor=IMPORTER,
    )
    return Indicator.objects.get(source="test-list")


@pytest.fixture
def forwarded_report(indicator, submit, payload, people, organisations):
    report = submit(payload(provider_reference="cmp-1"))
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    approval = report_propose_forward(
        report=report,
        recipient_ids=[organisations["europol"].pk, organisations["police-fr"].pk],
        actor=people["caseworker"],
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    report.refresh_from_db()
    return report


@pytest.fixture
def complaint(forwarded_report, company):
    return complaint_submit(**complaint_fields(provider_for(company))).complaint


@pytest.fixture
def statement() -> dict[str, Any]:
    return {
        "ground": "not_csam",
        "facts": "The picture shows an adult on a beach; the hash matched by mistake.",
        "automated_detection": True,
        "redress": "You may go to the Coordinating Authority or a court.",
    }
