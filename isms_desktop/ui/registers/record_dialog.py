"""The record editor: a form generated from a register's fields, for adding and editing.

Values are checked as the user saves: a refused value is shown in red under its field and
the dialog stays open. Enter saves (outside multi-line fields), Esc cancels. The dialog
does not write anything itself: ``save`` is given by the view (which pushes undo commands).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.fields import Field, Kind, display_value, parse_value
from isms_desktop.domain.register_rules import record_problems
from isms_desktop.ui.registers.field_editors import (
    Choices,
    editor_value,
    make_editor,
    set_editor_value,
)
from isms_desktop.ui.screen_fit import fitting_size

# save(values) -> None on success, or (field name, message) to show next to that field.
Save = Callable[[dict[str, Any]], "tuple[str, str] | None"]


class RecordDialog(QDialog):
    """Add (``values`` empty) or edit one record of a register."""

    def __init__(
        self,
        title: str,
        fields: tuple[Field, ...],
        editable: Callable[[Field], bool],
        choices: Choices,
        values: Mapping[str, Any],
        save: Save,
        *,
        display: Mapping[str, str] | None = None,
        purpose: str = "",
        register: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._register = register
        self.setWindowTitle(title)
        self._fields = fields
        self._save = save
        self._initial = dict(values)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

        outer = QVBoxLayout(self)
        if purpose:
            intro = QLabel(purpose, self)
            intro.setWordWrap(True)
            outer.addWidget(intro)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_widget = QWidget(scroll)
        form = QFormLayout(form_widget)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for f in fields:
            label_text = f.header + (" *" if f.required else "")
            if not editable(f):
                shown = (display or {}).get(f.name) or display_value(f, values.get(f.name))
                if not shown and not values:
                    continue  # nothing to show on a new record
                value_label = QLabel(shown or "—", form_widget)
                value_label.setWordWrap(True)
                value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(f.header + ":", value_label)
                continue
            editor = make_editor(f, choices, form_widget, in_cell=False)
            editor.setObjectName(f"editor_{f.name}")
            set_editor_value(editor, values.get(f.name))
            if f.name == "code" and not values.get("code") and isinstance(editor, QLineEdit):
                editor.setPlaceholderText(self.tr("Leave empty for the next free code"))
            if isinstance(editor, QPlainTextEdit):
                editor.setFixedHeight(editor.fontMetrics().height() * 4 + 12)
            names = {"C": "Confidentiality", "I": "Integrity", "A": "Availability"}
            if f.help:
                editor.setToolTip(f.help)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(editor)
            if f.help:  # said under the field, not only in a tooltip nobody finds
                hint = QLabel(f.help, form_widget)
                hint.setObjectName(f"help_{f.name}")
                hint.setWordWrap(True)
                hint_palette = hint.palette()
                hint_palette.setColor(
                    QPalette.ColorRole.WindowText,
                    hint_palette.color(QPalette.ColorRole.PlaceholderText),
                )
                hint.setPalette(hint_palette)
                font = hint.font()
                font.setPointSizeF(font.pointSizeF() * 0.9)
                hint.setFont(font)
                column.addWidget(hint)
            error = QLabel(form_widget)
            error.setObjectName(f"error_{f.name}")
            error.setWordWrap(True)
            palette = error.palette()
            palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.red)
            error.setPalette(palette)
            error.hide()
            column.addWidget(error)
            self.editors[f.name] = editor
            self.errors[f.name] = error
            form.addRow(names.get(label_text, label_text) + ":", column)
        scroll.setWidget(form_widget)
        outer.addWidget(scroll, 1)
        self.note = QLabel(self.tr("* required"), self)
        outer.addWidget(self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setDefault(True)
        save_button.setAutoDefault(True)
        # as tall as the fields need, within the screen (the form scrolls)
        self.resize(fitting_size(self, 640, min(760, 140 + 44 * len(self.editors))))

    def values(self) -> dict[str, Any]:
        """The values of the fields the user may set, as typed."""
        return {name: editor_value(editor) for name, editor in self.editors.items()}

    def changed_values(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.values().items()
            if _differs(value, self._initial.get(name))
        }

    def show_error(self, field_name: str, message: str) -> None:
        label = self.errors.get(field_name)
        if label is None:
            # A rule about a field not on the form: say it under the buttons instead.
            self.note.setText(message)
            return
        label.setText(message)
        label.show()
        self.editors[field_name].setFocus()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.note.setText(self.tr("* required"))

    def _check(self, values: Mapping[str, Any]) -> tuple[str, str] | None:
        """What can be checked without the project: types, required fields, simple rules."""
        parsed: dict[str, Any] = dict(self._initial)
        for f in self._fields:
            if f.name not in values:
                continue
            if f.kind in (Kind.SCALE, Kind.PERSON, Kind.REF, Kind.REFS):
                parsed[f.name] = values[f.name]
                continue  # checked against the project by the services
            if f.name == "code" and not str(values[f.name] or "").strip():
                continue  # the next free code is given
            try:
                parsed[f.name] = parse_value(f, values[f.name])
            except ValueError as exc:
                return f.name, str(exc)
        problems = record_problems(self._register, parsed)
        return problems[0] if problems else None

    def try_save(self) -> None:
        self.clear_errors()
        values = self.values()
        problem = self._check(values)
        if problem is None:
            problem = self._save(values)
        if problem is not None:
            self.show_error(*problem)
            return
        self.accept()


def _differs(new: Any, old: Any) -> bool:
    if new in (None, "", []) and old in (None, "", []):
        return False
    if isinstance(new, str) and not isinstance(old, str) and old is not None:
        return new.strip() != str(old)
    if isinstance(new, str) and isinstance(old, str):
        return new.strip() != old.strip()
    return bool(new != old)
