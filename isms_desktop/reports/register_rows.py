"""Register rows as plain value tuples, read fast for exports of large registers.

``services.registers.fetch`` builds full records (ORM objects, display texts) for the views;
an export of 100,000 rows needs only the stored values, and building records would cost
more than writing the workbook. This module reads the same values with one Core query per
chunk: columns as stored, references as the referenced record's code, many-to-many fields as
lists of codes. The order of rows comes from ``registers.query_ids``, so it is the order
the application shows. A register with a field that is not simply stored (a property such
as the SoA's control title) is read through ``registers.fetch`` instead, so new kinds of
fields are never exported wrongly, only more slowly.

This is read-only and opens only short read transactions, one per chunk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select

from isms_desktop.domain.fields import Field, Kind, RegisterSpec
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project
from isms_desktop.storage.registers import EDITABLE_MODELS, LINKS

Values = tuple[Any, ...]  # one row: the stored value of each field, in the spec's order


def _target_model(f: Field) -> type[Any] | None:
    return EDITABLE_MODELS.get("people" if f.kind is Kind.PERSON else str(f.ref))


def _simply_stored(spec: RegisterSpec, model: type[Any], f: Field) -> bool:
    columns = model.__mapper__.column_attrs
    if (spec.name, f.name) in LINKS:
        return _target_model(f) is not None
    if f.is_reference:
        return f"{f.name}_id" in columns and _target_model(f) is not None
    return f.name in columns


def fast_path(register: str) -> bool:
    """Whether every field of the register is a column, a reference or a link table."""
    spec = SPECS[register]
    model = EDITABLE_MODELS.get(register)
    return model is not None and all(_simply_stored(spec, model, f) for f in spec.fields)


def value_chunks(
    project: Project, register: str, chunk: int, ids: Sequence[int] | None = None
) -> Iterator[list[Values]]:
    """All rows of a register in display order (or the rows with ``ids``, in their order),
    ``chunk`` rows at a time."""
    if ids is None:
        ids = registers.query_ids(project, register)
    spec = SPECS[register]
    fast = fast_path(register)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        if fast:
            yield _read(project, spec, part)
        else:
            names = [f.name for f in spec.fields]
            rows = registers.fetch(project, register, part)
            yield [tuple(row.values[name] for name in names) for row in rows]


def _read(project: Project, spec: RegisterSpec, ids: Sequence[int]) -> list[Values]:
    model = EDITABLE_MODELS[spec.name]
    columns: list[Any] = [model.id]
    links: list[int] = []
    for index, f in enumerate(spec.fields):
        if (spec.name, f.name) in LINKS:
            columns.append(model.id)  # replaced by the list of linked codes below
            links.append(index)
        elif f.is_reference:
            target = _target_model(f)
            assert target is not None
            fk = getattr(model, f"{f.name}_id")
            columns.append(select(target.code).where(target.id == fk).scalar_subquery())
        else:
            columns.append(getattr(model, f.name))
    with project.reading() as session:
        # Plain Core rows: the values need none of the ORM's result processing.
        conn = session.connection()
        result = conn.execute(select(*columns).where(model.id.in_(ids)))
        if not links:
            found = {row[0]: tuple(row[1:]) for row in result}
            return [found[i] for i in ids if i in found]
        rows = {row[0]: list(row[1:]) for row in result}
        for index in links:
            codes = _linked_codes(conn, spec, spec.fields[index], ids)
            for row_id, values in rows.items():
                values[index] = codes.get(row_id, [])
    return [tuple(rows[i]) for i in ids if i in rows]


def _linked_codes(
    conn: Any, spec: RegisterSpec, f: Field, ids: Sequence[int]
) -> dict[int, list[str]]:
    """The codes each row links to, in the order the application lists them."""
    link = LINKS[(spec.name, f.name)]
    target = _target_model(f)
    assert target is not None
    own = getattr(link.table, link.own)
    stmt = (
        select(own, target.code)
        .join(target, target.id == getattr(link.table, link.target))
        .where(own.in_(ids))
        .order_by(own, getattr(target, "sort_key", target.code), target.code)
    )
    found: dict[int, list[str]] = {}
    for own_id, code in conn.execute(stmt):
        found.setdefault(own_id, []).append(code)
    return found


def name_field(register: str) -> Field | None:
    """The field that names a record for people (an asset's name, a risk's title), if any."""
    spec = SPECS.get(register)
    if spec is None:
        return None
    model = EDITABLE_MODELS.get(register)
    for f in spec.fields[1:]:
        if f.kind is Kind.TEXT and model is not None and f.name in model.__mapper__.column_attrs:
            return f
    return None


def code_names(project: Project, register: str) -> list[tuple[str, str]]:
    """(code, name) of every record of a register, for references given by name."""
    model = EDITABLE_MODELS[register]
    label = getattr(model, "title", None) if register == "controls" else None
    if label is None:
        named = name_field(register)
        label = getattr(model, named.name) if named is not None else model.code
    with project.reading() as session:
        return [(str(c), str(n or "")) for c, n in session.execute(select(model.code, label))]
