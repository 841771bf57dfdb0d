import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.utils import timezone

from securityunion.lib import timefmt

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_datetime_is_shown_in_the_given_zone_with_the_zone_named():
    assert timefmt.format_datetime(NOW, "Europe/Paris") == "3 Dec 2026, 13:00 CET"


def test_datetime_uses_the_active_time_zone_by_default():
    with timezone.override(zoneinfo.ZoneInfo("Europe/Lisbon")):
        assert timefmt.format_datetime(NOW) == "3 Dec 2026, 12:00 WET"


def test_date_of_a_datetime_is_the_readers_date():
    late = dt.datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    assert timefmt.format_date(late, "Europe/Paris") == "4 Dec 2026"


def test_none_is_an_empty_string():
    assert timefmt.format_datetime(None) == ""
    assert timefmt.time_remaining(None) == ""


def test_time_left_in_hours():
    assert timefmt.time_remaining(NOW + dt.timedelta(hours=3, minutes=10), NOW) == "3 h left"


def test_time_overdue():
    assert timefmt.time_remaining(NOW - dt.timedelta(hours=2, minutes=5), NOW) == "overdue by 2 h"


def test_minutes_and_days():
    assert timefmt.time_remaining(NOW + dt.timedelta(minutes=25), NOW) == "25 min left"
    assert timefmt.time_remaining(NOW + dt.timedelta(days=2, hours=4), NOW) == "2 d 4 h left"


def test_remaining_state():
    assert timefmt.remaining_state(NOW - dt.timedelta(minutes=1), NOW) == "overdue"
    assert timefmt.remaining_state(NOW + dt.timedelta(hours=1), NOW) == "soon"
    assert timefmt.remaining_state(NOW + dt.timedelta(hours=10), NOW) == "ok"


def test_template_filters():
    out = Template("{% load su_time %}{{ at|when:'Europe/Paris' }}|{% time_tag at 'UTC' %}").render(
        Context({"at": NOW})
    )
    expected = '<time datetime="2026-12-03T12:00:00+00:00">3 Dec 2026, 12:00 UTC</time>'
    assert out == "3 Dec 2026, 13:00 CET|" + expected


def test_an_iso_string_kept_in_json_takes_the_one_format():
    with timezone.override("Europe/Paris"):
        assert timefmt.format_datetime("2026-12-03T12:00:00Z") == "3 Dec 2026, 13:00 CET"


def test_text_that_is_no_date_is_shown_as_it_is():
    assert timefmt.format_datetime("not a time") == "not a time"
