"""Risk heat maps: how many risks sit in each (likelihood, impact) cell, inherent and residual.

Counts are grouped in SQL so that the map stays instant with 100,000 risks; the codes of one
cell are read only when the user asks for them (clicking the cell).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services.risk_method import method_in
from isms_desktop.storage.models import Risk
from isms_desktop.storage.project_file import Project

Stage = Literal["inherent", "residual"]
STAGES: tuple[Stage, ...] = ("inherent", "residual")


@dataclass(frozen=True)
class HeatMap:
    method: RiskMethod
    counts: dict[Stage, dict[tuple[int, int], int]]  # stage -> (likelihood, impact) -> risks
    unscored: dict[Stage, int]  # risks without a (complete, valid) score

    def count(self, stage: Stage, likelihood: int, impact: int) -> int:
        return self.counts[stage].get((likelihood, impact), 0)

    def total(self, stage: Stage) -> int:
        return sum(self.counts[stage].values())


def _columns(
    stage: Stage,
) -> tuple[InstrumentedAttribute[int | None], InstrumentedAttribute[int | None]]:
    if stage == "inherent":
        return Risk.inherent_likelihood, Risk.inherent_impact
    if stage == "residual":
        return Risk.residual_likelihood, Risk.residual_impact
    raise BadArgumentsError(f"there is no risk stage {stage!r} (inherent or residual)")


def heat_map(project: Project) -> HeatMap:
    """The counts of both stages under the project's risk method."""
    counts: dict[Stage, dict[tuple[int, int], int]] = {}
    unscored: dict[Stage, int] = {}
    with project.reading() as session:
        method = method_in(session)
        total = int(session.scalar(select(func.count()).select_from(Risk)) or 0)
        for stage in STAGES:
            likelihood, impact = _columns(stage)
            stmt = (
                select(likelihood, impact, func.count())
                .where(likelihood.isnot(None), impact.isnot(None))
                .group_by(likelihood, impact)
            )
            cells: dict[tuple[int, int], int] = {}
            for lk, im, n in session.execute(stmt):
                if lk is not None and im is not None and method.level(lk, im) is not None:
                    cells[(int(lk), int(im))] = int(n)
            counts[stage] = cells
            unscored[stage] = total - sum(cells.values())
    return HeatMap(method, counts, unscored)


def risk_codes(project: Project, stage: Stage, likelihood: int, impact: int) -> list[str]:
    """The codes of the risks in one cell, in code order."""
    lk_column, im_column = _columns(stage)
    with project.reading() as session:
        stmt = (
            select(Risk.code)
            .where(lk_column == likelihood, im_column == impact)
            .order_by(Risk.code)
        )
        return list(session.scalars(stmt))
