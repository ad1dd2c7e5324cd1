"""Register rows as plain value tuples, read fast for exports of large registers.

``services.registers.fetch`` builds full records (display texts, row versions) for the
views; an export of 100,000 rows needs only the stored values: columns as stored,
references as the referenced record's code, many-to-many fields as lists of codes, read
by the same reader as the views' records (``registers.value_rows``) a chunk at a time. The
order of rows comes from ``registers.query_ids``, so it is the order the application shows.

This is read-only and opens only short read transactions, one per chunk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select

from isms_desktop.domain.fields import Field, Kind
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project
from isms_desktop.storage.registers import EDITABLE_MODELS

Values = tuple[Any, ...]  # one row: the stored value of each field, in the spec's order


def value_chunks(
    project: Project, register: str, chunk: int, ids: Sequence[int] | None = None
) -> Iterator[list[Values]]:
    """All rows of a register in display order (or the rows with ``ids``, in their order),
    ``chunk`` rows at a time."""
    if ids is None:
        ids = registers.query_ids(project, register)
    for start in range(0, len(ids), chunk):
        with project.reading() as session:
            rows = registers.value_rows(session, register, ids[start : start + chunk])
        yield [tuple(values) for values in rows.values()]


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
