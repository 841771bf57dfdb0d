"""What a role sees of a case: one decision per (user, case), rendered three times.

The access policy decides *which* cases a user sees (rows). This module carries the second
level (DESIGN.md section 4): *what of a case* a role sees, per section and per field. Each app
declares it once, in its ``selectors.py``, as a function ``(user, case) -> CaseView`` that it
registers with ``register_case_view``; the detail page, the PDF case file and the API all
render that one ``CaseView`` and never filter a section themselves.

A ``CaseView`` holds only the sections the user may see. Each ``Section`` carries its rows
(already narrowed: a law-enforcement user's forwardings are its own organisation's) and the
fields of those rows the user may see (``None``: every field). A section that is not in the
view is hidden: ``view["holds"]`` is then a falsy empty section, so a template can write
``{% if case_view.holds %}`` and ``{% if case_view.holds.shows.reason %}`` without knowing the
rules.

Timelines are sections of audit events. Their ``fields`` name the keys of an event's ``data``
the user may see; ``CaseView.events`` turns the section's queryset into ``TimelineEntry`` rows
with only those keys, so a rendering cannot show a key the decision withheld.

Models without a registered function get ``full_case_view``: every section, as before this
module existed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

# Section names shared by the apps' declarations and the templates.
SUMMARY = "summary"
REPORTED_USER = "reported_user"
ITEMS = "items"
EARLIER = "earlier"
FORWARDINGS = "forwardings"
HOLDS = "holds"
NOTICES = "notices"
APPROVALS = "approvals"
OUTCOME = "outcome"
TIMELINE = "timeline"
AUDIT_EXCERPT = "audit_excerpt"


class Fields:
    """The fields of a section a user may see; ``fields["reason"]`` is a bool (templates)."""

    def __init__(self, names: Iterable[str] | None) -> None:
        self.names = None if names is None else frozenset(names)

    def __contains__(self, name: object) -> bool:
        return self.names is None or name in self.names

    def __getitem__(self, name: str) -> bool:
        return name in self

    def __repr__(self) -> str:
        return "Fields(all)" if self.names is None else f"Fields({sorted(self.names)})"


@dataclass(frozen=True)
class Section:
    """A section the user sees: its rows (a list or queryset, if it has rows), the fields of
    them the user sees (``None``: all), and values the decision computed (``data``)."""

    name: str
    rows: Any = ()
    fields: frozenset[str] | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return True

    @property
    def shows(self) -> Fields:
        return Fields(self.fields)


class _HiddenSection:
    """What ``view[name]`` gives for a section the user may not see: empty and false."""

    rows: tuple = ()
    fields: frozenset[str] = frozenset()
    data: Mapping[str, Any] = {}

    def __init__(self, name: str) -> None:
        self.name = name

    def __bool__(self) -> bool:
        return False

    @property
    def shows(self) -> Fields:
        return Fields(())


@dataclass(frozen=True)
class TimelineEntry:
    """One audit event as a user may see it: ``data`` holds only the keys they may see, and
    ``subject`` names the row the event is about (a recipient, say) when the view knows it."""

    id: int
    at: Any
    actor_label: str
    verb: str
    verb_display: str
    data: Mapping[str, Any]
    subject: str = ""
    # What happened, as a sentence ("Forwarding proposed to Europol"), from only the keys in
    # ``data``; ``detail`` says more where there is more; ``actor_name`` who acted.
    label: str = ""
    detail: str = ""
    actor_name: str = ""

    def get_verb_display(self) -> str:
        return self.verb_display


@dataclass(frozen=True)
class CaseView:
    """What ``audience`` (a label: "centre", "law_enforcement", ...) sees of ``case``."""

    case: Any
    audience: str
    sections: Mapping[str, Section]
    # Labels for timeline entries: data key -> {value -> label}, e.g. forwarding id -> recipient.
    subjects: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Section | _HiddenSection:
        return self.sections.get(name) or _HiddenSection(name)

    def shows(self, section: str, field_name: str | None = None) -> bool:
        found = self.sections.get(section)
        if found is None:
            return False
        return field_name is None or field_name in found.shows

    def rows(self, section: str) -> list[Any]:
        found = self.sections.get(section)
        return list(found.rows) if found is not None else []

    def events(
        self, section: str = TIMELINE, *, newest_first: bool = True, limit: int = 100
    ) -> list[TimelineEntry]:
        """The section's audit events, newest or oldest first, at most ``limit`` of them."""
        found = self.sections.get(section)
        if found is None:
            return []
        from .event_labels import actor_display, actor_names, describe

        qs = list(found.rows.order_by("-id" if newest_first else "id")[:limit])
        keys = found.fields
        visible_data = []
        for event in qs:
            data = event.data if isinstance(event.data, dict) else {}
            if keys is not None:
                data = {k: v for k, v in data.items() if k in keys}
            visible_data.append(data)
        # Described from the visible keys only, with every name resolved once for the page.
        labels = describe(
            [_Described(e.verb, d) for e, d in zip(qs, visible_data, strict=True)],
            model=type(self.case),
        )
        people = actor_names(qs)
        return [
            TimelineEntry(
                id=event.id,
                at=event.at,
                actor_label=event.actor_label,
                verb=event.verb,
                verb_display=str(event.get_verb_display()),
                data=data,
                subject=self._subject(data),
                label=label.text,
                detail=label.detail,
                actor_name=actor_display(event.actor_label, data, people),
            )
            for event, data, label in zip(qs, visible_data, labels, strict=True)
        ]

    def _subject(self, data: Mapping[str, Any]) -> str:
        for key, labels in self.subjects.items():
            if key in data and data[key] in labels:
                return labels[data[key]]
        return ""


@dataclass(frozen=True)
class _Described:
    verb: str
    data: Mapping[str, Any]


CaseViewFunction = Callable[[Any, Any], CaseView]

_case_views: dict[type[models.Model], CaseViewFunction] = {}


def register_case_view(model: type[models.Model], function: CaseViewFunction) -> None:
    """Declare ``function(user, case) -> CaseView`` as what users see of ``model``'s cases."""
    _case_views[model._meta.concrete_model] = function


def case_view_for(user: Any, case: models.Model) -> CaseView:
    """The one decision of what ``user`` sees of ``case`` (who fetched it through the policy)."""
    function = _case_views.get(type(case)._meta.concrete_model, full_case_view)
    return function(user, case)


def full_case_view(user: Any, case: models.Model, audience: str = "full") -> CaseView:
    """Every section: the summary, approvals (for workflow cases), the timeline (events other
    than reads) and the audit excerpt (every event, reads and exports included)."""
    from securityunion.audit import verbs
    from securityunion.audit.services import object_timeline

    from .services import approvals_for

    sections = [
        Section(SUMMARY),
        Section(TIMELINE, rows=object_timeline(case).exclude(verb=verbs.VIEW)),
        Section(AUDIT_EXCERPT, rows=object_timeline(case)),
    ]
    if getattr(type(case), "workflow", None) is not None:
        sections.append(Section(APPROVALS, rows=approvals_for(case)))
    return case_view(case, audience, sections)


def case_view(
    case: Any,
    audience: str,
    sections: Iterable[Section],
    subjects: Mapping[str, Mapping[Any, str]] | None = None,
) -> CaseView:
    """Build a ``CaseView`` from its sections (the helper apps' declarations use)."""
    return CaseView(
        case=case,
        audience=audience,
        sections={s.name: s for s in sections},
        subjects=subjects or {},
    )


def case_file_context(view: CaseView, *, limit: int = 500) -> dict[str, Any]:
    """The shared part of a PDF case file's context, from what its exporter sees: the
    decisions (four-eyes proposals) and the timeline, oldest first; with the reads and exports
    (the audit excerpt) only for those who see it."""
    with_reads = view.shows(AUDIT_EXCERPT)
    return {
        "object": view.case,
        "case_view": view,
        "show_decisions": view.shows(APPROVALS),
        "approvals": view.rows(APPROVALS),
        "timeline": view.events(
            AUDIT_EXCERPT if with_reads else TIMELINE, newest_first=False, limit=limit
        ),
        "timeline_with_reads": with_reads,
    }
