"""A report's timeline reads as sentences with names, never transition names or ids, and
says no more than the reader's view of the report allows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.selectors import report_case_view
from reports.services import report_propose_forward, reports_assign
from securityunion.casework.services import approval_decide, case_transition
from securityunion.casework.visibility import TIMELINE


def _timeline(client, user, report):  # noqa: ANN001, ANN202
    """The entries of the page's timeline, as text (tags and spacing removed)."""
    client.force_login(user)
    page = client.get(report.get_absolute_url()).content.decode()
    section = page[page.index('<section class="timeline"') :]
    section = section[: section.index("</section>")]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


@pytest.fixture
def report(submit, payload, people):
    report = submit(payload(provider_reference="labels", countries=["FR", "DE"]))
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    return report


@pytest.fixture
def forwarded(report, people, organisations):
    approval = report_propose_forward(
        report=report,
        recipient_ids=[organisations["europol"].pk, organisations["police-de"].pk],
        actor=people["caseworker"],
        reason="Server in Germany",
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    return report


@pytest.fixture(autouse=True)
def _names(organisations, people):
    for slug, name in (("europol", "Europol"), ("police-de", "Bundeskriminalamt")):
        organisations[slug].name = name
        organisations[slug].save(update_fields=["name"])
    for key, (first, last) in {
        "caseworker": ("Claire", "Dubois"),
        "supervisor": ("Sofia", "Marino"),
        "caseworker2": ("Jan", "Peeters"),
    }.items():
        people[key].first_name, people[key].last_name = first, last
        people[key].save(update_fields=["first_name", "last_name"])


def test_a_reports_transitions_read_as_what_happened(client, report, people):
    case_transition(
        case=report,
        transition="request_information",
        actor=people["caseworker"],
        reason="Which service?",
    )
    entries = _timeline(client, people["caseworker"], report)
    assert any(
        "Report received from the company by Example-Social (API) 1 item(s)" in e for e in entries
    )
    assert any("Assessment started by Claire Dubois" in e for e in entries)
    assert any("Information requested from the company by Claire Dubois" in e for e in entries)
    text = " ".join(entries)
    assert "start_assessment" not in text and "in_assessment" not in text and "→" not in text


def test_a_forwarding_names_its_recipients_and_who_approved_it(client, forwarded, people):
    entries = _timeline(client, people["caseworker"], forwarded)
    assert any(
        "Forwarding proposed to Bundeskriminalamt, Europol by Claire Dubois" in e
        or "Forwarding proposed to Europol, Bundeskriminalamt by Claire Dubois" in e
        for e in entries
    )
    approved = next(e for e in entries if "Forwarding approved" in e)
    assert "Forwarding approved by Sofia Marino" in approved
    assert "Bundeskriminalamt" in approved and "proposed by Claire Dubois" in approved
    text = " ".join(entries)
    assert "recipients" not in text and "[" not in text


def test_an_assignment_names_the_assignee(client, report, people):
    reports_assign(reports=[report], assignee=people["caseworker2"], actor=people["supervisor"])
    entries = _timeline(client, people["supervisor"], report)
    assert any("Assigned to Jan Peeters by Sofia Marino" in e for e in entries)


def test_the_police_do_not_see_the_other_recipients_in_the_timeline(client, forwarded, people):
    entries = _timeline(client, people["police_de"], forwarded)
    text = " ".join(entries)
    assert any("Forwarded by Sofia Marino" in e for e in entries)
    assert "Europol" not in text
    assert "Forwarding proposed" not in text and "Forwarding approved" not in text


def test_europol_sees_its_own_acknowledgement_and_not_the_other_recipients(
    client, forwarded, people
):
    from reports.services import forwarding_acknowledge

    forwarding_acknowledge(
        forwarding=forwarded.forwardings.get(recipient__slug="europol"), actor=people["europol"]
    )
    forwarding_acknowledge(
        forwarding=forwarded.forwardings.get(recipient__slug="police-de"),
        actor=people["police_de"],
    )
    entries = _timeline(client, people["europol"], forwarded)
    text = " ".join(entries)
    assert any("Receipt acknowledged by Europol" in e for e in entries)
    assert "Bundeskriminalamt" not in text


def test_the_names_are_resolved_in_bulk_not_per_event(report, people, organisations):
    def timeline_queries() -> int:
        view = report_case_view(people["caseworker"], report)
        with CaptureQueriesContext(connection) as queries:
            view.events(TIMELINE)
        return len(queries)

    def propose_and_send_back() -> None:
        approval = report_propose_forward(
            report=report,
            recipient_ids=[organisations["europol"].pk],
            actor=people["caseworker"],
        )
        approval_decide(
            approval=approval, actor=people["supervisor"], approve=False, reason="Not yet"
        )

    propose_and_send_back()
    reports_assign(reports=[report], assignee=people["caseworker"], actor=people["supervisor"])
    few = timeline_queries()
    for _round in range(3):
        propose_and_send_back()
    reports_assign(reports=[report], assignee=people["caseworker2"], actor=people["supervisor"])
    assert timeline_queries() == few
