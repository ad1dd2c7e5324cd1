"""The improvement panels' shared parts: the frame (a placeholder while nothing is selected,
the content with its title) and the read-only detail rows (a caption and its wrapped value)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget


def panel_frame(
    panel: QWidget, placeholder_name: str
) -> tuple[QLabel, QWidget, QVBoxLayout, QLabel]:
    """The placeholder shown instead of the content while nothing is selected, the content
    widget, its layout, and its bold title label at the top (in that order)."""
    page = QVBoxLayout(panel)
    page.setContentsMargins(6, 0, 0, 0)
    placeholder = QLabel(panel)
    placeholder.setObjectName(placeholder_name)
    placeholder.setWordWrap(True)
    placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    placeholder.setContentsMargins(4, 8, 4, 4)
    page.addWidget(placeholder)
    content = QWidget(panel)
    page.addWidget(content, 1)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(0, 0, 0, 0)
    title = QLabel(content)
    font = title.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    title.setFont(font)
    title.setWordWrap(True)
    title.setTextFormat(Qt.TextFormat.PlainText)
    layout.addWidget(title)
    return placeholder, content, layout, title


def add_detail_rows(
    form: QFormLayout, parent: QWidget, rows: Sequence[tuple[str, str]]
) -> dict[str, QLabel]:
    """A row per (name, caption) with an empty value label, by name."""
    fields: dict[str, QLabel] = {}
    for name, label in rows:
        value = QLabel(parent)
        value.setWordWrap(True)
        value.setTextFormat(Qt.TextFormat.PlainText)  # "<" in a text is no markup
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # no taller than its text: spare room goes below the detail, not between rows
        value.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        fields[name] = value
        caption = QLabel(label, parent)
        # level with the first line of a long value (it sat lower, half centred)
        caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.addRow(caption, value)
    return fields
