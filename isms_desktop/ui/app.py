"""Start the desktop application: ``isms-desktop [PROJECT]`` ends up in ``run_app``."""

from __future__ import annotations

import gc
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from isms_desktop import APP_NAME, __version__, app_logging
from isms_desktop.ui.crash_dialog import CrashHandler
from isms_desktop.ui.deferred import after_paint
from isms_desktop.ui.icons import app_icon
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.settings import Settings

ORGANISATION = "isms-desktop"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once with our names, icon and style."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    # Wayland and the Linux .desktop file find our icon by this name.
    QApplication.setDesktopFileName(APP_NAME)
    QApplication.setWindowIcon(app_icon())
    if sys.platform != "darwin":
        # Fusion follows the system's light or dark scheme on every platform (Qt 6.5+);
        # the older native Windows style stays light. macOS's own style already follows it.
        app.setStyle("Fusion")
    return app


class FileOpenHandler(QObject):
    """Opens the project files the system hands to the running application.

    macOS sends a ``QFileOpenEvent`` to the application when a ``.isms`` file is double-clicked
    in Finder (or dropped on the Dock icon) while the program runs; one arriving before the
    window exists waits in ``pending`` until ``attach``.
    """

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.window: MainWindow | None = None
        self.pending: list[Path] = []
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            name = event.file() or event.url().toLocalFile()
            if name:
                self.open(Path(name))
                return True
        return False

    def open(self, path: Path) -> None:
        window = self.window
        if window is None:
            self.pending.append(path)
            return
        # After the event is handled: opening may ask a question (a password, read-only).
        QTimer.singleShot(0, window, lambda: window.open_path(path))

    def attach(self, window: MainWindow) -> None:
        """Send the files to ``window`` from now on; the last one that waited opens now."""
        self.window = window
        if self.pending:
            self.open(self.pending[-1])
            self.pending.clear()


def start_main_window(project: Path | None, settings: Settings | None = None) -> MainWindow:
    """Show the main window on ``project``, else on the last project, else the start page."""
    window = MainWindow(settings if settings is not None else Settings())
    window.show()
    if not gc.isenabled():  # paused for the start (cli._run_gui)
        after_paint(window, gc.enable)
    if project is not None:
        window.open_path(project)
        return window
    last = window.settings.last_project()
    if last is not None and last.exists():
        window.open_path(last)
    return window


def _quit_on_interrupt(app: QApplication) -> QTimer:
    """Ctrl+C in the terminal closes the window (releasing the project's lock) and quits.

    Python runs signal handlers only when it gets control, which a Qt event loop idling in
    C++ never gives it; the returned timer wakes the interpreter up a few times a second.
    """
    # Deferred to the event loop: a Ctrl+C while the window is still starting up would
    # otherwise close it before app.exec() runs, which would then wait forever.
    signal.signal(signal.SIGINT, lambda _signum, _frame: QTimer.singleShot(0, app.closeAllWindows))
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(300)
    return timer


def run_app(project: Path | None) -> int:
    """Run the GUI until the last window closes; return the event loop's exit code."""
    log_path = app_logging.configure()
    app = create_application()
    crash_handler = CrashHandler(log_path, app)
    crash_handler.install()
    previous_sigint = signal.getsignal(signal.SIGINT)
    timer = _quit_on_interrupt(app)
    # Only macOS sends file-open events; elsewhere a filter on every event would cost for nothing.
    file_opener = FileOpenHandler(app) if sys.platform == "darwin" else None
    window: MainWindow | None = None
    try:
        window = start_main_window(project)
        if file_opener is not None:
            file_opener.attach(window)
        return app.exec()
    finally:
        # When the loop ended by quit() rather than by closing the window, the project is
        # still open: close it so its lock is released.
        if window is not None:
            window.close()
        timer.stop()
        signal.signal(signal.SIGINT, previous_sigint)
        crash_handler.uninstall()
