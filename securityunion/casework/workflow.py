"""Workflows declared as data: each model with a ``status`` and a ``version`` lists its
statuses and transitions.

A ``Transition`` names its source statuses, its target, the capability needed to take it,
whether a reason is required and whether a second person must approve it (four eyes). The
``case_transition`` service in ``casework.services`` applies any of them; the detail page
offers, and the generic transition page accepts, exactly the transitions ``Workflow.available``
returns.

A transition that carries data (recipients, a reason code, the original of a duplicate)
declares a *validator*: ``case_transition`` runs it on every call, and again when a four-eyes
proposal is approved, so no caller can skip it. Such a transition is never offered on the
generic page (it cannot supply the data): it is taken through its domain service.

A four-eyes transition may declare a *summary* (``ProposalSummary``): from a pending proposal's
data it lists what the decider is asked to approve (recipients, a reason code, the text the
company will receive). The approval panel shows these items before "Approve"; an app may also
register one later with ``casework.proposals.register_proposal_summary``.

Effects and validators are objects the workflow holds (callables that satisfy ``Effect`` and
``Validator``), bound when the workflow is built; the system checks in ``casework.checks``
verify at start-up that each of them accepts the keyword arguments it is called with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability


class WorkflowError(Exception):
    """A transition that the case's state does not allow."""


class StaleVersion(WorkflowError):
    """The case changed since the user loaded it."""


class Effect(Protocol):
    """What a transition does besides changing the status, inside its transaction.

    Called once the new status is set on ``case`` but before it is written, so that rows the
    effect fills in (reasons, decision times) are in place when the database checks the new
    status's constraints. ``previous`` is the status the case leaves.
    """

    def __call__(
        self, *, case: Any, actor: Any, data: dict[str, Any], reason: str, previous: str
    ) -> None: ...


class Validator(Protocol):
    """Checks a transition's data for ``case`` and ``actor``; returns it in canonical form.

    Raises ``django.core.exceptions.ValidationError`` (keyed by field) when the data is not
    acceptable. Must accept its own output (it runs again when a proposal is approved).
    """

    def __call__(self, *, case: Any, actor: Any, data: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class SummaryItem:
    """One line of what a proposal would do, as the decider sees it before deciding.

    ``value`` is plain text, linked to ``url`` when given; ``values`` a list (recipients);
    ``quote`` marks text shown verbatim as a block (what the company will receive).
    """

    label: str
    value: str = ""
    url: str = ""
    values: tuple[str, ...] = ()
    quote: bool = False


class ProposalSummary(Protocol):
    """What a proposal of a transition would do, from its (validated) data and reason."""

    def __call__(self, *, case: Any, data: dict[str, Any], reason: str) -> list[SummaryItem]: ...


EFFECT_KEYWORDS = ("case", "actor", "data", "reason", "previous")
VALIDATOR_KEYWORDS = ("case", "actor", "data")
SUMMARY_KEYWORDS = ("case", "data", "reason")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    capability: str | tuple[str, ...]
    reason_required: bool = False
    four_eyes: bool = False
    approve_capability: str = ""
    style: str = "secondary"
    effect: Effect | None = None
    validator: Validator | None = None
    # What a four-eyes proposal of this transition would do, shown to the decider.
    summary: ProposalSummary | None = None
    # Offered on the detail page and accepted from the generic transition page. False for
    # transitions that only a service takes: every transition that carries data (it has a
    # validator), and those a company triggers through the API.
    manual: bool = True
    # How the timeline and the audit log name the transition once taken ("Assessment started")
    # and what a proposal of it is called ("Forwarding": "Forwarding proposed", "... approved").
    # Empty: "Status changed to <target>" and the action's own label.
    done_label: Any = ""
    noun: Any = ""

    @property
    def past_label(self) -> str:
        if self.done_label:
            return str(self.done_label)
        target = getattr(self.target, "label", None) or str(self.target).replace("_", " ")
        return _("Status changed to “%(status)s”") % {"status": target}

    @property
    def noun_label(self) -> str:
        return str(self.noun) if self.noun else f"“{self.label}”"

    @property
    def capabilities(self) -> tuple[str, ...]:
        return (self.capability,) if isinstance(self.capability, str) else self.capability

    def allowed(self, user: Any) -> bool:
        return any(has_capability(user, option) for option in self.capabilities)

    def __post_init__(self) -> None:
        if self.four_eyes and not self.approve_capability:
            raise ValueError(f"Transition {self.name}: four eyes needs an approve_capability")
        if self.validator is not None and self.manual:
            raise ValueError(
                f"Transition {self.name} carries data (it has a validator): it is taken through "
                "its domain service, so it must be declared manual=False"
            )


class Workflow:
    def __init__(
        self,
        *,
        initial: str,
        transitions: list[Transition],
        final: tuple[str, ...] = (),
        decided: tuple[str, ...] = (),
        create_capability: str = "",
        edit_capability: str = "",
        created_label: Any = "",
    ) -> None:
        self.initial = initial
        # How the timeline names a case's creation ("Report received"); empty: "<model> created".
        self.created_label = created_label
        # ``final``: nothing leaves these statuses. ``decided``: the case's question is answered
        # (forwarded, unfounded...) though a clerical step such as closing may remain. Neither
        # is work waiting for someone: together they are the ``finished`` statuses, and every
        # other status is open work (``open_statuses``), what a queue shows by default.
        self.final = final
        self.decided = decided
        # Who may create a case (``case_create``) and edit its fields (``case_update``); empty:
        # nobody through the shared services (deny by default).
        self.create_capability = create_capability
        self.edit_capability = edit_capability
        self._by_name = {t.name: t for t in transitions}
        if len(self._by_name) != len(transitions):
            raise ValueError("Transition names must be unique within a workflow")

    @property
    def transitions(self) -> list[Transition]:
        return list(self._by_name.values())

    @property
    def statuses(self) -> tuple[str, ...]:
        """Every status the workflow reaches: the initial one, then sources and targets in the
        order the transitions declare them."""
        seen: dict[str, None] = {str(self.initial): None}
        for t in self._by_name.values():
            for status in (*t.sources, t.target):
                seen.setdefault(str(status), None)
        return tuple(seen)

    @property
    def finished(self) -> tuple[str, ...]:
        """Decided and final statuses: no work waits on a case in one of them."""
        return tuple(dict.fromkeys(str(s) for s in (*self.decided, *self.final)))

    @property
    def open_statuses(self) -> tuple[str, ...]:
        finished = set(self.finished)
        return tuple(s for s in self.statuses if s not in finished)

    def is_open(self, status: str) -> bool:
        return str(status) not in self.finished

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise WorkflowError(f"Unknown transition {name!r}") from None

    def available(
        self,
        case: Any,
        user: Any,
        *,
        pending_approval: bool = False,
        including_services: bool = False,
    ) -> list[Transition]:
        """Transitions ``user`` may take now (no query per transition: capabilities are cached).

        By default those of the generic transition page; ``including_services`` adds the ones
        taken through a domain service (which a page offers with a form of its own).
        """
        return [
            t
            for t in self._by_name.values()
            if (t.manual or including_services)
            and case.status in t.sources
            and t.allowed(user)
            and not (t.four_eyes and pending_approval)
        ]

    def targets_from(self, status: str) -> list[Transition]:
        """Every transition that leaves ``status`` (manual or not)."""
        return [t for t in self._by_name.values() if status in t.sources]
