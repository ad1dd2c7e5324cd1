"""Statement of Applicability use cases beyond plain editing: warnings and versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.fields import display_value
from isms_desktop.domain.register_specs import SOA
from isms_desktop.domain.soa_rules import SoaFacts, SoaWarning, soa_warnings
from isms_desktop.services import attachments, registers
from isms_desktop.storage.models import Person, SoaEntry, SoaVersion
from isms_desktop.storage.project_file import Project


def warnings(project: Project) -> list[SoaWarning]:
    """Every consistency warning of the current SoA.

    Read with one query over the 93-odd rows; the risks behind a control are looked up only
    for excluded controls (the one rule that names them), so thousands of risks cost nothing.
    """
    owner = aliased(Person)
    stmt = (
        select(
            SoaEntry.id,
            SoaEntry.code,
            SoaEntry.applicable,
            SoaEntry.justification,
            SoaEntry.status,
            owner.code,
        )
        .outerjoin(owner, owner.id == SoaEntry.owner_id)
        .order_by(SoaEntry.sort_key, SoaEntry.code)
    )
    with project.reading() as session:
        rows = session.execute(stmt).all()
        evidence = attachments.counts_in(session, "soa")
        excluded = [row[0] for row in rows if row[2] is False]
        risks = registers.soa_risk_codes(session, excluded) if excluded else {}
    return soa_warnings(
        SoaFacts(
            code=code,
            applicable=applicable,
            risks=risks.get(soa_id, []),
            justification=justification or "",
            status=status or "",
            owner=owner_code,
            evidence=evidence.get(soa_id, 0),
        )
        for soa_id, code, applicable, justification, status, owner_code in rows
    )


@dataclass(frozen=True)
class VersionInfo:
    number: int
    approved_by: str
    approved_on: dt.date
    note: str


def _frozen_rows(rows: list[registers.RecordRow]) -> list[dict[str, Any]]:
    """The rows as a version holds them: every field's text as shown."""
    return [{f.name: row.display[f.name] for f in SOA.fields} for row in rows]


def approve(
    project: Project, approved_by: str, note: str = "", *, on: dt.date | None = None
) -> VersionInfo:
    """Freeze the current SoA as the next numbered version, approved ``on`` (default today).

    Approving is a review of every row, so each row's last review becomes the approval date
    (or stays, if it was reviewed later). An approval recorded afterwards (``on`` in the
    past, e.g. the date of the management review that approved it) may not be dated in the
    future or before the previous version.
    """
    if not approved_by.strip():
        raise BadArgumentsError("say who approves the SoA")
    today = dt.date.today()
    day = on or today
    if day > today:
        raise BadArgumentsError(f"an approval cannot be dated in the future ({day.isoformat()})")
    earlier = versions(project)
    if earlier and day < earlier[-1].approved_on:
        raise BadArgumentsError(
            f"version {earlier[-1].number} was approved on "
            f"{earlier[-1].approved_on.isoformat()}; a later version cannot be dated earlier"
        )
    rows = registers.list_rows(project, "soa")
    reviewed = {row.code: _later(row.values.get("last_review"), day) for row in rows}
    frozen = _frozen_rows(rows)
    for row in frozen:  # the version says so too
        row["last_review"] = display_value(SOA.field("last_review"), reviewed[row["code"]])
    with project.transaction() as session:
        number = int(session.scalar(select(func.max(SoaVersion.number))) or 0) + 1
        version = SoaVersion(
            number=number,
            approved_by=approved_by.strip(),
            approved_on=day,
            note=note,
            rows=frozen,
        )
        session.add(version)
        for entry in session.scalars(select(SoaEntry)):
            entry.last_review = _later(entry.last_review, day)
    return VersionInfo(number, approved_by.strip(), day, note)


def _later(reviewed: object, day: dt.date) -> dt.date:
    return reviewed if isinstance(reviewed, dt.date) and reviewed > day else day


def versions(project: Project) -> list[VersionInfo]:
    with project.reading() as session:
        return [
            VersionInfo(v.number, v.approved_by, v.approved_on, v.note)
            for v in session.scalars(select(SoaVersion).order_by(SoaVersion.number))
        ]


def version_rows(project: Project, number: int) -> list[dict[str, Any]]:
    """The rows of an approved version exactly as they were frozen."""
    with project.reading() as session:
        version = session.scalars(select(SoaVersion).where(SoaVersion.number == number)).first()
        if version is None:
            raise BadArgumentsError(f"there is no approved SoA version {number}")
        return [dict(row) for row in version.rows]


@dataclass(frozen=True)
class SoaDifference:
    code: str
    field: str
    header: str
    then: str
    now: str


def compare(project: Project, number: int) -> list[SoaDifference]:
    """What changed between an approved version and the current SoA."""
    then = {row["code"]: row for row in version_rows(project, number)}
    now = {row["code"]: row for row in _frozen_rows(registers.list_rows(project, "soa"))}
    differences = []
    for code in list(now) + [c for c in then if c not in now]:
        old, new = then.get(code, {}), now.get(code, {})
        for f in SOA.fields[1:]:
            before, after = str(old.get(f.name, "")), str(new.get(f.name, ""))
            if before != after:
                differences.append(SoaDifference(code, f.name, f.header, before, after))
    return differences
