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
    """Runs ``func`` once, in the event loop's next turn after ``window`` repainted.

    The window is this object's parent and is not kept in an attribute: a Python reference
    from a child to its parent could be the window's last one, and deleting this object
    would then delete the window, and with it this object a second time.
    """

    def __init__(self, window: QWidget, func: Callable[[], object]) -> None:
        super().__init__(window)
        self.func: Callable[[], object] | None = func
        window.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest and watched is self.parent():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # after this paint has been drawn
        return False

    def _run(self) -> None:
        func, self.func = self.func, None
        if func is None:
            return
        window = self.parent()
        if window is not None:
            window.removeEventFilter(self)
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
    """Calls ``refresh`` now if ``widget`` (its parent) is visible, else when it is next
    shown."""

    def __init__(self, widget: QWidget, refresh: Callable[[], object]) -> None:
        super().__init__(widget)
        self.refresh = refresh
        self.stale = False
        widget.installEventFilter(self)

    @property
    def widget(self) -> QWidget:
        # the parent, asked for rather than kept (see _AfterPaint)
        widget = self.parent()
        assert isinstance(widget, QWidget)
        return widget

    def request(self) -> None:
        if self.widget.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.stale and watched is self.parent():
            self.stale = False
            self.refresh()
        return False
