"""A wait cursor for the short blocking calls (opening, creating, copying a project), and a
progress dialog with Cancel for the long ones that write on the GUI thread (an import,
re-scoring every risk)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


@contextlib.contextmanager
def busy_cursor() -> Iterator[None]:
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


@dataclass(frozen=True)
class Progress:
    """What a long service call is given: ``report(done, total)`` and ``cancelled()``."""

    report: Callable[[int, int], None]
    cancelled: Callable[[], bool]


@contextlib.contextmanager
def progress_dialog(parent: QWidget, label: str, total: int = 0) -> Iterator[Progress]:
    """A window-modal progress dialog (shown when the work takes more than 0.4 s) with the
    wait cursor; each report lets the window repaint and Cancel be pressed."""
    dialog = QProgressDialog(label, parent.tr("Cancel"), 0, max(total, 0), parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)

    def report(done: int, of: int) -> None:
        if of > 0 and dialog.maximum() != of:
            dialog.setMaximum(of)
        dialog.setValue(min(done, of) if of > 0 else 0)
        QApplication.processEvents()

    try:
        with busy_cursor():
            yield Progress(report, dialog.wasCanceled)
    finally:
        dialog.close()
        dialog.deleteLater()
