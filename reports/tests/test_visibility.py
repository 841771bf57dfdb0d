"""What each role sees of a report, compared across its three renderings.

A report is forwarded to the French police, the German police (BKA) and Europol; each gives
feedback, places a legal hold with its legal ground and reads the report. For every role the
test reads the report page, the PDF case file (its text, through pypdf) and what the company's
API gives, and checks that the three agree with the one decision (``report_case_view``).
"""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from reports.selectors import company_report_view, report_case_view
from reports.services import (
    forwarding_feedback,
    legal_hold_lift,
    legal_hold_place,
    report_propose_forward,
)
from securityunion.accounts.models import Organisation
from securityunion.casework.services import approval_decide, case_transition
from securityunion.casework.visibility import AUDIT_EXCERPT, FORWARDINGS, HOLDS, TIMELINE

from .conftest import _api_for

AGENCIES = {
    # key: (organisation slug, organisation name, country, officer, feedback, legal ground)
    "fr": ("police-fr", "OFMIN Paris", "FR", "dupont_fr", "LyonArrestMade", "ParquetGroundFr"),
    "de": ("police-de", "Bundeskriminalamt", "DE", "mueller_de", "FrankfurtSeizure", "StaGroundDe"),
    "eu": ("europol", "Europol EC3", "NL", "visser_eu", "KoalaLinkFound", "EuGroundKoala"),
}


def _squeeze(text: str) -> str:
    """Text without whitespace: PDF lines wrap anywhere inside narrow table cells."""
    return re.sub(r"\s+", "", text)


def _organisation(slug: str, name: str, country: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        slug=slug,
        defaults={"name": name, "type": Organisation.Type.LAW_ENFORCEMENT, "country_id": country},
    )
    if org.name != name:
        org.name = name
        org.save(update_fields=["name"])
    return org


@pytest.fixture
def officers(make_user):
    result = {}
    for key, (slug, name, country, username, _feedback, _ground) in AGENCIES.items():
        org = _organisation(slug, name, country)
        result[key] = make_user("law_enforcement", country, username=username, organisation=org)
    return result


@pytest.fixture
def case(client, submit, payload, people, officers):
    """The report, forwarded to all three; each agency gives feedback, holds it and reads it."""
    report = submit(payload(provider_reference="three-way", countries=["FR", "DE"]))
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    approval = report_propose_forward(
        report=report,
        recipient_ids=[o.organisation_id for o in officers.values()],
        actor=people["caseworker"],
        reason="Suspect in France, server in Germany",
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    report.refresh_from_db()
    for key, (_slug, _name, _country, _username, feedback, ground) in AGENCIES.items():
        officer = officers[key]
        forwarding = report.forwardings.get(recipient_id=officer.organisation_id)
        forwarding_feedback(forwarding=forwarding, actor=officer, text=feedback)
        legal_hold_place(
            report=report,
            actor=officer,
            reason=ground,
            expires_at=timezone.now() + timedelta(days=90),
        )
        client.force_login(officer)
        assert client.get(report.get_absolute_url()).status_code == 200
    client.logout()
    return report


def _renderings(client, user, report):  # noqa: ANN001, ANN202
    """(page HTML, its timeline section, PDF text or None when refused, company API JSON)."""
    client.force_login(user)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    timeline = page[page.index('<section class="timeline"') :]
    pdf_response = client.get(f"/reports/{report.reference}/pdf/")
    pdf = None
    if pdf_response.status_code == 200:
        assert pdf_response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(pdf_response.content))
        pdf = _squeeze("\n".join(p.extract_text() for p in reader.pages))
    else:
        assert pdf_response.status_code == 403
    client.logout()
    api = _api_for(report.provider.organisation)
    api_response = api.get(f"/api/v1/reports/{report.reference}/")
    assert api_response.status_code == 200
    return page, timeline, pdf, api_response.json()


def _assert_the_company_sees_its_report_only(api_json, report):  # noqa: ANN001, ANN202
    """The company's view: its fields, no recipient, feedback or ground; the hold withholds
    the outcome."""
    assert set(api_json) == {
        "reference",
        "provider_reference",
        "status",
        "received_at",
        "abuse_type",
        "urgent",
        "countries",
        "items",
        "outcome",
    }
    assert api_json["status"] == "in_assessment" and api_json["outcome"] is None
    text = str(api_json)
    for _slug, name, _country, username, feedback, ground in AGENCIES.values():
        assert name not in text and username not in text
        assert feedback not in text and ground not in text


def _assert_sees_everything(page, timeline, pdf):  # noqa: ANN001, ANN202
    for _slug, name, _country, username, feedback, ground in AGENCIES.values():
        assert name in page and feedback in page and ground in page
        assert name in timeline, "the page's timeline names each recipient's feedback and hold"
        if pdf is not None:
            assert _squeeze(name) in pdf and feedback in pdf and ground in pdf
            assert username in pdf, "the audit excerpt lists every agency's reads"


def _assert_sees_only(key, page, timeline, pdf):  # noqa: ANN001, ANN202
    _slug, own_name, _country, _username, own_feedback, own_ground = AGENCIES[key]
    assert own_feedback in page and own_ground in page
    assert own_feedback in pdf and own_ground in pdf and _squeeze(own_name) in pdf
    for other, (_s, name, _c, username, feedback, ground) in AGENCIES.items():
        if other == key:
            continue
        for rendering in (page, pdf):
            assert _squeeze(name) not in _squeeze(rendering)
            assert feedback not in rendering and ground not in rendering
            assert username not in rendering
    assert "Timelineandauditexcerpt" not in pdf


def test_a_caseworker_sees_every_recipients_feedback_and_hold_on_the_page(client, case, people):
    page, timeline, pdf, api_json = _renderings(client, people["caseworker"], case)
    assert pdf is None  # caseworkers do not export case files
    _assert_sees_everything(page, timeline, pdf)
    _assert_the_company_sees_its_report_only(api_json, case)


def test_a_supervisor_sees_every_recipients_feedback_and_legal_ground_in_page_and_pdf(
    client, case, people
):
    page, timeline, pdf, api_json = _renderings(client, people["supervisor"], case)
    _assert_sees_everything(page, timeline, pdf)
    assert "Timelineandauditexcerpt" in pdf
    _assert_the_company_sees_its_report_only(api_json, case)


def test_an_auditor_sees_every_recipients_feedback_and_legal_ground_in_page_and_pdf(
    client, case, auditor
):
    page, timeline, pdf, api_json = _renderings(client, auditor, case)
    _assert_sees_everything(page, timeline, pdf)
    assert "Timelineandauditexcerpt" in pdf
    _assert_the_company_sees_its_report_only(api_json, case)


def test_the_french_police_see_their_own_forwarding_and_nothing_of_the_other_recipients(
    client, case, officers
):
    page, _timeline, pdf, api_json = _renderings(client, officers["fr"], case)
    _assert_sees_only("fr", page, _timeline, pdf)
    _assert_the_company_sees_its_report_only(api_json, case)


def test_the_german_police_see_their_own_forwarding_and_nothing_of_the_other_recipients(
    client, case, officers
):
    page, _timeline, pdf, api_json = _renderings(client, officers["de"], case)
    _assert_sees_only("de", page, _timeline, pdf)
    _assert_the_company_sees_its_report_only(api_json, case)


def test_europol_sees_its_own_forwarding_and_no_other_authoritys_in_page_and_pdf(
    client, case, officers
):
    page, _timeline, pdf, api_json = _renderings(client, officers["eu"], case)
    _assert_sees_only("eu", page, _timeline, pdf)
    _assert_the_company_sees_its_report_only(api_json, case)


def test_the_police_still_see_the_reports_content(client, case, officers):
    page, _timeline, pdf, _api = _renderings(client, officers["fr"], case)
    for rendering in (page, pdf):
        assert "three-way" in rendering and "item-1" in rendering
    assert "u-991" in page  # the reported user's account, for a recipient of the report


def test_europol_sees_no_forwarding_nor_reported_user_of_a_report_not_sent_to_it(
    client, submit, payload, people, officers
):
    report = submit(payload(provider_reference="fr-only", countries=["FR"]))
    case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
    approval = report_propose_forward(
        report=report, recipient_ids=[officers["fr"].organisation_id], actor=people["caseworker"]
    )
    approval_decide(approval=approval, actor=people["supervisor"], approve=True)
    forwarding_feedback(
        forwarding=report.forwardings.get(), actor=officers["fr"], text="LyonArrestMade"
    )
    page, _timeline, pdf, _api = _renderings(client, officers["eu"], report)
    for rendering in (page, pdf):
        assert "LyonArrestMade" not in rendering and "OFMIN" not in rendering
    assert "u-991" not in page


# --- the decision itself -------------------------------------------------------------------


def test_the_law_enforcement_timeline_holds_intake_status_changes_and_its_own_events(
    case, officers
):
    view = report_case_view(officers["de"], case)
    own_forwarding = case.forwardings.get(recipient_id=officers["de"].organisation_id)
    own_hold = case.holds.get(organisation_id=officers["de"].organisation_id)
    entries = view.events(TIMELINE, newest_first=False, limit=500)
    # The intake is recorded under the company's API service account that submitted it.
    submitter = next(e.actor_label for e in entries if e.verb == "create")
    assert submitter.startswith("api-example-social-")
    assert {e.actor_label for e in entries} <= {submitter, "cw", "sup", "mueller_de"}
    assert {e.data.get("forwarding") for e in entries} == {None, own_forwarding.pk}
    assert {e.data.get("legal_hold") for e in entries} == {None, own_hold.pk}
    assert all("recipients" not in e.data and "reason" not in e.data for e in entries)
    assert not any(e.verb == "view" for e in entries)
    assert not view.shows(AUDIT_EXCERPT)


def test_law_enforcement_sees_only_its_own_organisations_rows(case, officers):
    view = report_case_view(officers["fr"], case)
    assert {f.recipient.slug for f in view.rows(FORWARDINGS)} == {"police-fr"}
    assert {h.organisation.slug for h in view.rows(HOLDS)} == {"police-fr"}
    assert not view["notices"] and not view["approvals"]


def test_the_centre_sees_every_row_and_the_audit_excerpt(case, people):
    view = report_case_view(people["caseworker"], case)
    assert len(view.rows(FORWARDINGS)) == 3 and len(view.rows(HOLDS)) == 3
    assert view.shows(AUDIT_EXCERPT) and view.shows(HOLDS, "reason")
    assert any(e.verb == "view" for e in view.events(AUDIT_EXCERPT, limit=500))


def test_the_company_learns_the_outcome_once_every_hold_is_lifted(case, officers):
    case.refresh_from_db()
    assert not company_report_view(case, hold_until=timezone.now())["outcome"]
    for officer in officers.values():
        for hold in case.holds.filter(organisation_id=officer.organisation_id):
            legal_hold_lift(hold=hold, actor=officer)
    assert company_report_view(case)["outcome"]


def test_a_user_without_a_reports_role_gets_an_empty_view(case, make_user):
    view = report_case_view(make_user("focal_point", "FR", username="fp_x"), case)
    assert not view.sections


def test_the_company_api_shows_what_the_companys_case_view_decides(case, officers, settings):
    settings.FORWARDED_NOTICE_DELAY_HOURS = 0  # only the holds withhold the outcome here
    api = _api_for(case.provider.organisation)
    view = report_case_view(api.user, case)
    body = api.get(f"/api/v1/reports/{case.reference}/").json()
    assert view.audience == "company" and not view["outcome"] and body["outcome"] is None
    assert body["status"] == view["summary"].data["status"] == "in_assessment"
    for officer in officers.values():
        for hold in case.holds.filter(organisation_id=officer.organisation_id):
            legal_hold_lift(hold=hold, actor=officer)
    case.refresh_from_db()
    assert report_case_view(api.user, case)["outcome"]
    assert api.get(f"/api/v1/reports/{case.reference}/").json()["outcome"]["decision"] == (
        "forwarded"
    )
