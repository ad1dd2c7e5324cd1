"""One input widget per field kind, shared by the table's delegates and the record editor.

Every editor offers ``value()`` (something ``services.registers`` accepts, parsed there) and
``set_value()`` (from the stored value of ``RecordRow.values``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.fields import Field, Kind, split_codes

Choices = Callable[[Field], list[tuple[str, str]]]
_NO_DATE = QDate(1900, 1, 1)


class FieldEditor(Protocol):
    def value(self) -> Any: ...

    def set_value(self, value: Any) -> None: ...


class TextEditor(QLineEdit):
    def value(self) -> Any:
        return self.text()

    def set_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))


class NumberEditor(TextEditor):
    """Whole or decimal numbers, typed freely; the services say what is wrong."""

    def __init__(self, f: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = f.kind
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        if f.minimum is not None and f.maximum is not None:
            self.setPlaceholderText(f"{f.minimum}–{f.maximum}")

    def value(self) -> Any:
        text = self.text().strip()
        try:
            return int(text) if self._kind is Kind.INT else float(text.replace(",", "."))
        except ValueError:
            return text

    def set_value(self, value: Any) -> None:
        if isinstance(value, float):
            self.setText(f"{value:g}")
        else:
            super().set_value(value)


class LongTextEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def value(self) -> Any:
        return self.toPlainText()

    def set_value(self, value: Any) -> None:
        self.setPlainText("" if value is None else str(value))


class ListEditor(LongTextEditor):
    """Several short texts, one per line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("One per line"))

    def value(self) -> Any:
        return [line.strip() for line in self.toPlainText().splitlines() if line.strip()]

    def set_value(self, value: Any) -> None:
        self.setPlainText("\n".join(str(v) for v in value or []))


class ChoiceEditor(QComboBox):
    """A choice, a person, a record of another register or a scale value."""

    def __init__(self, f: Field, choices: Sequence[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self._kind = f.kind
        if not f.required or f.kind is Kind.SCALE:
            self.addItem("", None)
        for value, label in choices:
            data: Any = int(value) if f.kind is Kind.SCALE else value
            text = label
            if f.kind is Kind.REF and label != value:
                text = f"{value} – {label}"
            self.addItem(text, data)
            if f.kind is Kind.PERSON:
                self.setItemData(self.count() - 1, value, Qt.ItemDataRole.ToolTipRole)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        # A required record of another register starts unchosen, not on the first one: an
        # interaction's From and To both on the first process made every new one refused.
        self._unchosen = f.kind is Kind.REF and f.required
        if self._unchosen:
            self.setPlaceholderText(self.tr("Choose…"))
            self.setCurrentIndex(-1)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        if index < 0 and value is not None:
            # A value no longer among the choices stays visible rather than being lost.
            self.addItem(str(value), value)
            index = self.count() - 1
        self.setCurrentIndex(-1 if index < 0 and self._unchosen else max(index, 0))


class BoolEditor(QCheckBox):
    """Yes, no, or (while undecided) the partial state."""

    def value(self) -> Any:
        state = self.checkState()
        if state == Qt.CheckState.PartiallyChecked:
            return None
        return state == Qt.CheckState.Checked

    def set_value(self, value: Any) -> None:
        self.setTristate(value is None)
        if value is None:
            self.setCheckState(Qt.CheckState.PartiallyChecked)
        else:
            self.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)

    def nextCheckState(self) -> None:
        # Undecided → yes → no → yes …: once decided there is no way back to "undecided".
        self.setTristate(False)
        checked = self.checkState() == Qt.CheckState.Checked
        self.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)


class DateEditor(QDateEdit):
    """A date with a calendar; the lowest date stands for "no date" and shows as blank.

    A blank date's calendar opens on today's month without choosing a day: selecting
    today in the calendar (as this did until 2026-12-07) also set the field, so saving a
    form wrote today into every empty date (a risk "accepted" today by nobody)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_NO_DATE)
        self.setSpecialValueText(" ")
        self.setDate(_NO_DATE)
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        _blank_opens_on_today(self, watched, event)
        return super().eventFilter(watched, event)

    def value(self) -> Any:
        if self.date() == _NO_DATE:
            return None
        return self.date().toPython()

    def set_value(self, value: Any) -> None:
        if isinstance(value, dt.date):
            self.setDate(QDate(value.year, value.month, value.day))
        else:
            self.setDate(_NO_DATE)


def _blank_opens_on_today(editor: DateEditor | DateTimeEditor, watched: QObject, e: QEvent) -> None:
    """A blank editor's calendar, about to show, turns to today's month (shown, not chosen:
    choosing would fill the field)."""
    calendar = editor.calendarWidget()
    if watched is calendar and e.type() == QEvent.Type.Show and editor.value() is None:
        today = QDate.currentDate()
        calendar.setCurrentPage(today.year(), today.month())


class DateTimeEditor(QDateTimeEdit):
    """A date and time with a calendar; the lowest stands for "none" and shows as blank."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.setMinimumDateTime(QDateTime(_NO_DATE, QTime(0, 0)))
        self.setSpecialValueText(" ")
        self.setDateTime(self.minimumDateTime())
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        _blank_opens_on_today(self, watched, event)
        return super().eventFilter(watched, event)

    def value(self) -> Any:
        if self.dateTime() == self.minimumDateTime():
            return None
        value = self.dateTime().toPython()
        assert isinstance(value, dt.datetime)
        return value.replace(second=0, microsecond=0)

    def set_value(self, value: Any) -> None:
        if isinstance(value, dt.datetime):
            self.setDateTime(
                QDateTime(
                    QDate(value.year, value.month, value.day), QTime(value.hour, value.minute)
                )
            )
        else:
            self.setDateTime(self.minimumDateTime())


class PickerDialog(QDialog):
    """Tick several records of another register; a filter box narrows long lists."""

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, str]],
        selected: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        layout.addWidget(self.filter_edit)
        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        wanted = set(selected)
        known = {code for code, _label in choices}
        for code, label in [*((c, c) for c in selected if c not in known), *choices]:
            text = code if label == code else f"{code} – {label}"
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in wanted else Qt.CheckState.Unchecked)
            item.setToolTip(text)
        self.list.itemActivated.connect(self._toggle)
        layout.addWidget(self.list)
        self.count_label = QLabel(self)
        layout.addWidget(self.count_label)
        self.list.itemChanged.connect(self._count)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 480)
        self._count()

    def _toggle(self, item: QListWidgetItem) -> None:
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def _count(self) -> None:
        self.count_label.setText(self.tr("{0} selected").format(len(self.selected())))

    def selected(self) -> list[str]:
        return [
            str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]


class RefsEditor(QWidget):
    """Several records of another register: typed as codes, or picked from a list."""

    picked = Signal()

    def __init__(self, f: Field, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = f
        self._choices = choices
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(self.tr("Codes, separated by commas"))
        layout.addWidget(self.line)
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setToolTip(self.tr("Choose from a list"))
        self.button.clicked.connect(self.pick)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)

    def value(self) -> Any:
        return split_codes(self.line.text(), controls=self._field.ref == "controls")

    def set_value(self, value: Any) -> None:
        self.line.setText(", ".join(str(v) for v in value or []))

    def picker(self) -> PickerDialog:
        return PickerDialog(
            self.tr("Choose {0}").format(self._field.header),
            self._choices(self._field),
            self.value(),
            self,
        )

    def pick(self) -> None:
        dialog = self.picker()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_value(dialog.selected())
            self.picked.emit()


def make_editor(f: Field, choices: Choices, parent: QWidget | None, *, in_cell: bool) -> QWidget:
    """The editor widget for one field (``in_cell``: inside a table cell)."""
    match f.kind:
        case Kind.CHOICE | Kind.PERSON | Kind.REF | Kind.SCALE:
            return ChoiceEditor(f, choices(f), parent)
        case Kind.BOOL:
            return BoolEditor(parent)
        case Kind.DATE:
            return DateEditor(parent)
        case Kind.DATETIME:
            return DateTimeEditor(parent)
        case Kind.INT | Kind.NUMBER:
            return NumberEditor(f, parent)
        case Kind.LONGTEXT:
            return LongTextEditor(parent)
        case Kind.LIST:
            return ListEditor(parent)
        case Kind.REFS:
            return RefsEditor(f, choices, parent)
    return TextEditor(parent)


def editor_value(editor: QWidget) -> Any:
    return editor.value()  # type: ignore[attr-defined]


def set_editor_value(editor: QWidget, value: Any) -> None:
    editor.set_value(value)  # type: ignore[attr-defined]
