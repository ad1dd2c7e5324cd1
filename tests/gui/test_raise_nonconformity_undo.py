"""Edit ▸ Undo of "Raise Nonconformity" in the findings register: withdrawn, raised again, or
refused in plain words once something was recorded on the nonconformity.

The button raises without a dialog; message boxes are recorded by the ``dialogs`` fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from isms_desktop.services import nonconformities, registers
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.tabs.audits_tab import AuditsTab

pytestmark = pytest.mark.timeout(120)


def _findings_tab(qtbot: QtBot, window: MainWindow, demo_path: Path) -> tuple[AuditsTab, str]:
    assert window.open_path(demo_path)
    project = window.project
    assert project is not None
    # (the demo's nonconformity findings all have their nonconformity)
    finding = registers.create(
        project,
        "findings",
        {"audit": "AU-001", "kind": "minor_nc", "requirement": "A.5.15", "description": "VPN"},
    ).code
    window.go_to_area("audits")
    tab = window.area_tab("audits")
    assert isinstance(tab, AuditsTab)
    view = tab.show_register("findings")
    view.refresh()
    qtbot.waitUntil(lambda: view.model.row_of_code(finding) is not None, timeout=5000)
    assert view.select_code(finding)
    qtbot.waitUntil(lambda: tab.finding_actions.raise_button.isEnabled(), timeout=5000)
    return tab, finding


def _nc_codes(window: MainWindow) -> set[str]:
    assert window.project is not None
    return {r.code for r in registers.list_rows(window.project, "nonconformities")}


def test_raising_is_undone_and_redone_from_the_edit_menu(
    qtbot: QtBot, window: MainWindow, demo_path: Path, dialogs: Dialogs
) -> None:
    tab, finding = _findings_tab(qtbot, window, demo_path)
    project = window.project
    assert project is not None
    page = tab.finding_actions
    before = _nc_codes(window)
    depth = window.undo_stack.count()

    qtbot.mouseClick(page.raise_button, Qt.MouseButton.LeftButton)
    (code,) = _nc_codes(window) - before
    values = registers.get(project, "nonconformities", code).values
    assert window.undo_stack.count() == depth + 1
    assert window.undo_action.text() == f"&Undo Raise Nonconformity {code}"
    assert "Edit ▸ Undo withdraws it" in page.note.text()
    assert not page.raise_button.isEnabled()  # raised: nothing left to raise

    window.undo_action.trigger()
    assert _nc_codes(window) == before
    assert nonconformities.raisable(project, [finding]) == [finding]
    assert page.raise_button.isEnabled()  # can be raised again
    assert page.note.text() == f"{code} withdrawn: raising it was undone."

    window.redo_action.trigger()
    assert _nc_codes(window) == before | {code}  # the same code again
    assert registers.get(project, "nonconformities", code).values == values
    assert not page.raise_button.isEnabled()
    assert page.note.text() == f"Raised {code} again."
    assert dialogs.shown == []


def test_an_undo_after_work_on_it_is_refused_and_the_step_dropped(
    qtbot: QtBot, window: MainWindow, demo_path: Path, dialogs: Dialogs
) -> None:
    tab, _finding = _findings_tab(qtbot, window, demo_path)
    project = window.project
    assert project is not None
    depth = window.undo_stack.count()
    (code,) = tab.finding_actions.raise_selected()
    # recorded on it since, outside this step (the Improvement panel pushes its own steps)
    nonconformities.record_correction(project, code, "Access revoked today")

    window.undo_stack.undo()
    assert dialogs.kinds() == ["warning"]
    _kind, title, text = dialogs.shown[0]
    assert title == "Raise Nonconformity"
    assert text.startswith(f"Raising {code} can no longer be undone: a correction was recorded")
    assert window.undo_stack.count() == depth  # dropped, not left to fail again
    assert code in _nc_codes(window)
    assert nonconformities.detail(project, code).correction == "Access revoked today"
