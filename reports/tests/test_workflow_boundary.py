"""Attacks on the report workflow's boundary: every rule holds whoever calls.

Each test reproduces a way around a rule that worked before the rule was enforced where it
is declared (in the transition, in the service), not only in the page that offers it.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from reports.models import Forwarding, Indicator, PdqIndexVersion, ProviderReport
from reports.services import (
    indicator_set_status,
    indicators_import,
    provider_for,
    report_propose_forward,
    reports_intake,
)
from reports.tests.actors import IMPORTER
from securityunion.audit.models import AuditEvent
from securityunion.casework.models import Approval, Notice
from securityunion.casework.services import approval_decide, case_transition, case_update

from .conftest import hexhash


@pytest.fixture
def report(submit, payload, people):
    report = submit(payload())
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    report.refresh_from_db()
    return report


def _refusals(report):  # noqa: ANN001, ANN202
    return AuditEvent.objects.filter(verb="permission_denied", object_id=str(report.pk))


def _nothing_decided(report):  # noqa: ANN001, ANN202
    report.refresh_from_db()
    assert report.status == "in_assessment" and report.decided_at is None
    assert not Forwarding.objects.exists()
    assert not Notice.objects.filter(type="outcome").exists()


# --- hidden transitions posted by hand to the generic page ---------------------------------


def test_forward_posted_to_the_generic_transition_page_is_refused_and_audited(
    client, report, people
):
    client.force_login(people["caseworker"])
    response = client.post(
        f"/reports/{report.reference}/transition/",
        {"transition": "forward", "version": report.version},
    )
    assert response.status_code == 403
    assert not Approval.objects.exists()
    _nothing_decided(report)
    assert _refusals(report).filter(data__reason="transition forward is not offered on the page")


def test_mark_duplicate_posted_to_the_generic_transition_page_changes_nothing(
    client, report, people
):
    client.force_login(people["caseworker"])
    client.post(
        f"/reports/{report.reference}/transition/",
        {"transition": "mark_duplicate", "reason": "dup", "version": report.version},
    )
    _nothing_decided(report)
    assert report.duplicate_of_id is None
    assert _refusals(report).exists()


def test_unfounded_posted_to_the_generic_transition_page_changes_nothing(client, report, people):
    client.force_login(people["caseworker"])
    client.post(
        f"/reports/{report.reference}/transition/",
        {"transition": "unfounded", "reason": "no", "version": report.version},
    )
    assert not Approval.objects.exists()
    _nothing_decided(report)


def test_the_generic_page_still_takes_an_offered_transition(client, submit, payload, people):
    report = submit(payload())
    client.force_login(people["caseworker"])
    client.post(
        f"/reports/{report.reference}/transition/",
        {"transition": "start_assessment", "version": report.version},
    )
    report.refresh_from_db()
    assert report.status == "in_assessment"


def test_the_report_page_offers_the_decisions_the_workflow_allows(client, report, people):
    client.force_login(people["caseworker"])
    context = client.get(f"/reports/{report.reference}/").context
    assert context["can_forward"] and context["can_propose_unfounded"]
    assert context["can_mark_duplicate"]
    assert {t.name for t in context["transitions"]} == {"request_information"}


def test_the_report_page_offers_no_decision_to_an_auditor(client, report, people):
    client.force_login(people["auditor"])
    context = client.get(f"/reports/{report.reference}/").context
    assert not (context["can_forward"] or context["can_propose_unfounded"])
    assert not context["can_mark_duplicate"] and context["transitions"] == []


def test_the_report_page_offers_no_second_forwarding_while_one_awaits_approval(
    client, report, people, organisations
):
    report_propose_forward(
        report=report, recipient_ids=[organisations["europol"].pk], actor=people["caseworker"]
    )
    client.force_login(people["caseworker2"])
    context = client.get(f"/reports/{report.reference}/").context
    assert not context["can_forward"] and not context["can_propose_unfounded"]


# --- the same transitions called directly, skipping the domain service ---------------------


def test_forwarding_to_nobody_through_case_transition_is_refused(report, people):
    with pytest.raises(ValidationError) as error:
        case_transition(case=report, transition="forward", actor=people["caseworker"], data={})
    assert "recipients" in error.value.message_dict
    assert not Approval.objects.exists()


def test_forwarding_with_an_empty_recipient_list_is_refused(report, people):
    with pytest.raises(ValidationError):
        report_propose_forward(report=report, recipient_ids=[], actor=people["caseworker"])
    assert not Approval.objects.exists()


def test_forwarding_to_an_authority_of_another_country_is_refused(report, people, organisations):
    with pytest.raises(ValidationError):
        case_transition(
            case=report,
            transition="forward",
            actor=people["caseworker"],
            data={"recipients": [organisations["police-de"].pk]},
        )
    assert not Approval.objects.exists()


@pytest.mark.parametrize("recipients", ["1", [True], ["x"], [None], [{"pk": 1}]])
def test_malformed_recipients_are_refused_cleanly(report, people, recipients):
    with pytest.raises(ValidationError):
        case_transition(
            case=report,
            transition="forward",
            actor=people["caseworker"],
            data={"recipients": recipients},
        )


def _stored_proposal(report, people, data):  # noqa: ANN001, ANN202
    """A proposal as it could have been stored before its data was validated."""
    return Approval.objects.create(
        content_type=ContentType.objects.get_for_model(report),
        object_id=str(report.pk),
        transition="forward",
        data=data,
        proposed_by=people["caseworker"],
    )


def test_a_forwarding_to_nobody_is_refused_at_approval_time(report, people):
    approval = _stored_proposal(report, people, {"recipients": []})
    with pytest.raises(ValidationError):
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    approval.refresh_from_db()
    assert approval.status == Approval.Status.PENDING
    _nothing_decided(report)
    assert Indicator.objects.filter(confirmed_matches__gt=0).count() == 0


def test_a_forwarding_to_a_foreign_authority_is_refused_at_approval_time(
    report, people, organisations
):
    approval = _stored_proposal(report, people, {"recipients": [organisations["police-de"].pk]})
    with pytest.raises(ValidationError):
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    _nothing_decided(report)


def test_a_recipient_that_stopped_being_a_candidate_is_refused_at_approval_time(
    report, people, organisations
):
    approval = report_propose_forward(
        report=report, recipient_ids=[organisations["police-be"].pk], actor=people["caseworker"]
    )
    report.candidate_countries.remove("BE")
    with pytest.raises(ValidationError):
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    _nothing_decided(report)


def test_a_duplicate_of_nothing_is_refused(report, people):
    with pytest.raises(ValidationError) as error:
        case_transition(
            case=report, transition="mark_duplicate", actor=people["caseworker"], reason="dup"
        )
    assert "duplicate_of" in error.value.message_dict
    _nothing_decided(report)
    assert report.duplicate_of_id is None


def test_a_duplicate_of_an_unknown_reference_is_refused(report, people):
    with pytest.raises(ValidationError):
        case_transition(
            case=report,
            transition="mark_duplicate",
            actor=people["caseworker"],
            reason="dup",
            data={"duplicate_of_reference": "RPT-1999-999999"},
        )
    _nothing_decided(report)


def test_a_duplicate_given_by_primary_key_skipping_the_reference_is_refused(
    report, submit, payload, people
):
    original = submit(payload(provider_reference="original"))
    with pytest.raises(ValidationError):
        case_transition(
            case=report,
            transition="mark_duplicate",
            actor=people["caseworker"],
            reason="dup",
            data={"duplicate_of": original.pk},
        )
    _nothing_decided(report)


def test_a_duplicate_through_case_transition_points_to_the_original(
    report, submit, payload, people
):
    original = submit(payload(provider_reference="original"))
    case_transition(
        case=report,
        transition="mark_duplicate",
        actor=people["caseworker"],
        reason="dup",
        data={"duplicate_of_reference": original.reference},
    )
    report.refresh_from_db()
    assert report.status == "duplicate" and report.duplicate_of == original
    notice = Notice.objects.get(type="outcome", subject_reference=report.reference)
    assert original.reference in notice.text and "None" not in notice.text


def test_unfounded_with_a_made_up_reason_code_is_refused(report, people):
    with pytest.raises(ValidationError) as error:
        case_transition(
            case=report,
            transition="unfounded",
            actor=people["caseworker"],
            reason="no",
            data={"reason_code": "because"},
        )
    assert "reason_code" in error.value.message_dict
    assert not Approval.objects.exists()


def test_unfounded_without_a_reason_code_is_refused_at_approval_time(report, people):
    approval = Approval.objects.create(
        content_type=ContentType.objects.get_for_model(report),
        object_id=str(report.pk),
        transition="unfounded",
        reason="no",
        data={},
        proposed_by=people["caseworker"],
    )
    with pytest.raises(ValidationError):
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    _nothing_decided(report)


# --- read-only roles and capabilities checked inside the services --------------------------


def test_an_auditor_cannot_edit_a_report_through_case_update(report, people):
    with pytest.raises(PermissionDenied):
        case_update(
            case=report, actor=people["auditor"], changes={"notes": "x"}, expected_version=2
        )
    report.refresh_from_db()
    assert report.notes != "x" and report.version == 2
    assert _refusals(report).filter(actor=people["auditor"]).exists()


def test_an_auditor_cannot_take_a_transition(report, people):
    with pytest.raises(PermissionDenied):
        case_transition(
            case=report, transition="request_information", actor=people["auditor"], reason="?"
        )
    report.refresh_from_db()
    assert report.status == "in_assessment"


def test_a_caseworker_identity_cannot_import_indicators(people):
    text = f"algorithm,value,category,source\nsha256,{hexhash('x')},known_csam,l\n"
    with pytest.raises(PermissionDenied):
        indicators_import(text=text, source="l", status="active", actor=people["caseworker"])
    assert not Indicator.objects.exists()
    assert AuditEvent.objects.filter(
        verb="permission_denied", actor=people["caseworker"], data__indicator_import="l"
    ).exists()


def test_an_anonymous_caller_cannot_import_indicators(db):
    text = f"algorithm,value,category,source\nsha256,{hexhash('x')},known_csam,l\n"
    with pytest.raises(PermissionDenied):
        indicators_import(text=text, source="l", status="active", actor=None)
    assert not Indicator.objects.exists()


def test_a_supervisor_imports_indicators(people):
    text = f"algorithm,value,category,source\nsha256,{hexhash('x')},known_csam,l\n"
    result = indicators_import(text=text, source="l", status="active", actor=people["supervisor"])
    assert result.created == 1


def test_a_company_user_cannot_submit_for_another_provider(api, other_company, payload, company):
    with pytest.raises(PermissionDenied):
        reports_intake(provider=provider_for(other_company), payloads=[payload()], actor=api.user)
    assert not ProviderReport.objects.exists()
    assert AuditEvent.objects.filter(
        verb="permission_denied",
        actor=api.user,
        data__reason="report submission for another organisation",
    ).exists()


def test_a_caseworker_cannot_submit_reports_for_a_company(people, company, payload):
    with pytest.raises(PermissionDenied):
        reports_intake(
            provider=provider_for(company), payloads=[payload()], actor=people["caseworker"]
        )
    assert not ProviderReport.objects.exists()


def test_a_company_submits_its_own_report_and_the_creation_is_audited(api, company, payload):
    result = reports_intake(provider=provider_for(company), payloads=[payload()], actor=api.user)
    report = result[0].report
    assert result[0].outcome == "created" and report.status == "received"
    event = AuditEvent.objects.get(
        verb="create", object_type="reports.providerreport", object_id=str(report.pk)
    )
    assert event.actor == api.user and event.data["status"] == "received"


# --- the indicator lifecycle on the shared workflow ------------------------------------------


def _indicator(algorithm="sha1", status="proposed"):  # noqa: ANN001, ANN202
    value = hexhash("i", 40 if algorithm == "sha1" else 64)
    indicators_import(
        text=f"algorithm,value,category,source\n{algorithm},{value},known_csam,l\n",
        source="l",
        status=status,
        actor=IMPORTER,
    )
    return Indicator.objects.get()


def test_an_indicator_status_change_bumps_its_version_and_audits_the_reason(people):
    indicator = _indicator()
    indicator = indicator_set_status(
        indicator=indicator, status="verified", actor=people["supervisor"], reason="Checked"
    )
    assert indicator.version == 2
    event = AuditEvent.objects.get(verb="transition", object_id=str(indicator.pk))
    assert event.data["reason"] == "Checked" and event.data["to"] == "verified"


def test_a_stale_indicator_status_change_is_refused(people):
    from securityunion.casework.workflow import StaleVersion

    indicator = _indicator()
    with pytest.raises(StaleVersion):
        indicator_set_status(
            indicator=indicator,
            status="verified",
            actor=people["supervisor"],
            expected_version=7,
            reason="Checked against the source list",
        )


def test_an_auditor_cannot_change_an_indicator(people):
    with pytest.raises(PermissionDenied):
        indicator_set_status(
            indicator=_indicator(),
            status="verified",
            actor=people["auditor"],
            reason="Checked against the source list",
        )
    assert Indicator.objects.get().status == "proposed"


def test_a_pdq_indicator_status_change_renews_the_index_token(people):
    indicator = _indicator("pdq", "active")
    before = PdqIndexVersion.objects.get(pk=1).token
    indicator_set_status(
        indicator=indicator,
        status="quarantined",
        actor=people["supervisor"],
        reason="Checked against the source list",
    )
    assert PdqIndexVersion.objects.get(pk=1).token != before


def test_the_index_token_has_no_path_besides_the_services(people):
    indicator = _indicator("pdq", "active")
    before = PdqIndexVersion.objects.get(pk=1).token
    indicator.category = "other"
    indicator.save()
    Indicator.objects.filter(pk=indicator.pk).delete()
    assert PdqIndexVersion.objects.get(pk=1).token == before


def test_the_indicator_page_offers_what_the_workflow_allows(client, people):
    indicator = _indicator(status="active")
    client.force_login(people["supervisor"])
    offered = client.get(f"/reports/indicators/{indicator.pk}/").context["next_statuses"]
    assert [value for value, _label in offered] == ["quarantined", "retired"]
    client.force_login(people["caseworker"])
    assert client.get(f"/reports/indicators/{indicator.pk}/").context["next_statuses"] == []


def test_the_indicator_page_changes_the_status(client, people):
    indicator = _indicator()
    client.force_login(people["supervisor"])
    client.post(
        f"/reports/indicators/{indicator.pk}/status/",
        {"status": "verified", "reason": "ok", "version": "1"},
    )
    assert Indicator.objects.get().status == "verified"


# --- commands act as a named user or as the system actor -------------------------------------


def _csv(tmp_path):  # noqa: ANN001, ANN202
    path = tmp_path / "list.csv"
    path.write_text(f"algorithm,value,category,source\nsha256,{hexhash('c')},known_csam,\n")
    return path


def test_the_import_command_refuses_a_named_caseworker(tmp_path, people):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="may not import"):
        call_command("import_indicators", str(_csv(tmp_path)), "--source", "x", "--user", "cw")
    assert not Indicator.objects.exists()


def test_the_import_command_imports_as_a_named_supervisor(tmp_path, people):
    from django.core.management import call_command

    call_command("import_indicators", str(_csv(tmp_path)), "--source", "x", "--user", "sup")
    event = AuditEvent.objects.get(verb="create", data__indicator_import="x")
    assert event.actor == people["supervisor"]


def test_the_import_command_without_a_user_is_audited_as_the_system_actor(tmp_path, db):
    from django.core.management import call_command

    call_command("import_indicators", str(_csv(tmp_path)), "--source", "x")
    event = AuditEvent.objects.get(verb="create", data__indicator_import="x")
    assert event.actor is None and event.data["system_actor"] == "import_indicators"


def test_the_approver_sees_which_transition_is_proposed(client, report, people, organisations):
    report_propose_forward(
        report=report, recipient_ids=[organisations["europol"].pk], actor=people["caseworker"]
    )
    client.force_login(people["supervisor"])
    page = client.get(f"/reports/{report.reference}/").content.decode()
    assert "proposed “Forward to law enforcement”" in page
