"""The main window: menus, the start page or the nine area tabs, and the open project.

An area's tab is built the first time it is shown or asked for (``area_tab``): a project
opens on the dashboard alone, the other tabs' names wait in the tab bar.

The window owns the open ``Project`` handle and the undo stack. Every call into the services
catches ``IsmsError`` (something the user can act on) and shows its message; any other
exception is a bug and goes on to the crash handler.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import platform
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QMimeData, Qt, QTimer, Signal, qVersion
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from isms_desktop import __version__
from isms_desktop.catalog.help_pages import FIRST_STEPS, page_for_area
from isms_desktop.domain.errors import (
    DamagedFileError,
    IsmsError,
    LockedError,
    ReadOnlyError,
    WrongPasswordError,
)
from isms_desktop.services.attachments import purge_orphans
from isms_desktop.services.projects import Project, create_project, open_project, project_info
from isms_desktop.storage.encryption import looks_encrypted
from isms_desktop.storage.paths import data_dir, log_file
from isms_desktop.storage.project_file import SUFFIX, change_encryption, write_refusal
from isms_desktop.ui.audit.audit_menu import add_audit_menu
from isms_desktop.ui.busy import busy_cursor
from isms_desktop.ui.encryption_ui import MAX_TRIES as MAX_PASSWORD_TRIES
from isms_desktop.ui.encryption_ui import EncryptionDialog, ask_password
from isms_desktop.ui.icons import action_icon, app_icon
from isms_desktop.ui.new_project_dialog import NewProjectDialog, default_folder, with_suffix
from isms_desktop.ui.settings import Settings
from isms_desktop.ui.start_page import StartPage
from isms_desktop.ui.tabs.areas import AREAS, area_index

if TYPE_CHECKING:
    from isms_desktop.ui.tabs.base import AreaTab, ProjectInfo

DEMO_FILE_NAME = "demo.isms"
_STATUS_TIMEOUT_MS = 6000


def _keys(*preferred: str, standard: QKeySequence.StandardKey | None = None) -> list[QKeySequence]:
    """Our documented keys first (the menu shows the first), then the platform's own.

    Windows, for instance, has no standard Quit key and lists Ctrl+F4 before Ctrl+W for
    Close; the documented Ctrl+Q and Ctrl+W work, and are shown, everywhere.
    """
    keys = [QKeySequence(text) for text in preferred]
    if standard is not None:
        keys.extend(k for k in QKeySequence.keyBindings(standard) if k not in keys)
    return keys


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_mnemonic(text: str) -> str:
    return text.replace("&", "&&")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def dropped_project(mime: QMimeData | None) -> Path | None:
    """The one local .isms file a drag carries, or None (several files, or other kinds)."""
    if mime is None or not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() == SUFFIX else None


class MainWindow(QMainWindow):
    """The application's one window; ``open_path`` and ``close_project`` drive it."""

    project_opened = Signal()
    project_closing = Signal()  # the project is still open: work on it must stop now
    project_closed = Signal()

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings()
        self.undo_stack = QUndoStack(self)
        self._project: Project | None = None
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.start_page = StartPage(self.settings, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self._made: dict[int, AreaTab] = {}  # tab index -> the area's tab, once built
        self._info: ProjectInfo | None = None  # the overview the tabs were last given
        for area in AREAS:
            # a stand-in until the area's tab is built (``area_tab``)
            index = self.tabs.addTab(QWidget(self.tabs), _escape_mnemonic(area.title()))
            self.tabs.setTabToolTip(index, self._tab_tip(index))
        # Above the tabs, a banner says why a project is open read-only (and what to do).
        self.read_only_banner = QLabel(self)
        self.read_only_banner.setObjectName("read_only_banner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.read_only_banner.setStyleSheet(
            "QLabel#read_only_banner { background: #fff4ce; color: #3b2e00; "
            "border-bottom: 1px solid #e0c060; padding: 6px 10px; }"
        )
        self.read_only_banner.hide()
        self._read_only_why = ""
        self._project_page = QWidget(self)
        page_layout = QVBoxLayout(self._project_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        page_layout.addWidget(self.read_only_banner)
        page_layout.addWidget(self.tabs, 1)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.start_page)
        self._stack.addWidget(self._project_page)
        self.setCentralWidget(self._stack)

        self._create_actions()
        self._create_menus()
        self._create_status_bar()
        self._connect_signals()
        self._restore_layout()
        self._update_state()

    # -- the project ------------------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def area_tabs(self) -> list[AreaTab]:
        """Every area's tab in the tab bar's order (building those not built yet)."""
        return [self._tab_at(index) for index in range(len(AREAS))]

    def area_tab(self, key: str) -> AreaTab:
        """The tab of area ``key`` (built now if it was not yet)."""
        index = area_index(key)
        if index < 0:
            raise KeyError(key)
        return self._tab_at(index)

    def _tab_tip(self, index: int) -> str:
        key = QKeySequence(f"Ctrl+{index + 1}").toString(QKeySequence.SequenceFormat.NativeText)
        return self.tr("{0} ({1})").format(AREAS[index].description(), key)

    def _tab_at(self, index: int) -> AreaTab:
        tab = self._made.get(index)
        if tab is not None:
            return tab
        tab = AREAS[index].tab_class()(self.tabs)
        self._made[index] = tab
        stand_in = self.tabs.widget(index)
        current = self.tabs.currentIndex()
        # The tab takes its stand-in's place unnoticed: no tab change is signalled.
        self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, _escape_mnemonic(tab.title()))
            self.tabs.setTabToolTip(index, self._tab_tip(index))
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        if stand_in is not None:
            stand_in.deleteLater()
        from isms_desktop.ui.tabs.dashboard_tab import DashboardTab

        if isinstance(tab, DashboardTab):
            tab.area_chosen.connect(self.go_to_area)
            tab.target_chosen.connect(self.open_target)
            tab.record_chosen.connect(self.open_record)
        if self._project is not None:
            tab.set_project(self._project, self._info)
        return tab

    def open_path(
        self,
        path: Path,
        *,
        read_only: bool = False,
        password: str | None = None,
        attempt: int = 0,
    ) -> bool:
        """Open the project at ``path``; on a lock held elsewhere, offer read-only; a file
        that cannot be written where it is (read-only media, a write-protected file or
        folder) opens read-only with a banner saying why; for an encrypted file, ask for
        the password (three tries)."""
        return self._open(Path(path), read_only, password, attempt, why="")

    def _open(
        self, path: Path, read_only: bool, password: str | None, attempt: int, why: str
    ) -> bool:
        current = self._project
        if current is not None and current.path is not None and _same_file(current.path, path):
            self.statusBar().showMessage(
                self.tr("{0} is already open.").format(path.name), _STATUS_TIMEOUT_MS
            )
            return True
        try:
            with busy_cursor():
                project = open_project(path, read_only=read_only, password=password)
        except LockedError as exc:
            answer = QMessageBox.question(
                self,
                self.tr("Project in Use"),
                self.tr(
                    "{0}\n\nOpen read-only? You can read everything but change nothing."
                ).format(exc),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            holder = self.tr("it is in use by {0} on {1} since {2}").format(
                exc.user or self.tr("someone"), exc.host or "?", exc.since or "?"
            )
            return self._open(path, True, password, attempt, why=holder)
        except ReadOnlyError as exc:
            # Nothing may be written beside it (not even the lock or SQLite's journal): it
            # opens read-only, and the banner says why. No backup is made of it.
            reason = write_refusal(path) or str(exc)
            return self._open(path, True, password, attempt, why=reason)
        except (DamagedFileError, WrongPasswordError) as exc:
            if looks_encrypted(path) and attempt < MAX_PASSWORD_TRIES:
                typed = ask_password(self, path, attempt + 1)
                if typed is None:
                    return False
                return self._open(path, read_only, typed, attempt + 1, why)
            if isinstance(exc, DamagedFileError):
                self._damaged(path, exc)
            else:
                self._warn(self.tr("Cannot Open Project"), exc)
            return False
        except IsmsError as exc:
            self._warn(self.tr("Cannot Open Project"), exc)
            return False
        try:
            # the first read: damage inside the file shows here, before a backup copies it
            info = project_info(project)
        except DamagedFileError as exc:
            project.close()
            self._damaged(path, exc)
            return False
        except IsmsError as exc:
            project.close()
            self._warn(self.tr("Cannot Open Project"), exc)
            return False
        self._install(project, why, info)
        return True

    def _damaged(self, path: Path, error: IsmsError) -> None:
        """Say a file is damaged, and offer its automatic backups (if there are any)."""
        from isms_desktop.services.backups import list_backups, restore_advice

        found = list_backups(path.stem)
        if not found:
            self._warn(
                self.tr("Project Damaged"),
                self.tr("{0}\n\n{1}.").format(error, _capitalised(restore_advice(path.stem))),
            )
            return
        answer = QMessageBox.question(
            self,
            self.tr("Project Damaged"),
            self.tr(
                "{0}\n\nAutomatic backups of it were kept ({1}); the newest is from {2} UTC. "
                "Show them, to restore one?"
            ).format(error, len(found), found[0].taken_at.strftime("%Y-%m-%d %H:%M")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from isms_desktop.ui.history.restore_dialog import RestoreDialog

        dialog = RestoreDialog(path.stem, path, self)
        history = getattr(self, "history_actions", None)
        if history is not None:
            dialog.replace_requested.connect(lambda backup: history.replace(backup, path))
        dialog.restored.connect(lambda target: self.open_path(target))
        self.restore_dialog = dialog
        dialog.show()

    def _open_risk_wizard(self) -> None:
        # (the wizard's module loads when first opened, not with the window)
        from isms_desktop.ui.risk_wizard import open_risk_wizard

        self.risk_wizard = open_risk_wizard(self)

    def _open_report_dialog(self) -> None:
        # reportlab (0.4 s) loads with the dialog, not with the window
        from isms_desktop.ui.reports import open_report_dialog

        open_report_dialog(self)

    def close_project(self) -> None:
        """Close the project on the user's request: next start shows the start page."""
        if self._project is None:
            return
        self.settings.set_last_project(None)
        self._release_project()
        self._update_state()

    def refresh(self) -> None:
        """Re-read the project overview and hand it to every tab."""
        info = None
        if self._project is not None:
            try:
                info = project_info(self._project)
            except IsmsError as exc:
                self._warn(self.tr("Cannot Read Project"), exc)
        self._info = info
        for tab in list(self._made.values()):
            tab.set_project(self._project, info)

    def _install(self, project: Project, why: str = "", info: ProjectInfo | None = None) -> None:
        self._release_project()
        self._project = project
        self._read_only_why = why if project.read_only else ""
        if project.path is not None:
            self.settings.add_recent_file(project.path)
            self.settings.set_last_project(project.path)
        self.undo_stack.clear()
        if info is None:
            self.refresh()
        else:  # (read already, when it was opened)
            self._info = info
            for tab in list(self._made.values()):
                tab.set_project(project, info)
        self.tabs.setCurrentIndex(0)
        self._tab_at(0)
        self._update_state()
        self.project_opened.emit()

    def _release_project(self) -> None:
        project = self._project
        if project is None:
            return
        self.project_closing.emit()
        self._project = None
        # Commands on the stack refer to the project being closed.
        self.undo_stack.clear()
        self._info = None
        for tab in list(self._made.values()):
            tab.set_project(None, None)
        if not project.read_only:
            # deleted records kept their evidence for Undo; with the stack gone, it goes too
            with contextlib.suppress(IsmsError):
                purge_orphans(project)
        project.close()
        self.project_closed.emit()

    # -- actions ----------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object] | None,
        tip: str,
        keys: Iterable[QKeySequence] = (),
    ) -> QAction:
        action = QAction(text, self)
        shortcuts = list(keys)
        if shortcuts:
            action.setShortcuts(shortcuts)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _create_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.new_action = self._action(
            self.tr("&New…"),
            self.new_project,
            self.tr("Create a new project for an organisation"),
            _keys("Ctrl+N", standard=std.New),
        )
        self.open_action = self._action(
            self.tr("&Open…"),
            self.open_project_dialog,
            self.tr("Open an existing project file"),
            _keys("Ctrl+O", standard=std.Open),
        )
        self.save_copy_action = self._action(
            self.tr("Save a &Copy…"),
            self.save_copy,
            self.tr("Write a copy of the project to another file, e.g. to send or archive it"),
            _keys("Ctrl+Shift+S", standard=std.SaveAs),
        )
        self.encryption_action = self._action(
            self.tr("E&ncryption…"),
            self.change_encryption,
            self.tr("Encrypt the project file with a password, change it, or remove it"),
        )
        from isms_desktop.ui.io import open_export_dialog, open_import_dialog

        self.export_excel_action = self._action(
            self.tr("&Excel Workbook…"),
            lambda: open_export_dialog(self),
            self.tr("Write the registers as one Excel workbook, to share or to edit"),
        )
        self.import_action = self._action(
            self.tr("&Import from Spreadsheet…"),
            lambda: open_import_dialog(self),
            self.tr("Add or update a register's rows from .xlsx, .xls, .ods or .csv"),
        )
        self.export_report_action = self._action(
            self.tr("&Report…"),
            self._open_report_dialog,
            self.tr("Write a PDF report: SoA, risks, treatment plan, policy, audit or manual"),
        )
        for action in (self.export_excel_action, self.import_action):
            action.setEnabled(False)
            writes = action is self.import_action
            self.project_opened.connect(
                lambda a=action, w=writes: a.setEnabled(
                    self._project is not None and not (w and self._project.read_only)
                )
            )
            self.project_closed.connect(lambda a=action: a.setEnabled(False))
        self.close_action = self._action(
            self.tr("&Close"),
            self.close_project,
            self.tr("Close the project and return to the start page"),
            _keys("Ctrl+W", standard=std.Close),
        )
        self.quit_action = self._action(
            self.tr("&Quit"),
            self.close,
            self.tr("Quit isms-desktop (everything is already saved)"),
            _keys("Ctrl+Q", standard=std.Quit),
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts(_keys("Ctrl+Z", standard=std.Undo))
        self.undo_action.setStatusTip(self.tr("Undo the last change"))
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts(_keys("Ctrl+Shift+Z", "Ctrl+Y", standard=std.Redo))
        self.redo_action.setStatusTip(self.tr("Redo the change last undone"))
        self.find_action = self._action(
            self.tr("&Find…"),
            self.find_records,
            self.tr("Search the project's records"),
            _keys("Ctrl+F", "Ctrl+K", standard=std.Find),
        )

        self.risk_wizard_action = self._action(
            self.tr("New &Risk (Guided)…"),
            self._open_risk_wizard,
            self.tr("Record a risk step by step: asset, threat, weakness, scores, treatment"),
            _keys("Ctrl+Shift+R"),
        )
        self.status_bar_action = self._action(
            self.tr("Status &Bar"),
            None,
            self.tr("Show or hide the status bar"),
        )
        self.status_bar_action.setCheckable(True)
        self.status_bar_action.toggled.connect(self._set_status_bar_visible)
        self.full_screen_action = self._action(
            self.tr("&Full Screen"),
            None,
            self.tr("Use the whole screen for the window"),
            _keys("F11", standard=std.FullScreen),
        )
        self.full_screen_action.setCheckable(True)
        self.full_screen_action.toggled.connect(self._set_full_screen)

        self.tab_actions: list[QAction] = []
        self._tab_group = QActionGroup(self)
        self._tab_group.setExclusive(True)
        for number, area in enumerate(AREAS, start=1):
            title = area.title()
            action = self._action(
                f"&{number} {_escape_mnemonic(title)}",
                None,
                self.tr("Go to the {0} tab").format(title),
                [QKeySequence(f"Ctrl+{number}")],
            )
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, i=number - 1: self.go_to_tab(i))
            self._tab_group.addAction(action)
            self.tab_actions.append(action)

        self.guide_action = self._action(
            self.tr("&User Guide"),
            self.show_guide,
            self.tr("How to run the ISMS with isms-desktop: the page of the tab in view"),
            _keys("F1", standard=std.HelpContents),
        )
        self.getting_started_action = self._action(
            self.tr("&Getting Started"),
            lambda: self.show_guide(FIRST_STEPS),
            self.tr("First steps: the demo, a new project, and the order of work"),
        )
        self.about_action = self._action(
            self.tr("&About isms-desktop"),
            self.show_about,
            self.tr("Version, licence and the versions of Python and Qt"),
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_qt_action = self._action(
            self.tr("About &Qt"), QApplication.aboutQt, self.tr("The Qt toolkit's version")
        )
        self.about_qt_action.setMenuRole(QAction.MenuRole.AboutQtRole)
        self.licences_action = self._action(
            self.tr("&Licences of Bundled Components…"),
            self.show_licences,
            self.tr("The components isms-desktop is built with, and their licences"),
        )
        for action, icon in (
            (self.new_action, "new"),
            (self.open_action, "open"),
            (self.save_copy_action, "save-copy"),
            (self.encryption_action, "encrypt"),
            (self.export_excel_action, "export-excel"),
            (self.import_action, "import"),
            (self.export_report_action, "report-pdf"),
            (self.close_action, "close"),
            (self.undo_action, "undo"),
            (self.redo_action, "redo"),
            (self.find_action, "find"),
            (self.guide_action, "help"),
            (self.risk_wizard_action, "wizard"),
        ):
            action.setIcon(action_icon(icon))

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.setToolTipsVisible(True)
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_copy_action)
        file_menu.addAction(self.encryption_action)
        self.export_menu = file_menu.addMenu(self.tr("&Export"))
        self.export_menu.setToolTipsVisible(True)
        self.export_menu.addAction(self.export_excel_action)
        self.export_menu.addAction(self.export_report_action)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.risk_wizard_action)

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self.status_bar_action)
        view_menu.addAction(self.full_screen_action)
        view_menu.addSeparator()
        for action in self.tab_actions:
            view_menu.addAction(action)

        self.audit_menu = add_audit_menu(self, lambda: self.project)
        from isms_desktop.ui.documents.menu import install_documents_menu

        self.draft_policy_action = install_documents_menu(self)
        from isms_desktop.ui.history.menu import install_history_menu

        self.history_actions = install_history_menu(self)  # Restore from backup, Change log
        from isms_desktop.ui.team.menu import install_team_menu

        self.team_actions = install_team_menu(self)  # Connect to / Publish to Server, polling
        from isms_desktop.ui.wizard.menu import install_project_menu

        self.project_menu = install_project_menu(self)  # Setup wizard, Risk method
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.getting_started_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        help_menu.addAction(self.licences_action)
        help_menu.addAction(self.about_qt_action)
        self._fill_recent_menu()

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        self.read_only_label = QLabel(self.tr("read-only"), self)
        self.read_only_label.setToolTip(
            self.tr("The project is open read-only: you can read it but not change it")
        )
        self.read_only_label.setStyleSheet("QLabel { font-weight: bold; padding: 0 6px; }")
        self.path_label = QLabel(self)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status.addPermanentWidget(self.read_only_label)
        status.addPermanentWidget(self.path_label)
        visible = self.settings.status_bar_visible()
        status.setVisible(visible)
        self.status_bar_action.setChecked(visible)

    def _connect_signals(self) -> None:
        self.start_page.new_requested.connect(self.new_project)
        self.start_page.open_requested.connect(self.open_project_dialog)
        self.start_page.demo_requested.connect(self.open_demo_project)
        self.start_page.recent_chosen.connect(self.open_recent)
        self.tabs.currentChanged.connect(self._tab_changed)

    # -- File -------------------------------------------------------------------------------

    def _folder_for_dialogs(self) -> Path:
        if self._project is not None and self._project.path is not None:
            return self._project.path.parent
        for path in self.settings.recent_files():
            if path.parent.is_dir():
                return path.parent
        return default_folder()

    def new_project(self) -> None:
        dialog = NewProjectDialog(self._folder_for_dialogs(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            with busy_cursor():
                project = create_project(dialog.path(), dialog.organisation())
        except IsmsError as exc:
            self._warn(self.tr("Cannot Create Project"), exc)
            return
        self._install(project)
        self.project_menu.open_setup_wizard()  # every new project starts with the wizard

    def open_project_dialog(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Open Project"),
            str(self._folder_for_dialogs()),
            self.tr("isms-desktop projects (*.isms);;All files (*)"),
        )
        if chosen:
            self.open_path(Path(chosen))

    def open_recent(self, path: Path) -> None:
        if not path.exists():
            answer = QMessageBox.question(
                self,
                self.tr("Project Not Found"),
                self.tr(
                    "{0} no longer exists; it may have been moved, renamed or deleted.\n\n"
                    "Remove it from the recent projects?"
                ).format(path),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.settings.remove_recent_file(path)
                self._recent_changed()
            return
        self.open_path(path)

    def open_demo_project(self) -> None:
        """Open the demo project in the user's data folder, creating it the first time."""
        path = data_dir() / DEMO_FILE_NAME
        if path.exists():
            self.open_path(path)
            return
        try:
            with busy_cursor():
                from isms_desktop.services.demo import create_demo_project  # (slow import)

                project = create_demo_project(path)
        except IsmsError as exc:
            self._warn(self.tr("Cannot Create the Demo Project"), exc)
            return
        self._install(project)

    def clear_recent_files(self) -> None:
        self.settings.clear_recent_files()
        self._recent_changed()

    def save_copy(self) -> None:
        project = self._project
        if project is None:
            return
        stem = project.path.stem if project.path is not None else project.display_name
        suggested = self._folder_for_dialogs() / self.tr("{0} copy {1}.isms").format(
            stem, dt.date.today().isoformat()
        )
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save a Copy"),
            str(suggested),
            self.tr("isms-desktop projects (*.isms)"),
        )
        if not chosen:
            return
        target = with_suffix(Path(chosen))
        if target != Path(chosen) and target.exists():
            # The dialog confirmed overwriting the name typed, not the one with .isms added.
            answer = QMessageBox.question(
                self,
                self.tr("Replace File?"),
                self.tr("{0} already exists. Replace it?").format(target),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            with busy_cursor():
                project.save_copy(target)
        except IsmsError as exc:
            self._warn(self.tr("Cannot Save a Copy"), exc)
            return
        except OSError as exc:
            # Disk full, no permission: the environment, not a bug.
            self._warn(
                self.tr("Cannot Save a Copy"),
                self.tr("{0} could not be written: {1}").format(target, exc.strerror or exc),
            )
            return
        self.statusBar().showMessage(
            self.tr("A copy was saved as {0}.").format(target), _STATUS_TIMEOUT_MS
        )

    def change_encryption(self) -> None:
        """File ▸ Encryption…: the file is rewritten while closed, then opened again."""
        project = self._project
        if project is None or project.path is None or project.read_only:
            return
        dialog = EncryptionDialog(project.encrypted, self)
        self.encryption_dialog = dialog
        if dialog.exec() != EncryptionDialog.DialogCode.Accepted:
            return
        path = project.path
        new_password = dialog.new_password()
        self._release_project()
        try:
            with busy_cursor():
                change_encryption(
                    path, password=dialog.current_password(), new_password=new_password
                )
        except IsmsError as exc:
            self._warn(self.tr("Encryption Not Changed"), exc)
            self.open_path(path, password=dialog.current_password())
            return
        if self.open_path(path, password=new_password):
            self.statusBar().show()
            self.statusBar().showMessage(
                self.tr("The project is encrypted now.")
                if new_password
                else self.tr("The project is no longer encrypted."),
                _STATUS_TIMEOUT_MS,
            )

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.settings.recent_files()
        for number, path in enumerate(files, start=1):
            mnemonic = f"&{number}" if number < 10 else f"1&{number - 10}"
            action = menu.addAction(f"{mnemonic} {_escape_mnemonic(path.stem)}")
            action.setStatusTip(str(path))
            if path.exists():
                action.setToolTip(str(path))
            else:
                action.setEnabled(False)
                action.setToolTip(self.tr("{0} no longer exists").format(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
        if not files:
            empty = menu.addAction(self.tr("No recent projects"))
            empty.setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction(self.tr("&Clear Recent Projects"))
        clear.setStatusTip(self.tr("Forget the list of recent projects (the files stay)"))
        clear.setEnabled(bool(files))
        clear.triggered.connect(self.clear_recent_files)

    def _recent_changed(self) -> None:
        self.start_page.refresh()
        self._fill_recent_menu()

    # -- Edit, View, Help -------------------------------------------------------------------

    def find_records(self) -> None:
        """Ctrl+F / Ctrl+K: find any record in any register; Enter opens it."""
        if self._project is None:
            return
        from isms_desktop.ui.search_dialog import SearchDialog

        dialog = SearchDialog(self._project, self)
        dialog.record_chosen.connect(self.open_record)
        self.search_dialog = dialog
        dialog.open()

    def open_target(self, target: object) -> None:
        """Go to where a readiness next step is done: the area, the register, its filters."""
        area = getattr(target, "area", "")
        register = getattr(target, "register", "")
        filters = dict(getattr(target, "filters", ()))
        self.go_to_area(area)
        if register:
            self._show_register(area, register, "", filters)

    def open_record(self, register: str, code: str) -> None:
        """Show one record (or, without a code, the whole register) in its area tab."""
        from isms_desktop.ui.dashboard.navigation import area_of

        area = area_of(register)
        self.go_to_area(area)
        self._show_register(area, register, code, {})

    def _show_register(self, area: str, register: str, text: str, filters: dict[str, str]) -> None:
        tab = self.area_tab(area) if area_index(area) >= 0 else None
        show = getattr(tab, "show_register", None)
        if callable(show):
            show(register, text, filters)
        elif text:
            self.statusBar().show()
            self.statusBar().showMessage(
                self.tr("{0} {1} is in this tab").format(register, text), _STATUS_TIMEOUT_MS
            )

    def go_to_tab(self, index: int) -> None:
        if self._project is not None and 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def go_to_area(self, key: str) -> None:
        index = area_index(key)
        if index >= 0:
            self.go_to_tab(index)

    def _tab_changed(self, index: int) -> None:
        if 0 <= index < len(self.tab_actions):
            self.tab_actions[index].setChecked(True)
        if 0 <= index < len(AREAS) and self._project is not None:
            self._tab_at(index)  # built when first shown

    def _set_status_bar_visible(self, visible: bool) -> None:
        self.statusBar().setVisible(visible)
        self.settings.set_status_bar_visible(visible)

    def _set_full_screen(self, full: bool) -> None:
        # Toggling only the full-screen flag keeps "maximized" for when we return.
        state = self.windowState()
        if full:
            self.setWindowState(state | Qt.WindowState.WindowFullScreen)
        else:
            self.setWindowState(state & ~Qt.WindowState.WindowFullScreen)

    def about_text(self) -> str:
        return self.tr(
            "<h3>isms-desktop {version}</h3>"
            "<p>Build and run an ISO/IEC 27001:2022 information security management system "
            "from one project file.</p>"
            "<p>Python {python} · Qt {qt} · PySide6 {pyside}<br>{system}</p>"
            "<p>Licence: GNU General Public License, version 3 or later "
            "(GPL-3.0-or-later). This program comes with ABSOLUTELY NO WARRANTY.</p>"
            "<p>Licences of bundled components: Qt {qt} and PySide6 under the LGPL-3.0; "
            "SQLAlchemy, Alembic, openpyxl, python-docx, PyYAML and others under MIT, BSD "
            "and similar licences. <b>Licences…</b> lists each with its full text.</p>"
            "<p>Settings: {settings}<br>Log: {log}</p>"
        ).format(
            version=__version__,
            python=platform.python_version(),
            qt=qVersion(),
            pyside=pyside_version,
            system=f"{platform.system()} {platform.release()}",
            settings=self.settings.path,
            log=log_file(),
        )

    def show_about(self) -> QMessageBox:
        """The About box (window-modal, not blocking); its Licences… button opens the list."""
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About isms-desktop"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 30em; }")  # fewer, longer lines
        licences = box.addButton(self.tr("&Licences…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        licences.clicked.connect(lambda: self.show_licences())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_box = box
        box.open()
        return box

    def show_guide(self, page: str = "") -> QWidget:
        """Help ▸ User Guide (F1): the guide's page of the tab in view (its first steps on
        the start page), or ``page``."""
        from isms_desktop.ui.help_window import show_help

        if not page:
            index = self.tabs.currentIndex()
            on_tab = self._project is not None and 0 <= index < len(AREAS)
            page = page_for_area(AREAS[index].key) if on_tab else FIRST_STEPS
        return show_help(self, page)

    def show_licences(self) -> QDialog:
        """Help ▸ Licences of Bundled Components: each component, its licence and text."""
        from isms_desktop.ui.licences_dialog import LicencesDialog

        dialog = LicencesDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.licences_dialog = dialog
        dialog.open()
        return dialog

    # -- state ------------------------------------------------------------------------------

    def _update_state(self) -> None:
        project = self._project
        has_project = project is not None
        self._stack.setCurrentWidget(self._project_page if has_project else self.start_page)
        for action in (self.save_copy_action, self.close_action, self.find_action):
            action.setEnabled(has_project)
        self.risk_wizard_action.setEnabled(bool(project is not None and not project.read_only))
        self.encryption_action.setEnabled(
            bool(project is not None and not project.read_only and project.path is not None)
        )
        self._tab_group.setEnabled(has_project)
        self.read_only_label.setVisible(bool(project is not None and project.read_only))
        self._update_banner()
        if project is None:
            self.setWindowTitle(self.tr("isms-desktop"))
            self.setWindowFilePath("")
            self.path_label.setText(self.tr("No project open"))
            self.start_page.refresh()
            self._fill_recent_menu()
            return
        location = str(project.path) if project.path is not None else project.location
        if project.read_only:
            title = self.tr("{name} [read-only] — {path} — isms-desktop")
        else:
            title = self.tr("{name} — {path} — isms-desktop")
        self.setWindowTitle(title.format(name=project.display_name, path=location))
        self.setWindowFilePath(location)
        self.path_label.setText(location)
        self._tab_changed(self.tabs.currentIndex())
        self._fill_recent_menu()

    def _update_banner(self) -> None:
        project = self._project
        if project is None or not project.read_only:
            self.read_only_banner.hide()
            return
        if self._read_only_why:
            text = self.tr(
                "<b>Open read-only:</b> {0}. You can read, export and print everything but "
                "change nothing. To work on it, save a copy in a writable folder "
                "(File ▸ Save a Copy…) and open the copy."
            ).format(_html(self._read_only_why))
        else:
            text = self.tr(
                "<b>Open read-only:</b> you can read, export and print everything but "
                "change nothing."
            )
        self.read_only_banner.setText(text)
        self.read_only_banner.show()

    def _warn(self, title: str, error: IsmsError | str) -> None:
        QMessageBox.warning(self, title, str(error))

    def _restore_layout(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
            screen = self.screen().availableGeometry()
            if screen.width() < 1280 or screen.height() < 800:
                self.resize(int(screen.width() * 0.9), int(screen.height() * 0.9))
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)

    # -- Qt overrides -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set_window_layout(self.saveGeometry(), self.saveState())
        self._release_project()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_project(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if dropped_project(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_project(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Opening may ask a question; doing it after the drop lets the drag finish first.
        QTimer.singleShot(0, self, lambda: self.open_path(path))
