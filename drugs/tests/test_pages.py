"""The drugs pages: who may open them, what they show, and forms refused as typed."""

import pytest
from django.urls import reverse

from drugs.models import Action, ProgressUpdate
from drugs.services import progress_update_submit
from securityunion.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(person):  # noqa: ANN001, ANN202
        client.force_login(person)
        return client

    return login


def _update(action, person, period="2026-H2"):  # noqa: ANN001, ANN202
    return progress_update_submit(
        action=action, period=period, rag="amber", narrative="Going.", actor=person
    )


@pytest.mark.parametrize("who", ["police", "caseworker"])
@pytest.mark.parametrize(
    "url",
    [
        "/drugs/",
        "/drugs/priorities/1/",
        "/drugs/actions/",
        "/drugs/actions/1/",
        "/drugs/actions/new/",
    ],
)
def test_other_roles_get_403(as_user, people, make_action, who, url):
    make_action(number="1")
    assert as_user(people[who]).get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/drugs/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_overview_shows_the_eight_priorities_under_their_headings(as_user, people):
    response = as_user(people["coordinator"]).get("/drugs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Addressing drug-related harm" in body
    assert "Developing a balanced intervention on drugs use in prisons" in body
    assert body.count('href="/drugs/priorities/') == 8


def test_the_overview_counts_actions_by_status(as_user, people, make_action):
    make_action(number="1")
    make_action(number="2")
    body = as_user(people["coordinator"]).get("/drugs/").content.decode()
    assert "Not started: 2" in body


def test_a_reporter_counts_only_their_organisations_actions(as_user, people, make_action):
    make_action(number="1", lead=("euda",))
    make_action(number="2", lead=("de",))
    body = as_user(people["reporter"]).get("/drugs/").content.decode()
    assert "Not started: 1" in body


def test_a_priority_page_lists_its_actions(as_user, people, make_action):
    make_action(number="4.1", priority=4, text="Dismantle labs in the north")
    make_action(number="5.1", priority=5, text="Prevention in schools")
    body = as_user(people["coordinator"]).get("/drugs/priorities/4/").content.decode()
    assert "Dismantle labs in the north" in body
    assert "Prevention in schools" not in body


def test_an_unknown_priority_is_404(as_user, people):
    assert as_user(people["coordinator"]).get("/drugs/priorities/9/").status_code == 404


def test_the_action_list_filters_by_status_and_text(as_user, people, make_action):
    make_action(number="1", text="Container risk profiling")
    started = make_action(number="2", text="Darknet monitoring")
    from securityunion.casework.services import case_transition

    case_transition(case=started, transition="start", actor=people["coordinator"])
    client = as_user(people["coordinator"])
    body = client.get("/drugs/actions/?status=in_progress").content.decode()
    assert "Darknet monitoring" in body and "Container risk" not in body
    body = client.get("/drugs/actions/?q=container").content.decode()
    assert "Container risk" in body and "Darknet" not in body


def test_the_action_list_filters_by_lead_actor(as_user, people, make_action, actors):
    make_action(number="1", lead=("euda",), text="Led by the agency")
    make_action(number="2", lead=("europol",), contributors=("euda",), text="Led by police")
    body = (
        as_user(people["coordinator"])
        .get(f"/drugs/actions/?lead={actors['euda'].pk}")
        .content.decode()
    )
    assert "Led by the agency" in body and "Led by police" not in body


def test_a_hostile_filter_is_not_a_500(as_user, people):
    response = as_user(people["coordinator"]).get("/drugs/actions/?priority=x&status=%00&lead=-1")
    assert response.status_code == 200


def test_a_reporter_lists_only_their_organisations_actions(as_user, people, make_action):
    make_action(number="1", lead=("euda",), text="Agency work")
    make_action(number="2", lead=("de",), text="Ministry work")
    body = as_user(people["reporter"]).get("/drugs/actions/").content.decode()
    assert "Agency work" in body and "Ministry work" not in body


def test_a_reporter_cannot_open_another_organisations_action(as_user, people, make_action):
    make_action(number="2", lead=("de",))
    assert as_user(people["reporter"]).get("/drugs/actions/2/").status_code == 404


def test_the_action_page_offers_coordinators_the_transitions(as_user, people, make_action):
    make_action(number="1")
    body = as_user(people["coordinator"]).get("/drugs/actions/1/").content.decode()
    assert 'value="start"' in body and 'value="discontinue"' in body


def test_the_action_page_offers_reporters_no_transition(as_user, people, make_action):
    make_action(number="1", lead=("euda",))
    body = as_user(people["reporter"]).get("/drugs/actions/1/").content.decode()
    assert 'name="transition"' not in body
    assert "Report progress" in body


def test_a_coordinator_discontinues_with_a_justification(as_user, people, make_action):
    action = make_action(number="1")
    response = as_user(people["coordinator"]).post(
        "/drugs/actions/1/transition/",
        {"transition": "discontinue", "reason": "Superseded", "version": action.version},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DISCONTINUED


def test_discontinuing_without_justification_keeps_the_page(as_user, people, make_action):
    action = make_action(number="1")
    response = as_user(people["coordinator"]).post(
        "/drugs/actions/1/transition/",
        {"transition": "discontinue", "reason": "", "version": action.version},
    )
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


def test_a_hand_posted_transition_by_a_reporter_is_refused_and_audited(
    as_user, people, make_action
):
    action = make_action(number="1", lead=("euda",))
    response = as_user(people["reporter"]).post(
        "/drugs/actions/1/transition/",
        {"transition": "start", "version": action.version},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED
    assert AuditEvent.objects.filter(
        verb="permission_denied", actor=people["reporter"], object_id=str(action.pk)
    ).exists()


def test_a_reporter_submits_an_update_from_the_action_page(as_user, people, make_action):
    action = make_action(number="1", lead=("euda",))
    response = as_user(people["reporter"]).post(
        "/drugs/actions/1/updates/",
        {
            "period": "2026-H2",
            "rag": "green",
            "narrative": "On track",
            "evidence_links": "https://example.org/a\nhttps://example.org/b",
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(action=action)
    assert update.evidence_links == ["https://example.org/a", "https://example.org/b"]


def test_a_refused_update_keeps_what_was_typed(as_user, people, make_action):
    make_action(number="1", lead=("euda",))
    response = as_user(people["reporter"]).post(
        "/drugs/actions/1/updates/",
        {"period": "2026-H9", "rag": "green", "narrative": "Typed narrative text"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Typed narrative text" in body and 'value="2026-H9"' in body
    assert not ProgressUpdate.objects.exists()


def test_a_hand_posted_update_on_another_organisations_action_is_refused_and_audited(
    as_user, people, make_action
):
    action = make_action(number="2", lead=("de",))
    response = as_user(people["reporter"]).post(
        "/drugs/actions/2/updates/",
        {"period": "2026-H2", "rag": "green", "narrative": "Not ours"},
    )
    assert response.status_code == 404
    assert not ProgressUpdate.objects.exists()
    assert AuditEvent.objects.filter(
        verb="permission_denied", actor=people["reporter"], object_id=str(action.pk)
    ).exists()


def test_a_coordinator_cannot_submit_updates(as_user, people, make_action):
    make_action(number="1")
    response = as_user(people["coordinator"]).post(
        "/drugs/actions/1/updates/",
        {"period": "2026-H2", "rag": "green", "narrative": "x"},
    )
    assert response.status_code == 403


def test_a_coordinator_accepts_an_update_on_the_page(as_user, people, make_action):
    update = _update(make_action(number="1"), people["reporter"])
    response = as_user(people["coordinator"]).post(
        reverse("drugs:update_review", args=[update.pk]),
        {"decision": "accept", "comment": "", "version": update.version},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.ACCEPTED


def test_returning_without_comments_keeps_the_form(as_user, people, make_action):
    update = _update(make_action(number="1"), people["reporter"])
    response = as_user(people["coordinator"]).post(
        reverse("drugs:update_review", args=[update.pk]),
        {"decision": "return", "comment": "", "version": update.version},
    )
    assert response.status_code == 400
    assert "A reason is required" in response.content.decode()
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.SUBMITTED


def test_a_reporter_cannot_review_on_the_page(as_user, people, make_action):
    update = _update(make_action(number="1"), people["reporter"])
    response = as_user(people["reporter"]).post(
        reverse("drugs:update_review", args=[update.pk]),
        {"decision": "accept", "comment": "", "version": update.version},
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.SUBMITTED


def test_a_returned_update_is_resubmitted_from_the_page(as_user, people, make_action):
    from drugs.services import progress_update_review

    update = _update(make_action(number="1"), people["reporter"])
    update = progress_update_review(
        update=update, accept=False, comment="More", actor=people["coordinator"]
    )
    client = as_user(people["reporter"])
    assert "Edit and submit again" in client.get("/drugs/actions/1/").content.decode()
    response = client.post(
        reverse("drugs:update_resubmit", args=[update.pk]),
        {"rag": "green", "narrative": "Now complete", "version": update.version},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.narrative) == ("submitted", "Now complete")


def test_a_coordinator_creates_an_action(as_user, people, actors, framework):
    response = as_user(people["coordinator"]).post(
        "/drugs/actions/new/",
        {
            "number": "7.2",
            "priority": framework.priorities.get(number=7).pk,
            "text": "Scale up drug checking",
            "timetable": "year",
            "due_year": "2025",
            "lead_actors": [actors["euda"].pk],
            "contributing_actors": [actors["europol"].pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/drugs/actions/7.2/"
    assert Action.objects.get(number="7.2").due_year == 2025


def test_a_refused_action_form_keeps_what_was_typed(as_user, people, actors, framework):
    response = as_user(people["coordinator"]).post(
        "/drugs/actions/new/",
        {
            "number": "7.2",
            "priority": framework.priorities.get(number=7).pk,
            "text": "Typed action text",
            "timetable": "date",
            "lead_actors": [actors["euda"].pk],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Typed action text" in body and 'value="7.2"' in body
    assert "Give the date" in body
    assert not Action.objects.exists()


def test_a_coordinator_edits_an_action(as_user, people, actors, make_action):
    action = make_action(number="1")
    response = as_user(people["coordinator"]).post(
        "/drugs/actions/1/edit/",
        {
            "version": action.version,
            "number": "1",
            "priority": action.priority_id,
            "text": "Edited text",
            "timetable": "ongoing",
            "lead_actors": [actors["europol"].pk],
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.text == "Edited text"
    assert [p.actor for p in action.parts.all()] == [actors["europol"]]


def test_a_reporter_cannot_open_the_action_form(as_user, people, make_action):
    make_action(number="1", lead=("euda",))
    client = as_user(people["reporter"])
    assert client.get("/drugs/actions/new/").status_code == 403
    assert client.get("/drugs/actions/1/edit/").status_code == 403


def _queries_for(client, url):  # noqa: ANN001, ANN202
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the session and the capability cache warm up on a first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/drugs/actions/", "/drugs/", "/drugs/priorities/1/"])
def test_pages_cost_the_same_queries_for_1_and_20_actions(as_user, people, make_action, url):
    client = as_user(people["reporter"])
    make_action(number="1", lead=("euda",), contributors=("europol",))
    one = _queries_for(client, url)
    for n in range(2, 21):
        make_action(number=str(n), lead=("euda",), contributors=("europol",))
    assert _queries_for(client, url) == one


@pytest.mark.parametrize("number", ["%00", "x", "1.2.3.4", "9999"])
def test_a_malformed_action_number_is_a_404(as_user, people, number):
    assert as_user(people["coordinator"]).get(f"/drugs/actions/{number}/").status_code == 404
