"""Generic use cases on the registers of ``domain.register_specs``.

Listing happens in SQL (sort, text filter, paging by id lists) so that views fetch only the
rows they show; every change is one transaction and returns what changed, so that the GUI
can refresh and push an undo command that calls the inverse use case.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import (
    Column,
    ColumnElement,
    Select,
    Table,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from isms_desktop.domain import document_workflow as wf
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
    display_function,
    next_code,
    parse_value,
)
from isms_desktop.domain.register_rules import record_problems
from isms_desktop.domain.register_specs import spec as register_spec
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services import heat_map, overdue
from isms_desktop.services.risk_method import SCORED_KEYS, method_in, score_risk, scored_levels
from isms_desktop.storage.audit_trail import note_created, note_link_change, updated_in_bulk
from isms_desktop.storage.bulk import insert_rows, insertable, update_rows
from isms_desktop.storage.dialect import SQLITE
from isms_desktop.storage.models import (
    Action,
    Attachment,
    Base,
    Control,
    Nonconformity,
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


# the choices of a record's state: a new record without one starts in its first state
_STATE_FIELDS = ("status", "lifecycle")


@functools.cache
def _choice_defaults(register: str) -> dict[str, str]:
    """Field -> the state a new record takes when none is given: its column's default
    ("planned" for an audit, "identified" for a risk, "open" for an action). Other choices
    (a severity, a classification) stay as the user left them."""
    model = _model(register)
    defaults = _defaults(model.__table__)
    found = {}
    for f in _editable_fields(register_spec(register)):
        if f.kind is not Kind.CHOICE or f.name not in _STATE_FIELDS:
            continue
        default = defaults.get(_column(model, f).key)
        if default in f.choices:
            found[f.name] = str(default)
    return found


def _defaulted(register: str, parsed: dict[str, Any]) -> dict[str, Any]:
    """A new record's values with the choices left empty set to their defaults (an empty
    status left a new audit, risk or action in no state at all)."""
    for name, default in _choice_defaults(register).items():
        if parsed.get(name) == "":
            parsed[name] = default
    return parsed


# --- listing -----------------------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_filter(
    model: type[Any], spec: RegisterSpec, text: str, dialect_name: str
) -> ColumnElement[bool]:
    """Any search field contains ``text``, ignoring case.

    SQLite's LIKE already ignores the case of ASCII letters, as its lower() only lowers
    those: a plain LIKE matches the same rows without lowering every value (3× faster over
    100,000 rows). PostgreSQL's LIKE is case-sensitive: there both sides are lowered.
    """
    needle = text.strip().lower()
    pattern = f"%{_escape_like(needle)}%"
    columns = [getattr(model, name) for name in (spec.search_fields or ("code",))]
    if dialect_name == SQLITE:
        return or_(*(col.like(pattern, escape="\\") for col in columns))
    return or_(*(func.lower(col).like(pattern, escape="\\") for col in columns))


def _slice(stmt: Select[Any], register: str, model: type[Any]) -> Select[Any]:
    for name, value in FIXED_VALUES.get(register, {}).items():
        stmt = stmt.where(getattr(model, name) == value)
    return stmt


# Filters of a register view that are not one field's value: (register, key) ->
# (the condition of a value, the filter in words for the view's filter note).
_VIEW_FILTERS: dict[
    tuple[str, str],
    tuple[Callable[[Any], ColumnElement[bool]], Callable[[Any, RiskMethod | None], str]],
] = {
    ("risks", heat_map.CELL_FILTER): (
        lambda value: heat_map.cell_clause(*heat_map.parse_cell(value)),
        heat_map.describe_cell,
    ),
    **{
        (register, overdue.FILTER): (
            functools.partial(overdue.clause, register),
            functools.partial(overdue.describe, register),
        )
        for register in overdue.REGISTERS
    },
}


def has_view_filter(register: str, name: str) -> bool:
    """Whether views of ``register`` know the filter ``name`` that is not a field's value
    (``heat_map.CELL_FILTER``, ``overdue.FILTER``)."""
    return (register, name) in _VIEW_FILTERS


def view_filter_text(
    register: str, name: str, value: Any, method: RiskMethod | None = None
) -> str | None:
    """A filter that is not a field's value, in words (scores named by ``method``'s
    scales); None when ``name`` is a field."""
    special = _VIEW_FILTERS.get((register, name))
    return None if special is None else special[1](value, method)


@dataclass(frozen=True)
class Query:
    """What a view of a register shows: its filters and its order."""

    sort: str | None = None
    descending: bool = False
    text: str | None = None
    equals: Mapping[str, Any] | None = None

    @property
    def filtered(self) -> bool:
        return bool((self.text and self.text.strip()) or self.equals)


@dataclass(frozen=True)
class _Listing:
    """A query taken apart: the register's model, its filtered statement (selecting the
    id, with the joins the order needs), and the order as (expression, descending) terms.
    NULL sorts as the smallest value on both databases (SQLite's rule)."""

    model: type[Any]
    stmt: Select[Any]
    order: tuple[tuple[Any, bool], ...]
    server: bool = False

    def ordered(self, stmt: Select[Any] | None = None) -> Select[Any]:
        stmt = self.stmt if stmt is None else stmt
        return stmt.order_by(*(self._term(expr, desc) for expr, desc in self.order))

    def _term(self, expr: Any, desc: bool) -> Any:
        term = expr.desc() if desc else expr.asc()
        if self.server:  # PostgreSQL puts NULLs last when ascending: say SQLite's order
            term = term.nulls_last() if desc else term.nulls_first()
        return term


def _listing(register: str, query: Query, dialect_name: str) -> _Listing:
    spec = register_spec(register)
    model = _model(register)
    stmt = _slice(select(model.id), register, model)
    if query.text and query.text.strip():
        stmt = stmt.where(_text_filter(model, spec, query.text, dialect_name))
    for name, value in (query.equals or {}).items():
        special = _VIEW_FILTERS.get((register, name))
        if special is not None:
            stmt = stmt.where(special[0](value))
            continue
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
    if query.sort:
        f = spec.field(query.sort)
        if (register, f.name) in SORT_COLUMNS:
            key = getattr(model, SORT_COLUMNS[(register, f.name)])
        elif f.is_reference:
            target = aliased(_model(_ref_register(f)))
            stmt = stmt.outerjoin(target, target.id == _column(model, f))
            key = target.name if _ref_register(f) == "people" else target.code
        elif f.name in model.__mapper__.column_attrs:
            key = _column(model, f)
    order: list[tuple[Any, bool]]
    if key is not None:
        order = [(key, query.descending), (model.id, False)]
    else:
        sort_key = getattr(model, "sort_key", None)
        order = [(c, False) for c in (sort_key, model.code) if c is not None]
        order.append((model.id, False))
    return _Listing(model, stmt, tuple(order), server=dialect_name != SQLITE)


def _listing_in(session: Session, register: str, query: Query) -> _Listing:
    return _listing(register, query, session.get_bind().dialect.name)


def _before(expr: Any, value: Any, desc: bool) -> ColumnElement[bool]:
    """``expr`` sorts before ``value`` (NULL being the smallest value)."""
    found: ColumnElement[bool]
    if desc:
        found = expr.is_not(None) if value is None else expr > value
    else:
        found = false() if value is None else or_(expr.is_(None), expr < value)
    return found


def _same(expr: Any, value: Any) -> ColumnElement[bool]:
    found: ColumnElement[bool] = expr.is_(None) if value is None else expr == value
    return found


def _rows_before(order: Sequence[tuple[Any, bool]], values: Sequence[Any]) -> ColumnElement[bool]:
    """The rows that come before a row whose order terms have ``values``."""
    (expr, desc), value = order[0], values[0]
    if len(order) == 1:
        return _before(expr, value, desc)
    return or_(
        _before(expr, value, desc), and_(_same(expr, value), _rows_before(order[1:], values[1:]))
    )


def query_ids(
    project: Project,
    register: str,
    *,
    sort: str | None = None,
    descending: bool = False,
    text: str | None = None,
    equals: Mapping[str, Any] | None = None,
) -> list[int]:
    """The ids of all the rows a view shows, in order (reports and small registers)."""
    query = Query(sort, descending, text, equals)
    with project.reading() as session:
        stmt = _listing_in(session, register, query).ordered()
        # plain Core rows: ids need none of the ORM's result processing (100,000-row views)
        return [row[0] for row in session.connection().execute(stmt)]


def query_count(project: Project, register: str, query: Query) -> int:
    """How many rows a view shows."""
    with project.reading() as session:
        if not query.filtered:
            return count_in(session, register)
        unordered = Query(text=query.text, equals=query.equals)  # the count needs no joins
        stmt = _listing_in(session, register, unordered).stmt
        return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def query_page(
    project: Project, register: str, query: Query, offset: int, limit: int
) -> list[RecordRow]:
    """The rows ``offset`` to ``offset + limit`` of a view, in its order."""
    with project.reading() as session:
        stmt = _listing_in(session, register, query).ordered().offset(offset).limit(limit)
        ids = [row[0] for row in session.connection().execute(stmt)]
        return _rows(session, register, ids)


def query_codes(
    project: Project, register: str, query: Query, offset: int = 0, limit: int | None = None
) -> list[tuple[int, str]]:
    """(id, code) of the rows ``offset`` to ``offset + limit`` of a view, in its order."""
    with project.reading() as session:
        listing = _listing_in(session, register, query)
        stmt = listing.ordered(listing.stmt.add_columns(listing.model.code)).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [(int(i), str(c)) for i, c in session.connection().execute(stmt)]


def query_positions(
    project: Project, register: str, query: Query, ids: Iterable[int]
) -> dict[int, int]:
    """Where records are shown in a view (row numbers from 0); ids it leaves out are
    missing. One record: a count of the rows before it (over the sort key's index where
    there is one); several: one pass over the view counting for all of them."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    with project.reading() as session:
        listing = _listing_in(session, register, query)
        model = listing.model
        exprs = [expr for expr, _desc in listing.order]
        keys = listing.stmt.add_columns(*exprs).where(model.id.in_(wanted))
        conn = session.connection()
        found = [
            (int(row[0]), _rows_before(listing.order, list(row[1:]))) for row in conn.execute(keys)
        ]
        if not found:
            return {}
        if len(found) == 1:
            before = listing.stmt.where(found[0][1]).subquery()
            counts = [conn.execute(select(func.count()).select_from(before)).scalar()]
        else:
            sums = [func.coalesce(func.sum(case((cond, 1), else_=0)), 0) for _i, cond in found]
            counts = list(conn.execute(listing.stmt.with_only_columns(*sums)).one())
        return {row_id: int(n or 0) for (row_id, _cond), n in zip(found, counts, strict=True)}


def id_of(project: Project, register: str, code: str) -> int | None:
    """The id of a record (None when there is none with that code)."""
    model = _model(register)
    code = register_spec(register).normalise_code(code)
    with project.reading() as session:
        stmt = _slice(select(model.id).where(model.code == code), register, model)
        found = session.scalar(stmt)
        return None if found is None else int(found)


def _ref_subquery(model: type[Any], f: Field, column: Any) -> Any:
    target = _model(_ref_register(f))
    return select(column).where(target.id == _column(model, f)).scalar_subquery()


# --- reading values ------------------------------------------------------------------------
# One reader of stored values serves the register views (``_rows``, a page at a time) and the
# Excel export (``value_rows`` through ``reports.register_rows``, 100,000 rows in chunks).


def _among(column: Any, ids: Sequence[int]) -> Any:
    """Rows whose ``column`` is one of ``ids``, or a few more: a range where the ids are
    dense (rows in code order are mostly in id order), which spares the database and
    SQLAlchemy a parameter per id; the callers pick the rows they asked for."""
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return column.between(low, high)
    return column.in_(ids)


def _link_codes(
    conn: Connection, ids: Sequence[int], *, register: str, f: Field
) -> dict[int, list[str]]:
    """The codes each row links to, in the order the application lists them."""
    link = _link(register, f)
    target = _model(str(f.ref))
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


def soa_risk_codes(session: Session | Connection, soa_ids: Sequence[int]) -> dict[int, list[str]]:
    """The codes of the risks that selected the control of each SoA entry, in one query
    (the ``SoaEntry.risks`` property for many entries; on a session or a bare connection)."""
    # one row per entry, its codes joined by the database (at 100,000 risks a control is
    # selected by thousands: a row per code took twice as long); sorted here
    stmt = (
        select(SoaEntry.id, func.aggregate_strings(Risk.code, "\n"))
        .join(RiskControl, RiskControl.control_id == SoaEntry.control_id)
        .join(Risk, Risk.id == RiskControl.risk_id)
        .where(SoaEntry.id.in_(list(soa_ids)))
        .group_by(SoaEntry.id)
    )
    return {soa_id: sorted(joined.split("\n")) for soa_id, joined in session.execute(stmt)}


# Fields that are a column of another table, reached by a foreign key of the row:
# (register, field) -> (the foreign key's attribute, the column). The SoA shows its
# control's title and theme (the ``SoaEntry.title`` and ``.theme`` properties).
_THROUGH: dict[tuple[str, str], tuple[str, Any]] = {
    ("soa", "title"): ("control_id", Control.title),
    ("soa", "theme"): ("control_id", Control.theme),
}


def _raised_from(conn: Session | Connection, finding_ids: Sequence[int]) -> dict[int, list[str]]:
    """The nonconformities raised from each finding (traceability: finding -> NC)."""
    found: dict[int, list[str]] = {}
    stmt = (
        select(Nonconformity.finding_id, Nonconformity.code)
        .where(_among(Nonconformity.finding_id, finding_ids))
        .order_by(Nonconformity.code)
    )
    wanted = set(finding_ids)
    for finding_id, code in conn.execute(stmt):
        if finding_id in wanted:  # (``_among`` may give a range around them)
            found.setdefault(int(finding_id), []).append(str(code))
    return found


# (connection, row ids) -> the codes each row lists
LinkReader = Callable[[Connection, Sequence[int]], dict[int, list[str]]]
# Fields derived from other tables, read for a chunk of rows at once: (register, field) ->
# its reader (the SoA's risks: those that selected the entry's control).
_DERIVED: dict[tuple[str, str], LinkReader] = {
    ("soa", "risks"): soa_risk_codes,
    ("findings", "nonconformities"): _raised_from,
}


@dataclass(frozen=True)
class _Reading:
    """How a register's values are read: one select for a chunk of rows, then its lists."""

    columns: tuple[Any, ...]  # the row id, then one per field (the id where filled later)
    linked: tuple[tuple[int, LinkReader], ...]  # (field position, reader of its code lists)
    computed: tuple[tuple[int, str], ...]  # (field position, property of the mapped object)


@functools.cache
def _reading(register: str) -> _Reading:
    """Each field as a column, the code a reference points at, a column of another table
    (``_THROUGH``), a list of codes (link tables, ``_DERIVED``), or, only where none of these,
    a property of the mapped object (read with the ORM, more slowly)."""
    spec, model = register_spec(register), _model(register)
    attrs = model.__mapper__.column_attrs
    columns: list[Any] = [model.id]
    linked: list[tuple[int, LinkReader]] = []
    computed: list[tuple[int, str]] = []
    for index, f in enumerate(spec.fields):
        key = (register, f.name)
        if key in LINKS or key in _DERIVED:
            columns.append(model.id)
            reader = _DERIVED.get(key) or functools.partial(_link_codes, register=register, f=f)
            linked.append((index, reader))
        elif key in _THROUGH:
            fk_name, column = _THROUGH[key]
            fk = getattr(model, fk_name)
            columns.append(select(column).where(column.class_.id == fk).scalar_subquery())
        elif f.is_reference:
            columns.append(_ref_subquery(model, f, _model(_ref_register(f)).code))
        elif f.name in attrs:
            columns.append(getattr(model, f.name))
        else:
            columns.append(model.id)
            computed.append((index, f.name))
    return _Reading(tuple(columns), tuple(linked), tuple(computed))


def value_rows(
    session: Session, register: str, ids: Sequence[int], extra: Sequence[Any] = ()
) -> dict[int, list[Any]]:
    """The rows with ``ids``, by id in the order of ``ids`` (ids not found are skipped): the
    stored value of each field in the spec's order (references as the code they point at,
    many-to-many and derived fields as lists of codes), then the values of the ``extra``
    columns. One select and one per list field; plain Core rows (no ORM objects) unless a
    field is a Python property."""
    if not ids:
        return {}
    reading = _reading(register)
    model = _model(register)
    columns = [*reading.columns, *extra]
    conn = session.connection()
    rows: dict[int, list[Any]]
    if reading.computed:
        result = session.execute(select(*columns, model).where(_among(model.id, ids))).all()
        rows = {}
        for row in result:
            obj = row[-1]
            values = rows[row[0]] = list(row[1:-1])
            for index, name in reading.computed:
                values[index] = getattr(obj, name)
    else:
        # .all(): one fetch of the whole chunk, not a fetch per row
        result = conn.execute(select(*columns).where(_among(model.id, ids))).all()
        rows = {row[0]: list(row[1:]) for row in result}
    for index, read in reading.linked:
        codes = read(conn, ids)
        for row_id, values in rows.items():
            values[index] = codes.get(row_id, [])
    return {i: rows[i] for i in ids if i in rows}


def _rows(session: Session, register: str, ids: Sequence[int]) -> list[RecordRow]:
    """Records as the views show them: values, display texts (people by name), versions."""
    spec = register_spec(register)
    model = _model(register)
    method: RiskMethod | None = None
    if any(f.kind is Kind.LEVEL for f in spec.fields):
        method = method_in(session)
    versioned = "row_version" in model.__mapper__.column_attrs
    extra: list[Any] = [model.row_version] if versioned else []
    # a reference is shown by the code it holds, a person by name
    named = [f.name for f in spec.fields if f.is_reference and _ref_register(f) == "people"]
    extra += [_ref_subquery(model, spec.field(name), Person.name) for name in named]
    width = len(spec.fields)
    names = [f.name for f in spec.fields]
    # how each column reads, decided once: None for a reference (its label or code below)
    shown: list[Callable[[Any], str] | None] = [
        None
        if f.is_reference
        else functools.partial(_level_label, method)
        if f.kind is Kind.LEVEL and method is not None
        else display_function(f)
        for f in spec.fields
    ]
    found: list[RecordRow] = []
    for start in range(0, len(ids), 500):
        for row_id, row in value_rows(session, register, ids[start : start + 500], extra).items():
            more = iter(row[width:])
            version = next(more) if versioned else 0
            labels = dict(zip(named, more, strict=True))
            values = dict(zip(names, row, strict=False))
            display: dict[str, str] = {}
            for name, read, value in zip(names, shown, row, strict=False):
                display[name] = (labels.get(name, value) or "") if read is None else read(value)
            found.append(RecordRow(row_id, row[0], values, display, int(version or 0)))
    return found


def _level_label(method: RiskMethod, value: Any) -> str:
    info = method.level_info(value)
    return info.label if info else ""


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
    return _find_many(session, register, [register_spec(register).normalise_code(code)])[0]


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


def _check_editable(register: str, code: str, field_name: str, before: Mapping[str, Any]) -> None:
    """A field its record's state keeps from being changed here: a document's title outside
    a draft (it is printed with the approved text)."""
    if register == "documents" and field_name == "title":
        refusal = wf.title_refusal(str(before.get("status") or ""))
        if refusal is not None:
            raise InvalidValueError(register, field_name, f"{code} {refusal}")


def _edit_has_effects(register: str, f: Field) -> bool:
    """Whether ``_after_edit`` may change more than the field, or ``_check_editable`` refuse
    it (no bulk UPDATE then)."""
    return (f.name == "status" and _model(register) is Action) or (
        register == "documents" and f.name == "title"
    )


def _after_edit(obj: Any, field_name: str) -> None:
    """What a user's edit of a field also changes (not an import's: its rows say it all).

    An action whose Status is set to Done in a table is completed today unless a date is
    given (it had none: "done" but never completed); set back from Done on the same day
    (Undo), it loses that date again. An earlier completion date stays as it was.

    Not a nonconformity's corrective action: its workflow dates those left undated when it
    moves on (``nonconformities.mark_implemented``), and tells an action done after a
    failed effectiveness check by that (a date would make it look done before the check)."""
    if not isinstance(obj, Action) or field_name != "status" or obj.nonconformity_id:
        return
    today = dt.date.today()
    if obj.status == "done" and obj.completed_on is None:
        obj.completed_on = today
    elif obj.status != "done" and obj.completed_on == today:
        obj.completed_on = None


def _current_values(session: Session, register: str, obj: Any) -> dict[str, Any]:
    return dict(_rows(session, register, [obj.id])[0].values)


def _code_taken(session: Session, model: type[Any], code: str) -> bool:
    return session.scalar(select(model.id).where(model.code == code)) is not None


@functools.cache
def _unique_together(register: str) -> tuple[Field, ...]:
    """The fields no two records of a register may all share, as the table's unique
    constraint has them (an interaction's source, target and flow); none for most."""
    model = _model(register)
    fields = {
        _column(model, f).key: f
        for f in _editable_fields(register_spec(register))
        if f.kind is not Kind.REFS
    }
    for constraint in model.__table__.constraints:
        if isinstance(constraint, UniqueConstraint):
            keys = [column.key for column in constraint.columns]
            if len(keys) > 1 and set(keys) <= set(fields):
                return tuple(fields[key] for key in keys)
    return ()


def _same_as(register: str, code: str) -> str:
    """Why a record cannot have the values of its unique fields: ``code`` has them."""
    headers = [f.header for f in _unique_together(register)]
    return f"{code} already has the same {', '.join(headers[:-1])} and {headers[-1]}"


def _check_unique(session: Session, register: str, obj: Any, field_name: str = "") -> None:
    """Refuse (InvalidValueError on ``field_name``, else the last unique field) what another
    record already has in all the unique fields, before the database refuses it with an
    IntegrityError."""
    fields = _unique_together(register)
    if not fields:
        return
    model = _model(register)
    values = [getattr(obj, _column(model, f).key) for f in fields]
    if None in values:
        return
    stmt = select(model.code).where(
        *(_column(model, f) == value for f, value in zip(fields, values, strict=True))
    )
    if obj.id is not None:
        stmt = stmt.where(model.id != obj.id)
    with session.no_autoflush:  # the change itself is not flushed before it is checked
        other = session.scalar(stmt.limit(1))
    if other is not None:
        raise InvalidValueError(register, field_name or fields[-1].name, _same_as(register, other))


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
    _check_rules(register, _defaulted(register, parsed))
    obj = model(code=code, **FIXED_VALUES.get(register, {}))
    with session.no_autoflush:
        for f in fields:
            if f.kind is not Kind.REFS:
                _assign(session, register, obj, f, parsed[f.name])
    _check_unique(session, register, obj)
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
        return create_in(session, register, values or {})


def create_in(session: Session, register: str, values: Mapping[str, Any]) -> Change:
    """``create`` within a transaction of the caller's (a change made with others as one)."""
    obj = _create_in(_Context(session), register, values)
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
    with (
        _detecting_conflicts(project, register, code, field_name, raw),
        project.transaction() as session,
    ):
        return update_in(session, register, code, field_name, raw, expected_version)


def update_in(
    session: Session,
    register: str,
    code: str,
    field_name: str,
    raw: Any,
    expected_version: int | None = None,
) -> Change:
    """``update`` within a transaction of the caller's (a change made with others as one)."""
    spec = register_spec(register)
    f = spec.field(field_name)
    model = _model(register)
    if f.computed or field_name in FIXED_VALUES.get(register, {}):
        raise InvalidValueError(register, f.name, f"{f.header} is filled in automatically")
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
    if value != before[f.name]:
        _check_editable(register, code, f.name, before)
    _check_rules(register, {**before, f.name: value})
    _assign(session, register, obj, f, value)
    if f in _unique_together(register):
        _check_unique(session, register, obj, f.name)
    _after_change(ctx, register, obj)
    _after_edit(obj, f.name)
    session.flush()
    after = _current_values(session, register, obj)
    return Change(
        register, code, "updated", f.name, before[f.name], after[f.name], version=obj.row_version
    )


def update_many(
    project: Project, register: str, codes_: Sequence[str], field_name: str, raw: Any
) -> list[Change]:
    """Set one field on many records at once (multi-select edit), in one transaction."""
    return update_each(project, register, field_name, dict.fromkeys(codes_, raw))


def update_each(
    project: Project, register: str, field_name: str, raws: Mapping[str, Any]
) -> list[Change]:
    """Set one field of many records, each to its own value (``raws``: code -> value), in
    one transaction: a multi-select edit, and its undo. All or nothing: the first record
    refused (a rule, a unique field) names its code and nothing is written.

    The records are read, changed and written 500 at a time, each distinct value parsed
    and resolved once: thousands of selected rows take a moment, not a minute.
    """
    spec = register_spec(register)
    f = spec.field(field_name)
    if f.computed or f.name == "code" or field_name in FIXED_VALUES.get(register, {}):
        raise InvalidValueError(register, f.name, f"{f.header} cannot be set on many records")
    wanted = {spec.normalise_code(code): raw for code, raw in raws.items()}
    codes_ = list(wanted)
    shown = ", ".join(codes_[:3]) + (f" and {len(codes_) - 3} more" if len(codes_) > 3 else "")
    changes: list[Change] = []
    with _many_conflict(register, shown, f), project.transaction() as session:
        ctx = _Context(session)
        values = _Values(ctx, register, f)
        unique = f in _unique_together(register)
        one_by_one = unique or len(codes_) <= _EDITED_ONE_BY_ONE or _edit_has_effects(register, f)
        column = None if one_by_one else _column_of(register, f)
        if column is not None:
            _update_each_in_bulk(session, register, f, column, wanted, values, changes)
            return changes
        for start in range(0, len(codes_), 500):
            chunk = codes_[start : start + 500]
            objs = _find_many(session, register, chunk)
            before = _values_by_id(session, register, [o.id for o in objs])
            for code, obj in zip(chunk, objs, strict=True):
                value = values.parsed(wanted[code])
                try:
                    if value != before[obj.id][f.name]:
                        _check_editable(register, code, f.name, before[obj.id])
                    _check_rules(register, {**before[obj.id], f.name: value})
                except InvalidValueError as exc:  # which of the many records it is
                    raise InvalidValueError(register, exc.field_name, f"{code}: {exc}") from None
                values.assign(obj, value)
                _after_change(ctx, register, obj)
                _after_edit(obj, f.name)
                if unique:  # checked against the records changed before it, too
                    _check_unique(session, register, obj, f.name)
                    session.flush()
            session.flush()
            after = _values_by_id(session, register, [o.id for o in objs])
            for code, obj in zip(chunk, objs, strict=True):
                old, new = before[obj.id][f.name], after[obj.id][f.name]
                changes.append(
                    Change(register, code, "updated", f.name, old, new, version=obj.row_version)
                )
                session.expunge(obj)  # (logged at the flush: a chunk at a time in memory)
    return changes


@contextlib.contextmanager
def _many_conflict(register: str, shown: str, f: Field) -> Iterator[None]:
    """A colleague saved (or deleted) one of the records of a multi-record edit meanwhile
    (team mode): ConflictError, and nothing of the edit is kept."""
    try:
        yield
    except StaleDataError:
        raise ConflictError(
            f"someone else saved one or more of {shown} while {f.header} was being set; "
            "nothing was changed — try again",
            register=register,
            field=f.name,
        ) from None


_EDITED_ONE_BY_ONE = 20  # records; more are written a chunk per statement (_update_each_in_bulk)


def _column_of(register: str, f: Field) -> Column[Any] | None:
    """The column of the record's own table a multi-record edit of ``f`` sets with a plain
    UPDATE (a reference: its id column), or None where it needs the ORM's per-record work:
    a list of links, or a field that is no column of the table."""
    key = (register, f.name)
    if f.kind is Kind.REFS or key in LINKS or key in _DERIVED or key in _THROUGH:
        return None
    mapper = _model(register).__mapper__
    attr = f"{f.name}_id" if f.is_reference else f.name
    prop = mapper.column_attrs.get(attr)
    if prop is None or len(prop.columns) != 1 or "row_version" not in mapper.column_attrs:
        return None
    column = prop.columns[0]
    return column if isinstance(column, Column) and column.table is mapper.local_table else None


def _update_each_in_bulk(
    session: Session,
    register: str,
    f: Field,
    column: Column[Any],
    wanted: Mapping[str, Any],
    values: _Values,
    changes: list[Change],
) -> None:
    """``update_each`` for a column of the records' own table, without loading them as
    objects: per chunk of 500 the records' ids, versions and values are read, each is
    checked against the register's rules, and the records whose values change are written
    by one executemany, each only if its row version is the one read (a colleague's save
    meanwhile: StaleDataError, i.e. a conflict) and bumped, as the ORM does; the audit trail
    logs each value that changed. Risks get their levels from their scores again, as
    ``score_risk`` gives them. What it does is what the per-object path does (a test
    compares the two)."""
    model = _model(register)
    table = column.table
    assert isinstance(table, Table)
    risk = model is Risk
    scored = [table.c[key] for key in SCORED_KEYS] if risk else []
    written = [column, *scored, table.c.row_version]
    statement = (
        sql_update(table)
        .where(table.c.id == bindparam("b_id"), table.c.row_version == bindparam("b_version"))
        .values(
            {
                column: bindparam("b_value"),
                **{c: bindparam(f"b_{c.key}") for c in scored},
                table.c.row_version: table.c.row_version + 1,
            }
        )
    )
    # the field as the views read it (a reference: the code it points at)
    after_stmt = select(
        model.id, _reading(register).columns[register_spec(register).fields.index(f) + 1]
    )
    codes_ = list(wanted)
    for start in range(0, len(codes_), 500):
        chunk = codes_[start : start + 500]
        # each record's id, version and the column as stored (a reference: its id)
        found = {
            code: (int(row_id), int(version or 0), stored)
            for row_id, code, version, stored in session.execute(
                _slice(
                    select(model.id, model.code, model.row_version, column).where(
                        model.code.in_(chunk)
                    ),
                    register,
                    model,
                )
            )
        }
        if len(found) != len(chunk):
            _find_many(session, register, chunk)  # refuses the first code with no record
        ids = [found[code][0] for code in chunk]
        before = _values_by_id(session, register, ids)
        rows: list[dict[str, Any]] = []
        for code in chunk:
            row_id, version, stored = found[code]
            value = values.parsed(wanted[code])
            record = {**before[row_id], f.name: value}
            try:
                _check_rules(register, record)
            except InvalidValueError as exc:  # which of the many records it is
                raise InvalidValueError(register, exc.field_name, f"{code}: {exc}") from None
            row = {"b_id": row_id, "b_version": version, "b_value": values.stored(value)}
            moved = row["b_value"] != stored
            if risk:
                levels = scored_levels(values.ctx.method, record)
                row.update({f"b_{key}": level for key, level in levels.items()})
                moved = moved or any(before[row_id].get(k) != levels[k] for k in _LEVEL_FIELDS)
            if moved:
                rows.append(row)
        if rows:
            changed = [row["b_id"] for row in rows]
            count = updated_in_bulk(
                session,
                table,
                changed,
                [c.key for c in written],
                functools.partial(update_rows, session.connection(), statement, rows),
            )
            if count != len(rows):
                raise StaleDataError(f"{len(rows) - count} of {len(rows)} rows saved meanwhile")
        bumped = {row["b_id"] for row in rows}
        now: dict[int, Any] = dict(session.execute(after_stmt.where(_among(model.id, ids))).all())
        for code in chunk:
            row_id, version, _stored = found[code]
            changes.append(
                Change(
                    register,
                    code,
                    "updated",
                    f.name,
                    before[row_id][f.name],
                    now.get(row_id),
                    version=version + 1 if row_id in bumped else version,
                )
            )


_LEVEL_FIELDS = ("inherent_level", "residual_level")  # what scoring sets that the rows show


class _Values:
    """The values a multi-record edit sets: each distinct one parsed and its reference
    resolved once, however many records get it."""

    def __init__(self, ctx: _Context, register: str, f: Field) -> None:
        self.ctx = ctx
        self.register = register
        self.f = f
        self._parsed: dict[str, Any] = {}
        self._targets: dict[str, Any] = {}

    def parsed(self, raw: Any) -> Any:
        key = repr(raw)
        if key not in self._parsed:
            self._parsed[key] = _parse(self.ctx, self.register, self.f, raw)
        return self._parsed[key]

    def stored(self, value: Any) -> Any:
        """What the field's column holds for ``value``: a reference's id, else the value."""
        f = self.f
        if not f.is_reference or value is None:
            return value
        key = str(value)
        if key not in self._targets:
            self._targets[key] = _resolve(self.ctx.session, self.register, f, value)
        return self._targets[key]

    def assign(self, obj: Any, value: Any) -> None:
        f = self.f
        if not f.is_reference or f.kind is Kind.REFS or value is None:
            _assign(self.ctx.session, self.register, obj, f, value)
            return
        setattr(obj, f"{f.name}_id", self.stored(value))


def _values_by_id(session: Session, register: str, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The records' stored values by field name, as ``RecordRow.values`` has them."""
    names = [f.name for f in register_spec(register).fields]
    return {
        row_id: dict(zip(names, row, strict=True))
        for row_id, row in value_rows(session, register, ids).items()
    }


def _find_many(session: Session, register: str, codes_: Sequence[str]) -> list[Any]:
    """The stored records of these (normalised) codes, in their order; the first code with
    no record is refused."""
    model = _model(register)
    stmt = _slice(select(model).where(model.code.in_(codes_)), register, model)
    found = {obj.code: obj for obj in session.scalars(stmt)}
    missing = next((code for code in codes_ if code not in found), None)
    if missing is not None:
        raise BadArgumentsError(f"{register}: there is no record {missing}")
    return [found[code] for code in codes_]


@functools.cache
def _users_of(register: str) -> tuple[tuple[str, Any, Any], ...]:
    """Where a record of ``register`` can be used: (how its users are named, the column that
    holds its id, a select of the users' codes or None). Other tables' foreign keys (a link
    row is part of the record that owns it), then the link tables of other registers'
    many-to-many fields."""
    model = _model(register)
    link_tables = {link.table.__table__ for link in LINKS.values()}
    found: list[tuple[str, Any, Any]] = [
        (
            table.name.replace("_", " "),
            fk.parent,
            select(table.c.code) if "code" in table.c else None,
        )
        for table in Base.metadata.sorted_tables
        if table not in link_tables
        for fk in table.foreign_keys
        if fk.column.table is model.__table__ and fk.parent.table is not model.__table__
    ]
    seen = set()
    for (owner_register, name), link in LINKS.items():
        f = register_spec(owner_register).field(name)
        if _model(str(f.ref)) is not model or (link.table, link.target) in seen:
            continue
        seen.add((link.table, link.target))
        owner = _model(owner_register)
        codes = select(owner.code).join(link.table, getattr(link.table, link.own) == owner.id)
        found.append((owner_register, getattr(link.table, link.target), codes))
    return tuple(found)


# how the users of a record are named in a refusal: (one, many) where "-s" is not the plural
_USER_NAMES = {
    "soa": ("SoA entry", "SoA entries"),
    "soa entries": ("SoA entry", "SoA entries"),
    "soa documents": ("SoA entry", "SoA entries"),
    "treatment": ("treatment action", "treatment actions"),
    "processes": ("process", "processes"),
    "nonconformities": ("nonconformity", "nonconformities"),
    "party requirements": ("requirement", "requirements"),
    "checklist items": ("audit checklist item", "audit checklist items"),
}
_NAMED_USERS = 5  # codes named in a refusal; the rest are counted


def _user_nouns(name: str) -> tuple[str, str]:
    """(one, many) of a kind of user: "risk", "risks"."""
    return _USER_NAMES.get(name, (name.removesuffix("s"), name))


def _users(session: Session, register: str, row_id: int) -> list[str]:
    """Which rows use this record ("3 risks (R-001, R-004, R-009)", …): deleting it would
    break or blank them. Users in two columns of one table (an interaction's From and To)
    are counted together."""
    counts: dict[tuple[str, str], int] = {}
    codes: dict[tuple[str, str], set[str]] = {}
    for name, column, coded in _users_of(register):
        n = session.scalar(select(func.count()).where(column == row_id))
        if not n:
            continue
        nouns = _user_nouns(name)
        counts[nouns] = counts.get(nouns, 0) + n
        if coded is not None:
            found = session.scalars(coded.where(column == row_id).limit(_NAMED_USERS))
            codes.setdefault(nouns, set()).update(str(code) for code in found if code)
    words = []
    for (one, many), count in counts.items():
        text = f"{count:,} {one if count == 1 else many}"
        named = sorted(codes.get((one, many), ()))[:_NAMED_USERS]
        if named:
            more = count - len(named)
            listed = ", ".join(named) + (f" and {more:,} more" if more > 0 else "")
            text += f" ({listed})"
        words.append(text)
    return words


def delete(project: Project, register: str, code: str) -> Change:
    """Delete a record nothing refers to; the change carries a snapshot for undo (the
    record's evidence files stay in the file until the project is closed, so that undoing
    the delete gives them back: attachments.purge_orphans removes the rest)."""
    done, _refused = delete_many(project, register, [code], partial=False)
    return done[0]


def delete_many(
    project: Project, register: str, codes_: Sequence[str], *, partial: bool = True
) -> tuple[list[Change], str | None]:
    """Delete records in their order, in one transaction, up to the first one still in use:
    (the deletes made, each with its snapshot; why the next was refused, or None). With
    ``partial=False`` a refusal deletes none of them (IsmsError).

    As deleting them one by one (a record used only by one deleted before it goes too),
    but read 500 at a time: who uses which record is asked once per chunk, and only a
    record found in use is asked again, after the deletes before it.
    """
    spec = register_spec(register)
    if spec.fixed_rows:
        raise IsmsError(f"{spec.title} rows cannot be deleted")
    wanted = [spec.normalise_code(code) for code in dict.fromkeys(codes_)]
    with (
        _detecting_conflicts(project, register, ", ".join(wanted[:3])),
        project.transaction() as session,
    ):
        done, refused = _delete_in(session, register, wanted)
        if refused is not None and not partial:
            raise IsmsError(refused)  # (rolls back the deletes before it)
    return done, refused


def _delete_in(
    session: Session, register: str, wanted: Sequence[str]
) -> tuple[list[Change], str | None]:
    """``delete_many`` within a transaction: the deletes made, why the next was refused."""
    done: list[Change] = []
    refused: str | None = None
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        objs = _find_many(session, register, chunk)
        ids = [obj.id for obj in objs]
        used = _used_ids(session, register, ids)
        values = _values_by_id(session, register, ids)
        evidence: dict[int, list[int]] = {}
        for owner_id, attachment_id in session.execute(
            select(Attachment.owner_id, Attachment.id).where(
                Attachment.owner_register == register, _among(Attachment.owner_id, ids)
            )
        ):
            evidence.setdefault(owner_id, []).append(attachment_id)
        for code, obj in zip(chunk, objs, strict=True):
            if obj.id in used:
                session.flush()  # (the deletes before it may have been its users)
                users = _users(session, register, obj.id)
                if users:
                    refused = f"{code} is still used by {', '.join(users)}; change those first"
                    break
            snapshot = {"code": code, **values[obj.id]}
            snapshot[ATTACHMENTS_KEY] = evidence.get(obj.id, [])  # (see ``delete``)
            session.delete(obj)
            done.append(Change(register, code, "deleted", snapshot=snapshot))
        session.flush()
        if refused is not None:
            break
    return done, refused


def _used_ids(session: Session, register: str, ids: Sequence[int]) -> set[int]:
    """Which of these records are used (``_users`` of many records, without the counts)."""
    used: set[int] = set()
    for _name, column, _codes in _users_of(register):
        used.update(session.scalars(select(column).where(_among(column, ids)).distinct()))
    return used


def restore(project: Project, register: str, snapshot: Mapping[str, Any]) -> Change:
    """Re-create a deleted record from its snapshot (undo of delete), with its attachments."""
    return restore_many(project, register, [snapshot])[0]


def restore_many(
    project: Project, register: str, snapshots: Sequence[Mapping[str, Any]]
) -> list[Change]:
    """Re-create deleted records from their snapshots, given in the order they were deleted,
    in one transaction (undo of a delete of many), each with its attachments. The last
    deleted comes back first: a record deleted after the one that used it is there again
    when that one is restored."""
    made = []
    if len(snapshots) <= _RESTORED_ONE_BY_ONE:
        with project.transaction() as session:
            ctx = _Context(session)
            for snapshot in reversed(snapshots):
                values = dict(snapshot)
                attachment_ids = values.pop(ATTACHMENTS_KEY, [])
                obj = _create_in(ctx, register, values)
                if attachment_ids:
                    session.flush()
                    _reown(session, register, attachment_ids, obj.id)
                made.append(Change(register, obj.code, "created"))
        return made
    with project.transaction() as session:
        # staged and written in bulk, as an import creates records: the values checked as
        # ``_create_in`` checks them, a statement per table (one record at a time took
        # ~2 ms each: the undo of a delete of 1,000 waited seconds)
        batch = _Batch(_Context(session), register)
        files: list[tuple[str, list[int]]] = []
        for snapshot in reversed(snapshots):
            values = dict(snapshot)
            code = str(values.get("code") or "").strip()
            if not code or code in batch.taken:  # a code given out again since the delete
                raise InvalidValueError(register, "code", f"the code {code} is already in use")
            files.append((code, values.pop(ATTACHMENTS_KEY, [])))
            batch.add(values, create_missing=False)
        batch.write()
        for code, attachment_ids in files:
            if attachment_ids:
                _reown(session, register, attachment_ids, batch.matching[code].id)
            made.append(Change(register, code, "created"))
    return made


# up to this many records are restored one at a time (the bulk way reads every code of the
# register and of the registers it refers to first: 0.35 s for one risk of 100,000)
_RESTORED_ONE_BY_ONE = 20


def _reown(session: Session, register: str, attachment_ids: Sequence[int], owner: int) -> None:
    """Give a restored record its files back."""
    session.execute(
        sql_update(Attachment)
        .where(Attachment.id.in_(attachment_ids), Attachment.owner_register == register)
        .values(owner_id=owner)
    )


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
    changes: ImportChanges | None = None  # what was written, for its undo (None if nothing)


@dataclass(frozen=True)
class ImportChanges:
    """What an import wrote, so that ``undo_import`` can take it back: the records it
    created (``register``'s codes, and those of other registers it made for the rows to
    refer to) and the values the records it updated had before (code -> field -> value,
    as ``get`` shows them)."""

    register: str
    created: tuple[str, ...] = ()
    made: tuple[tuple[str, str], ...] = ()  # (register, code)
    previous: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)


def undo_import(project: Project, changes: ImportChanges) -> None:
    """Take an import back in one transaction: its new records deleted (refused, changing
    nothing, when one is used by a record made since), then the records it made for them to
    refer to, then the old values of the records it updated."""
    register = changes.register
    with project.transaction() as session:
        for target, codes_ in [(register, list(changes.created)), *_by_register(changes.made)]:
            _done, refused = _delete_in(session, target, codes_)
            if refused is not None:
                raise IsmsError(f"the import cannot be undone: {refused}")
        if changes.previous:
            batch = _Batch(_Context(session), register, checked=True)
            rows = [(0, {"code": code, **old}) for code, old in changes.previous.items()]
            batch.prepare(rows)
            for _number, values in rows:
                batch.add(values, create_missing=False)
            batch.write()


def _by_register(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for register, code in pairs:
        grouped.setdefault(register, []).append(code)
    return list(grouped.items())


def upsert_rows(
    project: Project,
    register: str,
    rows: Sequence[tuple[int, Mapping[str, Any]]],
    *,
    dry_run: bool = False,
    create_missing: bool = False,
    prerequisites: Sequence[tuple[int, str, Mapping[str, Any]]] = (),
    checked: bool = False,
) -> UpsertResult:
    """Create or update records from (row number, {field: raw value}) pairs, all or none.

    Rows are matched by ``code``: a known code updates the fields the row carries, an unknown
    or empty code creates a record. Every problem of every row is collected; if there is any,
    or on a dry run, nothing is written.

    Every row is checked in Python first (references resolved from lookups read once), so
    that the records are then written with one statement per table (10,000 rows in seconds).
    ``checked``: the values are stored values already (the importer's converter parsed and
    checked every cell with ``parse_value``), so they are not parsed a second time.
    """
    problems: list[RowProblem] = []
    made: list[tuple[str, str]] = []
    with project.writing_or_reading(dry_run) as session:
        ctx = _Context(session)
        # Records of other registers the rows refer to, created first in the same transaction
        # (an import with --create-missing): (row number, register, values).
        for row_number, target, values in prerequisites:
            try:
                with session.begin_nested():
                    made.append((target, _create_in(ctx, target, values).code))
            except InvalidValueError as exc:
                label = str(values.get("name") or values.get("title") or values.get("code") or "")
                problems.append(RowProblem(row_number, target, label, str(exc)))
        batch = _Batch(ctx, register, checked=checked)
        batch.prepare(rows)
        for row_number, raw_values in rows:
            try:
                batch.add(raw_values, create_missing)
            except InvalidValueError as exc:
                f = batch.spec.field(exc.field_name)
                value = raw_values.get(exc.field_name, "")
                problems.append(RowProblem(row_number, f.header, str(value), str(exc)))
        if not problems:
            batch.write()
        written = not problems and not dry_run
        if not written:
            session.rollback()
    changes = None
    if written:
        made += [("people", code) for code in batch.people_made]
        changes = ImportChanges(
            register, tuple(r.code for r in batch.new), tuple(made), batch.previous
        )
    return UpsertResult(
        batch.created,
        batch.updated,
        batch.unchanged,
        batch.people_created,
        tuple(problems),
        written,
        changes,
    )


class _New:
    """A record an import creates: its column values and links, inserted in bulk."""

    def __init__(self, code: str, columns: dict[str, Any], values: dict[str, Any]) -> None:
        self.code = code
        self.columns = columns
        self.values = values  # as ``_current_values`` shows them (references as codes)
        self.links: dict[str, list[Any]] = {}  # field -> target ids (or _New of this import)
        self.id: int | None = None


class _Lookups:
    """The records references point at, by code (people also by name), read once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._ids: dict[str, dict[str, Any]] = {}
        self._codes: dict[str, dict[Any, str]] = {}
        self._names: dict[str, Any] = {}

    def ids(self, register: str) -> dict[str, Any]:
        if register not in self._ids:
            target = _model(register)
            found: dict[str, Any] = {}
            for code, row_id in self.session.execute(
                select(target.code, target.id).order_by(target.id)
            ):
                found.setdefault(str(code), int(row_id))
            self._ids[register] = found
            self._codes[register] = {i: c for c, i in found.items()}
            if register == "people":
                for name, row_id in self.session.execute(
                    select(Person.name, Person.id).order_by(Person.id)
                ):
                    self._names.setdefault(str(name).strip().lower(), int(row_id))
        return self._ids[register]

    def add(self, register: str, code: str, row_id: Any, name: str | None = None) -> None:
        self.ids(register).setdefault(code, row_id)
        self._codes[register].setdefault(row_id, code)
        if register == "people" and name is not None:
            self._names.setdefault(name.strip().lower(), row_id)

    def forget_name(self, name: str) -> None:
        self._names.pop(name.strip().lower(), None)

    def code(self, register: str, row_id: Any) -> str:
        self.ids(register)
        return self._codes[register][row_id]

    def person(self, value: str) -> Any:
        found = self.ids("people").get(value)
        return found if found is not None else self._names.get(value.strip().lower())

    def resolve(self, register: str, f: Field, value: str) -> Any:
        """Like ``_resolve``, from the lookups."""
        target_register = _ref_register(f)
        found = (
            self.person(value)
            if target_register == "people"
            else self.ids(target_register).get(value)
        )
        if found is None:
            raise InvalidValueError(
                register, f.name, f"{f.header}: there is no {target_register} record {value!r}"
            )
        return found

    def resolve_many(self, register: str, f: Field, values: list[str]) -> list[Any]:
        """Like ``_resolve_many``, from the lookups."""
        known = self.ids(str(f.ref))
        missing = [v for v in values if v not in known]
        if missing:
            raise InvalidValueError(
                register, f.name, f"{f.header}: there is no {f.ref} record {', '.join(missing)}"
            )
        return [known[v] for v in values]


class _Batch:
    """The rows of one import, checked one by one in Python and then written in bulk."""

    def __init__(self, ctx: _Context, register: str, *, checked: bool = False) -> None:
        session = ctx.session
        self.ctx = ctx
        self.checked = checked
        self.register = register
        self.spec = register_spec(register)
        self.model = _model(register)
        self.fields = _editable_fields(self.spec)
        self.lookups = _Lookups(session)
        self.created = self.updated = self.unchanged = self.people_created = 0
        self.people_made: list[str] = []  # codes of the people rows made (create_missing)
        # code -> field -> the value an updated record had before (for the import's undo)
        self.previous: dict[str, dict[str, Any]] = {}
        model = self.model
        if model is Risk:
            # Read the risk method now: its query, if first made while scoring an updated
            # risk, would autoflush the half-made change and bump the row version twice.
            ctx.method  # noqa: B018
        # codes matched by the rows: this register's slice; codes taken: the whole table
        self.matching: dict[str, Any] = {
            str(code): int(i)
            for code, i in session.execute(_slice(select(model.code, model.id), register, model))
        }
        self.taken = {str(c) for c in session.scalars(select(model.code))}
        self.highest = _highest_number(self.spec.code_prefix, self.taken)
        self.objects: dict[int, Any] = {}
        self.current: dict[int, dict[str, Any]] = {}
        self.new: list[_New] = []
        self.relinked: dict[str, dict[int, list[Any]]] = {}  # field -> existing id -> targets
        self.keys = {f.name: _column(model, f).key for f in self.fields if f.kind is not Kind.REFS}
        # the column values of the unique fields -> the record (id or _New) that has them; a
        # record keeps its old values too (the database checks each update as it is made)
        self.unique = [self.keys[f.name] for f in _unique_together(register)]
        self.holders: dict[tuple[Any, ...], Any] = {}
        if self.unique:
            unique_columns = [getattr(model, key) for key in self.unique]
            self.holders = {
                tuple(row[1:]): int(row[0])
                for row in session.execute(select(model.id, *unique_columns))
            }
        self.self_refs = any(f.kind is Kind.REFS and f.ref == register for f in self.fields)
        # for a new record: (field, column, register referred to or None) of the columns,
        # then the many-to-many fields, in the order ``_create`` resolves them
        self.plain = [
            (f, self.keys[f.name], _ref_register(f) if f.is_reference else None)
            for f in self.fields
            if f.kind is not Kind.REFS
        ]
        self.links = [f for f in self.fields if f.kind is Kind.REFS]
        self.code_number = re.compile(rf"^{re.escape(self.spec.code_prefix)}(\d+)$")

    def _load(self, rows_ids: list[int]) -> None:
        session, model = self.ctx.session, self.model
        for start in range(0, len(rows_ids), 500):
            chunk = rows_ids[start : start + 500]
            for obj in session.scalars(select(model).where(model.id.in_(chunk))):
                self.objects[obj.id] = obj
        self.current.update({r.id: dict(r.values) for r in _rows(session, self.register, rows_ids)})

    def add(self, raw_values: Mapping[str, Any], create_missing: bool) -> None:
        """Check one row and stage its change (raises InvalidValueError, staging nothing)."""
        made: list[tuple[str, Any]] = []
        savepoint = None
        if create_missing and self._missing_people(raw_values):
            savepoint = self.ctx.session.begin_nested()
        try:
            if create_missing:
                made = self._create_missing_people(raw_values)
            self._add(raw_values)
        except InvalidValueError:
            if savepoint is not None:
                savepoint.rollback()
                for name, row_id in made:
                    self.lookups.ids("people").pop(self.lookups.code("people", row_id), None)
                    self.lookups.forget_name(name)
            raise
        if savepoint is not None:
            savepoint.commit()

    def _missing_people(self, raw_values: Mapping[str, Any]) -> bool:
        for f in self.spec.fields:
            name = str(raw_values.get(f.name) or "").strip() if f.kind is Kind.PERSON else ""
            if name and self.lookups.person(name) is None:
                return True
        return False

    def _create_missing_people(self, raw_values: Mapping[str, Any]) -> list[tuple[str, Any]]:
        made = []
        for f in self.spec.fields:
            if f.kind is not Kind.PERSON:
                continue
            name = str(raw_values.get(f.name) or "").strip()
            if not name or self.lookups.person(name) is not None:
                continue
            self.people_created += 1
            person = _create_in(self.ctx, "people", {"name": name})
            self.people_made.append(str(person.code))
            self.lookups.add("people", person.code, int(person.id), person.name)
            made.append((name, int(person.id)))
        return made

    def _add(self, raw_values: Mapping[str, Any]) -> None:
        spec = self.spec
        raw_code = spec.normalise_code(str(raw_values.get("code") or ""))
        target = self.matching.get(raw_code) if raw_code else None
        if target is None:
            self._create(raw_values)
            self.created += 1
            return
        before = target.values if isinstance(target, _New) else self.current[target]
        new_values = dict(before)
        changed = []
        for f in self.fields:
            if f.name not in raw_values:
                continue
            value = self._value(f, raw_values)
            new_values[f.name] = value
            if value != before[f.name]:
                if not isinstance(target, _New):
                    _check_editable(self.register, raw_code, f.name, before)
                changed.append((f, value))
        _check_rules(self.register, new_values)
        resolved = [(f, value, self._resolved(f, value)) for f, value in changed]
        if self.unique:
            self._claim(
                target, {self.keys[f.name]: ref for f, _, ref in resolved if f.name in self.keys}
            )
        if isinstance(target, _New):
            for f, _value, ref in resolved:
                if f.kind is Kind.REFS:
                    target.links[f.name] = list(dict.fromkeys(ref))
                else:
                    target.columns[self.keys[f.name]] = ref
            target.values = self._shown(new_values, resolved)
            if changed:
                self._score(target.columns)
        else:
            obj = self.objects[target]
            earlier = self.previous.setdefault(raw_code, {})
            for f, _value in changed:
                earlier.setdefault(f.name, before[f.name])  # (a code twice: its first value)
            if not earlier:
                del self.previous[raw_code]
            for f, _value, ref in resolved:
                if f.kind is Kind.REFS:
                    self.relinked.setdefault(f.name, {})[target] = list(dict.fromkeys(ref))
                else:
                    setattr(obj, self.keys[f.name], ref)
            if changed:
                _after_change(self.ctx, self.register, obj)
            self.current[target] = self._shown(new_values, resolved)
        self.updated += bool(changed)
        self.unchanged += not changed

    def _value(self, f: Field, values: Mapping[str, Any]) -> Any:
        """The stored value of ``f`` in a row (parsed, unless the importer did)."""
        if self.checked and f.name in values:
            return values[f.name]
        return _parse(self.ctx, self.register, f, values.get(f.name))

    def prepare(self, rows: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        """Read the records the rows update, in a few queries."""
        spec = self.spec
        wanted = {spec.normalise_code(str(v.get("code") or "")) for _, v in rows}
        ids = [i for c, i in self.matching.items() if c in wanted and isinstance(i, int)]
        self._load(ids)

    def _resolved(self, f: Field, value: Any) -> Any:
        if f.kind is Kind.REFS:
            return self.lookups.resolve_many(self.register, f, list(value or []))
        if f.is_reference:
            return None if value is None else self.lookups.resolve(self.register, f, value)
        return value

    def _shown(
        self, values: dict[str, Any], resolved: list[tuple[Field, Any, Any]]
    ) -> dict[str, Any]:
        """Values as ``_current_values`` shows them: references by the code they point at."""
        shown = dict(values)
        for f, _value, ref in resolved:
            if f.is_reference:
                shown[f.name] = None if ref is None else self._code_of(_ref_register(f), ref)
        return shown

    def _code_of(self, register: str, ref: Any) -> str:
        return ref.code if isinstance(ref, _New) else self.lookups.code(register, ref)

    def _create(self, values: Mapping[str, Any]) -> None:
        """Like ``_create_in``, staging the record instead of inserting it."""
        spec, register = self.spec, self.register
        if spec.fixed_rows:
            code = str(values.get("code") or "")
            raise InvalidValueError(
                register,
                "code",
                f"there is no {spec.title} row {code!r} (rows cannot be added here)",
            )
        code = str(values.get("code", "") or "").strip()
        if not code:
            code = f"{spec.code_prefix}{self.highest + 1:03d}"
        elif code in self.taken:
            raise InvalidValueError(register, "code", f"the code {code} is already in use")
        parsed = {
            f.name: values[f.name] if self.checked and f.name in values else self._value(f, values)
            for f in self.fields
        }
        _check_rules(register, _defaulted(register, parsed))
        columns: dict[str, Any] = {"code": code, **FIXED_VALUES.get(register, {})}
        shown = dict(parsed)  # as ``_current_values`` shows them: references by code
        for f, key, target in self.plain:
            value = parsed[f.name]
            if target is None:
                columns[key] = value
                continue
            ref = None if value is None else self.lookups.resolve(register, f, value)
            columns[key] = ref
            shown[f.name] = None if ref is None else self._code_of(target, ref)
        record = _New(code, columns, shown)
        for f in self.links:
            targets = self.lookups.resolve_many(register, f, parsed[f.name] or [])
            record.links[f.name] = list(dict.fromkeys(targets))
        self._score(columns)
        self._claim(record, columns)
        self.new.append(record)
        self.taken.add(code)
        number = self.code_number.match(code)
        if number:
            self.highest = max(self.highest, int(number.group(1)))
        self.matching[code] = record
        if self.self_refs:  # later rows may refer to this one
            self.lookups.add(register, code, record)

    def _claim(self, record: Any, columns: Mapping[str, Any]) -> None:
        """Refuse a record (an id, or a _New) that would have in all the unique fields what
        another has (InvalidValueError); ``columns``: the column values it is given."""
        if not any(key in columns for key in self.unique):
            return
        if isinstance(record, _New):
            current = record.columns
        else:
            obj = self.objects[record]
            current = {key: getattr(obj, key) for key in self.unique}
        values = tuple(columns.get(key, current.get(key)) for key in self.unique)
        holder = None if None in values else self.holders.setdefault(values, record)
        if holder is not None and holder != record:
            code = self._code_of(self.register, holder)
            if isinstance(holder, _New):
                code += " (added by this import)"
            f = _unique_together(self.register)[-1]
            raise InvalidValueError(self.register, f.name, _same_as(self.register, code))

    def _score(self, columns: dict[str, Any]) -> None:
        if self.model is Risk:
            risk = _Scored(columns)
            score_risk(self.ctx.method, cast(Risk, risk))
            columns.update(risk.levels())

    def write(self) -> None:
        """Write what the rows staged: updates, then new records, then links."""
        session = self.ctx.session
        session.flush()  # updates of existing records (the audit trail logs each field)
        table = self.model.__table__
        groups: dict[frozenset[str], list[tuple[_New, dict[str, Any]]]] = {}
        for record in self.new:
            values = _insert_values(table, record.columns)
            groups.setdefault(frozenset(values), []).append((record, values))
        # Each new id is matched by the row's code (unique in the table): asking for the ids
        # in parameter order would make SQLite insert one row per statement.
        stmt = insert(table).returning(table.c.id, table.c.code)
        conn = session.connection()
        for group in groups.values():
            by_code = {str(values["code"]): record for record, values in group}
            keys = list(group[0][1])
            if insertable(table, keys):  # one executemany, then the ids by code
                pick = itemgetter(*keys)  # (a group's rows have the same columns)
                rows = [pick(v) if len(keys) > 1 else (pick(v),) for _, v in group]
                insert_rows(conn, table, keys, rows)
                codes = list(by_code)
                found = [
                    row
                    for start in range(0, len(codes), 500)
                    for row in conn.execute(
                        select(table.c.id, table.c.code).where(
                            table.c.code.in_(codes[start : start + 500])
                        )
                    )
                ]
            else:  # a value made by a function (a time stamp): the ORM's own way
                found = list(conn.execute(stmt, [values for _, values in group]))
            for row_id, code in found:
                by_code.pop(str(code)).id = int(row_id)
            if by_code:  # never: every row inserted is returned
                raise RuntimeError(f"{table.name}: no id returned for {sorted(by_code)[:3]}")
        if self.new:
            # logged from the values inserted (no read of the new rows at commit)
            inserted = {id(record): values for group in groups.values() for record, values in group}
            ids = [int(r.id or 0) for r in self.new]
            note_created(session, table.name, ids, [inserted[id(r)] for r in self.new])
        for f in self.fields:
            if f.kind is not Kind.REFS:
                continue
            link = _link(self.register, f)
            own = getattr(link.table, link.own)
            relinked = self.relinked.get(f.name, {})
            owners = sorted(relinked)
            for start in range(0, len(owners), 500):
                session.execute(
                    sql_delete(link.table).where(own.in_(owners[start : start + 500])),
                    execution_options={"synchronize_session": False},
                )
            staged = [(i, t) for i, t in relinked.items()] + [
                (int(r.id or 0), r.links.get(f.name, [])) for r in self.new
            ]
            pairs = [
                (owner, t.id if isinstance(t, _New) else t)
                for owner, targets in staged
                for t in targets
            ]
            if pairs:
                table = link.table.__table__
                note_link_change(session, table.name, {owner for owner, _ in pairs})
                insert_rows(session.connection(), table, (link.own, link.target), pairs)


class _Scored:
    """The columns ``score_risk`` reads and sets, on a record not yet inserted."""

    def __init__(self, columns: Mapping[str, Any]) -> None:
        for name in ("inherent", "residual"):
            setattr(self, f"{name}_likelihood", columns.get(f"{name}_likelihood"))
            setattr(self, f"{name}_impact", columns.get(f"{name}_impact"))

    def levels(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k.endswith(("_level", "_rank"))}


def _insert_values(table: Any, columns: Mapping[str, Any]) -> dict[str, Any]:
    """The values to insert, as the ORM would: a None where the column has a default
    means the default."""
    defaults = _defaults(table)
    values = {}
    for key, value in columns.items():
        if value is None and key in defaults:
            default = defaults[key]
            if default is not _NO_VALUE:
                values[key] = default
            continue
        values[key] = value
    return values


_NO_VALUE = object()


@functools.cache
def _defaults(table: Any) -> dict[str, Any]:
    """Column key -> what a None given for it becomes: its scalar default, or _NO_VALUE
    (left out, for the database or a function to fill) where its default is another."""
    found: dict[str, Any] = {}
    for column in table.columns:
        if column.default is not None or column.server_default is not None:
            scalar = column.default is not None and column.default.is_scalar
            found[column.key] = column.default.arg if scalar else _NO_VALUE
    return found


def _highest_number(prefix: str, codes: Iterable[str]) -> int:
    """The highest number of the codes ``PREFIX-NNN`` (what ``next_code`` counts up from)."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    highest = 0
    for code in codes:
        match = pattern.match(code)
        if match:
            highest = max(highest, int(match.group(1)))
    return highest
