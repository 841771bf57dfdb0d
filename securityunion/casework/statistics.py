"""Transparency statistics: periods, the registry of figure sections, and bounded percentiles.

Each area contributes one or more *sections* of figures from its own ``apps.py``::

    register_statistics_section("reports", title=_("Reports"), compute=reports_figures)

``compute(period)`` returns a :class:`SectionFigures` (single figures, breakdowns, monthly
trends). The staff page, its CSV and PDF and the public page render every registered section
the same way, so a new section needs no template and no view. Sections compute their figures
from immutable event times (the audit log's transition events, creation times): a past
period recomputed later gives the same answer, however the cases moved on since.

Periods are calendar months, quarters and years in UTC, given as ``2026-11``, ``2026-Q4`` or
``2026``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, models
from django.db.models import Aggregate, Count, DurationField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# --- periods -------------------------------------------------------------------------------

FIRST_YEAR = 2000
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})|-[Qq]([1-4]))?", re.ASCII)
_MAX_PERIOD_LENGTH = 16


class InvalidPeriod(ValueError):
    """A period that cannot be read or is not available; the message says why (a 400)."""


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year in UTC: ``[start, end)``."""

    kind: str  # "month" | "quarter" | "year"
    year: int
    number: int = 0  # the month (1-12) or the quarter (1-4); 0 for a year

    @property
    def first_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number - 2}.get(self.kind, 1)

    @property
    def month_count(self) -> int:
        return {"month": 1, "quarter": 3}.get(self.kind, 12)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.first_month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return month_start(self.year, self.first_month, self.month_count)

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return date_format(self.start, "F Y")
        if self.kind == "quarter":
            return _("Q%(quarter)d %(year)d") % {"quarter": self.number, "year": self.year}
        return str(self.year)

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.end <= (now or timezone.now())

    def months(self) -> list[datetime]:
        """The first instant of each month of the period."""
        return [month_start(self.year, self.first_month, n) for n in range(self.month_count)]

    def trailing_months(self, count: int = 12) -> list[datetime]:
        """The first instant of each of the ``count`` months that end with the period's end."""
        last = self.end
        return [month_start(last.year, last.month, n - count) for n in range(count)]

    def __str__(self) -> str:
        return self.key


def month_start(year: int, month: int, offset: int = 0) -> datetime:
    """The first instant (UTC) of the month ``offset`` months after ``year``-``month``."""
    index = year * 12 + (month - 1) + offset
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def last_complete_month(now: datetime | None = None) -> Period:
    now = (now or timezone.now()).astimezone(UTC)
    previous = month_start(now.year, now.month, -1)
    return Period("month", previous.year, previous.month)


def parse_period(raw: Any, *, now: datetime | None = None) -> Period:
    """``2026-11`` (month), ``2026-Q4`` (quarter) or ``2026`` (year); empty: the last complete
    month. Raises :class:`InvalidPeriod` for anything else, a year before ``FIRST_YEAR`` or a
    period that has not begun yet."""
    now = now or timezone.now()
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return last_complete_month(now)
    if not isinstance(raw, str) or len(raw) > _MAX_PERIOD_LENGTH:
        raise InvalidPeriod(_("Give the period as 2026-11 (month), 2026-Q4 or 2026."))
    match = _PERIOD.fullmatch(raw.strip())
    if match is None:
        raise InvalidPeriod(_("Give the period as 2026-11 (month), 2026-Q4 or 2026."))
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise InvalidPeriod(_("A month is numbered 01 to 12."))
        period = Period("month", year, month)
    elif match.group(3):
        period = Period("quarter", year, int(match.group(3)))
    else:
        period = Period("year", year)
    if year < FIRST_YEAR:
        raise InvalidPeriod(_("There are no statistics before %d.") % FIRST_YEAR)
    if period.start > now:
        raise InvalidPeriod(_("The period %s has not begun yet.") % period.key)
    return period


def published_periods(*, first_year: int, now: datetime | None = None) -> list[Period]:
    """The quarters and years that have ended, from ``first_year`` on, newest first."""
    now = now or timezone.now()
    found: list[Period] = []
    for year in range(max(first_year, FIRST_YEAR), now.year + 1):
        candidates = [Period("quarter", year, q) for q in range(1, 5)] + [Period("year", year)]
        found.extend(p for p in candidates if p.has_ended(now))
    return sorted(found, key=lambda p: (p.end, p.kind == "year"), reverse=True)


# --- figures -------------------------------------------------------------------------------

COUNT = "count"
DURATION = "duration"


def format_value(value: Any, kind: str = COUNT) -> str:
    """How a figure reads on a page or in a PDF: counts as integers, durations in hours."""
    if value is None:
        return "–"
    if kind == DURATION:
        hours = value.total_seconds() / 3600 if isinstance(value, timedelta) else float(value)
        return _("%(hours)s h") % {"hours": f"{hours:,.1f}"}
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def csv_value(value: Any, kind: str = COUNT) -> str:
    """A figure in the CSV: counts as integers, durations as hours with two decimals."""
    if value is None:
        return ""
    if kind == DURATION:
        return f"{value.total_seconds() / 3600:.2f}" if isinstance(value, timedelta) else ""
    return str(value)


@dataclass(frozen=True)
class Figure:
    """One number of a section: a count or a duration (``timedelta``; ``None`` when unknown)."""

    key: str
    label: str
    value: Any
    kind: str = COUNT

    @property
    def display(self) -> str:
        return format_value(self.value, self.kind)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: Any
    kind: str = COUNT

    @property
    def display(self) -> str:
        return format_value(self.value, self.kind)


@dataclass(frozen=True)
class Breakdown:
    """A figure split by something (company, type, outcome).

    ``per_company``: the public page folds rows below the threshold into "Other companies".
    ``chart``: ``"pie"`` or ``"bar"`` to draw it, ``""`` for a table only.
    """

    key: str
    label: str
    rows: tuple[Row, ...]
    per_company: bool = False
    chart: str = ""

    @property
    def total(self) -> int:
        return sum(r.value for r in self.rows if isinstance(r.value, int))


@dataclass(frozen=True)
class Trend:
    """Monthly series (one value per month label), drawn as a line chart."""

    key: str
    label: str
    months: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class SectionFigures:
    figures: tuple[Figure, ...] = ()
    breakdowns: tuple[Breakdown, ...] = ()
    trends: tuple[Trend, ...] = ()


@dataclass(frozen=True)
class SectionResult:
    """A computed section, as the pages, the CSV and the PDF render it."""

    key: str
    title: str
    description: str
    figures: tuple[Figure, ...]
    breakdowns: tuple[Breakdown, ...]
    trends: tuple[Trend, ...]
    public: bool = True
    charts: tuple[tuple[str, str], ...] = field(default=())  # (title, data URI of the SVG)


@dataclass(frozen=True)
class StatisticsSection:
    key: str
    title: Any
    compute: Callable[[Period], SectionFigures]
    description: Any = ""
    order: int = 100
    public: bool = True


statistics_sections: dict[str, StatisticsSection] = {}


def register_statistics_section(
    key: str,
    *,
    title: Any,
    compute: Callable[[Period], SectionFigures],
    description: Any = "",
    order: int = 100,
    public: bool = True,
) -> StatisticsSection:
    """Add a section of figures (from an app's ``ready``); registering a key again replaces it.

    ``compute(period)`` must read only immutable event times so that a past period gives the
    same figures whenever it is computed, and must cost a bounded number of queries (no query
    per company or per month). ``public``: whether the public transparency page shows it.
    """
    section = StatisticsSection(key, title, compute, description, order, public)
    statistics_sections[key] = section
    return section


def compute_statistics(period: Period, *, public_only: bool = False) -> list[SectionResult]:
    """Every registered section for ``period``, in order (only the public ones if asked)."""
    results = []
    for section in sorted(statistics_sections.values(), key=lambda s: (s.order, s.key)):
        if public_only and not section.public:
            continue
        figures = section.compute(period)
        results.append(
            SectionResult(
                key=section.key,
                title=str(section.title),
                description=str(section.description),
                figures=figures.figures,
                breakdowns=figures.breakdowns,
                trends=figures.trends,
                public=section.public,
            )
        )
    return results


def with_charts(results: Iterable[SectionResult]) -> list[SectionResult]:
    """``results`` with their charts drawn: each breakdown that asks for one and each trend, as
    SVG images (``data:`` URIs, the same in a page and a PDF)."""
    from securityunion.documents.charts import (
        bar_chart_svg,
        line_chart_svg,
        pie_chart_svg,
        svg_data_uri,
    )

    drawn = []
    for result in results:
        charts: list[tuple[str, str]] = []
        for trend in result.trends:
            svg = line_chart_svg(
                title=trend.label, x_labels=trend.months, series=dict(trend.series)
            )
            charts.append((trend.label, svg_data_uri(svg)))
        for breakdown in result.breakdowns:
            data = {r.label: r.value for r in breakdown.rows if isinstance(r.value, int)}
            if not breakdown.chart or not any(data.values()):
                continue
            draw = pie_chart_svg if breakdown.chart == "pie" else bar_chart_svg
            charts.append((breakdown.label, svg_data_uri(draw(title=breakdown.label, data=data))))
        drawn.append(replace(result, charts=tuple(charts)))
    return drawn


def fold_small_companies(results: Iterable[SectionResult], threshold: int) -> list[SectionResult]:
    """``results`` as the public may see them: in each per-company breakdown, the companies
    whose count is below ``threshold`` are folded into one "Other companies" row."""
    folded = []
    for result in results:
        breakdowns = []
        for breakdown in result.breakdowns:
            if breakdown.per_company:
                kept = [
                    r for r in breakdown.rows if isinstance(r.value, int) and r.value >= threshold
                ]
                small = [r for r in breakdown.rows if r not in kept]
                rows = list(kept)
                if small:
                    total = sum(r.value for r in small if isinstance(r.value, int))
                    rows.append(Row("other", _("Other companies"), total))
                breakdown = replace(breakdown, rows=tuple(rows))
            breakdowns.append(breakdown)
        folded.append(replace(result, breakdowns=tuple(breakdowns)))
    return folded


def statistics_csv_rows(period: Period, results: Iterable[SectionResult]) -> Iterable[list[Any]]:
    """One row per figure, breakdown row and trend value: what the page shows, as data."""
    for result in results:
        for figure in result.figures:
            yield [
                period.key,
                result.key,
                figure.key,
                "",
                figure.label,
                csv_value(figure.value, figure.kind),
                _unit(figure.kind),
            ]
        for breakdown in result.breakdowns:
            for row in breakdown.rows:
                yield [
                    period.key,
                    result.key,
                    breakdown.key,
                    row.key,
                    row.label,
                    csv_value(row.value, row.kind),
                    _unit(row.kind),
                ]
        for trend in result.trends:
            for series, values in trend.series:
                for month, value in zip(trend.months, values, strict=True):
                    yield [period.key, result.key, trend.key, month, series, value, COUNT]


STATISTICS_CSV_HEADER = ("period", "section", "figure", "item", "label", "value", "unit")


def _unit(kind: str) -> str:
    return "hours" if kind == DURATION else COUNT


# --- aggregation -----------------------------------------------------------------------------


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(f) WITHIN GROUP (ORDER BY expression)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        fraction = float(fraction)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("A percentile is a fraction between 0 and 1.")
        extra.setdefault("output_field", DurationField())
        super().__init__(expression, fraction=repr(fraction), **extra)


def duration_percentiles(
    qs: models.QuerySet,
    expression: Any,
    fractions: Sequence[float] = (0.5, 0.9),
    *,
    group_by: str | None = None,
) -> dict[Any, tuple[timedelta | None, ...]]:
    """Continuous percentiles (linear interpolation, as ``percentile_cont``) of a duration
    ``expression`` over ``qs``, per value of ``group_by`` (key ``None`` without grouping).

    PostgreSQL computes them in one query. Elsewhere (the SQLite quick start) each percentile
    reads the two rows around its position (``ORDER BY ... LIMIT 2 OFFSET k``): the same
    answer in memory bounded whatever the number of rows. Rows whose duration is null are left
    out.
    """
    if connection.vendor == "postgresql":
        aggregates = {f"p{i}": PercentileCont(expression, f) for i, f in enumerate(fractions)}
        if group_by is None:
            row = qs.aggregate(**aggregates)
            return {None: tuple(row[f"p{i}"] for i in range(len(fractions)))}
        rows = qs.order_by().values(group_by).annotate(**aggregates)
        return {r[group_by]: tuple(r[f"p{i}"] for i in range(len(fractions))) for r in rows}
    base = qs.order_by().annotate(_duration=expression).filter(_duration__isnull=False)
    if group_by is None:
        groups = {None: base.count()}
    else:
        groups = {
            r[group_by]: r["n"] for r in base.values(group_by).annotate(n=Count("pk")).order_by()
        }
    result: dict[Any, tuple[timedelta | None, ...]] = {}
    for group, n in groups.items():
        rows = base if group is None else base.filter(**{group_by: group})  # type: ignore[dict-item]
        ordered = rows.order_by("_duration", "pk").values_list("_duration", flat=True)
        result[group] = tuple(_interpolated(ordered, n, f) for f in fractions)
    return result


def _interpolated(ordered: models.QuerySet, n: int, fraction: float) -> timedelta | None:
    if n == 0:
        return None
    position = fraction * (n - 1)
    low = math.floor(position)
    values = list(ordered[low : low + 2])
    if not values:
        return None
    weight = position - low
    if weight == 0 or len(values) == 1:
        return values[0]
    return values[0] + (values[1] - values[0]) * weight
