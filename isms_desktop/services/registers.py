"""Generic use cases on the registers of ``domain.register_specs``.

Listing happens in SQL (sort, text filter, paging by id lists) so that views fetch only the
rows they show; every change is one transaction and returns what changed, so that the GUI
can refresh and push an undo command that calls the inverse use case.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, insert, or_, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from isms_desktop.domain.errors import (
    BadArgumentsError,
    ConflictError,
    IsmsError,
    RejectedInputError,
)
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
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services.risk_method import method_in, score_risk
from isms_desktop.storage.models import (
    Attachment,
    Base,
    Person,
    Risk,
    RiskControl,
    SoaEntry,
)
from isms_desktop.storage.project_file import Project
from isms_desktop.storage.registers import (
    EDITABLE_MODELS,
    FIXED_VALUES,
    LINKS,
    SORT_COLUMNS,
    Link,
)

# the key of a delete snapshot that lists the record's attachments (for undo)
ATTACHMENTS_KEY = "_attachments"


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
    version: int = 0  # the row version read (give it to ``update`` to detect conflicts)


@dataclass(frozen=True)
class Change:
    register: str
    code: str
    kind: str  # created | updated | deleted
    field: str | None = None
    old: Any = None
    new: Any = None
    snapshot: dict[str, Any] = dataclasses.field(default_factory=dict)
    version: int = 0  # the record's row version after the change


# --- where things are stored -------------------------------------------------------------


def _model(register: str) -> type[Any]:
    try:
        return EDITABLE_MODELS[register]
    except KeyError:
        raise BadArgumentsError(f"there is no register named {register!r}") from None


def _ref_register(f: Field) -> str:
    return "people" if f.kind is Kind.PERSON else str(f.ref)


def _column(model: type[Any], f: Field) -> Any:
    return getattr(model, f"{f.name}_id" if f.is_reference else f.name)


def _label_column(register: str) -> Any:
    model = _model(register)
    return model.name if register == "people" else model.code


def _link(register: str, f: Field) -> Link:
    return LINKS[(register, f.name)]


def _editable_fields(spec: RegisterSpec) -> list[Field]:
    """The fields a user sets: all but the code, computed ones and fixed slice values."""
    fixed = FIXED_VALUES.get(spec.name, {})
    return [f for f in spec.fields[1:] if not f.computed and f.name not in fixed]


# --- listing -----------------------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_filter(model: type[Any], spec: RegisterSpec, text: str) -> ColumnElement[bool]:
    pattern = f"%{_escape_like(text.strip().lower())}%"
    columns = [getattr(model, name) for name in (spec.search_fields or ("code",))]
    return or_(*(func.lower(col).like(pattern, escape="\\") for col in columns))


def _slice(stmt: Select[Any], register: str, model: type[Any]) -> Select[Any]:
    for name, value in FIXED_VALUES.get(register, {}).items():
        stmt = stmt.where(getattr(model, name) == value)
    return stmt


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
    stmt = _slice(select(model.id), register, model)
    if text and text.strip():
        stmt = stmt.where(_text_filter(model, spec, text))
    for name, value in (equals or {}).items():
        f = spec.field(name)
        if f.kind is Kind.REFS:
            link = _link(register, f)
            target = _model(str(f.ref))
            stmt = stmt.where(
                exists()
                .where(getattr(link.table, link.own) == model.id)
                .where(getattr(link.table, link.target) == target.id)
                .where(target.code == value)
            )
        elif f.is_reference:
            target = aliased(_model(_ref_register(f)))
            stmt = stmt.where(
                exists().where(target.id == _column(model, f)).where(target.code == value)
            )
        else:
            stmt = stmt.where(_column(model, f) == value)
    key: Any = None
    if sort:
        f = spec.field(sort)
        if (register, f.name) in SORT_COLUMNS:
            key = getattr(model, SORT_COLUMNS[(register, f.name)])
        elif f.is_reference:
            target = aliased(_model(_ref_register(f)))
            stmt = stmt.outerjoin(target, target.id == _column(model, f))
            key = target.name if _ref_register(f) == "people" else target.code
        elif f.name in model.__mapper__.column_attrs:
            key = _column(model, f)
    if key is not None:
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
        # plain Core rows: ids need none of the ORM's result processing (100,000-row views)
        return [row[0] for row in session.connection().execute(stmt)]


def _ref_subquery(model: type[Any], f: Field, column: Any) -> Any:
    target = _model(_ref_register(f))
    return select(column).where(target.id == _column(model, f)).scalar_subquery()


def _link_codes(
    session: Session, register: str, f: Field, ids: Sequence[int]
) -> dict[int, list[str]]:
    link = _link(register, f)
    target = _model(str(f.ref))
    own = getattr(link.table, link.own)
    stmt = (
        select(own, target.code)
        .join(target, target.id == getattr(link.table, link.target))
        .where(own.in_(ids))
        .order_by(own, getattr(target, "sort_key", target.code), target.code)
    )
    found: dict[int, list[str]] = {}
    for own_id, code in session.execute(stmt):
        found.setdefault(own_id, []).append(code)
    return found


def _rows(session: Session, register: str, ids: Sequence[int]) -> list[RecordRow]:
    spec = register_spec(register)
    model = _model(register)
    ref_fields = [f for f in spec.fields if f.is_reference]
    link_fields = [f for f in spec.fields if (register, f.name) in LINKS]
    method: RiskMethod | None = None
    if any(f.kind is Kind.LEVEL for f in spec.fields):
        method = method_in(session)
    columns: list[Any] = [model]
    for f in ref_fields:
        target = _model(_ref_register(f))
        columns.append(_ref_subquery(model, f, target.code))
        columns.append(_ref_subquery(model, f, _label_column(_ref_register(f))))
    by_id: dict[int, RecordRow] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        links = {f.name: _link_codes(session, register, f, chunk) for f in link_fields}
        if register == "soa":  # derived: the risks that selected each entry's control
            links["risks"] = soa_risk_codes(session, chunk)
        for result in session.execute(select(*columns).where(model.id.in_(chunk))):
            obj = result[0]
            refs = iter(result[1:])
            ref_values = {f.name: (next(refs), next(refs)) for f in ref_fields}
            values: dict[str, Any] = {}
            display: dict[str, str] = {}
            for f in spec.fields:
                if f.is_reference:
                    values[f.name], label = ref_values[f.name]
                    display[f.name] = label or ""
                    continue
                if f.name in links:
                    values[f.name] = links[f.name].get(obj.id, [])
                else:
                    values[f.name] = getattr(obj, f.name)
                if f.kind is Kind.LEVEL and method is not None:
                    info = method.level_info(values[f.name])
                    display[f.name] = info.label if info else ""
                else:
                    display[f.name] = display_value(f, values[f.name])
            by_id[obj.id] = RecordRow(
                obj.id, obj.code, values, display, int(getattr(obj, "row_version", 0) or 0)
            )
    return [by_id[i] for i in ids if i in by_id]


def soa_risk_codes(session: Session, soa_ids: Sequence[int]) -> dict[int, list[str]]:
    """The codes of the risks that selected the control of each SoA entry, in one query."""
    stmt = (
        select(SoaEntry.id, Risk.code)
        .join(RiskControl, RiskControl.control_id == SoaEntry.control_id)
        .join(Risk, Risk.id == RiskControl.risk_id)
        .where(SoaEntry.id.in_(list(soa_ids)))
        .order_by(Risk.code)
    )
    codes: dict[int, list[str]] = {}
    for soa_id, code in session.execute(stmt):
        codes.setdefault(soa_id, []).append(code)
    return codes


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
        return count_in(session, register, model)


def count_in(session: Session, register: str, model: type[Any] | None = None) -> int:
    model = model or _model(register)
    stmt = _slice(select(func.count()).select_from(model), register, model)
    return int(session.scalar(stmt) or 0)


def _find(session: Session, register: str, code: str) -> Any:
    model = _model(register)
    code = register_spec(register).normalise_code(code)
    stmt = _slice(select(model).where(model.code == code), register, model)
    obj = session.scalars(stmt).one_or_none()
    if obj is None:
        raise BadArgumentsError(f"{register}: there is no record {code}")
    return obj


def find_in(session: Session, register: str, code: str) -> Any:
    """The stored record of a register by code, inside the caller's transaction."""
    return _find(session, register, code)


def get(project: Project, register: str, code: str) -> RecordRow:
    with project.reading() as session:
        obj = _find(session, register, code)
        return _rows(session, register, [obj.id])[0]


def reference_choices(project: Project, register: str) -> list[tuple[str, str]]:
    """(code, label) of every record a reference field may point to, for pickers."""
    model = _model(register)
    label = _label_column(register)
    if register == "controls":
        label = model.title
    with project.reading() as session:
        order = getattr(model, "sort_key", label)
        stmt = _slice(select(model.code, label), register, model).order_by(order)
        return [(str(code), str(text)) for code, text in session.execute(stmt)]


def codes(project: Project, register: str) -> list[str]:
    model = _model(register)
    with project.reading() as session:
        stmt = _slice(select(model.code), register, model).order_by(model.code)
        return list(session.scalars(stmt))


# --- changing ------------------------------------------------------------------------------


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


def _resolve_many(session: Session, register: str, f: Field, values: list[str]) -> list[int]:
    target = _model(str(f.ref))
    stmt = select(target.code, target.id).where(target.code.in_(values))
    found: dict[str, int] = {str(code): int(i) for code, i in session.execute(stmt)}
    missing = [v for v in values if v not in found]
    if missing:
        raise InvalidValueError(
            register, f.name, f"{f.header}: there is no {f.ref} record {', '.join(missing)}"
        )
    return [int(found[v]) for v in values]


class _Context:
    """What parsing within one transaction needs to know (the risk method, loaded once)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._method: RiskMethod | None = None

    @property
    def method(self) -> RiskMethod:
        if self._method is None:
            self._method = method_in(self.session)
        return self._method


def _parse(ctx: _Context, register: str, f: Field, raw: Any) -> Any:
    try:
        value = parse_value(f, raw)
    except ValueError as exc:
        raise InvalidValueError(register, f.name, str(exc)) from None
    if f.kind is Kind.SCALE and value is not None:
        scale = ctx.method.scale(f.scale)
        number = value if isinstance(value, int) else ctx.method.value_for(f.scale, str(value))
        if number is None or not 1 <= number <= len(scale):
            labels = ", ".join(f"{s.value} {s.label}" for s in scale)
            raise InvalidValueError(
                register, f.name, f"{f.header} must be one of {labels}, not {raw!r}"
            )
        return number
    return value


def _check_rules(register: str, values: Mapping[str, Any]) -> None:
    problems = record_problems(register, values)
    if problems:
        name, reason = problems[0]
        raise InvalidValueError(register, name, reason)


def _assign(session: Session, register: str, obj: Any, f: Field, value: Any) -> None:
    if f.kind is Kind.REFS:
        link = _link(register, f)
        target_ids = _resolve_many(session, register, f, list(value or []))
        session.flush()
        own = getattr(link.table, link.own)
        # No session sync: scanning every loaded object per row made bulk imports quadratic.
        session.execute(
            sql_delete(link.table).where(own == obj.id),
            execution_options={"synchronize_session": False},
        )
        if target_ids:
            session.execute(
                insert(link.table),
                [{link.own: obj.id, link.target: t} for t in dict.fromkeys(target_ids)],
            )
    elif f.is_reference:
        target = None if value is None else _resolve(session, register, f, value)
        setattr(obj, f"{f.name}_id", target)
    else:
        setattr(obj, f.name, value)


def _after_change(ctx: _Context, register: str, obj: Any) -> None:
    if isinstance(obj, Risk):
        score_risk(ctx.method, obj)


def _current_values(session: Session, register: str, obj: Any) -> dict[str, Any]:
    return dict(_rows(session, register, [obj.id])[0].values)


def _code_taken(session: Session, model: type[Any], code: str) -> bool:
    return session.scalar(select(model.id).where(model.code == code)) is not None


def _create_in(ctx: _Context, register: str, values: Mapping[str, Any]) -> Any:
    session = ctx.session
    spec = register_spec(register)
    if spec.fixed_rows:
        code = str(values.get("code") or "")
        raise InvalidValueError(
            register, "code", f"there is no {spec.title} row {code!r} (rows cannot be added here)"
        )
    model = _model(register)
    values = dict(values)
    code = str(values.pop("code", "") or "").strip()
    if not code:
        existing = session.scalars(
            select(model.code).where(model.code.like(f"{spec.code_prefix}%"))
        )
        code = next_code(spec.code_prefix, list(existing))
    elif _code_taken(session, model, code):
        raise InvalidValueError(register, "code", f"the code {code} is already in use")
    fields = _editable_fields(spec)
    parsed = {f.name: _parse(ctx, register, f, values.get(f.name)) for f in fields}
    _check_rules(register, parsed)
    obj = model(code=code, **FIXED_VALUES.get(register, {}))
    with session.no_autoflush:
        for f in fields:
            if f.kind is not Kind.REFS:
                _assign(session, register, obj, f, parsed[f.name])
    session.add(obj)
    session.flush()
    for f in fields:
        if f.kind is Kind.REFS:
            _assign(session, register, obj, f, parsed[f.name])
    _after_change(ctx, register, obj)
    session.flush()
    return obj


def create(project: Project, register: str, values: Mapping[str, Any] | None = None) -> Change:
    """Add a record; a missing code gets the next free ``PREFIX-NNN``."""
    with project.transaction() as session:
        obj = _create_in(_Context(session), register, values or {})
        snapshot = {"code": obj.code, **_current_values(session, register, obj)}
    return Change(register, obj.code, "created", snapshot=snapshot)


def _conflict(project: Project, register: str, code: str, field: str, mine: Any) -> ConflictError:
    """What to tell (and show) when someone else changed or deleted a record meanwhile."""
    try:
        row = get(project, register, code)
    except BadArgumentsError:
        return ConflictError(
            f"{code} was deleted by someone else meanwhile; your change was not saved",
            register=register,
            code=code,
            field=field,
            mine=mine,
        )
    return ConflictError(
        f"{code} was changed by someone else since you opened it; your change was not saved "
        "(compare, then keep theirs or save yours over it)",
        register=register,
        code=code,
        field=field,
        mine=mine,
        current={"code": row.code, **row.values},
        version=row.version,
    )


@contextlib.contextmanager
def _detecting_conflicts(
    project: Project, register: str, code: str, field: str = "", mine: Any = None
) -> Iterator[None]:
    """Turn the ORM's stale-version error (two users saving one record) into ConflictError."""
    try:
        yield
    except StaleDataError:
        raise _conflict(project, register, code, field, mine) from None


def update(
    project: Project,
    register: str,
    code: str,
    field_name: str,
    raw: Any,
    *,
    expected_version: int | None = None,
) -> Change:
    """Set one field of one record (the unit of an edit, and of its undo).

    ``expected_version`` is the row version the user's view was read at (team mode): if
    someone else saved the record since, ConflictError carries the current values instead.
    """
    with _detecting_conflicts(project, register, code, field_name, raw):
        return _update(project, register, code, field_name, raw, expected_version)


def _update(
    project: Project,
    register: str,
    code: str,
    field_name: str,
    raw: Any,
    expected_version: int | None,
) -> Change:
    spec = register_spec(register)
    f = spec.field(field_name)
    model = _model(register)
    if f.computed or field_name in FIXED_VALUES.get(register, {}):
        raise InvalidValueError(register, f.name, f"{f.header} is filled in automatically")
    with project.transaction() as session:
        ctx = _Context(session)
        obj = _find(session, register, code)
        if expected_version is not None and obj.row_version != expected_version:
            raise StaleDataError(f"{code}: row version {obj.row_version} != {expected_version}")
        before = _current_values(session, register, obj)
        if f.name == "code":
            if spec.fixed_rows:
                raise InvalidValueError(register, "code", f"{f.header} cannot be changed")
            new_code = str(parse_value(f, raw) or "").strip()
            if not new_code:
                raise InvalidValueError(register, "code", "Code is required")
            if new_code != code and _code_taken(session, model, new_code):
                raise InvalidValueError(register, "code", f"the code {new_code} is already in use")
            obj.code = new_code
            session.flush()
            return Change(
                register, new_code, "updated", "code", code, new_code, version=obj.row_version
            )
        value = _parse(ctx, register, f, raw)
        _check_rules(register, {**before, f.name: value})
        _assign(session, register, obj, f, value)
        _after_change(ctx, register, obj)
        session.flush()
        after = _current_values(session, register, obj)
    return Change(
        register, code, "updated", f.name, before[f.name], after[f.name], version=obj.row_version
    )


def update_many(
    project: Project, register: str, codes_: Sequence[str], field_name: str, raw: Any
) -> list[Change]:
    """Set one field on many records at once (multi-select edit), in one transaction."""
    spec = register_spec(register)
    f = spec.field(field_name)
    if f.computed or f.name == "code":
        raise InvalidValueError(register, f.name, f"{f.header} cannot be set on many records")
    changes = []
    with (
        _detecting_conflicts(project, register, ", ".join(codes_), f.name, raw),
        project.transaction() as session,
    ):
        ctx = _Context(session)
        value = _parse(ctx, register, f, raw)
        for code in codes_:
            obj = _find(session, register, code)
            before = _current_values(session, register, obj)
            _check_rules(register, {**before, f.name: value})
            _assign(session, register, obj, f, value)
            _after_change(ctx, register, obj)
            session.flush()
            after = _current_values(session, register, obj)
            changes.append(Change(register, code, "updated", f.name, before[f.name], after[f.name]))
    return changes


def _references_to(session: Session, model: type[Any], row_id: int) -> list[str]:
    """Which other rows point at this one (deleting it would break or blank them)."""
    found = []
    link_tables = {link.table.__table__ for link in LINKS.values()}
    for table in Base.metadata.sorted_tables:
        if table in link_tables:
            continue  # links are part of the record that owns them
        for fk in table.foreign_keys:
            if fk.column.table is not model.__table__ or fk.parent.table is model.__table__:
                continue
            n = session.scalar(select(func.count()).select_from(table).where(fk.parent == row_id))
            if n:
                found.append(f"{n} {table.name.replace('_', ' ')}")
    return found


def _linked_from(session: Session, register: str, row_id: int) -> list[str]:
    """Records of other registers that list this one in a many-to-many field."""
    model = _model(register)
    found = []
    seen = set()
    for (owner_register, name), link in LINKS.items():
        f = register_spec(owner_register).field(name)
        if _model(str(f.ref)) is not model or (link.table, link.target) in seen:
            continue
        seen.add((link.table, link.target))
        n = session.scalar(
            select(func.count())
            .select_from(link.table)
            .where(getattr(link.table, link.target) == row_id)
        )
        if n:
            found.append(f"{n} {owner_register}")
    return found


def delete(project: Project, register: str, code: str) -> Change:
    """Delete a record nothing refers to; the change carries a snapshot for undo."""
    model = _model(register)
    if register_spec(register).fixed_rows:
        raise IsmsError(f"{register_spec(register).title} rows cannot be deleted")
    with _detecting_conflicts(project, register, code), project.transaction() as session:
        obj = _find(session, register, code)
        users = _references_to(session, model, obj.id) + _linked_from(session, register, obj.id)
        if users:
            raise IsmsError(f"{code} is still used by {', '.join(users)}; change those first")
        snapshot = {"code": code, **_current_values(session, register, obj)}
        # the record's evidence files stay in the file until the project is closed, so that
        # undoing the delete gives them back (attachments.purge_orphans removes the rest)
        snapshot[ATTACHMENTS_KEY] = list(
            session.scalars(
                select(Attachment.id).where(
                    Attachment.owner_register == register, Attachment.owner_id == obj.id
                )
            )
        )
        session.delete(obj)
    return Change(register, code, "deleted", snapshot=snapshot)


def restore(project: Project, register: str, snapshot: Mapping[str, Any]) -> Change:
    """Re-create a deleted record from its snapshot (undo of delete), with its attachments."""
    values = dict(snapshot)
    attachment_ids = values.pop(ATTACHMENTS_KEY, [])
    change = create(project, register, values)
    if attachment_ids:
        with project.transaction() as session:
            new_id = _find(session, register, change.code).id
            session.execute(
                sql_update(Attachment)
                .where(Attachment.id.in_(attachment_ids), Attachment.owner_register == register)
                .values(owner_id=new_id)
            )
    return change


def create_many(
    project: Project, register: str, records: Iterable[Mapping[str, Any]]
) -> list[Change]:
    """Create several records in one transaction (all or none)."""
    made = []
    with project.transaction() as session:
        ctx = _Context(session)
        for record in records:
            obj = _create_in(ctx, register, record)
            made.append(Change(register, obj.code, "created"))
    return made


# --- importing ------------------------------------------------------------------------------


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
    prerequisites: Sequence[tuple[int, str, Mapping[str, Any]]] = (),
) -> UpsertResult:
    """Create or update records from (row number, {field: raw value}) pairs, all or none.

    Rows are matched by ``code``: a known code updates the fields the row carries, an unknown
    or empty code creates a record. Every problem of every row is collected; if there is any,
    or on a dry run, nothing is written.
    """
    spec = register_spec(register)
    model = _model(register)
    fields = _editable_fields(spec)
    problems: list[RowProblem] = []
    created = updated = unchanged = people_created = 0
    with project.writing_or_reading(dry_run) as session:
        ctx = _Context(session)
        # Records of other registers the rows refer to, created first in the same transaction
        # (an import with --create-missing): (row number, register, values).
        for row_number, target, values in prerequisites:
            try:
                with session.begin_nested():
                    _create_in(ctx, target, values)
            except InvalidValueError as exc:
                label = str(values.get("name") or values.get("title") or values.get("code") or "")
                problems.append(RowProblem(row_number, target, label, str(exc)))
        existing = {
            obj.code: obj for obj in session.scalars(_slice(select(model), register, model))
        }
        # The current values of every record the rows update, read in a few queries rather
        # than one per row (10,000 rows import in seconds).
        matched = {spec.normalise_code(str(v.get("code") or "")) for _, v in rows}
        known = {
            r.id: r.values
            for r in _rows(session, register, [o.id for c, o in existing.items() if c in matched])
        }
        for row_number, raw_values in rows:
            raw_code = spec.normalise_code(str(raw_values.get("code") or ""))
            try:
                with session.begin_nested():
                    if create_missing:
                        people_created += _create_missing_people(ctx, spec, raw_values)
                    obj = existing.get(raw_code) if raw_code else None
                    if obj is None:
                        obj = _create_in(ctx, register, raw_values)
                        existing[obj.code] = obj
                        created += 1
                        continue
                    before = known.pop(obj.id, None) or _current_values(session, register, obj)
                    new_values = dict(before)
                    changed = []
                    for f in fields:
                        if f.name not in raw_values:
                            continue
                        value = _parse(ctx, register, f, raw_values[f.name])
                        new_values[f.name] = value
                        if value != before[f.name]:
                            changed.append((f, value))
                    _check_rules(register, new_values)
                    for f, value in changed:
                        _assign(session, register, obj, f, value)
                    if changed:
                        _after_change(ctx, register, obj)
                    session.flush()
                    updated += bool(changed)
                    unchanged += not changed
            except InvalidValueError as exc:
                f = spec.field(exc.field_name)
                value = raw_values.get(exc.field_name, "")
                problems.append(RowProblem(row_number, f.header, str(value), str(exc)))
        written = not problems and not dry_run
        if not written:
            session.rollback()
    return UpsertResult(created, updated, unchanged, people_created, tuple(problems), written)


def _create_missing_people(ctx: _Context, spec: RegisterSpec, raw_values: Mapping[str, Any]) -> int:
    """Create the people a row names that do not exist yet (import with --create-missing)."""
    made = 0
    for f in spec.fields:
        if f.kind is not Kind.PERSON:
            continue
        name = str(raw_values.get(f.name) or "").strip()
        if not name:
            continue
        known = ctx.session.scalar(
            select(Person.id).where(
                or_(Person.code == name, func.lower(Person.name) == name.lower())
            )
        )
        if known is None:
            _create_in(ctx, "people", {"name": name})
            made += 1
    return made
