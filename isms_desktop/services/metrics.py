"""Monitoring and measurement (9.1): measurements over time, their status, and what is due.

Metrics themselves are a generic register (``metrics``); this module adds what is special
about them: the measurements (one per metric and date; entering a date again replaces its
value), the status of the latest value against target and threshold, imports of
measurements from the rows of a sheet (``reports.measurement_import`` reads the file) and
an action in the unified action list for every metric due for a new measurement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from isms_desktop.domain import metrics_rules as rules
from isms_desktop.domain.errors import BadArgumentsError, RejectedInputError
from isms_desktop.domain.metrics_import import CellProblem, ParsedSheet, parse_sheet
from isms_desktop.domain.metrics_rules import Point, Status, Trend
from isms_desktop.storage.models import Action, Measurement, Metric, Person
from isms_desktop.storage.project_file import Project

DUE_ACTION_PREFIX = "MON-"


@dataclass(frozen=True)
class MetricSeries:
    code: str
    name: str
    unit: str
    direction: str
    frequency: str
    target: float | None
    threshold: float | None
    points: tuple[Point, ...]
    notes: tuple[str, ...] = ()

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]


@dataclass(frozen=True)
class MetricStatus:
    code: str
    name: str
    unit: str
    frequency: str
    direction: str
    target: float | None
    threshold: float | None
    measured_by: str
    analysed_by: str
    last_date: dt.date | None
    last_value: float | None
    status: Status
    trend: Trend
    next_due: dt.date
    due: bool
    measurements: int


@dataclass(frozen=True)
class MeasurementChange:
    metric: str
    date: dt.date
    kind: str  # created | updated | deleted
    old: float | None
    new: float | None
    old_note: str = ""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    problems: tuple[CellProblem, ...]
    written: bool
    layout: str
    metrics: tuple[str, ...] = ()  # the codes of the metrics the sheet has values for


def last_measured(session: Session) -> dict[int, dt.date]:
    """The date of each metric's newest measurement, by metric id (one grouped query)."""
    stmt = select(Measurement.metric_id, func.max(Measurement.date)).group_by(Measurement.metric_id)
    return {metric_id: day for metric_id, day in session.execute(stmt) if day is not None}


def _metric(session: Session, code: str) -> Metric:
    metric = session.scalars(select(Metric).where(Metric.code == code)).one_or_none()
    if metric is None:
        raise BadArgumentsError(f"there is no metric {code!r}")
    return metric


def _person_name(session: Session, person_id: int | None) -> str:
    if person_id is None:
        return ""
    person = session.get(Person, person_id)
    return person.name if person else ""


def _points(session: Session, metric_id: int) -> list[Measurement]:
    return list(
        session.scalars(
            select(Measurement).where(Measurement.metric_id == metric_id).order_by(Measurement.date)
        )
    )


def series(
    project: Project, code: str, *, start: dt.date | None = None, end: dt.date | None = None
) -> MetricSeries:
    """A metric with its measurements in date order (optionally within [start, end])."""
    with project.reading() as session:
        metric = _metric(session, code)
        rows = [
            m
            for m in _points(session, metric.id)
            if (start is None or m.date >= start) and (end is None or m.date <= end)
        ]
        return MetricSeries(
            code=metric.code,
            name=metric.name,
            unit=metric.unit,
            direction=metric.direction,
            frequency=metric.frequency,
            target=metric.target,
            threshold=metric.threshold,
            points=tuple(Point(m.date, m.value) for m in rows),
            notes=tuple(m.note for m in rows),
        )


def status_in(session: Session, metric: Metric, today: dt.date) -> MetricStatus:
    rows = _points(session, metric.id)
    last = rows[-1] if rows else None
    last_date = last.date if last else None
    return MetricStatus(
        code=metric.code,
        name=metric.name,
        unit=metric.unit,
        frequency=metric.frequency,
        direction=metric.direction,
        target=metric.target,
        threshold=metric.threshold,
        measured_by=_person_name(session, metric.measured_by_id),
        analysed_by=_person_name(session, metric.analysed_by_id),
        last_date=last_date,
        last_value=last.value if last else None,
        status=rules.status(
            last.value if last else None, metric.target, metric.threshold, metric.direction
        ),
        trend=rules.trend([m.value for m in rows], metric.direction),
        next_due=rules.next_due(metric.frequency, last_date, today),
        due=rules.is_due(metric.frequency, last_date, today),
        measurements=len(rows),
    )


def overview(project: Project, today: dt.date | None = None) -> list[MetricStatus]:
    """Every metric with its latest value, status, trend and next due date."""
    today = today or dt.date.today()
    with project.reading() as session:
        metrics = session.scalars(select(Metric).order_by(Metric.code))
        return [status_in(session, m, today) for m in metrics]


def status_of(project: Project, code: str, today: dt.date | None = None) -> MetricStatus:
    with project.reading() as session:
        return status_in(session, _metric(session, code), today or dt.date.today())


def _record_in(
    session: Session, metric: Metric, day: dt.date, value: float, note: str
) -> MeasurementChange:
    existing = session.scalars(
        select(Measurement).where(Measurement.metric_id == metric.id, Measurement.date == day)
    ).one_or_none()
    if existing is None:
        session.add(Measurement(metric_id=metric.id, date=day, value=value, note=note))
        return MeasurementChange(metric.code, day, "created", None, value)
    old, old_note = existing.value, existing.note
    existing.value = value
    existing.note = note
    return MeasurementChange(metric.code, day, "updated", old, value, old_note)


def _checked_value(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RejectedInputError(f"a measurement must be a number, not {value!r}")
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise RejectedInputError(f"a measurement must be a finite number, not {value!r}")
    return number


def record_measurement(
    project: Project, code: str, day: dt.date, value: float, note: str = ""
) -> MeasurementChange:
    """Enter (or replace) the value of metric ``code`` on ``day``; closes its due action."""
    number = _checked_value(value)
    if day > dt.date.today():
        raise RejectedInputError(
            f"{code}: a measurement cannot be dated {day.isoformat()}, a day still to come; "
            f"record it once it is taken"
        )
    with project.transaction() as session:
        metric = _metric(session, code)
        change = _record_in(session, metric, day, number, note.strip())
        session.flush()
        _close_due_actions(session, metric, day)
    return change


def delete_measurement(project: Project, code: str, day: dt.date) -> MeasurementChange:
    with project.transaction() as session:
        metric = _metric(session, code)
        row = session.scalars(
            select(Measurement).where(Measurement.metric_id == metric.id, Measurement.date == day)
        ).one_or_none()
        if row is None:
            raise BadArgumentsError(f"{code} has no measurement on {day.isoformat()}")
        change = MeasurementChange(code, day, "deleted", row.value, None, row.note)
        session.delete(row)
    return change


# --- metrics due as actions -----------------------------------------------------------------


def due_action_code(metric_code: str, due: dt.date) -> str:
    """One action per metric and due month, so running the check twice adds nothing."""
    return f"{DUE_ACTION_PREFIX}{metric_code}-{due:%Y-%m}"


def _close_due_actions(session: Session, metric: Metric, measured_on: dt.date) -> None:
    prefix = f"{DUE_ACTION_PREFIX}{metric.code}-"
    open_actions = session.scalars(
        select(Action).where(
            Action.source == "monitoring",
            Action.code.like(f"{prefix}%"),
            Action.status.in_(("open", "in_progress")),
        )
    )
    for action in open_actions:
        action.status = "done"
        action.progress = 100
        action.completed_on = measured_on


@dataclass(frozen=True)
class DueSync:
    created: tuple[str, ...]
    closed: tuple[str, ...]


def sync_due_actions(project: Project, today: dt.date | None = None) -> DueSync:
    """Add an action for each metric due for a measurement; close those measured since."""
    today = today or dt.date.today()
    created: list[str] = []
    closed: list[str] = []
    with project.transaction() as session:
        for metric in session.scalars(select(Metric).order_by(Metric.code)):
            rows = _points(session, metric.id)
            last = rows[-1].date if rows else None
            prefix = f"{DUE_ACTION_PREFIX}{metric.code}-"
            open_actions = list(
                session.scalars(
                    select(Action).where(
                        Action.source == "monitoring",
                        Action.code.like(f"{prefix}%"),
                        Action.status.in_(("open", "in_progress")),
                    )
                )
            )
            due = rules.next_due(metric.frequency, last, today)
            if due > today:
                for action in open_actions:
                    action.status = "done"
                    action.progress = 100
                    action.completed_on = last
                    closed.append(action.code)
                continue
            code = due_action_code(metric.code, due)
            if open_actions or session.scalar(select(Action.id).where(Action.code == code)):
                continue
            unit = f" ({metric.unit})" if metric.unit else ""
            session.add(
                Action(
                    code=code,
                    source="monitoring",
                    title=f"Measure {metric.code} {metric.name}{unit}",
                    description=(
                        f"The {metric.frequency.replace('_', '-')} measurement of {metric.name} "
                        f"is due (clause 9.1). Method: {metric.method or 'see the metric'}."
                    ),
                    owner_id=metric.measured_by_id or metric.analysed_by_id,
                    due_date=due,
                    status="open",
                )
            )
            created.append(code)
    return DueSync(tuple(created), tuple(closed))


# --- importing measurements -----------------------------------------------------------------


def _metric_names(session: Session) -> dict[str, str]:
    return {m.code: m.name for m in session.scalars(select(Metric))}


def import_rows(
    project: Project,
    rows: Sequence[Sequence[Any]],
    *,
    header_row: int = 1,
    default_metric: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Write the measurements of a sheet's rows, all or none (nothing on any problem)."""
    with project.writing_or_reading(dry_run) as session:
        names = _metric_names(session)
        if default_metric is not None and default_metric not in names:
            raise BadArgumentsError(f"there is no metric {default_metric!r}")
        parsed: ParsedSheet = parse_sheet(
            rows, names, header_row=header_row, default_metric=default_metric
        )
        problems = list(parsed.problems)
        seen: dict[tuple[str, dt.date], int] = {}
        today = dt.date.today()
        for m in parsed.measurements:
            if m.date > today:
                problems.append(
                    CellProblem(
                        m.row,
                        "Date",
                        m.date.isoformat(),
                        f"{m.date.isoformat()} is a day still to come; a measurement is "
                        f"recorded once it is taken",
                    )
                )
            earlier = seen.setdefault((m.metric, m.date), m.row)
            if earlier != m.row:
                problems.append(
                    CellProblem(
                        m.row,
                        "Date",
                        m.date.isoformat(),
                        f"{m.metric} already has a value for this date in row {earlier}",
                    )
                )
        created = updated = unchanged = 0
        if not problems:
            metrics = {m.code: m for m in session.scalars(select(Metric))}
            for m in parsed.measurements:
                metric = metrics[m.metric]
                existing = session.scalars(
                    select(Measurement).where(
                        Measurement.metric_id == metric.id, Measurement.date == m.date
                    )
                ).one_or_none()
                if (
                    existing is not None
                    and existing.value == m.value
                    and (not m.note or existing.note == m.note)
                ):
                    unchanged += 1
                    continue
                note = m.note or (existing.note if existing else "")
                change = _record_in(session, metric, m.date, m.value, note)
                created += change.kind == "created"
                updated += change.kind == "updated"
            session.flush()
            for metric in metrics.values():
                latest = [p for p in parsed.measurements if p.metric == metric.code]
                if latest:
                    _close_due_actions(session, metric, max(p.date for p in latest))
        written = not problems and not dry_run
        if not written:
            session.rollback()
    codes = tuple(sorted({m.metric for m in parsed.measurements}))
    return ImportResult(created, updated, unchanged, tuple(problems), written, parsed.layout, codes)
