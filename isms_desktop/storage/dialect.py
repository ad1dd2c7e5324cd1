"""The dialect seam: the few things that differ between a project file (SQLite) and a
project on a PostgreSQL server, each with its counterpart.

- connection settings: PRAGMAs (foreign keys, busy timeout, trusted schema, journal,
  sync) ↔ lock timeout, UTC time zone, read-only sessions for readers;
- transactions: an explicit ``BEGIN`` (pysqlite would defer it) ↔ the driver's own;
- a consistent copy: SQLite's backup API ↔ a table-by-table copy (``storage.transfer``);
- integrity check: ``PRAGMA integrity_check`` and ``foreign_key_check`` ↔ nothing to do
  (the server enforces both); only the schema revision is read;
- ids after a copy with explicit ids: nothing ↔ each id sequence moved past them.

Everything else the application sends is portable SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event, text
from sqlalchemy.engine import Connection, Engine

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def name_of(engine: Engine | Connection) -> str:
    return engine.dialect.name


def is_server(engine: Engine | Connection) -> bool:
    return name_of(engine) != SQLITE


# --- connection settings and transactions ------------------------------------------------


def install_sqlite_hooks(engine: Engine, *, writable: bool, durable: bool = True) -> None:
    """Let SQLAlchemy own transactions (BEGIN emitted explicitly), and set the pragmas."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 5000")
        cur.execute("PRAGMA trusted_schema = OFF")  # stored SQL may not call risky functions
        if writable:
            cur.execute("PRAGMA journal_mode = DELETE")
            # FULL: a committed edit survives a power cut. OFF only while a file that
            # nobody can see yet is being built (it is discarded if that fails).
            cur.execute(f"PRAGMA synchronous = {'FULL' if durable else 'OFF'}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def install_postgresql_hooks(engine: Engine, *, writable: bool) -> None:
    """Session settings of every server connection (the counterpart of the PRAGMAs)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            # wait for another user's row lock at most 5 s (like SQLite's busy timeout)
            cur.execute("SET lock_timeout = '5s'")
            cur.execute("SET TIME ZONE 'UTC'")
            if not writable:
                cur.execute("SET default_transaction_read_only = on")
        dbapi_conn.commit()


# --- after a bulk copy with explicit ids -------------------------------------------------------


def reset_id_sequences(conn: Connection, tables: list[Table]) -> None:
    """Move each table's id sequence past the ids copied into it (PostgreSQL only)."""
    if name_of(conn) != POSTGRESQL:
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        sequence = conn.scalar(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
        )
        if sequence is None:
            continue
        quote = conn.dialect.identifier_preparer.quote
        highest = f"SELECT MAX({quote(pk[0].name)}) FROM {quote(table.name)}"
        conn.execute(
            text(f"SELECT setval(:s, COALESCE(({highest}), 0) + 1, false)"), {"s": sequence}
        )
