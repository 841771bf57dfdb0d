"""``{% load su_time %}``: ``{{ at|when }}``, ``{{ day|day }}``, ``{{ due|remaining }}`` and
``{{ due|remaining_state }}``: the one date format of pages and PDFs (securityunion.lib.timefmt)."""

from typing import Any

from django import template
from django.utils.html import format_html

from securityunion.lib import timefmt

register = template.Library()


@register.filter(expects_localtime=False)
def when(value: Any, tz: Any = None) -> str:
    return timefmt.format_datetime(value, tz)


@register.filter(expects_localtime=False)
def day(value: Any, tz: Any = None) -> str:
    return timefmt.format_date(value, tz)


@register.filter(expects_localtime=False)
def remaining(value: Any) -> str:
    return timefmt.time_remaining(value)


@register.filter(expects_localtime=False)
def remaining_state(value: Any) -> str:
    return timefmt.remaining_state(value)


@register.simple_tag
def time_tag(value: Any, tz: Any = None) -> str:
    """``<time datetime="ISO">3 Dec 2026, 18:11 CET</time>``; empty for None."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), timefmt.format_datetime(value, tz)
    )
