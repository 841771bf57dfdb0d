"""One date and time format for pages, CSV and PDF, and deadlines as time remaining.

Times are shown in the reader's time zone (the one activated for the request, or passed in)
with the zone named: ``3 Dec 2026, 18:11 CET``. Dates alone: ``3 Dec 2026``. A deadline is
shown as what is left of it: ``3 h left``, ``overdue by 2 h``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.translation import gettext as _

DATETIME_FORMAT = "j M Y, H:i T"
DATE_FORMAT = "j M Y"


def _zone(tz: Any) -> dt.tzinfo:
    if tz is None or tz == "":
        return timezone.get_current_timezone()
    if isinstance(tz, str):
        try:
            return zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return timezone.get_current_timezone()
    return tz


def user_zone(user: Any) -> dt.tzinfo | None:
    """The zone ``user`` reads times in (their ``time_zone``); ``None``: the system's default.

    For work done away from the user's request (a PDF rendered by a worker):
    ``with timezone.override(user_zone(user)): ...``.
    """
    name = getattr(user, "time_zone", "") or ""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def format_datetime(value: dt.datetime | str | None, tz: Any = None) -> str:
    """``3 Dec 2026, 18:11 CET`` in ``tz`` (default: the active time zone); "" for None."""
    if value is None or value == "":
        return ""
    value = _parsed(value)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return django_format(value.astimezone(_zone(tz)), DATETIME_FORMAT)
    return format_date(value)


def _parsed(value: Any) -> Any:
    """An ISO 8601 string (kept in JSON) as a datetime or date; other values as they are."""
    if isinstance(value, str):
        from django.utils.dateparse import parse_date, parse_datetime

        try:
            return parse_datetime(value) or parse_date(value) or value
        except ValueError:
            return value
    return value


def format_date(value: dt.date | dt.datetime | str | None, tz: Any = None) -> str:
    """``3 Dec 2026``; a datetime is first put in ``tz`` (default: the active time zone)."""
    if value is None or value == "":
        return ""
    value = _parsed(value)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        value = value.astimezone(_zone(tz)).date()
    if not isinstance(value, dt.date):
        return str(value)  # not a date at all: shown as it is, never an error page
    return django_format(value, DATE_FORMAT)


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return _("%(n)d min") % {"n": max(minutes, 1)}
    hours = minutes // 60
    if hours < 48:
        return _("%(n)d h") % {"n": hours}
    days, rest = divmod(hours, 24)
    if rest and days < 7:
        return _("%(d)d d %(h)d h") % {"d": days, "h": rest}
    return _("%(n)d d") % {"n": days}


def time_remaining(due: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """What is left until ``due``: ``3 h left``, ``overdue by 2 h``; "" when there is no due."""
    if due is None:
        return ""
    seconds = (due - (now or timezone.now())).total_seconds()
    if seconds >= 0:
        return _("%(span)s left") % {"span": _span(seconds)}
    return _("overdue by %(span)s") % {"span": _span(-seconds)}


def remaining_state(
    due: dt.datetime | None, now: dt.datetime | None = None, soon_hours: int = 4
) -> str:
    """``overdue``, ``soon`` (under ``soon_hours``) or ``ok``, for a CSS class; "" without due."""
    if due is None:
        return ""
    seconds = (due - (now or timezone.now())).total_seconds()
    if seconds < 0:
        return "overdue"
    return "soon" if seconds < soon_hours * 3600 else "ok"
