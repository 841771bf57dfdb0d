"""Fixtures of the drugs tests: the plan from its data migration, actors, people, actions."""

import pytest

from drugs.models import Actor, Framework, Priority
from drugs.services import action_create
from securityunion.accounts.models import Organisation


@pytest.fixture
def framework(db):
    return Framework.objects.get(is_current=True)


@pytest.fixture
def orgs(db):
    def org(slug, kind, country):  # noqa: ANN001, ANN202
        return Organisation.objects.get_or_create(
            slug=slug, defaults={"name": slug, "type": kind, "country_id": country}
        )[0]

    return {
        "euda": org("euda", Organisation.Type.EU_AGENCY, "PT"),
        "ministry-de": org("ministry-de", Organisation.Type.NATIONAL_AUTHORITY, "DE"),
        "commission": org("commission", Organisation.Type.EU_INSTITUTION, "BE"),
    }


@pytest.fixture
def actors(orgs):
    def actor(name, kind, organisation=None):  # noqa: ANN001, ANN202
        return Actor.objects.create(name=name, kind=kind, organisation=organisation)

    return {
        "euda": actor("EUDA", Actor.Kind.EU_AGENCY, orgs["euda"]),
        "de": actor(
            "German Federal Ministry of Health", Actor.Kind.MEMBER_STATE, orgs["ministry-de"]
        ),
        "europol": actor("Europol", Actor.Kind.EU_AGENCY),
    }


@pytest.fixture
def people(make_user, orgs):
    return {
        "coordinator": make_user(
            "drugs_coordinator", "BE", username="coord", organisation=orgs["commission"]
        ),
        "reporter": make_user("drugs_reporter", "PT", username="rep", organisation=orgs["euda"]),
        "reporter_de": make_user(
            "drugs_reporter", "DE", username="rep_de", organisation=orgs["ministry-de"]
        ),
        "police": make_user("law_enforcement", "FR", username="police"),
        "caseworker": make_user("centre_caseworker", "BE", username="cw"),
    }


@pytest.fixture
def make_action(framework, actors, people):
    def make(number="1", priority=1, lead=("euda",), contributors=(), **kwargs):  # noqa: ANN001, ANN003, ANN202
        values = {"timetable": "ongoing", "text": f"Action {number} text"}
        values.update(kwargs)
        return action_create(
            framework=framework,
            number=number,
            priority=Priority.objects.get(framework=framework, number=priority),
            lead_actors=[actors[a] for a in lead],
            contributing_actors=[actors[a] for a in contributors],
            actor=people["coordinator"],
            **values,
        )

    return make
