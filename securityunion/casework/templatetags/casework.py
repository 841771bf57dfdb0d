from typing import Any

from django import template

register = template.Library()


@register.filter
def dict_items(value: Any) -> list[tuple[Any, Any]]:
    """``{% for k, v in data|dict_items %}``: safe where a key is itself called "items"."""
    return sorted(value.items()) if isinstance(value, dict) else []
