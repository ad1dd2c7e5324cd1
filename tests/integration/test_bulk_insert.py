"""Rows inserted by ``storage.bulk.insert_rows`` are stored exactly as a Core ``insert()``
of the same values stores them (dates, times, booleans, JSON, defaults, constants)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, create_engine, insert, select

from isms_desktop.storage.bulk import insert_rows, insertable
from isms_desktop.storage.models import Base, ChangeLog, Incident, Process

INCIDENTS: Table = Incident.__table__  # type: ignore[assignment]
PROCESSES: Table = Process.__table__  # type: ignore[assignment]
LOG: Table = ChangeLog.__table__  # type: ignore[assignment]


def _stored(
    rows_of: list[dict[str, Any]], table: Table, bulk: bool, **constants: Any
) -> list[tuple[Any, ...]]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine, tables=[table])
    with engine.begin() as conn:
        if bulk:
            keys = list(rows_of[0])
            rows = [tuple(r[k] for k in keys) for r in rows_of]
            assert insert_rows(conn, table, keys, rows, constants) == len(rows)
        else:
            conn.execute(insert(table), [{**r, **constants} for r in rows_of])
        return [tuple(row) for row in conn.execute(select(table).order_by(table.c.id))]


_MOMENTS = st.one_of(
    st.none(), st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 1, 1))
)
_FLAGS = st.one_of(st.none(), st.booleans())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "code": st.text(min_size=1, max_size=8),
                "title": st.text(max_size=20),
                "occurred_at": _MOMENTS,
                "notified_at": _MOMENTS,
                "confidentiality": _FLAGS,
                "personal_data": _FLAGS,
                "description": st.text(max_size=30),
            }
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda r: r["code"],
    )
)
def test_bulk_rows_are_stored_as_a_core_insert_stores_them(rows: list[dict[str, Any]]) -> None:
    assert _stored(rows, INCIDENTS, bulk=True) == _stored(rows, INCIDENTS, bulk=False)


def test_constants_defaults_and_json_columns() -> None:
    rows: list[dict[str, Any]] = [
        {"code": "PR-1", "name": "Audit", "inputs": ["a", "b"], "outputs": []},
        {"code": "PR-2", "name": "Review", "inputs": [], "outputs": [{"x": 1}]},
    ]
    with_constant = {"clauses": ["9.2"], "controls": [], "records": [], "sort_key": 3}
    assert _stored(rows, PROCESSES, True, **with_constant) == _stored(
        rows, PROCESSES, False, **with_constant
    )
    # a column with a default that is not a plain value must be given
    with pytest.raises(ValueError, match="no value for clauses"):
        _stored(rows, PROCESSES, True)


def test_one_column_and_no_rows() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine, tables=[LOG])
    now = dt.datetime(2026, 12, 7, 10, 30, 1, 5)
    constants: dict[str, Any] = {"os_user": "u", "user_name": "U", "register": "risks"}
    constants |= {"table_name": "risks"}
    constants |= {"record_code": "R-1", "kind": "created", "txn": "t", "at": now}
    with engine.begin() as conn:
        assert insert_rows(conn, LOG, ["new_value"], [], constants) == 0
        insert_rows(conn, LOG, ["new_value"], [('"a"',), (None,)], constants)
        found = conn.execute(select(LOG.c.new_value, LOG.c.at, LOG.c.field)).all()
    assert [tuple(r) for r in found] == [('"a"', now, None), (None, now, None)]


def test_what_can_be_inserted_in_bulk() -> None:
    assert insertable(INCIDENTS, ["code", "title"])  # the rest: plain defaults or NULL
    assert not insertable(PROCESSES, ["code", "name"])  # lists made by a function
    assert insertable(PROCESSES, ["code", "name", "inputs", "outputs", "clauses", "controls",
                                  "records"])  # fmt: skip
