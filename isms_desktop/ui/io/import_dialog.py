"""File ▸ Import from Spreadsheet…: pick a file and register, check the column mapping, dry run,
then import all rows or none.

The dialog shows which column fills which field (each can be changed or ignored) with the first
values of each column, and after "Check" a table of every problem (row, column, value, reason).
"Import" is enabled only by a check without problems of the very settings shown. The import
writes through the window's own connection (it holds the project's write lock), so it runs on
the GUI thread with a progress dialog whose Cancel stops it before anything is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.registers import sheet_name
from isms_desktop.reports.spreadsheet_reader import (
    Spreadsheet,
    normalise_header,
    open_spreadsheet,
)
from isms_desktop.reports.xlsx_export import export_order
from isms_desktop.reports.xlsx_import import ImportPlan, ImportResult, plan_import, run_import
from isms_desktop.reports.xlsx_import_values import shown
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.busy import busy_cursor, progress_dialog

PREVIEW_ROWS = 3
FILTER = "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)"
CREATE_MISSING = "Create the people, assets and other records rows refer to"

# The import's messages name the command line's options; in the dialog they name its controls.
_CLI_WORDS = (
    (re.compile(r" \(--create-missing creates it\)"), f' (tick "{CREATE_MISSING}" to create it)'),
    (re.compile(r"give --header-row and --map"), "choose the sheet or the header row above"),
    (re.compile(r"--header-row (\d+)"), r"header row \1"),
    (re.compile(r'use --map "Header=field"'), 'choose the fields under "Imported as"'),
    (re.compile(r"\(--map\)"), "(chosen here)"),
    (re.compile(r"--create-missing"), f'"{CREATE_MISSING}"'),
)


def dialog_wording(message: str) -> str:
    """A message of the import as the dialog says it: its controls, not command-line options."""
    for pattern, replacement in _CLI_WORDS:
        message = pattern.sub(replacement, message)
    return message


def register_of_sheets(sheet_names: list[str], current: str) -> str:
    """The register a workbook is for: ``current`` when it has that register's sheet, else the
    first register whose sheet it has (an export of the risks alone has Cover and Risks)."""
    names = {name.casefold() for name in sheet_names}
    if sheet_name(current).casefold() in names:
        return current
    for name in export_order():
        if sheet_name(name).casefold() in names:
            return name
    return current


class ImportDialog(QDialog):
    """The import wizard in one window: file, register, mapping, check, import."""

    COL_LETTER, COL_HEADER, COL_FIELD, COL_PREVIEW = range(4)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.book: Spreadsheet | None = None
        self.plan: ImportPlan | None = None
        self.outcome: ImportResult | None = None
        self.imported = False
        self._checked = False  # the last check passed for the settings now shown
        self._filling = False
        self.setWindowTitle(self.tr("Import from Spreadsheet"))
        self.resize(900, 640)

        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText(self.tr(".xlsx, .xlsm, .xls, .ods or .csv file"))
        self.path_edit.editingFinished.connect(self._path_edited)
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)

        self.register_combo = QComboBox(self)
        for name in export_order():
            self.register_combo.addItem(f"{sheet_name(name)} — {SPECS[name].title}", name)
        self.register_combo.currentIndexChanged.connect(self._settings_changed)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.currentIndexChanged.connect(self._settings_changed)
        self.header_spin = QSpinBox(self)
        self.header_spin.setRange(0, 1_000_000)
        self.header_spin.setSpecialValueText(self.tr("Find automatically"))
        self.header_spin.valueChanged.connect(self._settings_changed)
        self.create_missing = QCheckBox(self.tr(CREATE_MISSING), self)
        self.create_missing.setToolTip(
            self.tr("Without this, references to records that do not exist are problems.")
        )
        self.create_missing.toggled.connect(self._invalidate)

        form = QFormLayout()
        form.addRow(self.tr("File:"), file_row)
        form.addRow(self.tr("&Register:"), self.register_combo)
        form.addRow(self.tr("&Sheet:"), self.sheet_combo)
        form.addRow(self.tr("&Header row:"), self.header_spin)
        form.addRow("", self.create_missing)

        self.columns = QTableWidget(0, 4, self)
        self.columns.setHorizontalHeaderLabels(
            [self.tr("Column"), self.tr("Header"), self.tr("Imported as"), self.tr("First values")]
        )
        self.columns.verticalHeader().setVisible(False)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.horizontalHeader().setSectionResizeMode(
            self.COL_PREVIEW, QHeaderView.ResizeMode.Stretch
        )

        self.problems = QTableWidget(0, 4, self)
        self.problems.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Problem")]
        )
        self.problems.verticalHeader().setVisible(False)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(splitter)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel(self.tr("Columns:"), top))
        top_layout.addWidget(self.columns)
        bottom = QWidget(splitter)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel(self.tr("Problems:"), bottom))
        bottom_layout.addWidget(self.problems)
        splitter.addWidget(top)
        splitter.addWidget(bottom)

        self.summary = QLabel(self.tr("Choose a spreadsheet to import."), self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(self)
        self.check_button = self.buttons.addButton(
            self.tr("&Check"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.check_button.setToolTip(self.tr("Check every row without changing the project"))
        self.import_button = self.buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._update_buttons()

    # -- choosing -----------------------------------------------------------------------------

    def _browse(self) -> None:
        start = str(self.project.path.parent) if self.project.path else ""
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import from Spreadsheet"), start, self.tr(FILTER)
        )
        if chosen:
            self.set_file(Path(chosen))

    def _path_edited(self) -> None:
        text = self.path_edit.text().strip()
        if text and (self.book is None or Path(text) != self.book.path):
            self.set_file(Path(text))

    def set_file(self, path: Path, register: str | None = None) -> None:
        """Open a spreadsheet and show its mapping (``register``: preselect one)."""
        self.path_edit.setText(str(path))
        if self.book is not None:
            self.book.close()
            self.book = None
        try:
            with busy_cursor():
                self.book = open_spreadsheet(path)
        except IsmsError as exc:
            # nothing of the file opened before is left to check or import
            self.plan = None
            self._invalidate()
            self._filling = True
            self.columns.setRowCount(0)
            self.sheet_combo.clear()
            self._filling = False
            self._show_error(str(exc))
            return
        self._filling = True
        try:
            if register is None:  # the register the workbook's sheets are named after
                register = register_of_sheets(self.book.sheet_names, self.register())
            self.register_combo.setCurrentIndex(self.register_combo.findData(register))
            self.sheet_combo.clear()
            self.sheet_combo.addItem(self.tr("Find automatically"), None)
            for name in self.book.sheet_names:
                self.sheet_combo.addItem(name, name)
            self.header_spin.setValue(0)
        finally:
            self._filling = False
        self.replan()

    def register(self) -> str:
        return str(self.register_combo.currentData())

    def _settings_changed(self) -> None:
        if not self._filling:
            self.replan()

    def mapping(self) -> dict[str, str]:
        """The column choices shown, as --map options would give them ({header: field})."""
        found: dict[str, str] = {}
        for row in range(self.columns.rowCount()):
            combo = self.columns.cellWidget(row, self.COL_FIELD)
            header = self.columns.item(row, self.COL_HEADER)
            if isinstance(combo, QComboBox) and header is not None and header.text():
                found[normalise_header(header.text())] = str(combo.currentData() or "")
        return found

    def replan(self, mapping: dict[str, str] | None = None) -> None:
        """Find the table and match its columns again (after any change of the settings)."""
        self._invalidate()
        self.plan = None
        if self.book is None:
            return
        header_row = self.header_spin.value() or None
        try:
            with busy_cursor():
                self.plan = plan_import(
                    self.book,
                    self.register(),
                    sheet=self.sheet_combo.currentData(),
                    header_row=header_row,
                    mapping=mapping,
                )
        except IsmsError as exc:
            self.columns.setRowCount(0)
            self._show_error(str(exc))
            return
        self._fill_columns(self.plan)
        self.summary.setText(
            self.tr("Sheet {0}, headers in row {1}: {2} rows to import. Check them first.").format(
                self.plan.sheet, self.plan.header_row, len(self.plan.rows)
            )
        )
        self._update_buttons()

    def _fill_columns(self, plan: ImportPlan) -> None:
        spec = SPECS[plan.register]
        self._filling = True
        try:
            self.columns.setRowCount(0)
            for column in plan.columns:
                if not column.header:
                    continue
                row = self.columns.rowCount()
                self.columns.insertRow(row)
                self.columns.setItem(row, self.COL_LETTER, QTableWidgetItem(column.letter))
                self.columns.setItem(row, self.COL_HEADER, QTableWidgetItem(column.header))
                combo = QComboBox(self.columns)
                combo.addItem(self.tr("— not imported —"), "")
                for f in spec.fields:
                    if not f.computed:
                        combo.addItem(f.header, f.name)
                combo.setCurrentIndex(max(combo.findData(column.field or ""), 0))
                if column.field is None:
                    combo.setToolTip(dialog_wording(column.how))
                combo.currentIndexChanged.connect(self._mapping_changed)
                self.columns.setCellWidget(row, self.COL_FIELD, combo)
                values = [
                    shown(cells[column.index], 30)
                    for _, cells in plan.rows[:PREVIEW_ROWS]
                    if column.index < len(cells) and cells[column.index] is not None
                ]
                self.columns.setItem(row, self.COL_PREVIEW, QTableWidgetItem(" · ".join(values)))
            self.columns.resizeColumnsToContents()
        finally:
            self._filling = False

    def _mapping_changed(self) -> None:
        if not self._filling:
            self.replan(self.mapping())

    # -- checking and importing ------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._checked = False
        self.outcome = None
        self.problems.setRowCount(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.check_button.setEnabled(self.plan is not None and bool(self.plan.rows))
        self.import_button.setEnabled(self._checked and not self.imported)

    def _run(self, dry_run: bool) -> ImportResult | None:
        plan = self.plan
        if plan is None:
            return None
        label = self.tr("Checking rows…") if dry_run else self.tr("Importing rows…")
        try:
            with progress_dialog(self, label, len(plan.rows)) as progress:
                return run_import(
                    self.project,
                    plan,
                    dry_run=dry_run,
                    create_missing=self.create_missing.isChecked(),
                    progress=progress.report,
                    cancelled=progress.cancelled,
                )
        except IsmsError as exc:  # includes a cancelled run: nothing was written
            self._show_error(str(exc))
            return None

    def check(self) -> None:
        """The dry run: every problem in the table, nothing written."""
        self._invalidate()
        result = self._run(dry_run=True)
        if result is None:
            return
        self.outcome = result
        self._fill_problems(result)
        self._checked = not result.problems
        if result.problems:
            self.summary.setText(dialog_wording(result.summary()))
        else:
            self.summary.setText(
                self.tr("No problems: {0}. Press Import to import them.").format(result.summary())
            )
        self._update_buttons()

    def do_import(self) -> None:
        if not self._checked:
            return
        result = self._run(dry_run=False)
        if result is None:
            return
        self.outcome = result
        self._fill_problems(result)
        if not result.written:
            self._checked = False
            self.summary.setText(result.summary())
            self._update_buttons()
            return
        self.imported = True
        self._undoable(result)
        self.summary.setText(result.summary())
        self._update_buttons()
        QMessageBox.information(
            self,
            self.tr("Import from Spreadsheet"),
            self.tr("{0}.\n\nEdit ▸ Undo takes the import back.").format(
                result.summary().rstrip(".")
            ),
        )
        self.accept()

    def _undoable(self, result: ImportResult) -> None:
        """Put the import on the main window's undo stack (Edit ▸ Undo takes it back)."""
        from isms_desktop.ui.io.import_undo import ImportCommand
        from isms_desktop.ui.main_window import MainWindow

        window = self.parent()
        if isinstance(window, MainWindow) and result.changes is not None:
            window.undo_stack.push(
                ImportCommand(
                    window,
                    result.plan,
                    result.changes,
                    create_missing=self.create_missing.isChecked(),
                )
            )

    def _fill_problems(self, result: ImportResult) -> None:
        self.problems.setRowCount(len(result.problems))
        for row, problem in enumerate(result.problems):
            values = (
                str(problem.row),
                problem.column,
                problem.value,
                dialog_wording(problem.reason),
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.problems.setItem(row, column, item)
        self.problems.resizeColumnsToContents()
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def _show_error(self, message: str) -> None:
        self.summary.setText(dialog_wording(message))
        self._update_buttons()

    def done(self, result: int) -> None:
        if self.book is not None:
            self.book.close()
            self.book = None
        super().done(result)
