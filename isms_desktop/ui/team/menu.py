"""Team mode in the main window: File ▸ Connect to Server…, File ▸ Publish to Server…, and
a timer that refreshes the window when other users changed the server project.

Installed with one call; it uses the window's ``project``, ``refresh``, ``project_opened``/
``project_closed`` and (to show a server project) ``_install``. File ▸ Save a Copy already
writes a server project into a new ``.isms`` file (``Project.save_copy``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import team
from isms_desktop.storage.project_file import Project
from isms_desktop.storage.server import open_server_project
from isms_desktop.ui.busy import busy_cursor
from isms_desktop.ui.icons import action_icon
from isms_desktop.ui.settings import Settings
from isms_desktop.ui.team.connect_dialog import ConnectDialog

log = logging.getLogger(__name__)
POLL_MS = 10_000


def _file_menu(window: QMainWindow) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            return menu
    return None


class TeamActions(QObject):
    """The two menu actions and the polling of the open server project."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.connect_action = QAction(window.tr("Connect to &Server…"), window)
        self.connect_action.setObjectName("connect_server_action")
        self.connect_action.setStatusTip(window.tr("Open a project kept on a PostgreSQL server"))
        self.connect_action.triggered.connect(self.connect_to_server)
        self.publish_action = QAction(window.tr("&Publish to Server…"), window)
        self.publish_action.setObjectName("publish_server_action")
        self.publish_action.setStatusTip(
            window.tr("Copy this project into an empty PostgreSQL database for your team")
        )
        self.publish_action.triggered.connect(self.publish)
        self.connect_action.setIcon(action_icon("server"))
        menu = _file_menu(window)
        if menu is not None:
            actions = menu.actions()
            for action in (self.connect_action, self.publish_action):
                if len(actions) > 3:  # after New, Open, Open Recent
                    menu.insertAction(actions[3], action)
                else:
                    menu.addAction(action)
        self.mark: team.Mark | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        for name, slot in (("project_opened", self.opened), ("project_closed", self.closed)):
            signal = getattr(window, name, None)
            if signal is not None:
                signal.connect(slot)
        self._update()

    @property
    def project(self) -> Project | None:
        project = getattr(self.window, "project", None)
        return project if isinstance(project, Project) else None

    def _update(self) -> None:
        project = self.project
        self.publish_action.setEnabled(project is not None and not team.is_server_project(project))

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    # -- connecting and publishing ---------------------------------------------------------

    def connect_to_server(self, dialog: ConnectDialog | None = None) -> bool:
        settings: Settings | None = getattr(self.window, "settings", None)
        last = settings.last_server() if settings is not None else ""
        dialog = dialog or ConnectDialog(self.window, last=last)
        while dialog.exec() == ConnectDialog.DialogCode.Accepted:
            try:
                with busy_cursor():
                    project = open_server_project(dialog.location(), password=dialog.password())
            except IsmsError as exc:
                dialog.show_error(str(exc))
                continue
            if settings is not None:  # offered next time (the team opens the same one daily)
                settings.set_last_server(dialog.location())
            self._show(project)
            return True
        return False

    def _show(self, project: Project) -> None:
        install: Callable[[Project], None] | None = getattr(self.window, "_install", None)
        if install is None:
            project.close()
            return
        install(project)

    def publish(self, dialog: ConnectDialog | None = None) -> bool:
        project = self.project
        if project is None or team.is_server_project(project):
            return False
        dialog = dialog or ConnectDialog(self.window, publishing=True)
        while dialog.exec() == ConnectDialog.DialogCode.Accepted:
            try:
                with busy_cursor():
                    rows = team.publish(project, dialog.location(), password=dialog.password())
            except IsmsError as exc:
                dialog.show_error(str(exc))
                continue
            answer = QMessageBox.question(
                self.window,
                self.window.tr("Published"),
                self.window.tr(
                    "{0} records were copied to {1}.\n\nOpen the server project now? "
                    "(The file stays as it is.)"
                ).format(rows, dialog.location()),
            )
            if answer == QMessageBox.StandardButton.Yes:
                try:
                    with busy_cursor():
                        opened = open_server_project(dialog.location(), password=dialog.password())
                except IsmsError as exc:
                    QMessageBox.warning(self.window, self.window.tr("Cannot Open"), str(exc))
                    return True
                self._show(opened)
            return True
        return False

    # -- noticing others' changes ------------------------------------------------------------

    def opened(self) -> None:
        self._update()
        project = self.project
        self.mark = None
        if project is None or not team.is_server_project(project):
            self.timer.stop()
            return
        self.mark = self._mark(project)
        self.timer.start()

    def closed(self) -> None:
        self.timer.stop()
        self.mark = None
        self._update()

    def _mark(self, project: Project) -> team.Mark | None:
        try:
            return team.change_mark(project)
        except IsmsError as exc:
            log.warning("cannot read the change log: %s", exc)
            return None

    def poll(self) -> list[str]:
        """Refresh the window when the history moved on; returns what others changed."""
        project = self.project
        if project is None or self.mark is None or QApplication.activeModalWidget() is not None:
            return []  # never under an open dialog or editor form
        now = self._mark(project)
        if now is None or now == self.mark:
            return []
        try:
            others = team.changed_since(project, self.mark, by_others=True)
        except IsmsError:
            others = []
        self.mark = now
        if others:
            refresh = getattr(self.window, "refresh", None)
            if callable(refresh):
                refresh()
            self._status(
                self.window.tr("Others changed: {0} — the window shows their changes.").format(
                    ", ".join(others)
                )
            )
        return others


def install_team_menu(window: QMainWindow) -> TeamActions:
    return TeamActions(window)
