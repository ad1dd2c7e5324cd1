"""The policy drafting wizard and the document panel, driven as a user would."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from isms_desktop.domain import document_workflow as wf
from isms_desktop.services import documents, registers
from isms_desktop.services.demo import create_demo_project
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.documents.document_panel import DocumentPanel
from isms_desktop.ui.documents.menu import DocumentDialog, install_documents_menu
from isms_desktop.ui.documents.policy_wizard import PolicyWizard
from isms_desktop.ui.documents.rich_text_editor import RichTextEditor
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.registers.register_view import RegisterView

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ui_demo") / "demo.isms"
    create_demo_project(path).close()
    return path


@pytest.fixture
def demo(tmp_path: Path, demo_file: Path) -> Iterator[Project]:
    target = tmp_path / "demo.isms"
    shutil.copyfile(demo_file, target)
    project = open_project(target)
    try:
        yield project
    finally:
        project.close()


def test_editor_formats_and_round_trips_markdown(qtbot: QtBot) -> None:
    editor = RichTextEditor()
    qtbot.addWidget(editor)
    editor.set_markdown("# Title\n\nSome **bold** text.\n\n- one\n- two\n")
    assert "**bold**" in editor.markdown() and "- one" in editor.markdown()
    editor.text_edit.moveCursor(editor.text_edit.textCursor().MoveOperation.End)
    editor.insert_table(2, 2)
    text = editor.markdown()
    assert "|Heading 1|Heading 2|" in text
    editor.set_markdown("plain line\n")
    editor.set_heading(2)
    assert editor.markdown().startswith("## plain line")
    editor.numbered_list()
    assert "1." in editor.markdown()


def test_wizard_drafts_a_policy_with_prefilled_answers(qtbot: QtBot, demo: Project) -> None:
    wizard = PolicyWizard(demo, owner="P-002")
    qtbot.addWidget(wizard)
    saved: list[str] = []
    wizard.saved.connect(saved.append)
    wizard.show()
    assert wizard.template_page.selected_code() == "POL-ISP"
    wizard.select_template("POL-CDS")
    wizard.next()
    field = wizard.answers_page.fields["it_manager"]
    assert isinstance(field, QLineEdit) and field.text() == "Priya Nair"
    assert wizard.answers_page.fields["organisation"].text() == "Brightwave Analytics Ltd"  # type: ignore[union-attr]
    wizard.grab().save(str(Path(wizard.project.path or ".").parent / "wizard_answers.png"))
    wizard.next()
    assert wizard.currentPage() is wizard.editor_page
    body = wizard.editor_page.editor.markdown()
    assert "Clear Desk" in body and "{{" not in body and "Priya Nair" in body
    wizard.editor_page.title_edit.setText("Clear Desk and Screen Policy")
    wizard.accept()
    assert saved and saved[0].startswith("POL-")
    detail = documents.get_document(demo, saved[0])
    assert (detail.status, detail.version, detail.owner) == (wf.DRAFT, "0.1", "P-002")
    assert detail.title == "Clear Desk and Screen Policy" and "7.7" in detail.controls


def test_missing_answers_keep_the_wizard_on_its_page(qtbot: QtBot, demo: Project) -> None:
    wizard = PolicyWizard(demo)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    field = wizard.answers_page.fields["top_management"]
    assert isinstance(field, QLineEdit)
    field.setText("")
    wizard.next()
    assert wizard.currentPage() is wizard.answers_page
    assert "please answer" in wizard.answers_page.error_label.text()


def test_panel_runs_the_workflow_and_shows_history(
    qtbot: QtBot, demo: Project, tmp_path: Path
) -> None:
    code = documents.create_document(demo, "Visitor rules", body="# Visitor rules\n\nSign in.\n")
    panel = DocumentPanel(demo, code)
    qtbot.addWidget(panel)
    panel.resize(1200, 760)
    panel.show()
    visible = {s for s, b in panel.step_buttons.items() if not b.isHidden()}
    assert visible == {wf.Step.SUBMIT}
    assert panel.fact_labels["status"].text() == "Draft"
    panel.editor.set_markdown("# Visitor rules\n\nSign in at reception.\n")
    assert panel.save_version("First draft")
    assert panel.apply_step(wf.Step.SUBMIT)
    assert not panel.apply_step(wf.Step.PUBLISH)  # refused: not approved yet
    assert panel.apply_step(wf.Step.APPROVE, approver="Helen Marsh", note="Approved")
    assert panel.apply_step(wf.Step.PUBLISH)
    assert panel.fact_labels["status"].text() == "Published"
    assert panel.fact_labels["version"].text() == "1.0"
    assert panel.editor.text_edit.isReadOnly()
    assert panel.history.rowCount() == 2 and panel.selected_version() == "1.0"
    assert panel.apply_step(wf.Step.REVISE)
    panel.editor.set_markdown("# Visitor rules\n\nSign in at reception and wear a badge.\n")
    assert panel.save_text()
    diff = panel.compare_selected("1.0")
    assert "+ Sign in at reception and wear a badge." in diff
    panel.grab().save(str(tmp_path / "panel.png"))
    assert panel.export_word(tmp_path / "visitor.docx")
    texts = [p.text for p in docx.Document(str(tmp_path / "visitor.docx")).paragraphs]
    assert "Sign in at reception." in texts  # the version in force, 1.0
    assert panel.restore("0.1")
    assert registers.get(demo, "documents", code).values["status"] == "draft"


def test_documents_menu_opens_the_wizard(qtbot: QtBot, demo: Project) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.project = demo  # type: ignore[attr-defined]
    action = install_documents_menu(window)
    assert action.text().replace("&", "") == "Draft a Policy…"
    action.trigger()
    wizards = window.findChildren(PolicyWizard)
    assert len(wizards) == 1 and wizards[0].isVisible()
    wizards[0].close()


def _status_shown(view: RegisterView, code: str) -> str:
    row = view.model.row_of_code(code)
    assert row is not None
    return str(view.model.index(row, view.model.column_of("status")).data())


def test_the_register_opens_a_documents_window_to_approve_it(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    """The workflow (submit, approve, publish) lives in the document's window, which only the
    policy wizard opened: a document added in the register, or drafted yesterday, could never
    be approved. The register's Open Document button opens it for the chosen row."""
    from isms_desktop.ui.tabs.documents_tab import DocumentsTab

    window.resize(1024, 700)
    assert window.open_path(demo_path)
    window.go_to_area("documents")
    tab = window.tabs.currentWidget()
    assert isinstance(tab, DocumentsTab)
    view = tab.views["documents"]
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
    view.table.clearSelection()
    view.table.setCurrentIndex(QModelIndex())
    assert not tab.open_button.isEnabled()  # no document chosen: nothing to open
    assert view.select_code("POL-010")
    assert tab.open_button.isEnabled() and tab.open_button.isVisible()
    tab.open_button.click()
    dialog = tab.dialogs["POL-010"]
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "POL-010 · Logging and Monitoring Policy"
    room = dialog.screen().availableGeometry()
    assert dialog.width() <= room.width() and dialog.height() <= room.height()
    # the text opens at its beginning, not scrolled to its last lines
    assert dialog.panel.editor.text_edit.verticalScrollBar().value() == 0
    panel = dialog.panel
    panel.step_buttons[wf.Step.SUBMIT].click()
    assert _status_shown(view, "POL-010") == "In review"
    assert panel.apply_step(wf.Step.APPROVE, approver="Helen Marsh", note="First issue")
    assert _status_shown(view, "POL-010") == "Approved"
    record = registers.get(window.project, "documents", "POL-010").values  # type: ignore[arg-type]
    assert record["next_review"] is not None and record["approved_on"] is not None
    # the same document again raises the open window, a second is a window of its own
    assert tab.open_document("POL-010") is dialog
    other = tab.open_document("POL-009")
    assert other is not None and other is not dialog
    other.close()
    dialog.close()
    assert tab.dialogs == {}
    # a double-click on a cell the table does not edit (the status) opens the window too
    assert view.select_code("POL-008", "status")
    index = view.table.currentIndex()
    assert not view.model.is_editable(view.model.field_at(index.column()))
    view.table.doubleClicked.emit(index)
    assert "POL-008" in tab.dialogs
    tab.dialogs["POL-008"].close()


def test_closing_a_document_with_unsaved_text_asks_first(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    dialog = DocumentDialog(demo, "POL-009")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = documents.get_document(demo, "POL-009").body
    dialog.close()  # nothing typed: closes without a question
    assert not dialog.isVisible() and dialogs.shown == []
    dialog.show()
    dialog.panel.editor.text_edit.append("Keys are rotated every year.")
    dialogs.answer = QMessageBox.StandardButton.Cancel
    dialog.close()
    assert dialog.isVisible() and [k for k, *_ in dialogs.shown] == ["question"]
    dialogs.answer = QMessageBox.StandardButton.Save
    dialog.close()
    assert not dialog.isVisible()
    assert "Keys are rotated every year." in documents.get_document(demo, "POL-009").body
    assert documents.get_document(demo, "POL-009").body != before


def test_a_read_only_project_shows_a_document_without_its_steps(
    qtbot: QtBot, demo_file: Path
) -> None:
    with open_project(demo_file, read_only=True) as project:
        panel = DocumentPanel(project, "POL-009")
        qtbot.addWidget(panel)
        panel.show()
        assert not any(b.isVisibleTo(panel) for b in panel.step_buttons.values())
        assert not panel.save_button.isVisibleTo(panel)
        assert panel.editor.text_edit.isReadOnly()
        assert not panel.restore_button.isEnabled()
        assert panel.history.rowCount() == 1


def test_the_questions_use_the_width_of_the_page(qtbot: QtBot, demo: Project) -> None:
    """As form-row labels the questions wrapped at about 250 px into three or four lines
    beside an empty half of the page; each now has a row of its own above its answer."""
    wizard = PolicyWizard(demo)
    qtbot.addWidget(wizard)
    wizard.resize(760, 700)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.next()
    page = wizard.answers_page
    assert wizard.currentPage() is page
    for key, editor in page.fields.items():
        label = next(
            w
            for w in page.findChildren(QLabel)
            if w.buddy() is editor  # the question belongs to its answer (Alt+key, screen readers)
        )
        assert label.width() >= 0.9 * editor.width(), key
        assert label.geometry().bottom() <= editor.geometry().top(), key


def test_a_document_in_force_records_its_review_and_asks_before_a_restore(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    code = documents.create_document(demo, "Clear desk", body="# Clear desk\n\nLock it.\n")
    panel = DocumentPanel(demo, code)
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.review_button.isVisibleTo(panel)  # a draft is not reviewed
    assert panel.save_version("First draft")
    assert panel.apply_step(wf.Step.SUBMIT)
    assert panel.apply_step(wf.Step.APPROVE, approver="Helen Marsh", note="Approved")
    assert panel.review_button.isVisibleTo(panel)
    months = documents.get_document(demo, code).review_months or 12

    dialogs.answer = QMessageBox.StandardButton.No
    panel.review_button.click()  # asks first
    assert dialogs.kinds() == ["question"]
    reviewed = dt.date(2027, 3, 15)
    assert panel.record_review(on=reviewed)
    following = documents.get_document(demo, code).next_review
    assert following == wf.add_months(reviewed, months)
    assert following.isoformat() in panel.fact_labels["review"].text()
    assert following.isoformat() in panel.message.text()

    # restoring an older version of a document in force makes it a draft: asked first
    panel.history.selectRow(panel.history.rowCount() - 1)
    panel.restore_button.click()
    assert dialogs.kinds()[-1] == "question" and "is approved" in dialogs.shown[-1][2]
    assert documents.get_document(demo, code).status == wf.APPROVED  # answered No
    dialogs.answer = QMessageBox.StandardButton.Yes
    panel.restore_button.click()
    assert documents.get_document(demo, code).status == wf.DRAFT
    assert not panel.review_button.isVisibleTo(panel)


@pytest.mark.parametrize("width", [984, 1360])
def test_the_version_history_shows_what_changed(qtbot: QtBot, demo: Project, width: int) -> None:
    """The change note was the last column: beyond the table's edge in a window 1024 px
    wide, two words of it at 1400 px. It now follows the date, wrapped, at least 150 px."""
    dialog = DocumentDialog(demo, "POL-001")
    qtbot.addWidget(dialog)
    dialog.resize(width, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.panel.history
    header = table.horizontalHeader()
    change = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())].index(
        "Change"
    )
    note = documents.versions(demo, "POL-001")[-1].change_note
    assert note and table.item(0, change).text() == note
    assert table.item(0, 0).toolTip() == note
    qtbot.waitUntil(lambda: table.columnWidth(change) >= 150, timeout=5000)
    left = header.sectionViewportPosition(change)
    assert table.viewport().width() - left >= 140  # in view without scrolling
    lines = table.fontMetrics().lineSpacing()
    assert table.rowHeight(0) >= 2 * lines  # the note wraps onto the lines it needs


def test_restoring_over_a_draft_asks_and_keeps_what_was_typed(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    """Restore as new draft on a draft replaced its text without a question, and text typed
    and not saved was lost for good."""
    code = documents.create_document(demo, "Clear desk", body="# Clear desk\n\nLock it.\n")
    panel = DocumentPanel(demo, code)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.save_version("First draft")  # 0.1 frozen; the draft is 0.2
    panel.editor.set_markdown("# Clear desk\n\nLock it and clear it.\n")
    panel.editor.text_edit.document().setModified(True)
    panel.history.selectRow(panel.history.rowCount() - 1)
    dialogs.answer = QMessageBox.StandardButton.No
    panel.restore_button.click()
    assert dialogs.kinds() == ["question"] and "kept in the version history" in dialogs.shown[0][2]
    assert "clear it" in panel.editor.markdown()  # answered No: nothing changed
    dialogs.answer = QMessageBox.StandardButton.Yes
    panel.restore_button.click()
    assert "Lock it." in documents.get_document(demo, code).body
    kept = [documents.version_text(demo, code, v.version) for v in documents.versions(demo, code)]
    assert any("Lock it and clear it." in text for text in kept)


def test_restore_waits_while_the_document_is_in_review(qtbot: QtBot, demo: Project) -> None:
    code = documents.create_document(demo, "Clear desk", body="# Clear desk\n\nLock it.\n")
    documents.save_version(demo, code, "First draft")
    documents.step(demo, code, wf.Step.SUBMIT)
    panel = DocumentPanel(demo, code)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.history.rowCount() > 0
    assert not panel.restore_button.isEnabled()
    assert "in review" in panel.restore_button.toolTip()


def test_the_templates_tell_which_policies_are_in_the_register(qtbot: QtBot, demo: Project) -> None:
    """The list named each template by its code ('Information Security Policy  (POL-ISP)'),
    which read like a document code, and did not say the demo had that policy already."""
    wizard = PolicyWizard(demo)
    qtbot.addWidget(wizard)
    texts = [
        wizard.template_page.list.item(r).text() for r in range(wizard.template_page.list.count())
    ]
    assert texts[0] == "Information Security Policy  — in the register: POL-001 (published)"
    assert not any("(POL-" in text for text in texts)
    assert any(t.startswith("Clear Desk and Clear Screen Policy") and "—" not in t for t in texts)
    assert wizard.template_page.selected_code() == "POL-ISP"


def test_cancelling_a_drafted_policy_asks_first(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    wizard = PolicyWizard(demo)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.reject()  # only a template chosen: nothing to lose
    assert not wizard.isVisible() and dialogs.shown == []
    wizard.show()
    wizard.restart()
    wizard.select_template("POL-CDS")
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.editor_page
    before = registers.count(demo, "documents")
    dialogs.answer = QMessageBox.StandardButton.Cancel
    wizard.reject()
    assert wizard.isVisible() and dialogs.kinds() == ["question"]
    dialogs.answer = QMessageBox.StandardButton.Discard
    wizard.reject()
    assert not wizard.isVisible()
    assert registers.count(demo, "documents") == before
