"""Pagination that never counts the table.

Pages are numbered but the page asks for one row more than it shows to know whether a next
page exists, and the page number is capped (``LIST_MAX_PAGES``): a user who needs row 10,001
narrows the filters instead. A page view costs the same at a thousand rows or a million.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet


@dataclass
class BoundedPage:
    object_list: list[Any]
    number: int
    per_page: int
    has_next: bool
    max_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.object_list) - 1 if self.object_list else 0

    @property
    def at_limit(self) -> bool:
        return self.number >= self.max_pages


def bounded_paginate(
    qs: QuerySet,
    page: str | int | None,
    *,
    per_page: int | None = None,
    max_pages: int | None = None,
) -> BoundedPage:
    per_page = per_page or settings.LIST_PAGE_SIZE
    max_pages = max_pages or settings.LIST_MAX_PAGES
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), max_pages)
    start = (number - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    has_next = len(rows) > per_page and number < max_pages
    return BoundedPage(rows[:per_page], number, per_page, has_next, max_pages)
