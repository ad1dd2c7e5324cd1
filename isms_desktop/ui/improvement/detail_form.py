"""The read-only detail rows of the improvement panels: a caption and its value, wrapped."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QWidget


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
