"""CSV export: streamed, with cells that cannot become spreadsheet formulas."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import StreamingHttpResponse

from securityunion.lib.timefmt import format_date, format_datetime

# A spreadsheet reads a cell as a formula when it starts with one of these; and a locale whose
# separator is ";" (or a cell that a spreadsheet splits on ",") starts a formula after it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_SEPARATOR = (";=", ",=")


def safe_cell(value: Any) -> str:
    """``value`` as text that no spreadsheet, in any locale, evaluates: a leading apostrophe
    neutralises a cell that starts a formula or holds one after a separator (CSV injection).

    Dates and times take the one format of the pages and PDFs, in the reader's time zone with
    the zone named (``3 Dec 2026, 13:00 CET``): a CSV is read by people, and every cell says
    which zone it is in."""
    if isinstance(value, datetime.datetime):
        value = format_datetime(value)
    elif isinstance(value, datetime.date):
        value = format_date(value)
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) or any(s in text for s in _FORMULA_AFTER_SEPARATOR):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([safe_cell(v) for v in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
