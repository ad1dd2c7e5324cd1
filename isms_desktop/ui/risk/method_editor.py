"""The risk method editor (clause 6.1.2 a–b): scales, risk levels, matrix and acceptance.

Saving replaces the project's method through ``services.risk_method.change_method``, which
re-evaluates every risk in one transaction; the dialog then says how many risks changed
level. When a scale shrinks below scores in use, the user chooses where the old values go.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import CancelledError, IsmsError
from isms_desktop.domain.risk_method import (
    MAX_LEVELS,
    MIN_LEVELS,
    MappingNeeded,
    RiskLevel,
    RiskMethod,
    ScaleLevel,
)
from isms_desktop.services.projects import Project
from isms_desktop.services.risk_method import (
    MethodChange,
    change_method,
    current_method,
    template_method,
)
from isms_desktop.ui.busy import progress_dialog
from isms_desktop.ui.colours import text_colour
from isms_desktop.ui.registers.field_editors import LongTextEditor
from isms_desktop.ui.risk.mapping_dialog import ask_mapping
from isms_desktop.ui.screen_fit import fitting_size

TEMPLATES = ("5x5", "3x3")
DEFAULT_COLOURS = ("#6abf69", "#ffd54f", "#ff9800", "#e53935", "#8e24aa", "#5d4037")

MappingChooser = Callable[[MappingNeeded], dict[int, int] | None]
# a name that states the matrix's size ("5 × 5 matrix", as the templates are named)
_SIZE_NAME = re.compile(r"(\d+) × (\d+) matrix")


def _slug(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "level"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


class _DescriptionDelegate(QStyledItemDelegate):
    """A scale level's description is edited in a box of several lines (it is read by
    whoever scores a risk, so it is often a paragraph)."""

    def createEditor(
        self,
        parent: QWidget,
        _option: QStyleOptionViewItem,
        _index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = LongTextEditor(parent)
        editor.setAutoFillBackground(True)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, LongTextEditor):
            editor.set_value(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, LongTextEditor):
            model.setData(index, editor.value().strip(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self,
        editor: QWidget,
        option: QStyleOptionViewItem,
        _index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect = QRect(option.rect)  # type: ignore[attr-defined]
        rect.setHeight(max(rect.height(), editor.fontMetrics().height() * 5))
        editor.setGeometry(rect)


_COLOUR = Qt.ItemDataRole.UserRole + 1  # a level's colour, "#rrggbb", on its Colour cell


class _SwatchDelegate(QStyledItemDelegate):
    """A level's Colour cell: a swatch of the colour with the level's name on it, the way
    the matrix and heat map show the level (not the "#6abf69" it is stored as). The swatch
    stays visible when its row is selected: the selection shows around it."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # the selection and focus, under the swatch
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        colour = QColor(str(index.data(_COLOUR) or "#cccccc"))
        rect = opt.rect.adjusted(3, 2, -3, -2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour.darker(140), 1))
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QColor(text_colour(colour.name())))
        painter.drawText(
            rect.adjusted(6, 0, -6, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            painter.fontMetrics().elidedText(
                str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
                Qt.TextElideMode.ElideRight,
                max(0, rect.width() - 12),
            ),
        )
        painter.restore()


class ScaleEditor(QGroupBox):
    """A likelihood or impact scale: 3 to 6 levels, each with a label and a description."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Levels:"), self))
        self.size_spin = QSpinBox(self)
        self.size_spin.setRange(MIN_LEVELS, MAX_LEVELS)
        row.addWidget(self.size_spin)
        row.addStretch(1)
        layout.addLayout(row)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Label"), self.tr("Description")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 120)
        self.table.setWordWrap(True)
        # each description whole, on as many lines as it needs at the column's width (the
        # table scrolls), and edited in a box of several lines
        self.table.setItemDelegateForColumn(1, _DescriptionDelegate(self.table))
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.installEventFilter(self)  # its width changes: the rows fit again
        layout.addWidget(self.table)
        self.size_spin.valueChanged.connect(self._resize)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.table.itemChanged.connect(self._fit_rows)

    def _fit_rows(self, *_args: object) -> None:
        self.table.resizeRowsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            # after the header has stretched the description column to the new width
            QTimer.singleShot(0, self, self._fit_rows)
        return super().eventFilter(watched, event)

    def set_levels(self, levels: Sequence[ScaleLevel]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for level in levels:
            self._append(level.label, level.description)
        self.table.blockSignals(False)
        self.size_spin.blockSignals(True)
        self.size_spin.setValue(len(levels))
        self.size_spin.blockSignals(False)
        self._number_rows()
        self._fit_rows()
        self.changed.emit()

    def levels(self) -> tuple[ScaleLevel, ...]:
        found = []
        for row in range(self.table.rowCount()):
            label = self.table.item(row, 0)
            text = self.table.item(row, 1)
            found.append(
                ScaleLevel(
                    row + 1,
                    label.text().strip() if label else "",
                    text.text().strip() if text else "",
                )
            )
        return tuple(found)

    def _append(self, label: str, description: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(label))
        self.table.setItem(row, 1, QTableWidgetItem(description))

    def _resize(self, size: int) -> None:
        self.table.blockSignals(True)
        while self.table.rowCount() < size:
            self._append(self.tr("Level {0}").format(self.table.rowCount() + 1), "")
        while self.table.rowCount() > size:
            self.table.removeRow(self.table.rowCount() - 1)
        self.table.blockSignals(False)
        self._number_rows()
        self._fit_rows()
        self.changed.emit()

    def _number_rows(self) -> None:
        self.table.setVerticalHeaderLabels([str(n) for n in range(1, self.table.rowCount() + 1)])


class LevelsEditor(QGroupBox):
    """The risk levels, lowest first, each with a label and a colour."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Risk levels (lowest first)"), parent)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Label"), self.tr("Colour")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(1, _SwatchDelegate(self.table))
        self.table.cellDoubleClicked.connect(self._cell_double_clicked)
        self.table.itemChanged.connect(self._item_changed)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add Level"), self)
        self.remove_button = QPushButton(self.tr("Remove Level"), self)
        self.colour_button = QPushButton(self.tr("Colour…"), self)
        for button in (self.add_button, self.remove_button, self.colour_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        hint = QLabel(self.tr("Double-click a colour to change it."), self)
        hint.setEnabled(False)
        layout.addWidget(hint)
        self.add_button.clicked.connect(self.add_level)
        self.remove_button.clicked.connect(self.remove_level)
        self.colour_button.clicked.connect(lambda: self._choose_colour(self.table.currentRow()))
        self._codes: list[str] = []
        # a button that would do nothing is shown disabled (two levels are the least; a
        # colour is changed for the level chosen)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.changed.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.rowCount() > 2)
        self.colour_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def set_levels(self, levels: Sequence[RiskLevel]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self._codes = []
        for level in levels:
            self._append(level.code, level.label, level.colour)
        self.table.blockSignals(False)
        self.table.clearSelection()
        self.changed.emit()

    def levels(self) -> tuple[RiskLevel, ...]:
        found = []
        for row, code in enumerate(self._codes):
            label = self.table.item(row, 0)
            found.append(RiskLevel(code, label.text().strip() if label else code, self.colour(row)))
        return tuple(found)

    def colour(self, row: int) -> str:
        """The colour of the level in ``row``, as "#rrggbb"."""
        item = self.table.item(row, 1)
        return str(item.data(_COLOUR)) if item is not None and item.data(_COLOUR) else "#cccccc"

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:  # the swatch carries the level's name
            swatch = self.table.item(item.row(), 1)
            if swatch is not None:
                self.table.blockSignals(True)
                swatch.setText(item.text().strip())
                self.table.blockSignals(False)
                self.table.viewport().update()
        self.changed.emit()

    def add_level(self) -> None:
        row = self.table.rowCount()
        label = self.tr("Level {0}").format(row + 1)
        self._append(
            _slug(label, set(self._codes)), label, DEFAULT_COLOURS[row % len(DEFAULT_COLOURS)]
        )
        self.changed.emit()

    def remove_level(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if self.table.rowCount() <= 2 or row < 0:
            return
        self.table.removeRow(row)
        del self._codes[row]
        self.changed.emit()

    def set_colour(self, row: int, colour: str) -> None:
        item = self.table.item(row, 1)
        if item is None:
            return
        item.setData(_COLOUR, QColor(colour).name())
        self.table.viewport().update()

    def _append(self, code: str, label: str, colour: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._codes.append(code)
        self.table.setItem(row, 0, QTableWidgetItem(label))
        item = QTableWidgetItem(label)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        item.setToolTip(self.tr("Double-click to change the colour."))
        self.table.setItem(row, 1, item)
        self.set_colour(row, colour)

    def _cell_double_clicked(self, row: int, column: int) -> None:
        if column == 1:
            self._choose_colour(row)

    def _choose_colour(self, row: int) -> None:
        item = self.table.item(row, 1)
        if item is None:
            return
        colour = QColorDialog.getColor(QColor(self.colour(row)), self, self.tr("Level Colour"))
        if colour.isValid():
            self.set_colour(row, colour.name())
            self.changed.emit()


class MatrixEditor(QGroupBox):
    """The risk matrix: one choice of risk level per (likelihood, impact), highest row on top."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Risk matrix"), parent)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        caption = QLabel(self.tr("Rows: likelihood · columns: impact"), self)
        caption.setEnabled(False)
        layout.addWidget(caption)
        self._levels: tuple[RiskLevel, ...] = ()
        self._matrix: list[list[str]] = []
        self._combos: dict[tuple[int, int], QComboBox] = {}

    def cell_combo(self, likelihood: int, impact: int) -> QComboBox:
        return self._combos[(likelihood, impact)]

    def matrix(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(row) for row in self._matrix)

    def set_method_parts(
        self,
        likelihood: Sequence[ScaleLevel],
        impact: Sequence[ScaleLevel],
        levels: Sequence[RiskLevel],
        matrix: Sequence[Sequence[str]] | None = None,
    ) -> None:
        """Rebuild the grid for these scales, keeping what can be kept of the old matrix."""
        old = [list(r) for r in (matrix if matrix is not None else self._matrix)]
        codes = [lv.code for lv in levels]
        fallback = codes[0] if codes else ""
        new: list[list[str]] = []
        for li in range(len(likelihood)):
            row = []
            for ii in range(len(impact)):
                if old:
                    src = old[min(li, len(old) - 1)]
                    value = src[min(ii, len(src) - 1)] if src else fallback
                else:
                    value = fallback
                row.append(value if value in codes else fallback)
            new.append(row)
        self._matrix = new
        self._levels = tuple(levels)
        self._rebuild(likelihood, impact)

    def _rebuild(self, likelihood: Sequence[ScaleLevel], impact: Sequence[ScaleLevel]) -> None:
        rows, columns = len(likelihood), len(impact)
        self.table.clear()
        self._combos = {}
        self.table.setRowCount(rows)
        self.table.setColumnCount(columns)
        self.table.setVerticalHeaderLabels(
            [f"{lv.value} {lv.label}" for lv in reversed(likelihood)]
        )
        self.table.setHorizontalHeaderLabels([f"{lv.value} {lv.label}" for lv in impact])
        for li in range(1, rows + 1):
            for ii in range(1, columns + 1):
                combo = QComboBox(self.table)
                for level in self._levels:
                    combo.addItem(level.label, level.code)
                combo.setCurrentIndex(max(0, combo.findData(self._matrix[li - 1][ii - 1])))
                combo.currentIndexChanged.connect(
                    lambda _i, li=li, ii=ii: self._cell_changed(li, ii)
                )
                self._combos[(li, ii)] = combo
                self.table.setCellWidget(rows - li, ii - 1, combo)
                self._paint(li, ii)

    def _cell_changed(self, likelihood: int, impact: int) -> None:
        combo = self._combos[(likelihood, impact)]
        self._matrix[likelihood - 1][impact - 1] = str(combo.currentData())
        self._paint(likelihood, impact)
        self.changed.emit()

    def _paint(self, likelihood: int, impact: int) -> None:
        code = self._matrix[likelihood - 1][impact - 1]
        level = next((lv for lv in self._levels if lv.code == code), None)
        colour = level.colour if level else "#cccccc"
        # With a border of its own the box is painted flat in the level's colour; without,
        # Fusion paints a lighter gradient on which the contrasting text no longer reads.
        self._combos[(likelihood, impact)].setStyleSheet(
            f"QComboBox {{ background-color: {colour}; color: {text_colour(colour)}; "
            f"border: 1px solid {QColor(colour).darker(140).name()}; border-radius: 3px; "
            "padding: 1px 4px; }"
        )


class RiskMethodEditor(QDialog):
    """Edit the project's risk method and save it, re-evaluating every risk."""

    saved = Signal(object)  # MethodChange

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Risk Method"))
        self.original = current_method(project)
        self.last_change: MethodChange | None = None
        self.mapping_chooser: MappingChooser = self._ask_mapping
        self._loading = False
        self._code = self.original.code
        self._description = self.original.description

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Clause 6.1.2 asks for a risk assessment process that gives consistent, valid "
                "and comparable results. Define how likely and how harmful a risk can be, which "
                "combination gives which risk level, and up to which level a risk may be "
                "accepted. Saving re-evaluates every risk of the project."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        top = QHBoxLayout()
        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        form.addRow(self.tr("Name:"), self.name_edit)
        top.addLayout(form, 1)
        self.template_combo = QComboBox(self)
        for code in TEMPLATES:
            self.template_combo.addItem(template_method(code).name, code)
        self.template_button = QPushButton(self.tr("Start From Template"), self)
        self.template_button.clicked.connect(self.start_from_template)
        top.addWidget(self.template_combo)
        top.addWidget(self.template_button)
        layout.addLayout(top)

        scales = QHBoxLayout()
        self.likelihood_editor = ScaleEditor(self.tr("Likelihood scale"), self)
        self.impact_editor = ScaleEditor(self.tr("Impact scale"), self)
        scales.addWidget(self.likelihood_editor)
        scales.addWidget(self.impact_editor)
        layout.addLayout(scales, 3)

        lower = QHBoxLayout()
        self.levels_editor = LevelsEditor(self)
        self.matrix_editor = MatrixEditor(self)
        lower.addWidget(self.levels_editor, 2)
        lower.addWidget(self.matrix_editor, 5)
        layout.addLayout(lower, 4)

        acceptance = QGroupBox(self.tr("Risk acceptance criteria"), self)
        acceptance_form = QFormLayout(acceptance)
        self.acceptance_combo = QComboBox(acceptance)
        self.acceptance_by_edit = QLineEdit(acceptance)
        self.acceptance_by_edit.setPlaceholderText(
            self.tr("e.g. Risk owner; above this level: top management")
        )
        acceptance_form.addRow(self.tr("Risks may be accepted up to:"), self.acceptance_combo)
        acceptance_form.addRow(self.tr("Accepted by:"), self.acceptance_by_edit)
        layout.addWidget(acceptance)

        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("QLabel { color: #b71c1c; }")
        layout.addWidget(self.problems_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.likelihood_editor.changed.connect(self._structure_changed)
        self.impact_editor.changed.connect(self._structure_changed)
        self.levels_editor.changed.connect(self._structure_changed)
        self.matrix_editor.changed.connect(self._validate)
        self.name_edit.textChanged.connect(self._validate)
        self.acceptance_combo.currentIndexChanged.connect(self._validate)
        self.load_method(self.original)
        self._shown = self.method()  # what "unsaved changes" are measured against
        if project.read_only:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.resize(fitting_size(self, 1100, 760))

    # -- building the method -----------------------------------------------------------------

    def load_method(self, method: RiskMethod) -> None:
        self._loading = True
        try:
            self.name_edit.setText(method.name)
            self.likelihood_editor.set_levels(method.likelihood)
            self.impact_editor.set_levels(method.impact)
            self.levels_editor.set_levels(method.levels)
            self.matrix_editor.set_method_parts(
                method.likelihood, method.impact, method.levels, method.matrix
            )
            self._fill_acceptance(method.acceptance_level)
            self.acceptance_by_edit.setText(method.acceptance_by)
            self._description = method.description
            self._code = method.code
        finally:
            self._loading = False
        self._validate()

    def has_changes(self) -> bool:
        """Edits in the dialog that are not saved."""
        return not self.project.read_only and self.method() != self._shown

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def start_from_template(self) -> bool:
        """Replace what the dialog shows with the template chosen; asks first when that
        would drop edits made here (nothing is saved until Save)."""
        template = template_method(str(self.template_combo.currentData()))
        if self.has_changes() and not self._confirm(
            self.tr("Start From Template"),
            self.tr(
                "Replace the scales, risk levels, matrix and acceptance criteria shown with "
                "the template “{0}”? The changes you made here are lost."
            ).format(template.name),
        ):
            return False
        self.load_method(template)
        return True

    def reject(self) -> None:
        """Cancel, Esc or closing the window: asks before unsaved edits are dropped."""
        if self.has_changes() and not self._confirm(
            self.tr("Discard Changes"),
            self.tr(
                "Discard your changes to the risk method? Nothing is saved and the risks "
                "keep their levels."
            ),
        ):
            return
        super().reject()

    def method(self) -> RiskMethod:
        """The method as the dialog shows it now."""
        likelihood = self.likelihood_editor.levels()
        impact = self.impact_editor.levels()
        code = self._code
        if code in TEMPLATES and self._differs_from_template(code):
            code = "custom"
        return RiskMethod(
            code=code,
            name=self.name_edit.text().strip(),
            description=self._description,
            likelihood=likelihood,
            impact=impact,
            levels=self.levels_editor.levels(),
            matrix=self.matrix_editor.matrix(),
            acceptance_level=str(self.acceptance_combo.currentData() or ""),
            acceptance_by=self.acceptance_by_edit.text().strip(),
        )

    def _differs_from_template(self, code: str) -> bool:
        template = template_method(code)
        return (
            self.likelihood_editor.levels() != template.likelihood
            or self.impact_editor.levels() != template.impact
            or self.levels_editor.levels() != template.levels
            or self.matrix_editor.matrix() != template.matrix
        )

    def _fill_acceptance(self, selected: str) -> None:
        combo = self.acceptance_combo
        combo.blockSignals(True)
        combo.clear()
        for level in self.levels_editor.levels():
            combo.addItem(level.label, level.code)
        combo.setCurrentIndex(max(0, combo.findData(selected)))
        combo.blockSignals(False)

    def _structure_changed(self) -> None:
        if self._loading:
            return
        self._fill_acceptance(str(self.acceptance_combo.currentData() or ""))
        self._name_the_size()
        self.matrix_editor.set_method_parts(
            self.likelihood_editor.levels(),
            self.impact_editor.levels(),
            self.levels_editor.levels(),
        )
        self._validate()

    def _name_the_size(self) -> None:
        """A name that states the matrix's size keeps stating it when a scale grows or
        shrinks (a "5 × 5 matrix" of 5 × 4 would be recorded in every report)."""
        if not _SIZE_NAME.fullmatch(self.name_edit.text().strip()):
            return
        rows, columns = len(self.likelihood_editor.levels()), len(self.impact_editor.levels())
        self.name_edit.setText(f"{rows} × {columns} matrix")

    def _validate(self) -> None:
        if self._loading:
            return
        problems = self.method().problems()
        if not self.name_edit.text().strip():
            problems.insert(0, self.tr("the method needs a name"))
        self.problems_label.setText("; ".join(problems))
        self.problems_label.setVisible(bool(problems))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not problems and not self.project.read_only)

    # -- saving ------------------------------------------------------------------------------

    def _ask_mapping(self, needed: MappingNeeded) -> dict[int, int] | None:
        old = self.original.scale(needed.scale)
        new = self.method().scale(needed.scale)
        return ask_mapping(self, needed, old, new)

    def save(self) -> bool:
        """Replace the method, re-evaluate the risks, and say how many changed level."""
        method = self.method()
        maps: dict[str, dict[int, int]] = {}
        while True:
            try:
                label = self.tr("Re-evaluating the risks with the new method…")
                with progress_dialog(self, label) as progress:
                    result = change_method(
                        self.project,
                        method,
                        likelihood_map=maps.get("likelihood"),
                        impact_map=maps.get("impact"),
                        progress=progress.report,
                        cancelled=progress.cancelled,
                    )
            except CancelledError:
                return False  # nothing was changed; the editor stays open
            except MappingNeeded as needed:
                mapping = self.mapping_chooser(needed)
                if mapping is None:
                    return False
                maps[needed.scale] = {**maps.get(needed.scale, {}), **mapping}
                continue
            except IsmsError as exc:
                QMessageBox.warning(self, self.tr("Cannot Save the Risk Method"), str(exc))
                return False
            break
        self.last_change = result
        self.original = method
        self._shown = method
        QMessageBox.information(
            self,
            self.tr("Risk Method Saved"),
            self.tr("The risk method was saved. {0} of {1} risks changed level.").format(
                result.changed_level, result.risks
            ),
        )
        self.saved.emit(result)
        self.accept()
        return True
