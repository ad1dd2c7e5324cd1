"""What the reports read from a project, through the services, in the shape they print.

Kept apart from the layout code so the reports share one way of reading the organisation,
its branding and the dates, and so a missing service is worked around in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import projects, registers
from isms_desktop.services.registers import RecordRow
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
    """The organisation, its logo and scope statement.

    ``projects.summary`` does not carry the logo or the scope statement yet; they are read
    from it as soon as it does (``logo``, ``scope_statement``), and left empty until then.
    """
    summary: Any = projects.summary(project)
    logo = getattr(summary, "logo", None)
    return Branding(
        organisation=summary.organisation,
        sector=summary.sector,
        logo=logo if isinstance(logo, bytes) and logo else None,
        scope_statement=str(getattr(summary, "scope_statement", "") or ""),
    )


def rows(project: Project, register: str) -> list[RecordRow]:
    """All rows of a register in display order; [] for a register this version lacks."""
    try:
        return registers.list_rows(project, register)
    except (KeyError, BadArgumentsError):
        return []


def text(row: RecordRow, name: str) -> str:
    """The printable text of a field (empty for a field the register does not have)."""
    return row.display.get(name, "") or ""
