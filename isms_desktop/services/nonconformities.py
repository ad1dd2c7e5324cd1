"""Nonconformity and corrective action use cases (10.2).

A nonconformity is raised from an audit finding, an incident, a management review, a
complaint or anything else; it moves through the workflow of ``domain.audit_nonconformity``
(no skipping); its corrective actions are rows of the one action list (source
``corrective``), so they appear with every other open or overdue action.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from isms_desktop.domain.audit_checklist import NONCONFORMITY_KINDS
from isms_desktop.domain.audit_nonconformity import (
    NC_LABELS,
    ActionFacts,
    NcFacts,
    NcTransitionError,
    allowed_targets,
    check_nc_transition,
    clean_whys,
    root_cause_from_whys,
)
from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import registers
from isms_desktop.storage.models import (
    Action,
    Attachment,
    Audit,
    Finding,
    Incident,
    Nonconformity,
    Person,
)
from isms_desktop.storage.project_file import Project


@dataclass(frozen=True)
class CorrectiveAction:
    code: str
    title: str
    owner: str  # person code ('' when unassigned)
    owner_name: str
    due_date: dt.date | None
    status: str
    completed_on: dt.date | None


@dataclass(frozen=True)
class NcDetail:
    code: str
    status: str
    status_label: str
    source: str
    description: str
    requirement: str
    severity: str
    finding: str
    incident: str
    correction: str
    whys: tuple[str, ...]
    root_cause: str
    verified_by: str
    verified_on: dt.date | None
    verification: str
    effective: bool | None
    actions: tuple[CorrectiveAction, ...]
    next_steps: tuple[str, ...]
    raised_on: dt.date | None = None
    raised_by: str = ""  # the person's name ('' when nobody is named)


def _nc(session: Session, code: str) -> Nonconformity:
    found = session.scalars(
        select(Nonconformity).where(Nonconformity.code == code.strip())
    ).one_or_none()
    if found is None:
        raise BadArgumentsError(f"nonconformities: there is no nonconformity {code}")
    return found


def _actions(session: Session, nc: Nonconformity) -> list[Action]:
    return list(
        session.scalars(
            select(Action).where(Action.nonconformity_id == nc.id).order_by(Action.code)
        )
    )


def _person_code(session: Session, person_id: int | None) -> str:
    if person_id is None:
        return ""
    person = session.get(Person, person_id)
    return person.code if person else ""


def _facts(session: Session, nc: Nonconformity) -> NcFacts:
    return NcFacts(
        code=nc.code,
        status=nc.status,
        root_cause=nc.root_cause or "",
        actions=tuple(
            ActionFacts(a.code, a.status, _person_code(session, a.owner_id) or None, a.due_date)
            for a in _actions(session, nc)
        ),
        verified_by=_person_code(session, nc.verified_by_id) or None,
        verified_on=nc.verified_on,
        verification=nc.verification or "",
        effective=nc.effective,
    )


def _detail(session: Session, nc: Nonconformity) -> NcDetail:
    facts = _facts(session, nc)
    finding = session.get(Finding, nc.finding_id) if nc.finding_id else None
    incident_code = ""
    if nc.incident_id:
        incident = session.get(Incident, nc.incident_id)
        incident_code = incident.code if incident else ""
    raiser = session.get(Person, nc.raised_by_id) if nc.raised_by_id else None
    actions = []
    for a in _actions(session, nc):
        owner = session.get(Person, a.owner_id) if a.owner_id else None
        actions.append(
            CorrectiveAction(
                a.code,
                a.title,
                owner.code if owner else "",
                owner.name if owner else "",
                a.due_date,
                a.status,
                a.completed_on,
            )
        )
    return NcDetail(
        code=nc.code,
        status=nc.status,
        status_label=NC_LABELS.get(nc.status, nc.status),
        source=nc.source,
        description=nc.description,
        requirement=nc.requirement,
        severity=nc.severity,
        finding=finding.code if finding else "",
        incident=incident_code,
        correction=nc.correction,
        whys=tuple(nc.whys or ()),
        root_cause=nc.root_cause,
        verified_by=facts.verified_by or "",
        verified_on=nc.verified_on,
        verification=nc.verification,
        effective=nc.effective,
        actions=tuple(actions),
        next_steps=tuple(allowed_targets(facts)),
        raised_on=nc.raised_on,
        raised_by=raiser.name if raiser else "",
    )


def detail(project: Project, code: str) -> NcDetail:
    with project.reading() as session:
        return _detail(session, _nc(session, code))


# --- raising ---------------------------------------------------------------------------


def raise_nonconformity(project: Project, values: Mapping[str, Any]) -> str:
    """Raise a nonconformity (from a review, a complaint, monitoring, ...); returns its code."""
    change = registers.create(project, "nonconformities", values)
    return change.code


def raise_from_finding(project: Project, finding_code: str, *, raised_by: str | None = None) -> str:
    """The nonconformity of an audit finding that is a (major or minor) nonconformity."""
    with project.reading() as session:
        finding = session.scalars(
            select(Finding).where(Finding.code == finding_code.strip())
        ).one_or_none()
        if finding is None:
            raise BadArgumentsError(f"findings: there is no finding {finding_code}")
        if finding.kind not in NONCONFORMITY_KINDS:
            raise BadArgumentsError(
                f"{finding.code} is an {finding.kind.replace('_', ' ')}, not a nonconformity; "
                "record an improvement action for it instead"
            )
        existing = session.scalar(
            select(Nonconformity.code).where(Nonconformity.finding_id == finding.id)
        )
        if existing:
            raise BadArgumentsError(f"{finding.code} already raised {existing}")
        audit = session.get(Audit, finding.audit_id)
        values: dict[str, Any] = {
            "source": "audit",
            "finding": finding.code,
            "description": finding.description,
            "requirement": finding.requirement,
            "severity": "major" if finding.kind == "major_nc" else "minor",
            "raised_on": audit.signed_off_on if audit and audit.signed_off_on else dt.date.today(),
            "raised_by": raised_by,
        }
        if raised_by is None and audit is not None and audit.lead_auditor_id:
            values["raised_by"] = _person_code(session, audit.lead_auditor_id)
    return raise_nonconformity(project, values)


def findings_to_raise(project: Project, audit_code: str) -> list[str]:
    """The nonconformity findings of an audit that have no nonconformity yet."""
    with project.reading() as session:
        audit = session.scalars(select(Audit).where(Audit.code == audit_code)).one_or_none()
        if audit is None:
            raise BadArgumentsError(f"audits: there is no audit {audit_code}")
        raised = set(
            session.scalars(
                select(Nonconformity.finding_id).where(Nonconformity.finding_id.is_not(None))
            )
        )
        return [
            f.code
            for f in session.scalars(
                select(Finding).where(Finding.audit_id == audit.id).order_by(Finding.code)
            )
            if f.kind in NONCONFORMITY_KINDS and f.id not in raised
        ]


def raisable(project: Project, finding_codes: Sequence[str]) -> list[str]:
    """Those of the findings that are nonconformities and have no nonconformity yet."""
    wanted = [c.strip() for c in finding_codes if c.strip()]
    if not wanted:
        return []
    with project.reading() as session:
        stmt = (
            select(Finding.code)
            .outerjoin(Nonconformity, Nonconformity.finding_id == Finding.id)
            .where(
                Finding.code.in_(wanted),
                Finding.kind.in_(NONCONFORMITY_KINDS),
                Nonconformity.id.is_(None),
            )
        )
        found = set(session.scalars(stmt))
    return [c for c in wanted if c in found]


def raise_for_audit(project: Project, audit_code: str) -> list[str]:
    """Nonconformities for every nonconformity finding of an audit that has none yet."""
    return [raise_from_finding(project, code) for code in findings_to_raise(project, audit_code)]


# --- the workflow ----------------------------------------------------------------------


def _move(session: Session, nc: Nonconformity, target: str) -> None:
    session.flush()
    check_nc_transition(_facts(session, nc), target)
    nc.status = target


def transition(project: Project, code: str, target: str) -> NcDetail:
    """Move a nonconformity to ``target``; refused (with what is missing) when not allowed."""
    with project.transaction() as session:
        nc = _nc(session, code)
        _move(session, nc, target)
        session.flush()
        return _detail(session, nc)


def record_correction(project: Project, code: str, correction: str) -> None:
    """The immediate fix of the nonconformity itself (any time before closing)."""
    with project.transaction() as session:
        nc = _nc(session, code)
        if nc.status == "closed":
            raise NcTransitionError(f"{code} is closed")
        nc.correction = correction


def analyse_cause(
    project: Project,
    code: str,
    *,
    whys: Sequence[str] = (),
    root_cause: str = "",
    correction: str | None = None,
) -> NcDetail:
    """Record the 5 whys and the root cause; the nonconformity becomes 'cause analysed'.

    Without an explicit root cause, the last answered why is taken as the root cause.
    """
    answered = clean_whys(whys)
    cause = root_cause.strip() or root_cause_from_whys(answered)
    with project.transaction() as session:
        nc = _nc(session, code)
        if nc.status not in ("open", "cause_analysed"):
            raise NcTransitionError(
                f"{code} is {NC_LABELS[nc.status].lower()}; the cause was already analysed"
            )
        nc.whys = answered
        nc.root_cause = cause
        if correction is not None:
            nc.correction = correction
        _move(session, nc, "cause_analysed")
        return _detail(session, nc)


def add_corrective_action(
    project: Project,
    code: str,
    *,
    title: str,
    owner: str | None,
    due_date: dt.date | None,
    description: str = "",
) -> str:
    """A corrective action in the one action list, linked to this nonconformity."""
    with project.reading() as session:
        nc = _nc(session, code)
        if nc.status in ("verified", "closed"):
            raise NcTransitionError(f"{code} is {NC_LABELS[nc.status].lower()}")
        requirement = nc.requirement
    controls = [requirement[2:]] if requirement.startswith("A.") else []
    change = registers.create(
        project,
        "actions",
        {
            "source": "corrective",
            "title": title,
            "description": description,
            "owner": owner,
            "due_date": due_date,
            "status": "open",
            "controls": controls,
            "nonconformity": code,
        },
    )
    return change.code


def plan_actions(project: Project, code: str) -> NcDetail:
    """Corrective actions are planned (each with owner and due date)."""
    return transition(project, code, "action_planned")


def complete_action(project: Project, action_code: str, on: dt.date | None = None) -> None:
    """Mark a corrective action done; the NC becomes 'implemented' when all are done."""
    with project.transaction() as session:
        action = session.scalars(select(Action).where(Action.code == action_code)).one_or_none()
        if action is None:
            raise BadArgumentsError(f"actions: there is no action {action_code}")
        action.status = "done"
        action.progress = 100
        action.completed_on = on or dt.date.today()
        if action.nonconformity_id is not None:
            nc = session.get(Nonconformity, action.nonconformity_id)
            if nc is not None and nc.status == "action_planned":
                session.flush()
                facts = _facts(session, nc)
                if all(a.status in ("done", "cancelled") for a in facts.actions):
                    nc.status = "implemented"


def mark_implemented(project: Project, code: str, on: dt.date | None = None) -> NcDetail:
    """Every corrective action is finished (their status set in the actions register):
    the nonconformity goes on to the effectiveness check. Done actions without a completion
    date get ``on`` (today), so a later check can tell them from further actions."""
    with project.transaction() as session:
        nc = _nc(session, code)
        for action in _actions(session, nc):
            if action.status == "done" and action.completed_on is None:
                action.completed_on = on or dt.date.today()
        _move(session, nc, "implemented")
        session.flush()
        return _detail(session, nc)


def verify_effectiveness(
    project: Project,
    code: str,
    *,
    verified_by: str,
    verified_on: dt.date,
    verification: str,
    effective: bool,
) -> NcDetail:
    """Record the effectiveness check: effective → verified; not effective → plan again."""
    with project.transaction() as session:
        nc = _nc(session, code)
        if nc.status != "implemented":
            raise NcTransitionError(
                f"{code} is {NC_LABELS[nc.status].lower()}; effectiveness is verified once "
                "the corrective actions are implemented"
            )
        person = session.scalars(
            select(Person).where((Person.code == verified_by) | (Person.name == verified_by))
        ).first()
        if person is None:
            raise BadArgumentsError(f"Verified by: there is no person {verified_by!r}")
        nc.verified_by_id = person.id
        nc.verified_on = verified_on
        nc.verification = verification
        nc.effective = effective
        _move(session, nc, "verified" if effective else "action_planned")
        return _detail(session, nc)


def close(project: Project, code: str) -> NcDetail:
    return transition(project, code, "closed")


# --- undo and redo of a workflow step ---------------------------------------------------


@dataclass(frozen=True)
class NcState:
    """What the workflow steps change: the nonconformity's own fields and its actions' progress.

    Taken before and after a step, so that the step can be undone (and redone) as a whole.
    """

    code: str
    status: str
    correction: str
    whys: tuple[str, ...]
    root_cause: str
    verified_by_id: int | None
    verified_on: dt.date | None
    verification: str
    effective: bool | None
    # (code, status, progress, completed_on) of each corrective action
    actions: tuple[tuple[str, str, int | None, dt.date | None], ...]


def _state(session: Session, nc: Nonconformity) -> NcState:
    return NcState(
        code=nc.code,
        status=nc.status,
        correction=nc.correction or "",
        whys=tuple(nc.whys or ()),
        root_cause=nc.root_cause or "",
        verified_by_id=nc.verified_by_id,
        verified_on=nc.verified_on,
        verification=nc.verification or "",
        effective=nc.effective,
        actions=tuple(
            (a.code, a.status, a.progress, a.completed_on) for a in _actions(session, nc)
        ),
    )


def state(project: Project, code: str) -> NcState:
    with project.reading() as session:
        return _state(session, _nc(session, code))


def restore_state(project: Project, wanted: NcState, *, expected: NcState) -> None:
    """Put a nonconformity back as it was in ``wanted`` (undo or redo of a workflow step).

    Refused when it is no longer as ``expected`` (changed since, e.g. in the register), so
    that undoing a step never throws away what was done after it.
    """
    with project.transaction() as session:
        nc = _nc(session, wanted.code)
        if _state(session, nc) != expected:
            raise NcTransitionError(
                f"{wanted.code} was changed since; this step can no longer be undone or redone"
            )
        nc.status = wanted.status
        nc.correction = wanted.correction
        nc.whys = list(wanted.whys)
        nc.root_cause = wanted.root_cause
        nc.verified_by_id = wanted.verified_by_id
        nc.verified_on = wanted.verified_on
        nc.verification = wanted.verification
        nc.effective = wanted.effective
        progress = {a[0]: a for a in wanted.actions}
        for action in _actions(session, nc):
            if action.code in progress:
                _, action.status, action.progress, action.completed_on = progress[action.code]


# --- undo and redo of raising nonconformities from findings -----------------------------


@dataclass(frozen=True)
class RaisedNc:
    """A nonconformity as raising it from a finding left it, taken right after: its stored
    values, to raise it again with the same code and to tell whether anything was recorded
    on it since (and its row version then)."""

    code: str
    finding: str  # the code of the finding it was raised from
    columns: tuple[tuple[str, Any], ...]  # its columns but id, finding and row version
    version: int


_NOT_KEPT = ("id", "finding_id", "row_version")


def _raised_in(session: Session, nc: Nonconformity) -> RaisedNc:
    finding = session.get(Finding, nc.finding_id) if nc.finding_id else None
    columns = tuple(
        (c.key, getattr(nc, c.key))
        for c in Nonconformity.__table__.columns
        if c.key not in _NOT_KEPT
    )
    return RaisedNc(nc.code, finding.code if finding else "", columns, nc.row_version)


def raised(project: Project, codes: Sequence[str]) -> list[RaisedNc]:
    """The nonconformities just raised (``raise_from_finding``), as they are now: what
    ``withdraw_raised`` undoes and ``raise_again`` redoes."""
    with project.reading() as session:
        return [_raised_in(session, _nc(session, code)) for code in codes]


def _recorded_on(session: Session, nc: Nonconformity) -> list[str]:
    """What the workflow recorded on a nonconformity (an undo of raising it would lose it)."""
    found = []
    actions = [a.code for a in _actions(session, nc)]
    if actions:
        found.append(
            ("corrective action " if len(actions) == 1 else "corrective actions ")
            + ", ".join(actions)
        )
    if (nc.correction or "").strip():
        found.append("a correction")
    if (nc.root_cause or "").strip() or any(w.strip() for w in nc.whys or ()):
        found.append("its root cause")
    if nc.verified_on is not None or (nc.verification or "").strip() or nc.effective is not None:
        found.append("a verification of effectiveness")
    evidence = session.scalar(
        select(func.count()).where(
            Attachment.owner_register == "nonconformities", Attachment.owner_id == nc.id
        )
    )
    if evidence:
        found.append("evidence")
    return found


@contextlib.contextmanager
def _versions_checked(codes: str) -> Iterator[None]:
    """Another user's save between our read and our write (team mode): refused, not lost."""
    try:
        yield
    except StaleDataError:
        raise NcTransitionError(
            f"{codes} was changed by someone else meanwhile; nothing was changed"
        ) from None


def withdraw_raised(project: Project, raised: Sequence[RaisedNc]) -> None:
    """Undo raising nonconformities from findings: delete them, in one transaction (logged in
    the audit trail like any delete); their findings can be raised again.

    Refused, deleting none, when one of them is gone or something was recorded on it since
    (a corrective action, a correction, its root cause, evidence, or any other change to its
    values), so that the undo never throws work away.
    """
    codes = ", ".join(r.code for r in raised)
    with _versions_checked(codes), project.transaction() as session:
        rows = []
        for step in raised:
            nc = session.scalars(
                select(Nonconformity).where(Nonconformity.code == step.code)
            ).one_or_none()
            if nc is None:
                raise NcTransitionError(
                    f"{step.code} has been deleted since it was raised; raising it can no "
                    "longer be undone"
                )
            recorded = _recorded_on(session, nc)
            if recorded:
                raise NcTransitionError(
                    f"Raising {step.code} can no longer be undone: "
                    f"{' and '.join(recorded)} "
                    + ("was" if len(recorded) == 1 else "were")
                    + " recorded on it since. Keep it, or delete what was recorded first "
                    "if it was raised by mistake"
                )
            # its values, not its row version: a step taken on it and undone since (a
            # correction recorded, then Edit > Undo) moved the version on and left nothing
            if _raised_in(session, nc).columns != step.columns:
                raise NcTransitionError(
                    f"{step.code} was changed since it was raised (in the Nonconformities "
                    "register); raising it can no longer be undone"
                )
            rows.append(nc)
        for nc in rows:
            session.delete(nc)
        session.flush()


def raise_again(project: Project, raised: Sequence[RaisedNc]) -> list[RaisedNc]:
    """Redo what ``withdraw_raised`` undid: the nonconformities raised again from their
    findings, with the same codes and values, in one transaction (logged in the audit trail).

    Refused, raising none, when a finding is gone, is no longer a nonconformity or has had
    another nonconformity raised from it since, a code is now used by another
    nonconformity, or a person it names has been deleted. Returns them as they are now.
    """
    codes = ", ".join(r.code for r in raised)
    with _versions_checked(codes), project.transaction() as session:
        made = []
        for step in raised:
            finding = session.scalars(
                select(Finding).where(Finding.code == step.finding)
            ).one_or_none()
            if finding is None:
                raise NcTransitionError(
                    f"{step.finding} has been deleted since; {step.code} cannot be raised again"
                )
            if finding.kind not in NONCONFORMITY_KINDS:
                raise NcTransitionError(
                    f"{step.finding} is no longer a nonconformity finding; {step.code} cannot "
                    "be raised again"
                )
            other = session.scalar(
                select(Nonconformity.code).where(Nonconformity.finding_id == finding.id)
            )
            if other is not None:
                raise NcTransitionError(
                    f"{step.finding} has had {other} raised from it since; {step.code} is not "
                    "raised again"
                )
            taken = session.scalar(select(Nonconformity.id).where(Nonconformity.code == step.code))
            if taken is not None:
                raise NcTransitionError(
                    f"{step.code} cannot be raised again: its code is now used by another "
                    "nonconformity"
                )
            values = {k: list(v) if isinstance(v, list) else v for k, v in step.columns}
            for key in ("raised_by_id", "verified_by_id"):
                if values.get(key) is not None and session.get(Person, values[key]) is None:
                    raise NcTransitionError(
                        f"{step.code} cannot be raised again: a person it names has been "
                        "deleted since"
                    )
            nc = Nonconformity(**values, finding_id=finding.id)
            session.add(nc)
            made.append(nc)
        session.flush()
        return [_raised_in(session, nc) for nc in made]
