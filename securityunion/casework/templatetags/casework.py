from typing import Any

from django import template

register = template.Library()


@register.filter
def dict_items(value: Any) -> list[tuple[Any, Any]]:
    """``{% for k, v in data|dict_items %}``: safe where a key is itself called "items"."""
    return sorted(value.items()) if isinstance(value, dict) else []


@register.filter(expects_localtime=False)
def iso_datetime(value: Any) -> Any:
    """An ISO 8601 string kept in JSON (an API payload) as a datetime, for the ``date`` filter.

    Anything that does not parse is shown as it is.
    """
    from django.utils.dateparse import parse_datetime

    if not isinstance(value, str):
        return value
    try:
        return parse_datetime(value) or value
    except ValueError:
        return value
