"""Undo of an import: the records it created deleted (also the people --create-missing
made for them), the records it updated given their values back, in one transaction; refused
whole when a new record is used by one made since."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import history, registers
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    with open_project(demo_path) as project:  # (a copy of the demo for each test)
        yield project


def _state(project: Project) -> dict[str, dict[str, Any]]:
    return {
        register: {r.code: r.values for r in registers.list_rows(project, register)}
        for register in ("assets", "risks", "people")
    }


def test_undo_takes_the_import_back_and_the_same_rows_import_again(demo: Project) -> None:
    before = _state(demo)
    risk = registers.list_rows(demo, "risks")[0]
    rows = [
        (2, {"code": risk.code, "title": "Renamed in Excel", "assets": ["A-001"]}),
        (3, {"title": "Ransomware on the backup server", "owner": "Nina Newcomer"}),
        (4, {"title": "Laptop left on a train", "assets": ["A-002", "A-003"]}),
    ]
    result = registers.upsert_rows(demo, "risks", rows, create_missing=True)
    assert result.written and result.created == 2 and result.updated == 1
    changes = result.changes
    assert changes is not None and len(changes.created) == 2
    assert [register for register, _code in changes.made] == ["people"]
    assert changes.previous == {
        risk.code: {"title": risk.values["title"], "assets": risk.values["assets"]}
    }
    logged = history.count(demo)

    registers.undo_import(demo, changes)

    assert _state(demo) == before
    assert history.count(demo) > logged  # the undo is in the log too

    again = registers.upsert_rows(demo, "risks", rows, create_missing=True)
    assert again.written and again.created == 2 and again.updated == 1
    assert registers.get(demo, "risks", risk.code).values["title"] == "Renamed in Excel"


def test_an_undo_refused_changes_nothing(demo: Project) -> None:
    rows = [(2, {"name": "Spare firewall", "type": "hardware"})]
    result = registers.upsert_rows(demo, "assets", rows)
    assert result.changes is not None
    (asset,) = result.changes.created
    registers.create(demo, "risks", {"title": "Firewall fails", "assets": [asset]})
    after = _state(demo)

    with pytest.raises(IsmsError, match=f"cannot be undone: {asset} is still used"):
        registers.undo_import(demo, result.changes)

    assert _state(demo) == after


def test_a_dry_run_or_a_refused_import_has_nothing_to_undo(demo: Project) -> None:
    rows = [(2, {"name": "Spare switch", "type": "hardware"})]
    assert registers.upsert_rows(demo, "assets", rows, dry_run=True).changes is None
    bad = [(2, {"name": "Spare switch", "type": "not a type"})]
    refused = registers.upsert_rows(demo, "assets", bad)
    assert refused.problems and refused.changes is None
