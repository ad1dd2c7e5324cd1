"""Measurement due dates by frequency, threshold status, trends, chart axes, sheet parsing."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain import metrics_rules as rules
from isms_desktop.domain.metrics_import import parse_sheet
from isms_desktop.domain.metrics_rules import Point, Status, Trend

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 3, 15), -12, D(2025, 3, 15)),
        (D(2026, 12, 31), 6, D(2027, 6, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("monthly", D(2026, 2, 15)),
        ("quarterly", D(2026, 4, 15)),
        ("half_yearly", D(2026, 7, 15)),
        ("yearly", D(2027, 1, 15)),
    ],
)
def test_next_due_is_one_period_after_the_last_measurement(
    frequency: str, expected: dt.date
) -> None:
    assert rules.next_due(frequency, D(2026, 1, 15), D(2026, 1, 20)) == expected


def test_a_metric_never_measured_is_due_today() -> None:
    today = D(2026, 5, 1)
    assert rules.next_due("quarterly", None, today) == today
    assert rules.is_due("quarterly", None, today)
    assert not rules.is_due("monthly", D(2026, 4, 15), today)
    assert rules.is_due("monthly", D(2026, 4, 1), today)


@pytest.mark.parametrize(
    ("value", "target", "threshold", "direction", "expected"),
    [
        (96.0, 95.0, 85.0, "higher", Status.ON_TARGET),
        (95.0, 95.0, 85.0, "higher", Status.ON_TARGET),
        (90.0, 95.0, 85.0, "higher", Status.WARNING),
        (80.0, 95.0, 85.0, "higher", Status.ALERT),
        (4.0, 5.0, 10.0, "lower", Status.ON_TARGET),
        (7.0, 5.0, 10.0, "lower", Status.WARNING),
        (12.0, 5.0, 10.0, "lower", Status.ALERT),
        (90.0, 95.0, None, "higher", Status.WARNING),
        (90.0, None, None, "higher", Status.NO_TARGET),
        (12.0, None, 10.0, "lower", Status.ALERT),
        (None, 95.0, 85.0, "higher", Status.NO_DATA),
    ],
)
def test_threshold_status(
    value: float | None,
    target: float | None,
    threshold: float | None,
    direction: str,
    expected: Status,
) -> None:
    assert rules.status(value, target, threshold, direction) is expected


def test_trend_respects_the_direction() -> None:
    rising = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert rules.trend(rising, "higher") is Trend.IMPROVING
    assert rules.trend(rising, "lower") is Trend.WORSENING
    assert rules.trend([5.0, 5.0, 5.0, 5.0], "higher") is Trend.STABLE
    assert rules.trend([5.0], "higher") is Trend.UNKNOWN


def test_value_range_includes_values_and_target() -> None:
    points = [Point(D(2026, 1, 31), 80.0), Point(D(2026, 2, 28), 90.0)]
    low, high = rules.value_range(points, 95.0, None)
    assert low <= 80.0 and high >= 95.0
    assert rules.value_range([], None) == (0.0, 1.0)
    flat_low, flat_high = rules.value_range([Point(D(2026, 1, 1), 5.0)])
    assert flat_low < 5.0 < flat_high


@given(
    low=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    span=st.floats(min_value=1e-3, max_value=1e6, allow_nan=False),
)
def test_nice_ticks_cover_the_range_in_equal_steps(low: float, span: float) -> None:
    ticks = rules.nice_ticks(low, low + span)
    assert 2 <= len(ticks) <= 12
    assert all(low - span * 1e-6 <= t <= low + span * (1 + 1e-6) for t in ticks)
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(steps) <= 2  # equal up to float rounding


def test_format_value() -> None:
    assert rules.format_value(97.5, "%") == "97.5 %"
    assert rules.format_value(3.0, "days") == "3 days"
    assert rules.format_value(1234.567) == "1,234.57"


METRICS = {"M-001": "Phishing click rate", "M-002": "Platform availability"}


def test_long_sheet_by_code_and_name() -> None:
    rows = [
        ["Metric", "Date", "Value", "Note"],
        ["M-001", "2026-01-31", "12,5", "first"],
        ["platform availability", dt.datetime(2026, 1, 31), 99.9, None],
        [None, None, None, None],
    ]
    parsed = parse_sheet(rows, METRICS)
    assert parsed.layout == "long"
    assert not parsed.problems
    assert [(m.row, m.metric, m.value, m.note) for m in parsed.measurements] == [
        (2, "M-001", 12.5, "first"),
        (3, "M-002", 99.9, ""),
    ]


def test_wide_sheet_one_column_per_metric() -> None:
    rows = [
        ["Month", "M-001", "Platform availability", "Comment"],
        ["31.01.2026", 12, 99.8, "x"],
        ["28.02.2026", "", 99.95, ""],
    ]
    parsed = parse_sheet(rows, METRICS)
    assert parsed.layout == "wide"
    assert not parsed.problems
    assert {(m.metric, m.date, m.value) for m in parsed.measurements} == {
        ("M-001", D(2026, 1, 31), 12.0),
        ("M-002", D(2026, 1, 31), 99.8),
        ("M-002", D(2026, 2, 28), 99.95),
    }


def test_problems_name_row_and_column() -> None:
    rows = [
        ["Metric", "Date", "Value"],
        ["M-009", "2026-01-31", 1],
        ["M-001", "31 Febtember", 1],
        ["M-001", "2026-02-28", "lots"],
        ["M-001", "2026-03-31", None],
    ]
    parsed = parse_sheet(rows, METRICS)
    found = {(p.row, p.column) for p in parsed.problems}
    assert found == {(2, "Metric"), (3, "Date"), (4, "Value"), (5, "Value")}
    assert "no metric 'M-009'" in str(parsed.problems[0])
    assert parsed.measurements == ()


def test_sheet_without_date_or_metric_columns_is_refused() -> None:
    assert parse_sheet([["A", "B"], [1, 2]], METRICS).problems
    assert parse_sheet([["Date", "Other"], ["2026-01-01", 2]], METRICS).problems
    assert parse_sheet([], METRICS).problems


def test_long_sheet_without_metric_column_uses_the_default() -> None:
    rows = [["Date", "Value"], ["2026-01-31", "4 %"]]
    parsed = parse_sheet(rows, METRICS, default_metric="M-001")
    assert [(m.metric, m.value) for m in parsed.measurements] == [("M-001", 4.0)]


@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(max_size=12),
                st.floats(allow_nan=True),
                st.integers(),
                st.dates(),
            ),
            max_size=5,
        ),
        max_size=8,
    )
)
def test_parser_never_crashes_on_arbitrary_cells(body: list[list[object]]) -> None:
    rows: list[list[object]] = [["Metric", "Date", "Value", "Note"], *body]
    parsed = parse_sheet(rows, METRICS)
    for m in parsed.measurements:
        assert m.metric in METRICS
        assert m.value == m.value  # never NaN
    assert all(p.row >= 2 for p in parsed.problems)


@pytest.mark.parametrize(
    ("headers", "default", "kind", "columns"),
    [
        (["Metric", "Date", "Value", "Note", "Other"], None, "long", {0, 1, 2, 3}),
        (["Date", "Value"], "M-001", "long", {0, 1}),
        (["Date", "Value"], None, "", set()),
        (["Month", "M-001", "Phishing click rate", "Owner"], None, "wide", {0, 1, 2}),
        (["Owner", "Value"], None, "", set()),
    ],
)
def test_the_sheet_layout_names_the_columns_an_import_reads(
    headers: list[str], default: str | None, kind: str, columns: set[int]
) -> None:
    from isms_desktop.domain.metrics_import import sheet_layout

    layout = sheet_layout(headers, {"M-001": "Patch time", "M-002": "Phishing click rate"}, default)
    assert layout.kind == kind
    assert layout.columns == columns
