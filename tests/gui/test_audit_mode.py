"""Working through an audit checklist with the keyboard alone (qtbot), and the coverage view."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from isms_desktop.services import audits
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.audit.audit_dialog import AuditModeDialog, CoverageDialog, default_audit
from isms_desktop.ui.audit.audit_mode import AuditModeWidget
from isms_desktop.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from isms_desktop.services.demo import create_demo_project

    path = tmp_path_factory.mktemp("auditdemo") / "demo.isms"
    create_demo_project(path).close()
    return path


@pytest.fixture
def demo(tmp_path: Path, demo_template: Path) -> Iterator[Project]:
    target = tmp_path / "demo.isms"
    shutil.copyfile(demo_template, target)
    with open_project(target) as project:
        yield project


def _shown(qtbot: QtBot, widget: AuditModeWidget) -> AuditModeWidget:
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.items.setFocus()
    qtbot.waitUntil(lambda: widget.items.hasFocus(), timeout=2000)
    return widget


def test_keyboard_only_audit(qtbot: QtBot, demo: Project) -> None:
    widget = AuditModeWidget(demo)
    widget.load("AU-002")
    _shown(qtbot, widget)
    items = widget.items
    assert items.currentRow() == 0
    qtbot.keyClick(items, Qt.Key.Key_1)  # conforming
    qtbot.keyClick(items, Qt.Key.Key_Down)
    assert items.currentRow() == 1
    qtbot.keyClick(items, Qt.Key.Key_2)  # minor nonconformity
    qtbot.keyClick(items, Qt.Key.Key_Return)  # to the notes
    assert widget.notes.hasFocus()
    qtbot.keyClicks(widget.notes, "No security clause in the contract")
    qtbot.keyClick(widget.notes, Qt.Key.Key_Tab)
    assert widget.evidence.hasFocus()
    qtbot.keyClicks(widget.evidence, "Hosting contract 2023")
    qtbot.keyClick(widget.evidence, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert items.currentRow() == 2  # saved and moved on, still typing
    qtbot.keyClick(widget.evidence, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(widget.evidence, Qt.Key.Key_Escape)
    assert items.hasFocus()

    entries = audits.checklist(demo, "AU-002")
    assert entries[0].result == "conforming"
    assert entries[1].result == "minor_nc"
    assert entries[1].notes == "No security clause in the contract"
    assert entries[1].evidence_seen == "Hosting contract 2023"
    assert entries[2].result == "observation"
    assert widget.progress.text() == f"3 of {len(entries)} answered"
    assert audits.audit(demo, "AU-002").status == "in_progress"
    assert "Minor nonconformity" in items.item(1).text()


def test_completed_audit_is_read_only(qtbot: QtBot, demo: Project) -> None:
    widget = AuditModeWidget(demo)
    widget.load("AU-001")
    _shown(qtbot, widget)
    before = audits.checklist(demo, "AU-001")[0].result
    qtbot.keyClick(widget.items, Qt.Key.Key_3)
    assert audits.checklist(demo, "AU-001")[0].result == before
    assert widget.notes.isReadOnly()
    assert widget.progress.text().startswith("70 of 70")


def test_dialog_and_coverage(qtbot: QtBot, demo: Project, tmp_path: Path) -> None:
    assert default_audit(demo) == "AU-002"
    dialog = AuditModeDialog(demo)
    qtbot.addWidget(dialog)
    assert dialog.mode.audit_code == "AU-002"
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("AU-001"))
    assert dialog.mode.audit_code == "AU-001"
    coverage = CoverageDialog(demo)
    qtbot.addWidget(coverage)
    tree = coverage.view.tree
    assert tree.topLevelItemCount() == 2
    controls = tree.topLevelItem(1)
    assert "not covered yet" in controls.text(1)
    coverage.view.only_gaps.setChecked(True)
    controls = tree.topLevelItem(1)
    gaps = [controls.child(i).text(0) for i in range(controls.childCount())]
    assert "A.5.31" in gaps and all(controls.child(i).text(2) == "Not covered" for i in range(3))
    coverage.resize(900, 600)
    coverage.grab().save(str(tmp_path / "coverage.png"))


def test_main_window_has_the_audit_menu(window: MainWindow, dialogs: Dialogs) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&View") < titles.index("&Audit") < titles.index("&Help")
    work = window.audit_menu.actions()[0]
    assert work.text() == "&Work through Checklist…"
    work.trigger()  # no project open: a message instead of a dialog
    assert dialogs.kinds() == ["information"]


def test_first_answer_shows_the_audit_in_progress(qtbot: QtBot, demo: Project) -> None:
    dialog = AuditModeDialog(demo)
    qtbot.addWidget(dialog)
    assert dialog.mode.audit_code == "AU-002"
    assert "Planned" in dialog.mode.heading.text()
    assert dialog.chooser.currentText().startswith("AU-002 (planned) — ")
    dialog.mode.set_result("conforming")
    assert audits.audit(demo, "AU-002").status == "in_progress"
    # the heading and the chooser say so at once (they said 'planned' until reopened)
    assert "In progress" in dialog.mode.heading.text()
    assert dialog.chooser.currentText().startswith("AU-002 (in progress) — ")


def test_an_audit_planned_in_the_register_gets_its_checklist_here(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    from isms_desktop.services import registers

    code = registers.create(
        demo, "audits", {"title": "Access control", "clauses": ["9.2"], "controls": ["5.15"]}
    ).code
    bare = registers.create(demo, "audits", {"title": "No scope yet"}).code
    dialog = AuditModeDialog(demo)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.chooser.setCurrentIndex(dialog.chooser.findData(code))
    mode = dialog.mode
    assert mode.entries == [] and mode.generate_button.isVisible()
    assert "no checklist yet" in mode.question.text()
    assert not any(b.isEnabled() for b in mode.result_buttons.buttons())
    assert not dialog.import_button.isEnabled() and not dialog.export_button.isEnabled()
    assert "(planned)" in dialog.chooser.currentText()  # an empty status reads as planned
    made = mode.generate_checklist()
    assert made == len(audits.checklist(demo, code)) > 0
    assert mode.items.count() == made and not mode.generate_button.isVisible()
    assert all(b.isEnabled() for b in mode.result_buttons.buttons())
    assert dialog.import_button.isEnabled() and dialog.export_button.isEnabled()
    refs = {e.ref for e in audits.checklist(demo, code)}
    assert "A.5.15" in refs and any(r.startswith("9.2") for r in refs)
    # a scope of nothing: said, nothing made
    dialog.chooser.setCurrentIndex(dialog.chooser.findData(bare))
    assert mode.generate_checklist() == 0
    assert dialogs.kinds() == ["information"]
    assert audits.checklist(demo, bare) == []


def test_completed_audit_cannot_be_imported_into(qtbot: QtBot, demo: Project) -> None:
    dialog = AuditModeDialog(demo)
    qtbot.addWidget(dialog)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("AU-001"))
    assert dialog.export_button.isEnabled()
    assert not dialog.import_button.isEnabled()
    assert "completed" in dialog.import_button.toolTip()
    assert not dialog.mode.generate_button.isVisible()


def test_audit_dialogs_fit_a_small_screen(qtbot: QtBot, demo: Project) -> None:
    for dialog in (AuditModeDialog(demo), CoverageDialog(demo)):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        room = dialog.screen().availableGeometry()
        assert dialog.width() <= room.width() and dialog.height() <= room.height()
        hint = dialog.minimumSizeHint()
        assert hint.width() <= 1000 and hint.height() <= 660, hint


def test_answers_are_undone_and_redone_from_the_dialog_and_the_window(
    qtbot: QtBot, demo: Project
) -> None:
    """Each answer recorded in audit mode is a step on the main window's undo stack: Ctrl+Z
    in the dialog (or Edit ▸ Undo after it) puts the earlier answer back, Ctrl+Y again;
    before, Ctrl+Z undid an earlier register edit instead."""
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QWidget

    class Window(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.undo_stack = QUndoStack(self)

    window = Window()
    qtbot.addWidget(window)
    dialog = AuditModeDialog(demo, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    mode = dialog.mode
    first = mode.current_entry()
    assert first is not None and first.result == ""
    mode.set_result("minor_nc")
    mode.notes.setPlainText("Leavers keep VPN access")
    mode.save_current()
    stack = window.undo_stack
    assert stack.count() == 2 and stack.undoText() == f"Answer to {first.ref} in AU-002"

    dialog.activateWindow()
    mode.items.setFocus()
    qtbot.waitUntil(mode.items.hasFocus, timeout=2000)
    qtbot.keyClick(mode.items, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    saved = {e.id: e for e in audits.checklist(demo, "AU-002")}[first.id]
    assert (saved.result, saved.notes) == ("minor_nc", "")
    assert mode.notes.toPlainText() == ""  # the dialog shows it
    stack.undo()
    saved = {e.id: e for e in audits.checklist(demo, "AU-002")}[first.id]
    assert saved.result == "" and mode.current_entry().result == ""  # type: ignore[union-attr]
    qtbot.keyClick(mode.items, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    stack.redo()
    saved = {e.id: e for e in audits.checklist(demo, "AU-002")}[first.id]
    assert (saved.result, saved.notes) == ("minor_nc", "Leavers keep VPN access")
    assert mode.notes.toPlainText() == "Leavers keep VPN access"
