"""Edit ▸ Undo of "Complete Audit…" in the main window: reopened, redone, or refused.

The page's ``complete`` is what the dialog's OK calls, given the values directly, so no
modal dialog blocks the test; message boxes are recorded by the ``dialogs`` fixture.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from isms_desktop.services import audits, registers
from isms_desktop.ui.audit.audit_dialog import AuditModeDialog
from isms_desktop.ui.improvement.dialogs import CompleteAuditDialog
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.tabs.audits_tab import AuditsTab

CODE = "AU-002"


def _audits_tab(qtbot: QtBot, window: MainWindow, demo_path: Path) -> AuditsTab:
    assert window.open_path(demo_path)
    project = window.project
    assert project is not None
    audits.set_status(project, CODE, "in_progress")
    for i, item in enumerate(audits.checklist(project, CODE)):
        audits.record_item(project, item.id, result="major_nc" if i == 0 else "conforming")
    window.go_to_area("audits")
    tab = window.area_tab("audits")
    assert isinstance(tab, AuditsTab)
    view = tab.show_register("audits")
    view.refresh()
    qtbot.waitUntil(lambda: view.model.row_of_code(CODE) is not None, timeout=5000)
    assert view.select_code(CODE)
    qtbot.waitUntil(lambda: tab.audit_actions.complete_button.isEnabled(), timeout=5000)
    return tab


def _finding_codes(window: MainWindow) -> set[str]:
    assert window.project is not None
    return {r.code for r in registers.list_rows(window.project, "findings")}


def test_completing_an_audit_is_undone_and_redone_from_the_edit_menu(
    qtbot: QtBot, window: MainWindow, demo_path: Path, dialogs: Dialogs
) -> None:
    tab = _audits_tab(qtbot, window, demo_path)
    project = window.project
    assert project is not None
    page = tab.audit_actions
    before = audits.state(project, CODE)
    findings_before = _finding_codes(window)
    depth = window.undo_stack.count()

    found = page.complete(CODE, "Grace Adeyemi", dt.date(2027, 2, 1), "Fine")
    assert found is not None and len(found) == 1
    assert window.undo_stack.count() == depth + 1
    assert window.undo_action.text() == f"&Undo Complete Audit {CODE}"
    assert not page.complete_button.isEnabled()

    window.undo_action.trigger()
    now = audits.audit(project, CODE)
    assert (now.status, now.summary, now.signed_off_by, now.signed_off_on) == (
        before.status,
        before.summary,
        before.signed_off_by,
        before.signed_off_on,
    )
    assert _finding_codes(window) == findings_before
    assert page.complete_button.isEnabled()  # in progress again: can be completed
    assert "reopened" in page.note.text()

    window.undo_stack.redo()
    now = audits.audit(project, CODE)
    assert now.status == "completed" and now.signed_off_by == "Grace Adeyemi"
    assert now.signed_off_on == dt.date(2027, 2, 1)
    assert _finding_codes(window) == findings_before | set(found)  # the same codes again
    assert not page.complete_button.isEnabled()
    assert dialogs.shown == []


def test_an_undo_refused_is_said_in_plain_words_and_the_step_dropped(
    qtbot: QtBot, window: MainWindow, demo_path: Path, dialogs: Dialogs
) -> None:
    tab = _audits_tab(qtbot, window, demo_path)
    project = window.project
    assert project is not None
    depth = window.undo_stack.count()
    found = tab.audit_actions.complete(CODE, "Grace Adeyemi", dt.date(2027, 2, 1), "Fine")
    assert found
    # changed since, outside the undo stack (as another user on a server would)
    registers.update(project, "findings", found[0], "description", "Sharper wording")

    window.undo_stack.undo()
    assert dialogs.kinds() == ["warning"]
    _kind, title, text = dialogs.shown[0]
    assert title == "Complete Audit"
    assert f"{CODE} was changed since it was completed" in text
    assert "can no longer be undone" in text
    assert window.undo_stack.count() == depth  # dropped, not left to fail again
    assert audits.audit(project, CODE).status == "completed"
    assert set(found) <= _finding_codes(window)


def test_the_button_waits_for_every_answer_and_the_dialog_says_what_it_raises(
    qtbot: QtBot,
    window: MainWindow,
    demo_path: Path,
    dialogs: Dialogs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = _audits_tab(qtbot, window, demo_path)
    project = window.project
    assert project is not None
    page = tab.audit_actions
    # one item without a result: not offered (it was, and refused after the dialog)
    last = audits.add_item(project, CODE, "A.5.22", "Are supplier services reviewed?")
    page.update_buttons()
    assert not page.complete_button.isEnabled()
    assert "1 checklist item(s) of AU-002 have no result yet" in page.complete_button.toolTip()
    audits.record_item(project, last.id, result="observation")
    page.update_buttons()
    assert page.complete_button.isEnabled()

    shown: list[CompleteAuditDialog] = []

    def accept(dialog: CompleteAuditDialog) -> int:
        shown.append(dialog)
        assert not dialog.ok_button.isEnabled()  # nobody named yet (no lead auditor)
        assert dialog.hint.text() == "Say who signs the audit off."
        dialog.name_edit.setText("Grace Adeyemi")
        assert dialog.ok_button.isEnabled() and dialog.hint.text() == ""
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CompleteAuditDialog, "exec", accept)
    page.ask_complete()
    (dialog,) = shown
    intro = dialog.findChildren(QLabel)[0].text()
    assert "1 major nonconformity, 1 observation" in intro
    assert "Edit ▸ Undo reopens it" in intro
    assert audits.audit(project, CODE).status == "completed"
    assert "Edit ▸ Undo reopens it" in page.note.text()
    assert dialogs.shown == []


def test_dialog_defaults_to_the_lead_auditor_and_counts_nothing_to_raise(qtbot: QtBot) -> None:
    dialog = CompleteAuditDialog("AU-9", "", signer="Grace Adeyemi", raises={})
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "Grace Adeyemi" and dialog.ok_button.isEnabled()
    intro = dialog.findChildren(QLabel)[0].text()
    assert "no finding is raised" in intro
    many = CompleteAuditDialog("AU-9", raises={"minor_nc": 2, "ofi": 1, "conforming": 0})
    qtbot.addWidget(many)
    assert "2 minor nonconformities, 1 opportunity for improvement" in (
        many.findChildren(QLabel)[0].text()
    )


def test_audit_mode_shows_the_audit_reopened_by_an_undo(
    qtbot: QtBot, window: MainWindow, demo_path: Path, dialogs: Dialogs
) -> None:
    tab = _audits_tab(qtbot, window, demo_path)
    project = window.project
    assert project is not None
    assert tab.audit_actions.complete(CODE, "Grace Adeyemi", dt.date(2027, 2, 1), "Fine")
    dialog = AuditModeDialog(project, window)
    qtbot.addWidget(dialog)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData(CODE))
    mode = dialog.mode
    assert (
        mode.read_only
        and mode.keys_help.text() == f"{CODE} is completed: its answers can only be read."
    )
    assert dialog.chooser.currentText().startswith(f"{CODE} (completed) — ")

    window.undo_stack.undo()  # (Ctrl+Z in the dialog)
    assert audits.audit(project, CODE).status == "in_progress"
    assert not mode.read_only and "1–6 result" in mode.keys_help.text()
    assert all(b.isEnabled() for b in mode.result_buttons.buttons())
    assert dialog.chooser.currentText().startswith(f"{CODE} (in progress) — ")
    assert dialogs.shown == []
