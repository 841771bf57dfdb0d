from datetime import UTC, datetime

from django.template import Context, Template
from django.utils import timezone


def _render(text: str, **context: object) -> str:
    return Template("{% load casework %}" + text).render(Context(context))


def test_an_iso_string_from_a_payload_renders_in_the_users_time_zone():
    with timezone.override("Europe/Brussels"):
        out = _render('{{ at|iso_datetime|date:"Y-m-d H:i T" }}', at="2026-11-01T09:58:00Z")
    assert out == "2026-11-01 10:58 CET"


def test_a_value_that_is_not_a_date_is_left_as_it_is():
    assert _render("{{ at|iso_datetime }}", at="yesterday") == "yesterday"


def test_a_datetime_passes_through():
    moment = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    assert _render('{{ at|iso_datetime|date:"Y-m-d" }}', at=moment) == "2026-01-02"
