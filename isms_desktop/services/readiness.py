"""Gather the facts the readiness rules of ``domain.readiness`` need."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from isms_desktop.domain.readiness import ProjectFacts, Readiness, evaluate
from isms_desktop.storage.models import Person, Process, ProjectRow, RiskMethod, SoaEntry
from isms_desktop.storage.project_file import Project


def _count(session: Session, *criteria: object) -> int:
    stmt = select(func.count())
    for criterion in criteria:
        stmt = stmt.where(criterion)  # type: ignore[arg-type]
    return int(session.scalar(stmt) or 0)


def gather_facts(session: Session) -> ProjectFacts:
    scope = session.scalar(select(ProjectRow.scope_statement)) or ""
    justified = func.length(func.trim(SoaEntry.justification)) > 0
    return ProjectFacts(
        scope_statement_written=bool(scope.strip()),
        processes=_count(session, Process.id.isnot(None)),
        processes_with_owner=_count(session, Process.owner_id.isnot(None)),
        people=_count(session, Person.id.isnot(None)),
        people_with_role=_count(session, Person.role != ""),
        risk_method_defined=_count(session, RiskMethod.active.is_(True)) > 0,
        soa_rows=_count(session, SoaEntry.id.isnot(None)),
        soa_decided=_count(session, SoaEntry.applicable.isnot(None)),
        soa_excluded_without_justification=_count(
            session, SoaEntry.applicable.is_(False), ~justified
        ),
        soa_settled=_count(
            session,
            or_(
                and_(SoaEntry.applicable.is_(True), SoaEntry.status == "implemented"),
                and_(SoaEntry.applicable.is_(False), justified),
            ),
        ),
    )


def compute(session: Session) -> Readiness:
    return evaluate(gather_facts(session))


def report(project: Project) -> Readiness:
    """Readiness with every rule's score and next step (for the dashboard)."""
    with project.reading() as session:
        return compute(session)
