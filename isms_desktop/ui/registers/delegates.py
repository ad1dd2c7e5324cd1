"""In-place editing of register cells with the editor that fits each field's kind."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from isms_desktop.domain.fields import Kind
from isms_desktop.ui.registers.field_editors import (
    RefsEditor,
    editor_value,
    make_editor,
    set_editor_value,
)
from isms_desktop.ui.registers.table_model import RegisterTableModel

Index = QModelIndex | QPersistentModelIndex


class RegisterDelegate(QStyledItemDelegate):
    """Combo boxes for choices and references, date editors, pickers for several codes."""

    def __init__(self, model: RegisterTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        f = self._model.field_at(index.column())
        if f.kind is Kind.BOOL:
            return None  # type: ignore[return-value]  # the cell's check box is the editor
        editor = make_editor(f, self._model.choices, parent, in_cell=True)
        editor.setAutoFillBackground(True)
        if isinstance(editor, RefsEditor):
            editor.picked.connect(lambda e=editor: self._commit_and_close(e))
        return editor

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        set_editor_value(editor, index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        model.setData(index, editor_value(editor), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = QRect(option.rect)  # type: ignore[attr-defined]
        hint = editor.sizeHint()
        rect.setWidth(max(rect.width(), min(hint.width(), 320)))
        if isinstance(editor, QPlainTextEdit):
            # Several lines of text need more than one row's height.
            rect.setWidth(max(rect.width(), 320))
            rect.setHeight(max(rect.height(), editor.fontMetrics().height() * 6))
        else:
            rect.setHeight(max(rect.height(), hint.height()))
        editor.setGeometry(rect)

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        # Text cut short in its cell shows whole in a tooltip (long values have one anyway).
        if event.type() == QEvent.Type.ToolTip and index.data(Qt.ItemDataRole.ToolTipRole) is None:
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            rect = view.visualRect(index)
            if text and view.fontMetrics().horizontalAdvance(text) > rect.width() - 8:
                QToolTip.showText(event.globalPos(), text, view, rect)
                return True
        return super().helpEvent(event, view, option, index)
