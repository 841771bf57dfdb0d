"""The shared statistics layer: periods, published periods, small-company folding, sections."""

from datetime import UTC, datetime

import pytest

from securityunion.casework.statistics import (
    Breakdown,
    Figure,
    InvalidPeriod,
    Period,
    Row,
    SectionFigures,
    SectionResult,
    compute_statistics,
    fold_small_companies,
    last_complete_month,
    parse_period,
    published_periods,
    register_statistics_section,
    statistics_sections,
    with_charts,
)

NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "kind", "start", "end"),
    [
        ("2026-11", "month", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-12", "month", datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-Q4", "quarter", datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-q1", "quarter", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
        ("2025", "year", datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)),
        (" 2025 ", "year", datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_a_period_is_a_month_a_quarter_or_a_year(raw, kind, start, end):
    period = parse_period(raw, now=NOW)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert parse_period(period.key, now=NOW) == period


@pytest.mark.parametrize(
    "raw",
    [
        "2026-13",
        "2026-00",
        "2026-Q5",
        "2026-Q0",
        "2026-1",
        "26",
        "20261",
        "2027",  # not begun
        "2027-01",
        "1999",
        "٢٠٢٦",  # digits of another script
        "2026-11;DROP",
        "2026-11\x00",
        "x" * 10_000,
        ["2026"],
        12,
    ],
)
def test_anything_else_is_refused_with_a_message(raw):
    with pytest.raises(InvalidPeriod) as error:
        parse_period(raw, now=NOW)
    assert str(error.value)


def test_no_period_means_the_last_complete_month():
    assert parse_period("", now=NOW) == Period("month", 2026, 11)
    assert parse_period(None, now=NOW) == Period("month", 2026, 11)
    assert last_complete_month(datetime(2026, 1, 15, tzinfo=UTC)) == Period("month", 2025, 12)


def test_trailing_months_end_with_the_period():
    months = Period("quarter", 2026, 1).trailing_months(12)
    assert months[0] == datetime(2025, 4, 1, tzinfo=UTC)
    assert months[-1] == datetime(2026, 3, 1, tzinfo=UTC)
    assert len(months) == 12


def test_published_periods_are_the_ended_quarters_and_years_newest_first():
    periods = published_periods(first_year=2025, now=NOW)
    keys = [p.key for p in periods]
    assert keys[:4] == ["2026-Q3", "2026-Q2", "2026-Q1", "2025"]
    assert "2026-Q4" not in keys and "2026" not in keys
    assert all(p.kind != "month" for p in periods)


def _result(rows) -> SectionResult:
    return SectionResult(
        key="s",
        title="S",
        description="",
        figures=(Figure("total", "Total", sum(v for _k, v in rows)),),
        breakdowns=(
            Breakdown(
                "by_company", "By company", tuple(Row(k, k.title(), v) for k, v in rows), True
            ),
            Breakdown("by_type", "By type", (Row("a", "A", 1),)),
        ),
        trends=(),
    )


def test_companies_below_the_threshold_are_folded_into_other():
    folded = fold_small_companies([_result([("big", 12), ("small", 3), ("tiny", 1)])], 10)[0]
    rows = {r.label: r.value for r in folded.breakdowns[0].rows}
    assert rows == {"Big": 12, "Other companies": 4}
    assert folded.breakdowns[1].rows == (Row("a", "A", 1),)  # not per company: untouched
    assert folded.figures[0].value == 16


def test_charts_are_images_without_script():
    result = _result([("big", 12), ("small", 3)])
    result = SectionResult(
        **{
            **result.__dict__,
            "breakdowns": (
                Breakdown("by_company", "By company", (Row("big", "Big", 12),), True, "pie"),
            ),
        }
    )
    charts = with_charts([result])[0].charts
    assert charts[0][0] == "By company"
    assert charts[0][1].startswith("data:image/svg+xml;base64,")


def test_a_registered_section_is_computed_in_order(db):
    calls = []

    def compute(period):  # noqa: ANN001, ANN202
        calls.append(period)
        return SectionFigures(figures=(Figure("n", "N", 7),))

    register_statistics_section("zz_test", title="Test", compute=compute, order=1, public=False)
    try:
        period = Period("month", 2026, 11)
        results = compute_statistics(period)
        assert results[0].key == "zz_test" and results[0].figures[0].value == 7
        assert calls == [period]
        assert "zz_test" not in [r.key for r in compute_statistics(period, public_only=True)]
    finally:
        statistics_sections.pop("zz_test")
