"""What the user sees when isms-desktop hits a bug: a dialog, never a silent exit.

The handler replaces ``sys.excepthook`` (which PySide6 calls for exceptions escaping slots
and event handlers) and ``threading.excepthook``. It logs the traceback, shows a short
message with the log file's path and the traceback behind "Show Details…", and returns to
the event loop: every edit is committed when it is made, so the open project stays intact.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger(__name__)

_MAX_SUMMARY = 200


def summarise(exc_type: type[BaseException], exc: BaseException | None) -> str:
    """One line naming the error, short enough for a dialog's first line."""
    lines = traceback.format_exception_only(exc_type, exc)
    text = lines[-1].strip() if lines else exc_type.__name__
    text = text.splitlines()[0] if text else exc_type.__name__
    if len(text) > _MAX_SUMMARY:
        text = text[: _MAX_SUMMARY - 1] + "…"
    return text


class CrashDialog(QMessageBox):
    """The crash message: what happened in one line, where the log is, details on demand."""

    def __init__(
        self, summary: str, details: str, log_path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Unexpected Error — isms-desktop"))
        self.setText(self.tr("isms-desktop hit an unexpected error: {0}").format(summary))
        self.setInformativeText(
            self.tr(
                "Your project is safe: every change was saved when you made it, and you can "
                "keep working. The details were written to the log file:\n{0}"
            ).format(log_path)
        )
        self.setDetailedText(details)
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


class CrashHandler(QObject):
    """Routes uncaught exceptions to the log and a CrashDialog, then lets the app go on."""

    # Emitted from other threads; the queued connection brings the report to the GUI thread.
    _thread_failed = Signal(str, str)

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._showing = False
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._thread_failed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self._handle_thread:
            threading.excepthook = self._previous_thread_hook

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            # Ctrl+C in the terminal that started us means "stop", not "report a bug".
            QApplication.quit()
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        summary = summarise(exc_type, exc)
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        app = QApplication.instance()
        if app is None:
            self._previous_hook(exc_type, exc, tb)
            return
        # Qt's GUI thread is Python's main thread: QApplication is created there.
        if threading.current_thread() is threading.main_thread():
            self._show(summary, details)
        else:
            self._thread_failed.emit(summary, details)

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, summary: str, details: str) -> None:
        if self._showing:
            # An error while the dialog is open (a timer, a repaint) is logged, not stacked.
            return
        self._showing = True
        try:
            dialog = CrashDialog(summary, details, self.log_path, QApplication.activeWindow())
            dialog.exec()
            dialog.deleteLater()
        finally:
            self._showing = False
