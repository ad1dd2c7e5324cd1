"""Use cases of the setup wizard: suggestions from the catalogue, saving a page's rows, progress.

The wizard writes every page through the generic register services as the user moves on,
so Cancel never loses what was saved; its own progress (the page reached, the answer to the
climate-change question of Amendment 1:2024) is kept in the project's settings table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from isms_desktop.catalog.loader import load_context_suggestions
from isms_desktop.domain.errors import IsmsError, RejectedInputError
from isms_desktop.services import registers
from isms_desktop.services.registers import InvalidValueError
from isms_desktop.services.risk_method import current_method
from isms_desktop.storage.models import Setting
from isms_desktop.storage.project_file import Project

SETTING_KEY = "setup_wizard"
SIZES = ("1–9 people", "10–49 people", "50–249 people", "250–999 people", "1000 or more people")


@dataclass(frozen=True)
class IssueIdea:
    """A typical internal or external issue (clause 4.1) the user may adopt."""

    text: str
    kind: str
    category: str
    climate_related: bool
    for_sector: bool  # specific to the chosen sector (shown first)


@dataclass(frozen=True)
class RequirementIdea:
    text: str
    type: str


@dataclass(frozen=True)
class PartyIdea:
    """A typical interested party (clause 4.2) with typical requirements."""

    name: str
    kind: str
    requirements: tuple[RequirementIdea, ...]
    for_sector: bool


@dataclass(frozen=True)
class Progress:
    """How far the wizard got, and answers that have no register of their own."""

    completed: bool = False
    page: int = 0
    climate_relevant: bool | None = None
    climate_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "completed": self.completed,
            "page": self.page,
            "climate_relevant": self.climate_relevant,
            "climate_note": self.climate_note,
        }


@dataclass(frozen=True)
class RowEntry:
    """One row of a wizard table: its code once saved (None before), and its raw values."""

    code: str | None
    values: Mapping[str, Any]


@dataclass(frozen=True)
class SaveResult:
    codes: tuple[str, ...]  # the code of every row, in order
    created: int = 0
    updated: int = 0
    deleted: int = 0


class RowSaveError(RejectedInputError):
    """A row of a wizard table was refused (rows before it are saved)."""

    def __init__(
        self, register: str, row: int, field_name: str, reason: str, saved: Sequence[str] = ()
    ) -> None:
        super().__init__(f"row {row + 1}: {reason}")
        self.register = register
        self.row = row
        self.field_name = field_name
        self.saved = tuple(saved)  # the codes of the rows before it, which are saved


@dataclass(frozen=True)
class Summary:
    organisation: str
    counts: dict[str, int] = field(default_factory=dict)
    scope_statement: str = ""
    method_name: str = ""
    climate_relevant: bool | None = None


# --- suggestions ---------------------------------------------------------------------------


def sectors() -> list[tuple[str, str]]:
    """(code, label) of the sectors the catalogue has suggestions for."""
    return [(s.code, s.label) for s in load_context_suggestions().sectors]


def issue_ideas(sector: str) -> list[IssueIdea]:
    """Typical issues for a sector: the sector's own first, then the general ones."""
    ideas = [
        IssueIdea(
            text=i.text,
            kind=i.kind,
            category=i.category,
            climate_related=i.category == "environmental",
            for_sector=sector in i.sectors,
        )
        for i in load_context_suggestions().issues
        if not i.sectors or sector in i.sectors
    ]
    return sorted(ideas, key=lambda idea: not idea.for_sector)


def party_ideas(sector: str) -> list[PartyIdea]:
    """Typical interested parties for a sector, with their typical requirements."""
    ideas = [
        PartyIdea(
            name=p.name,
            kind=p.kind,
            requirements=tuple(RequirementIdea(r.text, r.type) for r in p.requirements),
            for_sector=sector in p.sectors,
        )
        for p in load_context_suggestions().parties
        if not p.sectors or sector in p.sectors
    ]
    return sorted(ideas, key=lambda idea: not idea.for_sector)


# --- progress ------------------------------------------------------------------------------


def progress(project: Project) -> Progress:
    with project.reading() as session:
        row = session.get(Setting, SETTING_KEY)
        data: Mapping[str, Any] = row.value if row is not None else {}
    climate = data.get("climate_relevant")
    return Progress(
        completed=bool(data.get("completed", False)),
        page=int(data.get("page", 0)),
        climate_relevant=climate if isinstance(climate, bool) else None,
        climate_note=str(data.get("climate_note", "")),
    )


def save_progress(project: Project, state: Progress) -> None:
    with project.transaction() as session:
        row = session.get(Setting, SETTING_KEY)
        if row is None:
            session.add(Setting(key=SETTING_KEY, value=state.to_dict()))
        else:
            row.value = state.to_dict()


# --- saving a page -------------------------------------------------------------------------


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, str) and not isinstance(old, str):
        return str(old if old is not None else "") == new.strip()
    if isinstance(new, str):
        return bool(old.strip() == new.strip())
    return bool(old == new)


def save_rows(
    project: Project,
    register: str,
    rows: Sequence[RowEntry],
    removed: Sequence[str] = (),
) -> SaveResult:
    """Create, update and delete the records of one wizard table.

    Only the fields given in each row are written, and only when they changed, so a re-run
    of the wizard leaves untouched records alone. A refused row raises ``RowSaveError``
    naming it; the rows before it stay saved and get their codes.
    """
    created = updated = deleted = 0
    for code in removed:
        try:
            registers.delete(project, register, code)
        except IsmsError as exc:
            raise RejectedInputError(f"{code} cannot be removed: {exc}") from None
        deleted += 1
    codes: list[str] = []
    for index, entry in enumerate(rows):
        try:
            if entry.code is None:
                change = registers.create(project, register, dict(entry.values))
                codes.append(change.code)
                created += 1
                continue
            current = registers.get(project, register, entry.code).values
            changed = False
            for name, value in entry.values.items():
                if not _same(current.get(name), value):
                    registers.update(project, register, entry.code, name, value)
                    changed = True
            updated += changed
            codes.append(entry.code)
        except InvalidValueError as exc:
            raise RowSaveError(register, index, exc.field_name, str(exc), codes) from None
        except IsmsError as exc:
            raise RowSaveError(register, index, "", str(exc), codes) from None
    return SaveResult(tuple(codes), created, updated, deleted)


def summary(project: Project) -> Summary:
    """What the wizard recorded, for its last page."""
    from isms_desktop.services.projects import profile

    counts = {
        name: registers.count(project, name)
        for name in ("context", "parties", "requirements", "scope", "processes")
    }
    prof = profile(project)
    return Summary(
        organisation=prof.organisation,
        counts=counts,
        scope_statement=prof.scope_statement,
        method_name=current_method(project).name,
        climate_relevant=progress(project).climate_relevant,
    )
