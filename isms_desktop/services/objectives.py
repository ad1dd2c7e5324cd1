"""Information security objectives (6.2) with the state of the metrics that measure them.

Objectives are a generic register (``objectives``); this module reads them together with
the latest value and status of each linked metric, for the objectives view, the management
review (9.3.2 d 4) and the dashboard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_desktop.domain.metrics_rules import Status
from isms_desktop.services.metrics import MetricStatus, status_in
from isms_desktop.storage.models import Metric, Objective, ObjectiveMetric, Person
from isms_desktop.storage.project_file import Project

OPEN_STATUSES = ("planned", "on_track", "at_risk")


@dataclass(frozen=True)
class ObjectiveStatus:
    code: str
    objective: str
    target: str
    owner: str
    due_date: dt.date | None
    status: str
    progress: int | None
    metrics: tuple[MetricStatus, ...]
    overdue: bool

    @property
    def metrics_on_target(self) -> int:
        return sum(1 for m in self.metrics if m.status is Status.ON_TARGET)


def _overview_in(session: Session, today: dt.date) -> list[ObjectiveStatus]:
    links: dict[int, list[Metric]] = {}
    pairs = session.execute(
        select(ObjectiveMetric.objective_id, Metric)
        .join(Metric, Metric.id == ObjectiveMetric.metric_id)
        .order_by(Metric.code)
    )
    for objective_id, metric in pairs:
        links.setdefault(objective_id, []).append(metric)
    result = []
    for obj in session.scalars(select(Objective).order_by(Objective.code)):
        owner = session.get(Person, obj.owner_id) if obj.owner_id else None
        result.append(
            ObjectiveStatus(
                code=obj.code,
                objective=obj.objective,
                target=obj.target,
                owner=owner.name if owner else "",
                due_date=obj.due_date,
                status=obj.status,
                progress=obj.progress,
                metrics=tuple(status_in(session, m, today) for m in links.get(obj.id, [])),
                overdue=obj.due_date is not None
                and obj.due_date < today
                and obj.status in OPEN_STATUSES,
            )
        )
    return result


def overview(project: Project, today: dt.date | None = None) -> list[ObjectiveStatus]:
    """Every objective with owner, status, progress and its metrics' latest status."""
    with project.reading() as session:
        return _overview_in(session, today or dt.date.today())


def overview_in(session: Session, today: dt.date) -> list[ObjectiveStatus]:
    """The same within a caller's session (used when compiling a management review)."""
    return _overview_in(session, today)
