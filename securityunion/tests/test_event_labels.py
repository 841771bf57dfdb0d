"""The sentences of events: the workflow's declarations, with sensible defaults, and the data
keys apps register."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import models

from securityunion.audit import verbs
from securityunion.casework import event_labels
from securityunion.casework.event_labels import describe, register_event_key
from securityunion.casework.workflow import Transition, Workflow


class Status(models.TextChoices):
    OPEN = "open", "Open"
    SHUT = "shut", "Shut down"


WORKFLOW = Workflow(
    initial=Status.OPEN,
    transitions=[
        Transition("shut", "Shut it", (Status.OPEN,), Status.SHUT, "x"),
        Transition(
            "reopen",
            "Reopen",
            (Status.SHUT,),
            Status.OPEN,
            "x",
            four_eyes=True,
            approve_capability="y",
            done_label="Reopened",
            noun="Reopening",
        ),
    ],
)


class Thing:
    workflow = WORKFLOW

    class _meta:  # noqa: N801 - what ``describe`` reads of a model
        verbose_name = "thing"


@dataclass
class Event:
    verb: str
    data: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch):
    """Keys registered here do not outlive the test."""
    monkeypatch.setattr(event_labels, "_keys", dict(event_labels._keys))


def _texts(*events: Event) -> list[str]:
    return [label.text for label in describe(list(events), model=Thing)]  # type: ignore[arg-type]


def test_a_transition_without_a_past_tense_says_which_status_it_reached():
    assert _texts(Event(verbs.TRANSITION, {"transition": "shut"})) == [
        "Status changed to “Shut down”"
    ]


def test_a_transition_reads_in_its_declared_past_tense():
    assert _texts(Event(verbs.TRANSITION, {"transition": "reopen"})) == ["Reopened"]


def test_a_proposal_and_its_sending_back_use_the_transitions_noun():
    assert _texts(
        Event(verbs.TRANSITION, {"proposed": "reopen"}),
        Event(verbs.TRANSITION, {"sent_back": "reopen"}),
        Event(verbs.TRANSITION, {"proposed": "shut"}),
    ) == ["Reopening proposed", "Reopening sent back", "“Shut it” proposed"]


def test_a_registered_key_is_named_once_for_all_events_and_joins_the_sentence():
    calls = []

    def names(values: set[Any]) -> dict[Any, str]:
        calls.append(set(values))
        return {1: "Alpha", 2: "Beta"}

    register_event_key("test_parties", resolve=names, phrase="with %(names)s")
    texts = _texts(
        Event(verbs.TRANSITION, {"proposed": "reopen", "test_parties": [1, 2]}),
        Event(verbs.TRANSITION, {"transition": "reopen", "test_parties": [2]}),
    )
    assert texts == ["Reopening proposed with Alpha, Beta", "Reopened with Beta"]
    assert calls == [{1, 2}]


def test_a_key_that_means_something_else_elsewhere_is_named_only_beside_its_marker():
    calls = []
    register_event_key(
        "test_to", resolve=lambda v: calls.append(v) or {}, phrase="to %(names)s", only_with="x"
    )
    assert _texts(Event(verbs.TRANSITION, {"transition": "shut", "test_to": "open"})) == [
        "Status changed to “Shut down”"
    ]
    assert calls == []


def test_an_unknown_event_falls_back_to_its_verb():
    assert _texts(Event(verbs.LOGIN), Event(verbs.CREATE)) == ["Signed in", "Thing created"]


def test_a_notification_says_who_was_told_about_which_case():
    texts = _texts(
        Event(verbs.NOTIFICATION_SENT, {"case": "RPT-2026-000001", "channel": "in_app"}),
        Event(verbs.NOTIFICATION_FAILED, {"case": "RPT-2026-000001", "channel": "email"}),
    )
    assert texts == ["Told about RPT-2026-000001", "Could not be told about RPT-2026-000001"]
