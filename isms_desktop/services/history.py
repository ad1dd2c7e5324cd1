"""Read the audit trail: one record's history, the project-wide change log, Excel export.

The log is written by ``storage.audit_trail`` as records change; this module only reads it
(there is deliberately no function that edits or deletes log entries).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.fields import Field, Kind, display_value
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services.registers import find_in
from isms_desktop.services.risk_method import method_in
from isms_desktop.storage.file_modes import as_user_file
from isms_desktop.storage.models import ChangeLog
from isms_desktop.storage.project_file import Project

HEADERS = ("When (UTC)", "User", "OS user", "Register", "Record", "Field", "Old", "New", "Change")


@dataclass(frozen=True)
class LogEntry:
    """One change: when (UTC), who, which record and field, old → new (as display text).

    ``field``, ``old`` and ``new`` are as logged (the field's name, choices by their stored
    value); ``field_label``, ``old_label`` and ``new_label`` say the same in the register's
    words: the column's header, choices and risk levels by their labels, a new or deleted
    record's values under their headers."""

    id: int
    at: dt.datetime
    user: str
    os_user: str
    register: str
    record: str
    field: str
    old: str
    new: str
    kind: str
    field_label: str = ""
    old_label: str = ""
    new_label: str = ""


@dataclass(frozen=True)
class LogFilter:
    """What the change log shows; empty parts do not filter. Dates are UTC days, inclusive."""

    register: str | None = None
    user: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None


def _words_of(stored: str | None, show: Callable[[Any], str]) -> tuple[str, str]:
    """A logged value (JSON text, read once) as logged and as ``show`` shows it: "" for
    none, text that is not JSON as it is."""
    if stored is None:
        return "", ""
    try:
        value = json.loads(stored)
    except ValueError:
        return stored, stored
    return _show(value), show(value)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        parts = [f"{k}: {_show(v)}" for k, v in value.items() if v not in (None, "", [], {})]
        return "; ".join(parts)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_COLUMN_NAME = re.compile(r"[a-z]+(_[a-z]+)*")


class _Words:
    """Fields and values of the log in the registers' words (headers, choice labels, the
    risk method's level names); what no register describes is shown as logged."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._levels: dict[str, str] | None = None

    def field(self, register: str, name: str) -> Field | None:
        try:
            return SPECS[register].field(name)
        except KeyError:  # no register, or a field it does not show (or none: a record)
            return None

    def header(self, register: str, name: str) -> str:
        found = self.field(register, name)
        if found is not None:
            return found.header
        if _COLUMN_NAME.fullmatch(name):  # a column no register shows ("acceptance_level")
            return name.replace("_", " ").capitalize()
        return name  # a child row's field ("measurement 2026-03-31: value"), as logged

    def texts(self, register: str, name: str, stored: str | None) -> tuple[str, str]:
        """A logged value as logged and in the register's words."""
        return _words_of(stored, functools.partial(self._value, register, name))

    def _value(self, register: str, name: str, value: Any) -> str:
        if isinstance(value, dict) and not name:  # a record's values when created or deleted
            parts = [
                f"{self.header(register, k)}: {self._shown(register, k, v)}"
                for k, v in value.items()
                if v not in (None, "", [], {})
            ]
            return "; ".join(parts)
        return self._shown(register, name, value)

    def _shown(self, register: str, name: str, value: Any) -> str:
        found = self.field(register, name)
        if found is None or value is None or isinstance(value, dict):
            return _show(value)
        if found.kind is Kind.LEVEL:
            return self.level_names().get(str(value), str(value))
        if found.kind in (Kind.BOOL, Kind.CHOICE, Kind.LIST):
            return display_value(found, value)
        return _show(value)

    def level_names(self) -> dict[str, str]:
        if self._levels is None:
            try:
                levels = method_in(self._session).levels
            except IsmsError:
                levels = ()
            self._levels = {level.code: level.label for level in levels}
        return self._levels


def _entry(row: ChangeLog, words: _Words) -> LogEntry:
    field = row.field or ""
    old, old_label = words.texts(row.register, field, row.old_value)
    new, new_label = words.texts(row.register, field, row.new_value)
    return LogEntry(
        id=row.id,
        at=row.at,
        user=row.user_name,
        os_user=row.os_user,
        register=row.register,
        record=row.record_code,
        field=field,
        old=old,
        new=new,
        kind=row.kind,
        field_label=words.header(row.register, field),
        old_label=old_label,
        new_label=new_label,
    )


def record_history(project: Project, register: str, code: str) -> list[LogEntry]:
    """Every logged change of one record (and of its child rows), newest first."""
    with project.reading() as session:
        try:
            obj = find_in(session, register, code)
        except IsmsError:
            obj = None  # deleted since: its history is still in the log
        condition = and_(ChangeLog.register == register, ChangeLog.record_code == code)
        if obj is not None:
            table = type(obj).__table__.name
            condition = or_(
                condition,
                and_(ChangeLog.table_name == table, ChangeLog.record_id == obj.id),
            )
        stmt = select(ChangeLog).where(condition).order_by(ChangeLog.id.desc())
        words = _Words(session)
        return [_entry(row, words) for row in session.scalars(stmt)]


def _filtered(stmt: Select[Any], where: LogFilter) -> Select[Any]:
    if where.register:
        stmt = stmt.where(ChangeLog.register == where.register)
    if where.user:
        stmt = stmt.where(or_(ChangeLog.user_name == where.user, ChangeLog.os_user == where.user))
    if where.since:
        stmt = stmt.where(ChangeLog.at >= dt.datetime.combine(where.since, dt.time()))
    if where.until:
        end = dt.datetime.combine(where.until + dt.timedelta(days=1), dt.time())
        stmt = stmt.where(ChangeLog.at < end)
    if where.text and where.text.strip():
        escaped = where.text.strip().lower().replace("\\", "\\\\")
        pattern = "%" + escaped.replace("%", "\\%").replace("_", "\\_") + "%"
        columns = (
            ChangeLog.record_code,
            ChangeLog.field,
            ChangeLog.old_value,
            ChangeLog.new_value,
            ChangeLog.user_name,
        )
        stmt = stmt.where(or_(*(func.lower(c).like(pattern, escape="\\") for c in columns)))
    return stmt


def change_log(
    project: Project, where: LogFilter | None = None, *, limit: int | None = None, offset: int = 0
) -> list[LogEntry]:
    """The project-wide log, newest first, filtered."""
    stmt = _filtered(select(ChangeLog), where or LogFilter()).order_by(ChangeLog.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    with project.reading() as session:
        words = _Words(session)
        return [_entry(row, words) for row in session.scalars(stmt)]


def count(project: Project, where: LogFilter | None = None) -> int:
    stmt = _filtered(select(func.count()).select_from(ChangeLog), where or LogFilter())
    with project.reading() as session:
        return int(session.scalar(stmt) or 0)


def users(project: Project) -> list[str]:
    """Everyone who appears in the log (configured names), for a filter."""
    with project.reading() as session:
        stmt = select(ChangeLog.user_name).distinct().order_by(ChangeLog.user_name)
        return [str(u) for u in session.scalars(stmt)]


def registers(project: Project) -> list[str]:
    with project.reading() as session:
        stmt = select(ChangeLog.register).distinct().order_by(ChangeLog.register)
        return [str(r) for r in session.scalars(stmt)]


def _row(entry: LogEntry) -> list[Any]:
    return [
        entry.at.replace(microsecond=0),
        entry.user,
        entry.os_user,
        entry.register,
        entry.record,
        entry.field,
        entry.old,
        entry.new,
        entry.kind,
    ]


def _cell(text: Any) -> Any:
    # A value starting with "=" must stay text in Excel, never become a formula.
    if isinstance(text, str):
        text = text[:32_000]
        if text[:1] in ("=", "+", "-", "@"):
            return "'" + text
    return text


def export_change_log(project: Project, target: Path, where: LogFilter | None = None) -> int:
    """Write the (filtered) log to an Excel workbook; returns the number of entries."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    entries = change_log(project, where)
    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = "Change log"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        sheet.append([_cell(v) for v in _row(entry)])
    for column, width in zip("ABCDEFGHI", (20, 18, 14, 16, 14, 24, 40, 40, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    target = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".log-", suffix=".xlsx", dir=target.parent)
        os.close(fd)
        try:
            # built in memory first: a full disk then fails in our own write, not inside
            # openpyxl's zip writer (which would leave a half-closed ZipFile behind)
            buffer = io.BytesIO()
            book.save(buffer)
            with open(tmp, "wb") as handle:
                handle.write(buffer.getbuffer())
                handle.flush()
                os.fsync(handle.fileno())
            as_user_file(tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise IsmsError(
            f"the change log could not be written to {target} ({exc.strerror or exc}); "
            "check the folder exists, is writable and has space"
        ) from exc
    return len(entries)
