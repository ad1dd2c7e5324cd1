"""The main window on a project: title, tabs, menus, recent files, copies, locks, drops."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import ORGANISATION, Dialogs, make_project
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMenu
from pytestqt.qtbot import QtBot

from isms_desktop.services.projects import open_project, project_info, summary
from isms_desktop.storage.lock import lock_path
from isms_desktop.ui.app import start_main_window
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.new_project_dialog import NewProjectDialog
from isms_desktop.ui.settings import Settings
from isms_desktop.ui.tabs import DashboardTab

pytestmark = pytest.mark.timeout(60)

TAB_TITLES = [
    "Dashboard",
    "Context & Scope",
    "Policies & Documents",
    "Assets",
    "Risks",
    "Statement of Applicability",
    "Audits",
    "Improvement",
    "Management Review",
]


def _menu_actions(menu: QMenu) -> list[QAction]:
    actions: list[QAction] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        actions.append(action)
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            actions.extend(_menu_actions(submenu))
    return actions


def test_opening_a_project_shows_its_name_in_the_title_and_all_tabs(
    window: MainWindow, project_file: Path
) -> None:
    assert window.open_path(project_file)

    assert window.windowTitle() == f"Acme — {project_file} — isms-desktop"
    assert window.tabs.count() == 9
    assert [tab.title() for tab in window.area_tabs] == TAB_TITLES
    assert [window.tabs.indexOf(tab) for tab in window.area_tabs] == list(range(9))
    # An unescaped "&" in a tab label would turn into an underlined mnemonic.
    assert window.tabs.tabText(1) == "Context && Scope"
    dashboard = window.area_tabs[0]
    assert isinstance(dashboard, DashboardTab)
    assert dashboard.organisation_label.text() == ORGANISATION
    assert dashboard.count_labels["soa"].text() == "93"  # one entry per Annex A control
    assert window.path_label.text() == str(project_file)
    assert window.read_only_label.isHidden()


def test_the_dashboard_shows_readiness_and_next_steps(
    window: MainWindow, project_file: Path
) -> None:
    window.open_path(project_file)
    dashboard = window.area_tabs[0]
    assert isinstance(dashboard, DashboardTab)

    assert window.project is not None
    info = project_info(window.project)
    for key, bar in dashboard.readiness_bars.items():
        assert bar.value() == info["readiness"][key]
    steps = dashboard.next_steps()
    assert steps, "a new project always has a next step"
    assert steps[0].area == "context"
    assert dashboard.next_panel.buttons, "every next step has a button"


def test_a_next_step_goes_to_its_tab(window: MainWindow, project_file: Path) -> None:
    window.open_path(project_file)
    dashboard = window.area_tabs[0]
    assert isinstance(dashboard, DashboardTab)

    dashboard.area_chosen.emit("assets")

    assert window.tabs.currentIndex() == TAB_TITLES.index("Assets")


def test_switching_tabs_by_click_and_by_ctrl_number(
    qtbot: QtBot, window: MainWindow, project_file: Path
) -> None:
    window.open_path(project_file)
    bar = window.tabs.tabBar()

    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(3).center())
    assert window.tabs.currentIndex() == 3
    assert window.tab_actions[3].isChecked()

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 5
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 8
    assert [a.shortcut().toString() for a in window.tab_actions] == [
        f"Ctrl+{n}" for n in range(1, 10)
    ]


def test_an_area_tab_is_built_when_first_shown_and_keeps_its_place(
    qtbot: QtBot, window: MainWindow, project_file: Path, tmp_path: Path
) -> None:
    window.open_path(project_file)
    tips = [window.tabs.tabToolTip(i) for i in range(9)]
    built = [type(window.tabs.widget(i)).__name__ for i in range(9)]
    assert built == ["DashboardTab"] + ["QWidget"] * 8
    assert [window.tabs.tabText(i).replace("&&", "&") for i in range(9)] == TAB_TITLES
    assert tips[4].startswith("Risks — assess information security risks")

    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(4).center())

    risks = window.tabs.currentWidget()
    assert type(risks).__name__ == "RisksTab"
    assert window.tabs.currentIndex() == 4 and window.tab_actions[4].isChecked()
    assert risks.isVisible() and window.area_tab("risks") is risks
    assert [window.tabs.tabToolTip(i) for i in range(9)] == tips
    assert window.tabs.tabText(4) == "Risks"
    view = window.area_tab("risks").views["risks"]  # type: ignore[attr-defined]
    assert view.project is window.project
    qtbot.waitUntil(lambda: view.model.rowCount() == 0 and not view.model.counting)
    assert type(window.tabs.widget(5)).__name__ == "QWidget", "only what was shown is built"

    # A tab built for one project shows the next one opened.
    other = tmp_path / "other.isms"
    make_project(other, "Other Ltd")
    assert window.open_path(other)
    assert window.area_tab("risks").project is window.project
    assert window.tabs.currentIndex() == 0


def test_without_a_project_the_start_page_is_shown(window: MainWindow) -> None:
    assert window.start_page.isVisibleTo(window)
    assert not window.tabs.isVisibleTo(window)
    assert window.windowTitle() == "isms-desktop"
    assert not window.save_copy_action.isEnabled()
    assert not window.close_action.isEnabled()
    assert not any(action.isEnabled() for action in window.tab_actions)
    assert window.start_page.recent_list.isHidden()
    assert "Projects you open appear here" in window.start_page.empty_label.text()


def test_closing_the_project_returns_to_the_start_page_and_releases_the_lock(
    window: MainWindow, project_file: Path
) -> None:
    window.open_path(project_file)
    assert lock_path(project_file).exists()

    window.close_action.trigger()

    assert window.project is None
    assert window.start_page.isVisibleTo(window)
    assert not window.tabs.isVisibleTo(window)
    assert not lock_path(project_file).exists()
    assert window.settings.last_project() is None


def test_closing_the_window_closes_the_project(
    qtbot: QtBot, settings: Settings, project_file: Path
) -> None:
    main = MainWindow(settings)
    qtbot.addWidget(main)
    main.show()
    main.open_path(project_file)

    main.close()

    assert main.project is None
    assert not lock_path(project_file).exists()
    # Quitting is not "closing the project": the next start reopens it.
    assert settings.last_project() == project_file.resolve()


def test_recent_files_are_remembered_across_two_windows(
    qtbot: QtBot, tmp_path: Path, project_file: Path
) -> None:
    second = make_project(tmp_path / "Second.isms", "Second Ltd")
    first_window = MainWindow(Settings())
    qtbot.addWidget(first_window)
    first_window.open_path(project_file)
    first_window.open_path(second)
    first_window.close()

    again = start_main_window(None, Settings())
    qtbot.addWidget(again)

    assert again.settings.recent_files() == [second.resolve(), project_file.resolve()]
    assert again.project is not None and again.project.path == second
    again.close_project()
    items = [again.start_page.recent_list.item(i).text() for i in range(2)]
    assert items == [f"Second\n{second.resolve()}", f"Acme\n{project_file.resolve()}"]
    again.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in again.recent_menu.actions() if not a.isSeparator()]
    assert texts == ["&1 Second", "&2 Acme", "&Clear Recent Projects"]
    again.close()


def test_a_recent_file_opens_from_the_start_page(window: MainWindow, project_file: Path) -> None:
    window.settings.add_recent_file(project_file)
    window.start_page.refresh()
    item = window.start_page.recent_list.item(0)

    window.start_page.recent_list.itemActivated.emit(item)

    assert window.project is not None
    assert window.project.path == project_file.resolve()


def test_a_missing_recent_file_is_greyed_and_can_be_removed(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.isms"
    window.settings.add_recent_file(gone)
    window.start_page.refresh()
    item = window.start_page.recent_list.item(0)
    assert "no longer exists" in item.toolTip()
    dialogs.answer = dialogs.answer.Yes

    window.start_page.recent_list.itemActivated.emit(item)

    assert dialogs.kinds() == ["question"]
    assert window.settings.recent_files() == []
    assert window.project is None


def test_clear_recent_projects(window: MainWindow, project_file: Path) -> None:
    window.open_path(project_file)
    window.close_project()
    window.recent_menu.aboutToShow.emit()
    clear = [a for a in window.recent_menu.actions() if a.text() == "&Clear Recent Projects"]

    clear[0].trigger()

    assert window.settings.recent_files() == []
    assert window.start_page.recent_list.count() == 0


def test_save_a_copy_writes_a_valid_project(
    window: MainWindow, project_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(project_file)
    target = tmp_path / "copies" / "handover"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kw: (str(target), ""))

    window.save_copy_action.trigger()

    copy = target.with_name("handover.isms")
    with open_project(copy, read_only=True) as project:
        assert summary(project).organisation == ORGANISATION
    assert "A copy was saved" in window.statusBar().currentMessage()


def test_save_a_copy_onto_the_project_itself_is_refused_with_a_message(
    window: MainWindow, dialogs: Dialogs, project_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(project_file)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kw: (str(project_file), "")
    )

    window.save_copy_action.trigger()

    assert dialogs.kinds() == ["warning"]
    assert window.project is not None


def test_a_locked_project_is_offered_read_only(
    window: MainWindow, dialogs: Dialogs, project_file: Path
) -> None:
    dialogs.answer = dialogs.answer.Yes
    with open_project(project_file):
        assert window.open_path(project_file)

        assert dialogs.kinds() == ["question"]
        assert window.project is not None and window.project.read_only
        assert "[read-only]" in window.windowTitle()
        assert not window.read_only_label.isHidden()


def test_declining_read_only_leaves_the_start_page(
    window: MainWindow, dialogs: Dialogs, project_file: Path
) -> None:
    dialogs.answer = dialogs.answer.No
    with open_project(project_file):
        assert not window.open_path(project_file)
    assert window.project is None
    assert window.start_page.isVisibleTo(window)
    assert not window.tabs.isVisibleTo(window)


def test_a_file_that_is_not_a_project_gives_one_message(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.isms"
    bad.write_bytes(b"this is not a database")

    assert not window.open_path(bad)

    assert dialogs.kinds() == ["warning"]
    assert str(bad) in dialogs.shown[0][2]
    assert window.project is None


def test_opening_another_project_keeps_the_first_when_it_fails(
    window: MainWindow, dialogs: Dialogs, project_file: Path, tmp_path: Path
) -> None:
    window.open_path(project_file)

    assert not window.open_path(tmp_path / "missing.isms")

    assert dialogs.kinds() == ["warning"]
    assert window.project is not None and window.project.path == project_file


def test_undo_and_redo_exist_and_are_disabled_on_an_empty_stack(
    window: MainWindow, project_file: Path
) -> None:
    assert not window.undo_action.isEnabled()
    assert not window.redo_action.isEnabled()
    assert QKeySequence("Ctrl+Z") in window.undo_action.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in window.redo_action.shortcuts()
    assert QKeySequence("Ctrl+Y") in window.redo_action.shortcuts()

    window.open_path(project_file)
    window.undo_stack.push(QUndoCommand("Rename asset"))
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo Rename asset"

    window.close_project()
    assert window.undo_stack.count() == 0
    assert not window.undo_action.isEnabled()


def _drop(window: MainWindow, path: Path) -> tuple[bool, QDropEvent]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    if enter.isAccepted():
        QApplication.sendEvent(window, drop)
    return enter.isAccepted(), drop


def test_dropping_an_isms_file_opens_it(
    qtbot: QtBot, window: MainWindow, project_file: Path
) -> None:
    accepted, drop = _drop(window, project_file)

    assert accepted and drop.isAccepted()
    qtbot.waitUntil(lambda: window.project is not None)
    assert window.project is not None and window.project.path == project_file


def test_dropping_another_kind_of_file_is_refused(window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")

    accepted, _drop_event = _drop(window, other)

    assert not accepted
    assert window.project is None


def test_new_project_creates_and_opens_it(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "Globex"

    def fill_and_accept(dialog: NewProjectDialog) -> int:
        dialog.organisation_edit.setText("Globex Corporation")
        dialog.file_edit.setText(str(target))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(NewProjectDialog, "exec", fill_and_accept)

    window.new_action.trigger()

    assert window.project is not None
    assert window.project.path == target.with_name("Globex.isms")
    assert summary(window.project).organisation == "Globex Corporation"


def test_the_demo_project_is_created_once_in_the_data_folder(
    window: MainWindow, isolated_home: Path
) -> None:
    window.start_page.demo_button.click()

    assert window.project is not None
    demo = isolated_home / "data" / "isms-desktop" / "demo.isms"
    assert window.project.path == demo
    assert summary(window.project).organisation == "Brightwave Analytics Ltd"
    window.close_project()

    window.open_demo_project()
    assert window.project is not None and window.project.path == demo


def test_every_menu_entry_has_a_mnemonic_and_a_status_tip(
    window: MainWindow, project_file: Path
) -> None:
    window.open_path(project_file)
    window.recent_menu.aboutToShow.emit()
    entries = []
    for top in window.menuBar().actions():
        assert "&" in top.text()
        menu = top.menu()
        assert isinstance(menu, QMenu)
        entries.extend(_menu_actions(menu))

    missing_mnemonic = [a.text() for a in entries if "&" not in a.text().replace("&&", "")]
    missing_tip = [a.text() for a in entries if not a.statusTip() and a.menu() is None]
    assert missing_mnemonic == []
    assert missing_tip == []
    # Built by issue 11: enabled with a project open.
    assert window.export_excel_action.isEnabled() == (window.project is not None)
    assert "Excel workbook" in window.export_excel_action.toolTip()


def test_standard_shortcuts(window: MainWindow) -> None:
    expected = {
        window.new_action: "Ctrl+N",
        window.open_action: "Ctrl+O",
        window.save_copy_action: "Ctrl+Shift+S",
        window.close_action: "Ctrl+W",
        window.quit_action: "Ctrl+Q",
        window.find_action: "Ctrl+F",
        window.full_screen_action: "F11",
    }
    for action, key in expected.items():
        # The first shortcut is the one the menu shows.
        assert action.shortcut() == QKeySequence(key), action.text()
    assert window.redo_action.shortcut() == QKeySequence("Ctrl+Shift+Z")


def test_find_opens_the_search_box(qtbot: QtBot, window: MainWindow, project_file: Path) -> None:
    window.open_path(project_file)

    window.find_action.trigger()

    dialog = window.search_dialog
    assert dialog.isVisible()
    dialog.box.setText("PR-01")
    dialog.run_search()
    # (on a worker thread: the first search of a project builds its index)
    qtbot.waitUntil(lambda: dialog.shown_text == "PR-01", timeout=10_000)
    assert dialog.hits and dialog.hits[0].code == "PR-01"
    dialog.reject()


def test_the_status_bar_can_be_hidden_and_stays_so(
    qtbot: QtBot, window: MainWindow, settings: Settings
) -> None:
    window.status_bar_action.trigger()
    assert window.statusBar().isHidden()

    again = MainWindow(Settings())
    qtbot.addWidget(again)
    assert not again.status_bar_action.isChecked()
    assert again.statusBar().isHidden()


def test_about_names_version_python_qt_and_licence(window: MainWindow, dialogs: Dialogs) -> None:
    from isms_desktop import __version__

    window.about_action.trigger()

    box = window.about_box  # window-modal, with a Licences… button (tests/gui/test_icons_about.py)
    assert box.isVisible()
    text = box.text()
    box.close()
    for needle in (__version__, "Python", "Qt", "GPL-3.0-or-later"):
        assert needle in text
