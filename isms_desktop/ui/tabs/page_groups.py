"""Sub-tabs that gather related pages: a group shows its pages behind a segmented switch.

An area with many registers (Context & Scope has eleven pages) would need more sub-tabs
than fit across a 1024 px window. ``GroupedAreaTab.group_pages`` gathers them into a few
sub-tabs in the order of the standard ("Issues & Parties": issues, interested parties and
their requirements); a sub-tab of more than one page is a ``PageGroup``, whose row of
buttons picks the page. ``show_register`` and ``show_page`` reach a page inside a group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.services.projects import Project
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.tabs.base import ProjectInfo
from isms_desktop.ui.tabs.register_area import RegisterAreaTab

# The buttons join into one bar; the palette's roles keep it readable in a dark scheme too.
_SWITCH_STYLE = """
QToolButton#segment {
    border: 1px solid palette(mid);
    border-left-width: 0px;
    padding: 3px 14px;
    background: palette(button);
}
QToolButton#segment[first="true"] {
    border-left-width: 1px;
    border-top-left-radius: 4px;
    border-bottom-left-radius: 4px;
}
QToolButton#segment[last="true"] {
    border-top-right-radius: 4px;
    border-bottom-right-radius: 4px;
}
QToolButton#segment:hover:!checked { background: palette(midlight); }
QToolButton#segment:checked {
    background: palette(highlight);
    color: palette(highlighted-text);
}
QToolButton#segment:focus { border-color: palette(highlight); }
"""


class PageGroup(QWidget):
    """Related pages under one sub-tab, one shown at a time, picked with a row of buttons
    (the keyboard moves between them with the arrow keys). Its methods are named like
    QTabWidget's, so code that walks sub-tabs reads both alike."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        self.switch = QWidget(self)
        self.switch.setObjectName("switch")
        self.switch.setStyleSheet(_SWITCH_STYLE)
        self.switch.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self._switch_row = QHBoxLayout(self.switch)
        self._switch_row.setContentsMargins(0, 0, 0, 0)
        self._switch_row.setSpacing(0)
        layout.addWidget(self.switch)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        self.buttons.idClicked.connect(self.setCurrentIndex)
        self.stack.currentChanged.connect(self._shown)

    def add_page(self, title: str, widget: QWidget, icon: QIcon | None = None) -> int:
        index = self.stack.addWidget(widget)
        button = QToolButton(self.switch)
        button.setObjectName("segment")
        button.setText(title.replace("&", "&&"))
        button.setAccessibleName(title)
        button.setCheckable(True)
        button.setAutoExclusive(True)
        if icon is not None and not icon.isNull():
            button.setIcon(icon)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.buttons.addButton(button, index)
        self._switch_row.addWidget(button)
        for position, each in enumerate(self.buttons.buttons()):
            each.setProperty("first", position == 0)
            each.setProperty("last", position == len(self.buttons.buttons()) - 1)
            each.style().unpolish(each)
            each.style().polish(each)
        self._shown(self.stack.currentIndex())
        return index

    def count(self) -> int:
        return self.stack.count()

    def widget(self, index: int) -> QWidget | None:
        return self.stack.widget(index)

    def indexOf(self, widget: QWidget) -> int:
        return self.stack.indexOf(widget)

    def pageTitle(self, index: int) -> str:
        button = self.buttons.button(index)
        return button.accessibleName() if button is not None else ""

    def button(self, index: int) -> QToolButton | None:
        button = self.buttons.button(index)
        return button if isinstance(button, QToolButton) else None

    def currentIndex(self) -> int:
        return self.stack.currentIndex()

    def currentWidget(self) -> QWidget | None:
        return self.stack.currentWidget()

    def setCurrentIndex(self, index: int) -> None:
        self.stack.setCurrentIndex(index)

    def setCurrentWidget(self, widget: QWidget) -> None:
        if self.stack.indexOf(widget) >= 0:
            self.stack.setCurrentWidget(widget)

    def _shown(self, index: int) -> None:
        button = self.buttons.button(index)
        if button is not None and not button.isChecked():
            button.setChecked(True)
        self.currentChanged.emit(index)


class GroupedAreaTab(RegisterAreaTab):
    """A register area whose pages are gathered into groups (see ``group_pages``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: dict[str, PageGroup] = {}  # by the sub-tab's title

    def group_pages(self, layout: Sequence[tuple[str, Sequence[QWidget]]]) -> None:
        """Make the sub-tabs ``(title, pages)``, in this order, of the pages added so far
        (every one of them, each once): one page is a sub-tab of its own, more share a
        ``PageGroup`` in the order given, each with the title and icon it was added with."""
        titles: dict[QWidget, tuple[str, QIcon]] = {}
        for index in range(self.pages.count()):
            page = self.pages.widget(index)
            assert page is not None
            titles[page] = (self.pages.tabText(index).replace("&&", "&"), self.pages.tabIcon(index))
        placed = [page for _title, pages in layout for page in pages]
        if len(placed) != len(set(placed)) or set(placed) != set(titles):
            raise ValueError("group_pages needs every page of the tab, each once")
        while self.pages.count():
            self.pages.removeTab(0)
        for title, pages in layout:
            if len(pages) == 1:
                index = self.add_page(title, pages[0])
                self.pages.setTabIcon(index, titles[pages[0]][1])
                continue
            group = PageGroup(self)
            group.setObjectName(f"group_{len(self.groups)}")
            for page in pages:
                page_title, icon = titles[page]
                group.add_page(page_title, page, icon)
            self.groups[title] = group
            self.add_page(title, group)
        self.pages.setCurrentIndex(0)

    def group_of(self, page: QWidget) -> PageGroup | None:
        return next((g for g in self.groups.values() if g.indexOf(page) >= 0), None)

    def show_page(self, page: QWidget) -> None:
        """Bring ``page`` to the front of the sub-tabs, in its group if it has one."""
        group = self.group_of(page)
        if group is not None:
            group.setCurrentWidget(page)
            self.pages.setCurrentWidget(group)
        else:
            self.pages.setCurrentWidget(page)

    def shown_page(self) -> QWidget | None:
        """The page in view: the sub-tab's, or the page its group shows."""
        page = self.pages.currentWidget()
        return page.currentWidget() if isinstance(page, PageGroup) else page

    def show_register(
        self, name: str, filter_text: str = "", filters: Mapping[str, Any] | None = None
    ) -> RegisterView:
        self.show_page(self._page_of[name])
        return super().show_register(name, filter_text, filters)

    def current_view(self) -> RegisterView | None:
        page = self.shown_page()
        return next((self.views[n] for n, p in self._page_of.items() if p is page), None)

    def set_project(self, project: Project | None, info: ProjectInfo | None) -> None:
        super().set_project(project, info)  # tells the registers and the ungrouped pages
        registers = set(self._page_of.values())
        for group in self.groups.values():
            for index in range(group.count()):
                page = group.widget(index)
                if page is not None and page not in registers:
                    self._tell_page(page, project, self._info)
