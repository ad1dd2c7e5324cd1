"""File ▸ Restore from backup…, Edit ▸ Change log…, and the rolling-backup timer.

Installed on the main window with one call; it uses only the window's public parts
(``project``, ``open_path``, ``close_project``, ``project_opened``/``project_closing``/
``project_closed``).

The backups are copied on a worker thread, on a connection of its own (from the project's
pool, or a read-only view of an encrypted file unlocked with the same key): a large project
on a slow disk takes seconds to copy, and the window keeps answering meanwhile. Closing the
project stops a copy under way (it leaves nothing behind) before the file is closed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from isms_desktop.domain.errors import CancelledError, DamagedFileError, IsmsError
from isms_desktop.services import backups
from isms_desktop.storage.project_file import Project, open_reader
from isms_desktop.ui.busy import busy_cursor
from isms_desktop.ui.deferred import after_paint
from isms_desktop.ui.icons import action_icon

if TYPE_CHECKING:  # (the dialogs' modules load when first opened, not with the window)
    from isms_desktop.ui.history.change_log_dialog import ChangeLogDialog
    from isms_desktop.ui.history.restore_dialog import RestoreDialog

log = logging.getLogger(__name__)
TICK_MS = 60_000

# a step of the keeper (``opened`` or ``tick``): the backup written, if one was due
Step = Callable[..., Path | None]


def _menus(window: QMainWindow) -> list[QMenu]:
    return [m for a in window.menuBar().actions() if isinstance(m := a.menu(), QMenu)]


class HistoryActions(QObject):
    """The two menu actions and the backup keeper of the open project."""

    # run number, path written or None, error or "", whether the project file is damaged
    _backed_up = Signal(int, object, str, bool)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.keeper: backups.BackupKeeper | None = None
        self._worker: threading.Thread | None = None
        self._stop = threading.Event()
        self._runs = 0
        self._damage_told = False  # the box about a damaged file shown for this opening
        self._backed_up.connect(self._finished)
        self.restore_action = QAction(window.tr("Restore from &Backup…"), window)
        self.restore_action.setObjectName("restore_backup_action")
        self.restore_action.setStatusTip(window.tr("Go back to an automatic backup of the project"))
        self.restore_action.triggered.connect(self.restore)
        self.change_log_action = QAction(window.tr("Change &Log…"), window)
        self.change_log_action.setObjectName("change_log_action")
        self.change_log_action.setStatusTip(window.tr("Who changed what and when, in this project"))
        self.change_log_action.triggered.connect(self.show_change_log)
        self.restore_action.setIcon(action_icon("backup-restore"))
        self.change_log_action.setIcon(action_icon("history"))
        menus = _menus(window)
        if menus:
            before = getattr(window, "close_action", None)
            if isinstance(before, QAction) and before in menus[0].actions():
                menus[0].insertAction(before, self.restore_action)
            else:
                menus[0].addAction(self.restore_action)
        if len(menus) > 1:
            menus[1].addSeparator()
            menus[1].addAction(self.change_log_action)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        opened = getattr(window, "project_opened", None)
        closing = getattr(window, "project_closing", None)
        closed = getattr(window, "project_closed", None)
        if opened is not None:
            opened.connect(self.project_opened)
        if closing is not None:
            closing.connect(self.stop_backup)
        if closed is not None:
            closed.connect(self.project_closed)
        self._update()

    @property
    def project(self) -> Project | None:
        project = getattr(self.window, "project", None)
        return project if isinstance(project, Project) else None

    def _update(self) -> None:
        self.change_log_action.setEnabled(self.project is not None)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def project_opened(self) -> None:
        self._update()
        project = self.project
        self.keeper = None
        if project is None or project.read_only or project.path is None:
            return
        keeper = self.keeper = backups.BackupKeeper(project)
        self._damage_told = False
        # made once the window shows the project (a large file takes a moment to copy)
        after_paint(self.window, lambda: self._back_up_on_open(keeper))
        self.timer.start()

    def _back_up_on_open(self, keeper: backups.BackupKeeper) -> None:
        if keeper is self.keeper and keeper.project is self.project:
            self._run(keeper.opened)

    def project_closed(self) -> None:
        self.stop_backup()
        self.timer.stop()
        self.keeper = None
        self._update()

    def tick(self) -> None:
        keeper = self.keeper
        if keeper is not None and keeper.project is self.project and keeper.due():
            self._run(keeper.tick)

    @property
    def backing_up(self) -> bool:
        """Whether a backup is being copied on the worker thread."""
        return self._worker is not None

    def stop_backup(self) -> None:
        """Stop the copy under way, if any, and wait for it (it leaves no file behind)."""
        worker = self._worker
        if worker is None:
            return
        self._stop.set()
        with busy_cursor():
            worker.join()
        self._worker = None

    def _run(self, step: Step) -> None:
        project = self.project
        if self._worker is not None or project is None:
            return  # the one under way is enough; the next tick looks again
        self._runs += 1
        run, stop = self._runs, threading.Event()
        self._stop = stop

        def copy(cancelled: Callable[[], bool]) -> Path | None:
            if project.concurrent_reads:  # a pool: this thread gets a connection of its own
                return step(cancelled=cancelled)
            with open_reader(project) as reader:  # an encrypted file's one is the GUI's
                return step(cancelled=cancelled, source=reader)

        def work() -> None:
            made, error, damaged = self._attempt(copy, stop.is_set)
            try:
                self._backed_up.emit(run, made, error, damaged)
            except RuntimeError:  # the window is gone
                log.debug("backup finished after its window closed")

        self._worker = threading.Thread(target=work, name="backup", daemon=True)
        self._worker.start()

    @staticmethod
    def _attempt(step: Step, cancelled: Callable[[], bool]) -> tuple[Path | None, str, bool]:
        # A failing backup must never interrupt editing: it is said in the status bar and
        # logged (with the traceback if it is a bug), never raised.
        try:
            return step(cancelled=cancelled), "", False
        except CancelledError:
            log.info("backup stopped: the project is being closed")
            return None, "", False
        except DamagedFileError as exc:
            log.warning("backup refused: %s", exc)
            return None, str(exc), True
        except (IsmsError, OSError) as exc:
            log.warning("backup failed: %s", exc)
            return None, str(exc), False
        except Exception as exc:
            log.exception("backup failed")
            return None, f"{type(exc).__name__}: {exc}", False

    def _finished(self, run: int, made: Path | None, error: str, damaged: bool) -> None:
        if run != self._runs:
            return  # a copy stopped by closing its project
        self._worker = None
        if damaged and self.keeper is not None and not self._damage_told:
            # the file itself is damaged: said in a box once per opening (the status bar's
            # few seconds are easily missed), and in the status bar at each later backup
            self._damage_told = True
            QMessageBox.warning(
                self.window,
                self.window.tr("Project File Damaged"),
                self.window.tr(
                    "{0}\n\nKeep working only to save what you need; File ▸ Restore from "
                    "Backup… goes back to an automatic backup."
                ).format(error),
            )
        if error:
            self._status(self.window.tr("The automatic backup failed: {0}").format(error))
        elif made is not None:
            log.info("backup written to %s", made)

    def show_change_log(self) -> ChangeLogDialog | None:
        project = self.project
        if project is None:
            return None
        from isms_desktop.ui.history.change_log_dialog import ChangeLogDialog

        dialog = ChangeLogDialog(project, self.window)
        dialog.show()
        return dialog

    def restore(self) -> RestoreDialog | None:
        project = self.project
        if project is None or project.path is None:
            QMessageBox.information(
                self.window,
                self.window.tr("Restore from Backup"),
                self.window.tr(
                    "Open the project first: its backups are listed for it (they are kept in {0})."
                ).format(backups.backup_folder("", None).parent),
            )
            return None
        from isms_desktop.ui.history.restore_dialog import RestoreDialog

        dialog = RestoreDialog(project.display_name, project.path, self.window)
        dialog.replace_requested.connect(lambda backup: self.replace(backup, Path(project.path)))
        dialog.restored.connect(self._offer_open)
        dialog.show()
        return dialog

    def replace(self, backup: Path, target: Path) -> bool:
        closer = getattr(self.window, "close_project", None)
        opener = getattr(self.window, "open_path", None)
        if callable(closer):
            closer()
        try:
            with busy_cursor():
                safety = backups.restore_backup(backup, target, replace=True)
        except IsmsError as exc:
            QMessageBox.warning(self.window, self.window.tr("Cannot Restore"), str(exc))
            if callable(opener):
                opener(target)
            return False
        if callable(opener):
            opener(target)
        self._status(
            self.window.tr("Restored from the backup; the replaced file was kept as {0}.").format(
                safety
            )
        )
        return True

    def _offer_open(self, target: Path) -> None:
        self._status(self.window.tr("The backup was restored as {0}.").format(target))


def install_history_menu(window: QMainWindow) -> HistoryActions:
    """Add File ▸ Restore from backup… and Edit ▸ Change log…, and start backing up."""
    actions = HistoryActions(window)
    window.setProperty("history_actions_installed", True)
    return actions
