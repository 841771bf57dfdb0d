"""Form widgets the apps share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A select whose options are written in Python rather than one template each.

    The markup is Django's own; for the 251 countries it renders in about a millisecond instead
    of some twenty, which is most of a list page's filter form.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    "" if option["value"] is None else option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above  # nosec B308, B703


class FlagInput(forms.CheckboxInput):
    """A checkbox that reads and writes ``name=1`` (``?include_closed=1``): ticked for ``1``,
    ``true`` or ``on``, unticked for anything else, so a link can set it as a form would."""

    TRUE_VALUES = frozenset({"1", "true", "on", "yes"})

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, check_test=self.is_set)

    @classmethod
    def is_set(cls, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in cls.TRUE_VALUES

    def format_value(self, value: Any) -> str:
        return "1"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        return self.is_set(data.get(name, ""))


class DatalistInput(forms.TextInput):
    """A text input offering ``choices`` through a ``<datalist>``: the browser filters them as
    the user types (searchable without JavaScript). Options render as ``value`` with a label."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices: list[tuple[str, str]] = []

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}_options"
        attrs["list"] = list_id
        attrs.setdefault("autocomplete", "off")
        field = super().render(name, value, attrs, renderer)
        options = "".join(
            format_html('<option value="{}">{}</option>', key, label) for key, label in self.choices
        )
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            field,
            list_id,
            mark_safe(options),  # noqa: S308  # nosec B308, B703
        )
