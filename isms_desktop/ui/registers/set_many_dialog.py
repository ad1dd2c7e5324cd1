"""Set one field of all the selected rows at once: the owner of 40 risks, the status of a
batch of actions (issue 6: multi-select edit), chosen from a list rather than typed into a
cell of one of them. One step of Edit > Undo, as an edit in a cell of a selected row is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.fields import Field
from isms_desktop.ui.registers.field_editors import Choices, editor_value, make_editor


class SetManyDialog(QDialog):
    """Pick a field and its value; ``apply(field, value)`` sets it on the selected rows and
    says whether it was done (a refusal keeps the dialog open with its reason shown)."""

    def __init__(
        self,
        fields: Sequence[Field],
        choices: Choices,
        count: int,
        noun: str,
        apply: Callable[[Field, Any], str | None],
        parent: QWidget | None = None,
    ) -> None:
        """``noun``: the register's records in the plural ("risks")."""
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Set a Field of {0} Selected {1}").format(
                f"{count:,}", noun[:1].upper() + noun[1:]
            )
        )
        self._fields = list(fields)
        self._choices = choices
        self._apply = apply
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The value chosen is set on all {0} selected {1}, in one step that Edit ▸ "
                "Undo takes back."
            ).format(f"{count:,}", noun),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = QFormLayout()
        self.field_combo = QComboBox(self)
        for f in self._fields:
            self.field_combo.addItem(f.header, f.name)
        self.form.addRow(self.tr("&Field:"), self.field_combo)
        self.editor: QWidget = QLabel(self)
        self.form.addRow(self.tr("&Value:"), self.editor)
        layout.addLayout(self.form)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Set on All"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.field_combo.currentIndexChanged.connect(self._field_changed)
        self._field_changed()
        self.resize(480, self.sizeHint().height())

    def field(self) -> Field:
        return self._fields[max(self.field_combo.currentIndex(), 0)]

    def choose(self, name: str) -> None:
        """Pick the field called ``name`` (the column the user was in, say)."""
        index = self.field_combo.findData(name)
        if index >= 0:
            self.field_combo.setCurrentIndex(index)

    def _field_changed(self) -> None:
        editor = make_editor(self.field(), self._choices, self, in_cell=False)
        self.form.replaceWidget(self.editor, editor)
        self.editor.hide()  # (deleted when the event loop next runs: not seen meanwhile)
        self.editor.deleteLater()
        self.editor = editor
        label = self.form.labelForField(editor)
        if isinstance(label, QLabel):
            label.setBuddy(editor)
        self.error.hide()

    def value(self) -> Any:
        return editor_value(self.editor)

    def accept(self) -> None:
        refused = self._apply(self.field(), self.value())
        if refused:
            self.error.setText(refused)
            self.error.show()
            return
        super().accept()
