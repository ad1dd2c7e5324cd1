"""Search across every register: the first search (which builds the in-memory FTS5 index
of the project) and a search once the index exists.

Floors: the same FTS5 table filled straight from the project file by ``INSERT … SELECT``
and queried once; and the bare FTS5 query on an index that exists.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.harness import Env, Measurement, timed
from isms_desktop.services import search
from isms_desktop.storage.project_file import Project, open_project

QUERY = "ransomware backup"
FTS_QUERY = '"ransomware"* "backup"*'
SQL = (
    "SELECT register, code, title, snippet(docs, 4, '[', ']', '…', 8) FROM docs "
    "WHERE docs MATCH ? ORDER BY bm25(docs, 0, 0, 4.0, 10.0, 1.0)"
)
# What the floor indexes: the records of the big registers with their searched text.
SOURCES = (
    ("risks", "code", "title", "description || ' ' || threat || ' ' || vulnerability", "risks"),
    ("assets", "code", "name", "description || ' ' || location", "assets"),
    ("treatment", "code", "title", "description", "actions"),
)


def bare_index(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(register UNINDEXED, code UNINDEXED, "
        "title, keys, body, tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    conn.execute("ATTACH DATABASE ? AS p", (f"file:{path.resolve().as_posix()}?mode=ro",))
    for register, code, title, body, table in SOURCES:
        conn.execute(
            f"INSERT INTO docs (register, code, title, keys, body) "  # constants
            f"SELECT '{register}', {code}, {title}, {code}, {body} FROM p.{table}"
        )
    conn.commit()
    return conn


def run(env: Env) -> list[Measurement]:
    hits: dict[str, int] = {}
    opened: list[Project] = []

    def fresh_project() -> None:
        for project in opened:
            project.close()
        opened[:] = [open_project(env.project, read_only=True)]

    def ours_first() -> None:
        hits["first"] = len(search.search(opened[0], QUERY))

    def floor_first() -> None:
        conn = bare_index(env.project)
        hits["floor first"] = len(conn.execute(SQL, (FTS_QUERY,)).fetchall())
        conn.close()

    try:
        first, first_floor = timed([(fresh_project, ours_first), (None, floor_first)], env.repeat)
        warm_floor_conn = bare_index(env.project)

        def ours_warm() -> None:
            hits["warm"] = len(search.search(opened[0], QUERY))

        def floor_warm() -> None:
            hits["floor warm"] = len(warm_floor_conn.execute(SQL, (FTS_QUERY,)).fetchall())

        warm, warm_floor = timed([(None, ours_warm), (None, floor_warm)], env.repeat)
        warm_floor_conn.close()
    finally:
        for project in opened:
            project.close()
    if not hits["first"] or hits["first"] != hits["warm"]:
        raise AssertionError(f"search found {hits}")
    return [
        Measurement(
            "search (first: builds index)",
            env.size,
            first,
            first_floor,
            "FTS5 INSERT…SELECT + query",
            hits["first"],
            note=f"bare query matched {hits['floor first']} rows",
        ),
        Measurement(
            "search (index built)",
            env.size,
            warm,
            warm_floor,
            "bare FTS5 query",
            hits["warm"],
            note=f"bare query matched {hits['floor warm']} rows",
        ),
    ]
