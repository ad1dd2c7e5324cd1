"""The frame every area tab shares: a title, one sentence on its purpose, a scrolling body.

Tabs receive the open project (to pass to services functions) and the ``project_info``
overview the main window reads once per refresh, so nine tabs do not query nine times.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.services.projects import Project
from isms_desktop.ui.tabs.areas import area_texts

ProjectInfo = Mapping[str, Any]

# Long sentences are hard to read across a 1920 px window.
READABLE_WIDTH = 860


def heading_label(text: str, scale: float = 1.6, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def paragraph_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setMaximumWidth(READABLE_WIDTH)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def secondary_label(text: str, parent: QWidget | None = None) -> QLabel:
    """Explanatory text in the theme's muted colour (readable, unlike disabled text)."""
    label = paragraph_label(text, parent)
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)
    return label


class AreaTab(QWidget):
    """Base of the nine tabs; subclasses give ``key`` (their title and description are in
    ``areas``, where the main window reads them before it builds the tab)."""

    key: ClassVar[str] = ""
    # False for tabs whose body fills the page (tables): no outer scroll area, compact header.
    scrolls: ClassVar[bool] = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        if not self.scrolls:
            self._build_filled()
            return
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        content = QWidget(scroll)
        scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        self.title_label = heading_label(self.title(), parent=content)
        self.description_label = paragraph_label(self.purpose(), content)
        layout.addWidget(self.title_label)
        layout.addWidget(self.description_label)
        self.body = QVBoxLayout()
        self.body.setSpacing(16)
        layout.addLayout(self.body)
        layout.addStretch(1)

    def _build_filled(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 8)
        layout.setSpacing(2)
        self.title_label = heading_label(self.title(), 1.3, self)
        self.description_label = secondary_label(self.purpose(), self)
        self.description_label.setMaximumWidth(16777215)
        layout.addWidget(self.title_label)
        layout.addWidget(self.description_label)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        layout.addLayout(self.body, 1)

    def title(self) -> str:
        return area_texts(self.key)[0]

    def description(self) -> str:
        return area_texts(self.key)[1]

    def purpose(self) -> str:
        """The description under the tab's heading, without the name the heading just gave
        ("Risks — assess …" reads "Assess …"); the tab's tooltip keeps it whole."""
        text = self.description()
        rest = text.removeprefix(f"{self.title()} — ")
        return rest[:1].upper() + rest[1:] if rest != text else text

    @property
    def project(self) -> Project | None:
        return self._project

    def set_project(self, project: Project | None, info: ProjectInfo | None) -> None:
        """Show ``project`` (None: nothing open) with its ``project_info`` overview."""
        self._project = project
        self.show_info(info if project is not None else None)

    def show_info(self, info: ProjectInfo | None) -> None:
        """Fill the body from the overview; the default shows nothing more."""
