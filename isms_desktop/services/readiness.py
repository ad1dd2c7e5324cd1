"""Gather the facts the readiness rules of ``domain.readiness`` need, with SQL counts."""

from __future__ import annotations

import datetime as dt
import weakref
from typing import Any

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from isms_desktop.domain.metrics_rules import next_due
from isms_desktop.domain.readiness import ProjectFacts, Readiness, evaluate
from isms_desktop.services import metrics
from isms_desktop.services.overdue import OPEN_ACTION, action_overdue, review_overdue
from isms_desktop.services.risk_method import method_in
from isms_desktop.storage.models import (
    Action,
    ActionRisk,
    Asset,
    Audit,
    Commitment,
    ContextIssue,
    Control,
    Document,
    InterestedParty,
    Metric,
    Nonconformity,
    Objective,
    PartyRequirement,
    Person,
    Process,
    ProcessInteraction,
    ProjectRow,
    RequiredTraining,
    Review,
    Risk,
    RiskAsset,
    RiskMethod,
    Role,
    ScopeItem,
    SoaEntry,
    TrainingRecord,
)
from isms_desktop.storage.project_file import Project

# a measurement a few days late does not yet make the metric "not measured on time"
MEASUREMENT_GRACE = dt.timedelta(days=7)
IMPROVEMENT_SOURCES = ("corrective", "audit", "review", "incident")


def _count(session: Session, *criteria: Any) -> int:
    stmt = select(func.count())
    for criterion in criteria:
        stmt = stmt.where(criterion)
    return int(session.scalar(stmt) or 0)


def _counts(session: Session, model: Any, **criteria: Any) -> dict[str, int]:
    """Several counts over one table in a single pass: ``name=criterion`` (or a tuple of
    criteria that must all hold). 100,000 risks are read once, not once per count."""
    columns = []
    for name, criterion in criteria.items():
        condition = and_(*criterion) if isinstance(criterion, tuple) else criterion
        columns.append(func.count().filter(condition).label(name))
    row = session.execute(select(*columns).select_from(model)).one()
    return {name: int(row._mapping[name] or 0) for name in criteria}


def _filled(column: Any) -> Any:
    return func.length(func.trim(func.coalesce(column, ""))) > 0


def _metrics_measured(session: Session, today: dt.date) -> tuple[int, int]:
    """(metrics, those measured on time): due one period after the last measurement
    (``domain.metrics_rules``), with a week's grace before it counts as late."""
    last = metrics.last_measured(session)
    total = measured = 0
    for metric_id, frequency in session.execute(select(Metric.id, Metric.frequency)):
        total += 1
        when = last.get(metric_id)
        if when is not None and today <= next_due(frequency, when, today) + MEASUREMENT_GRACE:
            measured += 1
    return total, measured


def _themes(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    justified = _filled(SoaEntry.justification)
    halves = case(
        (and_(SoaEntry.applicable.is_(True), SoaEntry.status == "implemented"), 2),
        (and_(SoaEntry.applicable.is_(True), SoaEntry.status == "partially_implemented"), 1),
        (and_(SoaEntry.applicable.is_(False), justified), 2),
        else_=0,
    )
    rows: dict[str, int] = {}
    settled: dict[str, int] = {}
    stmt = (
        select(Control.theme, func.count(), func.sum(halves))
        .join(SoaEntry, SoaEntry.control_id == Control.id)
        .group_by(Control.theme)
    )
    for theme, n, h in session.execute(stmt):
        rows[theme] = int(n)
        settled[theme] = int(h or 0)
    return rows, settled


def _risk_facts(session: Session, today: dt.date) -> dict[str, Any]:
    has_method = _count(session, RiskMethod.active.is_(True)) > 0
    accept_rank = 10**6
    if has_method:
        method = method_in(session)
        accept_rank = method.rank(method.acceptance_level)
    above = Risk.inherent_rank > accept_rank
    # an IN over the set of treated risk ids: computed once, not once per risk
    with_action = Risk.id.in_(
        select(ActionRisk.risk_id)
        .join(Action, Action.id == ActionRisk.action_id)
        .where(Action.source == "treatment", Action.status != "cancelled")
    )
    treated = Risk.treatment.in_(("modify", "share"))
    risks = _counts(
        session,
        Risk,
        risks=Risk.id.isnot(None),
        risks_scored=Risk.inherent_level.isnot(None),
        risks_above_acceptance=above,
        risks_above_acceptance_treated=(above, Risk.treatment != ""),
        risks_above_acceptance_with_owner=(above, Risk.owner_id.isnot(None)),
        risks_to_modify=Risk.treatment == "modify",
        risks_to_modify_with_action=(Risk.treatment == "modify", with_action),
        risks_retained=Risk.treatment == "retain",
        risks_retained_accepted=(Risk.treatment == "retain", Risk.accepted_by_id.isnot(None)),
        risks_review_overdue=review_overdue(today),
        treated_risks=treated,
        treated_risks_with_residual=(treated, Risk.residual_level.isnot(None)),
    )
    return {
        "risk_method_defined": has_method,
        "assets_in_scope": _count(session, Asset.lifecycle != "retired"),
        "assets_assessed": _count(
            session,
            Asset.lifecycle != "retired",
            exists().where(RiskAsset.asset_id == Asset.id),
        ),
        **risks,
    }


def _action_facts(session: Session, today: dt.date) -> dict[str, Any]:
    is_open = Action.status.in_(OPEN_ACTION)
    overdue = action_overdue(today)
    improvement = and_(Action.source.in_(IMPROVEMENT_SOURCES), Action.status != "cancelled")
    live = Action.status != "cancelled"
    return _counts(
        session,
        Action,
        actions=live,
        open_actions=is_open,
        overdue_actions=overdue,
        treatment_actions=(Action.source == "treatment", live),
        treatment_actions_done=(Action.source == "treatment", Action.status == "done"),
        improvement_actions=improvement,
        overdue_corrective_actions=(improvement, overdue),
    )


def _people_facts(session: Session) -> dict[str, Any]:
    active = Person.active.is_(True)
    trained = exists().where(TrainingRecord.person_id == Person.id)
    aware = exists().where(
        TrainingRecord.person_id == Person.id, TrainingRecord.kind == "awareness"
    )
    return {
        "active_people": _count(session, active),
        "people_trained": _count(session, active, trained),
        "people_aware": _count(session, active, aware),
        "required_trainings": _count(session, RequiredTraining.id.isnot(None)),
    }


def _context_facts(session: Session) -> dict[str, Any]:
    relevant = InterestedParty.relevant.is_(True)
    has_requirement = exists().where(PartyRequirement.party_id == InterestedParty.id)
    exclusion = ScopeItem.kind == "exclusion"
    scope = session.scalar(select(ProjectRow.scope_statement)) or ""
    climate = _count(session, ContextIssue.climate_related.isnot(None)) + _count(
        session, PartyRequirement.type == "climate"
    )
    return {
        "internal_issues": _count(session, ContextIssue.kind == "internal"),
        "external_issues": _count(session, ContextIssue.kind == "external"),
        "climate_answered": climate > 0,
        "parties": _count(session, InterestedParty.id.isnot(None)),
        "parties_decided": _count(session, InterestedParty.relevant.isnot(None)),
        "relevant_parties": _count(session, relevant),
        "relevant_parties_with_requirement": _count(session, relevant, has_requirement),
        "requirements": _count(session, PartyRequirement.id.isnot(None)),
        "requirements_decided": _count(session, PartyRequirement.addressed.isnot(None)),
        "scope_statement_written": bool(scope.strip()),
        "scope_items": _count(session, ScopeItem.id.isnot(None)),
        "exclusions": _count(session, exclusion),
        "exclusions_justified": _count(session, exclusion, _filled(ScopeItem.justification)),
        "processes": _count(session, Process.id.isnot(None)),
        "processes_with_owner": _count(session, Process.owner_id.isnot(None)),
        "interactions": _count(session, ProcessInteraction.id.isnot(None)),
        "commitments": _count(session, Commitment.id.isnot(None)),
        "resource_commitments": _count(session, Commitment.kind == "resources"),
        "roles": _count(session, Role.id.isnot(None)),
        "roles_with_holder": _count(session, Role.holder_id.isnot(None)),
    }


def _records_facts(session: Session, today: dt.date) -> dict[str, Any]:
    live_doc = Document.status != "withdrawn"
    nc_action = exists().where(Action.nonconformity_id == Nonconformity.id)
    closed = Nonconformity.status == "closed"
    total_metrics, measured = _metrics_measured(session, today)
    return {
        "policy_approved": _count(
            session, Document.type == "policy", Document.status.in_(("approved", "published"))
        )
        > 0,
        "documents": _count(session, live_doc),
        "documents_with_owner": _count(session, live_doc, Document.owner_id.isnot(None)),
        "documents_due_for_review": _count(session, live_doc, Document.next_review < today),
        "objectives": _count(session, Objective.id.isnot(None)),
        "objectives_planned": _count(
            session, Objective.owner_id.isnot(None), Objective.due_date.isnot(None)
        ),
        "metrics": total_metrics,
        "metrics_measured": measured,
        "audits": _count(session, Audit.status != "cancelled"),
        "audits_completed": _count(session, Audit.status == "completed"),
        "reviews_held": _count(session, Review.status.in_(("held", "closed"))),
        "nonconformities": _count(session, Nonconformity.id.isnot(None)),
        "nonconformities_with_cause": _count(session, _filled(Nonconformity.root_cause)),
        "nonconformities_with_action": _count(session, Nonconformity.id.isnot(None), nc_action),
        "nonconformities_closed": _count(session, closed),
        "nonconformities_closed_verified": _count(
            session, closed, Nonconformity.effective.is_(True)
        ),
    }


def gather_facts(session: Session, today: dt.date | None = None) -> ProjectFacts:
    today = today or dt.date.today()
    justified = _filled(SoaEntry.justification)
    theme_rows, theme_settled = _themes(session)
    return ProjectFacts(
        **_context_facts(session),
        **_risk_facts(session, today),
        **_action_facts(session, today),
        **_people_facts(session),
        **_records_facts(session, today),
        soa_rows=_count(session, SoaEntry.id.isnot(None)),
        soa_decided=_count(session, SoaEntry.applicable.isnot(None)),
        soa_excluded=_count(session, SoaEntry.applicable.is_(False)),
        soa_excluded_justified=_count(session, SoaEntry.applicable.is_(False), justified),
        theme_rows=theme_rows,
        theme_settled_halves=theme_settled,
    )


def compute(session: Session, today: dt.date | None = None) -> Readiness:
    return evaluate(gather_facts(session, today))


_CACHE: weakref.WeakKeyDictionary[Project, tuple[int, dt.date, Readiness]] = (
    weakref.WeakKeyDictionary()
)


def report(project: Project, today: dt.date | None = None) -> Readiness:
    """Readiness with every rule's score and next steps (for the dashboard and
    ``info --json``); computed once per change of the project and day."""
    today = today or dt.date.today()
    cached = _CACHE.get(project)
    if cached is not None and cached[:2] == (project.generation, today):
        return cached[2]
    generation = project.generation
    with project.reading() as session:
        result = compute(session, today)
    _CACHE[project] = (generation, today, result)
    return result


__all__ = ["MEASUREMENT_GRACE", "compute", "gather_facts", "report"]
