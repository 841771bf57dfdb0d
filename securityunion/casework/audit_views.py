"""The audit browser for auditors: filter by actor, verb, object and period; export as CSV.

Events read as sentences (``event_labels``: "Forwarding proposed to Europol"), objects by
their names ("Provider report"), times in the reader's zone; the raw data stays in a column of
its own, since the log is evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import django_filters
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from securityunion.audit.models import AuditEvent
from securityunion.audit.verbs import Verb

from .event_labels import actor_display, actor_names, describe, model_for
from .filters import PeriodFilterSet
from .views import Column, ScopedListView

# The applications whose records the log is about (Django's own bookkeeping is left out).
_PROJECT_APPS = ("securityunion", "reports", "victims", "firearms", "drugs", "prevention")
_ALSO_AUDITED = ("oauth2_provider.application",)


def object_type_choices() -> list[tuple[str, str]]:
    """``(app_label.model, "Provider report")`` for every model events can be about, by name.

    A name two applications share ("Indicator") says whose it is.
    """
    found = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in _ALSO_AUDITED or model.__module__.split(".")[0] in _PROJECT_APPS:
            found.append((label, model))
    names = [str(m._meta.verbose_name) for _label, m in found]
    choices = []
    for label, model in found:
        name = str(model._meta.verbose_name)
        name = name[:1].upper() + name[1:]
        if names.count(str(model._meta.verbose_name)) > 1:
            name = f"{name} ({model._meta.app_config.verbose_name})"
        choices.append((label, name))
    return sorted(choices, key=lambda c: c[1].lower())


def verb_choices() -> list[tuple[str, str]]:
    return sorted(
        ((value, str(label)[:1].upper() + str(label)[1:]) for value, label in Verb.choices),
        key=lambda c: c[1].lower(),
    )


def object_type_name(object_type: str) -> str:
    model = model_for(object_type)
    if model is None:
        return object_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


class AuditEventFilterSet(PeriodFilterSet):
    period_field = "at"

    actor = django_filters.CharFilter(
        label=_("Actor (user name)"), field_name="actor_label", lookup_expr="iexact"
    )
    verb = django_filters.ChoiceFilter(label=_("What"), choices=verb_choices)
    object_type = django_filters.ChoiceFilter(label=_("Object"), choices=object_type_choices)
    object_id = django_filters.CharFilter(label=_("Object id"))
    country = django_filters.CharFilter(label=_("Country code"), lookup_expr="iexact")

    class Meta:
        model = AuditEvent
        fields = ["actor", "verb", "object_type", "object_id", "country"]


def _object(event: AuditEvent) -> str:
    """ "Provider report RPT-2026-000011 (#11)": what the event is about, by name and id."""
    if not event.object_type:
        return ""
    name = object_type_name(event.object_type)
    repr_ = event.object_repr if event.object_repr != event.object_id else ""
    return " ".join(part for part in (name, repr_, f"(#{event.object_id})") if part)


def _details(event: AuditEvent) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(event.data.items()))[:300]


def label_events(events: list[AuditEvent]) -> list[AuditEvent]:
    """Set ``label``, ``detail`` and ``actor_name`` on each event, naming them all at once."""
    labels = describe(events)
    people = actor_names(events)
    for event, label in zip(events, labels, strict=True):
        event.label = label.text
        event.detail = label.detail
        data = event.data if isinstance(event.data, dict) else {}
        event.actor_name = actor_display(event.actor_label, data, people)
    return events


def _chunks(events: Iterable[AuditEvent], size: int = 500) -> Iterator[AuditEvent]:
    chunk: list[AuditEvent] = []
    for event in events:
        chunk.append(event)
        if len(chunk) == size:
            yield from label_events(chunk)
            chunk = []
    if chunk:
        yield from label_events(chunk)


class _LabelledQuerySet:
    """Wraps the export's queryset so that its rows are labelled a chunk at a time."""

    def __init__(self, qs: Any) -> None:
        self.qs = qs

    def __getitem__(self, key: Any) -> _LabelledQuerySet:
        return _LabelledQuerySet(self.qs[key])

    def iterator(self, chunk_size: int = 2000) -> Iterator[AuditEvent]:
        return _chunks(self.qs.iterator(chunk_size=chunk_size))


class AuditEventListView(ScopedListView):
    model = AuditEvent
    required_capability = "audit_view_log"
    filterset_class = AuditEventFilterSet
    title = _("Audit log")
    export_name = "audit-log"
    empty_text = _("No audit event matches these filters.")
    columns = (
        Column(_("#"), "id"),
        Column(_("When"), "at"),
        Column(_("Who"), "actor_name"),
        Column(_("What"), lambda e: f"{e.label} — {e.detail}" if e.detail else e.label),
        Column(_("Object"), _object),
        Column(_("Country"), "country"),
        Column(_("IP"), "ip"),
        Column(_("Recorded data"), _details),
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        label_events(kwargs["page"].object_list)
        return super().get_context_data(**kwargs)

    def export_csv(self, qs: Any):  # noqa: ANN201
        return super().export_csv(_LabelledQuerySet(qs))
