"""The project's risk method: reading it, scoring with it, and changing it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from isms_desktop.domain.errors import CancelledError, ConflictError, RejectedInputError
from isms_desktop.domain.risk_method import RiskMethod, Score, rescore
from isms_desktop.storage.audit_trail import updated_in_bulk
from isms_desktop.storage.bulk import update_rows
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
    from isms_desktop.catalog import load_catalogue  # (YAML: not needed to open a project)

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


# what ``_levels`` gives, in order
SCORED_KEYS = ("inherent_level", "inherent_rank", "residual_level", "residual_rank")
# what they are scored from
_SCORES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


def score_risk(method: RiskMethod, risk: Risk) -> None:
    """Fill a risk's computed levels (and their sort ranks) from its scores."""
    scores = {name: getattr(risk, name) for name in _SCORES}
    for key, value in scored_levels(method, scores).items():
        setattr(risk, key, value)


def scored_levels(method: RiskMethod, risk: Mapping[str, Any]) -> dict[str, Any]:
    """A risk's levels and their sort ranks (``SCORED_KEYS``) from its scores, given by
    field name."""
    scored = _levels(
        method,
        Score(risk.get("inherent_likelihood"), risk.get("inherent_impact")),
        Score(risk.get("residual_likelihood"), risk.get("residual_impact")),
    )
    return dict(zip(SCORED_KEYS, scored, strict=True))


def _levels(
    method: RiskMethod, inherent: Score, residual: Score
) -> tuple[str | None, int, str | None, int]:
    """(inherent level, its rank, residual level, its rank) of these scores."""
    inherent_level = method.level(inherent.likelihood, inherent.impact)
    residual_level = method.level(residual.likelihood, residual.impact)
    return (
        inherent_level,
        method.rank(inherent_level),
        residual_level,
        method.rank(residual_level),
    )


_CHUNK = 1000  # risks loaded at a time to be re-scored
# what re-scoring reads of every risk: its scores, the values scoring sets (in order), and
# the row's version
_SCORED = (
    Risk.id,
    Risk.inherent_likelihood,
    Risk.inherent_impact,
    Risk.residual_likelihood,
    Risk.residual_impact,
    Risk.inherent_level,
    Risk.inherent_rank,
    Risk.residual_level,
    Risk.residual_rank,
    Risk.row_version,
)


_RISKS: Table = Risk.__table__  # type: ignore[assignment]
_RESCORED_COLUMNS = (  # what re-scoring sets
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    *SCORED_KEYS,
    "row_version",
)
# one re-scored risk, written only if its row version is still the one read (and bumped,
# as the ORM does for a record it saves)
_RESCORE = (
    update(_RISKS)
    .where(_RISKS.c.id == bindparam("b_id"), _RISKS.c.row_version == bindparam("b_version"))
    .values(
        {
            **{key: bindparam(key) for key in _RESCORED_COLUMNS if key != "row_version"},
            "row_version": _RISKS.c.row_version + 1,
        }
    )
)


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
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MethodChange:
    """Replace the risk method and re-evaluate every risk, in one transaction.

    Raises ``MappingNeeded`` (before changing anything) when a scale shrank below scores in
    use and no mapping for them was given. ``progress(done, total)`` is told of the risks
    re-scored as they are written; when ``cancelled()`` says yes, CancelledError is raised
    and nothing is changed.
    """
    problems = method.problems()
    if problems:
        raise RejectedInputError("the risk method cannot be used: " + "; ".join(problems))
    with project.transaction() as session:
        # the scores as plain rows; only the risks whose values change are loaded, a chunk
        # at a time (100,000 risks as objects took 800 MB and 25 s)
        stored = session.execute(select(*_SCORED).order_by(Risk.id)).all()
        result = rescore(
            method,
            {
                row.id: (
                    Score(row.inherent_likelihood, row.inherent_impact),
                    Score(row.residual_likelihood, row.residual_impact),
                    row.inherent_level,
                    row.residual_level,
                )
                for row in stored
            },
            likelihood_map=likelihood_map,
            impact_map=impact_map,
        )
        changes: dict[int, tuple[Score, Score]] = {}
        versions = {row.id: row.row_version for row in stored}
        for row in stored:
            inherent, residual = result.scores[row.id]
            new = (
                inherent.likelihood,
                inherent.impact,
                residual.likelihood,
                residual.impact,
                *_levels(method, inherent, residual),
            )
            if new != tuple(row[1:-1]):
                changes[row.id] = (inherent, residual)
        # written a chunk per statement, each row only if its version is the one read
        # (team mode: someone else may have saved it since); the audit trail logs each
        # value that changed
        ids = list(changes)
        for start in range(0, len(ids), _CHUNK):
            if cancelled is not None and cancelled():
                raise CancelledError("the risk method was not changed (cancelled)")
            chunk = ids[start : start + _CHUNK]
            rows: list[dict[str, object]] = []
            for risk_id in chunk:
                inherent, residual = changes[risk_id]
                values: dict[str, object] = {
                    "b_id": risk_id,
                    "b_version": versions[risk_id],
                    "inherent_likelihood": inherent.likelihood,
                    "inherent_impact": inherent.impact,
                    "residual_likelihood": residual.likelihood,
                    "residual_impact": residual.impact,
                }
                values.update(zip(SCORED_KEYS, _levels(method, inherent, residual), strict=True))
                rows.append(values)
            written = updated_in_bulk(
                session,
                _RISKS,
                chunk,
                _RESCORED_COLUMNS,
                partial(update_rows, session.connection(), _RESCORE, rows),
            )
            if written != len(chunk):
                raise ConflictError(
                    f"someone else saved {len(chunk) - written} of the risks while the risk "
                    "method was being changed; nothing was changed — try again",
                    register="risks",
                )
            if progress is not None:
                progress(start + len(chunk), len(ids))
        saved = _row(session)
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
            setattr(saved, key, data[key])
    return MethodChange(risks=len(stored), changed_level=result.changed_level)
