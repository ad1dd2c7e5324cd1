"""Copying a whole project between a file and a server: every table, in dependency order,
with SQLAlchemy Core — records, attachments (blobs) and the change log alike.

The source is read in one transaction (a consistent snapshot); the target gets the schema
at head from the migrations and the rows in one transaction, so a copy that fails leaves no
half-filled target: a file is built under a temporary name, a database stays empty
(PostgreSQL's DDL is transactional).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, inspect, select
from sqlalchemy.exc import DBAPIError, OperationalError

from isms_desktop.domain.errors import IsmsError, TargetExistsError
from isms_desktop.storage import dialect, migrations_runner, server
from isms_desktop.storage.models import Base
from isms_desktop.storage.project_file import Project, _file_engine, create_project_file

log = logging.getLogger(__name__)

BATCH = 500
Progress = Callable[[str, int], None]  # (table name, rows copied so far)


def copy_tables(source: Connection, target: Connection, progress: Progress | None = None) -> int:
    """Copy every row of every table of the schema from ``source`` into the (empty)
    ``target``; both at the head revision. Returns the number of rows copied."""
    present = set(inspect(source).get_table_names())
    tables = [t for t in Base.metadata.sorted_tables if t.name in present]
    total = 0
    for table in tables:
        order = list(table.primary_key.columns)
        result = source.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
        copied = 0
        for batch in result.partitions(BATCH):
            target.execute(insert(table), [dict(row._mapping) for row in batch])
            copied += len(batch)
            if progress is not None:
                progress(table.name, copied)
        total += copied
    dialect.reset_id_sequences(target, tables)
    return total


@contextlib.contextmanager
def _snapshot(project: Project) -> Any:
    """One read transaction over the whole source (repeatable on a server)."""
    with project.engine.connect() as conn:
        if dialect.is_server(conn):
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def copy_to_file(project: Project, target: Path, progress: Progress | None = None) -> None:
    """Write a whole (server) project into a new, unencrypted project file ``target``."""
    target = Path(target)
    if target.exists():
        raise TargetExistsError(
            f"{target} already exists; choose another name (nothing was changed)"
        )
    if not target.parent.is_dir():
        raise IsmsError(f"{target.parent}: no such folder; nothing was written")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        create_project_file(tmp)
        engine = _file_engine(tmp, writable=True, durable=False)
        try:
            with _snapshot(project) as source, engine.begin() as conn:
                rows = copy_tables(source, conn, progress)
        finally:
            engine.dispose()
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            raise TargetExistsError(f"{target} already exists; nothing was changed")
        os.replace(tmp, target)
    except DBAPIError as exc:
        raise IsmsError(
            f"the copy of {project.location} to {target} failed ({exc.orig}); nothing was written"
        ) from exc
    except OSError as exc:
        raise IsmsError(
            f"the copy could not be written to {target} ({exc.strerror or exc}); nothing was "
            "written there — check the folder is writable and has space"
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    log.info("copied %s to %s (%d rows)", project.location, target, rows)


def copy_to_server(
    project: Project,
    location: str,
    *,
    password: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Copy a whole project into the empty database at ``location`` (``Publish to
    server``): the schema and all rows in one transaction. Returns the rows copied."""
    url = server.parse_url(location, allow_password=password is not None)
    engine = server.make_engine(url, password=password)
    try:
        with _snapshot(project) as source, engine.begin() as conn:
            if inspect(conn).get_table_names():
                raise TargetExistsError(
                    f"{server.display(url)} is not empty; choose an empty database "
                    "(nothing was changed)"
                )
            migrations_runner.upgrade(conn)
            server.mark_version(conn)
            rows = copy_tables(source, conn, progress)
    except OperationalError as exc:
        raise server.connection_error(exc, url) from exc
    except DBAPIError as exc:
        raise IsmsError(
            f"the copy to {server.display(url)} failed ({str(exc.orig).strip()}); "
            "nothing was written there"
        ) from exc
    finally:
        engine.dispose()
    log.info("published %s to %s (%d rows)", project.location, server.display(url), rows)
    return rows


def copy_project(source: str | Path, target: str | Path) -> str:
    """``isms-desktop copy SOURCE TARGET``: file or server to a new file or an empty
    database. Returns what was done, for the user."""
    from isms_desktop.storage.project_file import open_project

    with open_project(source, read_only=True) as project:
        if isinstance(target, str) and server.is_url(target):
            rows = copy_to_server(project, target)
            where = server.display(server.parse_url(target))
            return f"copied {project.location} to {where} ({rows} rows)"
        target = Path(target)
        if target.exists():
            raise TargetExistsError(
                f"{target} already exists; choose another name (nothing was changed)"
            )
        project.save_copy(target)  # a file keeps its encryption; a server gives a plain file
    return f"copied {project.location} to {target}"
