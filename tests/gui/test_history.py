"""History panel, Change log dialog, File ▸ Restore from backup… and the backup on open."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path

from gui_helpers import Dialogs
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from isms_desktop.services import backups, registers
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.history.change_log_dialog import ChangeLogDialog
from isms_desktop.ui.history.history_panel import HistoryDialog, HistoryPanel
from isms_desktop.ui.history.log_model import COL_FIELD, COL_NEW, COL_OLD, COL_REGISTER
from isms_desktop.ui.history.menu import HistoryActions
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.registers.register_view import RegisterView


def _edited(path: Path) -> str:
    with open_project(path) as project:
        code = registers.create(project, "assets", {"name": "Mail server", "type": "software"}).code
        registers.update(project, "assets", code, "name", "Mail gateway")
        registers.create(project, "context", {"kind": "internal", "description": "Growth"})
    return code


def test_history_panel_lists_the_changes_of_one_record(
    qtbot: QtBot, project_file: Path, tmp_path: Path
) -> None:
    code = _edited(project_file)
    with open_project(project_file) as project:
        panel = HistoryPanel(project, "assets", code)
        qtbot.addWidget(panel)
        panel.resize(900, 300)
        panel.show()
        model = panel.model
        assert model.rowCount() == 2
        first = model.index(0, COL_FIELD)
        assert model.data(first) == "Asset"  # the register's header of the field "name"
        assert model.data(model.index(0, COL_OLD)) == "Mail server"
        assert model.data(model.index(0, COL_NEW)) == "Mail gateway"
        assert panel.table.isColumnHidden(COL_REGISTER)
        assert code in panel.summary.text()
        panel.grab().save(str(tmp_path / "history_panel.png"))
        panel.set_record("assets", "A-404")
        assert model.rowCount() == 0
        assert "no changes" in panel.summary.text()


def test_a_register_shows_the_history_of_the_selected_record(
    qtbot: QtBot, project_file: Path, tmp_path: Path
) -> None:
    """History… (the register's context menu): the changes of the one selected record."""
    code = _edited(project_file)
    with open_project(project_file) as project:
        view = RegisterView("assets")
        qtbot.addWidget(view)
        view.resize(1000, 500)
        view.set_project(project)
        view.show()

        # (chosen until the view's first load has settled; an earlier test may leave Ctrl
        # held, under which a plain selectRow would toggle the row off again)
        qtbot.waitUntil(
            lambda: view.select_code(code) and view.selected_codes() == [code], timeout=10000
        )
        qtbot.waitUntil(view.history_action.isEnabled, timeout=5000)
        dialog = view.show_history()
        assert isinstance(dialog, HistoryDialog)  # (the view's child, deleted on closing)
        assert dialog.windowTitle() == f"History of {code}"
        assert dialog.panel.model.rowCount() == 2
        assert dialog.panel.model.data(dialog.panel.model.index(0, COL_NEW)) == "Mail gateway"
        dialog.grab().save(str(tmp_path / "history_dialog.png"))
        dialog.close()
        registers.create(project, "assets", {"name": "Web server", "type": "software"})
        view.refresh()
        qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
        view.table.selectAll()
        qtbot.waitUntil(lambda: not view.history_action.isEnabled(), timeout=5000)
        assert view.show_history() is None, "one record at a time"
        view.set_project(None)


def test_change_log_dialog_filters_and_exports(
    qtbot: QtBot, project_file: Path, tmp_path: Path
) -> None:
    _edited(project_file)
    with open_project(project_file) as project:
        dialog = ChangeLogDialog(project)
        qtbot.addWidget(dialog)
        everything = dialog.model.rowCount()
        assert everything == 3  # a new project's history starts after it was built
        shown = {dialog.model.index(row, COL_REGISTER).data() for row in range(everything)}
        assert shown == {"Assets", "Context issues"}  # the registers' names, not their codes
        assert dialog.register_box.itemText(dialog.register_box.findData("assets")) == "Assets"
        dialog.register_box.setCurrentIndex(dialog.register_box.findData("assets"))
        assert dialog.model.rowCount() == 2
        dialog.text_edit.setText("gateway")
        dialog.refresh()
        assert dialog.model.rowCount() == 1
        assert dialog.count_label.text() == "1 change"  # not "1 change(s)"
        dialog.since_check.setChecked(True)
        assert dialog.model.rowCount() == 1  # today
        dialog.grab().save(str(tmp_path / "change_log.png"))
        out = dialog.export(tmp_path / "log")
    assert out == tmp_path / "log.xlsx"
    sheet = load_workbook(out).active
    assert sheet is not None
    assert [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Mail gateway"]


def test_menus_backup_on_open_and_restore_by_replacing(
    qtbot: QtBot, window: MainWindow, project_file: Path, dialogs: Dialogs
) -> None:
    actions = window.history_actions
    file_menu, edit_menu = (a.menu() for a in window.menuBar().actions()[:2])
    assert actions.restore_action in file_menu.actions()  # type: ignore[union-attr]
    assert actions.change_log_action in edit_menu.actions()  # type: ignore[union-attr]
    assert not actions.change_log_action.isEnabled()
    assert window.open_path(project_file)
    assert actions.change_log_action.isEnabled()
    # the backup on open is made once the window shows the project
    qtbot.waitUntil(lambda: len(backups.list_backups("Acme")) == 1, timeout=5000)
    project = window.project
    assert project is not None
    registers.create(project, "assets", {"name": "Added after backup", "type": "hardware"})
    dialog = actions.restore()
    assert dialog is not None
    assert dialog.list.topLevelItemCount() == 1
    dialogs.answer = QMessageBox.StandardButton.No
    dialog.replace_current()
    assert registers.count(project, "assets") == 1  # declined: nothing changed
    dialogs.answer = QMessageBox.StandardButton.Yes
    dialog.replace_current()
    reopened = window.project
    assert reopened is not None and reopened is not project
    assert registers.count(reopened, "assets") == 0
    notes = [b.note for b in backups.list_backups("Acme")]
    assert "before-restore" in notes
    log_dialog = actions.show_change_log()
    assert log_dialog is not None
    log_dialog.close()


def _opened_and_backed_up(
    qtbot: QtBot, window: MainWindow, project_file: Path
) -> tuple[HistoryActions, backups.BackupKeeper]:
    """The project open in the window, its backup on opening made and the copy ended."""
    actions = window.history_actions
    assert window.open_path(project_file)
    qtbot.waitUntil(lambda: len(backups.list_backups("Acme")) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not actions.backing_up, timeout=5000)
    keeper = actions.keeper
    assert keeper is not None
    return actions, keeper


def test_the_backup_is_copied_off_the_gui_thread_and_closing_stops_it(
    qtbot: QtBot, window: MainWindow, project_file: Path
) -> None:
    actions, keeper = _opened_and_backed_up(qtbot, window, project_file)
    threads: list[bool] = []
    started = threading.Event()

    def slow_copy(cancelled: Callable[[], bool]) -> Path | None:
        # a copy of a large file on a slow disk: it runs until the project is closed
        threads.append(threading.current_thread() is threading.main_thread())
        started.set()
        while not cancelled():
            time.sleep(0.01)
        return keeper.opened(cancelled=cancelled)

    actions._run(slow_copy)
    assert started.wait(5)
    assert actions.backing_up
    # meanwhile the window answers and the project can be edited
    project = window.project
    assert project is not None
    registers.create(project, "assets", {"name": "Edited while copying", "type": "site"})
    qtbot.wait(50)
    assert actions.backing_up
    window.close_project()
    assert not actions.backing_up
    assert threads == [False]
    folder = backups.backup_folder("Acme")
    assert len(backups.list_backups("Acme")) == 1  # the stopped copy wrote nothing
    assert not [p for p in folder.iterdir() if p.name.startswith(".copy-")]


def test_after_minutes_of_editing_the_next_backup_is_copied_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, project_file: Path
) -> None:
    actions, keeper = _opened_and_backed_up(qtbot, window, project_file)
    assert keeper.last_at is not None
    actions.tick()
    assert not actions.backing_up  # nothing changed since: nothing to copy
    project = window.project
    assert project is not None
    registers.create(project, "assets", {"name": "Edited later", "type": "site"})
    actions.tick()
    assert not actions.backing_up  # changed, but the interval has not passed
    keeper.last_at -= dt.timedelta(minutes=keeper.settings.interval_minutes + 1)
    actions.tick()
    qtbot.waitUntil(lambda: not actions.backing_up, timeout=5000)
    assert keeper.last_generation == project.generation
    # the newest backup holds the edit (the first, made on opening, had no asset; within
    # the same second the new one takes its name)
    newest = backups.list_backups("Acme")[0]
    with open_project(newest.path, read_only=True) as copy:
        assert registers.count(copy, "assets") == 1


def test_a_damaged_project_file_is_told_in_a_box_once_not_only_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, demo_path: Path, dialogs: Dialogs
) -> None:
    """Damage the opening does not read is found by the backup's check: the backup is not
    made (the good ones stay), and the user is told in a box once per opening; later
    backups say it in the status bar."""
    from isms_desktop.services.projects import check_project

    pristine = demo_path.read_bytes()
    for page in range(demo_path.stat().st_size // 4096 - 1, 1, -7):
        demo_path.write_bytes(pristine)  # a page the opening does not read
        with demo_path.open("r+b") as handle:
            handle.seek(page * 4096)
            handle.write(bytes(4096))
        if not check_project(demo_path).ok:
            break
    assert not check_project(demo_path).ok
    actions = window.history_actions
    assert window.open_path(demo_path)
    qtbot.waitUntil(lambda: dialogs.kinds() == ["warning"], timeout=10_000)
    _kind, title, text = dialogs.shown[0]
    assert title == "Project File Damaged"
    assert "no automatic backup was made" in text and "Restore from Backup" in text
    qtbot.waitUntil(lambda: not actions.backing_up, timeout=5000)
    keeper = actions.keeper
    assert keeper is not None
    actions._run(keeper.opened)  # the next backup: the status bar only
    qtbot.waitUntil(lambda: not actions.backing_up, timeout=5000)
    qtbot.waitUntil(lambda: "backup failed" in window.statusBar().currentMessage(), timeout=5000)
    assert dialogs.kinds() == ["warning"]
    assert backups.list_backups(demo_path.stem) == []
