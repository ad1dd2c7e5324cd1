"""Generic use cases on the registers of ``domain.register_specs``.

Listing happens in SQL (sort, text filter, paging by id lists) so that views fetch only the
rows they show; every change is one transaction and returns what changed, so that the GUI
can refresh and push an undo command that calls the inverse use case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from isms_desktop.domain.errors import BadArgumentsError, IsmsError, RejectedInputError
from isms_desktop.domain.fields import (
    Field,
    Kind,
    RegisterSpec,
    display_value,
    next_code,
    parse_value,
)
from isms_desktop.domain.register_rules import record_problems
from isms_desktop.domain.register_specs import spec as register_spec
from isms_desktop.storage.models import Base, Person
from isms_desktop.storage.project_file import Project
from isms_desktop.storage.registers import EDITABLE_MODELS


class InvalidValueError(RejectedInputError):
    """A value typed by the user was refused; nothing was changed."""

    def __init__(self, register: str, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.register = register
        self.field_name = field_name


@dataclass(frozen=True)
class RecordRow:
    id: int
    code: str
    values: dict[str, Any]
    display: dict[str, str]


@dataclass(frozen=True)
class Change:
    register: str
    code: str
    kind: str  # created | updated | deleted | restored
    field: str | None = None
    old: Any = None
    new: Any = None
    snapshot: dict[str, Any] = dataclasses.field(default_factory=dict)


def _model(register: str) -> type[Any]:
    try:
        return EDITABLE_MODELS[register]
    except KeyError:
        raise BadArgumentsError(f"there is no register named {register!r}") from None


def _is_ref(f: Field) -> bool:
    return f.kind in (Kind.PERSON, Kind.REF)


def _ref_register(f: Field) -> str:
    return "people" if f.kind is Kind.PERSON else str(f.ref)


def _column(model: type[Any], f: Field) -> Any:
    return getattr(model, f"{f.name}_id" if _is_ref(f) else f.name)


def _label_column(register: str) -> Any:
    model = _model(register)
    return model.name if register == "people" else model.code


def _ref_label(model: type[Any], f: Field, label: bool) -> Any:
    """A correlated subquery giving the referenced row's code (or, for display, its label)."""
    target = _model(_ref_register(f))
    column = _label_column(_ref_register(f)) if label else target.code
    return select(column).where(target.id == _column(model, f)).scalar_subquery()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_filter(model: type[Any], spec: RegisterSpec, text: str) -> ColumnElement[bool]:
    pattern = f"%{_escape_like(text.strip())}%"
    columns = [getattr(model, name) for name in (spec.search_fields or ("code",))]
    return or_(*(func.lower(col).like(pattern.lower(), escape="\\") for col in columns))


def _id_query(
    register: str,
    *,
    sort: str | None,
    descending: bool,
    text: str | None,
    equals: Mapping[str, Any] | None,
) -> Select[Any]:
    spec = register_spec(register)
    model = _model(register)
    stmt = select(model.id)
    if text and text.strip():
        stmt = stmt.where(_text_filter(model, spec, text))
    for name, value in (equals or {}).items():
        f = spec.field(name)
        if _is_ref(f):
            stmt = stmt.where(_ref_label(model, f, label=False) == value)
        else:
            stmt = stmt.where(_column(model, f) == value)
    if sort:
        f = spec.field(sort)
        key = _ref_label(model, f, label=True) if _is_ref(f) else _column(model, f)
        stmt = stmt.order_by(key.desc() if descending else key.asc(), model.id)
    else:
        order = getattr(model, "sort_key", None)
        stmt = stmt.order_by(*(c for c in (order, model.code) if c is not None))
    return stmt


def query_ids(
    project: Project,
    register: str,
    *,
    sort: str | None = None,
    descending: bool = False,
    text: str | None = None,
    equals: Mapping[str, Any] | None = None,
) -> list[int]:
    """The ids of the rows a view shows, in order (fetch the rows themselves lazily)."""
    stmt = _id_query(register, sort=sort, descending=descending, text=text, equals=equals)
    with project.reading() as session:
        return list(session.scalars(stmt))


def _rows(session: Session, register: str, ids: Sequence[int]) -> list[RecordRow]:
    spec = register_spec(register)
    model = _model(register)
    ref_fields = [f for f in spec.fields if _is_ref(f)]
    columns = [model]
    for f in ref_fields:
        columns.append(_ref_label(model, f, label=False))
        columns.append(_ref_label(model, f, label=True))
    by_id: dict[int, RecordRow] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for result in session.execute(select(*columns).where(model.id.in_(chunk))):
            obj = result[0]
            values: dict[str, Any] = {}
            display: dict[str, str] = {}
            refs = iter(result[1:])
            ref_values = {f.name: (next(refs), next(refs)) for f in ref_fields}
            for f in spec.fields:
                if _is_ref(f):
                    code, label = ref_values[f.name]
                    values[f.name] = code
                    display[f.name] = label or ""
                else:
                    values[f.name] = getattr(obj, f.name)
                    display[f.name] = display_value(f, values[f.name])
            by_id[obj.id] = RecordRow(id=obj.id, code=obj.code, values=values, display=display)
    return [by_id[i] for i in ids if i in by_id]


def fetch(project: Project, register: str, ids: Sequence[int]) -> list[RecordRow]:
    """The rows with these ids, in the same order (ids deleted meanwhile are skipped)."""
    with project.reading() as session:
        return _rows(session, register, ids)


def list_rows(project: Project, register: str, **query: Any) -> list[RecordRow]:
    """All rows of a (small) register in display order."""
    return fetch(project, register, query_ids(project, register, **query))


def count(project: Project, register: str) -> int:
    model = _model(register)
    with project.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _find(session: Session, register: str, code: str) -> Any:
    model = _model(register)
    obj = session.scalars(select(model).where(model.code == code)).one_or_none()
    if obj is None:
        raise BadArgumentsError(f"{register}: there is no record {code}")
    return obj


def get(project: Project, register: str, code: str) -> RecordRow:
    with project.reading() as session:
        obj = _find(session, register, code)
        return _rows(session, register, [obj.id])[0]


def reference_choices(project: Project, register: str) -> list[tuple[str, str]]:
    """(code, label) of every record a reference field may point to, for pickers."""
    model = _model(register)
    label = _label_column(register)
    with project.reading() as session:
        stmt = select(model.code, label).order_by(label)
        return [(str(code), str(text)) for code, text in session.execute(stmt)]


def _resolve(session: Session, register: str, f: Field, value: str) -> int:
    target_register = _ref_register(f)
    target = _model(target_register)
    found = session.scalar(select(target.id).where(target.code == value))
    if found is None and target is Person:
        found = session.scalar(
            select(Person.id).where(func.lower(Person.name) == value.strip().lower())
        )
    if found is None:
        raise InvalidValueError(
            register, f.name, f"{f.header}: there is no {target_register} record {value!r}"
        )
    return int(found)


def _parse(register: str, f: Field, raw: Any) -> Any:
    try:
        return parse_value(f, raw)
    except ValueError as exc:
        raise InvalidValueError(register, f.name, str(exc)) from None


def _check_rules(register: str, values: Mapping[str, Any]) -> None:
    problems = record_problems(register, values)
    if problems:
        name, reason = problems[0]
        raise InvalidValueError(register, name, reason)


def _assign(session: Session, register: str, obj: Any, f: Field, value: Any) -> None:
    if _is_ref(f):
        setattr(
            obj, f"{f.name}_id", None if value is None else _resolve(session, register, f, value)
        )
    else:
        setattr(obj, f.name, value)


def _current_values(session: Session, register: str, obj: Any) -> dict[str, Any]:
    return dict(_rows(session, register, [obj.id])[0].values)


def _code_taken(session: Session, model: type[Any], code: str) -> bool:
    return session.scalar(select(model.id).where(model.code == code)) is not None


def _create_in(session: Session, register: str, values: Mapping[str, Any]) -> Any:
    spec = register_spec(register)
    model = _model(register)
    values = dict(values)
    code = str(values.pop("code", "") or "").strip()
    if not code:
        code = next_code(spec.code_prefix, list(session.scalars(select(model.code))))
    elif _code_taken(session, model, code):
        raise InvalidValueError(register, "code", f"the code {code} is already in use")
    parsed = {f.name: _parse(register, f, values.get(f.name)) for f in spec.fields[1:]}
    _check_rules(register, parsed)
    obj = model(code=code)
    for f in spec.fields[1:]:
        _assign(session, register, obj, f, parsed[f.name])
    session.add(obj)
    session.flush()
    return obj


def create(project: Project, register: str, values: Mapping[str, Any] | None = None) -> Change:
    """Add a record; a missing code gets the next free ``PREFIX-NNN``."""
    with project.transaction() as session:
        obj = _create_in(session, register, values or {})
        snapshot = {"code": obj.code, **_current_values(session, register, obj)}
    return Change(register, obj.code, "created", snapshot=snapshot)


@dataclass(frozen=True)
class RowProblem:
    """Why one cell of an imported row was refused (row numbers as the user sees them)."""

    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int
    people_created: int
    problems: tuple[RowProblem, ...]
    written: bool


def upsert_rows(
    project: Project,
    register: str,
    rows: Sequence[tuple[int, Mapping[str, Any]]],
    *,
    dry_run: bool = False,
    create_missing: bool = False,
) -> UpsertResult:
    """Create or update records from (row number, {field: raw value}) pairs, all or none.

    Rows are matched by ``code``: a known code updates the fields the row carries, an unknown
    or empty code creates a record. Every problem of every row is collected; if there is any,
    or on a dry run, nothing is written.
    """
    spec = register_spec(register)
    model = _model(register)
    problems: list[RowProblem] = []
    created = updated = unchanged = people_created = 0
    with project.writing_or_reading(dry_run) as session:
        existing = {obj.code: obj for obj in session.scalars(select(model))}
        for row_number, raw_values in rows:
            raw_code = str(raw_values.get("code") or "").strip()
            try:
                with session.begin_nested():
                    if create_missing:
                        people_created += _create_missing_people(session, spec, raw_values)
                    obj = existing.get(raw_code) if raw_code else None
                    if obj is None:
                        obj = _create_in(session, register, raw_values)
                        existing[obj.code] = obj
                        created += 1
                        continue
                    before = _current_values(session, register, obj)
                    changed = False
                    new_values = dict(before)
                    for f in spec.fields[1:]:
                        if f.name not in raw_values:
                            continue
                        value = _parse(register, f, raw_values[f.name])
                        new_values[f.name] = value
                        if value != before[f.name]:
                            _assign(session, register, obj, f, value)
                            changed = True
                    _check_rules(register, new_values)
                    session.flush()
                    updated += changed
                    unchanged += not changed
            except InvalidValueError as exc:
                f = spec.field(exc.field_name)
                value = raw_values.get(exc.field_name, "")
                problems.append(RowProblem(row_number, f.header, str(value), str(exc)))
        written = not problems and not dry_run
        if not written:
            session.rollback()
    return UpsertResult(created, updated, unchanged, people_created, tuple(problems), written)


def _create_missing_people(
    session: Session, spec: RegisterSpec, raw_values: Mapping[str, Any]
) -> int:
    """Create the people a row names that do not exist yet (import with --create-missing)."""
    made = 0
    for f in spec.fields:
        if f.kind is not Kind.PERSON:
            continue
        name = str(raw_values.get(f.name) or "").strip()
        if not name:
            continue
        known = session.scalar(
            select(Person.id).where(
                or_(Person.code == name, func.lower(Person.name) == name.lower())
            )
        )
        if known is None:
            _create_in(session, "people", {"name": name})
            made += 1
    return made


def update(project: Project, register: str, code: str, field_name: str, raw: Any) -> Change:
    """Set one field of one record (the unit of an edit, and of its undo)."""
    spec = register_spec(register)
    f = spec.field(field_name)
    model = _model(register)
    with project.transaction() as session:
        obj = _find(session, register, code)
        before = _current_values(session, register, obj)
        if f.name == "code":
            new_code = _parse(register, f, raw)
            if not new_code:
                raise InvalidValueError(register, "code", "Code is required")
            if new_code != code and _code_taken(session, model, new_code):
                raise InvalidValueError(register, "code", f"the code {new_code} is already in use")
            obj.code = new_code
            return Change(register, new_code, "updated", "code", code, new_code)
        value = _parse(register, f, raw)
        _check_rules(register, {**before, f.name: value})
        _assign(session, register, obj, f, value)
        session.flush()
        after = _current_values(session, register, obj)
    return Change(register, code, "updated", f.name, before[f.name], after[f.name])


def _references_to(session: Session, model: type[Any], row_id: int) -> list[str]:
    """Which other rows point at this one (deleting it would break or blank them)."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not model.__table__ or fk.parent.table is model.__table__:
                continue
            n = session.scalar(select(func.count()).select_from(table).where(fk.parent == row_id))
            if n:
                found.append(f"{n} {table.name.replace('_', ' ')}")
    return found


def delete(project: Project, register: str, code: str) -> Change:
    """Delete a record nothing refers to; the change carries a snapshot for undo."""
    model = _model(register)
    with project.transaction() as session:
        obj = _find(session, register, code)
        users = _references_to(session, model, obj.id)
        if users:
            raise IsmsError(f"{code} is still used by {', '.join(users)}; change those first")
        snapshot = {"code": code, **_current_values(session, register, obj)}
        session.delete(obj)
    return Change(register, code, "deleted", snapshot=snapshot)


def restore(project: Project, register: str, snapshot: Mapping[str, Any]) -> Change:
    """Re-create a deleted record from its snapshot (undo of delete)."""
    return create(project, register, snapshot)


def codes(project: Project, register: str) -> list[str]:
    model = _model(register)
    with project.reading() as session:
        return list(session.scalars(select(model.code).order_by(model.code)))


def create_many(
    project: Project, register: str, records: Iterable[Mapping[str, Any]]
) -> list[Change]:
    return [create(project, register, record) for record in records]
