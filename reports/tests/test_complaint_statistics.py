"""The complaints section of the statistics: received and decided, from the event log."""

from datetime import UTC, datetime

from reports.complaints import Complaint
from reports.services.complaints import complaint_propose_decision
from reports.statistics import complaints_figures
from securityunion.casework.services import approval_decide, case_transition
from securityunion.casework.statistics import Period, compute_statistics


def _figures(section) -> dict:  # noqa: ANN001
    return {f.key: f.value for f in section.figures}


def _this_month() -> Period:
    now = datetime.now(UTC)
    return Period("month", now.year, now.month)


def test_an_upheld_complaint_is_received_and_upheld_in_its_month(complaint, people, statement):
    case_transition(case=complaint, transition="start_review", actor=people["caseworker"])
    approval = complaint_propose_decision(
        complaint=complaint, decision="uphold", actor=people["caseworker"], **statement
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    figures = _figures(complaints_figures(_this_month()))
    assert figures["received"] == 1
    assert figures["upheld"] == 1 and figures["rejected"] == 0 and figures["inadmissible"] == 0
    assert figures["decision_median"] is not None


def test_an_undecided_complaint_counts_as_received_only(complaint):
    assert Complaint.objects.count() == 1
    figures = _figures(complaints_figures(_this_month()))
    assert figures["received"] == 1 and figures["upheld"] == 0
    assert figures["decision_median"] is None


def test_the_complaints_section_is_part_of_the_statistics(complaint):
    sections = {s.key for s in compute_statistics(_this_month())}
    assert "complaints" in sections
