"""Competence and awareness (7.2, 7.3): the training matrix and campaign entry.

Required trainings (register ``competences``) and training records (register ``training``)
are generic registers; this module builds the people × required trainings matrix from them
and records a campaign — one awareness session or course with many attendees — in one go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_desktop.domain.errors import BadArgumentsError, RejectedInputError
from isms_desktop.domain.fields import next_code
from isms_desktop.domain.register_specs import TRAINING
from isms_desktop.domain.training_matrix import (
    Cell,
    Matrix,
    PersonFact,
    RecordFact,
    Requirement,
    build_matrix,
    course_key,
    valid_until,
)
from isms_desktop.storage.models import Person, RequiredTraining, Role, TrainingRecord
from isms_desktop.storage.project_file import Project

TRAINING_KINDS = ("training", "awareness", "qualification")


@dataclass(frozen=True)
class TrainingMatrix:
    matrix: Matrix
    role_names: dict[str, str]  # role code → name
    today: dt.date


def _people_facts(session: Session) -> list[PersonFact]:
    roles_of: dict[int, list[str]] = {}
    for role in session.scalars(select(Role).order_by(Role.code)):
        # The holder needs the role's competences; a deputy's are the holder's to judge.
        if role.holder_id is not None:
            roles_of.setdefault(role.holder_id, []).append(role.code)
    people = session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.code))
    return [PersonFact(p.code, p.name, tuple(roles_of.get(p.id, ()))) for p in people]


def _requirements(session: Session) -> list[Requirement]:
    role_codes = {r.id: r.code for r in session.scalars(select(Role))}
    return [
        Requirement(
            r.code,
            r.course,
            role_codes.get(r.role_id) if r.role_id is not None else None,
            r.refresh_months,
        )
        for r in session.scalars(select(RequiredTraining).order_by(RequiredTraining.code))
    ]


def _records(session: Session) -> list[RecordFact]:
    codes = {p.id: p.code for p in session.scalars(select(Person))}
    return [
        RecordFact(codes[r.person_id], r.course, r.date, r.expires_on, r.code)
        for r in session.scalars(select(TrainingRecord))
    ]


def matrix(project: Project, today: dt.date | None = None) -> TrainingMatrix:
    """Active people × required trainings, each cell valid, expiring, expired or missing."""
    today = today or dt.date.today()
    with project.reading() as session:
        built = build_matrix(
            _people_facts(session), _requirements(session), _records(session), today
        )
        role_names = {r.code: r.name for r in session.scalars(select(Role))}
    return TrainingMatrix(built, role_names, today)


def courses(project: Project) -> list[str]:
    """Course names in use (required or recorded), for a campaign's course box."""
    with project.reading() as session:
        names = list(session.scalars(select(RequiredTraining.course)))
        names += list(session.scalars(select(TrainingRecord.course).distinct()))
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(course_key(name), name)
    return sorted(unique.values(), key=str.casefold)


@dataclass(frozen=True)
class Campaign:
    course: str
    date: dt.date
    attendees: tuple[str, ...]  # person codes
    kind: str = "awareness"
    result: str = "attended"
    evidence: str = ""
    expires_on: dt.date | None = None  # default: from the required training's refresh interval


def _refresh_months(session: Session, course: str) -> int | None:
    key = course_key(course)
    months = [
        r.refresh_months
        for r in session.scalars(select(RequiredTraining))
        if course_key(r.course) == key and r.refresh_months
    ]
    return min(months) if months else None


def record_campaign(project: Project, campaign: Campaign) -> list[str]:
    """One session, many attendees: a training record for each, in one transaction.

    Returns the codes of the new records. A person who already has a record of the same
    course on the same date is skipped (entering a campaign twice adds nothing).
    """
    course = campaign.course.strip()
    if not course:
        raise RejectedInputError("a campaign needs a course name")
    if campaign.kind not in TRAINING_KINDS:
        raise RejectedInputError(
            f"the kind must be one of {', '.join(TRAINING_KINDS)}, not {campaign.kind!r}"
        )
    if not campaign.attendees:
        raise RejectedInputError("a campaign needs at least one attendee")
    made: list[str] = []
    with project.transaction() as session:
        people = {p.code: p for p in session.scalars(select(Person))}
        unknown = [code for code in campaign.attendees if code not in people]
        if unknown:
            raise BadArgumentsError(f"no person with the code {', '.join(unknown)}")
        expires = campaign.expires_on
        if expires is None:
            months = _refresh_months(session, course)
            probe = RecordFact("", course, campaign.date)
            expires = valid_until(probe, months)
        existing = list(session.scalars(select(TrainingRecord.code)))
        for person_code in dict.fromkeys(campaign.attendees):
            person = people[person_code]
            duplicate = session.scalar(
                select(TrainingRecord.id).where(
                    TrainingRecord.person_id == person.id,
                    TrainingRecord.date == campaign.date,
                    TrainingRecord.course == course,
                )
            )
            if duplicate is not None:
                continue
            code = next_code(TRAINING.code_prefix, existing)
            existing.append(code)
            session.add(
                TrainingRecord(
                    code=code,
                    person_id=person.id,
                    course=course,
                    kind=campaign.kind,
                    date=campaign.date,
                    result=campaign.result.strip(),
                    evidence=campaign.evidence.strip(),
                    expires_on=expires,
                )
            )
            made.append(code)
    return made


def gaps_summary(result: TrainingMatrix) -> dict[str, int]:
    """Counts for the review and the dashboard."""
    m = result.matrix
    return {
        "required": m.required_cells,
        "valid": m.count(Cell.VALID),
        "expiring": m.count(Cell.EXPIRING),
        "expired": m.count(Cell.EXPIRED),
        "missing": m.count(Cell.MISSING),
        "coverage_percent": m.coverage_percent,
    }


def people_codes(project: Project) -> list[tuple[str, str]]:
    """(code, name) of the active people, for choosing a campaign's attendees."""
    with project.reading() as session:
        rows: Sequence[Person] = list(
            session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.code))
        )
        return [(p.code, p.name) for p in rows]
