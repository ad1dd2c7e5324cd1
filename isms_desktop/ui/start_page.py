"""The page shown when no project is open: start a new one, open one, or try the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.ui.icons import app_icon
from isms_desktop.ui.settings import Settings
from isms_desktop.ui.tabs.base import heading_label, paragraph_label, secondary_label

_PATH_ROLE = Qt.ItemDataRole.UserRole


class RecentList(QListWidget):
    """Recent projects; Enter opens the current one, as a double-click does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.itemActivated.emit(item)
            return
        super().keyPressEvent(event)


class StartPage(QWidget):
    """Big buttons for the three ways to start, and the recent projects below them."""

    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(Path)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(14)
        column.setContentsMargins(24, 40, 24, 24)
        outer.addLayout(column, 6)
        outer.addStretch(1)

        column.addWidget(heading_label(self.tr("isms-desktop"), 2.0, self))
        column.addWidget(
            paragraph_label(
                self.tr(
                    "Build and run your ISO/IEC 27001:2022 information security management "
                    "system. Everything is kept in one project file, saved as you work."
                ),
                self,
            )
        )
        column.addSpacing(12)

        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        style = self.style()
        self.new_button = self._big_button(
            self.tr("&New project…"),
            QIcon.fromTheme("document-new", style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)),
            self.tr("Start the ISMS of an organisation in a new project file"),
        )
        self.open_button = self._big_button(
            self.tr("&Open project…"),
            QIcon.fromTheme(
                "document-open", style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton)
            ),
            self.tr("Open an existing .isms project file"),
        )
        self.demo_button = self._big_button(
            self.tr("Open the &demo project"),
            app_icon(),
            self.tr("Explore a realistic example company's ISMS without touching your own files"),
        )
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        for button in (self.new_button, self.open_button, self.demo_button):
            buttons.addWidget(button)
        column.addLayout(buttons)
        column.addSpacing(16)

        recent_heading = heading_label(self.tr("Recent projects"), 1.15, self)
        column.addWidget(recent_heading)
        self.recent_list = RecentList(self)
        self.recent_list.setAlternatingRowColors(True)
        self.recent_list.setIconSize(QSize(24, 24))
        self.recent_list.setSpacing(2)
        self.recent_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.recent_list.setToolTip(self.tr("Double-click or press Enter to open a project"))
        self.recent_list.itemActivated.connect(self._activated)
        recent_heading.setBuddy(self.recent_list)
        column.addWidget(self.recent_list)
        self.empty_label = secondary_label(
            self.tr(
                "Projects you open appear here. You can also drop a .isms file on this window."
            ),
            self,
        )
        column.addWidget(self.empty_label)
        column.addStretch(1)
        self.refresh()

    def _big_button(self, text: str, icon: QIcon, tip: str) -> QPushButton:
        button = QPushButton(icon, text, self)
        button.setMinimumHeight(56)
        button.setIconSize(QSize(28, 28))
        button.setToolTip(tip)
        button.setStatusTip(tip)
        return button

    def refresh(self) -> None:
        """Reload the recent projects from the settings."""
        self.recent_list.clear()
        disabled = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for path in self._settings.recent_files():
            item = QListWidgetItem(file_icon, f"{path.stem}\n{path}")
            item.setData(_PATH_ROLE, str(path))
            if path.exists():
                item.setToolTip(self.tr("Open {0}").format(path))
            else:
                item.setForeground(disabled)
                item.setToolTip(
                    self.tr(
                        "This file no longer exists at {0}; it may have been moved or deleted."
                    ).format(path)
                )
            self.recent_list.addItem(item)
        has_items = self.recent_list.count() > 0
        self.recent_list.setVisible(has_items)
        self.empty_label.setText(
            self.tr("You can also drop a .isms file on this window.")
            if has_items
            else self.tr(
                "Projects you open appear here. You can also drop a .isms file on this window."
            )
        )
        if has_items:
            self.recent_list.setCurrentRow(0)
            # As tall as its rows, so a short list leaves no empty box on the page.
            row = self.recent_list.sizeHintForRow(0) + 2 * self.recent_list.spacing()
            rows = row * self.recent_list.count()
            self.recent_list.setFixedHeight(rows + 2 * self.recent_list.frameWidth() + 2)

    def _activated(self, item: QListWidgetItem) -> None:
        self.recent_chosen.emit(Path(str(item.data(_PATH_ROLE))))
