"""A multi-record edit of more than a few records is written a chunk per statement
(``registers._update_each_in_bulk``) instead of record by record through the ORM: the two
ways must leave the same project behind — the same records, row versions, risk levels,
change-log entries and returned changes — and refuse the same input."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project, open_project

# register, field, value per record (a function of the record's position) — each touches
# a case: a choice, a reference by code and by name, a score that moves risk levels, a
# date, text on the SoA, a value some records already have (no change, no new version)
EDITS: list[tuple[str, str, Any]] = [
    ("risks", "status", lambda i: "treated"),
    ("risks", "owner", lambda i: "P-003" if i % 2 else "Daniel Okafor"),
    ("risks", "residual_likelihood", lambda i: 1 + i % 5),
    ("risks", "inherent_impact", lambda i: 5),
    ("assets", "classification", lambda i: ("internal", "confidential")[i % 2]),
    ("assets", "custodian", lambda i: None),
    ("treatment", "due_date", lambda i: f"2027-0{1 + i % 9}-15"),
    ("soa", "implementation", lambda i: f"Described again ({i % 3})"),
]


@pytest.fixture
def twins(demo_path: Path, tmp_path: Path) -> Iterator[tuple[Project, Project]]:
    """The demo twice: edited record by record, and in bulk."""
    other = tmp_path / "bulk.isms"
    shutil.copyfile(demo_path, other)
    with open_project(demo_path) as one_by_one, open_project(other) as bulk:
        yield one_by_one, bulk


def _edit(
    monkeypatch: pytest.MonkeyPatch, project: Project, bulk: bool, edit: Any
) -> list[registers.Change] | str:
    register, field, value = edit
    codes = registers.codes(project, register)
    monkeypatch.setattr(registers, "_EDITED_ONE_BY_ONE", 0 if bulk else 10**9)
    try:
        return registers.update_each(
            project, register, field, {code: value(i) for i, code in enumerate(codes)}
        )
    except IsmsError as exc:
        return f"{type(exc).__name__}: {exc}"


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(sql).fetchall(), key=repr)


def _state(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    assert project.path is not None
    found = {}
    for table in ("risks", "assets", "actions"):
        found[table] = _rows(project.path, f"SELECT * FROM {table}")
    # (the SoA's updated_at is the clock's)
    found["soa"] = _rows(project.path, "SELECT id, implementation, row_version FROM soa_entries")
    found["log"] = _rows(
        project.path,
        "SELECT register, table_name, record_id, record_code, field, old_value, new_value, "
        "kind FROM change_log",
    )
    return found


def test_bulk_and_one_by_one_leave_the_same_project(
    twins: tuple[Project, Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one, bulk = twins
    for edit in EDITS:
        expected = _edit(monkeypatch, one_by_one, False, edit)
        got = _edit(monkeypatch, bulk, True, edit)
        assert got == expected, edit[:2]
        assert not isinstance(got, str), got  # every edit above is allowed
        assert _state(bulk) == _state(one_by_one), edit[:2]
    # the same value again: nothing is written (no new row versions, nothing logged)
    unchanged = _state(bulk)
    changes = _edit(monkeypatch, bulk, True, EDITS[0])
    assert isinstance(changes, list) and all(c.old == c.new == "treated" for c in changes)
    assert _state(bulk) == unchanged


def test_undo_of_a_bulk_edit_restores_each_records_value(
    twins: tuple[Project, Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_by_one, bulk = twins
    before = {r.code: r.values for r in registers.list_rows(bulk, "risks")}
    changes = _edit(monkeypatch, bulk, True, EDITS[2])  # moves levels
    assert isinstance(changes, list) and any(c.old != c.new for c in changes)
    registers.update_each(bulk, "risks", "residual_likelihood", {c.code: c.old for c in changes})
    assert {r.code: r.values for r in registers.list_rows(bulk, "risks")} == before


@pytest.mark.parametrize(
    "edit",
    [
        ("risks", "owner", lambda i: "Nobody Known" if i == 30 else "P-003"),
        ("risks", "status", lambda i: "no_such_status"),
        ("assets", "classification", lambda i: "internal" if i < 25 else "top secret"),
        ("treatment", "due_date", lambda i: "soon"),
    ],
)
def test_bad_values_are_refused_alike_and_change_nothing(
    twins: tuple[Project, Project], monkeypatch: pytest.MonkeyPatch, edit: Any
) -> None:
    one_by_one, bulk = twins
    unchanged = _state(bulk)
    expected = _edit(monkeypatch, one_by_one, False, edit)
    got = _edit(monkeypatch, bulk, True, edit)
    assert isinstance(got, str) and got == expected
    assert _state(bulk) == unchanged
