"""The audit trail: every change to every record, logged in the project file itself.

Session events of a project's sessionmaker write one ``change_log`` row per change, in the
same transaction as the change (so a rolled-back edit leaves no trace, and a committed one
always has its entry):

- ``after_flush``: records created (a snapshot of their values), fields updated (old → new,
  references shown by the code of what they point at) and records deleted (a snapshot);
- ``do_orm_execute``: bulk statements (``insert``/``delete`` of many rows at once);
- ``before_commit``: many-to-many fields (link tables) as the owner's field, old list → new
  list, compared once per transaction however the links were rewritten.

Rows of child tables (a metric's measurements, an audit's checklist, a document's versions,
attachments) are logged under their parent record. The application only appends: no
service edits the log, and triggers (migration 0006) refuse UPDATE and DELETE on it.
"""

from __future__ import annotations

import configparser
import datetime as dt
import functools
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, Table, event, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from isms_desktop.storage.bulk import insert_rows
from isms_desktop.storage.lock import current_user
from isms_desktop.storage.models import Base, ChangeLog
from isms_desktop.storage.paths import settings_file
from isms_desktop.storage.registers import EDITABLE_MODELS, LINKS

CREATED, UPDATED, DELETED = "created", "updated", "deleted"
KINDS = (CREATED, UPDATED, DELETED)
_INFO = "isms_audit"
_T = TypeVar("_T")
_SKIPPED = {"change_log", "attachment_data", "alembic_version"}
# row ids and versions (migration 0007), and the risks' sort ranks (derived from a level,
# which is logged)
_UNLOGGED_COLUMNS = {"id", "row_version", "inherent_rank", "residual_rank"}
# child table -> the column holding its parent's id (logged under the parent record)
_PARENTS = {
    "measurements": "metric_id",
    "checklist_items": "audit_id",
    "document_versions": "document_id",
}
_MAX_TEXT = 100_000  # characters of one logged text (a whole policy fits)
_MAX_VALUE = 10_000  # characters of other logged values (snapshots, compiled JSON)


@dataclass(frozen=True)
class Actor:
    """Who makes the changes: the operating-system user and the name they configured."""

    os_user: str
    name: str


def configured_name() -> str:
    """The name set in the settings file (``[user] name``), or ""."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(settings_file(), encoding="utf-8")
        return parser.get("user", "name", fallback="").strip()
    except (configparser.Error, OSError, UnicodeError):
        return ""


def current_actor(database_user: str = "") -> Actor:
    """Who changes things: the operating-system user, or in team mode the database user the
    server authenticated (the one identity a server project can vouch for)."""
    os_user = database_user or current_user()
    return Actor(os_user=os_user, name=configured_name() or os_user)


def _database_user(session: Session) -> str:
    """The server's login of this session ("" for a project file)."""
    if session.get_bind().dialect.name == "sqlite":
        return ""
    return str(session.connection().scalar(text("SELECT session_user")) or "")


# --- where a row belongs ----------------------------------------------------------------


def _register_tables() -> dict[str, str]:
    found: dict[str, str] = {}
    for register, model in EDITABLE_MODELS.items():
        found.setdefault(model.__table__.name, register)
    return found


_REGISTERS = _register_tables()


@dataclass(frozen=True)
class _LinkInfo:
    table: Table
    own: str
    target: str
    owner_table: str
    field: str


def _link_infos() -> dict[str, _LinkInfo]:
    infos: dict[str, _LinkInfo] = {}
    for (_register, field), link in LINKS.items():
        table = link.table.__table__
        if table.name not in infos:
            owner = next(iter(table.c[link.own].foreign_keys)).column.table.name
            infos[table.name] = _LinkInfo(table, link.own, link.target, owner, field)
    for table in Base.metadata.tables.values():
        pk = list(table.primary_key.columns)
        if table.name in infos or len(pk) != 2 or not all(c.foreign_keys for c in pk):
            continue
        own, target = pk
        owner = next(iter(own.foreign_keys)).column.table.name
        target_table = next(iter(target.foreign_keys)).column.table.name
        infos[table.name] = _LinkInfo(table, own.name, target.name, owner, target_table)
    return infos


_LINK_TABLES = _link_infos()


def _register_of(table: str, values: Mapping[str, Any]) -> str:
    if table == "actions":
        return "treatment" if values.get("source") == "treatment" else "actions"
    return _REGISTERS.get(table, table)


# the columns a record's own code is taken from, the first filled
_CODE_COLUMNS = ("code", "number", "key", "name")


def _own_code(table: str, values: Mapping[str, Any]) -> str:
    for key in _CODE_COLUMNS:
        value = values.get(key)
        if value:
            return str(value)
    if table == "project":
        return "project"
    return f"#{values.get('id', '')}"


# --- values as text ---------------------------------------------------------------------


def encode(value: Any) -> str | None:
    """A value as stored in the log: JSON text (dates as ISO text), ``None`` for null."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        value = f"<{len(bytes(value))} bytes>"
    limit = _MAX_TEXT if isinstance(value, str) else _MAX_VALUE
    if value.__class__ is list and all(v.__class__ is str for v in value):
        # a many-to-many field's codes: the encoder's own text, without building an
        # encoder for each of the 20,000 lists of an import
        text = "[" + ", ".join(map(_encode_text, value)) + "]"
    else:
        text = _ENCODER.encode(value)
    return text if len(text) <= limit else _ENCODER.encode(text[:limit] + " …")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


# one encoder for every value (json.dumps with options builds a new one on each call)
_ENCODER = json.JSONEncoder(default=_plain, ensure_ascii=False, sort_keys=True)
_encode_text = json.encoder.encode_basestring  # what _ENCODER writes a text as


# --- per-transaction state ---------------------------------------------------------------


class _State:
    def __init__(self, database_user: str = "") -> None:
        self.actor = current_actor(database_user)
        self.txn = uuid.uuid4().hex
        self.labels: dict[str, dict[int, str]] = {}  # table -> row id -> code or name
        # (link table, owner id) -> target ids before this transaction touched them
        self.links: dict[tuple[str, int], frozenset[int]] = {}
        # rows created in this transaction (in order), logged at commit: with the values
        # they were inserted with where a bulk insert gave them (else they are read then)
        self.created: dict[tuple[str, Any], dict[str, Any] | None] = {}


def _state(session: Session) -> _State:
    state = session.info.get(_INFO)
    if not isinstance(state, _State):
        state = _State(_database_user(session))
        session.info[_INFO] = state
    return state


def _reset(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended (commit or rollback)
        session.info.pop(_INFO, None)


# --- entries -----------------------------------------------------------------------------


class _Writer:
    """Builds log rows for one flush or statement, resolving ids to codes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.state = _state(session)
        self.now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.rows: list[tuple[Any, ...]] = []

    def label(self, table: str, row_id: Any) -> str:
        if row_id is None:
            return ""
        labels = self.labels_of(table)
        found = labels.get(int(row_id))
        if found is None:
            column = _label_column(table)
            value = None
            if column is not None:
                pk = next(iter(Base.metadata.tables[table].primary_key.columns))
                value = self.session.connection().scalar(select(column).where(pk == row_id))
            found = labels[int(row_id)] = str(value) if value is not None else f"#{row_id}"
        return found

    def labels_of(self, table: str) -> dict[int, str]:
        """The labels of ``table`` known so far, by row id."""
        return self.state.labels.setdefault(table, {})

    def prefetch(self, table: str, row_ids: Iterable[Any]) -> None:
        """Read the labels of many rows of ``table`` at once (bulk changes)."""
        labels = self.labels_of(table)
        missing = sorted({int(i) for i in row_ids if i is not None}.difference(labels))
        column = _label_column(table)
        if column is None or not missing:
            return
        pk = next(iter(Base.metadata.tables[table].primary_key.columns))
        for chunk in _chunks(missing):
            for row_id, found in self.session.connection().execute(
                select(pk, column).where(pk.in_(chunk))
            ):
                labels[int(row_id)] = str(found) if found is not None else f"#{row_id}"

    def readable(self, table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
        """Column values by field name, references as the code of what they point at."""
        shown: dict[str, Any] = {}
        for key, name, target in _shown_columns(table):
            if key not in values:
                continue
            if target is None:
                shown[name] = values[key]
            else:
                shown[name] = self.label(target, values[key]) or None
        return shown

    def where(self, table: Table, values: Mapping[str, Any]) -> tuple[str, str, str]:
        """(register, record code, field prefix) a row of ``table`` is logged under."""
        name = str(table.name)  # a plain str: the driver checks a subclass for adapters
        if name == "attachments":
            owner_register = str(values.get("owner_register") or "")
            owner_model = EDITABLE_MODELS.get(owner_register)
            code = (
                self.label(owner_model.__table__.name, values.get("owner_id"))
                if owner_model is not None
                else f"#{values.get('owner_id')}"
            )
            return owner_register or name, code, f"attachment {values.get('name', '')}"
        parent_column = _PARENTS.get(name)
        if parent_column is not None and values.get(parent_column) is not None:
            parent = next(iter(table.c[parent_column].foreign_keys)).column.table.name
            prefix = name.replace("_", " ").rstrip("s")
            detail = values.get("date") or values.get("version") or values.get("id") or ""
            return (
                _REGISTERS.get(parent, parent),
                self.label(parent, values[parent_column]),
                f"{prefix} {detail}".strip(),
            )
        return _register_of(name, values), _own_code(name, values), ""

    def add(
        self,
        table: Table,
        values: Mapping[str, Any],
        kind: str,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> None:
        register, code, prefix = self.where(table, values)
        if prefix:
            field = f"{prefix}: {field}" if field else prefix
        record_id = values.get("id")
        self.rows.append(
            (
                register,
                str(table.name),
                record_id if isinstance(record_id, int) else None,
                code[:200],
                field[:100] if field else None,
                encode(old),
                encode(new),
                kind,
            )
        )

    def write(self) -> None:
        if self.rows:
            actor = self.state.actor
            constants = {
                "at": self.now,
                "os_user": actor.os_user,
                "user_name": actor.name,
                "txn": self.state.txn,
            }
            conn = self.session.connection()
            insert_rows(conn, _LOG_TABLE, _LOG_KEYS, self.rows, constants)
            self.rows = []


_LOG_TABLE: Table = ChangeLog.__table__  # type: ignore[assignment]
# the columns of a log row that differ from row to row (``_Writer.add`` builds them)
_LOG_KEYS = (
    "register",
    "table_name",
    "record_id",
    "record_code",
    "field",
    "old_value",
    "new_value",
    "kind",
)


@functools.cache
def _label_column(table: str) -> Any:
    """The column a row of ``table`` is named by in the log (None: by its id)."""
    target = Base.metadata.tables[table]
    if table == "people" and "name" in target.c:
        return target.c["name"]
    return next((target.c[n] for n in ("code", "number", "key", "name") if n in target.c), None)


@functools.cache
def _shown_columns(table: Table) -> tuple[tuple[str, str, str | None], ...]:
    """(column, name in the log, table it refers to or None) of the logged columns."""
    shown: list[tuple[str, str, str | None]] = []
    for column in table.columns:
        if column.key in _UNLOGGED_COLUMNS:
            continue
        if column.foreign_keys and column.key.endswith("_id"):
            target = next(iter(column.foreign_keys)).column.table.name
            shown.append((column.key, column.key[: -len("_id")], target))
        else:
            shown.append((column.key, column.key, None))
    return tuple(shown)


def _values(obj: Any) -> dict[str, Any]:
    """The column values of an ORM object as loaded (no lazy loads)."""
    state = inspect(obj)
    loaded = state.dict
    return {
        column.key: loaded[prop.key]
        for prop in state.mapper.column_attrs
        for column in prop.columns
        if prop.key in loaded and column.table is state.mapper.local_table
    }


def _old_values(obj: Any) -> dict[str, Any]:
    """Column values as they were before this flush (for the record's code and parent)."""
    values = _values(obj)
    state = inspect(obj)
    for prop in state.mapper.column_attrs:
        history = state.attrs[prop.key].history
        if history.deleted:
            values[prop.columns[0].key] = history.deleted[0]
    return values


def _audited(obj: Any) -> Table | None:
    table = inspect(obj).mapper.local_table
    if not isinstance(table, Table) or table.name in _SKIPPED:
        return None
    return table


# --- the events --------------------------------------------------------------------------


def _after_flush(session: Session, _context: Any) -> None:
    writer = _Writer(session)
    created = writer.state.created
    for obj in list(session.new):
        table = _audited(obj)
        if table is None:
            continue
        if table.name in _LINK_TABLES:
            _touch_link(session, _LINK_TABLES[table.name], _values(obj), added=True)
            continue
        # Logged at commit with its final values (codes, scores and hashes are often set
        # in a second step of the same transaction).
        created[(table.name, _row_id(obj))] = None
    for obj in list(session.dirty):
        table = _audited(obj)
        if table is None or table.name in _LINK_TABLES:
            continue
        key = (table.name, _row_id(obj))
        if key in created:
            created[key] = None  # changed since it was inserted: read it at commit
        else:
            _log_updates(writer, table, obj)
    for obj in list(session.deleted):
        table = _audited(obj)
        if table is None:
            continue
        if table.name in _LINK_TABLES:
            _touch_link(session, _LINK_TABLES[table.name], _old_values(obj), added=False)
            continue
        key = (table.name, _row_id(obj))
        if key in created:
            del created[key]  # made and removed in one transaction: nothing happened
            continue
        values = _old_values(obj)
        writer.add(table, values, DELETED, old=writer.readable(table, values))
    writer.write()


def _row_id(obj: Any) -> Any:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return identity[0] if len(identity) == 1 else tuple(identity)


def _log_updates(writer: _Writer, table: Table, obj: Any) -> None:
    state = inspect(obj)
    loaded = state.dict
    before = _values(obj)
    columns = state.mapper.column_attrs
    changes = []
    # only the attributes set since the last flush have a history (their committed values
    # are kept until the flush ends): asking every column took most of a re-scoring
    for key in list(state.committed_state):
        if key not in columns or key not in loaded:
            continue
        prop = columns[key]
        history = state.attrs[key].history
        for column in prop.columns:
            if column.table is state.mapper.local_table and history.deleted:
                before[column.key] = history.deleted[0]
        column = prop.columns[0]
        if column.key in _UNLOGGED_COLUMNS:
            continue
        if column.table is table and (history.added or history.deleted):
            changes.append((column, history))
    for column, history in changes:
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            _log_update(writer, table, before, column, old, new)


def _log_update(
    writer: _Writer, table: Table, before: Mapping[str, Any], column: Any, old: Any, new: Any
) -> None:
    """Log one changed value of a row (``before``: the row's values before the change): a
    reference under the field's name by the record it points at, not its id."""
    name = column.key
    if column.foreign_keys and name.endswith("_id"):
        target = next(iter(column.foreign_keys)).column.table.name
        old, new = writer.label(target, old) or None, writer.label(target, new) or None
        name = name[: -len("_id")]
    if name in _CODE_COLUMNS:
        writer.labels_of(table.name).pop(int(before.get("id") or 0), None)
    writer.add(table, before, UPDATED, name, old, new)


def _link_targets(session: Session, info: _LinkInfo, owner_id: int) -> frozenset[int]:
    stmt = select(info.table.c[info.target]).where(info.table.c[info.own] == owner_id)
    return frozenset(int(v) for v in session.connection().scalars(stmt))


_CHUNK = 500  # ids per IN (...) of a bulk read


def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _links_of(
    session: Session, info: _LinkInfo, owners: Iterable[int]
) -> dict[int, frozenset[int]]:
    """The target ids of many owners, a few queries in all (owners without links: empty)."""
    found: dict[int, set[int]] = {int(o): set() for o in owners}
    own, target = info.table.c[info.own], info.table.c[info.target]
    for chunk in _chunks(sorted(found)):
        for owner_id, target_id in session.connection().execute(
            select(own, target).where(own.in_(chunk))
        ):
            found[int(owner_id)].add(int(target_id))
    return {o: frozenset(t) for o, t in found.items()}


def _touch_link(session: Session, info: _LinkInfo, values: Mapping[str, Any], added: bool) -> None:
    """Remember an owner's links as they were before this transaction (after a flush)."""
    owner_id, target_id = values.get(info.own), values.get(info.target)
    if owner_id is None or target_id is None:
        return
    key = (info.table.name, int(owner_id))
    links = _state(session).links
    if key not in links:
        now = _link_targets(session, info, int(owner_id))
        links[key] = now - {int(target_id)} if added else now | {int(target_id)}


def _before_link_statement(session: Session, info: _LinkInfo, owners: Iterable[Any]) -> None:
    state = _state(session)
    links = state.links
    unknown = set()
    for owner in owners:
        if owner is None or (info.table.name, int(owner)) in links:
            continue
        if (info.owner_table, int(owner)) in state.created:
            links[(info.table.name, int(owner))] = frozenset()  # new: no links before
        else:
            unknown.add(int(owner))
    for owner_id, targets in _links_of(session, info, unknown).items():
        links[(info.table.name, owner_id)] = targets


def note_created(
    session: Session,
    table: str,
    row_ids: Sequence[int],
    inserted: Sequence[Mapping[str, Any]] | None = None,
) -> None:
    """Log rows inserted by a bulk Core statement on ``session``'s connection as created
    (with their final values at commit, exactly as rows created through the ORM).

    ``inserted``: each row's values as given to the insert (stored values, by column key).
    With every other column's value known (its id, a scalar default), the entry is built
    from them at commit instead of reading the row back; the caller changes these rows no
    further in the transaction except through the session (whose flushes and statements
    send a row back to being read)."""
    created = _state(session).created
    if inserted is None:
        for row_id in row_ids:
            created[(table, int(row_id))] = None
        return
    columns = Base.metadata.tables[table].columns
    pk = next(iter(Base.metadata.tables[table].primary_key.columns)).key
    # what Core inserts for a column not given; unlogged columns (the row version) need none
    defaults = {
        c.key: c.default.arg for c in columns if isinstance(c.default, ScalarElementColumnDefault)
    }
    keys = [c.key for c in columns if c.key not in _UNLOGGED_COLUMNS and c.key != pk]
    for row_id, values in zip(row_ids, inserted, strict=True):
        row = {pk: int(row_id)}
        for key in keys:
            if key in values:
                row[key] = values[key]
            elif key in defaults:
                row[key] = defaults[key]
            else:
                break  # a value the database or a function made: the row is read at commit
        else:
            created[(table, int(row_id))] = row
            continue
        created[(table, int(row_id))] = None


def note_link_change(session: Session, table: str, owner_ids: Iterable[int]) -> None:
    """Before a Core statement on ``session``'s connection changes links of these owners in
    link table ``table``: their links as they were are remembered, and the change is logged
    at commit (as a statement through the session is)."""
    _before_link_statement(session, _LINK_TABLES[table], owner_ids)


def _unstage(state: _State, table: str) -> None:
    """Rows of ``table`` created with their values given are read back at commit after all
    (a statement may change or delete them)."""
    for key, staged in state.created.items():
        if staged is not None and key[0] == table:
            state.created[key] = None


def _statement_table(state: ORMExecuteState) -> Table | None:
    mapper = state.bind_mapper
    if mapper is None:
        return None
    table = mapper.local_table
    return table if isinstance(table, Table) and table.name not in _SKIPPED else None


def _params(state: ORMExecuteState) -> list[Mapping[str, Any]]:
    params = state.parameters
    if isinstance(params, Mapping):
        return [params]
    if isinstance(params, list | tuple):
        return [p for p in params if isinstance(p, Mapping)]
    return []


def _on_execute(state: ORMExecuteState) -> Any:
    """Bulk INSERT/DELETE/UPDATE statements: log what they change."""
    if state.is_select or not (state.is_insert or state.is_delete or state.is_update):
        return None
    table = _statement_table(state)
    if table is None:
        return None
    session = state.session
    where = getattr(state.statement, "whereclause", None)
    info = _LINK_TABLES.get(table.name)
    if info is not None:
        if state.is_insert:
            owners = [p.get(info.own) for p in _params(state)]
        else:
            stmt = select(info.table.c[info.own]).distinct()
            stmt = stmt if where is None else stmt.where(where)
            owners = list(session.connection().scalars(stmt))
        _before_link_statement(session, info, owners)
        return None
    writer = _Writer(session)
    if not state.is_insert:
        _unstage(writer.state, table.name)
    if state.is_insert:
        result = state.invoke_statement()
        for values in _params(state):
            writer.add(table, values, CREATED, new=writer.readable(table, values))
        writer.write()
        return result
    pk = next(iter(table.primary_key.columns))
    query = select(table) if where is None else select(table).where(where)
    if where is None and state.is_update:
        # an UPDATE by primary key (one set of values per row): the rows it names
        query = query.where(pk.in_([p[pk.key] for p in _params(state) if pk.key in p]))
    before = _dicts(session, query)
    result = state.invoke_statement()
    if state.is_delete:
        for values in before:
            writer.add(table, values, DELETED, old=writer.readable(table, values))
    else:
        _log_updated(writer, table, before, select(table))
    writer.write()
    return result


def _dicts(session: Session, query: Select[Any]) -> list[dict[str, Any]]:
    """The rows of ``query`` as dicts by column key."""
    result = session.connection().execute(query)
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def _log_updated(
    writer: _Writer, table: Table, before: Sequence[Mapping[str, Any]], query: Select[Any]
) -> None:
    """Log each value of these rows (as ``query`` read them before an UPDATE) that it
    changed, reading them again with ``query``."""
    pk = next(iter(table.primary_key.columns))
    ids = [v[pk.key] for v in before]
    after = {v[pk.key]: v for v in _dicts(writer.session, query.where(pk.in_(ids)))}
    for values in before:
        new_values = after.get(values[pk.key], {})
        for key, old in values.items():
            if key in _UNLOGGED_COLUMNS:
                continue
            if key in new_values and new_values[key] != old:
                _log_update(writer, table, values, table.c[key], old, new_values[key])


# the columns ``_Writer.where`` reads to name the record a row is logged under
_NAMING_COLUMNS = (
    *("id", *_CODE_COLUMNS, "source", "owner_register", "owner_id"),
    *("date", "version", *_PARENTS.values()),
)


def updated_in_bulk(
    session: Session,
    table: Table,
    ids: Sequence[Any],
    columns: Iterable[str],
    execute: Callable[[], _T],
) -> _T:
    """Run ``execute``, a Core UPDATE on ``session``'s connection that sets ``columns`` of
    the rows of ``table`` with these primary keys (and of no others), and log each value it
    changed, as an ORM statement through the session is logged. What ``execute`` returns
    is returned."""
    if not ids:
        return execute()
    writer = _Writer(session)
    _unstage(writer.state, table.name)
    pk = next(iter(table.primary_key.columns))
    read = dict.fromkeys([pk.key, *(c for c in _NAMING_COLUMNS if c in table.c), *columns])
    query = select(*(table.c[key] for key in read))
    before = _dicts(session, query.where(pk.in_(ids)))
    result = execute()
    _log_updated(writer, table, before, query)
    writer.write()
    return result


def _before_commit(session: Session) -> None:
    # Flushed first: the state is made by the first flush, and records added but not yet
    # flushed (a service that adds and commits) would otherwise be inserted by the commit's
    # own flush, after this, and never logged.
    session.flush()
    state = session.info.get(_INFO)
    if not isinstance(state, _State) or not (state.links or state.created):
        return
    writer = _Writer(session)
    rows = _log_created(session, writer, dict(state.created))
    state.created.clear()
    _log_links(session, writer, state.links, rows)
    state.links.clear()
    writer.write()


Rows = dict[tuple[str, Any], dict[str, Any]]  # (table, id) -> the row's values


def _log_created(
    session: Session, writer: _Writer, created: Mapping[tuple[str, Any], dict[str, Any] | None]
) -> Rows:
    """Log rows created in this transaction with their final values (as inserted, or read
    back in a few reads per table); the rows' values, for the links' entries."""
    rows: Rows = {}
    by_table: dict[str, list[Any]] = {}
    unread: dict[str, list[Any]] = {}
    for key, staged in created.items():
        by_table.setdefault(key[0], []).append(key[1])
        if staged is None:
            unread.setdefault(key[0], []).append(key[1])
        else:
            rows[key] = staged
    for table_name, ids in unread.items():
        table = Base.metadata.tables[table_name]
        pk = next(iter(table.primary_key.columns))
        for chunk in _chunks(ids):
            for row in session.connection().execute(select(table).where(pk.in_(chunk))):
                values = dict(row._mapping)
                rows[(table_name, values[pk.key])] = values
    for table_name, ids in by_table.items():
        table = Base.metadata.tables[table_name]
        for column in table.columns:
            if column.foreign_keys and column.key.endswith("_id"):
                target = next(iter(column.foreign_keys)).column.table.name
                writer.prefetch(
                    target,
                    (rows[(table_name, i)][column.key] for i in ids if (table_name, i) in rows),
                )
    for key in created:
        found = rows.get(key)
        if found is not None:
            table = Base.metadata.tables[key[0]]
            writer.add(table, found, CREATED, new=writer.readable(table, found))
    return rows


def _log_links(
    session: Session,
    writer: _Writer,
    links: Mapping[tuple[str, int], frozenset[int]],
    rows: Rows,
) -> None:
    """Log the many-to-many fields changed in this transaction, old list -> new list
    (owners created in it are in ``rows`` already)."""
    by_table: dict[str, list[int]] = {}
    for table_name, owner_id in links:
        by_table.setdefault(table_name, []).append(owner_id)
    after: dict[tuple[str, int], frozenset[int]] = {}
    owners: dict[tuple[str, int], dict[str, Any]] = {}
    # link table -> (owner table, target table, the target labels known)
    tables: dict[str, tuple[Table, str, dict[int, str]]] = {}
    for table_name, owner_ids in by_table.items():
        info = _LINK_TABLES[table_name]
        for owner_id, targets in _links_of(session, info, owner_ids).items():
            after[(table_name, owner_id)] = targets
        changed = [o for o in owner_ids if after[(table_name, o)] != links[(table_name, o)]]
        owner_table = Base.metadata.tables[info.owner_table]
        owner_pk = next(iter(owner_table.primary_key.columns))
        unread = []
        for owner_id in changed:
            found = rows.get((info.owner_table, owner_id))
            if found is None:
                unread.append(owner_id)
            else:
                owners[(table_name, owner_id)] = found
        for chunk in _chunks(sorted(unread)):
            for row in session.connection().execute(select(owner_table).where(owner_pk.in_(chunk))):
                owners[(table_name, int(row._mapping[owner_pk.key]))] = dict(row._mapping)
        target = next(iter(info.table.c[info.target].foreign_keys)).column.table.name
        writer.prefetch(
            target,
            {t for o in changed for t in links[(table_name, o)] | after[(table_name, o)]},
        )
        tables[table_name] = (owner_table, target, writer.labels_of(target))
    for key, before in sorted(links.items()):
        now = after[key]
        owner = owners.get(key)
        if now == before or owner is None:
            continue  # unchanged, or the owner itself was deleted (logged with its snapshot)
        owner_table, target, labels = tables[key[0]]
        old = sorted([labels.get(t) or writer.label(target, t) for t in before])
        new = sorted([labels.get(t) or writer.label(target, t) for t in now])
        writer.add(owner_table, owner, UPDATED, _LINK_TABLES[key[0]].field, old, new)


def watch(factory: sessionmaker[Session]) -> None:
    """Log every change made through sessions of ``factory`` (a project's sessionmaker)."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_end", _reset)
