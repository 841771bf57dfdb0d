"""Sentences people read for audit events: the case timeline, the PDF case file, the audit log.

An event keeps what happened as a verb and a small JSON of data (``{"transition": "forward",
"recipients": [3, 5]}``); a reader wants "Forwarded to Europol, Bundeskriminalamt". Three
declarations make the sentence, none of them in a template:

- the workflow: each transition's past tense (``Transition.done_label``) and what a proposal
  of it is called (``Transition.noun``), and what a new case's creation reads as
  (``Workflow.created_label``);
- the data keys (``register_event_key``): how the values of a key become names, resolved in
  bulk for a whole page of events (one query per kind of name, never one per event), and the
  phrase they take in a sentence (``"to %(names)s"``);
- describers (``register_event_describer``) for events that a key marks: a legal hold placed,
  a forwarding acknowledged, a notice sent.

Only the data an entry carries is described. A timeline entry holds only the keys its reader
may see (``casework.visibility``), so a sentence cannot name what the reader's view withholds:
law enforcement, whose view drops ``recipients``, reads "Forwarded" and not the other
recipients.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from securityunion.lib import timefmt

Resolver = Callable[[set[Any]], Mapping[Any, str]]


@dataclass(frozen=True)
class EventKey:
    """How a data key reads: ``resolve`` turns its values into names (in bulk), ``phrase``
    (with ``%(names)s``) is how it joins a transition's sentence; empty: it does not."""

    key: str
    resolve: Resolver | None = None
    phrase: Any = ""
    only_with: str = ""


@dataclass(frozen=True)
class Label:
    """An event's sentence and, when there is more to say, a second one."""

    text: str
    detail: str = ""


_keys: dict[str, EventKey] = {}
_describers: dict[str, Callable[[DescribedEvent], Label | None]] = {}


def register_event_key(
    key: str, *, resolve: Resolver | None = None, phrase: Any = "", only_with: str = ""
) -> None:
    """Declare how the values of ``key`` in an event's data are named and read.

    ``resolve(values) -> {value: name}`` receives every value of the key on the page at once;
    keys sharing one resolver function are resolved together. ``only_with``: the key means
    this only in events whose data also holds that key (``to`` of a notice, not of a status).
    """
    _keys[key] = EventKey(key, resolve, phrase, only_with)


def register_event_describer(key: str, describer: Callable[[DescribedEvent], Label | None]) -> None:
    """Describe the events whose data holds ``key`` (``None``: let the generic rules speak)."""
    _describers[key] = describer


def user_names(usernames: set[Any]) -> dict[Any, str]:
    """User names to full names (the user name where there is none), in one query; a
    company's API client is named after its company."""
    from securityunion.accounts.models import User

    names = {}
    wanted = [u for u in usernames if isinstance(u, str) and u]
    rows = User.objects.filter(username__in=wanted).values_list(
        "username", "first_name", "last_name", "is_api_client", "organisation__name"
    )
    for username, first, last, api_client, organisation in rows:
        if api_client and organisation:
            names[username] = _("%(company)s (API)") % {"company": organisation}
            continue
        full = f"{first} {last}".strip()
        names[username] = full or username
    return names


def model_names(model: type[models.Model] | str, field: str = "pk") -> Resolver:
    """A resolver naming rows of ``model`` (``str()`` of each) by ``field``, in one query."""

    def resolve(values: set[Any]) -> dict[Any, str]:
        target = apps.get_model(model) if isinstance(model, str) else model
        wanted = [v for v in values if isinstance(v, int | str) and not isinstance(v, bool)]
        if field == "pk":
            wanted = [int(v) for v in wanted if str(v).isdigit()]
        found = {}
        for row in target._default_manager.filter(**{f"{field}__in": wanted}):
            found[getattr(row, field)] = str(row)
        return {v: found[_as_key(v, field)] for v in values if _as_key(v, field) in found}

    return resolve


def _as_key(value: Any, field: str) -> Any:
    if field == "pk" and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def choice_names(choices: Any) -> Resolver:
    """A resolver for values of a ``TextChoices`` (no query)."""

    def resolve(values: set[Any]) -> dict[Any, str]:
        labels = dict(choices.choices)
        return {v: str(labels[v]) for v in values if v in labels}

    return resolve


def humanize(value: str) -> str:
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def day_of(value: Any) -> str:
    """An ISO 8601 string kept in an event's data as a date in the reader's zone."""
    parsed = parse_datetime(value) if isinstance(value, str) else value
    return timefmt.format_date(parsed) if parsed else ""


class DescribedEvent:
    """What a describer reads: the event's verb and (visible) data, its names resolved."""

    def __init__(
        self,
        *,
        verb: str,
        data: Mapping[str, Any],
        model: type[models.Model] | None,
        names: Mapping[str, Mapping[Any, str]],
        subject: str = "",
    ) -> None:
        self.verb = verb
        self.data = data
        self.model = model
        self.subject = subject
        self._names = names

    def name(self, key: str) -> str:
        """The names of ``data[key]``, joined; the value itself when it has no name."""
        value = self.data.get(key)
        if value is None or value == "":
            return ""
        known = self._names.get(key, {})
        values = value if isinstance(value, list | tuple) else [value]
        names = [known.get(_hashable(v), str(v)) for v in values]
        # "Europol, EC3" is one name: then the names are set apart by semicolons.
        return ("; " if any("," in n for n in names) else ", ").join(names)

    def phrases(self) -> str:
        """The sentence fragments of the data keys that have one ("to Europol, BKA")."""
        parts = []
        for key, spec in _keys.items():
            if spec.only_with and spec.only_with not in self.data:
                continue
            if spec.phrase and self.data.get(key) not in (None, "", []):
                parts.append(str(spec.phrase) % {"names": self.name(key)})
        return " ".join(parts)

    @property
    def workflow(self) -> Any:
        return getattr(self.model, "workflow", None) if self.model is not None else None


def _hashable(value: Any) -> Any:
    return value if isinstance(value, int | str | float | bool | type(None)) else str(value)


def _values(value: Any) -> Iterable[Any]:
    if isinstance(value, list | tuple):
        return [_hashable(v) for v in value if not isinstance(v, dict | list)]
    if isinstance(value, dict):
        return []
    return [_hashable(value)]


def resolve_names(datas: Iterable[Mapping[str, Any]]) -> dict[str, dict[Any, str]]:
    """Every registered key's values across ``datas``, named with one call per resolver."""
    wanted: dict[Resolver, set[Any]] = {}
    keys_of: dict[Resolver, list[str]] = {}
    for data in datas:
        for key, value in data.items():
            spec = _keys.get(key)
            if spec is None or spec.resolve is None or value is None:
                continue
            if spec.only_with and spec.only_with not in data:
                continue
            wanted.setdefault(spec.resolve, set()).update(_values(value))
            if key not in keys_of.setdefault(spec.resolve, []):
                keys_of[spec.resolve].append(key)
    names: dict[str, dict[Any, str]] = {}
    for resolver, values in wanted.items():
        found = dict(resolver(values)) if values else {}
        for key in keys_of[resolver]:
            names[key] = found
    return names


def _sentence(text: str, extra: str) -> str:
    return f"{text} {extra}".strip() if extra else text


def _transition_label(event: DescribedEvent) -> Label | None:
    data = event.data
    workflow = event.workflow
    for marker in ("transition", "proposed", "sent_back"):
        name = data.get(marker)
        if isinstance(name, str) and name:
            break
    else:
        return None
    transition = None
    if workflow is not None:
        transition = next((t for t in workflow.transitions if t.name == name), None)
    done = transition.past_label if transition is not None else humanize(name)
    noun = transition.noun_label if transition is not None else humanize(name)
    if marker == "proposed":
        return Label(_sentence(_("%(noun)s proposed") % {"noun": noun}, event.phrases()))
    if marker == "sent_back":
        return Label(_("%(noun)s sent back") % {"noun": noun})
    if data.get("approval") and data.get("proposed_by"):
        return Label(
            _("%(noun)s approved") % {"noun": noun},
            _("%(done)s; proposed by %(who)s.")
            % {"done": _sentence(done, event.phrases()), "who": event.name("proposed_by")},
        )
    return Label(_sentence(done, event.phrases()))


def _generic_label(event: DescribedEvent) -> Label:
    from securityunion.audit import verbs

    data = event.data
    model_name = str(event.model._meta.verbose_name) if event.model is not None else ""
    if event.verb == verbs.CREATE:
        created = getattr(event.workflow, "created_label", "") if event.workflow else ""
        if created:
            return Label(str(created))
        if model_name:
            return Label(_("%(what)s created") % {"what": humanize(model_name)})
    if event.verb == verbs.UPDATE and isinstance(data.get("fields"), list):
        return Label(_("Details edited"), ", ".join(_field_names(event.model, data["fields"])))
    if event.verb == verbs.VIEW and isinstance(data.get("list"), str):
        what = model_for(data["list"])
        name = humanize(str(what._meta.verbose_name_plural)) if what else data["list"]
        ids = data.get("ids")
        count = len(ids) if isinstance(ids, list) else 0
        return Label(_("List viewed: %(what)s") % {"what": name}, _("%(n)d row(s)") % {"n": count})
    if event.verb == verbs.VIEW:
        return Label(_("Viewed through the API") if data.get("via") == "api" else _("Viewed"))
    if event.verb == verbs.EXPORT:
        if data.get("format") == "csv":
            what = model_for(str(data.get("list") or ""))
            name = humanize(str(what._meta.verbose_name_plural)) if what else _("a list")
            return Label(_("Exported as CSV: %(what)s") % {"what": name})
        return Label(_("PDF case file exported"))
    if event.verb in (verbs.NOTIFICATION_SENT, verbs.NOTIFICATION_FAILED):
        case = data.get("case") or ""
        if event.verb == verbs.NOTIFICATION_FAILED:
            text = _("Could not be told about %(case)s") if case else _("Could not be told")
        else:
            text = _("Told about %(case)s") if case else _("Told")
        channel = {"email": _("by e-mail"), "in_app": _("in the back office")}.get(
            str(data.get("channel")), ""
        )
        return Label(text % {"case": case}, str(channel))
    if event.verb == verbs.PERMISSION_DENIED:
        return Label(_("Refused"), str(data.get("reason") or data.get("why") or ""))
    return Label(humanize(str(dict(verbs.Verb.choices).get(event.verb, event.verb))))


def _field_names(model: type[models.Model] | None, fields: list[Any]) -> list[str]:
    names = []
    for name in fields:
        try:
            names.append(str(model._meta.get_field(str(name)).verbose_name))  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - FieldDoesNotExist, or no model: the name as it is
            names.append(humanize(str(name)))
    return names


def describe(
    events: Sequence[Any],
    *,
    model: type[models.Model] | None = None,
    names: Mapping[str, Mapping[Any, str]] | None = None,
) -> list[Label]:
    """One ``Label`` per event (objects with ``verb``, ``data`` and, without ``model``, an
    ``object_type``). The names are resolved once for all of them unless given."""
    if names is None:
        names = resolve_names(e.data for e in events if isinstance(e.data, dict))
    labels = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        described = DescribedEvent(
            verb=str(event.verb),
            data=data,
            model=model or model_for(getattr(event, "object_type", "")),
            names=names,
            subject=getattr(event, "subject", ""),
        )
        label = None
        for key, describer in _describers.items():
            if key in data:
                label = describer(described)
                if label is not None:
                    break
        if label is None:
            label = _transition_label(described)
        if label is None:
            label = _generic_label(described)
        labels.append(label)
    return labels


def model_for(object_type: str) -> type[models.Model] | None:
    """The model an audit event's ``object_type`` (``app_label.model``) names, if any."""
    if not object_type or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def actor_names(events: Sequence[Any]) -> dict[str, str]:
    """Each event actor's user name to their full name, in one query."""
    return user_names({e.actor_label for e in events if getattr(e, "actor_label", "")})


def actor_display(actor_label: str, data: Mapping[str, Any], names: Mapping[str, str]) -> str:
    if data.get("system_actor") or not actor_label or actor_label.startswith("system:"):
        return _("the system")
    return names.get(actor_label, actor_label)


# --- the shared layer's own keys ------------------------------------------------------------


def _assigned(event: DescribedEvent) -> Label | None:
    if "assignee" not in event.data:
        return None
    if not event.data.get("assignee"):
        return Label(_("Unassigned"))
    return Label(_("Assigned to %(name)s") % {"name": event.name("assignee")})


def _notice_types(values: set[Any]) -> dict[Any, str]:
    from .registry import notice_types

    return {v: str(notice_types[v].label) for v in values if v in notice_types}


def _notice(event: DescribedEvent) -> Label | None:
    from securityunion.audit import verbs

    if event.verb != verbs.CREATE or "notice_type" not in event.data:
        return None
    text = _("Notice sent to %(to)s: %(type)s") % {
        "to": event.name("to") or _("the company"),
        "type": event.name("notice_type"),
    }
    until = day_of(event.data.get("deferred_until"))
    return Label(text, _("Held back until %(day)s") % {"day": until} if until else "")


def register_shared_event_keys() -> None:
    """The keys the shared services write (assignment, approvals, notices)."""
    register_event_key("assignee", resolve=user_names)
    register_event_key("proposed_by", resolve=user_names)
    register_event_key(
        "to", resolve=model_names("accounts.Organisation", "slug"), only_with="notice"
    )
    register_event_key("notice_type", resolve=_notice_types)
    register_event_describer("assignee", _assigned)
    register_event_describer("notice", _notice)
