"""The export's fast reading of register rows gives what the application's records hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from isms_desktop.domain.register_specs import SPECS
from isms_desktop.reports.register_rows import fast_path, value_chunks
from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project, open_project


def _record_values(project: Project, register: str, ids: list[int]) -> list[tuple[object, ...]]:
    names = [f.name for f in SPECS[register].fields]
    rows = registers.fetch(project, register, ids)
    return [tuple(row.values[name] for name in names) for row in rows]


@pytest.mark.parametrize("register", sorted(SPECS))
def test_rows_read_fast_are_the_records_values(template_demo: Path, register: str) -> None:
    with open_project(template_demo, read_only=True) as project:
        ids = registers.query_ids(project, register)
        by_id = dict(zip(ids, _record_values(project, register, ids), strict=True))
        # small chunks: several of them, dense ones (read as id ranges) and sparse ones
        sparse = ids[::3] + ids[1::3]
        for order in (ids, sparse, list(reversed(ids))):
            got = [row for chunk in value_chunks(project, register, 4, order) for row in chunk]
            assert got == [by_id[i] for i in order], register


def test_the_soa_is_read_fast(template_demo: Path) -> None:
    assert fast_path("soa")
    with open_project(template_demo, read_only=True) as project:
        ids = registers.query_ids(project, "soa")
        rows = [row for chunk in value_chunks(project, "soa", 50, ids) for row in chunk]
    names = [f.name for f in SPECS["soa"].fields]
    selected = [row[names.index("risks")] for row in rows]
    assert any(selected), "the demo's risks select some controls"
    assert all(codes == sorted(codes) for codes in selected)
    assert all(row[names.index("title")] for row in rows)
