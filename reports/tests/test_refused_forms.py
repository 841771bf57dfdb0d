"""Forms that never lose what was typed: a refused action shows the page again, form as typed."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from reports.models import Indicator, ProviderReport
from reports.services import indicators_import, report_propose_unfounded
from reports.tests.actors import IMPORTER
from securityunion.casework.models import Approval
from securityunion.casework.services import case_transition

from .conftest import hexhash


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1


def _duplicate_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return [value for value, count in parser.ids.items() if count > 1]


@pytest.fixture
def report(people, submit, payload):
    report = submit(payload())
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    report.refresh_from_db()
    return report


def _unchanged(report):  # noqa: ANN001, ANN202
    report.refresh_from_db()
    assert report.status == "in_assessment"
    assert not Approval.objects.exists()


def test_a_refused_unfounded_proposal_keeps_the_typed_text_and_shows_the_error_beside_the_field(
    client, people, report
):
    client.force_login(people["caseworker"])
    typed = "The account holder is a verified adult performer."
    response = client.post(
        f"/reports/{report.reference}/unfounded/", {"reason_code": "", "text": typed}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert typed in body
    assert 'id="unfounded_reason_code_error"' in body  # beside the field
    assert 'id="unfounded-errors"' in body and 'href="#unfounded_reason_code"' in body  # summary
    assert not response.context["duplicate_form"].is_bound  # the other forms stay blank
    _unchanged(report)


def test_a_service_refusal_goes_beside_the_field_it_names(client, people, report):
    client.force_login(people["caseworker"])
    response = client.post(
        f"/reports/{report.reference}/duplicate/",
        {"duplicate_of": "RPT-1999-000001", "reason": "Same upload as last week"},
    )
    assert response.status_code == 400
    form = response.context["duplicate_form"]
    assert form.errors["duplicate_of"] == ["Give the reference of another report."]
    body = response.content.decode()
    assert 'value="RPT-1999-000001"' in body and "Same upload as last week" in body
    assert 'id="duplicate_duplicate_of_error"' in body
    _unchanged(report)


def test_a_refused_forwarding_keeps_the_ticked_recipients(client, people, organisations, report):
    client.force_login(people["caseworker"])
    europol = organisations["europol"]
    response = client.post(
        f"/reports/{report.reference}/forward/",
        {"recipients": [europol.pk, 999999], "reason": "Typed assessment"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Typed assessment" in body and 'id="forward_recipients_error"' in body
    tick = re.search(rf'<input[^>]*name="recipients"[^>]*value="{europol.pk}"[^>]*>', body)
    assert tick is not None and "checked" in tick.group(0)
    _unchanged(report)


def test_a_transition_without_its_required_reason_is_refused_on_its_own_form(
    client, people, report
):
    client.force_login(people["caseworker"])
    response = client.post(
        f"/reports/{report.reference}/transition/",
        {"transition": "request_information", "reason": "  ", "version": report.version},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="transition_request_information_reason_error"' in body
    _unchanged(report)


def test_a_stale_transition_keeps_the_reason_and_says_why(client, people, report):
    client.force_login(people["caseworker"])
    response = client.post(
        f"/reports/{report.reference}/transition/",
        {"transition": "request_information", "reason": "Which account?", "version": 1},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Which account?" in body and "changed by someone else" in body
    _unchanged(report)


def test_a_successful_action_still_redirects_to_the_case(client, people, report):
    client.force_login(people["caseworker"])
    response = client.post(
        f"/reports/{report.reference}/unfounded/", {"reason_code": "adult", "text": "Adult."}
    )
    assert response.status_code == 302
    assert Approval.objects.get().data == {"reason_code": "adult"}


def test_the_unfounded_reason_starts_empty(client, people, report):
    client.force_login(people["caseworker"])
    page = client.get(report.get_absolute_url())
    form = page.context["unfounded_form"]
    assert form["reason_code"].value() in (None, "")
    assert form.fields["reason_code"].required
    assert form.fields["reason_code"].choices[0][0] == ""


def test_case_pages_with_several_forms_have_unique_ids(client, people, organisations, report):
    client.force_login(people["caseworker"])
    page = client.get(report.get_absolute_url())
    assert {"forward_form", "unfounded_form", "duplicate_form"} <= set(page.context.keys())
    assert len(page.context["transition_forms"]) >= 1
    assert _duplicate_ids(page.content.decode()) == []
    refused = client.post(f"/reports/{report.reference}/unfounded/", {"text": "x"})
    assert _duplicate_ids(refused.content.decode()) == []
    report_propose_unfounded(
        report=report, reason_code="adult", text="Adult.", actor=people["caseworker"]
    )
    client.force_login(people["supervisor"])
    page = client.get(report.get_absolute_url())
    assert page.context["can_decide_approval"]
    assert _duplicate_ids(page.content.decode()) == []


# --- bulk actions on the list ----------------------------------------------------------------


def test_a_refused_bulk_assignment_keeps_the_ticked_rows(client, people, submit, payload):
    a = submit(payload(provider_reference="a"))
    b = submit(payload(provider_reference="b"))
    c = submit(payload(provider_reference="c"))
    client.force_login(people["supervisor"])
    response = client.post(
        "/reports/assign/",
        {"reports": [a.reference, c.reference], "assignee": "nobody-here", "query": "urgent="},
    )
    assert response.status_code == 400
    rows = {row["key"]: row["selected"] for row in response.context["rows"]}
    assert rows == {a.reference: True, b.reference: False, c.reference: True}
    body = response.content.decode()
    assert f'id="sel-{a.reference}" checked' in body
    assert f'id="sel-{b.reference}" aria-label' in body
    assert 'id="bulk_assignee_error"' in body and 'value="nobody-here"' in body
    assert not ProviderReport.objects.filter(assignee__isnull=False).exists()


def test_a_bulk_refusal_by_the_service_is_shown_beside_the_assignee(
    client, people, submit, payload
):
    a = submit(payload(provider_reference="a"))
    client.force_login(people["supervisor"])
    response = client.post("/reports/assign/", {"reports": [a.reference], "assignee": "pfr"})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["assignee"] == [
        "Reports are assigned to caseworkers."
    ]
    assert response.context["rows"][0]["selected"]
    a.refresh_from_db()
    assert a.assignee is None


def test_a_bulk_assignment_with_nothing_ticked_says_so(client, people, submit, payload):
    submit(payload(provider_reference="a"))
    client.force_login(people["supervisor"])
    response = client.post("/reports/assign/", {"assignee": "cw"})
    assert response.status_code == 400
    assert "Select at least one report." in response.content.decode()


# --- an indicator's status ------------------------------------------------------------------


@pytest.fixture
def indicator(db):
    indicators_import(
        text=f"algorithm,value,category,source\nmd5,{hexhash('i', 32)},known_csam,\n",
        source="list-a",
        status="proposed",
        actor=IMPORTER,
    )
    return Indicator.objects.get()


def test_an_indicator_status_change_without_a_reason_is_refused(client, people, indicator):
    client.force_login(people["supervisor"])
    response = client.post(
        f"/reports/indicators/{indicator.pk}/status/",
        {"status": "verified", "reason": "", "version": indicator.version},
    )
    assert response.status_code == 400
    assert 'id="indicator_status_reason_error"' in response.content.decode()
    assert Indicator.objects.get().status == "proposed"


def test_an_indicator_status_change_needs_an_explicit_choice(client, people, indicator):
    client.force_login(people["supervisor"])
    form = client.get(f"/reports/indicators/{indicator.pk}/").context["status_form"]
    assert form["status"].value() in (None, "") and form.fields["status"].choices[0][0] == ""
    response = client.post(
        f"/reports/indicators/{indicator.pk}/status/",
        {"status": "", "reason": "Checked against the list", "version": indicator.version},
    )
    assert response.status_code == 400
    assert "Checked against the list" in response.content.decode()
    assert Indicator.objects.get().status == "proposed"


def test_the_indicator_service_requires_a_reason_for_any_caller(people, indicator):
    from django.core.exceptions import ValidationError

    from reports.services import indicator_set_status

    with pytest.raises(ValidationError):
        indicator_set_status(indicator=indicator, status="verified", actor=people["supervisor"])
    assert Indicator.objects.get().status == "proposed"


def test_the_queue_and_the_indicator_page_have_unique_ids_also_when_refused(
    client, people, submit, payload, indicator
):
    a = submit(payload(provider_reference="a"))
    client.force_login(people["supervisor"])
    assert _duplicate_ids(client.get("/reports/").content.decode()) == []
    refused = client.post("/reports/assign/", {"reports": [a.reference], "assignee": "?"})
    assert _duplicate_ids(refused.content.decode()) == []
    page = client.get(f"/reports/indicators/{indicator.pk}/")
    assert _duplicate_ids(page.content.decode()) == []
    refused = client.post(f"/reports/indicators/{indicator.pk}/status/", {"status": "verified"})
    assert refused.status_code == 400
    assert _duplicate_ids(refused.content.decode()) == []
