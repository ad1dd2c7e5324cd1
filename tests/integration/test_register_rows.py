"""The export's fast reading of register rows gives what the application's records hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from isms_desktop.domain.fields import Kind
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.reports.register_rows import value_chunks
from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.storage.registers import EDITABLE_MODELS, LINKS


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
    with open_project(template_demo, read_only=True) as project:
        ids = registers.query_ids(project, "soa")
        rows = [row for chunk in value_chunks(project, "soa", 50, ids) for row in chunk]
    names = [f.name for f in SPECS["soa"].fields]
    selected = [row[names.index("risks")] for row in rows]
    assert any(selected), "the demo's risks select some controls"
    assert all(codes == sorted(codes) for codes in selected)
    assert all(row[names.index("title")] for row in rows)


@pytest.mark.parametrize("register", sorted(SPECS))
def test_values_read_are_what_the_mapped_objects_hold(template_demo: Path, register: str) -> None:
    """The one reader of values (columns, subqueries, link queries: the views' records and the
    export) against the ORM objects: columns and properties, references by the code of the
    record they point at, links as the codes of their targets."""
    spec, model = SPECS[register], EDITABLE_MODELS[register]
    with open_project(template_demo, read_only=True) as project:
        ids = registers.query_ids(project, register)
        with project.reading() as session:
            rows = registers.value_rows(session, register, ids)
            assert list(rows) == ids
            for obj in session.scalars(select(model).where(model.id.in_(ids))):
                for f, value in zip(spec.fields, rows[obj.id], strict=True):
                    link = LINKS.get((register, f.name))
                    if link is not None:
                        target = EDITABLE_MODELS[str(f.ref)]
                        own = getattr(link.table, link.own)
                        stmt = select(target.code).join(
                            link.table, getattr(link.table, link.target) == target.id
                        )
                        expected = set(session.scalars(stmt.where(own == obj.id)))
                        assert set(value) == expected and len(value) == len(expected)
                    elif f.is_reference:
                        target = EDITABLE_MODELS["people" if f.kind is Kind.PERSON else str(f.ref)]
                        ref = session.get(target, getattr(obj, f"{f.name}_id") or 0)
                        assert value == (ref.code if ref is not None else None), f.name
                    else:
                        assert value == getattr(obj, f.name), f.name
