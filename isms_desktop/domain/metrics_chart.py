"""Geometry of a metric's trend chart, shared by the Qt widget and the PDF drawing.

Coordinates are in pixels (or points) with y growing downwards, as Qt paints; the PDF
drawing flips them. The plot area leaves margins for the value axis on the left and the
month labels at the bottom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from isms_desktop.domain.metrics_rules import Point, add_months, nice_ticks, value_range

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Margins:
    left: float = 54.0
    top: float = 30.0
    right: float = 66.0  # room for the target and alert labels
    bottom: float = 34.0


@dataclass(frozen=True)
class ChartGeometry:
    width: float
    height: float
    margins: Margins
    start: dt.date
    end: dt.date
    low: float
    high: float
    y_ticks: tuple[float, ...]
    x_ticks: tuple[dt.date, ...]

    @property
    def plot_left(self) -> float:
        return self.margins.left

    @property
    def plot_right(self) -> float:
        return self.width - self.margins.right

    @property
    def plot_top(self) -> float:
        return self.margins.top

    @property
    def plot_bottom(self) -> float:
        return self.height - self.margins.bottom

    def x(self, day: dt.date) -> float:
        span = (self.end - self.start).days
        share = 0.5 if span <= 0 else (day - self.start).days / span
        return self.plot_left + share * (self.plot_right - self.plot_left)

    def y(self, value: float) -> float:
        span = self.high - self.low
        share = 0.5 if span <= 0 else (value - self.low) / span
        return self.plot_bottom - share * (self.plot_bottom - self.plot_top)


def month_label(day: dt.date, with_year: bool) -> str:
    return f"{MONTHS[day.month - 1]} {day:%y}" if with_year else MONTHS[day.month - 1]


def month_ticks(start: dt.date, end: dt.date, max_labels: int = 12) -> list[dt.date]:
    """First days of months between start and end, thinned to at most ``max_labels``."""
    first = start.replace(day=1)
    if first < start:
        first = add_months(first, 1)
    months: list[dt.date] = []
    day = first
    while day <= end:
        months.append(day)
        day = add_months(day, 1)
    if len(months) <= max_labels:
        return months
    step = -(-len(months) // max(max_labels, 1))
    return months[::step]


def layout(
    points: Sequence[Point],
    target: float | None,
    threshold: float | None,
    width: float,
    height: float,
    margins: Margins | None = None,
) -> ChartGeometry:
    """Where everything goes in a chart of ``width`` × ``height``."""
    margins = margins or Margins()
    if points:
        start, end = points[0].date, points[-1].date
    else:
        end = dt.date.today()
        start = add_months(end, -12)
    if start == end:
        start, end = start - dt.timedelta(days=15), end + dt.timedelta(days=15)
    else:
        pad = dt.timedelta(days=max(2, (end - start).days // 40))
        start, end = start - pad, end + pad
    low, high = value_range(points, target, threshold)
    rows = max(2, int((height - margins.top - margins.bottom) // 34))
    ticks = [t for t in nice_ticks(low, high, min(rows, 6)) if low <= t <= high]
    plot_width = width - margins.left - margins.right
    max_labels = max(2, int(plot_width // 44))
    months = {(p.date.year, p.date.month) for p in points}
    if 2 <= len(points) <= max_labels and len(months) == len(points):
        x_ticks = [p.date for p in points]  # one label under each measurement
    else:
        x_ticks = month_ticks(start, end, max_labels)
    return ChartGeometry(
        width=width,
        height=height,
        margins=margins,
        start=start,
        end=end,
        low=low,
        high=high,
        y_ticks=tuple(ticks),
        x_ticks=tuple(x_ticks),
    )


def tick_label(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")
