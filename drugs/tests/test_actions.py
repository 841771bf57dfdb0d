"""Actions: creation and edits by coordinators, and the status rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from drugs.models import Action, Priority
from drugs.services import action_create, action_update
from securityunion.audit.models import AuditEvent
from securityunion.casework.services import case_transition
from securityunion.casework.workflow import StaleVersion, WorkflowError

pytestmark = pytest.mark.django_db


def _take(action, name, person, reason=""):  # noqa: ANN001, ANN202
    return case_transition(case=action, transition=name, actor=person, reason=reason)


def test_a_new_action_is_not_started_with_its_lead_and_contributors(make_action):
    action = make_action(lead=("euda",), contributors=("europol",))
    assert action.status == Action.Status.NOT_STARTED
    roles = {p.actor.name: p.role for p in action.parts.select_related("actor")}
    assert roles == {"EUDA": "lead", "Europol": "contributor"}


def test_the_number_is_unique_within_the_framework(make_action):
    make_action(number="3.1")
    with pytest.raises(ValidationError) as error:
        make_action(number="3.1")
    assert "number" in error.value.error_dict


def test_a_timetable_by_year_needs_the_year(make_action):
    with pytest.raises(ValidationError) as error:
        make_action(timetable="year")
    assert "due_year" in error.value.error_dict


def test_an_action_needs_a_lead(make_action):
    with pytest.raises(ValidationError) as error:
        make_action(lead=())
    assert "lead_actors" in error.value.error_dict


def test_a_reporter_cannot_create_actions(framework, actors, people):
    with pytest.raises(PermissionDenied):
        action_create(
            framework=framework,
            number="9",
            text="x",
            priority=Priority.objects.get(framework=framework, number=1),
            timetable="ongoing",
            lead_actors=[actors["euda"]],
            actor=people["reporter"],
        )
    assert not Action.objects.exists()
    assert AuditEvent.objects.filter(verb="permission_denied", actor=people["reporter"]).exists()


def test_a_stale_edit_is_refused(make_action, people, actors):
    action = make_action()
    kwargs = {
        "number": "1",
        "text": "New text",
        "priority": action.priority,
        "timetable": "ongoing",
        "lead_actors": [actors["euda"]],
        "actor": people["coordinator"],
    }
    action_update(action=action, expected_version=action.version, **kwargs)
    with pytest.raises(StaleVersion):
        action_update(action=action, expected_version=action.version, **kwargs)


def test_the_path_from_not_started_to_completed(make_action, people):
    action = make_action()
    coordinator = people["coordinator"]
    _take(action, "start", coordinator)
    _take(action, "delay", coordinator, "Waiting for data")
    _take(action, "resume", coordinator)
    _take(action, "complete", coordinator)
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETED


def test_a_not_started_action_cannot_be_completed(make_action, people):
    action = make_action()
    with pytest.raises(WorkflowError):
        _take(action, "complete", people["coordinator"])


def test_discontinuing_needs_a_justification(make_action, people):
    action = make_action()
    with pytest.raises(ValidationError):
        _take(action, "discontinue", people["coordinator"])
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


@pytest.mark.parametrize("path", [[], ["start"], ["start", "delay"], ["start", "complete"]])
def test_any_state_can_be_discontinued_with_a_justification(make_action, people, path):
    action = make_action()
    for step in path:
        _take(action, step, people["coordinator"], "because")
    _take(action, "discontinue", people["coordinator"], "Merged into action 7")
    action.refresh_from_db()
    assert action.status == Action.Status.DISCONTINUED
    event = AuditEvent.objects.filter(object_id=str(action.pk), verb="transition").latest("id")
    assert event.data["reason"] == "Merged into action 7"


def test_reopening_a_completed_action_needs_a_reason(make_action, people):
    action = make_action()
    for step in ("start", "complete"):
        _take(action, step, people["coordinator"])
    with pytest.raises(ValidationError):
        _take(action, "reopen", people["coordinator"])
    _take(action, "reopen", people["coordinator"], "Two Member States were missed")
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS


def test_a_reporter_of_the_lead_actor_cannot_reopen_a_completed_action(make_action, people):
    action = make_action(lead=("euda",))
    for step in ("start", "complete"):
        _take(action, step, people["coordinator"])
    with pytest.raises(PermissionDenied):
        _take(action, "reopen", people["reporter"], "We are not done")
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETED
    assert AuditEvent.objects.filter(
        verb="permission_denied", actor=people["reporter"], object_id=str(action.pk)
    ).exists()
