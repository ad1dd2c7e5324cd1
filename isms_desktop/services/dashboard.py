"""The figures of the dashboard's tiles: heat maps, SoA status, open nonconformities,
upcoming audits and reviews, documents due for review.

The heat maps are ``services.heat_map``'s, the same as the Risks tab shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from isms_desktop.services import documents
from isms_desktop.services.heat_map import HeatMap, heat_map_in
from isms_desktop.storage.models import Audit, Nonconformity, Review, SoaEntry
from isms_desktop.storage.project_file import Project

UPCOMING_DAYS = 90
DOCUMENTS_DUE_DAYS = 30


@dataclass(frozen=True)
class Upcoming:
    register: str
    code: str
    title: str
    date: dt.date


@dataclass(frozen=True)
class Tiles:
    heat_map: HeatMap  # services.heat_map.HeatMap
    soa_status: dict[str, int]  # not_decided, excluded, and each implementation status
    open_nonconformities: dict[str, int]  # by severity
    upcoming: list[Upcoming] = field(default_factory=list)  # audits and reviews
    documents_due: list[Upcoming] = field(default_factory=list)


def _soa_status(session: Session) -> dict[str, int]:
    result: dict[str, int] = {"not_decided": 0, "excluded": 0}
    stmt = select(SoaEntry.applicable, SoaEntry.status, func.count()).group_by(
        SoaEntry.applicable, SoaEntry.status
    )
    for applicable, status, n in session.execute(stmt):
        if applicable is None:
            result["not_decided"] += n
        elif not applicable:
            result["excluded"] += n
        else:
            result[status] = result.get(status, 0) + n
    return result


def tiles(project: Project, today: dt.date | None = None) -> Tiles:
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    reviews = documents.reviews_due(project, today=today, within_days=DOCUMENTS_DUE_DAYS)
    with project.reading() as session:
        ncs = dict(
            session.execute(
                select(Nonconformity.severity, func.count())
                .where(Nonconformity.status != "closed")
                .group_by(Nonconformity.severity)
            ).all()
        )
        audits = session.execute(
            select(Audit.code, Audit.title, Audit.planned_start).where(
                Audit.status.in_(("planned", "in_progress")),
                Audit.planned_start.isnot(None),
                Audit.planned_start <= horizon,
            )
        ).all()
        planned_reviews = session.execute(
            select(Review.code, Review.title, Review.date).where(
                Review.status == "draft", Review.date.isnot(None), Review.date <= horizon
            )
        ).all()
        upcoming = [Upcoming("audits", c, t, d) for c, t, d in audits if d is not None]
        upcoming += [Upcoming("reviews", c, t, d) for c, t, d in planned_reviews if d is not None]
        return Tiles(
            heat_map=heat_map_in(session),
            soa_status=_soa_status(session),
            open_nonconformities={str(k or "unrated"): int(v) for k, v in ncs.items()},
            upcoming=sorted(upcoming, key=lambda u: u.date),
            documents_due=[
                Upcoming("documents", due.code, due.title, due.due_date) for due in reviews
            ],
        )
