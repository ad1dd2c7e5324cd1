"""The project's risk method: reading it, scoring with it, and changing it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_desktop.catalog import load_catalogue
from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.domain.risk_method import RiskMethod, Score, rescore
from isms_desktop.storage.models import Risk
from isms_desktop.storage.models import RiskMethod as RiskMethodRow
from isms_desktop.storage.project_file import Project


def _row(session: Session) -> RiskMethodRow:
    row = session.scalars(
        select(RiskMethodRow).where(RiskMethodRow.active.is_(True)).order_by(RiskMethodRow.id)
    ).first()
    if row is None:
        raise RejectedInputError("the project has no risk method; choose one first")
    return row


def template_method(code: str) -> RiskMethod:
    """A default method of the catalogue ("5x5", "3x3") as a domain object."""
    entry = load_catalogue().risk_method(code)
    return RiskMethod.from_dict(
        {
            "code": entry.code,
            "name": entry.name,
            "description": entry.description,
            "likelihood": [s.__dict__ for s in entry.likelihood],
            "impact": [s.__dict__ for s in entry.impact],
            "levels": [lv.__dict__ for lv in entry.levels],
            "matrix": [list(row) for row in entry.matrix],
            "acceptance_level": entry.acceptance_level,
            "acceptance_by": entry.acceptance_by,
        }
    )


def method_in(session: Session) -> RiskMethod:
    row = _row(session)
    return RiskMethod.from_dict(
        {
            "code": row.code,
            "name": row.name,
            "description": row.description,
            "likelihood": row.likelihood,
            "impact": row.impact,
            "levels": row.levels,
            "matrix": row.matrix,
            "acceptance_level": row.acceptance_level,
            "acceptance_by": row.acceptance_by,
        }
    )


def current_method(project: Project) -> RiskMethod:
    with project.reading() as session:
        return method_in(session)


def score_risk(method: RiskMethod, risk: Risk) -> None:
    """Fill a risk's computed levels (and their sort ranks) from its scores."""
    risk.inherent_level = method.level(risk.inherent_likelihood, risk.inherent_impact)
    risk.inherent_rank = method.rank(risk.inherent_level)
    risk.residual_level = method.level(risk.residual_likelihood, risk.residual_impact)
    risk.residual_rank = method.rank(risk.residual_level)


@dataclass(frozen=True)
class MethodChange:
    risks: int
    changed_level: int


def change_method(
    project: Project,
    method: RiskMethod,
    *,
    likelihood_map: Mapping[int, int] | None = None,
    impact_map: Mapping[int, int] | None = None,
) -> MethodChange:
    """Replace the risk method and re-evaluate every risk, in one transaction.

    Raises ``MappingNeeded`` (before changing anything) when a scale shrank below scores in
    use and no mapping for them was given.
    """
    problems = method.problems()
    if problems:
        raise RejectedInputError("the risk method cannot be used: " + "; ".join(problems))
    with project.transaction() as session:
        risks = {r.id: r for r in session.scalars(select(Risk))}
        result = rescore(
            method,
            {
                r.id: (
                    Score(r.inherent_likelihood, r.inherent_impact),
                    Score(r.residual_likelihood, r.residual_impact),
                    r.inherent_level,
                    r.residual_level,
                )
                for r in risks.values()
            },
            likelihood_map=likelihood_map,
            impact_map=impact_map,
        )
        for risk_id, (inherent, residual) in result.scores.items():
            risk = risks[risk_id]
            risk.inherent_likelihood, risk.inherent_impact = inherent.likelihood, inherent.impact
            risk.residual_likelihood, risk.residual_impact = residual.likelihood, residual.impact
            score_risk(method, risk)
        row = _row(session)
        data = method.to_dict()
        for key in (
            "code",
            "name",
            "description",
            "likelihood",
            "impact",
            "levels",
            "matrix",
            "acceptance_level",
            "acceptance_by",
        ):
            setattr(row, key, data[key])
    return MethodChange(risks=len(risks), changed_level=result.changed_level)
