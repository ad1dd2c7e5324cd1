"""An area tab made of pages: one ``RegisterView`` per register, plus special pages.

Other parts of the application add their own pages (a heat map, a process diagram) with
``add_page``; a page that has ``set_project(project, info)`` is told about the open project
like the tabs are. ``show_register`` jumps to a register with a filter (for the dashboard).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from isms_desktop.services.projects import Project
from isms_desktop.ui.registers.nouns import page_title
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.tabs.base import AreaTab, ProjectInfo

_LARGEST_MINIMUM = QSize(420, 240)  # pixels


def _takes_info(method: Any) -> bool:
    try:
        return len(inspect.signature(method).parameters) >= 2
    except (TypeError, ValueError):
        return False


class RegisterAreaTab(AreaTab):
    """Sub-tabs of registers; subclasses list them in ``registers``."""

    scrolls: ClassVar[bool] = False
    registers: ClassVar[tuple[str, ...]] = ()

    records_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("pages")
        self.pages.setDocumentMode(True)
        self.pages.setUsesScrollButtons(True)
        self.pages.setTabBarAutoHide(True)  # one register needs no tab bar of its own
        self.body.addWidget(self.pages, 1)
        self.views: dict[str, RegisterView] = {}
        self._page_of: dict[str, QWidget] = {}
        self._info: ProjectInfo | None = None
        self._window_stale = False
        self._watching: QTabWidget | None = None
        for name in self.registers:
            view = RegisterView(name, self)
            view.records_changed.connect(self._records_changed)
            self.views[name] = view
            page = self.make_page(name, view)
            self._page_of[name] = page
            self.add_page(page_title(name), page)

    def make_page(self, name: str, view: RegisterView) -> QWidget:
        """The page that shows a register (the view itself, unless a subclass adds panels)."""
        return view

    def add_page(self, title: str, widget: QWidget) -> int:
        """Add a page (a register or anything else) as a sub-tab; returns its index."""
        # One large page must not make the whole window refuse to get smaller.
        hint = widget.minimumSizeHint()
        if hint.width() > _LARGEST_MINIMUM.width():
            widget.setMinimumWidth(_LARGEST_MINIMUM.width())
        if hint.height() > _LARGEST_MINIMUM.height():
            widget.setMinimumHeight(_LARGEST_MINIMUM.height())
        index = self.pages.addTab(widget, title.replace("&", "&&"))
        setter = getattr(widget, "set_project", None)
        if self.project is not None and callable(setter) and widget not in self.views.values():
            self._tell_page(widget, self.project, self._info)
        return index

    def _tell_page(self, page: QWidget, project: Project | None, info: ProjectInfo | None) -> None:
        setter = getattr(page, "set_project", None)
        if not callable(setter):
            return
        if _takes_info(setter):
            setter(project, info)
        else:
            setter(project)

    def set_project(self, project: Project | None, info: ProjectInfo | None) -> None:
        self._info = info if project is not None else None
        super().set_project(project, info)
        for name, view in self.views.items():
            view.set_project(project)
            page = self._page_of[name]
            if page is not view:
                self._tell_page(page, project, self._info)
        for index in range(self.pages.count()):
            other = self.pages.widget(index)
            if other is not None and other not in self._page_of.values():
                self._tell_page(other, project, self._info)

    def show_register(
        self, name: str, filter_text: str = "", filters: Mapping[str, Any] | None = None
    ) -> RegisterView:
        """Bring a register's page to the front, filtered by text and field values."""
        view = self.views[name]
        self.pages.setCurrentWidget(self._page_of[name])
        self._bring_to_front()
        view.set_filters(filter_text, dict(filters or {}))
        view.table.setFocus()
        return view

    def current_view(self) -> RegisterView | None:
        page = self.pages.currentWidget()
        for name, candidate in self._page_of.items():
            if candidate is page:
                return self.views[name]
        return None

    def _bring_to_front(self) -> None:
        widget: QWidget | None = self.parentWidget()
        while widget is not None:
            if isinstance(widget, QTabWidget) and widget.indexOf(self) >= 0:
                widget.setCurrentWidget(self)
                return
            widget = widget.parentWidget()

    def _records_changed(self, register: str) -> None:
        """Other registers may show what changed: they reload when next shown.

        The rest of the window (the dashboard's counts and readiness) is refreshed when
        the user leaves the register tabs, not after every edit: with large registers a
        full refresh takes a moment, and an edit must not.
        """
        window = self.window()
        for tab in window.findChildren(RegisterAreaTab):
            for view in tab.views.values():
                if view.register != register or tab is not self:
                    view.set_project(tab.project)  # reloads now if shown, else when shown
        self.records_changed.emit(register)
        self._window_stale = True
        self._watch_main_tabs()

    def _watch_main_tabs(self) -> None:
        if self._watching is not None:
            return
        widget: QWidget | None = self.parentWidget()
        while widget is not None:
            if isinstance(widget, QTabWidget) and widget.indexOf(self) >= 0:
                self._watching = widget
                widget.currentChanged.connect(self._main_tab_changed)
                return
            widget = widget.parentWidget()

    def _main_tab_changed(self, _index: int) -> None:
        current = self._watching.currentWidget() if self._watching is not None else None
        if not self._window_stale or isinstance(current, RegisterAreaTab):
            return
        self._window_stale = False
        refresh = getattr(self.window(), "refresh", None)
        if callable(refresh) and self.window() is not self:
            refresh()
