"""The report queue as a triage desk: sorting, open work, filters, saved views, countries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.models import ProviderReport
from reports.services import report_propose_forward
from securityunion.casework.models import SavedFilter
from securityunion.casework.services import approval_decide, case_transition

QUEUE = "/reports/"


def _refs(response) -> list[str]:  # noqa: ANN001
    assert response.status_code == 200
    return [row["object"].provider_reference for row in response.context["rows"]]


def _start(report, actor):  # noqa: ANN001, ANN202
    return case_transition(case=report, transition="start_assessment", actor=actor)


def _propose(report, people, organisations):  # noqa: ANN001, ANN202
    _start(report, people["caseworker"])
    return report_propose_forward(
        report=report, recipient_ids=[organisations["europol"].pk], actor=people["caseworker"]
    )


def _forward(report, people, organisations):  # noqa: ANN001, ANN202
    approval = _propose(report, people, organisations)
    approval_decide(approval=approval, actor=people["supervisor"], approve=True, reason="")
    report.refresh_from_db()
    return report


@pytest.fixture
def three(people, submit, payload):
    """Three reports with distinct received and target times and statuses.

    a: oldest, target latest, received; b: middle, target soonest, in assessment;
    c: newest, target middle, awaiting information.
    """
    a = submit(payload(provider_reference="a"))
    b = submit(payload(provider_reference="b"))
    c = submit(payload(provider_reference="c"))
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    for report, received_ago, due_in in ((a, 30, 50), (b, 20, 2), (c, 10, 20)):
        ProviderReport.objects.filter(pk=report.pk).update(
            created_at=now - received_ago * hour, due_at=now + due_in * hour
        )
    _start(b, people["caseworker"])
    _start(c, people["caseworker"])
    case_transition(
        case=ProviderReport.objects.get(pk=c.pk),
        transition="request_information",
        actor=people["caseworker"],
        reason="Which account?",
    )
    return a, b, c


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("received", ["a", "b", "c"]),
        ("-received", ["c", "b", "a"]),
        ("age", ["c", "b", "a"]),
        ("-age", ["a", "b", "c"]),
        ("target", ["b", "c", "a"]),
        ("-target", ["a", "c", "b"]),
        ("status", ["a", "b", "c"]),
        ("-status", ["c", "b", "a"]),
        ("reference", ["a", "b", "c"]),
        ("-reference", ["c", "b", "a"]),
    ],
)
def test_each_header_sorts_the_queue_both_ways(client, people, three, sort, expected):
    client.force_login(people["caseworker"])
    assert _refs(client.get(QUEUE, {"sort": sort})) == expected


def test_equal_values_keep_a_stable_order_by_id(client, people, submit, payload):
    reports = [submit(payload(provider_reference=f"r{n}")) for n in range(4)]
    ProviderReport.objects.update(created_at=timezone.now())
    client.force_login(people["caseworker"])
    ascending = _refs(client.get(QUEUE, {"sort": "received"}))
    assert ascending == [r.provider_reference for r in sorted(reports, key=lambda r: r.pk)]
    assert _refs(client.get(QUEUE, {"sort": "-received"})) == ascending[::-1]


def test_the_current_sort_header_says_so_and_links_to_the_other_direction(client, people, three):
    client.force_login(people["caseworker"])
    body = client.get(QUEUE, {"sort": "target", "urgent": "false", "q": ""}).content.decode()
    assert 'aria-sort="ascending"' in body
    header = body.split('aria-sort="ascending"')[1].split("</th>")[0]
    assert 'href="/reports/?sort=-target&amp;urgent=false"' in header  # no empty "q="
    body = client.get(QUEUE, {"sort": "-target"}).content.decode()
    assert 'aria-sort="descending"' in body


@pytest.mark.parametrize(
    "hostile",
    ["created_at", "-", "--received", "provider__organisation__name", "'; DROP TABLE x", "pk)", ""],
)
def test_a_hostile_sort_value_keeps_the_default_order(client, people, three, hostile):
    client.force_login(people["caseworker"])
    response = client.get(QUEUE, {"sort": hostile})
    assert response.status_code == 200
    assert _refs(response) == _refs(client.get(QUEUE))
    assert 'aria-sort="' not in response.content.decode()


def test_the_queue_shows_open_work_by_default(client, people, submit, payload, organisations):
    submit(payload(provider_reference="received"))
    _propose(submit(payload(provider_reference="proposed")), people, organisations)
    _forward(submit(payload(provider_reference="forwarded")), people, organisations)
    closed = _forward(submit(payload(provider_reference="closed")), people, organisations)
    case_transition(case=closed, transition="close", actor=people["caseworker"])
    client.force_login(people["caseworker"])
    response = client.get(QUEUE)
    assert sorted(_refs(response)) == ["proposed", "received"]
    assert "Include finished cases" in response.content.decode()


def test_the_switch_includes_finished_cases(client, people, submit, payload, organisations):
    submit(payload(provider_reference="received"))
    _forward(submit(payload(provider_reference="forwarded")), people, organisations)
    client.force_login(people["caseworker"])
    response = client.get(QUEUE, {"include_closed": "1"})
    assert sorted(_refs(response)) == ["forwarded", "received"]
    assert "Open work only" in response.content.decode()


def test_choosing_a_finished_status_shows_it(client, people, submit, payload, organisations):
    _forward(submit(payload(provider_reference="forwarded")), people, organisations)
    client.force_login(people["caseworker"])
    assert _refs(client.get(QUEUE, {"status": "forwarded"})) == ["forwarded"]


def test_awaiting_approval_keeps_the_reports_with_a_pending_proposal(
    client, people, submit, payload, organisations
):
    _propose(submit(payload(provider_reference="proposed")), people, organisations)
    _start(submit(payload(provider_reference="assessed")), people["caseworker"])
    submit(payload(provider_reference="received"))
    client.force_login(people["supervisor"])
    response = client.get(QUEUE, {"awaiting_approval": "1"})
    assert _refs(response) == ["proposed"]
    assert "awaiting approval" in response.content.decode()


def test_a_decided_proposal_no_longer_awaits_approval(
    client, people, submit, payload, organisations
):
    _forward(submit(payload(provider_reference="forwarded")), people, organisations)
    client.force_login(people["supervisor"])
    assert _refs(client.get(QUEUE, {"awaiting_approval": "1", "include_closed": "1"})) == []


def _queries(client, params):  # noqa: ANN001, ANN202
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE, params)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_queue_never_counts_the_table(client, people, three):
    client.force_login(people["supervisor"])
    client.get(QUEUE)
    for params in ({}, {"sort": "-target"}, {"include_closed": "1"}, {"awaiting_approval": "1"}):
        assert not [sql for sql in _queries(client, params) if "COUNT(" in sql.upper()]


def test_sorting_and_the_open_default_cost_the_same_queries(
    client, people, three, organisations, submit, payload
):
    _forward(submit(payload(provider_reference="forwarded")), people, organisations)
    client.force_login(people["supervisor"])
    client.get(QUEUE)
    counts = {
        len(_queries(client, params))
        for params in (
            {},
            {"include_closed": "1"},
            {"awaiting_approval": "1"},
            *({"sort": key} for key in ("received", "-age", "target", "-status", "reference")),
            {"sort": "-target", "include_closed": "1", "country": "FR"},
        )
    }
    assert len(counts) == 1


def test_the_result_line_shows_the_rows_and_a_link_to_more(
    client, people, submit, payload, settings
):
    settings.LIST_PAGE_SIZE = 2
    for n in range(3):
        submit(payload(provider_reference=f"r{n}"))
    client.force_login(people["caseworker"])
    body = client.get(QUEUE, {"sort": "received"}).content.decode()
    assert "Showing 1–2" in body
    assert "sort=received&amp;page=2" in body
    body = client.get(QUEUE, {"sort": "received", "page": "2"}).content.decode()
    assert "Showing 3–3" in body


def test_the_csv_export_keeps_the_filters_and_the_sort(client, people, three):
    client.force_login(people["auditor"])
    response = client.get(QUEUE, {"sort": "-target", "status": "", "export": "csv"})
    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert "Company's reference" in header and "Time to target" in header
    column = header.index("Company's reference")
    assert [row[column] for row in rows] == ["a", "c", "b"]
    only = client.get(QUEUE, {"sort": "-target", "urgent": "true", "export": "csv"})
    assert len(b"".join(only.streaming_content).decode().splitlines()) == 1


def test_time_remaining_is_shown_per_row_with_its_state(client, people, three):
    ProviderReport.objects.filter(provider_reference="a").update(
        due_at=timezone.now() - dt.timedelta(hours=2, minutes=10)
    )
    client.force_login(people["caseworker"])
    body = client.get(QUEUE).content.decode()
    assert 'class="remaining remaining-overdue"' in body
    assert "overdue by 2 h" in body
    assert 'class="remaining remaining-soon"' in body  # b: under four hours left
    assert "1 h left" in body


def test_urgent_reports_carry_a_visible_tag(client, people, submit, payload):
    submit(payload(provider_reference="u", urgent=True, urgency_reason="Danger"))
    client.force_login(people["caseworker"])
    assert 'class="tag tag-urgent"' in client.get(QUEUE).content.decode()


# --- saved views ---------------------------------------------------------------------------


def test_a_user_saves_applies_and_deletes_a_view(client, people, three):
    client.force_login(people["caseworker"])
    response = client.post(
        QUEUE + "?urgent=false&sort=-target&page=3&export=csv&bogus=1", {"label": "Mine"}
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(owner=people["caseworker"])
    assert (saved.label, saved.list_name) == ("Mine", "reports:index")
    assert saved.query == "urgent=false&sort=-target"
    page = client.get(QUEUE)
    assert f"{QUEUE}?urgent=false&amp;sort=-target" in page.content.decode()
    applied = client.get(QUEUE + "?" + saved.query)
    assert _refs(applied) == ["a", "c", "b"]
    assert [v for v in applied.context["saved_views"] if v["current"]][0]["label"] == "Mine"
    client.post(QUEUE, {"delete_saved_filter": saved.pk})
    assert not SavedFilter.objects.exists()


def test_saving_under_a_used_name_replaces_the_view(client, people):
    client.force_login(people["caseworker"])
    client.post(QUEUE + "?urgent=true", {"label": "Mine"})
    client.post(QUEUE + "?urgent=false", {"label": " Mine "})
    assert list(SavedFilter.objects.values_list("label", "query")) == [("Mine", "urgent=false")]


def test_a_view_needs_a_name(client, people):
    client.force_login(people["caseworker"])
    response = client.post(QUEUE + "?urgent=true", {"label": "  "}, follow=True)
    assert "Give the view a name." in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_a_saved_view_is_validated_again_when_applied(client, people, three):
    client.force_login(people["caseworker"])
    client.post(QUEUE + "?country=ZZ&sort=nonsense", {"label": "Odd"})
    saved = SavedFilter.objects.get()
    response = client.get(QUEUE + "?" + saved.query)
    assert response.status_code == 200
    assert _refs(response) == []
    assert response.context["filterset"].errors


def test_nobody_sees_or_deletes_another_persons_saved_views(client, people):
    SavedFilter.objects.create(
        owner=people["caseworker2"], list_name="reports:index", label="Theirs", query="urgent=true"
    )
    client.force_login(people["caseworker"])
    body = client.get(QUEUE).content.decode()
    assert "Theirs" not in body
    saved = SavedFilter.objects.get()
    response = client.post(QUEUE, {"delete_saved_filter": saved.pk})
    assert response.status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_a_view_saved_on_one_list_is_not_offered_on_another(client, people):
    SavedFilter.objects.create(
        owner=people["caseworker"], list_name="reports:indicator_list", label="Hashes", query=""
    )
    client.force_login(people["caseworker"])
    assert "Hashes" not in client.get(QUEUE).content.decode()


def test_a_user_without_the_list_cannot_save_a_view_of_it(client, people):
    client.force_login(people["focal_point"])
    assert client.post(QUEUE, {"label": "Sneaky"}).status_code == 403
    assert not SavedFilter.objects.exists()


def test_my_urgent_keeps_my_open_urgent_reports(client, people, submit, payload, organisations):
    from reports.services import reports_assign

    mine = submit(payload(provider_reference="mine", urgent=True, urgency_reason="x"))
    theirs = submit(payload(provider_reference="theirs", urgent=True, urgency_reason="x"))
    calm = submit(payload(provider_reference="calm"))
    done = submit(payload(provider_reference="done", urgent=True, urgency_reason="x"))
    reports_assign(
        reports=[mine, calm, done], assignee=people["caseworker"], actor=people["supervisor"]
    )
    reports_assign(reports=[theirs], assignee=people["caseworker2"], actor=people["supervisor"])
    _forward(ProviderReport.objects.get(pk=done.pk), people, organisations)
    client.force_login(people["caseworker"])
    presets = {v["label"]: v["query"] for v in client.get(QUEUE).context["saved_views"]}
    assert _refs(client.get(QUEUE + "?" + presets["My urgent"])) == ["mine"]


def test_unassigned_keeps_the_open_reports_nobody_has(
    client, people, submit, payload, organisations
):
    from reports.services import reports_assign

    taken = submit(payload(provider_reference="taken"))
    submit(payload(provider_reference="free"))
    _forward(submit(payload(provider_reference="decided")), people, organisations)
    reports_assign(reports=[taken], assignee=people["caseworker"], actor=people["supervisor"])
    client.force_login(people["caseworker"])
    presets = {v["label"]: v["query"] for v in client.get(QUEUE).context["saved_views"]}
    assert _refs(client.get(QUEUE + "?" + presets["Unassigned"])) == ["free"]


# --- the country filter --------------------------------------------------------------------


def _country_options(response) -> list[str]:  # noqa: ANN001
    return [
        code for code, _label in response.context["filterset"].form["country"].field.widget.choices
    ]


def test_the_country_filter_offers_the_countries_of_the_queue_member_states_first(
    client, people, submit, payload
):
    submit(payload(provider_reference="a", countries=["NO", "FR"]))
    submit(payload(provider_reference="b", countries=["AT"]))
    client.force_login(people["caseworker"])
    response = client.get(QUEUE)
    assert _country_options(response) == ["AT", "FR", "NO"]
    body = response.content.decode()
    assert 'list="id_country_options"' in body and '<datalist id="id_country_options">' in body


def test_the_country_filter_takes_a_name_or_a_code(client, people, submit, payload):
    submit(payload(provider_reference="fr", countries=["FR"]))
    submit(payload(provider_reference="at", countries=["AT"]))
    client.force_login(people["caseworker"])
    assert _refs(client.get(QUEUE, {"country": "france"})) == ["fr"]
    assert _refs(client.get(QUEUE, {"country": "at"})) == ["at"]


def test_the_countries_offered_are_those_of_the_users_own_scope(
    people, submit, payload, organisations
):
    """The queue offers ``countries_in_queue_of(user)``: a user who sees part of the reports
    (here law enforcement, which sees what was forwarded to it) learns of no other country."""
    from reports.selectors import countries_in_queue_of

    forwarded = submit(payload(provider_reference="fwd", countries=["FR"]))
    submit(payload(provider_reference="other", countries=["NO", "PL", "DE"]))
    _forward(forwarded, people, organisations)
    assert [c.code for c in countries_in_queue_of(people["europol"])] == ["FR"]
    assert [c.code for c in countries_in_queue_of(people["police_de"])] == []
    assert [c.code for c in countries_in_queue_of(people["caseworker"])] == ["FR", "DE", "PL", "NO"]


def test_a_country_outside_the_queue_is_refused_like_an_unknown_one(
    client, people, submit, payload
):
    submit(payload(provider_reference="fr", countries=["FR"]))
    client.force_login(people["caseworker"])
    for value in ("PL", "Poland", "XX"):
        response = client.get(QUEUE, {"country": value})
        assert _refs(response) == []
        assert response.context["filterset"].errors["country"]


def test_law_enforcement_is_sent_to_its_own_list(client, people):
    client.force_login(people["police_fr"])
    response = client.get(QUEUE, {"sort": "-target"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/forwarded/"


# --- the indicator list --------------------------------------------------------------------


def test_the_indicator_list_sorts_by_its_headers(client, people):
    from reports.services import indicators_import
    from reports.tests.actors import IMPORTER

    from .conftest import hexhash

    lines = "".join(f"sha256,{hexhash(f'v{n}')},{category},\n" for n, category in enumerate("bca"))
    indicators_import(
        text="algorithm,value,category,source\n" + lines,
        source="list",
        status="active",
        actor=IMPORTER,
    )
    client.force_login(people["caseworker"])
    rows = client.get("/reports/indicators/", {"sort": "category"}).context["rows"]
    assert [r["object"].category for r in rows] == ["a", "b", "c"]
    rows = client.get("/reports/indicators/", {"sort": "-category"}).context["rows"]
    assert [r["object"].category for r in rows] == ["c", "b", "a"]
    assert client.get("/reports/indicators/", {"sort": "value"}).status_code == 200


def test_a_refused_bulk_assignment_shows_the_list_sorted_with_links_to_the_list(
    client, people, three
):
    client.force_login(people["supervisor"])
    response = client.post(
        "/reports/assign/",
        {"reports": ["RPT-NOPE"], "assignee": "nobody-here", "query": "sort=-target&urgent=false"},
    )
    assert response.status_code == 400
    rows = response.context["rows"]
    assert [row["object"].provider_reference for row in rows] == ["a", "c", "b"]
    body = response.content.decode()
    assert 'href="/reports/?sort=target&amp;urgent=false"' in body
    assert 'action="/reports/?sort=-target&amp;urgent=false" class="save-view-form"' in body
    assert 'action="/reports/assign/?' not in body
