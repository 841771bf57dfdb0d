import datetime

import pytest

from securityunion.accounts.models import Country
from victims.services import victim_case_create, victim_cases_assign

PERSON = {
    "person_name": "Zoë Plaintext-Name",
    "person_contact": "zoe.secret@example.org",
    "date_of_birth": "2008-05-17",
    "representative_name": "Rep Plaintext-Name",
    "representative_role": "Guardian",
    "representative_contact": "+32 470 99 88 77",
}


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("victim_support_officer", "BE", username="vo1"),
        "officer2": make_user("victim_support_officer", "BE", username="vo2"),
        "lead": make_user("victim_support_lead", "BE", username="vlead"),
        "auditor": make_user("auditor", "BE", username="aud"),
        "caseworker": make_user("centre_caseworker", "BE", username="cw"),
        "supervisor": make_user("centre_supervisor", "BE", username="sup"),
        "police": make_user("law_enforcement", "FR", username="pfr"),
        "company": make_user("company", "IE", username="acme"),
    }


@pytest.fixture
def open_case(people):
    """A case the lead opened and assigned to ``officer``."""

    def make(assignee="officer", **personal):
        case = victim_case_create(
            actor=people["lead"],
            country=Country.objects.get(pk="PT"),
            consent_scope="removal",
            consent_given_on=datetime.date.today(),
            personal={**PERSON, **personal},
        )
        if assignee:
            victim_cases_assign(cases=[case], assignee=people[assignee], actor=people["lead"])
            case.refresh_from_db()
        return case

    return make


@pytest.fixture
def case(open_case):
    return open_case()
