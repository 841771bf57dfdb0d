"""Transparency statistics: known figures on a known fixture, recomputation, the CSV and the
PDF, the public page, and who may see them."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from reports.models import ProviderReport
from reports.services import report_mark_duplicate
from reports.statistics import notices_figures, reports_figures
from securityunion.audit.models import AuditEvent
from securityunion.casework.models import Notice
from securityunion.casework.notices import notice_send
from securityunion.casework.services import case_transition
from securityunion.casework.statistics import (
    Figure,
    Period,
    compute_statistics,
    duration_percentiles,
    statistics_csv_rows,
)

SEPTEMBER = Period("month", 2026, 9)
H = timedelta(hours=1)


def t(day: int, hour: int = 0, month: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _received(report: ProviderReport, when: datetime, **fields) -> ProviderReport:
    ProviderReport.objects.filter(pk=report.pk).update(created_at=when, **fields)
    report.refresh_from_db()
    return report


def _event(report: ProviderReport, when: datetime, **data) -> AuditEvent:
    """A transition event as ``case_transition`` writes it, at a chosen time."""
    return AuditEvent.objects.create(
        at=when,
        verb="transition",
        object_type="reports.providerreport",
        object_id=str(report.pk),
        object_repr=report.reference,
        data={"reason": "", **data},
    )


def _decided(report: ProviderReport, to: str, when: datetime, name: str) -> None:
    _event(report, when, transition=name, **{"from": "in_assessment", "to": to})
    reason = "not_csam" if to == "manifestly_unfounded" else ""
    ProviderReport.objects.filter(pk=report.pk).update(
        status=to, decided_at=when, unfounded_reason=reason
    )


@pytest.fixture
def september(submit, payload, company, other_company, people):
    """Five reports, five decisions in September 2026 (10, 20, 30, 40 and 50 hours after
    receipt), an information request, a proposal, and three notices."""
    social = [submit(payload(provider_reference=f"s-{n}")) for n in range(3)]
    hosting = [submit(payload(provider_reference=f"h-{n}"), other_company) for n in range(2)]
    r1 = _received(social[0], t(1), urgent=True)
    r2 = _received(social[1], t(1), has_known_items=True)
    r3 = _received(social[2], t(1))
    r4 = _received(hosting[0], t(2))
    early = _received(hosting[1], t(31, 22, month=8))  # received in August
    _decided(early, "forwarded", t(1, 8), "forward")  # 10 h
    _decided(r1, "forwarded", t(1, 20), "forward")  # 20 h
    _decided(r2, "manifestly_unfounded", t(2, 6), "unfounded")  # 30 h
    _decided(r3, "duplicate", t(2, 16), "mark_duplicate")  # 40 h
    _event(
        r4,
        t(2, 12),
        transition="request_information",
        **{"from": "in_assessment"},
        to="awaiting_information",
    )
    _event(
        r4,
        t(3, 12),
        transition="resume_assessment",
        **{"from": "awaiting_information"},
        to="in_assessment",
    )
    _event(r4, t(3, 13), proposed="forward", approval=1)  # a proposal: no decision yet
    _decided(r4, "forwarded", t(4, 2), "forward")  # 50 h

    outcome = notice_send(
        organisation=company,
        type="outcome",
        subject=r1,
        subject_reference=r1.reference,
        text="Forwarded.",
        actor=people["supervisor"],
    )
    Notice.objects.filter(pk=outcome.pk).update(
        created_at=t(1, 20), confirmed_at=t(2, 8), status="confirmed"
    )  # confirmed after 12 h
    request = notice_send(
        organisation=other_company,
        type="information_request",
        subject=r4,
        subject_reference=r4.reference,
        text="Which service?",
        actor=people["caseworker"],
    )
    Notice.objects.filter(pk=request.pk).update(
        created_at=t(2, 12), responded_at=t(3, 12), status="answered"
    )  # answered after 24 h
    late = notice_send(
        organisation=company,
        type="outcome",
        subject=r2,
        subject_reference=r2.reference,
        text="Unfounded.",
        actor=people["supervisor"],
    )
    Notice.objects.filter(pk=late.pk).update(created_at=t(2, 6))
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "early": early}


def _figures(section) -> dict:
    return {f.key: f.value for f in section.figures}


def _rows(section, key) -> dict:
    breakdown = next(b for b in section.breakdowns if b.key == key)
    return {r.key: r.value for r in breakdown.rows}


# --- known figures ---------------------------------------------------------------------------


def test_reports_received_in_the_period_by_company_type_known_and_urgent(september):
    section = reports_figures(SEPTEMBER)
    figures = _figures(section)
    assert figures["received"] == 4
    assert figures["received_known"] == 1
    assert figures["received_new"] == 3
    assert figures["received_urgent"] == 1
    assert _rows(section, "received_by_company") == {"example-social": 3, "example-hosting": 1}
    assert _rows(section, "received_by_abuse_type") == {"csam": 4, "solicitation": 0}


def test_decisions_count_in_the_period_they_were_taken_whenever_the_report_came(september):
    figures = _figures(reports_figures(SEPTEMBER))
    assert figures["decided"] == 5
    assert figures["outcome_forwarded"] == 3
    assert figures["outcome_manifestly_unfounded"] == 1
    assert figures["outcome_duplicate"] == 1
    assert figures["information_requests"] == 1


def test_median_and_90th_percentile_of_the_times_to_decision_and_to_forwarding(september):
    figures = _figures(reports_figures(SEPTEMBER))
    assert figures["decided_median"] == 30 * H
    assert figures["decided_p90"] == 46 * H  # 40 h + 0.6 x 10 h
    assert figures["forwarded_median"] == 20 * H  # 10, 20 and 50 h
    assert figures["forwarded_p90"] == 44 * H  # 20 h + 0.8 x 30 h


def test_notices_by_type_with_their_answer_and_confirmation_times(september):
    section = notices_figures(SEPTEMBER)
    figures = _figures(section)
    assert figures["sent"] == 3
    assert figures["answered"] == 1
    assert figures["confirmed"] == 1
    assert figures["confirmation_median"] == 12 * H
    assert _rows(section, "sent_by_type") == {"information_request": 1, "outcome": 2}
    assert _rows(section, "answer_median_by_type")["information_request"] == 24 * H
    assert _rows(section, "confirmation_median_by_type")["outcome"] == 12 * H


def test_a_period_without_events_has_zeros_and_no_times(db):
    figures = _figures(reports_figures(Period("month", 2026, 2)))
    assert figures["received"] == 0 and figures["decided"] == 0
    assert figures["decided_median"] is None


def test_a_quarter_adds_up_its_months(september):
    figures = _figures(reports_figures(Period("quarter", 2026, 3)))
    assert figures["received"] == 5  # the August report too
    assert figures["decided"] == 5


# --- recomputation -----------------------------------------------------------------------------


def _snapshot(period: Period) -> list:
    return [(s.key, s.figures, s.breakdowns, s.trends) for s in compute_statistics(period)]


def test_recomputing_a_past_period_after_later_events_gives_the_same_answer(
    september, submit, payload, people
):
    before = _snapshot(SEPTEMBER)
    # The cases move on: closed now, new reports and decisions, a late confirmation.
    case_transition(case=september["r1"], transition="close", actor=people["supervisor"])
    case_transition(case=september["r2"], transition="close", actor=people["supervisor"])
    fresh = submit(payload(provider_reference="later-1"))
    report_mark_duplicate(
        report=fresh,
        duplicate_of=september["r1"].reference,
        actor=people["caseworker"],
        reason="Same upload.",
    )
    Notice.objects.filter(type="outcome", confirmed_at__isnull=True).update(
        confirmed_at=datetime.now(UTC), status="confirmed"
    )
    assert _snapshot(SEPTEMBER) == before


def test_real_transitions_are_counted_in_the_current_month(submit, payload, people, company):
    original = submit(payload(provider_reference="orig"))
    copy = submit(payload(provider_reference="copy"))
    report_mark_duplicate(
        report=copy, duplicate_of=original.reference, actor=people["caseworker"], reason="Same."
    )
    now = datetime.now(UTC)
    figures = _figures(reports_figures(Period("month", now.year, now.month)))
    assert figures["outcome_duplicate"] == 1
    assert figures["decided_median"] is not None


# --- percentiles -------------------------------------------------------------------------------


def test_percentiles_interpolate_like_percentile_cont_per_group(september):
    from django.db.models import DurationField, ExpressionWrapper, F

    qs = ProviderReport.objects.filter(decided_at__isnull=False)
    expr = ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())
    assert duration_percentiles(qs, expr, (0.0, 0.25, 1.0))[None] == (10 * H, 20 * H, 50 * H)
    grouped = duration_percentiles(qs, expr, (0.5,), group_by="status")
    assert grouped == {
        "forwarded": (20 * H,),
        "manifestly_unfounded": (30 * H,),
        "duplicate": (40 * H,),
    }


# --- CSV and PDF -----------------------------------------------------------------------------


def test_the_csv_holds_the_same_figures_as_the_page(client, september, people):
    client.force_login(people["caseworker"])
    page = client.get("/reports/statistics/?period=2026-09")
    response = client.get("/reports/statistics/csv/?period=2026-09")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["period", "section", "figure", "item", "label", "value", "unit"]
    by_key = {(r[1], r[2], r[3]): r[5] for r in rows[1:]}
    assert by_key[("reports", "received", "")] == "4"
    assert by_key[("reports", "decided_median", "")] == "30.00"
    assert by_key[("reports", "decided_p90", "")] == "46.00"
    assert by_key[("reports", "received_by_company", "example-social")] == "3"
    assert by_key[("notices", "confirmation_median", "")] == "12.00"
    page_text = page.content.decode()
    assert "30.0 h" in page_text and "46.0 h" in page_text
    expected = list(statistics_csv_rows(SEPTEMBER, compute_statistics(SEPTEMBER)))
    assert len(rows) - 1 == len(expected)


def test_the_csv_neutralises_formulas_in_a_company_name(client, september, people, company):
    company.name = "=HYPERLINK(1)"
    company.save()
    client.force_login(people["caseworker"])
    response = client.get("/reports/statistics/csv/?period=2026-09")
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode()


def test_the_pdf_renders_with_the_figures(client, september, people):
    client.force_login(people["supervisor"])
    response = client.get("/reports/statistics/pdf/?period=2026-09")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Transparency report September 2026" in text
    assert "46.0 h" in text
    export = AuditEvent.objects.filter(verb="export", data__document="reports.statistics").get()
    assert export.data["sha256"] == response["X-Document-SHA256"]


def test_the_page_links_its_csv_and_pdf(client, people, db):
    client.force_login(people["auditor"])
    content = client.get("/reports/statistics/?period=2026-09").content.decode()
    assert 'href="/reports/statistics/csv/?period=2026-09"' in content
    assert 'href="/reports/statistics/pdf/?period=2026-09"' in content


def test_viewing_and_exporting_are_audited(client, people, db):
    client.force_login(people["caseworker"])
    client.get("/reports/statistics/?period=2026-Q3")
    b"".join(client.get("/reports/statistics/csv/?period=2026").streaming_content)
    view = AuditEvent.objects.get(verb="view", data__statistics="2026-Q3")
    assert view.actor == people["caseworker"]
    export = AuditEvent.objects.get(verb="export", data__list="statistics")
    assert export.data["filters"] == {"period": "2026"}


# --- periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2026-13",
        "2026-00",
        "2026-Q5",
        "2026-Q0",
        "26",
        "2026-1",
        "1999",
        "9999",
        "2026-11; DROP TABLE x",
        "٢٠٢٦",
        "x" * 5000,
        "2026\x00",
        "../2026",
    ],
)
def test_a_bad_period_is_a_400_with_a_message(client, people, raw):
    client.force_login(people["caseworker"])
    for path in ("/reports/statistics/", "/reports/statistics/csv/", "/reports/statistics/pdf/"):
        response = client.get(path, {"period": raw})
        assert response.status_code == 400, (path, raw)
        assert "This period cannot be shown" in response.content.decode()


def test_without_a_period_the_page_shows_the_last_complete_month(client, people, db):
    from securityunion.casework.statistics import last_complete_month

    client.force_login(people["caseworker"])
    response = client.get("/reports/statistics/")
    assert response.status_code == 200
    assert response.context["period"] == last_complete_month()


# --- who may see them --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["caseworker", "supervisor", "auditor"])
def test_the_centre_and_auditors_see_the_statistics(client, people, who):
    client.force_login(people[who])
    assert client.get("/reports/statistics/?period=2026-09").status_code == 200


@pytest.mark.parametrize("path", ["", "csv/", "pdf/"])
@pytest.mark.parametrize("who", ["police_fr", "europol", "focal_point"])
def test_law_enforcement_and_others_are_refused(client, people, who, path):
    client.force_login(people[who])
    response = client.get(f"/reports/statistics/{path}?period=2026-09")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(verb="permission_denied", actor=people[who]).exists()


def test_a_company_account_is_refused(client, make_user, company):
    user = make_user("company", "IE", username="company-user", organisation=company)
    client.force_login(user)
    assert client.get("/reports/statistics/?period=2026-09").status_code == 403
    assert client.get("/reports/statistics/csv/?period=2026-09").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/reports/statistics/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_pdf_service_refuses_an_actor_without_the_capability(people):
    from django.core.exceptions import PermissionDenied

    from reports.services.statistics import statistics_pdf_request

    with pytest.raises(PermissionDenied):
        statistics_pdf_request(period=SEPTEMBER, actor=people["police_fr"])


# --- the public page ---------------------------------------------------------------------------


def test_the_public_page_needs_no_sign_in_and_shows_published_figures(client, september):
    response = client.get("/transparency/?period=2026-Q3")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>" in content and "Transparency" in content
    assert "Reports received" in content


def test_the_public_page_folds_small_companies_into_other(client, september, settings):
    settings.TRANSPARENCY_MIN_COMPANY_REPORTS = 3
    content = client.get("/transparency/?period=2026-Q3").content.decode()
    assert "Example-Social" in content or "Example Social" in content
    assert "Example-Hosting" not in content and "Example Hosting" not in content
    assert "Other companies" in content


def test_the_public_page_holds_no_personal_data_or_references(client, september, settings):
    settings.TRANSPARENCY_MIN_COMPANY_REPORTS = 1
    content = client.get("/transparency/?period=2026-Q3").content.decode()
    for secret in ("someone@example.com", "u-991", "203.0.113.9", "RPT-", "s-0", "h-1"):
        assert secret not in content, secret


def test_the_public_page_shows_no_month_or_unfinished_period(client, db):
    assert client.get("/transparency/?period=2026-09").status_code == 400
    now = datetime.now(UTC)
    assert client.get(f"/transparency/?period={now.year}").status_code == 400
    assert client.get("/transparency/?period=<script>").status_code == 400


def test_the_public_page_is_off_when_switched_off(client, db, settings):
    settings.TRANSPARENCY_PUBLIC = False
    assert client.get("/transparency/").status_code == 404
    assert client.get("/transparency/?period=2026-Q3").status_code == 404


def test_the_public_figures_are_cached(client, september, django_assert_max_num_queries):
    client.get("/transparency/?period=2026-Q3")
    with django_assert_max_num_queries(3):
        assert client.get("/transparency/?period=2026-Q3").status_code == 200


def test_the_public_page_is_not_marked_restricted(client, db, settings):
    response = client.get("/transparency/")
    assert settings.SENSITIVITY_MARKING not in response.content.decode()


# --- cost ----------------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_for_many_companies_and_months(
    client, people, submit, payload, django_assert_max_num_queries
):
    from securityunion.accounts.models import Organisation

    client.force_login(people["supervisor"])
    for n in range(12):
        org = Organisation.objects.create(
            slug=f"co-{n}", name=f"Company {n}", type=Organisation.Type.COMPANY, country_id="IE"
        )
        report = submit(payload(provider_reference=f"r-{n}"), org)
        _received(report, t(1 + n % 28, month=1 + n))
        _decided(report, "forwarded", t(2 + n % 27, month=1 + n), "forward")
    with django_assert_max_num_queries(40):
        response = client.get("/reports/statistics/?period=2026")
    assert response.status_code == 200
    assert "Company 11" in response.content.decode()


def test_the_statistics_area_is_the_current_one_in_the_navigation(client, people):
    client.force_login(people["supervisor"])
    response = client.get("/reports/statistics/?period=2026-09")
    active = [item["label"] for item in response.context["nav_items"] if item["active"]]
    assert [str(label) for label in active] == ["Statistics"]


def test_the_public_page_without_a_published_period_says_so(client, db, settings):
    settings.TRANSPARENCY_FIRST_YEAR = datetime.now(UTC).year + 1
    response = client.get("/transparency/")
    assert response.status_code == 200
    assert "No period has been published yet" in response.content.decode()


def test_a_pdf_still_being_prepared_can_be_followed_by_a_caseworker(
    client, people, db, monkeypatch
):
    monkeypatch.setattr("securityunion.documents.services._dispatch", lambda export_id: None)
    monkeypatch.setattr("django.conf.settings.CASE_FILE_WAIT_SECONDS", 0)
    client.force_login(people["caseworker"])
    response = client.get("/reports/statistics/pdf/?period=2026-09")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "being prepared" in page.content.decode()
    client.force_login(people["police_fr"])
    assert client.get(response["Location"]).status_code == 404


def test_another_case_type_adds_its_figures_by_registering_one_section(client, people, db):
    """How the complaints section plugs in: its decisions from its transition events, times
    from its cases' receipt, one registration; the pages, CSV and PDF need nothing else."""
    from reports.statistics import decision_events, time_from_receipt
    from securityunion.casework.statistics import (
        SectionFigures,
        register_statistics_section,
        statistics_sections,
    )
    from securityunion.tests.factories import sample_case
    from tests.testapp.models import SampleCase

    def figures(period):  # noqa: ANN001, ANN202
        decided = decision_events(SampleCase, period, ("submitted", "closed"))
        median = duration_percentiles(decided, time_from_receipt(SampleCase), (0.5,))[None][0]
        return SectionFigures(
            figures=(
                Figure(
                    "received",
                    "Sample cases received",
                    SampleCase.objects.filter(
                        created_at__gte=period.start, created_at__lt=period.end
                    ).count(),
                ),
                Figure("decided", "Sample cases decided", decided.count()),
                Figure("decision_median", "Sample time to decision", median, "duration"),
            )
        )

    case = sample_case(title="x")
    SampleCase.objects.filter(pk=case.pk).update(created_at=t(1))
    AuditEvent.objects.create(
        at=t(1, 5),
        verb="transition",
        object_type="testapp.samplecase",
        object_id=str(case.pk),
        data={"transition": "submit", "from": "draft", "to": "submitted"},
    )
    register_statistics_section("samples", title="Sample cases", compute=figures, order=20)
    try:
        section = next(s for s in compute_statistics(SEPTEMBER) if s.key == "samples")
        assert _figures(section) == {"received": 1, "decided": 1, "decision_median": 5 * H}
        client.force_login(people["caseworker"])
        content = client.get("/reports/statistics/?period=2026-09").content.decode()
        assert "Sample cases" in content and "5.0 h" in content
    finally:
        statistics_sections.pop("samples")
