"""A rich-text editor for document bodies with a small formatting toolbar.

The text is read and written as Markdown (``setMarkdown``/``toMarkdown``), the format the
project stores (see ``domain.document_markup``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QKeySequence,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
    QTextTableFormat,
)
from PySide6.QtWidgets import QTextEdit, QToolBar, QVBoxLayout, QWidget

# GitHub's dialect (tables, strikethrough) without its autolinks: with them, an e-mail
# address or a web address typed as text came back from the editor as a link
# ("[a@b.example](mailto:a@b.example)", "<https://…>"), and Qt's writer broke the line
# before such a link, so that "(a@b.example)" read "( a@b.example)" once saved and opened
# again. md4c's flags: permissive URL (0x4), e-mail (0x8) and www (0x400) autolinks.
_AUTOLINKS = 0x4 | 0x8 | 0x400
FEATURES = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value & ~_AUTOLINKS
)


class RichTextEditor(QWidget):
    """A QTextEdit with buttons for headings, lists, bold, italic and tables."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("formatting_toolbar")
        self.text_edit = QTextEdit(self)
        self.text_edit.setAcceptRichText(False)  # pasted HTML would bring foreign styles
        self.text_edit.setTabChangesFocus(False)
        self.text_edit.document().setDocumentMargin(12)
        self.text_edit.textChanged.connect(self.changed)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.text_edit, 1)
        self.actions_by_name: dict[str, QAction] = {}
        self._add(
            "paragraph", self.tr("Text"), self.tr("Normal paragraph"), lambda: self.set_heading(0)
        )
        for level in (1, 2, 3):
            self._add(
                f"heading{level}",
                self.tr("H{0}").format(level),
                self.tr("Heading level {0}").format(level),
                lambda checked=False, lv=level: self.set_heading(lv),
            )
        self.toolbar.addSeparator()
        bold = self._add("bold", self.tr("B"), self.tr("Bold (Ctrl+B)"), self.toggle_bold)
        bold.setShortcut(QKeySequence.StandardKey.Bold)
        font = bold.font()
        font.setBold(True)
        bold.setFont(font)
        italic = self._add("italic", self.tr("I"), self.tr("Italic (Ctrl+I)"), self.toggle_italic)
        italic.setShortcut(QKeySequence.StandardKey.Italic)
        font = italic.font()
        font.setItalic(True)
        italic.setFont(font)
        self.toolbar.addSeparator()
        self._add("bullets", self.tr("• List"), self.tr("Bulleted list"), self.bullet_list)
        self._add("numbers", self.tr("1. List"), self.tr("Numbered list"), self.numbered_list)
        self._add("table", self.tr("Table"), self.tr("Insert a table"), self.insert_table)

    def _add(self, name: str, text: str, tip: str, slot: Callable[..., object]) -> QAction:
        action = self.toolbar.addAction(text)
        action.setObjectName(f"format_{name}")
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.actions_by_name[name] = action
        return action

    # -- the text ---------------------------------------------------------------------------

    def set_markdown(self, text: str) -> None:
        self.text_edit.document().setMarkdown(text, FEATURES)
        self.text_edit.document().setModified(False)
        # the cursor was left at the end, so the document opened scrolled to its last lines
        self.text_edit.moveCursor(QTextCursor.MoveOperation.Start)

    def markdown(self) -> str:
        return self.text_edit.document().toMarkdown(FEATURES)

    def set_read_only(self, read_only: bool) -> None:
        self.text_edit.setReadOnly(read_only)
        self.toolbar.setEnabled(not read_only)

    # -- formatting -------------------------------------------------------------------------

    def set_heading(self, level: int) -> None:
        """Make the current paragraph a heading of ``level`` (0: normal text)."""
        cursor = self.text_edit.textCursor()
        cursor.beginEditBlock()
        block = QTextBlockFormat(cursor.blockFormat())
        block.setHeadingLevel(level)
        cursor.setBlockFormat(block)
        char = QTextCharFormat()
        sizes = {0: 0, 1: 6, 2: 4, 3: 2}
        char.setProperty(QTextCharFormat.Property.FontSizeAdjustment, sizes.get(level, 0) // 2)
        char.setFontWeight(QFont.Weight.Bold if level else QFont.Weight.Normal)
        cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
        cursor.mergeCharFormat(char)
        cursor.endEditBlock()

    def toggle_bold(self) -> None:
        char = QTextCharFormat()
        bold = self.text_edit.fontWeight() < QFont.Weight.Bold
        char.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        self._merge(char)

    def toggle_italic(self) -> None:
        char = QTextCharFormat()
        char.setFontItalic(not self.text_edit.fontItalic())
        self._merge(char)

    def _merge(self, char: QTextCharFormat) -> None:
        cursor = self.text_edit.textCursor()
        if not cursor.hasSelection():
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        cursor.mergeCharFormat(char)
        self.text_edit.mergeCurrentCharFormat(char)

    def bullet_list(self) -> None:
        self._list(QTextListFormat.Style.ListDisc)

    def numbered_list(self) -> None:
        self._list(QTextListFormat.Style.ListDecimal)

    def _list(self, style: QTextListFormat.Style) -> None:
        cursor = self.text_edit.textCursor()
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            # pressing the button again ends the list for this paragraph
            block = cursor.block()
            current.remove(block)
            fmt = QTextBlockFormat(cursor.blockFormat())
            fmt.setIndent(0)
            cursor.setBlockFormat(fmt)
            return
        list_format = QTextListFormat()
        list_format.setStyle(style)
        cursor.createList(list_format)

    def insert_table(self, rows: int = 3, columns: int = 2) -> None:
        fmt = QTextTableFormat()
        fmt.setHeaderRowCount(1)
        fmt.setCellPadding(4)
        fmt.setCellSpacing(0)
        fmt.setBorder(1)
        cursor = self.text_edit.textCursor()
        table = cursor.insertTable(rows, columns, fmt)
        for column in range(columns):
            table.cellAt(0, column).firstCursorPosition().insertText(
                self.tr("Heading {0}").format(column + 1)
            )
