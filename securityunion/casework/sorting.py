"""Sorting a list by its column headers: ``?sort=received`` or ``?sort=-received``.

A list declares the keys it may be sorted by and, for each, the ascending order (field names,
``-field`` for a field that runs the other way, or query expressions). Anything else in
``sort`` is ignored: the list keeps its default order, so a hostile value changes nothing.
Every order ends with the primary key in the same direction, so rows with equal values keep one
stable order from page to page, and a descending sort is the exact reverse of the ascending one
(except that rows without a value stay last either way).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, F, IntegerField, OrderBy, Value, When

SORT_PARAMETER = "sort"


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool = False

    @property
    def value(self) -> str:
        """The ``sort`` parameter that asks for this order."""
        return f"-{self.key}" if self.descending else self.key

    @property
    def aria(self) -> str:
        return "descending" if self.descending else "ascending"


def parse_sort(raw: str | None, allowed: Mapping[str, Any]) -> Sort | None:
    """The requested sort if its key is one of ``allowed``; None (the default order) otherwise."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    if not key or key not in allowed:
        return None
    return Sort(key, descending)


def _order_by(term: Any, descending: bool) -> OrderBy:
    if isinstance(term, str):
        reverse = term.startswith("-")
        expression: Any = F(term.lstrip("-"))
    elif isinstance(term, OrderBy):
        reverse, expression = term.descending, term.expression
    else:
        reverse, expression = False, term
    return OrderBy(expression, descending=reverse != descending, nulls_last=True)


def apply_sort(qs: models.QuerySet, sort: Sort, terms: Sequence[Any]) -> models.QuerySet:
    """``qs`` ordered by ``terms`` (ascending as declared), then by primary key."""
    return qs.order_by(*(_order_by(t, sort.descending) for t in (*terms, "pk")))


def status_rank(statuses: Sequence[str], field: str = "status") -> Case:
    """An expression ranking ``field`` by the position of its value in ``statuses`` (the order
    a workflow goes through them), for sorting by status in workflow order rather than by name.
    """
    return Case(
        *(When(**{field: status}, then=Value(index)) for index, status in enumerate(statuses)),
        default=Value(len(statuses)),
        output_field=IntegerField(),
    )
