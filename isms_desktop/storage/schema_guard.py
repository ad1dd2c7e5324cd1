"""Check a project file's schema before the application uses it.

A project file may come from anyone (mailed, on a USB stick). SQLite runs SQL that is stored
in the file itself: triggers fire on writes, views run on reads, generated columns, column
defaults and expression indexes are evaluated. So before a file is opened for use, its
schema is compared with the one this application creates: only our tables, no views, only
our own triggers (word for word), no generated columns, literal defaults only and no
indexes on expressions. Anything else refuses the file, which is then never written.
Connections also run with ``PRAGMA trusted_schema = OFF`` (SQLite's own defence).
"""

from __future__ import annotations

import re
from typing import Any

from isms_desktop.storage.models import Base

# Triggers this application creates (migration 0006_change_log), in normalised form.
EXPECTED_TRIGGERS: dict[str, str] = {
    "change_log_no_update": (
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'the change log cannot be edited'); END"
    ),
    "change_log_no_delete": (
        "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'the change log cannot be edited'); END"
    ),
}

_SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}
_LITERAL_DEFAULT = re.compile(
    r"""^(NULL|TRUE|FALSE|CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME
        |[-+]?\d+(\.\d+)?([eE][-+]?\d+)?
        |'([^']|'')*'
        |\(\s*[-+]?\d+(\.\d+)?\s*\)
        |\(\s*'([^']|'')*'\s*\))$""",
    re.IGNORECASE | re.VERBOSE,
)
_CHECK = re.compile(r"\bCHECK\s*\(", re.IGNORECASE)


def normalise_sql(sql: str) -> str:
    return " ".join(sql.split())


def known_tables() -> set[str]:
    return set(Base.metadata.tables) | {"alembic_version"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_problems(conn: Any) -> list[str]:
    """What in the file's schema this application never creates (empty: the schema is ours).

    Reads only ``sqlite_master`` and the table-info pragmas, which run no stored SQL.
    """
    problems: list[str] = []
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    tables = known_tables()
    for kind, name, _table, sql in objects:
        name = str(name)
        text = str(sql or "")
        if kind == "view":
            problems.append(f"view {name}")
        elif kind == "trigger":
            if normalise_sql(text) != EXPECTED_TRIGGERS.get(name):
                problems.append(f"trigger {name}")
        elif kind == "table":
            if name in _SQLITE_TABLES:
                continue
            if name not in tables or text.upper().lstrip().startswith("CREATE VIRTUAL"):
                problems.append(f"table {name}")
                continue
            if _CHECK.search(text):
                problems.append(f"a check constraint on table {name}")
            problems.extend(_column_problems(conn, name))
        elif kind == "index":
            problems.extend(_index_problems(conn, name))
        else:
            problems.append(f"{kind} {name}")
    return problems


def _column_problems(conn: Any, table: str) -> list[str]:
    problems = []
    for row in conn.execute(f"PRAGMA table_xinfo({_quote(table)})"):
        column, default, hidden = str(row[1]), row[4], int(row[6])
        if hidden:
            problems.append(f"a generated column {table}.{column}")
        if default is not None and not _LITERAL_DEFAULT.match(str(default).strip()):
            problems.append(f"a computed default of {table}.{column}")
    return problems


def _index_problems(conn: Any, index: str) -> list[str]:
    for row in conn.execute(f"PRAGMA index_xinfo({_quote(index)})"):
        if int(row[1]) == -2:  # -2: a key that is an expression, not a column
            return [f"an index on an expression ({index})"]
    return []
