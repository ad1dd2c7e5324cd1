"""Reading measurements from the cells of a spreadsheet (pure: rows in, values out).

Two layouts are understood, told apart by the header row:

- long: one measurement per row, with columns Metric (code or name), Date, Value and
  optionally Note;
- wide: a Date column and one column per metric, headed by the metric's code or name
  (the way people keep a KPI sheet), each non-empty cell one measurement.

Problems name the row (as numbered in the sheet) and the column, and say why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from isms_desktop.domain.fields import Field, Kind, parse_date, parse_value

_LONG = {
    "metric": ("metric", "kpi", "metric code", "code", "indicator", "metric name"),
    "date": ("date", "measured on", "period", "month", "day"),
    "value": ("value", "result", "measurement", "measured value"),
    "note": ("note", "notes", "comment", "remark"),
}


def _norm(text: Any) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text or "").strip().casefold())


@dataclass(frozen=True)
class ParsedMeasurement:
    row: int
    metric: str  # metric code
    date: dt.date
    value: float
    note: str = ""


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column!r}" if self.column else f"row {self.row}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ParsedSheet:
    measurements: tuple[ParsedMeasurement, ...]
    problems: tuple[CellProblem, ...]
    layout: str  # "long" or "wide"


def _metric_lookup(metrics: Mapping[str, str]) -> dict[str, str]:
    """Normalised code or name → metric code."""
    lookup: dict[str, str] = {}
    for code, name in metrics.items():
        lookup[_norm(name)] = code
    for code in metrics:
        lookup[_norm(code)] = code
    return lookup


def _find_column(headers: Sequence[str], names: Sequence[str]) -> int | None:
    for index, header in enumerate(headers):
        if _norm(header) in names:
            return index
    return None


def _cell(row: Sequence[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Layout:
    """How a sheet's header row lays out its measurements: "long" (Date, Value, Metric and
    Note columns), "wide" (a Date column and a column per metric) or "" (neither found)."""

    kind: str
    date: int | None = None
    value: int | None = None
    metric: int | None = None
    note: int | None = None
    metrics: tuple[tuple[int, str], ...] = ()  # wide: (column, the metric's code)

    @property
    def columns(self) -> set[int]:
        """The columns an import of the sheet reads."""
        if self.kind == "long":
            return {c for c in (self.date, self.value, self.metric, self.note) if c is not None}
        if self.kind == "wide" and self.date is not None:
            return {self.date} | {c for c, _code in self.metrics}
        return set()


def sheet_layout(
    headers: Sequence[str], metrics: Mapping[str, str], default_metric: str | None = None
) -> Layout:
    """The layout of a sheet with this header row, for the metrics {code: name};
    ``default_metric`` makes a long sheet of one without a Metric column."""
    date = _find_column(headers, _LONG["date"])
    if date is None:
        return Layout("")
    value = _find_column(headers, _LONG["value"])
    metric = _find_column(headers, _LONG["metric"])
    if value is not None and (metric is not None or default_metric):
        return Layout("long", date, value, metric, _find_column(headers, _LONG["note"]))
    lookup = _metric_lookup(metrics)
    found = tuple(
        (i, lookup[_norm(h)]) for i, h in enumerate(headers) if i != date and _norm(h) in lookup
    )
    return Layout("wide" if found else "", date, metrics=found)


def parse_sheet(
    rows: Sequence[Sequence[Any]],
    metrics: Mapping[str, str],
    *,
    header_row: int = 1,
    default_metric: str | None = None,
) -> ParsedSheet:
    """Measurements in ``rows`` (the whole sheet, row 1 first) for the metrics {code: name}.

    ``default_metric`` is used for a long sheet without a Metric column.
    """
    if len(rows) < header_row:
        return ParsedSheet(
            (), (CellProblem(header_row, "", "", "the sheet has no header row"),), ""
        )
    headers = [str(h if h is not None else "").strip() for h in rows[header_row - 1]]
    lookup = _metric_lookup(metrics)
    layout = sheet_layout(headers, metrics, default_metric)
    body = list(enumerate(rows[header_row:], start=header_row + 1))
    date_col = layout.date
    if date_col is None:
        problem = CellProblem(
            header_row, "", "", "no Date column found in the header row" + _headings(headers)
        )
        return ParsedSheet((), (problem,), "")
    if layout.kind == "long":
        assert layout.value is not None
        return _parse_long(
            body,
            headers,
            lookup,
            date_col,
            layout.value,
            layout.metric,
            layout.note,
            default_metric,
        )
    metric_cols = layout.metrics
    if not metric_cols:
        reason = (
            "no column is headed by a metric's code or name, and no Metric/Value columns"
            + _headings(headers)
        )
        return ParsedSheet((), (CellProblem(header_row, "", "", reason),), "")
    found: list[ParsedMeasurement] = []
    problems: list[CellProblem] = []
    for number, row in body:
        if all(_blank(v) for v in row):
            continue
        day = _date(row, date_col, headers, number, problems)
        for index, code in metric_cols:
            raw = _cell(row, index)
            if _blank(raw):
                continue
            value = _value(raw, headers[index], number, problems)
            if day is not None and value is not None:
                found.append(ParsedMeasurement(number, code, day, value))
    return ParsedSheet(tuple(found), tuple(problems), "wide")


def _headings(headers: Sequence[str]) -> str:
    """The header row as the user typed it, for a message about it."""
    shown = [h for h in headers if h]
    if not shown:
        return " (it is empty)"
    more = f", … ({len(shown)} in all)" if len(shown) > 8 else ""
    return " (its headings: " + ", ".join(shown[:8]) + more + ")"


def _parse_long(
    body: list[tuple[int, Sequence[Any]]],
    headers: list[str],
    lookup: dict[str, str],
    date_col: int,
    value_col: int,
    metric_col: int | None,
    note_col: int | None,
    default_metric: str | None,
) -> ParsedSheet:
    found: list[ParsedMeasurement] = []
    problems: list[CellProblem] = []
    for number, row in body:
        if all(_blank(v) for v in row):
            continue
        code = default_metric
        if metric_col is not None and not _blank(_cell(row, metric_col)):
            raw_metric = _cell(row, metric_col)
            code = lookup.get(_norm(raw_metric))
            if code is None:
                problems.append(
                    CellProblem(
                        number, headers[metric_col], str(raw_metric), f"no metric {raw_metric!r}"
                    )
                )
        elif metric_col is not None and default_metric is None:
            problems.append(CellProblem(number, headers[metric_col], "", "Metric is required"))
        day = _date(row, date_col, headers, number, problems)
        raw_value = _cell(row, value_col)
        value = None
        if _blank(raw_value):
            problems.append(CellProblem(number, headers[value_col], "", "Value is required"))
        else:
            value = _value(raw_value, headers[value_col], number, problems)
        note = "" if note_col is None or _blank(_cell(row, note_col)) else str(row[note_col])
        if code and day is not None and value is not None:
            found.append(ParsedMeasurement(number, code, day, value, note.strip()))
    return ParsedSheet(tuple(found), tuple(problems), "long")


def _date(
    row: Sequence[Any], col: int, headers: list[str], number: int, problems: list[CellProblem]
) -> dt.date | None:
    raw = _cell(row, col)
    if _blank(raw):
        problems.append(CellProblem(number, headers[col], "", "Date is required"))
        return None
    try:
        return parse_date(raw, headers[col])
    except ValueError as exc:
        problems.append(CellProblem(number, headers[col], str(raw), str(exc)))
        return None


def _value(raw: Any, header: str, number: int, problems: list[CellProblem]) -> float | None:
    try:
        return float(parse_value(Field("value", header, Kind.NUMBER, required=True), raw))
    except ValueError as exc:
        problems.append(CellProblem(number, header, str(raw), str(exc)))
        return None
