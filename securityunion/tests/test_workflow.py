import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from securityunion.audit.models import AuditEvent
from securityunion.casework.models import Approval
from securityunion.casework.references import reference_next
from securityunion.casework.services import approval_decide, case_transition, case_update
from securityunion.casework.workflow import StaleVersion, WorkflowError
from securityunion.tests.factories import sample_case


def test_a_transition_moves_the_status_and_bumps_the_version(focal_point_fr):
    case = sample_case()
    case_transition(case=case, transition="submit", actor=focal_point_fr)
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.version == 2


def test_a_transition_is_audited_with_its_states(focal_point_fr):
    case = sample_case()
    case_transition(case=case, transition="submit", actor=focal_point_fr)
    event = AuditEvent.objects.get(verb="transition", object_id=str(case.pk))
    assert event.data["from"] == "draft" and event.data["to"] == "submitted"
    assert event.country == "FR"


def test_it_refuses_a_wrong_source_state(focal_point_fr):
    case = sample_case(status="closed")
    with pytest.raises(WorkflowError):
        case_transition(case=case, transition="submit", actor=focal_point_fr)
    case.refresh_from_db()
    assert case.status == "closed"


def test_it_refuses_an_actor_without_the_capability(approver_fr):
    case = sample_case()
    with pytest.raises(PermissionDenied):
        case_transition(case=case, transition="submit", actor=approver_fr)
    case.refresh_from_db()
    assert case.status == "draft"


def test_the_refusal_is_audited_even_though_the_transaction_rolled_back(approver_fr):
    case = sample_case()
    with pytest.raises(PermissionDenied):
        case_transition(case=case, transition="submit", actor=approver_fr)
    assert AuditEvent.objects.filter(verb="permission_denied", actor=approver_fr).exists()


def test_it_refuses_an_actor_of_another_country(focal_point_de):
    case = sample_case(country="FR")
    with pytest.raises(PermissionDenied):
        case_transition(case=case, transition="submit", actor=focal_point_de)


def test_it_refuses_a_missing_reason(focal_point_fr):
    case = sample_case(status="submitted")
    with pytest.raises(ValidationError) as error:
        case_transition(case=case, transition="close", actor=focal_point_fr, reason="  ")
    assert "reason" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == "submitted"


def test_it_accepts_a_given_reason(focal_point_fr):
    case = sample_case(status="submitted")
    case_transition(case=case, transition="close", actor=focal_point_fr, reason="Done.")
    case.refresh_from_db()
    assert case.status == "closed"


def test_an_unknown_transition_is_an_error(focal_point_fr):
    with pytest.raises(WorkflowError):
        case_transition(case=sample_case(), transition="teleport", actor=focal_point_fr)


def test_four_eyes_records_a_proposal_and_leaves_the_status(focal_point_fr):
    case = sample_case(status="submitted")
    result = case_transition(case=case, transition="validate", actor=focal_point_fr, reason="ok")
    assert isinstance(result, Approval)
    case.refresh_from_db()
    assert case.status == "submitted"


def test_it_refuses_self_approval_where_four_eyes_are_required(make_user):
    both = make_user("focal_point", "FR")
    from django.contrib.auth.models import Group

    both.groups.add(Group.objects.get(name="national_approver"))
    case = sample_case(status="submitted")
    approval = case_transition(case=case, transition="validate", actor=both, reason="ok")
    with pytest.raises(PermissionDenied, match="other than its proposer"):
        approval_decide(approval=approval, actor=both, approve=True)
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_second_person_approves_and_the_transition_applies(focal_point_fr, approver_fr):
    case = sample_case(status="submitted")
    approval = case_transition(case=case, transition="validate", actor=focal_point_fr, reason="ok")
    approval_decide(approval=approval, actor=approver_fr, approve=True)
    case.refresh_from_db()
    approval.refresh_from_db()
    assert case.status == "validated"
    assert approval.status == Approval.Status.APPROVED and approval.decided_by == approver_fr


def test_a_decider_without_the_approval_capability_is_refused(focal_point_fr, make_user):
    other_fp = make_user("focal_point", "FR")
    case = sample_case(status="submitted")
    approval = case_transition(case=case, transition="validate", actor=focal_point_fr, reason="ok")
    with pytest.raises(PermissionDenied):
        approval_decide(approval=approval, actor=other_fp, approve=True)


def test_sending_back_needs_a_reason(focal_point_fr, approver_fr):
    case = sample_case(status="submitted")
    approval = case_transition(case=case, transition="validate", actor=focal_point_fr, reason="ok")
    with pytest.raises(ValidationError):
        approval_decide(approval=approval, actor=approver_fr, approve=False, reason="")
    approval_decide(approval=approval, actor=approver_fr, approve=False, reason="Figures missing")
    approval.refresh_from_db()
    assert approval.status == Approval.Status.SENT_BACK


def test_a_second_proposal_while_one_is_pending_is_refused(focal_point_fr):
    case = sample_case(status="submitted")
    case_transition(case=case, transition="validate", actor=focal_point_fr, reason="ok")
    with pytest.raises(WorkflowError):
        case_transition(case=case, transition="validate", actor=focal_point_fr, reason="again")


def test_a_stale_version_is_refused_for_a_transition(focal_point_fr):
    case = sample_case()
    with pytest.raises(StaleVersion):
        case_transition(case=case, transition="submit", actor=focal_point_fr, expected_version=0)


def test_a_stale_version_is_refused_for_an_edit(focal_point_fr):
    case = sample_case()
    case_update(case=case, actor=focal_point_fr, changes={"title": "first"}, expected_version=1)
    with pytest.raises(StaleVersion):
        case_update(
            case=case, actor=focal_point_fr, changes={"title": "second"}, expected_version=1
        )
    case.refresh_from_db()
    assert case.title == "first" and case.version == 2


def test_references_have_the_prefix_year_and_six_digits(db):
    first, second = reference_next("TST"), reference_next("TST")
    assert re.fullmatch(r"TST-\d{4}-\d{6}", first)
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_a_bad_reference_prefix_is_refused(db):
    with pytest.raises(ValueError):
        reference_next("bad prefix")


ASSIGN = "firearms_view_own_country"  # any capability the focal point holds


def test_bulk_assign_assigns_each_case_and_audits_each(focal_point_fr, approver_fr):
    from securityunion.casework.services import case_assign

    cases = [sample_case(), sample_case()]
    count = case_assign(cases=cases, assignee=approver_fr, actor=focal_point_fr, capability=ASSIGN)
    assert count == 2
    for case in cases:
        case.refresh_from_db()
        assert case.assignee == approver_fr and case.version == 2
    events = AuditEvent.objects.filter(verb="update", data__assignee="approver_fr")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(str(c.pk) for c in cases)


def test_bulk_assign_refuses_the_whole_batch_when_one_case_is_out_of_scope(
    focal_point_fr, approver_fr
):
    from securityunion.casework.services import case_assign

    own, foreign = sample_case(country="FR"), sample_case(country="DE")
    with pytest.raises(PermissionDenied):
        case_assign(
            cases=[own, foreign], assignee=approver_fr, actor=focal_point_fr, capability=ASSIGN
        )
    own.refresh_from_db()
    assert own.assignee is None and own.version == 1
    assert AuditEvent.objects.filter(verb="permission_denied", object_id=str(foreign.pk)).exists()


def test_bulk_assign_costs_the_same_queries_for_2_and_12_cases(focal_point_fr, approver_fr):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from securityunion.casework.services import case_assign

    # A first call fills the per-user permission cache.
    case_assign(
        cases=[sample_case()], assignee=approver_fr, actor=focal_point_fr, capability=ASSIGN
    )
    counts = []
    for size in (2, 12):
        cases = [sample_case() for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            case_assign(cases=cases, assignee=approver_fr, actor=focal_point_fr, capability=ASSIGN)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the workflow enforced at its boundary ---------------------------------------------------


def _transition_url(case):  # noqa: ANN001, ANN202
    return f"/testapp/{case.reference}/transition/"


@pytest.mark.urls("tests.testapp.urls")
def test_a_service_only_transition_posted_to_the_generic_page_is_refused_and_audited(
    client, focal_point_fr
):
    case = sample_case(status="submitted", title="t")
    client.force_login(focal_point_fr)
    client.post(_transition_url(case), {"transition": "reject", "version": case.version})
    case.refresh_from_db()
    assert case.status == "submitted" and case.version == 1
    assert not Approval.objects.exists()
    refusals = AuditEvent.objects.filter(verb="permission_denied", object_id=str(case.pk))
    assert ["not offered" in e.data["reason"] for e in refusals] == [True]


@pytest.mark.urls("tests.testapp.urls")
def test_an_unknown_transition_posted_to_the_generic_page_is_refused_and_audited(
    client, focal_point_fr
):
    case = sample_case()
    client.force_login(focal_point_fr)
    response = client.post(_transition_url(case), {"transition": "teleport"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "draft"
    assert AuditEvent.objects.filter(verb="permission_denied", object_id=str(case.pk)).exists()


@pytest.mark.urls("tests.testapp.urls")
def test_the_generic_page_takes_an_offered_transition(client, focal_point_fr):
    case = sample_case()
    client.force_login(focal_point_fr)
    client.post(_transition_url(case), {"transition": "submit", "version": case.version})
    case.refresh_from_db()
    assert case.status == "submitted"


@pytest.mark.urls("tests.testapp.urls")
def test_the_detail_page_offers_no_service_only_transition(client, focal_point_fr):
    case = sample_case(status="submitted", title="t")
    client.force_login(focal_point_fr)
    response = client.get(f"/testapp/{case.reference}/")
    offered = {t.name for t in response.context["transitions"]}
    assert offered == {"validate", "close"}


def test_a_transition_s_validator_runs_when_its_service_is_skipped(focal_point_fr):
    case = sample_case(status="submitted", title="t")
    with pytest.raises(ValidationError) as error:
        case_transition(case=case, transition="reject", actor=focal_point_fr, data={})
    assert "code" in error.value.message_dict
    assert not Approval.objects.exists()


def test_a_validated_proposal_keeps_the_canonical_data(focal_point_fr):
    case = sample_case(status="submitted", title="t")
    approval = case_transition(
        case=case,
        transition="reject",
        actor=focal_point_fr,
        data={"code": "incomplete", "extra": "dropped"},
    )
    assert approval.data == {"code": "incomplete"}


def test_a_proposal_that_became_invalid_is_refused_at_approval_time(focal_point_fr, approver_fr):
    case = sample_case(status="submitted", title="t")
    approval = case_transition(
        case=case, transition="reject", actor=focal_point_fr, data={"code": "incomplete"}
    )
    case_update(case=case, actor=focal_point_fr, changes={"title": ""}, expected_version=1)
    with pytest.raises(ValidationError):
        approval_decide(approval=approval, actor=approver_fr, approve=True)
    case.refresh_from_db()
    approval.refresh_from_db()
    assert case.status == "submitted"
    assert approval.status == Approval.Status.PENDING


def test_a_transition_that_carries_data_cannot_be_offered_on_the_page():
    from securityunion.casework.workflow import Transition

    with pytest.raises(ValueError, match="manual=False"):
        Transition("x", "X", ("a",), "b", "firearms_edit", validator=lambda **kw: {})


# --- edits ------------------------------------------------------------------------------------


def test_an_auditor_cannot_edit_a_case_through_case_update(auditor):
    case = sample_case(title="before")
    with pytest.raises(PermissionDenied):
        case_update(case=case, actor=auditor, changes={"title": "after"}, expected_version=1)
    case.refresh_from_db()
    assert case.title == "before" and case.version == 1
    assert AuditEvent.objects.filter(
        verb="permission_denied", actor=auditor, object_id=str(case.pk)
    ).exists()


def test_an_editor_of_another_country_cannot_edit_through_case_update(focal_point_de):
    case = sample_case(country="FR", title="before")
    with pytest.raises(PermissionDenied):
        case_update(case=case, actor=focal_point_de, changes={"title": "x"}, expected_version=1)
    case.refresh_from_db()
    assert case.title == "before"


def test_case_update_does_not_change_the_status(focal_point_fr):
    case = sample_case()
    with pytest.raises(ValidationError):
        case_update(
            case=case, actor=focal_point_fr, changes={"status": "closed"}, expected_version=1
        )
    case.refresh_from_db()
    assert case.status == "draft"


# --- creation ---------------------------------------------------------------------------------


def test_case_create_draws_a_reference_and_sets_the_initial_status_and_due_time(focal_point_fr):
    from django.utils import timezone

    from securityunion.accounts.models import Country
    from tests.testapp.services import sample_case_create

    case = sample_case_create(
        title="Seizure", country=Country.objects.get(pk="FR"), actor=focal_point_fr
    )
    assert re.fullmatch(r"TST-\d{4}-\d{6}", case.reference)
    assert case.status == "draft" and case.version == 1
    assert case.due_at > timezone.now() + __import__("datetime").timedelta(days=29)


def test_case_create_is_audited(focal_point_fr):
    from securityunion.accounts.models import Country
    from tests.testapp.services import sample_case_create

    case = sample_case_create(title="S", country=Country.objects.get(pk="FR"), actor=focal_point_fr)
    event = AuditEvent.objects.get(verb="create", object_id=str(case.pk))
    assert event.actor == focal_point_fr and event.data["status"] == "draft"


def test_an_auditor_cannot_create_a_case(auditor):
    from securityunion.accounts.models import Country
    from tests.testapp.models import SampleCase
    from tests.testapp.services import sample_case_create

    with pytest.raises(PermissionDenied):
        sample_case_create(title="S", country=Country.objects.get(pk="FR"), actor=auditor)
    assert not SampleCase.objects.exists()
    assert AuditEvent.objects.filter(verb="permission_denied", actor=auditor).exists()


def test_a_focal_point_cannot_create_a_case_in_another_country(focal_point_de):
    from securityunion.accounts.models import Country
    from tests.testapp.models import SampleCase
    from tests.testapp.services import sample_case_create

    with pytest.raises(PermissionDenied):
        sample_case_create(title="S", country=Country.objects.get(pk="FR"), actor=focal_point_de)
    assert not SampleCase.objects.exists()


# --- start-up checks --------------------------------------------------------------------------


def _statuses(model):  # noqa: ANN001, ANN202
    return {value for value, _label in model._meta.get_field("status").choices}


def test_every_transition_of_every_registered_workflow_is_consistent(db):
    from securityunion.access.roles import ROLES, declared_capabilities
    from securityunion.casework.checks import workflow_problems
    from securityunion.casework.registry import case_models, workflow_models
    from securityunion.casework.workflow import EFFECT_KEYWORDS, VALIDATOR_KEYWORDS

    declared = set(declared_capabilities())
    held = {c for role in ROLES for c in role.capabilities}
    assert set(case_models) <= set(workflow_models)
    walked = 0
    for model in workflow_models:
        assert workflow_problems(model) == [], model
        statuses = _statuses(model)
        for t in model.workflow.transitions:
            walked += 1
            assert set(t.sources) <= statuses and t.target in statuses, (model, t.name)
            needed = set(t.capabilities) | ({t.approve_capability} if t.four_eyes else set())
            assert needed <= declared & held, (model, t.name)
            for fn, keywords in ((t.effect, EFFECT_KEYWORDS), (t.validator, VALIDATOR_KEYWORDS)):
                if fn is not None:
                    import inspect

                    inspect.signature(fn).bind(**dict.fromkeys(keywords))
            assert not (t.validator and t.manual), (model, t.name)
    assert walked >= 10  # reports, indicators and the sample case at least


def test_the_workflow_check_reports_a_target_that_is_not_a_status(monkeypatch):
    from securityunion.casework.checks import check_workflows
    from securityunion.casework.workflow import Transition, Workflow
    from tests.testapp.models import SampleCase

    broken = Workflow(
        initial="draft",
        transitions=[Transition("go", "Go", ("draft",), "nowhere", "firearms_edit")],
    )
    monkeypatch.setattr(SampleCase, "workflow", broken)
    errors = check_workflows()
    assert any("nowhere" in e.msg and e.id == "casework.E001" for e in errors)


def test_the_workflow_check_reports_an_effect_with_the_wrong_signature(monkeypatch):
    from securityunion.casework.checks import check_workflows
    from securityunion.casework.workflow import Transition, Workflow
    from tests.testapp.models import SampleCase

    def effect(case):  # noqa: ANN001, ANN202
        return None

    broken = Workflow(
        initial="draft",
        transitions=[Transition("go", "Go", ("draft",), "closed", "firearms_edit", effect=effect)],
    )
    monkeypatch.setattr(SampleCase, "workflow", broken)
    assert any("effect" in e.msg for e in check_workflows())


def test_the_workflow_check_reports_a_proposal_summary_with_the_wrong_signature(monkeypatch):
    from securityunion.casework.checks import check_workflows
    from securityunion.casework.workflow import Transition, Workflow
    from tests.testapp.models import SampleCase

    def summary(case):  # noqa: ANN001, ANN202
        return []

    broken = Workflow(
        initial="draft",
        transitions=[
            Transition("go", "Go", ("draft",), "closed", "firearms_edit", summary=summary)
        ],
    )
    monkeypatch.setattr(SampleCase, "workflow", broken)
    assert any("summary" in e.msg for e in check_workflows())


def test_an_app_may_register_the_summary_of_a_proposal(monkeypatch):
    from securityunion.casework import proposals
    from securityunion.casework.workflow import SummaryItem
    from tests.testapp.models import SampleCase

    monkeypatch.setattr(proposals, "_registered", {})

    def summary(*, case, data, reason):  # noqa: ANN001, ANN202
        return [SummaryItem("Title", data["title"])]

    proposals.register_proposal_summary(SampleCase, "submit", summary)
    proposal = Approval(transition="submit", data={"title": "New title"})
    items = proposals.proposal_summary(case=SampleCase(), approval=proposal)
    assert [(i.label, i.value) for i in items] == [("Title", "New title")]
    assert proposals.proposal_summary(case=SampleCase(), approval=Approval(transition="x")) == []


def test_the_workflow_check_reports_a_capability_missing_from_the_role_matrix(monkeypatch):
    from securityunion.casework.checks import check_workflows
    from securityunion.casework.workflow import Transition, Workflow
    from tests.testapp.models import SampleCase

    broken = Workflow(
        initial="draft",
        transitions=[Transition("go", "Go", ("draft",), "closed", "firearms_teleport")],
    )
    monkeypatch.setattr(SampleCase, "workflow", broken)
    assert any("firearms_teleport" in e.msg for e in check_workflows())


def test_the_registered_workflows_pass_the_checks(db):
    from securityunion.casework.checks import (
        check_reference_sequences,
        check_reference_sequences_exist,
        check_workflows,
    )

    assert check_workflows() == []
    assert check_reference_sequences() == []
    assert check_reference_sequences_exist(databases=["default"]) == []


def test_a_case_model_without_a_sequence_migration_fails_the_check(monkeypatch):
    from securityunion.casework import checks

    # Every app's sequence migrations but the test app's (other apps add case types too).
    found = dict(checks.sequence_migrations())
    found.pop("testapp", None)
    monkeypatch.setattr(checks, "sequence_migrations", lambda: found)
    errors = checks.check_reference_sequences()
    assert [e.id for e in errors] == ["casework.E003"]
    assert "TST" in errors[0].msg


@pytest.mark.postgres
def test_a_missing_sequence_fails_the_database_check_on_postgresql(db):
    from django.db import connection

    from securityunion.casework.checks import check_reference_sequences_exist

    with connection.cursor() as cursor:
        cursor.execute("DROP SEQUENCE casework_ref_tst")  # rolled back with the test
    errors = check_reference_sequences_exist(databases=["default"])
    assert [e.id for e in errors] == ["casework.E004"]
