"""Workflows declared as data: each case model lists its statuses and transitions.

A ``Transition`` names its source statuses, its target, the capability needed to take it,
whether a reason is required and whether a second person must approve it (four eyes). The
``case_transition`` service in ``casework.services`` applies any of them; the detail page
offers exactly the transitions ``Workflow.available`` returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from securityunion.access.policy import has_capability


class WorkflowError(Exception):
    """A transition that the case's state does not allow."""


class StaleVersion(WorkflowError):
    """The case changed since the user loaded it."""


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
    # Called inside the transition's transaction once the status has changed:
    # ``effect(case=..., actor=..., data=..., reason=...)``; e.g. create forwardings, send notices.
    effect: Callable[..., None] | None = None
    # Offered on the detail page; False for transitions that only a service takes (for
    # example when a company answers an information request through the API).
    manual: bool = True

    def allowed(self, user: Any) -> bool:
        options = (self.capability,) if isinstance(self.capability, str) else self.capability
        return any(has_capability(user, option) for option in options)

    def __post_init__(self) -> None:
        if self.four_eyes and not self.approve_capability:
            raise ValueError(f"Transition {self.name}: four eyes needs an approve_capability")


class Workflow:
    def __init__(
        self,
        *,
        initial: str,
        transitions: list[Transition],
        final: tuple[str, ...] = (),
    ) -> None:
        self.initial = initial
        self.final = final
        self._by_name = {t.name: t for t in transitions}
        if len(self._by_name) != len(transitions):
            raise ValueError("Transition names must be unique within a workflow")

    @property
    def transitions(self) -> list[Transition]:
        return list(self._by_name.values())

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise WorkflowError(f"Unknown transition {name!r}") from None

    def available(
        self, case: Any, user: Any, *, pending_approval: bool = False
    ) -> list[Transition]:
        """Transitions ``user`` may take now (no query per transition: capabilities are cached)."""
        return [
            t
            for t in self._by_name.values()
            if t.manual
            and case.status in t.sources
            and t.allowed(user)
            and not (t.four_eyes and pending_approval)
        ]
