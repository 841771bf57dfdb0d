"""Progress updates: reporters of an action's actors submit, coordinators review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from drugs.models import ProgressUpdate
from drugs.selectors import actions_visible_to, updates_visible_to
from drugs.services import (
    progress_update_resubmit,
    progress_update_review,
    progress_update_submit,
)
from securityunion.audit.models import AuditEvent
from securityunion.casework.workflow import WorkflowError

pytestmark = pytest.mark.django_db


def _submit(action, person, period="2026-H2", **kwargs):  # noqa: ANN001, ANN003, ANN202
    values = {"rag": "amber", "narrative": "Half the work done.", "evidence_links": []}
    values.update(kwargs)
    return progress_update_submit(action=action, period=period, actor=person, **values)


def test_a_reporter_sees_only_their_organisations_actions(make_action, people):
    own = make_action(number="1", lead=("euda",))
    contributed = make_action(number="2", lead=("europol",), contributors=("euda",))
    make_action(number="3", lead=("de",))
    assert set(actions_visible_to(people["reporter"])) == {own, contributed}
    assert actions_visible_to(people["coordinator"]).count() == 3


def test_a_reporter_without_an_actor_sees_no_action(make_action, make_user):
    make_action()
    lonely = make_user("drugs_reporter", "FR", username="lonely")
    assert not actions_visible_to(lonely).exists()


def test_a_reporter_of_a_contributing_actor_submits_an_update(make_action, people, actors):
    action = make_action(lead=("europol",), contributors=("euda",))
    update = _submit(action, people["reporter"], evidence_links=["https://example.org/report"])
    assert update.status == ProgressUpdate.Status.SUBMITTED
    assert update.actor == actors["euda"]
    assert update.evidence_links == ["https://example.org/report"]


def test_a_reporter_cannot_update_another_organisations_action(make_action, people):
    action = make_action(lead=("de",))
    with pytest.raises(PermissionDenied):
        _submit(action, people["reporter"])
    assert not ProgressUpdate.objects.exists()
    assert AuditEvent.objects.filter(
        verb="permission_denied", actor=people["reporter"], object_id=str(action.pk)
    ).exists()


def test_one_update_per_actor_and_period(make_action, people):
    action = make_action()
    _submit(action, people["reporter"])
    with pytest.raises(ValidationError) as error:
        _submit(action, people["reporter"])
    assert "period" in error.value.error_dict


@pytest.mark.parametrize("period", ["2026", "2026-H3", "26-Q1", "2026-Q5", ""])
def test_a_period_is_a_half_year_or_a_quarter(make_action, people, period):
    with pytest.raises(ValidationError):
        _submit(make_action(), people["reporter"], period=period)


def test_evidence_links_are_web_addresses(make_action, people):
    with pytest.raises(ValidationError) as error:
        _submit(make_action(), people["reporter"], evidence_links=["javascript:alert(1)"])
    assert "evidence_links" in error.value.error_dict


def test_a_coordinator_accepts_an_update(make_action, people):
    update = _submit(make_action(), people["reporter"])
    progress_update_review(update=update, accept=True, actor=people["coordinator"])
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.ACCEPTED
    assert update.reviewed_by == people["coordinator"]


def test_returning_an_update_needs_comments(make_action, people):
    update = _submit(make_action(), people["reporter"])
    with pytest.raises(ValidationError):
        progress_update_review(update=update, accept=False, actor=people["coordinator"])
    progress_update_review(
        update=update, accept=False, comment="Name the countries.", actor=people["coordinator"]
    )
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.RETURNED
    assert update.review_comment == "Name the countries."


def test_a_reporter_cannot_review_updates(make_action, people):
    update = _submit(make_action(), people["reporter"])
    with pytest.raises(PermissionDenied):
        progress_update_review(update=update, accept=True, actor=people["reporter"])
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.SUBMITTED


def test_a_returned_update_is_edited_and_submitted_again(make_action, people):
    update = _submit(make_action(), people["reporter"])
    update = progress_update_review(
        update=update, accept=False, comment="More detail.", actor=people["coordinator"]
    )
    progress_update_resubmit(
        update=update,
        rag="green",
        narrative="All done, see the report.",
        expected_version=update.version,
        actor=people["reporter"],
    )
    update.refresh_from_db()
    assert (update.status, update.rag) == (ProgressUpdate.Status.SUBMITTED, "green")


def test_a_submitted_update_cannot_be_edited(make_action, people):
    update = _submit(make_action(), people["reporter"])
    with pytest.raises(WorkflowError):
        progress_update_resubmit(
            update=update,
            rag="green",
            narrative="x",
            expected_version=update.version,
            actor=people["reporter"],
        )


def test_another_organisations_reporter_cannot_resubmit(make_action, people):
    action = make_action(lead=("euda",), contributors=("de",))
    update = _submit(action, people["reporter"])
    update = progress_update_review(
        update=update, accept=False, comment="More.", actor=people["coordinator"]
    )
    with pytest.raises(PermissionDenied):
        progress_update_resubmit(
            update=update,
            rag="red",
            narrative="Overwritten",
            expected_version=update.version,
            actor=people["reporter_de"],
        )
    update.refresh_from_db()
    assert update.narrative == "Half the work done."


def test_a_reporter_sees_only_updates_of_their_organisations_actions(make_action, people):
    mine = _submit(make_action(number="1", lead=("euda",)), people["reporter"])
    theirs = _submit(make_action(number="2", lead=("de",)), people["reporter_de"])
    assert list(updates_visible_to(people["reporter"])) == [mine]
    assert set(updates_visible_to(people["coordinator"])) == {mine, theirs}
