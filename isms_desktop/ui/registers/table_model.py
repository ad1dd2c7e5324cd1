"""A table model over one register, driven by its ``RegisterSpec``.

Sorting and filtering happen in SQL (``registers.Query``); the model keeps only the count
of the rows and fetches the pages of rows it is asked to show, by their offset in the
order, so a register of 100,000 rows opens as fast as one of ten. Edits are not written
here: ``setData`` hands them to ``commit_edit`` (the view pushes an undo command that calls
the services).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
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
from isms_desktop.ui.colours import contrasting_text

Index = QModelIndex | QPersistentModelIndex
_log = logging.getLogger(__name__)

# The role that carries a row's record code (for selection by code, undo, attachments).
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

# Fields whose values cannot be ordered in SQL (link tables).
_UNSORTABLE = (Kind.REFS,)
_TOOLTIP_FROM = 30  # characters; shorter values are read in the cell itself

_OVERDUE_COLOUR = "#c62828"  # due dates passed on open actions
_CLOSED_STATUSES = ("done", "cancelled", "closed", "verified", "achieved", "missed")
# the date that can be overdue, by register
_DATED = {
    "treatment": "due_date",
    "actions": "due_date",
    "risks": "next_review",
    "objectives": "due_date",
}
_NOTE_COLOUR = "#ffe0b2"  # a light orange behind cells with a warning
_NAMED_REFS_UP_TO = 2000  # records; larger registers are referred to by code alone

CommitEdit = Callable[[str, Field, Any], bool]

_R = Qt.ItemDataRole
_DISPLAY, _EDIT, _CHECK, _TOOLTIP = _R.DisplayRole, _R.EditRole, _R.CheckStateRole, _R.ToolTipRole
_BACKGROUND, _FOREGROUND, _ALIGNMENT = _R.BackgroundRole, _R.ForegroundRole, _R.TextAlignmentRole
# the roles the model answers (the view asks for a dozen more for every cell it paints)
_ROLES = frozenset(
    int(r) for r in (_DISPLAY, _EDIT, _CHECK, _TOOLTIP, _BACKGROUND, _FOREGROUND, _ALIGNMENT)
) | {CODE_ROLE, ID_ROLE}


@dataclass
class _Shown:
    """What the cells of one row show."""

    record: registers.RecordRow
    texts: list[str | None]
    backgrounds: list[QBrush | None]  # empty: no cell of the row is coloured
    foregrounds: list[QBrush | None]


def _name_field(register: str) -> str | None:
    """The field that names a record (the first required text after the code)."""
    for f in register_spec(register).fields[1:]:
        if f.kind is Kind.TEXT and f.required:
            return f.name
    return None


def _alignment(f: Field) -> int | None:
    if f.kind in (Kind.INT, Kind.NUMBER):
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if f.kind is Kind.LEVEL:
        return int(Qt.AlignmentFlag.AlignCenter)
    return None


_PAINTED_CHARS = 1_000  # of a cell's text: more never fits on its line (laying it out is slow)


def rich_tooltip(text: str) -> str:
    """Rich text wraps in a tooltip; plain text would run across the screen."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


class RegisterTableModel(QAbstractTableModel):
    """Rows of one register in SQL order, fetched a page (``PAGE`` rows) at a time.

    The model never holds the whole result: it knows how many rows the query gives (a
    count) and asks SQL for a page of rows by its offset in that order when the view
    paints it. Where a record is shown is asked of SQL too (a count of the rows before it),
    so selection, "go to record" and undo work at any size.
    """

    PAGE = 100
    MAX_CACHED = 4000  # rows kept; beyond that the pages are fetched again when shown
    MAX_KEPT = 20  # records whose place survives a reload (current row, selection corners)
    # From this size on, the rows a text or field filter leaves are counted on a thread of
    # their own while the first page is shown (counting means reading every row).
    COUNT_AHEAD_FROM = 20_000

    loaded = Signal()  # after every reload (the counts may have changed)
    failed = Signal(str)  # a message the user should see
    _counted = Signal(int, int)  # (generation, rows): from the counting thread

    def __init__(self, register: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.register = register
        self.spec = register_spec(register)
        self.fields: tuple[Field, ...] = self.spec.fields
        self._project: Project | None = None
        self._rows = 0  # rows the query gives
        self._pages: dict[int, list[int]] = {}  # page number → the ids shown there
        self._cache: dict[int, registers.RecordRow] = {}
        self._shown: dict[int, _Shown] = {}  # row → its prepared cells
        self._brushes: dict[Any, tuple[QBrush | None, QBrush | None]] = {}
        self._flags: list[Qt.ItemFlag] | None = None
        self._alignments = tuple(_alignment(f) for f in self.fields)
        self._method: RiskMethod | None = None
        self._choices: dict[str, list[tuple[str, str]]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._notes: dict[tuple[str, str], str] = {}
        self._sort: str | None = None
        self._descending = False
        self._text = ""
        self._equals: dict[str, Any] = {}
        self._frozen = False  # no fetching while the view reads the rows before a reset
        self._generation = 0  # of the running count; older counts are ignored
        self._counter: threading.Thread | None = None
        self._known: tuple[Any, int] | None = None  # (filters, project generation) counted
        self.counting = False  # rowCount is the rows fetched so far; the count follows
        self._counting_for: Any = None
        self._counted.connect(self._on_counted)
        self.total = 0  # rows of the register, filtered or not
        self.fetches = 0  # how many pages were fetched (lazy loading is observable)
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
        if project is not self._project:
            self.stop_counting()
            self._known = None
        self._project = project
        self.reload()

    def stop_counting(self, timeout: float = 5.0) -> None:
        """Forget a running count and wait for its thread (before a project is closed)."""
        self._generation += 1
        self.counting = False
        counter, self._counter = self._counter, None
        if counter is not None:
            counter.join(timeout)

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

    @property
    def query(self) -> registers.Query:
        """The filters and the order of the rows shown."""
        return registers.Query(
            self._sort, self._descending, self._text or None, dict(self._equals) or None
        )

    def reload(self) -> None:
        """Re-run the query; keep persistent indexes (selection) on the same records."""
        kept = self._kept_ids()
        rows, total = 0, 0
        first: list[registers.RecordRow] | None = None  # the first page, when fetched here
        self._choices.clear()
        self._names.clear()
        query = self.query
        if self._project is not None:
            try:
                if any(f.kind in (Kind.LEVEL, Kind.SCALE) for f in self.fields):
                    self._method = current_method(self._project)
                rows, total, first = self._count(self._project, query)
            except IsmsError as exc:
                self.failed.emit(str(exc))
                rows, total, first = 0, 0, None
        self.total = total
        if rows != self._rows or first is not None:
            self._frozen = True  # the view reads its current record: from the old pages
            self.beginResetModel()
            self._frozen = False
            self._forget()
            self._rows = rows
            if first is not None:
                self._keep_page(0, first)
            self.endResetModel()
        else:
            self.layoutAboutToBeChanged.emit()
            persistent = self.persistentIndexList()
            self._forget()
            places = self._positions([i for i in kept.values() if i is not None])
            targets = []
            for idx in persistent:
                row_id = kept.get(idx.row())
                row = places.get(row_id) if row_id is not None else None
                targets.append(self.index(row, idx.column()) if row is not None else QModelIndex())
            self.changePersistentIndexList(persistent, targets)
            self.layoutChanged.emit()
        self.loaded.emit()

    def _count(
        self, project: Project, query: registers.Query
    ) -> tuple[int, int, list[registers.RecordRow] | None]:
        """(rows shown, rows of the register, the first page if fetched here).

        The register's own count is cheap (an index); a filter's count reads every row. It
        is kept while neither the filters nor the data change (a new order needs none),
        and in large registers it runs on a thread while the first page is shown."""
        total = registers.count(project, self.register)
        if not query.filtered:
            self.stop_counting()
            return total, total, None
        known = (repr((query.text, sorted((query.equals or {}).items()))), project.generation)
        if self._known is not None and self._known[0] == known:
            return self._known[1], total, None
        if self.counting and self._counting_for == known:
            return self._rows, total, None  # its count is on the way
        earlier = self._known
        self.stop_counting()
        if total < self.COUNT_AHEAD_FROM or not project.concurrent_reads:
            rows = registers.query_count(project, self.register, query)
            self._known = (known, rows)
            return rows, total, None
        if earlier is not None and earlier[0][0] == known[0] and earlier[1] == self._rows:
            # the same filters after an edit: the rows stay where they are (no reset) and
            # the count corrects their number when it arrives
            self._count_ahead(project, query, known)
            return self._rows, total, None
        first = registers.query_page(project, self.register, query, 0, self.PAGE)
        self.fetches += 1
        if len(first) < self.PAGE:  # all of them
            self._known = (known, len(first))
            return len(first), total, first
        self._count_ahead(project, query, known)
        return len(first), total, first

    def _count_ahead(self, project: Project, query: registers.Query, known: Any) -> None:
        generation = self._generation
        self.counting = True
        self._counting_for = known

        def count() -> None:
            try:
                rows = registers.query_count(project, self.register, query)
            except Exception:
                _log.debug("counting %s in the background failed", self.register, exc_info=True)
                rows = -1
            self._counted.emit(generation, rows)

        self._counter = threading.Thread(target=count, name=f"count {self.register}", daemon=True)
        self._counter.start()

    def _on_counted(self, generation: int, rows: int) -> None:
        if generation != self._generation or not self.counting:
            return
        self.counting = False
        self._counter = None
        if rows < 0:
            return
        self._known = (self._counting_for, rows)
        if rows > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, rows - 1)
            self._rows = rows
            self.endInsertRows()
        elif rows < self._rows:
            self.beginRemoveRows(QModelIndex(), rows, self._rows - 1)
            self._rows = rows
            for number in [n for n in self._pages if n * self.PAGE >= rows]:
                del self._pages[number]
            self._shown = {r: shown for r, shown in self._shown.items() if r < rows}
            self.endRemoveRows()
        self.loaded.emit()

    def _keep_page(self, number: int, fetched: list[registers.RecordRow]) -> None:
        self._pages[number] = [rec.id for rec in fetched]
        for rec in fetched:
            self._cache[rec.id] = rec

    def _forget(self) -> None:
        self._pages.clear()
        self._cache.clear()
        self._shown.clear()
        self._brushes.clear()
        self._flags = None

    def _kept_ids(self) -> dict[int, int | None]:
        """Row → id of the rows persistent indexes point at (those whose ids are known)."""
        rows = sorted({idx.row() for idx in self.persistentIndexList() if idx.isValid()})
        return {row: self._id_at(row) for row in rows[: self.MAX_KEPT]}

    def _positions(self, ids: list[int]) -> dict[int, int]:
        if not ids or self._project is None:
            return {}
        try:
            return registers.query_positions(self._project, self.register, self.query, ids)
        except IsmsError as exc:
            self.failed.emit(str(exc))
            return {}

    def _id_at(self, row: int) -> int | None:
        """The id shown in ``row`` if its page is known (no query)."""
        page = self._pages.get(row // self.PAGE)
        offset = row % self.PAGE
        return page[offset] if page is not None and offset < len(page) else None

    def set_notes(self, notes: Mapping[tuple[str, str], str]) -> None:
        """Warnings shown in place: (record code, field name) → message (tinted cell)."""
        self._notes = dict(notes)
        self._shown.clear()
        if self._rows:
            last = self.index(self._rows - 1, len(self.fields) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def note(self, code: str, field_name: str) -> str | None:
        return self._notes.get((code, field_name))

    def refresh_codes(self, codes: Iterable[str]) -> None:
        """Fetch these records again when shown (after an edit) and repaint their rows:
        one pass over the cached rows, however many records changed (a multi-select edit
        of thousands)."""
        wanted = set(codes)
        stale = [row_id for row_id, cached in self._cache.items() if cached.code in wanted]
        if not stale:
            return
        positions = {
            row_id: number * self.PAGE + offset
            for number, ids in self._pages.items()
            for offset, row_id in enumerate(ids)
        }
        rows = []
        for row_id in stale:
            del self._cache[row_id]
            row = positions.get(row_id)
            if row is not None:
                self._shown.pop(row, None)
                rows.append(row)
        if rows:
            last = len(self.fields) - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))

    # -- rows --------------------------------------------------------------------------------

    def record(self, row: int) -> registers.RecordRow | None:
        """The record shown in ``row`` (fetched with its page when not cached)."""
        if not 0 <= row < self._rows or self._project is None:
            return None
        row_id = self._id_at(row)
        cached = self._cache.get(row_id) if row_id is not None else None
        if cached is not None or self._frozen:
            return cached
        if len(self._cache) > self.MAX_CACHED:
            self._cache.clear()
        number = row // self.PAGE
        try:
            fetched = registers.query_page(
                self._project, self.register, self.query, number * self.PAGE, self.PAGE
            )
        except IsmsError as exc:
            self.failed.emit(str(exc))
            return None
        self.fetches += 1
        self._keep_page(number, fetched)
        offset = row % self.PAGE
        return fetched[offset] if offset < len(fetched) else None

    def _cached_row_of(self, row_id: int) -> int | None:
        for number, ids in self._pages.items():
            if row_id in ids:
                return number * self.PAGE + ids.index(row_id)
        return None

    def row_of_id(self, row_id: int, *, ask: bool = True) -> int | None:
        """Where a record is shown (None when the filters leave it out); ``ask=False``
        looks only in the rows fetched so far."""
        row = self._cached_row_of(row_id)
        if row is not None or not ask:
            return row
        row = self._positions([row_id]).get(row_id)
        return row if row is not None and row < self._rows else None

    def row_of_code(self, code: str) -> int | None:
        """Where a record is shown (looked up in SQL, so it works at any size)."""
        if self._project is None:
            return None
        for row_id, cached in self._cache.items():
            if cached.code == code:
                row = self._cached_row_of(row_id)
                if row is not None:
                    return row
        try:
            wanted = registers.id_of(self._project, self.register, code)
        except IsmsError:
            return None
        return None if wanted is None else self.row_of_id(wanted)

    def codes_of_rows(self, rows: list[int]) -> list[str]:
        """The codes shown in these rows, in their order: from the pages already fetched,
        or in one query of the codes alone (thousands of selected rows)."""
        rows = [r for r in rows if 0 <= r < self._rows]
        if not rows or self._project is None:
            return []
        known = [self._cache.get(i) for i in map(self._id_at, rows) if i is not None]
        if len(known) == len(rows) and all(known):
            return [rec.code for rec in known if rec is not None]
        first, last = min(rows), max(rows)
        try:
            found = registers.query_codes(
                self._project, self.register, self.query, first, last - first + 1
            )
        except IsmsError as exc:
            self.failed.emit(str(exc))
            return []
        return [found[r - first][1] for r in rows if r - first < len(found)]

    def records_of_rows(self, rows: list[int], chunk: int = 2000) -> Iterator[registers.RecordRow]:
        """The records shown in these rows, in order: the fetched ones from the cache, the
        others read in long runs (copying thousands of rows reads each page once)."""
        wanted = sorted(r for r in set(rows) if 0 <= r < self._rows)
        if self._project is None:
            return
        start = 0
        while start < len(wanted):
            row = wanted[start]
            row_id = self._id_at(row)
            cached = self._cache.get(row_id) if row_id is not None else None
            if cached is not None:
                yield cached
                start += 1
                continue
            stop = start
            while stop < len(wanted) and wanted[stop] < row + chunk:
                stop += 1
            try:
                run = registers.query_page(self._project, self.register, self.query, row, chunk)
            except IsmsError as exc:
                self.failed.emit(str(exc))
                return
            for r in wanted[start:stop]:
                if r - row < len(run):
                    yield run[r - row]
            start = stop

    def ids(self) -> list[int]:
        """The ids of every row shown, in order (one query: for tests and small registers)."""
        if self._project is None:
            return []
        return [i for i, _code in registers.query_codes(self._project, self.register, self.query)]

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
        return 0 if parent.isValid() else self._rows

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
        # Called for every role of every painted cell: the common answers come from the
        # row's cells, prepared once when the row is first shown.
        if role not in _ROLES or not index.isValid():
            return None
        column = index.column()
        if role == _ALIGNMENT:
            return self._alignments[column] if column < len(self.fields) else None
        shown = self._shown.get(index.row())
        if shown is None:
            shown = self._prepare(index.row())
            if shown is None:
                return None
        if role == _DISPLAY:
            return shown.texts[column]
        if role == _BACKGROUND:
            return shown.backgrounds[column] if shown.backgrounds else None
        if role == _FOREGROUND:
            return shown.foregrounds[column] if shown.foregrounds else None
        rec = shown.record
        f = self.fields[column]
        value = rec.values.get(f.name)
        if role == _EDIT:
            return value
        if role == _CHECK:
            if f.kind is not Kind.BOOL:
                return None
            if value is None:
                return Qt.CheckState.PartiallyChecked
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == CODE_ROLE:
            return rec.code
        if role == ID_ROLE:
            return rec.id
        # the tool tip
        note = self._notes.get((rec.code, f.name)) if self._notes else None
        tip = self._tooltip(f, value, rec.display.get(f.name, ""))
        if self._overdue(f, rec):
            tip = (
                self.tr("Overdue: review due {0}").format(value)
                if f.name == "next_review"
                else self.tr("Overdue: due {0} and not done").format(value)
            )
        if note is None:
            return tip
        plain = tip if tip and not tip.startswith("<") else ""
        return f"⚠ {note}" + (f"\n\n{plain}" if plain else "")

    def _prepare(self, row: int) -> _Shown | None:
        """A row's texts and colours, as every cell of it is painted."""
        rec = self.record(row)
        if rec is None:
            return None
        texts: list[str | None] = []
        backgrounds: list[QBrush | None] = []
        foregrounds: list[QBrush | None] = []
        coloured = False
        for f in self.fields:
            value = rec.values.get(f.name)
            if f.kind is Kind.BOOL:
                texts.append(None)
            elif f.kind is Kind.SCALE:
                texts.append(self.scale_text(f, value))
            elif f.kind is Kind.REF:
                texts.append(self.ref_text(f, value))
            else:
                text = rec.display.get(f.name, "")
                if len(text) > _PAINTED_CHARS:  # (a cell shows a line: the rest is in its tip)
                    text = text[:_PAINTED_CHARS] + "…"
                texts.append(text.replace("\n", " "))
            background = foreground = None
            if f.kind is Kind.LEVEL:
                background, foreground = self._level_brushes(value)
            elif self._notes and (rec.code, f.name) in self._notes:
                background = QBrush(QColor(_NOTE_COLOUR))
            if self._overdue(f, rec):
                foreground = QBrush(QColor(_OVERDUE_COLOUR))
            coloured = coloured or background is not None or foreground is not None
            backgrounds.append(background)
            foregrounds.append(foreground)
        shown = _Shown(rec, texts, backgrounds if coloured else [], foregrounds if coloured else [])
        if len(self._shown) > self.MAX_CACHED:
            self._shown.clear()
        self._shown[row] = shown
        return shown

    def _level_brushes(self, value: Any) -> tuple[QBrush | None, QBrush | None]:
        """A risk level's cell colours (from the method), the same brushes for every cell."""
        brushes = self._brushes.get(value)
        if brushes is None:
            info = self._method.level_info(value) if self._method else None
            colour = QColor(info.colour) if info is not None else QColor()
            brushes = (None, None)
            if colour.isValid():
                brushes = (QBrush(colour), QBrush(contrasting_text(colour)))
            self._brushes[value] = brushes
        return brushes

    def _overdue(self, f: Field, rec: registers.RecordRow) -> bool:
        """A due date that has passed while the action is still open, or a risk's review
        date while it is not closed (what the Overdue filter shows)."""
        if f.name not in ("due_date", "next_review") or self.register not in _DATED:
            return False
        date = rec.values.get(f.name)
        if not isinstance(date, dt.date) or f.name != _DATED[self.register]:
            return False
        return rec.values.get("status") not in _CLOSED_STATUSES and date < dt.date.today()

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
            # a screenful at most (the SoA row of a control thousands of risks selected)
            cut = (
                display
                if len(display) <= 3 * _PAINTED_CHARS
                else display[: 3 * _PAINTED_CHARS] + "…"
            )
            return rich_tooltip(cut)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._flags is None:
            self._flags = [self._column_flags(f) for f in self.fields]
        return self._flags[index.column()]

    def _column_flags(self, f: Field) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
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
