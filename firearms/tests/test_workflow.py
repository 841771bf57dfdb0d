"""Submit, validate, return with comments, back to draft, close; only drafts are edited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from firearms.models import SeizureCase
from firearms.services import item_add, seizure_transition, seizure_update
from securityunion.audit.models import AuditEvent
from securityunion.casework.workflow import WorkflowError

from .conftest import item_data


def test_a_focal_point_submits_and_the_reviewer_validates(seizure, focal_point_fr, reviewer):
    case = seizure(focal_point_fr)
    seizure_transition(case=case, actor=focal_point_fr, transition="submit")
    seizure_transition(case=case, actor=reviewer, transition="validate")
    case.refresh_from_db()
    assert case.status == "validated"
    assert list(
        AuditEvent.objects.filter(verb="transition", object_id=str(case.pk))
        .order_by("id")
        .values_list("data__to", flat=True)
    ) == ["submitted", "validated"]


def test_a_case_without_items_cannot_be_submitted(seizure, focal_point_fr):
    case = seizure(focal_point_fr, items=0)
    with pytest.raises(ValidationError):
        seizure_transition(case=case, actor=focal_point_fr, transition="submit")
    case.refresh_from_db()
    assert case.status == "draft"


def test_the_reviewer_returns_with_comments_and_the_focal_point_corrects(
    submitted, focal_point_fr, reviewer
):
    case = submitted(focal_point_fr)
    seizure_transition(
        case=case, actor=reviewer, transition="return", reason="Give the EU category."
    )
    case.refresh_from_db()
    assert (case.status, case.review_comments) == ("returned", "Give the EU category.")
    item_add(case=case, actor=focal_point_fr, data=item_data(serial_number="B2"))
    seizure_transition(case=case, actor=focal_point_fr, transition="reopen")
    seizure_transition(case=case, actor=focal_point_fr, transition="submit")
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_return_needs_the_reviewers_comments(submitted, focal_point_fr, reviewer):
    case = submitted(focal_point_fr)
    with pytest.raises(ValidationError):
        seizure_transition(case=case, actor=reviewer, transition="return", reason="  ")
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_focal_point_cannot_validate_their_own_case(submitted, focal_point_fr):
    case = submitted(focal_point_fr)
    with pytest.raises(PermissionDenied):
        seizure_transition(case=case, actor=focal_point_fr, transition="validate")


def test_a_hand_posted_validation_by_a_focal_point_is_refused_and_audited(
    client, submitted, focal_point_fr
):
    case = submitted(focal_point_fr)
    client.force_login(focal_point_fr)
    response = client.post(
        f"/firearms/seizures/{case.reference}/transition/",
        {"transition": "validate", "version": case.version},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "submitted"
    assert AuditEvent.objects.filter(
        verb="permission_denied", object_id=str(case.pk), actor=focal_point_fr
    ).exists()


def test_the_reviewer_returns_a_case_through_the_page(client, submitted, focal_point_fr, reviewer):
    case = submitted(focal_point_fr)
    client.force_login(reviewer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Return with comments" in page and "Validate" in page
    response = client.post(
        f"/firearms/seizures/{case.reference}/transition/",
        {"transition": "return", "version": case.version, "reason": "Serial missing."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "returned"
    client.force_login(focal_point_fr)
    assert "Serial missing." in client.get(case.get_absolute_url()).content.decode()


def test_a_submitted_case_is_not_edited(submitted, focal_point_fr):
    case = submitted(focal_point_fr)
    with pytest.raises(WorkflowError):
        seizure_update(
            case=case,
            actor=focal_point_fr,
            data={"place": "Elsewhere"},
            expected_version=case.version,
        )
    with pytest.raises(WorkflowError):
        item_add(case=case, actor=focal_point_fr, data=item_data())
    assert SeizureCase.objects.get(pk=case.pk).place == "Calais"


def test_the_edit_page_of_a_submitted_case_is_not_offered(client, submitted, focal_point_fr):
    case = submitted(focal_point_fr)
    client.force_login(focal_point_fr)
    assert client.get(f"/firearms/seizures/{case.reference}/edit/").status_code == 302
    response = client.post(
        f"/firearms/seizures/{case.reference}/edit/",
        {
            "seized_on": "2026-04-01",
            "place": "Elsewhere",
            "context": "seized",
            "smuggling_mode": "truck",
            "investigation_status": "unknown",
            "prosecution_status": "unknown",
            "conviction_status": "unknown",
            "version": case.version,
        },
    )
    assert response.status_code == 409
    assert SeizureCase.objects.get(pk=case.pk).place == "Calais"


def test_a_stale_edit_is_refused(seizure, focal_point_fr):
    from securityunion.casework.workflow import StaleVersion

    case = seizure(focal_point_fr)
    seizure_update(
        case=case, actor=focal_point_fr, data={"place": "A"}, expected_version=case.version
    )
    with pytest.raises(StaleVersion):
        seizure_update(
            case=case, actor=focal_point_fr, data={"place": "B"}, expected_version=case.version
        )


def test_an_edit_is_audited_with_the_changed_fields(seizure, focal_point_fr):
    case = seizure(focal_point_fr)
    seizure_update(
        case=case, actor=focal_point_fr, data={"place": "Lille"}, expected_version=case.version
    )
    event = AuditEvent.objects.filter(verb="update", object_id=str(case.pk)).order_by("id").last()
    assert event.data["fields"] == ["place"]
