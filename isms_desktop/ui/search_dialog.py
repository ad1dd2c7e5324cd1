"""Find any record (Ctrl+F / Ctrl+K): one box, results grouped by register, Enter opens.

The search runs on a worker thread when the project lets another thread read (a project
file): the first search of a project (and the first after an edit) builds its index, which
takes seconds with 100,000 records, and a word found in most of them takes a moment to
rank. The box keeps taking keys meanwhile; what was typed since is searched next, and Enter
opens the first result once the results of the box's text are in.
"""

from __future__ import annotations

import html
import logging
import threading

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import CancelledError, IsmsError
from isms_desktop.services.search import SearchHit, index_ready, search
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.register_labels import register_label

log = logging.getLogger(__name__)
_HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchDialog(QDialog):
    record_chosen = Signal(str, str)  # register, code
    _found = Signal(int, str, object, str)  # run, text searched, hits, error ("" if none)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Find records"))
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        self.box = QLineEdit(self)
        self.box.setPlaceholderText(
            self.tr("Type a code, a title or any words — e.g. R-012, backup, encryption")
        )
        self.box.setClearButtonEnabled(True)
        layout.addWidget(self.box)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: gray")
        layout.addWidget(self.status)
        self.results = QTreeWidget(self)
        self.results.setHeaderLabels([self.tr("Record"), self.tr("Where the words occur")])
        self.results.setColumnWidth(0, 330)
        self.results.setRootIsDecorated(True)
        self.results.itemActivated.connect(self._open_item)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_search)
        self.box.textChanged.connect(lambda _text: self._timer.start())
        self.box.returnPressed.connect(self._open_current)
        self.box.installEventFilter(self)
        self.hits: list[SearchHit] = []
        self.shown_text: str | None = None  # whose hits are listed
        self._worker: threading.Thread | None = None
        self._runs = 0
        self._open_when_found = False
        self._closed = threading.Event()  # a search under way stops building its index
        self._found.connect(self._finished)

    @property
    def searching(self) -> bool:
        """Whether a search is under way on the worker thread."""
        return self._worker is not None

    def run_search(self) -> None:
        """Search for the box's text (see the module's note on the worker thread)."""
        self._timer.stop()  # (run now: the pause after typing would only search again)
        text = self.box.text().strip()
        if not text:
            self._show(text, [], "")
            return
        if text == self.shown_text and self._worker is None and index_ready(self.project):
            return  # its results are shown, and nothing changed since
        if self._worker is not None:
            return  # when it is done, the box's text is searched if it changed meanwhile
        if not self.project.concurrent_reads:
            self._show(text, *self._search(text))
            return
        self.status.setText(
            self.tr("Searching…")
            if index_ready(self.project)
            else self.tr("Preparing the search of this project's records…")
        )
        self._runs += 1
        run = self._runs

        def work() -> None:
            hits, error = self._search(text)
            try:
                self._found.emit(run, text, hits, error)
            except RuntimeError:  # the dialog is gone
                log.debug("a search finished after its dialog closed")

        self._worker = threading.Thread(target=work, name="search", daemon=True)
        self._worker.start()

    def _search(self, text: str) -> tuple[list[SearchHit], str]:
        try:
            return search(self.project, text, cancelled=self._closed.is_set), ""
        except CancelledError:
            return [], ""
        except IsmsError as exc:
            return [], str(exc)
        except Exception as exc:  # a bug: logged in full, said in one line
            log.exception("searching for %r failed", text)
            return [], self.tr("The search failed ({0}).").format(type(exc).__name__)

    def done(self, result: int) -> None:
        self._closed.set()
        super().done(result)

    def _finished(self, run: int, text: str, hits: list[SearchHit], error: str) -> None:
        if run != self._runs:
            return
        self._worker = None
        if self._closed.is_set():
            return  # closed meanwhile: nothing more to search or open
        if self.box.text().strip() != text:
            self.run_search()  # typed on meanwhile: the older results are not shown
            return
        self._show(text, hits, error)
        if self._open_when_found:
            self._open_when_found = False
            self._open_selected()

    def _show(self, text: str, hits: list[SearchHit], error: str) -> None:
        self.results.clear()
        self.hits = hits
        self.shown_text = text
        if error:
            self.status.setText(error)
            return
        groups: dict[str, QTreeWidgetItem] = {}
        for hit in self.hits:
            group = groups.get(hit.register)
            if group is None:
                group = QTreeWidgetItem(self.results, [register_label(hit.register)])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                group.setExpanded(True)
                groups[hit.register] = group
            label = f"{hit.code}  {hit.title}" if hit.title else hit.code
            item = QTreeWidgetItem(group, [label, hit.snippet.replace("[", "").replace("]", "")])
            item.setToolTip(1, html.escape(hit.snippet))
            item.setData(0, _HIT_ROLE, (hit.register, hit.code))
        for group in groups.values():
            group.setText(0, f"{group.text(0)} ({group.childCount()})")
        if text and not self.hits:
            self.status.setText(self.tr("Nothing found for “{0}”.").format(text))
        elif self.hits:
            self.status.setText(
                self.tr("{0} records found — Enter opens the selected one.").format(len(self.hits))
            )
            first = next(iter(groups.values())).child(0)
            if first is not None:
                self.results.setCurrentItem(first)
        else:
            self.status.setText("")

    def eventFilter(self, watched: object, event: object) -> bool:
        # arrow keys in the box move through the results
        if (
            watched is self.box
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            self._move(1 if event.key() == Qt.Key.Key_Down else -1)
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _move(self, step: int) -> None:
        items: list[QTreeWidgetItem] = []
        for g in range(self.results.topLevelItemCount()):
            group = self.results.topLevelItem(g)
            if group is not None:
                items += [c for i in range(group.childCount()) if (c := group.child(i))]
        if not items:
            return
        current = self.results.currentItem()
        index = items.index(current) if current in items else -1
        self.results.setCurrentItem(items[max(0, min(len(items) - 1, index + step))])

    def _open_current(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.run_search()
        if self.shown_text != self.box.text().strip():
            self._open_when_found = True  # the results of this text are on their way
            return
        self._open_selected()

    def _open_selected(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._open_item(item)

    def _open_item(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, _HIT_ROLE)
        if data:
            register, code = data
            self.record_chosen.emit(register, code)
            self.accept()
