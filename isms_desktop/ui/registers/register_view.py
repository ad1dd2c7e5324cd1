"""One register as a page: toolbar, filters, the table, the record editor and attachments.

Every change goes through ``services.registers`` and lands on the main window's undo stack
as one command, so Ctrl+Z and Ctrl+Y undo and redo it. Keys: Enter edits the record, F2 or
a double click edits the cell, Delete deletes, Ctrl+N adds, Ctrl+D duplicates, Ctrl+F goes
to the filter box, Ctrl+C copies the selected rows for pasting into a spreadsheet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import ConflictError, IsmsError
from isms_desktop.domain.fields import Field, Kind, display_value
from isms_desktop.domain.readiness import OVERDUE
from isms_desktop.services import registers
from isms_desktop.services.registers import InvalidValueError
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.busy import busy_cursor, progress_dialog
from isms_desktop.ui.icons import action_icon
from isms_desktop.ui.registers.attachments_panel import AttachmentsPanel
from isms_desktop.ui.registers.delegates import RegisterDelegate
from isms_desktop.ui.registers.nouns import plural, singular
from isms_desktop.ui.registers.record_dialog import RecordDialog
from isms_desktop.ui.registers.set_many_dialog import SetManyDialog
from isms_desktop.ui.registers.table_model import CODE_ROLE, ID_ROLE, RegisterTableModel
from isms_desktop.ui.registers.undo_commands import (
    CreateCommand,
    DeleteCommand,
    EditRecordCommand,
    ManyCommand,
    UpdateCommand,
)
from isms_desktop.ui.table_header import spare_header_selection

# Registers whose records usually carry evidence: the attachments panel starts open there,
# in a window at least this wide (narrower, it would leave the table a few columns)
_EVIDENCE_REGISTERS = {"soa", "documents", "audits", "findings", "nonconformities", "incidents"}
_PANEL_OPEN_FROM_PX = 1200
# Yes/no fields worth a filter of their own.
_BOOL_FILTERS = {"soa": ("applicable",), "parties": ("relevant",), "requirements": ("addressed",)}
_MAX_COLUMN_PX = 420
_ICON_SIZE = QSize(16, 16)  # the tool bar's icons, beside their text


def _with_icon(button: QToolButton, icon: str) -> None:
    button.setIcon(action_icon(icon))
    button.setIconSize(_ICON_SIZE)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)


class RegisterView(QWidget):
    """A register's records, editable in place or in a form, with undo."""

    records_changed = Signal(str)  # the register whose records changed
    current_changed = Signal(str)  # the code of the record now current ("" for none)

    def __init__(self, register: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self._project: Project | None = None
        # what a double-click on a read-only cell opens, if not the form (set by the area)
        self.open_record: Callable[[str], object] | None = None
        self._own_stack: QUndoStack | None = None
        self._dirty = True
        self.model = RegisterTableModel(register, self)
        self.model.commit_edit = self._commit_edit
        self.model.failed.connect(self._warn)
        self.model.loaded.connect(self._update_state)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._restore_current)
        self.spec = self.model.spec
        self._remembered: tuple[int | None, int] = (None, 0)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.model.reload)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self._apply_filters)
        self._extra_filters: dict[str, Any] = {}
        # what an empty register tells the user to do first, when a tab knows a better way
        # than the form (a wizard, a template); empty: "Click Add (Ctrl+N)…"
        self.first_step = ""
        self._count_text = ""
        self._ready = False  # signals during construction must not update what is not built

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._create_toolbar())
        self.filter_note = QLabel(self)
        self.filter_note.setTextFormat(Qt.TextFormat.RichText)
        self.filter_note.setWordWrap(True)  # a long note must not hold the window wide
        self.filter_note.linkActivated.connect(lambda _link: self.clear_filters())
        self.filter_note.hide()
        layout.addWidget(self.filter_note)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableView(self.splitter)
        self.table.setObjectName(f"table_{register}")
        self.table.setModel(self.model)
        spare_header_selection(self.table)  # Ctrl+A of 100,000 rows stays instant
        self.delegate = RegisterDelegate(self.model, self.table)
        self.table.setItemDelegate(self.delegate)
        # No sort indicator: the register's own order (e.g. control numbers) until a click.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # the spare width goes to the text columns (_fill_width), not to whichever column
        # is last (an empty "Completed on" as wide as the rest together)
        header.setStretchLastSection(False)
        self._widths: dict[int, int] = {}  # each column's own width (px)
        self._filled: dict[int, int] = {}  # the widths _fill_width set last
        self._sort_indicator = (-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._set_column_widths()
        self._hide_long_columns()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.installEventFilter(self)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.table.doubleClicked.connect(self._double_clicked)
        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setObjectName("empty_label")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_label.hide()

        self.attachments = AttachmentsPanel(register, self.splitter)
        self.attachments.changed.connect(lambda: self.records_changed.emit(self.register))
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.attachments.setMinimumWidth(200)
        self.splitter.setSizes([10_000, 260])
        layout.addWidget(self.splitter, 1)
        show_panel = register in _EVIDENCE_REGISTERS
        self.attachments_button.setChecked(show_panel)
        self.attachments.setVisible(show_panel)
        # until shown (its width then known) or toggled: the panel's opening is a default
        self._panel_default = show_panel
        self.attachments_button.toggled.connect(self._panel_chosen)
        self._ready = True
        self._update_state()

    # -- building ----------------------------------------------------------------------------

    def _create_toolbar(self) -> QToolBar:
        # A tool bar, not a row of widgets: in a narrow window what does not fit goes into
        # its overflow menu instead of forcing the window wider.
        bar = QToolBar(self)
        bar.setObjectName("register_toolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setIconSize(_ICON_SIZE)
        bar.setContentsMargins(0, 0, 0, 0)
        self.toolbar = bar
        self._placed: dict[str, QAction] = {}  # the tool bar's place of each button
        noun = singular(self.register)
        self.add_action = self._action(
            self.tr("Add"), self.tr("Add a new {0} (Ctrl+N)").format(noun), self.add_record
        )
        self.edit_action = self._action(
            self.tr("Edit…"),
            self.tr("Edit the selected {0} in a form (Enter)").format(noun),
            self.edit_record,
        )
        self.duplicate_action = self._action(
            self.tr("Duplicate"),
            self.tr("Add a copy of the selected {0} (Ctrl+D)").format(noun),
            self.duplicate_record,
        )
        self.delete_action = self._action(
            self.tr("Delete"),
            self.tr("Delete the selected {0} (Delete); Ctrl+Z brings them back").format(
                plural(self.register)
            ),
            self.delete_selected,
        )
        self.set_many_action = self._action(
            self.tr("Set Field of Selected…"),
            self.tr("Set one field of all the selected {0} to the same value").format(
                plural(self.register)
            ),
            self.set_field_of_selected,
        )
        self.history_action = self._action(
            self.tr("History…"),
            self.tr("Every recorded change of the selected {0}: what, when and by whom").format(
                noun
            ),
            self.show_history,
        )
        self.copy_action = self._action(
            self.tr("Copy Rows"),
            self.tr("Copy the selected rows for pasting into a spreadsheet (Ctrl+C)"),
            self.copy_selected,
        )
        self.buttons: dict[str, QToolButton] = {}
        for name, action in (
            ("add", self.add_action),
            ("edit", self.edit_action),
            ("duplicate", self.duplicate_action),
            ("delete", self.delete_action),
        ):
            action.setIcon(action_icon(name))
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIconSize(_ICON_SIZE)
            button.setAutoRaise(False)
            self.buttons[name] = button
            if self.spec.fixed_rows and name in ("add", "duplicate", "delete"):
                button.hide()
            else:
                self._placed[name] = bar.addWidget(button)
        bar.addSeparator()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filter_edit")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(action_icon("filter"), QLineEdit.ActionPosition.LeadingPosition)
        placeholder = self.tr("Filter {0}…").format(plural(self.register))
        self.filter_edit.setPlaceholderText(placeholder)
        searched = ", ".join(
            self.spec.field(name).header for name in self.spec.search_fields or ("code",)
        )
        self.filter_edit.setToolTip(
            self.tr("Shows the rows whose {0} contain the text (Ctrl+F)").format(searched)
        )
        # wide enough for the placeholder beside the filter icon and the clear button
        fits = self.filter_edit.fontMetrics().horizontalAdvance(placeholder) + 64
        self.filter_edit.setMinimumWidth(min(max(160, fits), 300))
        self.filter_edit.setMaximumWidth(300)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_edit.installEventFilter(self)
        bar.addWidget(self.filter_edit)
        self.choice_filters: dict[str, QComboBox] = {}
        for f in self.spec.fields:
            is_bool_filter = f.kind is Kind.BOOL and f.name in _BOOL_FILTERS.get(self.register, ())
            if f.kind not in (Kind.CHOICE, Kind.LEVEL) and not is_bool_filter:
                continue
            combo = QComboBox(self)
            combo.setObjectName(f"filter_{f.name}")
            combo.setToolTip(self.tr("Show only rows with this {0}").format(f.header))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
            self.choice_filters[f.name] = combo
            bar.addWidget(combo)
        self._fill_choice_filters()
        # what is late (actions past their due date, risks past their review), where the
        # register has such dates: the dashboard's "… are overdue" steps open it so filtered
        self.overdue_button: QToolButton | None = None
        if registers.has_view_filter(self.register, OVERDUE):
            self.overdue_button = QToolButton(self)
            self.overdue_button.setObjectName("overdue_button")
            self.overdue_button.setText(self.tr("Overdue"))
            _with_icon(self.overdue_button, "overdue")
            self.overdue_button.setCheckable(True)
            self.overdue_button.setToolTip(
                registers.view_filter_text(self.register, OVERDUE, True) or ""
            )
            self.overdue_button.toggled.connect(self._overdue_toggled)
            bar.addWidget(self.overdue_button)
        self.clear_filters_button = QToolButton(self)
        self.clear_filters_button.setText(self.tr("Clear Filters"))
        _with_icon(self.clear_filters_button, "clear-filter")
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.clear_filters_action = bar.addWidget(self.clear_filters_button)
        spacer = QWidget(bar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count_label")
        self.count_label.setContentsMargins(8, 0, 8, 0)
        bar.addWidget(self.count_label)
        self.columns_button = QToolButton(self)
        self.columns_button.setText(self.tr("Columns"))
        _with_icon(self.columns_button, "columns")
        self.columns_button.setToolTip(self.tr("Choose the columns to show"))
        self.columns_button.clicked.connect(
            lambda: self._header_menu(self.table.horizontalHeader().rect().topRight())
        )
        bar.addWidget(self.columns_button)
        self.attachments_button = QToolButton(self)
        self.attachments_button.setText(self.tr("Attachments"))
        _with_icon(self.attachments_button, "attach")
        self.attachments_button.setToolTip(self.tr("Show or hide the files of the selected record"))
        self.attachments_button.setCheckable(True)
        self.attachments_button.toggled.connect(lambda on: self.attachments.setVisible(on))
        bar.addWidget(self.attachments_button)
        return bar

    def add_button(self, name: str, action: QAction, icon_name: str, after: str) -> QToolButton:
        """A button of the area's own beside the register's (the Risks tab's guided Add),
        looking like them and enabled with the Add button."""
        action.setIcon(action_icon(icon_name))
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIconSize(_ICON_SIZE)
        self.buttons[name] = button
        names = list(self._placed)
        following = names[names.index(after) + 1] if after in names[:-1] else None
        if following is None:
            self._placed[name] = self.toolbar.addWidget(button)
        else:
            self._placed[name] = self.toolbar.insertWidget(self._placed[following], button)
        action.setEnabled(self.add_action.isEnabled())
        self.add_action.changed.connect(lambda: action.setEnabled(self.add_action.isEnabled()))
        return button

    def _action(self, text: str, tip: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _fill_choice_filters(self) -> None:
        for name, combo in self.choice_filters.items():
            f = self.spec.field(name)
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("Any {0}").format(f.header.lower()), None)
            if f.kind is Kind.BOOL:
                combo.addItem(self.tr("{0}: yes").format(f.header), True)
                combo.addItem(self.tr("{0}: no").format(f.header), False)
            else:
                for value, label in self.model.choices(f):
                    combo.addItem(label, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def _set_column_widths(self) -> None:
        char = self.table.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        for column, f in enumerate(self.model.fields):
            header_px = self.table.fontMetrics().horizontalAdvance(f.header) + 28
            width = max(f.width, 24) if f.kind is Kind.REF else f.width
            if f.kind is Kind.SCALE:
                width = max(width, 13)
            px = int(width * char) + 12
            if f.kind is Kind.BOOL:
                px = max(px, 36)
            self._widths[column] = max(36, min(max(px, header_px), _MAX_COLUMN_PX))
            header.resizeSection(column, self._widths[column])

    def _text_columns(self) -> list[int]:
        """The shown columns that share the table's spare width: the text ones (a record's
        title, name, description), not the code."""
        return [
            column
            for column, f in enumerate(self.model.fields)
            if column > 0
            and f.kind in (Kind.TEXT, Kind.LONGTEXT)
            and not self.table.isColumnHidden(column)
        ]

    def _fill_width(self) -> None:
        """Share the table's spare width among the text columns, by their own widths
        (never below them), unless the user has sized one of them since: then the widths
        are theirs."""
        header = self.table.horizontalHeader()
        columns = self._text_columns()
        if not columns:
            return
        if self._sized_by_hand():
            return
        own = {c: self._widths.get(c, header.sectionSize(c)) for c in columns}
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c not in own and not header.isSectionHidden(c)
        )
        spare = max(0, self.table.viewport().width() - others - sum(own.values()))
        total = sum(own.values())
        self._filled = {}
        for c, width in own.items():
            share = spare * width // total
            header.resizeSection(c, width + share)
            self._filled[c] = width + share

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        # Columns of several codes cannot be sorted in SQL: keep the indicator where it was.
        header = self.table.horizontalHeader()
        if column >= 0 and not self.model.is_sortable(column):
            header.blockSignals(True)
            header.setSortIndicator(*self._sort_indicator)
            header.blockSignals(False)
            return
        self._sort_indicator = (column, order)

    def _hide_long_columns(self) -> None:
        """Wide registers start without their multi-line fields (the form shows them),
        except a required one: it says what the record is (an objective, a nonconformity)."""
        if len(self.model.fields) <= 8:
            return
        for column, f in enumerate(self.model.fields):
            if f.kind is Kind.LONGTEXT and not f.required:
                self.table.setColumnHidden(column, True)

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        for column, f in enumerate(self.model.fields):
            if column == 0:
                continue  # the code always stays
            action = menu.addAction(f.header)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: self._show_column(c, on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def _sized_by_hand(self) -> bool:
        """Whether the user has sized a column ``_fill_width`` widened since it did."""
        header = self.table.horizontalHeader()
        return any(header.sectionSize(c) != w for c, w in self._filled.items())

    def _show_column(self, column: int, shown: bool) -> None:
        self.table.setColumnHidden(column, not shown)
        if not self._sized_by_hand():  # shared out again, from their own widths
            header = self.table.horizontalHeader()
            for c in self._filled:
                header.resizeSection(c, self._widths.get(c, header.sectionSize(c)))
            self._filled = {}
        self._fill_width()

    # -- the project ---------------------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        return self._project

    def set_project(self, project: Project | None, _info: object = None) -> None:
        """Show ``project``'s records: now if visible, else when next shown.

        Nothing is read for registers not on screen, so opening a project with large
        registers costs only the one register shown.
        """
        changed = project is not self._project
        self._project = project
        if project is None or (changed and self.isVisible()):
            self._load()
        elif changed:
            if self.model.project is not None:
                self.model.set_project(None)  # let go of the previous project at once
            self._dirty = True
        elif self.isVisible():
            self.refresh()
        else:
            self._dirty = True
        self._update_state()

    def _load(self) -> None:
        self._dirty = False
        self.model.set_project(self._project)
        self._fill_choice_filters()
        self._current_row_changed(self.table.currentIndex(), QModelIndex())

    def refresh(self) -> None:
        """Re-read the records (and the choices of the filters), keeping the selection."""
        if self.model.project is not self._project:
            self._load()
            return
        self._dirty = False
        self.model.reload()
        self._fill_choice_filters()
        self.attachments.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._panel_default:
            self._panel_default = False
            if self.window().width() < _PANEL_OPEN_FROM_PX:  # (its own width is not laid out yet)
                self.attachments_button.setChecked(False)
        if self._dirty and self._project is not None:
            self.refresh()

    def _panel_chosen(self) -> None:
        self._panel_default = False

    def undo_stack(self) -> QUndoStack:
        """The main window's undo stack (a private one when used on its own, e.g. in tests)."""
        stack = getattr(self.window(), "undo_stack", None)
        if isinstance(stack, QUndoStack):
            return stack
        if self._own_stack is None:
            self._own_stack = QUndoStack(self)
        return self._own_stack

    # -- filters ---------------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        self._filter_timer.stop()
        equals = dict(self._extra_filters)
        for name, combo in self.choice_filters.items():
            value = combo.currentData()
            if value is not None:
                equals[name] = value
        self.model.set_query(text=self.filter_edit.text(), equals=equals)

    def set_filters(self, text: str = "", filters: Mapping[str, Any] | None = None) -> None:
        """Show the rows matching ``text`` and the field values of ``filters``."""
        filters = dict(filters or {})
        self.filter_edit.blockSignals(True)
        self.filter_edit.setText(text)
        self.filter_edit.blockSignals(False)
        self._extra_filters = {}
        for name, combo in self.choice_filters.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(filters.pop(name, None)), 0))
            combo.blockSignals(False)
        for name, value in filters.items():
            if registers.view_filter_text(self.register, name, value) is None:
                self.spec.field(name)  # an unknown field is a programming error: KeyError
            self._extra_filters[name] = value
        if self.overdue_button is not None:
            self.overdue_button.blockSignals(True)
            self.overdue_button.setChecked(OVERDUE in self._extra_filters)
            self.overdue_button.blockSignals(False)
        self._apply_filters()

    def clear_filters(self) -> None:
        self.set_filters("", {})

    def _overdue_toggled(self, on: bool) -> None:
        if on:
            self._extra_filters[OVERDUE] = "yes"
        else:
            self._extra_filters.pop(OVERDUE, None)
        self._apply_filters()

    def _filters_active(self) -> bool:
        return bool(self.model.text_filter.strip() or self.model.equals)

    # -- state -----------------------------------------------------------------------------------

    def _update_state(self) -> None:
        if not self._ready:
            return
        shown, total = self.model.rowCount(), self.model.total
        noun = singular(self.register) if total == 1 else plural(self.register)  # "1 audit"
        if self.model.counting:
            self._count_text = self.tr("Counting… of {0} {1}").format(f"{total:,}", noun)
        elif self._filters_active():
            self._count_text = self.tr("{0} of {1} {2}").format(f"{shown:,}", f"{total:,}", noun)
        else:
            self._count_text = self.tr("{0} {1}").format(f"{total:,}", noun)
        self._show_selected_count()
        self.clear_filters_action.setVisible(self._filters_active())
        if self._extra_filters:  # (also Overdue: its button may be in the overflow menu)
            parts = []
            for name, value in self._extra_filters.items():
                special = registers.view_filter_text(self.register, name, value, self.model.method)
                if special is not None:
                    parts.append(special)
                    continue
                f = self.spec.field(name)
                text = self.model.scale_text(f, value) if f.kind is Kind.SCALE else value
                parts.append(
                    f"{f.header} = {display_value(f, text) if f.kind is not Kind.SCALE else text}"
                )
            # with its own way back: in a narrow window the tool bar's Clear Filters button
            # is in its overflow menu
            self.filter_note.setText(
                self.tr("Also filtered by: {0} — <a href='clear'>show all</a>").format(
                    html.escape("; ".join(parts))
                )
            )
        self.filter_note.setVisible(bool(self._extra_filters))
        self._update_empty_state()
        self._update_buttons()

    def empty_text(self) -> str:
        noun = plural(self.register)
        if self._project is None:
            return self.tr("No project is open.")
        if self.model.total == 0:
            if self.spec.fixed_rows:
                return self.tr("There are no {0} in this project.").format(noun)
            text = self.tr("No {0} yet.").format(noun)
            if self.spec.purpose:
                text += "\n\n" + self.spec.purpose
            if not self._project.read_only:
                text += "\n\n" + (
                    self.first_step
                    or self.tr(
                        "Click Add (Ctrl+N) to record the first {0}, or bring them in from a "
                        "spreadsheet with File > Import from Spreadsheet…"
                    ).format(singular(self.register))
                )
            return text
        return self.tr("No {0} match the filter.\n\nClick Clear Filters to see all {1}.").format(
            noun, self.model.total
        )

    def _update_empty_state(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty_label.setText(self.empty_text() if empty else "")
        self.empty_label.setVisible(empty)
        self._place_empty_label()

    def _place_empty_label(self) -> None:
        rect = self.table.viewport().rect().adjusted(40, 30, -40, -30)
        width = min(rect.width(), 560)
        rect.setLeft(rect.left() + (rect.width() - width) // 2)
        rect.setWidth(width)
        rect.setHeight(min(rect.height(), 220))
        self.empty_label.setGeometry(rect)

    def _show_selected_count(self) -> None:
        """'· 3 selected' after the count: an edit in a cell then changes all three."""
        text = self._count_text
        selected = len(self.selected_rows())
        if selected > 1:
            text += " · " + self.tr("{0} selected").format(f"{selected:,}")
            self.count_label.setToolTip(
                self.tr(
                    "A value typed into a cell of a selected row is set on all {0} (or "
                    "right-click: Set Field of Selected…)"
                ).format(f"{selected:,}")
            )
        else:
            self.count_label.setToolTip("")
        self.count_label.setText(text)

    def _update_buttons(self) -> None:
        if not self._ready:
            return
        writable = self._project is not None and not self._project.read_only
        selected = len(self.selected_rows())
        self.add_action.setEnabled(writable and not self.spec.fixed_rows)
        self.edit_action.setEnabled(self.current_code() is not None)
        self.duplicate_action.setEnabled(writable and selected == 1 and not self.spec.fixed_rows)
        self.delete_action.setEnabled(writable and selected > 0 and not self.spec.fixed_rows)
        self.copy_action.setEnabled(selected > 0)
        self.history_action.setEnabled(self._project is not None and selected == 1)
        self.set_many_action.setEnabled(writable and selected > 1 and bool(self._settable()))

    def _selection_changed(self) -> None:
        self._update_buttons()
        if self._ready:
            self._show_selected_count()

    def _remember_current(self) -> None:
        current = self.table.currentIndex()
        row_id = current.data(ID_ROLE) if current.isValid() else None
        self._remembered = (row_id, current.column() if current.isValid() else 0)

    def _restore_current(self) -> None:
        row_id, column = self._remembered
        # while a large filtered result is being counted, only among the rows fetched
        ask = not self.model.counting
        row = self.model.row_of_id(row_id, ask=ask) if row_id is not None else None
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, column))
            self.table.scrollTo(self.model.index(row, column))
        else:
            self._current_row_changed(QModelIndex(), QModelIndex())

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.data(CODE_ROLE) if current.isValid() else None
        self.attachments.set_record(self._project, code)
        self._update_buttons()
        self.current_changed.emit(code or "")

    # -- selection -------------------------------------------------------------------------------

    def current_code(self) -> str | None:
        current = self.table.currentIndex()
        code = current.data(CODE_ROLE) if current.isValid() else None
        return str(code) if code else None

    def selected_rows(self) -> list[int]:
        """The selected rows, in order: from the selection's ranges (whole rows are selected),
        not an index per row (which takes seconds when 100,000 rows are selected)."""
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for number in range(selection.count()):
            selected = selection.at(number)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return sorted(rows)

    def selected_codes(self) -> list[str]:
        return self.model.codes_of_rows(self.selected_rows())

    def select_code(self, code: str, field_name: str | None = None) -> bool:
        """Make a record current (and visible); False when it is not shown."""
        row = self.model.row_of_code(code)
        if row is None:
            return False
        try:
            column = self.model.column_of(field_name) if field_name else 0
        except KeyError:
            column = 0
        index = self.model.index(row, column)
        # the row alone, whatever keys are held (selectRow with Ctrl down toggles it off:
        # a dashboard "Go" clicked with Ctrl held left nothing selected)
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    # -- changes -------------------------------------------------------------------------------

    def _warn(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("{0}").format(self.spec.title), message)

    def _after_change(self, register: str, codes: Sequence[str]) -> None:
        self.model.refresh_codes(codes)
        self._reload_timer.start()
        self.attachments.reload()
        self.records_changed.emit(register)

    def _push(self, command: QUndoCommand) -> None:
        self.undo_stack().push(command)
        # The change is already made (the command skips its first redo); show it.
        register = getattr(command, "register", self.register)
        code = getattr(command, "code", None)
        many = getattr(command, "changes", [])  # a multi-select edit
        self._after_change(register, [code] if isinstance(code, str) else [c.code for c in many])

    def _settable(self) -> list[Field]:
        """The fields a multi-record edit may set (not the code, nor what is computed)."""
        return [f for f in self.spec.fields[1:] if self.model.is_editable(f)]

    def set_many_dialog(self) -> SetManyDialog | None:
        """The dialog that sets one field of the selected rows (not shown)."""
        codes = self.selected_codes()
        if self._project is None or self._project.read_only or len(codes) < 2:
            return None
        dialog = SetManyDialog(
            self._settable(),
            self.model.choices,
            len(codes),
            plural(self.register),
            lambda f, value: self.set_on_selected(f, value),
            self,
        )
        current = self.table.currentIndex()
        if current.isValid():  # the column the user was in
            dialog.choose(self.model.fields[current.column()].name)
        return dialog

    def set_field_of_selected(self) -> None:
        dialog = self.set_many_dialog()
        if dialog is not None:
            dialog.exec()

    def set_on_selected(self, f: Field, value: Any) -> str | None:
        """Set ``f`` of every selected record to ``value``, one step of Undo; the reason
        when it is refused (nothing is then changed)."""
        project = self._project
        codes = self.selected_codes()
        if project is None or not codes:
            return self.tr("No rows are selected.")
        try:
            with busy_cursor():  # thousands of rows take a moment
                changes = registers.update_many(project, self.register, codes, f.name, value)
        except IsmsError as exc:
            return str(exc)
        self._push(ManyCommand(changes, project, self._after_change, self._warn))
        return None

    def _commit_edit(self, code: str, f: Field, value: Any) -> bool:
        """An edit in a cell; with several rows selected it applies to all of them."""
        project = self._project
        if project is None:
            return False
        selected = self.selected_codes()
        try:
            if code in selected and len(selected) > 1 and f.name != "code":
                refused = self.set_on_selected(f, value)
                if refused is not None:
                    raise IsmsError(refused)
            else:
                # the version of the row as the user saw it (the model's cache), not a re-read
                row = self.model.row_of_code(code)
                shown = self.model.record(row) if row is not None else None
                change = self._update_checked(
                    project, code, f.name, value, shown.version if shown is not None else None
                )
                if change is None:
                    return False
                self._push(UpdateCommand(change, project, self._after_change, self._warn))
        except IsmsError as exc:
            # After the editor has closed: a modal box inside setData would fight the editor.
            QTimer.singleShot(0, self, lambda message=str(exc): self._warn(message))
            return False
        return True

    def _update_checked(
        self, project: Project, code: str, name: str, value: Any, version: int | None
    ) -> registers.Change | None:
        """One field saved only if nobody changed the record since it was read (team mode);
        on a conflict the user compares and chooses: None when they keep the other's.
        A project file has one writer (its lock), so there the check is skipped."""
        if project.path is not None:
            version = None
        try:
            return registers.update(
                project, self.register, code, name, value, expected_version=version
            )
        except ConflictError as exc:
            from isms_desktop.ui.team.conflict_dialog import overwrite_with_mine

            if not overwrite_with_mine(exc, self):
                self.model.reload()
                return None
            return registers.update(
                project, self.register, code, name, value, expected_version=exc.version
            )

    def _dialog(self, title: str, values: Mapping[str, Any], save: Any, **kw: Any) -> RecordDialog:
        return RecordDialog(
            title,
            self.spec.fields,
            self.model.is_editable,
            self.model.choices,
            values,
            save,
            purpose=kw.pop("purpose", ""),
            register=self.register,
            parent=self,
            **kw,
        )

    def add_dialog(self, values: Mapping[str, Any] | None = None) -> RecordDialog:
        """The form for a new record (not shown: ``add_record`` runs it)."""
        given = dict(values or {})
        for name in self.spec.dated_today:  # e.g. a nonconformity is raised today
            if given.get(name) is None:
                kind = self.spec.field(name).kind
                given[name] = dt.datetime.now().replace(second=0, microsecond=0)
                if kind is Kind.DATE:
                    given[name] = given[name].date()
        return self._dialog(
            self.tr("New {0}").format(singular(self.register)),
            given,
            self._save_new,
            purpose=self.spec.purpose,
        )

    def _save_new(self, values: dict[str, Any]) -> tuple[str, str] | None:
        project = self._project
        if project is None:
            return "", self.tr("No project is open.")
        try:
            change = registers.create(project, self.register, values)
        except InvalidValueError as exc:
            return exc.field_name, str(exc)
        except IsmsError as exc:
            return "", str(exc)
        self._push(CreateCommand(change, project, self._after_change, self._warn))
        self.model.reload()
        self.select_code(change.code)
        return None

    def add_record(self) -> None:
        if self._project is None or self._project.read_only or self.spec.fixed_rows:
            return
        self.add_dialog().exec()

    def duplicate_record(self) -> None:
        code = self.current_code()
        if code is None or self._project is None or self.spec.fixed_rows:
            return
        rec = self._record(code)
        if rec is None:
            return
        values = {
            f.name: rec.values.get(f.name)
            for f in self.spec.fields[1:]
            if self.model.is_editable(f)
        }
        self.add_dialog(values).exec()

    def _record(self, code: str) -> registers.RecordRow | None:
        assert self._project is not None
        try:
            return registers.get(self._project, self.register, code)
        except IsmsError as exc:
            self._warn(str(exc))
            return None

    def edit_dialog(self, code: str) -> RecordDialog | None:
        """The form for an existing record (not shown: ``edit_record`` runs it)."""
        if self._project is None:
            return None
        rec = self._record(code)
        if rec is None:
            return None
        values = dict(rec.values)
        values["code"] = rec.code
        holder: dict[str, RecordDialog] = {}

        def save(_values: dict[str, Any]) -> tuple[str, str] | None:
            return self._save_edit(rec.code, holder["dialog"].changed_values(), rec.version)

        readonly = self._project.read_only
        title = self.tr("{0} {1}").format(singular(self.register).capitalize(), rec.code)
        dialog = RecordDialog(
            title,
            self.spec.fields,
            (lambda _f: False) if readonly else self.model.is_editable,
            self.model.choices,
            values,
            save,
            display={**rec.display, "code": rec.code},
            register=self.register,
            parent=self,
        )
        holder["dialog"] = dialog
        return dialog

    def _save_edit(
        self, code: str, changed: dict[str, Any], version: int | None = None
    ) -> tuple[str, str] | None:
        """Apply changed fields one by one; on a refusal undo those done and say why."""
        project = self._project
        if project is None:
            return "", self.tr("No project is open.")
        if not changed:
            return None
        # The code last (the others address the record by its old code); fields refused
        # because of a rule about another field (an exclusion needs a justification) are
        # tried again after the rest.
        pending = sorted(changed, key=lambda name: name == "code")
        done: list[registers.Change] = []
        current = code
        problem: tuple[str, str] | None = None
        while pending:
            progress = False
            problem = None
            for name in list(pending):
                try:
                    checked = self._update_checked(project, current, name, changed[name], version)
                except InvalidValueError as exc:
                    problem = problem or (exc.field_name, str(exc))
                    continue
                except IsmsError as exc:
                    problem = problem or (name, str(exc))
                    continue
                if checked is None:  # the other user's version was kept
                    return "", self.tr(
                        "{0} was changed by someone else; nothing was saved."
                    ).format(code)
                change = checked
                version = change.version
                done.append(change)
                current = change.code
                pending.remove(name)
                progress = True
            if not progress:
                break
        if pending:
            for change in reversed(done):
                with contextlib.suppress(IsmsError):  # the first problem is the one to report
                    registers.update(
                        project, self.register, change.code, str(change.field), change.old
                    )
            self.model.reload()
            return problem or ("", self.tr("The record could not be saved."))
        self._push(EditRecordCommand(done, project, self._after_change, self._warn))
        return None

    def edit_record(self) -> None:
        code = self.current_code()
        if code is None:
            return
        dialog = self.edit_dialog(code)
        if dialog is not None:
            dialog.exec()

    def delete_selected(self) -> bool:
        """Delete the selected records; a record still in use is refused with the reason."""
        project = self._project
        codes = self.selected_codes() or ([c] if (c := self.current_code()) else [])
        if project is None or project.read_only or not codes or self.spec.fixed_rows:
            return False
        try:
            with busy_cursor():  # (thousands of rows take a few seconds)
                done, refused = registers.delete_many(project, self.register, codes)
        except IsmsError as exc:
            done, refused = [], str(exc)
        if done:
            self._push(DeleteCommand(done, project, self._after_change, self._warn))
            self.model.reload()
        if refused is not None:
            self._warn(refused)
        return refused is None

    def copy_selected(self) -> str:
        """The selected rows (with the headers) as tab-separated text, on the clipboard.
        Thousands of rows take seconds: a progress dialog shows, and Cancel copies nothing
        (the clipboard keeps what it had; "" is returned)."""
        rows = self.selected_rows()
        header = self.table.horizontalHeader()
        columns = [header.logicalIndex(v) for v in range(header.count())]
        columns = [c for c in columns if not header.isSectionHidden(c)]
        lines = ["\t".join(self.model.fields[c].header for c in columns)]
        copied = self._copied_lines(rows, columns)
        if len(rows) <= self.COPY_WITHOUT_PROGRESS:
            lines.extend(copied)
        else:
            label = self.tr("Copying {0} rows…").format(f"{len(rows):,}")
            with progress_dialog(self, label, len(rows)) as progress:
                for done, line in enumerate(copied, 1):
                    lines.append(line)
                    if done % 1000 == 0:
                        progress.report(done, len(rows))
                        if progress.cancelled():
                            return ""
        text = "\n".join(lines) + "\n"
        QApplication.clipboard().setText(text)
        return text

    COPY_WITHOUT_PROGRESS = 2000  # rows: about a quarter of a second

    def _copied_lines(self, rows: list[int], columns: list[int]) -> Iterator[str]:
        fields = [self.model.fields[c] for c in columns]
        for rec in self.model.records_of_rows(rows):
            cells = []
            for f in fields:
                text = rec.display.get(f.name, "")
                if f.kind is Kind.SCALE:
                    text = self.model.scale_text(f, rec.values.get(f.name))
                cells.append(text.replace("\t", " ").replace("\n", " "))
            yield "\t".join(cells)

    # -- mouse and keys ---------------------------------------------------------------------------

    def _double_clicked(self, index: QModelIndex) -> None:
        f = self.model.field_at(index.column())
        if not self.model.is_editable(f) and f.kind is not Kind.BOOL:
            # read-only cell: the area's own window of the record (a document's), else the form
            code = self.current_code()
            if self.open_record is not None and code:
                self.open_record(code)
            else:
                self.edit_record()

    def show_history(self) -> QWidget | None:
        """The selected record's changes from the change log, in a window of their own."""
        codes = self.selected_codes()
        if self._project is None or len(codes) != 1:
            return None
        from isms_desktop.ui.history.history_panel import HistoryDialog

        dialog = HistoryDialog(self._project, self.register, codes[0], self)
        dialog.show()
        return dialog

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.edit_action, self.add_action, self.duplicate_action):
            if action.isEnabled():
                menu.addAction(action)
        if self.set_many_action.isEnabled():
            menu.addAction(self.set_many_action)
        menu.addSeparator()
        menu.addAction(self.copy_action)
        if self.history_action.isEnabled():
            menu.addAction(self.history_action)
        if self.delete_action.isEnabled():
            menu.addSeparator()
            menu.addAction(self.delete_action)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _shortcut(self, event: QKeyEvent) -> str | None:
        pressed = QKeySequence(event.keyCombination())
        for name, key in (("add", "Ctrl+N"), ("filter", "Ctrl+F"), ("duplicate", "Ctrl+D")):
            if pressed == QKeySequence(key):
                return name
        return None

    def event(self, event: QEvent) -> bool:
        # Ctrl+N and Ctrl+F mean "new record" and "filter" here, not the window's New and Find.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._shortcut(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        name = self._shortcut(event)
        if name == "add":
            self.add_record()
        elif name == "duplicate":
            self.duplicate_record()
        elif name == "filter":
            self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.filter_edit.selectAll()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._ready:
            return super().eventFilter(watched, event)
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._place_empty_label()
            self._fill_width()
        elif watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            editing = self.table.state() == QAbstractItemView.State.EditingState
            key = event.key()
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if not editing and plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_record()
                return True
            if not editing and plain and key == Qt.Key.Key_Delete:
                self.delete_selected()
                return True
            if not editing and event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selected()
                return True
        elif watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._apply_filters()
                self.table.setFocus()
                if not self.table.currentIndex().isValid() and self.model.rowCount():
                    self.table.setCurrentIndex(self.model.index(0, 0))
                return True
        return super().eventFilter(watched, event)

    def visible_dialog(self) -> QDialog | None:  # pragma: no cover - convenience for debugging
        return next((w for w in self.findChildren(QDialog) if w.isVisible()), None)
