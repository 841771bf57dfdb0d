"""The shared list machinery: sorting by header keys, open work per workflow, flags, presets."""

import pytest
from django.http import QueryDict

from securityunion.casework.filters import CaseQueueFilterSet
from securityunion.casework.saved_filters import saved_filter_query, saved_filter_save
from securityunion.casework.sorting import Sort, parse_sort
from securityunion.casework.widgets import FlagInput
from securityunion.casework.workflow import Transition, Workflow

ALLOWED = {"received": ("created_at",), "status": ("status",)}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("received", Sort("received")),
        ("-received", Sort("received", descending=True)),
        (" -status ", Sort("status", descending=True)),
        ("created_at", None),
        ("--received", None),
        ("-", None),
        ("", None),
        (None, None),
        ("received;DROP", None),
        ("__class__", None),
    ],
)
def test_only_declared_sort_keys_are_accepted(raw, expected):
    assert parse_sort(raw, ALLOWED) == expected


def test_a_sort_names_its_parameter_and_its_aria_state():
    assert Sort("received", descending=True).value == "-received"
    assert Sort("received").aria == "ascending"


def _workflow() -> Workflow:
    return Workflow(
        initial="new",
        final=("closed",),
        decided=("accepted", "refused"),
        transitions=[
            Transition("start", "Start", ("new",), "working", "x"),
            Transition("accept", "Accept", ("working",), "accepted", "x"),
            Transition("refuse", "Refuse", ("working",), "refused", "x"),
            Transition("close", "Close", ("accepted", "refused"), "closed", "x"),
        ],
    )


def test_a_workflow_declares_its_open_and_finished_statuses():
    workflow = _workflow()
    assert workflow.statuses == ("new", "working", "accepted", "refused", "closed")
    assert workflow.finished == ("accepted", "refused", "closed")
    assert workflow.open_statuses == ("new", "working")
    assert workflow.is_open("working") and not workflow.is_open("accepted")


def test_the_report_workflow_counts_decided_reports_as_finished():
    from reports.models import ProviderReport

    assert ProviderReport.workflow.open_statuses == (
        "received",
        "in_assessment",
        "awaiting_information",
    )


@pytest.mark.parametrize(
    ("value", "ticked"), [("1", True), ("true", True), ("on", True), ("0", False), ("", False)]
)
def test_a_flag_reads_one_and_true_as_ticked(value, ticked):
    assert FlagInput().value_from_datadict({"f": value}, {}, "f") is ticked


def test_a_ticked_flag_posts_one():
    html = FlagInput().render("include_closed", True, {"id": "id_include_closed"})
    assert 'value="1"' in html and "checked" in html


def test_a_queue_without_the_open_default_offers_no_switch(db):
    from reports.models import ProviderReport

    filterset = CaseQueueFilterSet(
        QueryDict(""), queryset=ProviderReport.objects.all(), open_only=False, approvals=False
    )
    assert "include_closed" not in filterset.filters
    assert "awaiting_approval" not in filterset.filters
    assert not filterset.shows_open_only


def test_a_saved_query_keeps_only_the_lists_own_parameters():
    params = QueryDict("status=received&page=4&export=csv&sort=-age&evil=1&urgent=")
    assert saved_filter_query(params, {"status", "sort", "urgent"}) == "status=received&sort=-age"


def test_saving_is_audited(make_user):
    from securityunion.audit.models import AuditEvent

    user = make_user("centre_caseworker", "BE")
    saved = saved_filter_save(owner=user, list_name="reports:index", label="Mine", query="a=1")
    assert AuditEvent.objects.filter(
        actor=user, verb="create", object_type="casework.savedfilter", object_id=str(saved.pk)
    ).exists()
