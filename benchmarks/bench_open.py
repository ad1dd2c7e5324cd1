"""Opening a project for writing: inspect, schema guard, migration check, lock, engine.

Floor: ``sqlite3.connect`` and one query of the schema revision.
"""

from __future__ import annotations

import sqlite3

from benchmarks.harness import Env, Measurement, timed
from isms_desktop.services import registers
from isms_desktop.storage.project_file import open_project


def run(env: Env) -> list[Measurement]:
    path = env.copy_project("open")
    found: list[int] = []

    def ours() -> None:
        with open_project(path) as project:
            found.append(registers.count(project, "risks"))

    def floor() -> None:
        conn = sqlite3.connect(path)
        try:
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
            found.append(conn.execute("SELECT count(*) FROM risks").fetchone()[0])
        finally:
            conn.close()

    ours_t, floor_t = timed([(None, ours), (None, floor)], env.repeat)
    if set(found) != {env.size}:
        raise AssertionError(f"open project: counted {sorted(set(found))} risks, not {env.size}")
    return [
        Measurement("open project", env.size, ours_t, floor_t, "sqlite3 connect + query", env.size)
    ]
