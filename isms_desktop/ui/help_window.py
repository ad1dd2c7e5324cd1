"""Help ▸ User Guide (F1): the guide of ``resources/help`` in a window of its own.

The contents on the left (or, while a search is typed, the pages that match it), the page
on the right with its links followed in place; Back, Forward and Contents as in a browser.
The window stays open beside the main window; F1 again brings it forward on the page of
the tab in view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.catalog import help_pages
from isms_desktop.catalog.help_pages import CONTENTS, HelpPage
from isms_desktop.ui.icons import action_icon
from isms_desktop.ui.screen_fit import fitting_size

_NAME = Qt.ItemDataRole.UserRole + 1


class HelpWindow(QMainWindow):
    """The user guide. ``show_page(name)`` opens a page by its file's stem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("isms-desktop User Guide"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.pages = help_pages.help_pages()

        self.browser = QTextBrowser(self)
        self.browser.setSearchPaths([str(help_pages.help_dir())])
        self.browser.setOpenLinks(False)  # pages open here, anything else outside
        self.browser.anchorClicked.connect(self._follow)
        self.browser.sourceChanged.connect(self._source_changed)
        self.browser.document().setDocumentMargin(16)

        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText(self.tr("Search the guide…"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName(self.tr("Search the guide"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._search)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self._open_first_found)

        self.contents = QListWidget(self)
        self.contents.setAccessibleName(self.tr("Pages of the guide"))
        self.contents.setSpacing(2)
        self.contents.itemActivated.connect(self._item_chosen)
        self.contents.itemClicked.connect(self._item_chosen)
        self.found_label = QLabel(self)
        self.found_label.setWordWrap(True)
        self.found_label.hide()

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.search_box)
        side_layout.addWidget(self.found_label)
        side_layout.addWidget(self.contents, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(side)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 680])
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        self.setCentralWidget(central)

        bar = QToolBar(self.tr("Navigation"), self)
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back_action = bar.addAction(
            action_icon("back"), self.tr("Back"), self.browser.backward
        )
        self.back_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Back))
        self.forward_action = bar.addAction(
            action_icon("forward"), self.tr("Forward"), self.browser.forward
        )
        self.forward_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Forward))
        self.home_action = bar.addAction(
            action_icon("contents"), self.tr("Contents"), lambda: self.show_page(CONTENTS)
        )
        self.back_action.setEnabled(False)
        self.forward_action.setEnabled(False)
        self.browser.backwardAvailable.connect(self.back_action.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_action.setEnabled)
        self.addToolBar(bar)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search_box.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

        self._fill(self.pages)
        if not self.pages:  # an installation without its guide: said, not a blank window
            self.browser.setPlainText(
                self.tr("The user guide is missing from this installation ({0}).").format(
                    help_pages.help_dir()
                )
            )
        self.resize(fitting_size(self, 960, 720))

    # -- pages --------------------------------------------------------------------------------

    def show_page(self, name: str) -> None:
        """Open the page ``name`` (its file's stem); an unknown name opens the contents."""
        page = next((p for p in self.pages if p.name == name), None)
        if page is None:
            page = next((p for p in self.pages if p.name == CONTENTS), None)
        if page is None:
            return
        self.browser.setSource(
            QUrl.fromLocalFile(str(help_pages.help_dir() / page.file_name)),
            self.browser.document().ResourceType.MarkdownResource,
        )

    def current_page(self) -> str:
        """The stem of the page shown ("" if none)."""
        return _stem(self.browser.source())

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("", "file") and url.path().endswith(".md"):
            target = self.browser.source().resolved(url)
            self.browser.setSource(target, self.browser.document().ResourceType.MarkdownResource)
        else:
            QDesktopServices.openUrl(url)

    def _source_changed(self, url: QUrl) -> None:
        name = _stem(url)  # (the browser's source() is still the page before)
        page = next((p for p in self.pages if p.name == name), None)
        self.setWindowTitle(
            self.tr("{0} — isms-desktop User Guide").format(page.title)
            if page is not None
            else self.tr("isms-desktop User Guide")
        )
        self._select(name)
        words = self.search_box.text().split()
        if words:  # a page opened from a search shows where the first word is
            self.browser.find(words[0])

    # -- contents and search ------------------------------------------------------------------

    def _fill(self, pages: list[HelpPage]) -> None:
        self.contents.clear()
        for page in pages:
            item = QListWidgetItem(page.title, self.contents)
            item.setData(_NAME, page.name)
        self._select(self.current_page())

    def _select(self, name: str) -> None:
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            if item.data(_NAME) == name:
                self.contents.setCurrentItem(item)
                return
        self.contents.clearSelection()

    def _item_chosen(self, item: QListWidgetItem) -> None:
        self.show_page(str(item.data(_NAME)))

    def _search(self) -> None:
        text = self.search_box.text().strip()
        if not text:
            self.found_label.hide()
            self._fill(self.pages)
            return
        found = help_pages.search(text)
        self._fill(found)
        if not found:
            message = self.tr("No page contains “{0}”.").format(text)
        elif len(found) == 1:
            message = self.tr("1 page contains “{0}”.").format(text)
        else:
            message = self.tr("{0} pages contain “{1}”.").format(len(found), text)
        self.found_label.setText(message)
        self.found_label.show()

    def _open_first_found(self) -> None:
        self._search_timer.stop()
        self._search()
        if self.contents.count():
            self._item_chosen(self.contents.item(0))


def _stem(url: QUrl) -> str:
    path = url.toLocalFile()
    return path.rsplit("/", 1)[-1].removesuffix(".md") if path else ""


def show_help(owner: QWidget, page: str) -> HelpWindow:
    """The owner's guide window (made the first time), brought forward on ``page``."""
    window = getattr(owner, "help_window", None)
    if not isinstance(window, HelpWindow):
        window = HelpWindow(owner)
        owner.help_window = window  # type: ignore[attr-defined]
    window.show_page(page)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
