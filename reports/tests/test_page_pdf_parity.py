"""The report page and its PDF case file show the same user the same sections and facts."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from reports.pdf import report_case_file_context
from reports.services import (
    forwarding_feedback,
    legal_hold_place,
    report_propose_forward,
    reports_assign,
)
from securityunion.casework.services import approval_decide, case_transition

ROLES = ("police_fr", "europol", "caseworker", "auditor")


@pytest.fixture
def report(submit, payload, people, organisations, settings):
    settings.FORWARDED_NOTICE_DELAY_HOURS = 0
    report = submit(
        payload(
            provider_reference="parity",
            urgent=True,
            urgency_reason="A child may be in danger.",
            countries=["FR", "DE"],
        )
    )
    reports_assign(reports=[report], assignee=people["caseworker"], actor=people["supervisor"])
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    approval = report_propose_forward(
        report=report,
        recipient_ids=[organisations[o].pk for o in ("europol", "police-fr", "police-de")],
        actor=people["caseworker"],
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    forwarding_feedback(
        forwarding=report.forwardings.get(recipient__slug="police-fr"),
        actor=people["police_fr"],
        text="French feedback: suspect identified.",
    )
    for who, ground in (("europol", "Europol operation Alpha"), ("police_de", "German warrant")):
        legal_hold_place(
            report=report,
            actor=people[who],
            reason=ground,
            expires_at=timezone.now() + timedelta(days=30),
        )
    report.refresh_from_db()
    return report


def _page(client, user, report):  # noqa: ANN001, ANN202
    client.force_login(user)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def _pdf(user, report):  # noqa: ANN001, ANN202
    return render_to_string("pdf/reports/report.html", report_case_file_context(report, user))


def _shown(html):  # noqa: ANN001, ANN202
    return (
        set(re.findall(r'data-section="([a-z_]+)"', html)),
        set(re.findall(r'data-field="([a-z_]+)"', html)),
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_page_and_the_case_file_show_the_same_sections_and_facts(client, people, report, role):
    user = people[role]
    page = _shown(_page(client, user, report))
    assert page == _shown(_pdf(user, report))
    assert {"summary", "items", "forwardings"} <= page[0]


@pytest.mark.parametrize("role", ("police_fr", "europol"))
def test_law_enforcement_sees_no_assignee_or_target_on_page_or_file(client, people, report, role):
    user = people[role]
    for html in (_page(client, user, report), _pdf(user, report)):
        sections, fields = _shown(html)
        assert "summary" in sections and not {"assignee", "target"} & fields


@pytest.mark.parametrize("role", ("caseworker", "auditor"))
def test_the_centre_sees_the_assignee_and_target_on_page_and_file(client, people, report, role):
    user = people[role]
    for html in (_page(client, user, report), _pdf(user, report)):
        assert {"assignee", "target"} <= _shown(html)[1]


def test_a_europol_case_file_names_no_other_authority(client, people, report):
    user = people["europol"]
    for html in (_page(client, user, report), _pdf(user, report)):
        assert "police-fr" not in html and "police-de" not in html
        assert "French feedback" not in html and "German warrant" not in html
        assert "Europol operation Alpha" in html


def test_a_police_case_file_holds_its_own_feedback_and_no_other_hold(client, people, report):
    user = people["police_fr"]
    for html in (_page(client, user, report), _pdf(user, report)):
        assert "French feedback" in html
        assert "Europol operation" not in html and "German warrant" not in html
        assert "police-de" not in html


def test_the_auditors_case_file_holds_every_recipient_as_the_page_does(client, people, report):
    user = people["auditor"]
    for html in (_page(client, user, report), _pdf(user, report)):
        for text in ("police-fr", "police-de", "French feedback", "German warrant"):
            assert text in html


def test_the_centre_sees_the_notices_to_the_company_on_page_and_file(client, people, report):
    user = people["caseworker"]
    for html in (_page(client, user, report), _pdf(user, report)):
        assert "notices" in _shown(html)[0]


def test_law_enforcement_sees_no_notice_to_the_company(client, people, report):
    user = people["europol"]
    for html in (_page(client, user, report), _pdf(user, report)):
        assert "notices" not in _shown(html)[0]
