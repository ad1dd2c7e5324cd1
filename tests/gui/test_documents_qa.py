"""The document window through a document's whole life, as its user sees it: what each
status means and what comes next, what each step did, which version is in force, and the
Word file it suggests saving."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from gui_helpers import Dialogs
from pytestqt.qtbot import QtBot

from isms_desktop.domain import document_workflow as wf
from isms_desktop.services import documents
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.documents.menu import DocumentDialog

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def demo(tmp_path: Path, template_demo: Path) -> Iterator[Project]:
    target = tmp_path / "demo.isms"
    shutil.copyfile(template_demo, target)
    project = open_project(target)
    try:
        yield project
    finally:
        project.close()


def _dialog(qtbot: QtBot, project: Project, code: str, size: tuple[int, int]) -> DocumentDialog:
    dialog = DocumentDialog(project, code)
    qtbot.addWidget(dialog)
    dialog.resize(*size)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("size", [(1024, 700), (1920, 1080)])
def test_the_lifecycle_says_what_each_status_means_and_what_each_step_did(
    qtbot: QtBot, demo: Project, tmp_path: Path, size: tuple[int, int]
) -> None:
    dialog = _dialog(qtbot, demo, "POL-010", size)
    panel = dialog.panel
    hint, message = panel.status_hint, panel.message
    assert hint.text().startswith("Draft: not in force yet.")
    assert panel.fact_labels["approval"].text() == "Not yet approved"
    assert panel.diff_view.toPlainText().startswith("No versions yet.")
    dialog.grab().save(str(tmp_path / "1-draft.png"))

    assert panel.apply_step(wf.Step.SUBMIT)
    assert message.text().startswith("Submitted for review: the text is locked")
    assert "Approve it, which makes it version 1.0" in hint.text()

    assert panel.apply_step(wf.Step.APPROVE, approver="Helen Marsh", note="First issue")
    assert message.text().startswith("Approved as version 1.0 by Helen Marsh; next review ")
    assert hint.text().startswith("Approved and in force.")

    assert panel.apply_step(wf.Step.PUBLISH)
    assert message.text() == "Version 1.0 published."
    assert hint.text().startswith("Published and in force.")
    dialog.grab().save(str(tmp_path / "4-published.png"))

    assert panel.apply_step(wf.Step.REVISE)
    assert message.text() == (
        "Started draft 1.1; version 1.0 stays in force until the draft is approved."
    )
    assert "version 1.0 stays in force" in hint.text()
    # the approval shown is the earlier version's, not the draft's
    approval = panel.fact_labels["approval"].text()
    assert approval.startswith("Version 1.0, on ") and approval.endswith("by Helen Marsh")
    assert panel.fact_labels["version"].text() == "1.1"
    dialog.grab().save(str(tmp_path / "5-new-version.png"))

    assert panel.apply_step(wf.Step.SUBMIT)
    assert panel.apply_step(wf.Step.APPROVE, approver="Helen Marsh", note="Second issue")
    statuses = {
        panel.history.item(r, 0).text(): panel.history.item(r, 1).text()
        for r in range(panel.history.rowCount())
    }
    assert statuses == {"1.0": "Superseded", "2.0": "Approved"}
    assert panel.fact_labels["approval"].text().endswith("by Helen Marsh")
    assert not panel.fact_labels["approval"].text().startswith("Version")

    assert panel.apply_step(wf.Step.WITHDRAW)
    assert message.text() == "POL-010 withdrawn; it stays in the register as withdrawn."
    assert hint.text().startswith("Withdrawn: no longer in force")


def test_the_text_gets_the_height_of_a_small_window(qtbot: QtBot, demo: Project) -> None:
    """The eight facts stood in one column and took a third of a window 700 pixels high;
    in two columns of four the text being written has most of it."""
    dialog = _dialog(qtbot, demo, "POL-001", (1024, 700))
    panel = dialog.panel
    assert panel.editor.text_edit.height() >= 420
    rows = {panel.fact_labels[k].y() for k in panel.fact_labels}
    assert len(rows) == 4
    assert panel.fact_labels["links"].text() == "5.2; A.5.1, A.5.2, A.5.4, A.5.36"
    assert panel.status_hint.isVisible() and panel.status_hint.text()


def test_save_as_word_suggests_a_name_that_says_whose_document_and_which_version(
    qtbot: QtBot, demo: Project, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, demo, "POL-001", (1024, 700))
    panel = dialog.panel
    assert panel.word_button.text() == "Save as Word…"
    suggested = panel.suggested_word_path()
    assert suggested.parent == tmp_path  # beside the project file
    assert suggested.name == (
        "Brightwave Analytics Ltd - POL-001 Information Security Policy v2.0.docx"
    )
    assert panel.export_word(suggested)
    assert docx.Document(str(suggested)).core_properties.title == "Information Security Policy"
    # a new version being drafted: the Word file holds the version in force, and says so
    assert panel.apply_step(wf.Step.REVISE)
    assert panel.suggested_word_path().name.endswith("Information Security Policy v2.0.docx")
    # a draft never approved is named by its draft version
    draft = _dialog(qtbot, demo, "POL-009", (1024, 700))
    assert draft.panel.suggested_word_path().name.endswith("Cryptography Policy v0.2.docx")


def test_a_title_with_characters_no_file_system_takes_gives_a_usable_name(
    qtbot: QtBot, demo: Project
) -> None:
    code = documents.create_document(demo, 'Keys: "who/what" <rules>?', body="Text.\n")
    dialog = _dialog(qtbot, demo, code, (1024, 700))
    name = dialog.panel.suggested_word_path().name
    assert not set('<>:"/\\|?*') & set(name)
    assert name == f"Brightwave Analytics Ltd - {code} Keys who what rules v0.1.docx"


def test_saving_unchanged_text_changes_nothing_an_address_included(
    qtbot: QtBot, demo: Project
) -> None:
    """An e-mail address came back from the editor as a link, with the line broken before
    it: '(daniel.okafor@…)' read '( daniel.okafor@…)' after the second save."""
    from isms_desktop.domain.document_markup import logical_lines

    assert documents.step(demo, "POL-001", wf.Step.REVISE).status == wf.DRAFT
    before = documents.get_document(demo, "POL-001").body
    assert "(daniel.okafor@brightwave.example)" in before
    for _ in range(3):  # open, save, close; again and again
        dialog = _dialog(qtbot, demo, "POL-001", (1024, 700))
        assert dialog.panel.save_text()
        dialog.close()
    after = documents.get_document(demo, "POL-001").body
    assert logical_lines(after) == logical_lines(before)
    assert "(daniel.okafor@brightwave.example)" in after and "mailto:" not in after
    assert documents.compare(demo, "POL-001", "2.0").identical


def test_the_comparison_reads_as_text_with_what_was_added_and_removed(
    qtbot: QtBot, demo: Project, tmp_path: Path
) -> None:
    documents.step(demo, "POL-001", wf.Step.REVISE)
    body = documents.get_document(demo, "POL-001").body
    documents.save_draft(
        demo,
        "POL-001",
        body.replace("Staff receive security awareness", "All staff receive security awareness")
        + "\n## 12. Contact\n\nQuestions go to the ISMS manager.\n",
    )
    dialog = _dialog(qtbot, demo, "POL-001", (1024, 700))
    panel = dialog.panel
    unified = panel.compare_selected("2.0")
    assert "+ - All staff receive security awareness" in unified  # the text form, as before
    shown = panel.diff_view.toPlainText()
    assert shown.startswith(
        "From version 2.0 to the working copy: 3 passages added, 1 passage removed"
    )
    assert "---" not in shown and "+++" not in shown and "## 12." not in shown
    lines = shown.splitlines()
    assert "− • Staff receive security awareness" in shown
    assert "+ • All staff receive security awareness" in shown
    assert "+ 12. Contact" in lines and "+ Questions go to the ISMS manager." in lines
    html = panel.diff_view.toHtml()
    assert "#e6f4ea" in html and "#fde7e9" in html and "line-through" in html
    dialog.grab().save(str(tmp_path / "comparison.png"))
    # versions that are the same say so in words
    documents.save_draft(demo, "POL-001", body)
    panel.reload()
    assert panel.compare_selected("2.0") == "Version 2.0 and the working copy are the same."


def _answer_input_dialogs(qtbot: QtBot, seen: list[tuple[str, str]], count: int) -> None:
    """Accept the next ``count`` input dialogs as they come, noting (label, value)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)  # not shown yet
            return
        seen.append((dialog.labelText(), dialog.textValue()))
        if len(seen) < count:
            QTimer.singleShot(0, answer)
        dialog.accept()

    QTimer.singleShot(0, answer)


def test_approving_suggests_top_management_and_a_first_issue_note(
    qtbot: QtBot, demo: Project
) -> None:
    """The approver offered was whoever came first in the people list, and the note was
    empty, which the history then showed as 'Approved'."""
    dialog = _dialog(qtbot, demo, "POL-010", (1024, 700))
    panel = dialog.panel
    assert panel.apply_step(wf.Step.SUBMIT)
    assert documents.suggested_approver(demo, "POL-010") == "Helen Marsh"
    seen: list[tuple[str, str]] = []
    _answer_input_dialogs(qtbot, seen, 2)
    panel.step_buttons[wf.Step.APPROVE].click()
    assert seen[0] == ("Approved by:", "Helen Marsh")
    label, note = seen[1]
    assert label.startswith("Approving makes version 1.0.") and note == "First issue"
    detail = documents.get_document(demo, "POL-010")
    assert (detail.status, detail.version, detail.approver_name) == (
        wf.APPROVED,
        "1.0",
        "Helen Marsh",
    )
    assert documents.versions(demo, "POL-010")[-1].change_note == "First issue"
    # a later version: the last approver again, and no note written for the user
    assert panel.apply_step(wf.Step.REVISE) and panel.apply_step(wf.Step.SUBMIT)
    seen.clear()
    _answer_input_dialogs(qtbot, seen, 2)
    panel.step_buttons[wf.Step.APPROVE].click()
    assert seen[0][1] == "Helen Marsh"
    assert seen[1][0].startswith("Approving makes version 2.0.") and seen[1][1] == ""


def test_the_window_shows_unsaved_text_and_saves_it_with_ctrl_s(
    qtbot: QtBot, demo: Project
) -> None:
    """Nothing told that the text had changed: Save was always offered, the title unmarked."""
    from PySide6.QtCore import Qt

    dialog = _dialog(qtbot, demo, "POL-009", (1024, 700))
    panel = dialog.panel
    assert not panel.save_button.isEnabled()
    assert dialog.windowTitle() == "POL-009 · Cryptography Policy"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)  # (shortcuts need it)
    panel.editor.text_edit.setFocus()
    qtbot.keyClicks(panel.editor.text_edit, "Keys are rotated yearly. ")
    assert panel.save_button.isEnabled()
    assert dialog.windowTitle() == "*POL-009 · Cryptography Policy"
    qtbot.keyClick(panel.editor.text_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Keys are rotated yearly." in documents.get_document(demo, "POL-009").body
    assert not panel.save_button.isEnabled() and panel.message.text() == "Saved."
    assert dialog.windowTitle() == "POL-009 · Cryptography Policy"
    # a document in force has no text to save
    other = _dialog(qtbot, demo, "POL-001", (1024, 700))
    assert not other.panel.save_button.isVisibleTo(other.panel)


def test_the_wizard_refuses_a_review_interval_it_cannot_read(qtbot: QtBot, demo: Project) -> None:
    from PySide6.QtWidgets import QLineEdit

    from isms_desktop.ui.documents.policy_wizard import PolicyWizard

    wizard = PolicyWizard(demo)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.select_template("POL-CDS")
    wizard.next()
    field = wizard.answers_page.fields["review_cycle"]
    assert isinstance(field, QLineEdit) and field.text() == "12 months"
    field.setText("when needed")
    wizard.next()
    assert wizard.currentPage() is wizard.answers_page
    assert "names no period" in wizard.answers_page.error_label.text()
    field.setText("6 months")
    wizard.next()
    assert wizard.currentPage() is wizard.editor_page
    assert "at least every 6 months" in wizard.editor_page.editor.markdown()


def test_the_document_window_saves_the_pdf_as_well(
    qtbot: QtBot, demo: Project, tmp_path: Path, dialogs: Dialogs
) -> None:
    """A policy's PDF, the file an auditor is usually sent, was only in File ▸ Export ▸
    Report; the window had Word alone."""
    from pypdf import PdfReader

    dialog = _dialog(qtbot, demo, "POL-001", (1024, 700))
    panel = dialog.panel
    assert panel.pdf_button.isVisible() and panel.pdf_button.text() == "Save as PDF…"
    right = panel.word_button.geometry().right()
    assert panel.pdf_button.geometry().right() <= panel.width()  # in view at 1024 px
    assert right < panel.pdf_button.geometry().left()
    target = panel.suggested_pdf_path()
    assert target.name == "Brightwave Analytics Ltd - POL-001 Information Security Policy v2.0.pdf"
    assert panel.export_pdf(target)
    reader = PdfReader(target)
    assert reader.metadata is not None and reader.metadata.title == "Information Security Policy"
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Version 2.0 Status Published" in text
    assert panel.message.text() == f"Saved {target}."
    # a folder that does not exist: said so, nothing written
    assert not panel.export_pdf(tmp_path / "gone" / "x.pdf")
    assert dialogs.kinds() == ["warning"] and "does not exist" in dialogs.shown[0][2]
    assert not (tmp_path / "gone").exists()


def test_titles_and_messages_are_shown_as_typed(qtbot: QtBot, demo: Project) -> None:
    """A title such as 'Ports <b>below</b> 1024' was taken for markup by the labels."""
    from PySide6.QtCore import Qt

    code = documents.create_document(demo, "Ports <b>below</b> 1024", body="Text.\n")
    dialog = _dialog(qtbot, demo, code, (1024, 700))
    panel = dialog.panel
    assert panel.title_label.text() == "Ports <b>below</b> 1024"
    for label in (panel.title_label, panel.status_hint, panel.message, *panel.fact_labels.values()):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert panel.title_label.sizeHint().width() > panel.fontMetrics().horizontalAdvance(
        "Ports below 1024"
    )


def test_a_title_changed_in_the_wizard_heads_the_text_as_well(qtbot: QtBot, demo: Project) -> None:
    from isms_desktop.ui.documents.policy_wizard import PolicyWizard

    wizard = PolicyWizard(demo)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.select_template("POL-CDS")
    wizard.next()
    wizard.next()
    assert wizard.editor_page.editor.markdown().startswith("# Clear Desk and Clear Screen Policy")
    wizard.editor_page.title_edit.setText("Clear Desk Rules")
    wizard.accept()
    detail = documents.get_document(demo, wizard.saved_code)
    assert detail.title == "Clear Desk Rules"
    assert detail.body.startswith("# Clear Desk Rules\n")
    assert "Clear Desk and Clear Screen Policy" not in detail.body.splitlines()[0]
