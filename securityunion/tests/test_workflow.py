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
