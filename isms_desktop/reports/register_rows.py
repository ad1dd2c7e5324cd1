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

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from sqlalchemy import select

from isms_desktop.domain.fields import Field, Kind, RegisterSpec
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import registers
from isms_desktop.storage.models import Control
from isms_desktop.storage.project_file import Project
from isms_desktop.storage.registers import EDITABLE_MODELS, LINKS

Values = tuple[Any, ...]  # one row: the stored value of each field, in the spec's order

# Fields that are a column of another table, reached by a foreign key of the row:
# (register, field) -> (the foreign key's attribute, the column). The SoA shows its
# control's title and theme (the ``SoaEntry.title`` and ``.theme`` properties).
THROUGH: dict[tuple[str, str], tuple[str, Any]] = {
    ("soa", "title"): ("control_id", Control.title),
    ("soa", "theme"): ("control_id", Control.theme),
}


def _target_model(f: Field) -> type[Any] | None:
    return EDITABLE_MODELS.get("people" if f.kind is Kind.PERSON else str(f.ref))


def _simply_stored(spec: RegisterSpec, model: type[Any], f: Field) -> bool:
    columns = model.__mapper__.column_attrs
    if (spec.name, f.name) in THROUGH:
        return THROUGH[(spec.name, f.name)][0] in columns
    if (spec.name, f.name) in DERIVED:
        return True
    if (spec.name, f.name) in LINKS:
        return _target_model(f) is not None
    if f.is_reference:
        return f"{f.name}_id" in columns and _target_model(f) is not None
    return f.name in columns


def fast_path(register: str) -> bool:
    """Whether every field of the register is a column, a reference, a link table or one
    of the few fields read here from other tables (``THROUGH``, ``DERIVED``)."""
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
        key = (spec.name, f.name)
        if key in LINKS or key in DERIVED:
            columns.append(model.id)  # replaced by the list of linked codes below
            links.append(index)
        elif key in THROUGH:
            fk_name, column = THROUGH[key]
            fk = getattr(model, fk_name)
            other = column.class_
            columns.append(select(column).where(other.id == fk).scalar_subquery())
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
        # .all(): one fetch of the whole chunk, not a fetch per row
        result = conn.execute(select(*columns).where(_among(model.id, ids))).all()
        if not links:
            found = {row[0]: tuple(row[1:]) for row in result}
            return [found[i] for i in ids if i in found]
        rows = {row[0]: list(row[1:]) for row in result}
        for index in links:
            f = spec.fields[index]
            derive = DERIVED.get((spec.name, f.name), partial(_linked_codes, spec=spec, f=f))
            codes = derive(conn, ids)
            for row_id, values in rows.items():
                values[index] = codes.get(row_id, [])
    return [tuple(rows[i]) for i in ids if i in rows]


def _among(column: Any, ids: Sequence[int]) -> Any:
    """Rows whose ``column`` is one of ``ids``, or a few more: a range where the ids are
    dense (rows in code order are mostly in id order), which spares the database and
    SQLAlchemy a parameter per id; the callers pick the rows they asked for."""
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return column.between(low, high)
    return column.in_(ids)


def _linked_codes(
    conn: Any, ids: Sequence[int], *, spec: RegisterSpec, f: Field
) -> dict[int, list[str]]:
    """The codes each row links to, in the order the application lists them."""
    link = LINKS[(spec.name, f.name)]
    target = _target_model(f)
    assert target is not None
    own = getattr(link.table, link.own)
    stmt = (
        select(own, target.code)
        .join(target, target.id == getattr(link.table, link.target))
        .where(_among(own, ids))
        .order_by(own, getattr(target, "sort_key", target.code), target.code)
    )
    found: dict[int, list[str]] = {}
    for own_id, code in conn.execute(stmt).all():
        found.setdefault(own_id, []).append(code)
    return found


# Fields derived from other tables, read for a chunk of rows at once:
# (register, field) -> (connection, ids) -> the value of each row (a list of codes).
DERIVED: dict[tuple[str, str], Callable[[Any, Sequence[int]], dict[int, list[str]]]] = {
    ("soa", "risks"): registers.soa_risk_codes,
}


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
