"""Creating, opening, describing and checking projects."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from isms_desktop import __version__
from isms_desktop.domain.errors import BadArgumentsError, IsmsError, TargetExistsError
from isms_desktop.domain.registers import REGISTER_NAMES
from isms_desktop.services import readiness, registers
from isms_desktop.services.catalogue_sync import apply_catalogue
from isms_desktop.services.risk_method import template_method
from isms_desktop.storage import encryption, migrations_runner, server
from isms_desktop.storage.models import (
    Control,
    Person,
    Process,
    ProcessInteraction,
    ProjectRow,
)
from isms_desktop.storage.models import RiskMethod as RiskMethodRow

if TYPE_CHECKING:
    from isms_desktop.catalog import Catalogue
from isms_desktop.storage.project_file import (
    Project,
    check_file,
    create_project_file,
    longest_name,
    open_project,
)
from isms_desktop.storage.registers import EDITABLE_MODELS, REGISTER_MODELS

DEFAULT_RISK_METHOD = "5x5"
STANDARD = "ISO/IEC 27001:2022"


@dataclass(frozen=True)
class ProjectSummary:
    organisation: str
    sector: str
    created_at: dt.datetime
    location: str
    read_only: bool


def _seed(session: Session, organisation: str, sector: str, catalogue: Catalogue) -> None:
    session.add(
        ProjectRow(organisation=organisation, sector=sector, created_by_version=__version__)
    )
    apply_catalogue(session, catalogue)
    processes = {}
    for index, entry in enumerate(catalogue.processes):
        process = Process(
            code=entry.code,
            name=entry.name,
            purpose=entry.purpose,
            owner_role=entry.owner_role,
            inputs=list(entry.inputs),
            outputs=list(entry.outputs),
            clauses=list(entry.clauses),
            controls=list(entry.controls),
            records=list(entry.records),
            sort_key=index,
        )
        session.add(process)
        processes[entry.code] = process
    session.flush()
    for number, link in enumerate(catalogue.interactions, start=1):
        session.add(
            ProcessInteraction(
                code=f"IX-{number:03d}",
                source_id=processes[link.source].id,
                target_id=processes[link.target].id,
                flow=link.flow,
            )
        )
    session.add(RiskMethodRow(active=True, **template_method(DEFAULT_RISK_METHOD).to_dict()))


def create_project(
    path: Path | str,
    organisation: str,
    *,
    sector: str = "",
    populate: Callable[[Project], None] | None = None,
    password: str | None = None,
) -> Project:
    """Create a project file with the whole catalogue, and open it for writing.

    The file is built under a temporary name and appears at ``path`` only when complete,
    so an interrupted creation never leaves a half-made project behind. With a password,
    the file is encrypted from the first byte. A server URL gets the project published into
    its (empty) database.
    """
    if isinstance(path, str) and server.is_url(path):
        from isms_desktop.services.team import create_on_server

        return create_on_server(path, organisation, sector=sector, populate=populate)
    path = Path(path)
    organisation = organisation.strip()
    if not organisation:
        raise BadArgumentsError('the organisation\'s name is required (--org "NAME")')
    if path.exists():
        raise TargetExistsError(f"{path} already exists; choose another name (nothing was changed)")
    if not path.parent.is_dir():
        raise BadArgumentsError(f"{path.parent}: no such folder")
    longest = longest_name(path.parent)
    if len(os.fsencode(path.name)) > longest:
        raise BadArgumentsError(
            f"the file name {path.name!r} is too long ({len(os.fsencode(path.name))} bytes, "
            f"at most {longest} here); choose a shorter one"
        )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        _build(path, tmp, organisation, sector, populate, password)
    except OSError as exc:  # a full disk, a folder that may not be written
        raise IsmsError(
            f"{path} could not be created ({exc.strerror or exc}); nothing was written — "
            "check the folder is writable and has space"
        ) from exc
    return open_project(path, password=password)


def _build(
    path: Path,
    tmp: Path,
    organisation: str,
    sector: str,
    populate: Callable[[Project], None] | None,
    password: str | None,
) -> None:
    """Build the project under the temporary name ``tmp``, then give it its name."""
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        create_project_file(tmp, encryption.new_key(password) if password else None)
        with open_project(tmp, durable=False, password=password) as project:
            with project.transaction() as session:
                from isms_desktop.catalog import load_catalogue  # (YAML: new projects only)

                _seed(session, organisation, sector, load_catalogue())
            if populate is not None:
                populate(project)
        _flush_to_disk(tmp)
        try:
            os.link(tmp, path)  # fails if path appeared meanwhile: never overwrite
        except FileExistsError:
            raise TargetExistsError(f"{path} already exists; nothing was changed") from None
        except OSError:
            if path.exists():
                raise TargetExistsError(f"{path} already exists; nothing was changed") from None
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _flush_to_disk(path: Path) -> None:
    """Make sure a file built without waiting for the disk is on it before it appears."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def summary(project: Project) -> ProjectSummary:
    with project.reading() as session:
        row = session.scalars(select(ProjectRow)).one()
        return ProjectSummary(
            organisation=row.organisation,
            sector=row.sector,
            created_at=row.created_at,
            location=project.location,
            read_only=project.read_only,
        )


def register_counts(session: Session) -> dict[str, int]:
    counts = {name: 0 for name in REGISTER_NAMES}
    for name in REGISTER_NAMES:
        if name in EDITABLE_MODELS:
            counts[name] = registers.count_in(session, name)
        elif name in REGISTER_MODELS:
            model = REGISTER_MODELS[name]
            counts[name] = session.scalar(select(func.count()).select_from(model)) or 0
    counts["controls"] = session.scalar(select(func.count()).select_from(Control)) or 0
    return counts


CLAUSE_TOPS = ("4", "5", "6", "7", "8", "9", "10")


def project_info(project: Project) -> dict[str, Any]:
    """The ``info --json`` object of CONTRACT.md."""
    with project.reading() as session:
        row = session.scalars(select(ProjectRow)).one()
        revision = (
            session.connection()
            .exec_driver_sql("SELECT version_num FROM alembic_version")
            .scalar_one()
        )
        counts = register_counts(session)

    figures = readiness.report(project)
    # the revision of the file itself (an older one read is upgraded in memory only)
    stored = project.stored_revision or str(revision)
    head = migrations_runner.head_revision()
    return {
        "format": "isms-desktop project",
        "app_version": __version__,
        "schema_revision": stored,
        "schema_head": head,
        "upgrade_needed": stored != head,
        "organisation": row.organisation,
        "standard": STANDARD,
        "encrypted": project.encrypted,
        "counts": counts,
        "readiness": {
            "overall_percent": figures.overall_percent,
            "clauses_percent": figures.clauses_percent,
            "controls_percent": figures.controls_percent,
            "clauses": {top: figures.clause_percent(top) for top in CLAUSE_TOPS},
            "themes": {t.theme: t.percent for t in figures.themes},
        },
    }


def people(project: Project) -> list[tuple[int, str, str]]:
    with project.reading() as session:
        return [
            (p.id, p.name, p.role) for p in session.scalars(select(Person).order_by(Person.name))
        ]


@dataclass(frozen=True)
class CheckResult:
    location: str
    revision: str
    head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def needs_migration(self) -> bool:
        return self.revision != self.head


def check_project(path: Path | str) -> CheckResult:
    if isinstance(path, str) and server.is_url(path):
        found = server.check_server(path)
        return CheckResult(found.location, found.revision, found.head, found.problems)
    report = check_file(Path(path))
    return CheckResult(str(path), report.revision, report.head, report.problems)


def head_revision() -> str:
    return migrations_runner.head_revision()


__all__ = [
    "Project",
    "ProjectSummary",
    "check_project",
    "create_project",
    "open_project",
    "project_info",
    "summary",
]


@dataclass(frozen=True)
class Profile:
    """The organisation profile of the setup wizard (and of the scope statement)."""

    organisation: str
    sector: str
    size: str
    locations: str
    scope_statement: str
    has_logo: bool


PROFILE_FIELDS = ("organisation", "sector", "size", "locations", "scope_statement")


def profile(project: Project) -> Profile:
    with project.reading() as session:
        row = session.scalars(select(ProjectRow)).one()
        return Profile(
            organisation=row.organisation,
            sector=row.sector,
            size=row.size,
            locations=row.locations,
            scope_statement=row.scope_statement,
            has_logo=row.logo is not None,
        )


def update_profile(project: Project, field: str, value: str) -> tuple[str, str]:
    """Set one profile field; returns (old, new) for undo."""
    if field not in PROFILE_FIELDS:
        raise BadArgumentsError(f"the profile has no field {field!r}")
    value = value.strip() if field != "scope_statement" else value
    if field == "organisation" and not value:
        raise BadArgumentsError("the organisation's name is required")
    with project.transaction() as session:
        row = session.scalars(select(ProjectRow)).one()
        old = str(getattr(row, field))
        setattr(row, field, value)
    return old, value


def set_logo(project: Project, data: bytes | None, mime: str = "") -> None:
    """Store (or remove) the organisation's logo, used on reports."""
    if data is not None and len(data) > 5 * 1024 * 1024:
        raise BadArgumentsError("the logo is larger than 5 MB; use a smaller image")
    with project.transaction() as session:
        row = session.scalars(select(ProjectRow)).one()
        row.logo = data
        row.logo_mime = mime if data is not None else ""


def logo(project: Project) -> tuple[bytes, str] | None:
    with project.reading() as session:
        row = session.scalars(select(ProjectRow)).one()
        return (row.logo, row.logo_mime) if row.logo is not None else None


def draft_scope(project: Project) -> str:
    """A scope statement drafted from the profile and the scope register (not saved)."""
    from isms_desktop.domain.scope_statement import ScopeItemFacts, draft_scope_statement
    from isms_desktop.services import registers as register_service

    organisation = profile(project).organisation
    items = [
        ScopeItemFacts(
            kind=row.values["kind"],
            name=row.values["name"],
            description=row.values["description"],
            counterpart=row.values["counterpart"],
            justification=row.values["justification"],
        )
        for row in register_service.list_rows(project, "scope")
    ]
    return draft_scope_statement(organisation, items)
