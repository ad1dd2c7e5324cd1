"""Risk heat maps: how many risks sit in each (likelihood, impact) cell, inherent and residual.

The one rule, used by the Risks tab and the dashboard alike:

* only risks that are not closed are counted;
* the inherent map places a risk by its inherent likelihood × impact;
* the residual map places it by its residual likelihood × impact; a risk whose residual is not
  assessed (either residual score missing) is shown at its inherent position instead;
* a risk with no position (no score, or one outside the method's scales) is not placed; the
  map says how many.

Counts are grouped in SQL so that the map stays instant with 100,000 risks. Clicking a cell
filters the risk register by ``cell_filter(stage, likelihood, impact)``: the register's
listing applies ``cell_clause``, the same condition the counts are grouped by, so the register
shows exactly the risks counted in the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services.risk_method import method_in
from isms_desktop.storage.models import Risk
from isms_desktop.storage.project_file import Project

Stage = Literal["inherent", "residual"]
STAGES: tuple[Stage, ...] = ("inherent", "residual")
CLOSED = "closed"

# The register filter key of one heat map cell; its value is "stage:likelihood:impact".
CELL_FILTER = "heat_map_cell"


@dataclass(frozen=True)
class HeatMap:
    method: RiskMethod
    counts: dict[Stage, dict[tuple[int, int], int]]  # stage -> (likelihood, impact) -> risks
    unplaced: dict[Stage, int]  # open risks with no position in the stage's map
    fallback: int  # open risks without a residual assessment, shown at their inherent score
    open_risks: int  # risks not closed
    closed: int  # closed risks (never counted)

    def count(self, stage: Stage, likelihood: int, impact: int) -> int:
        return self.counts[stage].get((likelihood, impact), 0)

    def total(self, stage: Stage) -> int:
        return sum(self.counts[stage].values())

    def by_level(self, stage: Stage) -> dict[str, int]:
        """How many of the stage's placed risks are at each level of the method's matrix."""
        totals = {level.code: 0 for level in self.method.levels}
        for (likelihood, impact), n in self.counts[stage].items():
            code = self.method.level(likelihood, impact)
            if code in totals:
                totals[code] += n
        return totals

    def summary(self) -> str:
        """What the maps count, in words (under the maps on screen and in the PDF)."""
        parts = [f"{self.open_risks:,} risks not closed"]
        if self.closed:
            parts[0] += f" ({self.closed:,} closed, not counted)"
        if self.fallback:
            parts.append(
                f"{self.fallback:,} without a residual assessment shown at their inherent score"
            )
        parts += [
            f"{self.unplaced[s]:,} not placed on the {s} map (no score)"
            for s in STAGES
            if self.unplaced[s]
        ]
        return "; ".join(parts) + "."


def is_open() -> ColumnElement[bool]:
    """The risks a heat map counts: those not closed."""
    return Risk.status != CLOSED


def residual_assessed() -> ColumnElement[bool]:
    return and_(Risk.residual_likelihood.is_not(None), Risk.residual_impact.is_not(None))


def position(stage: Stage) -> tuple[Any, Any]:
    """The (likelihood, impact) expressions that place a risk in ``stage``'s map."""
    if stage == "inherent":
        return Risk.inherent_likelihood, Risk.inherent_impact
    if stage == "residual":
        assessed = residual_assessed()
        return (
            case((assessed, Risk.residual_likelihood), else_=Risk.inherent_likelihood),
            case((assessed, Risk.residual_impact), else_=Risk.inherent_impact),
        )
    raise BadArgumentsError(f"there is no risk stage {stage!r} (inherent or residual)")


def cell_clause(stage: Stage, likelihood: int, impact: int) -> ColumnElement[bool]:
    """The risks counted in one cell (the register filter of that cell)."""
    lk, im = position(stage)
    return and_(is_open(), lk == likelihood, im == impact)


def cell_filter(stage: Stage, likelihood: int, impact: int) -> dict[str, str]:
    """The register filter (``registers.Query.equals``) that shows the risks of one cell."""
    position(stage)  # a wrong stage is refused here, not when the register is read
    return {CELL_FILTER: f"{stage}:{int(likelihood)}:{int(impact)}"}


def parse_cell(value: object) -> tuple[Stage, int, int]:
    """The (stage, likelihood, impact) of a ``CELL_FILTER`` value."""
    parts = str(value).split(":")
    if len(parts) == 3 and parts[0] in STAGES:
        try:
            return parts[0], int(parts[1]), int(parts[2])
        except ValueError:
            pass
    raise BadArgumentsError(
        f"{value!r} is not a heat map cell (stage:likelihood:impact, e.g. residual:3:4)"
    )


def describe_cell(value: object, method: RiskMethod | None = None) -> str:
    """A heat map cell filter in words, for the register's filter note (with the scales'
    names when the risk method is given, as the heat map labels its rows and columns)."""
    stage, likelihood, impact = parse_cell(value)

    def named(scale: str, number: int) -> str:
        names = {level.value: level.label for level in method.scale(scale)} if method else {}
        return f"{number} {names[number]}" if number in names else str(number)

    text = (
        f"{stage} heat map cell, likelihood {named('likelihood', likelihood)} × impact "
        f"{named('impact', impact)}, risks not closed"
    )
    if stage == "residual":
        text += " (unassessed residual taken as the inherent score)"
    return text[0].upper() + text[1:]


def heat_map_in(session: Session) -> HeatMap:
    """The counts of both stages under the project's risk method."""
    method = method_in(session)
    rows, columns = len(method.likelihood), len(method.impact)
    at_inherent = and_(
        is_open(),
        ~residual_assessed(),
        Risk.inherent_likelihood.is_not(None),
        Risk.inherent_impact.is_not(None),
    )
    every, closed_n, fallback_n = session.execute(
        select(
            func.count(),
            func.sum(case((Risk.status == CLOSED, 1), else_=0)),
            func.sum(case((at_inherent, 1), else_=0)),
        ).select_from(Risk)
    ).one()
    closed, fallback = int(closed_n or 0), int(fallback_n or 0)
    open_risks = int(every or 0) - closed
    counts: dict[Stage, dict[tuple[int, int], int]] = {}
    unplaced: dict[Stage, int] = {}
    for stage in STAGES:
        lk, im = position(stage)
        stmt = select(lk, im, func.count()).where(is_open()).group_by(lk, im)
        cells: dict[tuple[int, int], int] = {}
        for likelihood, impact, n in session.execute(stmt):
            if likelihood is None or impact is None:
                continue
            if 1 <= likelihood <= rows and 1 <= impact <= columns:
                cells[(int(likelihood), int(impact))] = int(n)
        counts[stage] = cells
        unplaced[stage] = open_risks - sum(cells.values())
    return HeatMap(method, counts, unplaced, fallback, open_risks, closed)


def heat_map(project: Project) -> HeatMap:
    with project.reading() as session:
        return heat_map_in(session)


def risk_codes(project: Project, stage: Stage, likelihood: int, impact: int) -> list[str]:
    """The codes of the risks in one cell, in code order."""
    clause = cell_clause(stage, likelihood, impact)
    with project.reading() as session:
        return list(session.scalars(select(Risk.code).where(clause).order_by(Risk.code)))
