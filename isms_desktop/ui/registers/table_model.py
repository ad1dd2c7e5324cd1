"""A table model over one register, driven by its ``RegisterSpec``.

Sorting and filtering happen in SQL (``registers.query_ids``); the model keeps only the
ordered ids and fetches the rows it is asked to show in pages, so a register of 100,000
rows opens as fast as one of ten. Edits are not written here: ``setData`` hands them to
``commit_edit`` (the view pushes an undo command that calls the services).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.fields import Field, Kind
from isms_desktop.domain.register_specs import spec as register_spec
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services import registers
from isms_desktop.services.risk_method import current_method
from isms_desktop.storage.project_file import Project
from isms_desktop.storage.registers import FIXED_VALUES

Index = QModelIndex | QPersistentModelIndex

# The role that carries a row's record code (for selection by code, undo, attachments).
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

# Fields whose values cannot be ordered in SQL (link tables).
_UNSORTABLE = (Kind.REFS,)
_TOOLTIP_FROM = 30  # characters; shorter values are read in the cell itself

_OVERDUE_COLOUR = "#c62828"  # due dates passed on open actions
_CLOSED_STATUSES = ("done", "cancelled", "closed", "verified")
_NOTE_COLOUR = "#ffe0b2"  # a light orange behind cells with a warning
_NAMED_REFS_UP_TO = 2000  # records; larger registers are referred to by code alone

CommitEdit = Callable[[str, Field, Any], bool]


def _name_field(register: str) -> str | None:
    """The field that names a record (the first required text after the code)."""
    for f in register_spec(register).fields[1:]:
        if f.kind is Kind.TEXT and f.required:
            return f.name
    return None


def contrasting_text(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    luminance = 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()
    return QColor("#000000") if luminance > 0.55 else QColor("#ffffff")


def rich_tooltip(text: str) -> str:
    """Rich text wraps in a tooltip; plain text would run across the screen."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


class RegisterTableModel(QAbstractTableModel):
    """Rows of one register in SQL order; rows fetched lazily, ``PAGE`` at a time."""

    PAGE = 100
    MAX_CACHED = 4000

    loaded = Signal()  # after every reload (the counts may have changed)
    failed = Signal(str)  # a message the user should see

    def __init__(self, register: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.register = register
        self.spec = register_spec(register)
        self.fields: tuple[Field, ...] = self.spec.fields
        self._project: Project | None = None
        self._ids: list[int] = []
        self._cache: dict[int, registers.RecordRow] = {}
        self._method: RiskMethod | None = None
        self._choices: dict[str, list[tuple[str, str]]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._notes: dict[tuple[str, str], str] = {}
        self._sort: str | None = None
        self._descending = False
        self._text = ""
        self._equals: dict[str, Any] = {}
        self.total = 0
        self.fetches = 0  # how many fetch() calls were made (lazy loading is observable)
        self.commit_edit: CommitEdit | None = None

    # -- the data source -------------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def method(self) -> RiskMethod | None:
        return self._method

    @property
    def read_only(self) -> bool:
        return self._project is None or self._project.read_only

    def set_project(self, project: Project | None) -> None:
        self._project = project
        self.reload()

    def set_query(
        self,
        *,
        text: str | None = None,
        equals: Mapping[str, Any] | None = None,
    ) -> None:
        """Change the text filter and/or the field filters, then reload."""
        if text is not None:
            self._text = text
        if equals is not None:
            self._equals = {k: v for k, v in equals.items() if v not in (None, "")}
        self.reload()

    @property
    def text_filter(self) -> str:
        return self._text

    @property
    def equals(self) -> dict[str, Any]:
        return dict(self._equals)

    @property
    def sort_field(self) -> str | None:
        return self._sort

    def _query(self) -> list[int]:
        assert self._project is not None
        return registers.query_ids(
            self._project,
            self.register,
            sort=self._sort,
            descending=self._descending,
            text=self._text or None,
            equals=self._equals or None,
        )

    def reload(self) -> None:
        """Re-run the query; keep persistent indexes (selection) on the same records."""
        new_ids: list[int] = []
        total = 0
        self._choices.clear()
        self._names.clear()
        if self._project is not None:
            try:
                if any(f.kind in (Kind.LEVEL, Kind.SCALE) for f in self.fields):
                    self._method = current_method(self._project)
                new_ids = self._query()
                total = registers.count(self._project, self.register)
            except IsmsError as exc:
                self.failed.emit(str(exc))
                new_ids, total = [], 0
        self.total = total
        self._cache.clear()
        if len(new_ids) != len(self._ids):
            self.beginResetModel()
            self._ids = new_ids
            self.endResetModel()
        elif new_ids == self._ids:
            if new_ids:
                last = self.index(len(new_ids) - 1, len(self.fields) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
        else:
            self.layoutAboutToBeChanged.emit()
            position = {row_id: row for row, row_id in enumerate(new_ids)}
            old_ids = self._ids
            persistent = self.persistentIndexList()
            targets = []
            for idx in persistent:
                row = position.get(old_ids[idx.row()]) if 0 <= idx.row() < len(old_ids) else None
                targets.append((row, idx.column()))
            self._ids = new_ids
            self.changePersistentIndexList(
                persistent,
                [self.index(r, c) if r is not None else QModelIndex() for r, c in targets],
            )
            self.layoutChanged.emit()
        self.loaded.emit()

    def set_notes(self, notes: Mapping[tuple[str, str], str]) -> None:
        """Warnings shown in place: (record code, field name) → message (tinted cell)."""
        self._notes = dict(notes)
        if self._ids:
            last = self.index(len(self._ids) - 1, len(self.fields) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def note(self, code: str, field_name: str) -> str | None:
        return self._notes.get((code, field_name))

    def refresh_code(self, code: str) -> None:
        """Fetch one record again (after an edit) and repaint its row."""
        for row_id, cached in list(self._cache.items()):
            if cached.code == code:
                del self._cache[row_id]
                row = self.row_of_id(row_id)
                if row is not None:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.fields) - 1))

    # -- rows --------------------------------------------------------------------------------

    def record(self, row: int) -> registers.RecordRow | None:
        """The record shown in ``row`` (fetched with its page when not cached)."""
        if not 0 <= row < len(self._ids) or self._project is None:
            return None
        row_id = self._ids[row]
        cached = self._cache.get(row_id)
        if cached is not None:
            return cached
        if len(self._cache) > self.MAX_CACHED:
            self._cache.clear()
        start = row - row % self.PAGE
        page = [i for i in self._ids[start : start + self.PAGE] if i not in self._cache]
        try:
            fetched = registers.fetch(self._project, self.register, page)
        except IsmsError as exc:
            self.failed.emit(str(exc))
            return None
        self.fetches += 1
        for rec in fetched:
            self._cache[rec.id] = rec
        return self._cache.get(row_id)

    def row_of_id(self, row_id: int) -> int | None:
        try:
            return self._ids.index(row_id)
        except ValueError:
            return None

    def row_of_code(self, code: str) -> int | None:
        """Where a record is shown (looked up by id in SQL, so it works at any size)."""
        if self._project is None:
            return None
        for row_id, cached in self._cache.items():
            if cached.code == code:
                return self.row_of_id(row_id)
        try:
            wanted = registers.get(self._project, self.register, code).id
        except IsmsError:
            return None
        return self.row_of_id(wanted)

    def ids(self) -> list[int]:
        return list(self._ids)

    def field_at(self, column: int) -> Field:
        return self.fields[column]

    def column_of(self, name: str) -> int:
        for column, f in enumerate(self.fields):
            if f.name == name:
                return column
        raise KeyError(name)

    def is_editable(self, f: Field) -> bool:
        if self.read_only or f.computed or f.kind is Kind.LEVEL:
            return False
        if f.name in FIXED_VALUES.get(self.register, {}):
            return False
        return not (f.name == "code" and self.spec.fixed_rows)

    def is_sortable(self, column: int) -> bool:
        return self.fields[column].kind not in _UNSORTABLE

    # -- choices for editors and filters ------------------------------------------------------

    def choices(self, f: Field) -> list[tuple[str, str]]:
        """(stored value, label) pairs a field may take, for combo boxes and pickers."""
        cached = self._choices.get(f.name)
        if cached is not None:
            return cached
        found: list[tuple[str, str]] = []
        if f.kind is Kind.CHOICE:
            found = list(f.choice_labels.items())
        elif f.kind is Kind.SCALE and self._method is not None:
            found = [(str(s.value), f"{s.value} {s.label}") for s in self._method.scale(f.scale)]
        elif f.kind is Kind.LEVEL and self._method is not None:
            found = [(lv.code, lv.label) for lv in self._method.levels]
        elif f.kind in (Kind.PERSON, Kind.REF, Kind.REFS) and self._project is not None:
            target = "people" if f.kind is Kind.PERSON else str(f.ref)
            try:
                found = registers.reference_choices(self._project, target)
            except IsmsError as exc:
                self.failed.emit(str(exc))
            if f.kind is not Kind.PERSON:
                names = self.ref_names(target)
                found = [(code, names.get(code) or label) for code, label in found]
        self._choices[f.name] = found
        return found

    def ref_names(self, target: str) -> dict[str, str]:
        """Code → name of the records of a (small) register that a REF field points to."""
        cached = self._names.get(target)
        if cached is not None:
            return cached
        names: dict[str, str] = {}
        if self._project is not None:
            try:
                if target == "controls":
                    names = dict(registers.reference_choices(self._project, target))
                elif registers.count(self._project, target) <= _NAMED_REFS_UP_TO:
                    label = _name_field(target)
                    if label is not None:
                        names = {
                            row.code: str(row.values.get(label) or "")
                            for row in registers.list_rows(self._project, target)
                        }
            except IsmsError:
                names = {}
        self._names[target] = names
        return names

    def ref_text(self, f: Field, value: Any) -> str:
        if not value:
            return ""
        name = self.ref_names(str(f.ref)).get(str(value), "")
        return f"{value} – {name}" if name else str(value)

    def scale_text(self, f: Field, value: Any) -> str:
        if value is None or self._method is None:
            return "" if value is None else str(value)
        for level in self._method.scale(f.scale):
            if level.value == value:
                return f"{level.value} {level.label}"
        return str(value)

    def _scale_description(self, f: Field, value: Any) -> str:
        if self._method is None:
            return ""
        for level in self._method.scale(f.scale):
            if level.value == value:
                return f"{level.value} {level.label}: {level.description}".rstrip(": ")
        return ""

    # -- Qt's model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.fields):
            return None
        f = self.fields[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f.header
        if role == Qt.ItemDataRole.ToolTipRole:
            names = {"C": "Confidentiality", "I": "Integrity", "A": "Availability"}
            tip = names.get(f.header, f.header)
            if f.help:
                tip += f" — {f.help}"
            if f.computed or f.kind is Kind.LEVEL:
                tip += " " + self.tr("(filled in automatically)")
            return tip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.fields):
            return None
        rec = self.record(index.row())
        if rec is None:
            return None
        f = self.fields[index.column()]
        value = rec.values.get(f.name)
        R = Qt.ItemDataRole
        if role == R.DisplayRole:
            if f.kind is Kind.BOOL:
                return None
            if f.kind is Kind.SCALE:
                return self.scale_text(f, value)
            if f.kind is Kind.REF:
                return self.ref_text(f, value)
            return rec.display.get(f.name, "").replace("\n", " ")
        if role == R.EditRole:
            return value
        if role == R.CheckStateRole and f.kind is Kind.BOOL:
            if value is None:
                return Qt.CheckState.PartiallyChecked
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        note = self._notes.get((rec.code, f.name)) if self._notes else None
        if role == R.ToolTipRole:
            tip = self._tooltip(f, value, rec.display.get(f.name, ""))
            if self._overdue(f, rec):
                tip = self.tr("Overdue: due {0} and not done").format(value)
            if note is None:
                return tip
            plain = tip if tip and not tip.startswith("<") else ""
            return f"⚠ {note}" + (f"\n\n{plain}" if plain else "")
        if note is not None and role == R.BackgroundRole and f.kind is not Kind.LEVEL:
            return QBrush(QColor(_NOTE_COLOUR))
        if role in (R.BackgroundRole, R.ForegroundRole) and f.kind is Kind.LEVEL:
            info = self._method.level_info(value) if self._method else None
            if info is None:
                return None
            colour = QColor(info.colour)
            if not colour.isValid():
                return None
            return QBrush(colour if role == R.BackgroundRole else contrasting_text(colour))
        if role == R.ForegroundRole and self._overdue(f, rec):
            return QBrush(QColor(_OVERDUE_COLOUR))
        if role == R.TextAlignmentRole:
            if f.kind in (Kind.INT, Kind.NUMBER):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if f.kind is Kind.LEVEL:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == CODE_ROLE:
            return rec.code
        if role == ID_ROLE:
            return rec.id
        return None

    def _overdue(self, f: Field, rec: registers.RecordRow) -> bool:
        """A due date that has passed while the action is still open."""
        if f.name != "due_date" or not isinstance(rec.values.get("due_date"), dt.date):
            return False
        status = rec.values.get("status")
        return status not in _CLOSED_STATUSES and rec.values["due_date"] < dt.date.today()

    def _tooltip(self, f: Field, value: Any, display: str) -> str | None:
        if f.kind is Kind.BOOL:
            names = {"C": "Confidentiality", "I": "Integrity", "A": "Availability"}
            state = {None: self.tr("not decided"), True: self.tr("yes"), False: self.tr("no")}
            return f"{names.get(f.header, f.header)}: {state.get(value, str(value))}"
        if f.kind is Kind.REF and value:
            return rich_tooltip(self.ref_text(f, value))
        if f.kind is Kind.PERSON and value:
            return f"{value} – {display}" if display and display != value else str(value)
        if f.kind is Kind.SCALE and value is not None:
            return self._scale_description(f, value) or None
        if f.kind is Kind.LEVEL and display:
            accept = ""
            if self._method is not None and value is not None:
                ok = self._method.acceptable(str(value))
                accept = (
                    self.tr(" (acceptable)") if ok else self.tr(" (above the acceptance level)")
                )
            return display + accept
        if len(display) > _TOOLTIP_FROM or "\n" in display:
            return rich_tooltip(display)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        f = self.fields[index.column()]
        if self.is_editable(f):
            if f.kind is Kind.BOOL:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            else:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.commit_edit is None:
            return False
        f = self.fields[index.column()]
        if not self.is_editable(f):
            return False
        rec = self.record(index.row())
        if rec is None:
            return False
        if role == Qt.ItemDataRole.CheckStateRole and f.kind is Kind.BOOL:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        if value == rec.values.get(f.name):
            return False
        return self.commit_edit(rec.code, f, value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.fields) or not self.is_sortable(column):
            return
        self._sort = self.fields[column].name
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
