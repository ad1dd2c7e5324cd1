"""Rules of monitoring and measurement (9.1): when a metric is due, how a value compares.

A metric is measured at a frequency (monthly, quarterly, half-yearly, yearly). Its next
measurement is due one period after the last one; a metric never measured is due at once.
A value is on target when it meets the target in the metric's direction ("higher is better"
or "lower is better"), in alert when it is on the wrong side of the alert threshold, and a
warning in between.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


class Status(StrEnum):
    ON_TARGET = "on_target"
    WARNING = "warning"
    ALERT = "alert"
    NO_TARGET = "no_target"  # measured, but nothing to compare with
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.ON_TARGET: "On target",
    Status.WARNING: "Below target",
    Status.ALERT: "Alert",
    Status.NO_TARGET: "No target set",
    Status.NO_DATA: "Not measured yet",
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_months(frequency: str) -> int:
    """Months between two measurements; an unknown frequency counts as monthly."""
    return MONTHS_PER_PERIOD.get(frequency, 1)


def next_due(frequency: str, last: dt.date | None, today: dt.date) -> dt.date:
    """When the next measurement is due: one period after the last, or today if none."""
    if last is None:
        return today
    return add_months(last, period_months(frequency))


def is_due(frequency: str, last: dt.date | None, today: dt.date) -> bool:
    return next_due(frequency, last, today) <= today


def status(
    value: float | None, target: float | None, threshold: float | None, direction: str
) -> Status:
    """How ``value`` compares with the target and the alert threshold."""
    if value is None:
        return Status.NO_DATA
    lower_is_better = direction == "lower"

    def meets(limit: float) -> bool:
        return value <= limit if lower_is_better else value >= limit

    if target is None:
        if threshold is not None and not meets(threshold):
            return Status.ALERT
        return Status.NO_TARGET
    if meets(target):
        return Status.ON_TARGET
    if threshold is not None and not meets(threshold):
        return Status.ALERT
    return Status.WARNING


class Trend(StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSENING = "worsening"
    UNKNOWN = "unknown"


def trend(values: Sequence[float], direction: str, *, window: int = 3) -> Trend:
    """Whether the mean of the last ``window`` values is better than that of the ones before."""
    if len(values) < 2:
        return Trend.UNKNOWN
    window = max(1, min(window, len(values) // 2))
    recent = sum(values[-window:]) / window
    before = sum(values[-2 * window : -window]) / window
    scale = max(abs(before), abs(recent), 1e-9)
    change = (recent - before) / scale
    if abs(change) < 0.02:
        return Trend.STABLE
    better = change < 0 if direction == "lower" else change > 0
    return Trend.IMPROVING if better else Trend.WORSENING


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: float


def value_range(
    points: Sequence[Point], *extra: float | None, pad: float = 0.08
) -> tuple[float, float]:
    """The y-axis range of a trend chart: all values and target lines, with some margin."""
    values = [p.value for p in points] + [v for v in extra if v is not None]
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if high == low:
        span = abs(high) or 1.0
        return low - span * 0.5, high + span * 0.5
    margin = (high - low) * pad
    if low >= 0 and low - margin < 0:
        return 0.0, high + margin
    return low - margin, high + margin


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten)."""
    if high <= low:
        return [low]
    raw = (high - low) / max(count, 1)
    power = 10 ** _floor_log10(raw)
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = _ceil_to(low, step)
    ticks = []
    tick = first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _floor_log10(x: float) -> int:
    exponent = 0
    while x >= 10:
        x /= 10
        exponent += 1
    while x < 1:
        x *= 10
        exponent -= 1
    return exponent


def _ceil_to(x: float, step: float) -> float:
    n = int(x // step)
    return n * step if n * step >= x - step * 1e-9 else (n + 1) * step


def format_value(value: float, unit: str = "") -> str:
    """A measurement as people write it: 97.5 %, 3 days, 12."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text} {unit}" if unit != "%" else f"{text} %"
