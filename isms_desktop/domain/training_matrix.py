"""The competence matrix (7.2, 7.3): who needs which training, who has it, what has expired.

A required training applies to the holder of its role, or to everyone when it
names no role. A person's training is valid until its expiry date (recorded, or the date it
was taken plus the requirement's refresh interval); it is "expiring" within ``SOON_DAYS`` of
that date, "expired" after it, and "missing" when there is no record of it at all.
Courses are matched on their name, ignoring case and spacing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from isms_desktop.domain.metrics_rules import add_months

SOON_DAYS = 30


class Cell(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"
    NOT_REQUIRED = "not_required"  # not required, and not taken
    EXTRA = "extra"  # not required, but taken (and still valid)


CELL_LABELS = {
    Cell.VALID: "Valid",
    Cell.EXPIRING: "Expires soon",
    Cell.EXPIRED: "Expired",
    Cell.MISSING: "Missing",
    Cell.NOT_REQUIRED: "",
    Cell.EXTRA: "Taken (not required)",
}

GAPS = (Cell.MISSING, Cell.EXPIRED)


def course_key(course: str) -> str:
    return re.sub(r"\s+", " ", course.strip().casefold())


@dataclass(frozen=True)
class PersonFact:
    code: str
    name: str
    role_codes: tuple[str, ...] = ()  # roles the person holds


@dataclass(frozen=True)
class Requirement:
    code: str
    course: str
    role_code: str | None = None  # None: everyone
    refresh_months: int | None = None

    def applies_to(self, person: PersonFact) -> bool:
        return self.role_code is None or self.role_code in person.role_codes


@dataclass(frozen=True)
class RecordFact:
    person_code: str
    course: str
    date: dt.date
    expires_on: dt.date | None = None
    code: str = ""


@dataclass(frozen=True)
class MatrixCell:
    status: Cell
    taken_on: dt.date | None = None
    valid_until: dt.date | None = None
    record_code: str = ""


@dataclass(frozen=True)
class Matrix:
    people: tuple[PersonFact, ...]
    requirements: tuple[Requirement, ...]
    cells: dict[tuple[str, str], MatrixCell]  # (person code, requirement code)

    def cell(self, person: str, requirement: str) -> MatrixCell:
        return self.cells[(person, requirement)]

    def gaps(self) -> list[tuple[str, str, Cell]]:
        """(person, requirement, missing or expired) for every gap, in matrix order."""
        return [
            (p.code, r.code, self.cells[(p.code, r.code)].status)
            for p in self.people
            for r in self.requirements
            if self.cells[(p.code, r.code)].status in GAPS
        ]

    def count(self, status: Cell) -> int:
        return sum(1 for c in self.cells.values() if c.status is status)

    @property
    def required_cells(self) -> int:
        return sum(
            1 for c in self.cells.values() if c.status not in (Cell.NOT_REQUIRED, Cell.EXTRA)
        )

    @property
    def coverage_percent(self) -> int:
        """Share of required trainings that are held and valid (expiring counts as valid)."""
        required = self.required_cells
        if not required:
            return 100
        ok = self.count(Cell.VALID) + self.count(Cell.EXPIRING)
        return round(100 * ok / required)


def valid_until(record: RecordFact, refresh_months: int | None) -> dt.date | None:
    if record.expires_on is not None:
        return record.expires_on
    if refresh_months:
        return add_months(record.date, refresh_months)
    return None


def build_matrix(
    people: Sequence[PersonFact],
    requirements: Sequence[Requirement],
    records: Iterable[RecordFact],
    today: dt.date,
) -> Matrix:
    """The people × requirements matrix as of ``today``; the latest record of a course counts."""
    latest: dict[tuple[str, str], RecordFact] = {}
    for record in records:
        key = (record.person_code, course_key(record.course))
        if key not in latest or record.date > latest[key].date:
            latest[key] = record
    cells: dict[tuple[str, str], MatrixCell] = {}
    for person in people:
        for req in requirements:
            found = latest.get((person.code, course_key(req.course)))
            required = req.applies_to(person)
            if found is None:
                cells[(person.code, req.code)] = MatrixCell(
                    Cell.MISSING if required else Cell.NOT_REQUIRED
                )
                continue
            until = valid_until(found, req.refresh_months)
            if until is not None and until < today:
                state = Cell.EXPIRED if required else Cell.NOT_REQUIRED
            elif not required:
                state = Cell.EXTRA
            elif until is not None and (until - today).days <= SOON_DAYS:
                state = Cell.EXPIRING
            else:
                state = Cell.VALID
            cells[(person.code, req.code)] = MatrixCell(state, found.date, until, found.code)
    return Matrix(tuple(people), tuple(requirements), cells)
