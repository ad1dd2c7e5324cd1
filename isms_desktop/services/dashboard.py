"""The figures of the dashboard's tiles: heat maps, SoA status, open nonconformities,
upcoming audits and reviews, documents due for review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services import documents
from isms_desktop.services.risk_method import method_in
from isms_desktop.storage.models import Audit, Nonconformity, Review, Risk, SoaEntry
from isms_desktop.storage.project_file import Project

UPCOMING_DAYS = 90
DOCUMENTS_DUE_DAYS = 30


@dataclass(frozen=True)
class HeatMap:
    """Number of risks per (likelihood, impact) cell, for inherent and residual scores."""

    method: RiskMethod
    inherent: dict[tuple[int, int], int]
    residual: dict[tuple[int, int], int]


@dataclass(frozen=True)
class Upcoming:
    register: str
    code: str
    title: str
    date: dt.date


@dataclass(frozen=True)
class Tiles:
    heat_map: HeatMap
    soa_status: dict[str, int]  # not_decided, excluded, and each implementation status
    open_nonconformities: dict[str, int]  # by severity
    upcoming: list[Upcoming] = field(default_factory=list)  # audits and reviews
    documents_due: list[Upcoming] = field(default_factory=list)


def _heat_map(session: Session) -> HeatMap:
    """Counts per cell, grouped in SQL (an untreated risk's residual is its inherent one)."""
    method = method_in(session)
    live = Risk.status != "closed"
    inherent = {
        (int(lk or 0), int(im or 0)): int(n)
        for lk, im, n in session.execute(
            select(Risk.inherent_likelihood, Risk.inherent_impact, func.count())
            .where(live, Risk.inherent_likelihood > 0, Risk.inherent_impact > 0)
            .group_by(Risk.inherent_likelihood, Risk.inherent_impact)
        )
    }
    scored = and_(Risk.residual_likelihood > 0, Risk.residual_impact > 0)
    likelihood = case((scored, Risk.residual_likelihood), else_=Risk.inherent_likelihood)
    impact = case((scored, Risk.residual_impact), else_=Risk.inherent_impact)
    residual = {
        (int(lk), int(im)): int(n)
        for lk, im, n in session.execute(
            select(likelihood, impact, func.count())
            .where(live, likelihood > 0, impact > 0)
            .group_by(likelihood, impact)
        )
    }
    return HeatMap(method, inherent, residual)


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
            heat_map=_heat_map(session),
            soa_status=_soa_status(session),
            open_nonconformities={str(k or "unrated"): int(v) for k, v in ncs.items()},
            upcoming=sorted(upcoming, key=lambda u: u.date),
            documents_due=[
                Upcoming("documents", due.code, due.title, due.due_date) for due in reviews
            ],
        )
