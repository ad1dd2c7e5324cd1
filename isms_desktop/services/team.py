"""Team mode use cases: a project on a PostgreSQL server — creating one there, publishing a
file to it, saving a server project as a file, and noticing what others changed."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select

from isms_desktop.domain.errors import TargetExistsError
from isms_desktop.storage import server, transfer
from isms_desktop.storage.models import ChangeLog
from isms_desktop.storage.project_file import Project


def is_server_project(project: Project) -> bool:
    return isinstance(project, server.ServerProject)


def _refuse_unless_empty(location: str, password: str | None) -> None:
    url = server.parse_url(location, allow_password=password is not None)
    engine = server.make_engine(url, password=password)
    try:
        with server.connection_errors(url), engine.connect() as conn:
            if inspect(conn).get_table_names():
                raise TargetExistsError(
                    f"{server.display(url)} is not empty; choose an empty database "
                    "(nothing was changed)"
                )
    finally:
        engine.dispose()


def create_on_server(
    location: str,
    organisation: str,
    *,
    sector: str = "",
    populate: Callable[[Project], None] | None = None,
    password: str | None = None,
) -> Project:
    """Build a new project (``new``/``demo`` with a URL) and publish it into the empty
    database at ``location``; returns it open on the server."""
    from isms_desktop.services.projects import create_project

    _refuse_unless_empty(location, password)  # before minutes of building
    with tempfile.TemporaryDirectory(prefix="isms-new-") as folder:
        path = Path(folder) / "new.isms"
        with create_project(path, organisation, sector=sector, populate=populate) as project:
            transfer.copy_to_server(project, location, password=password)
    return server.open_server_project(location, password=password)


def publish(
    project: Project,
    location: str,
    *,
    password: str | None = None,
    progress: transfer.Progress | None = None,
) -> int:
    """File ▸ Publish to Server…: copy the open project into an empty database."""
    return transfer.copy_to_server(project, location, password=password, progress=progress)


def save_copy_as_file(project: Project, target: Path) -> None:
    """Save a Copy as File: the whole project (a server one too) into a new file."""
    project.save_copy(target)


@dataclass(frozen=True)
class Mark:
    """How far the project's history went when it was last looked at."""

    last_change: int
    changes: int


def change_mark(project: Project) -> Mark:
    """A cheap fingerprint of the history: a view that saw another mark is stale."""
    with project.reading() as session:
        row = session.execute(select(func.max(ChangeLog.id), func.count(ChangeLog.id))).one()
    return Mark(int(row[0] or 0), int(row[1] or 0))


def changed_since(project: Project, since: Mark, *, by_others: bool = False) -> list[str]:
    """The registers changed after ``since`` (``by_others``: by other database users than
    this project's). A server may commit ids out of order, hence the count in the mark."""
    stmt = select(ChangeLog.register).where(ChangeLog.id > since.last_change)
    me = database_user(project)
    if by_others and me:
        stmt = stmt.where(ChangeLog.os_user != me)
    with project.reading() as session:
        return sorted(str(n) for n in session.scalars(stmt.distinct()))


def database_user(project: Project) -> str:
    """The login of a server project ("" for a file)."""
    return project.database_user if isinstance(project, server.ServerProject) else ""
