"""What the reports read from a project, through the services, in the shape they print.

Kept apart from the layout code so the reports share one way of reading the organisation,
its branding and the dates, and so a missing service is worked around in one place. A few
things that no service returns yet (a document's text, checklist answers, measurements, the
compiled inputs of a management review) are read here from the storage models directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import attachments, projects, registers
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage import models
from isms_desktop.storage.project_file import Project


@dataclass(frozen=True)
class ReportOptions:
    """Choices of the person making the report (the CLI uses the defaults)."""

    classification: str = "Internal"
    date: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class Branding:
    organisation: str
    sector: str
    logo: bytes | None
    scope_statement: str


def branding(project: Project) -> Branding:
    """The organisation, its logo and its scope statement (from the profile)."""
    profile = projects.profile(project)
    logo = projects.logo(project) if profile.has_logo else None
    return Branding(
        organisation=profile.organisation,
        sector=profile.sector,
        logo=logo[0] if logo and logo[0] else None,
        scope_statement=profile.scope_statement or "",
    )


def rows(project: Project, register: str, **query: Any) -> list[RecordRow]:
    """All rows of a register in display order; [] for a register this version lacks."""
    try:
        return registers.list_rows(project, register, **query)
    except (KeyError, BadArgumentsError):
        return []


def text(row: RecordRow, name: str) -> str:
    """The printable text of a field (empty for a field the register does not have)."""
    return row.display.get(name, "") or ""


def evidence(project: Project, register: str) -> dict[int, list[attachments.EvidenceName]]:
    """The files attached to each record of a register (by record id), oldest first."""
    return attachments.names_in(project, register)


def find(project: Project, register: str, code: str, what: str) -> RecordRow:
    """The row with ``code`` (any case), or a clear refusal naming what is known."""
    wanted = code.strip()
    found = rows(project, register)
    for row in found:
        if row.code == wanted:
            return row
    for row in found:
        if row.code.casefold() == wanted.casefold():
            return row
    known = ", ".join(r.code for r in found[:12]) or "none"
    more = " …" if len(found) > 12 else ""
    raise BadArgumentsError(
        f"the project has no {what} with the code {code!r} (known: {known}{more})"
    )


@dataclass(frozen=True)
class ChecklistLine:
    ref: str
    question: str
    result: str
    notes: str
    evidence: str


def checklist(project: Project, audit_id: int) -> list[ChecklistLine]:
    with project.reading() as session:
        items = session.scalars(
            select(models.ChecklistItem)
            .where(models.ChecklistItem.audit_id == audit_id)
            .order_by(models.ChecklistItem.position, models.ChecklistItem.id)
        ).all()
        return [ChecklistLine(i.ref, i.question, i.result, i.notes, i.evidence_seen) for i in items]


def measurements(project: Project) -> dict[int, list[tuple[dt.date, float]]]:
    """Every metric's measurements by metric id, oldest first."""
    found: dict[int, list[tuple[dt.date, float]]] = {}
    with project.reading() as session:
        stmt = select(
            models.Measurement.metric_id, models.Measurement.date, models.Measurement.value
        ).order_by(models.Measurement.metric_id, models.Measurement.date)
        for metric_id, date, value in session.execute(stmt):
            found.setdefault(int(metric_id), []).append((date, float(value)))
    return found


def metric_facts(project: Project) -> dict[int, tuple[str, float | None, float | None]]:
    """direction, target and threshold of each metric (not all are in the register view)."""
    with project.reading() as session:
        return {
            m.id: (m.direction, m.target, m.threshold)
            for m in session.scalars(select(models.Metric))
        }


def review_inputs(project: Project, review_id: int) -> dict[str, Any]:
    with project.reading() as session:
        review = session.get(models.Review, review_id)
        inputs = review.inputs if review is not None else {}
        return dict(inputs) if isinstance(inputs, dict) else {}
