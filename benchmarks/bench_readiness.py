"""Readiness (the dashboard's figures) and the one action list, against the same SQL.

The action list is read as the dashboard loads it: the first items (earliest due) under no
filter, every item counted, and the owners and sources for the filters' choices.

Floor: the statements our code sent, replayed with the bare ``sqlite3`` driver (so the
ratio is what Python, SQLAlchemy and the rules add on top of SQLite).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.harness import Env, Measurement, captured_sql, read_only_connection, replay, timed
from isms_desktop.domain.readiness import Readiness
from isms_desktop.services import action_list, readiness
from isms_desktop.storage.project_file import Project, open_project


def _same_sql(
    env: Env, project: Project, name: str, func: Callable[[], Any], items: Callable[[Any], int]
) -> Measurement:
    func()  # warm caches (catalogue, risk method) as a running application has them
    with captured_sql(project.engine) as statements:
        result = func()
    conn = read_only_connection(env.project)
    try:
        ours_t, floor_t = timed(
            [(None, func), (None, lambda: replay(conn, statements))], env.repeat
        )
    finally:
        conn.close()
    return Measurement(
        name, env.size, ours_t, floor_t, f"same SQL ({len(statements)} statements)", items(result)
    )


def _computed(project: Project) -> Readiness:
    """Readiness computed afresh (``readiness.report`` caches it per change and day), as
    after every edit."""
    with project.reading() as session:
        return readiness.compute(session)


def run(env: Env) -> list[Measurement]:
    with open_project(env.project, read_only=True) as project:
        found = [
            _same_sql(
                env,
                project,
                "readiness",
                lambda: _computed(project),
                lambda r: len(r.rules),
            ),
            _same_sql(
                env,
                project,
                "action list",
                lambda: action_list.action_page(project, choices=True),
                lambda page: page.total,
            ),
        ]
    return found
