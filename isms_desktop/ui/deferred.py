"""Work that waits: until the window has painted, or until a hidden page is shown.

Opening a large project must show the window at once. What the first screen does not need
(the dashboard's action list, the backup made on opening) runs just after the window has
painted (``after_paint``); pages the user has not opened yet (the Risks tab's heat map, the
SoA warnings) read the project when they are first shown (``WhenShown``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# A window that is shown but never repaints (minimised, covered) runs the work after this.
FALLBACK_MS = 400


class _AfterPaint(QObject):
    """Runs ``func`` once, in the event loop's next turn after ``window`` repainted."""

    def __init__(self, window: QWidget, func: Callable[[], object]) -> None:
        super().__init__(window)
        self.window = window
        self.func: Callable[[], object] | None = func
        window.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.UpdateRequest:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # after this paint has been drawn
        return False

    def _run(self) -> None:
        func, self.func = self.func, None
        if func is None:
            return
        self.window.removeEventFilter(self)
        self.deleteLater()
        func()


def after_paint(widget: QWidget, func: Callable[[], object]) -> None:
    """Run ``func`` once ``widget``'s window has painted what it shows now (at once, in the
    event loop, when the window is not shown)."""
    window = widget.window()
    if not window.isVisible():
        QTimer.singleShot(0, widget, func)
        return
    _AfterPaint(window, func)


class WhenShown(QObject):
    """Calls ``refresh`` now if ``widget`` is visible, else when it is next shown."""

    def __init__(self, widget: QWidget, refresh: Callable[[], object]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.refresh = refresh
        self.stale = False
        widget.installEventFilter(self)

    def request(self) -> None:
        if self.widget.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self.refresh()
        return False
