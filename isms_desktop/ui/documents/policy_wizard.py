"""The policy drafting wizard: choose a template, answer its questions, edit, save as 0.1.

Answers are prefilled from the project (organisation, scope, roles, review cycle, applicable
controls); the user only fills what the project does not know. The drafted text is edited
in a rich-text editor and saved as version 0.1 of a new draft document.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from isms_desktop.domain import document_workflow as wf
from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import documents
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.documents.rich_text_editor import RichTextEditor
from isms_desktop.ui.screen_fit import fitting_size

# Answers shown for every template although no template asks them as a question.
_ALWAYS_SHOWN = ("organisation", "scope")


class TemplatePage(QWizardPage):
    def __init__(self, wizard: PolicyWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Choose a template"))
        self.setSubTitle(
            self.tr(
                "Start with the information security policy (clause 5.2), then add the "
                "topic-specific policies your risks call for."
            )
        )
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setObjectName("template_list")
        drafted: dict[str, list[documents.DocumentDetail]] = {}
        for doc in documents.list_documents(wizard.project):
            if doc.template_code:
                drafted.setdefault(doc.template_code, []).append(doc)
        for template in wizard.templates:
            # the project's documents drafted from it, not the template's own code (POL-ISP
            # read like a document's code): drafting the same policy twice is seen at once
            text = template.title
            if template.code in drafted:
                text += self.tr("  — in the register: {0}").format(
                    ", ".join(
                        f"{d.code} ({wf.STATUS_LABELS.get(d.status, d.status).lower()})"
                        for d in drafted[template.code]
                    )
                )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, template.code)
            controls = ", ".join(f"A.{c}" for c in template.controls)
            item.setToolTip(self.tr("Annex A controls: {0}").format(controls))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.currentRowChanged.connect(self._show_details)
        self.list.itemDoubleClicked.connect(lambda _item: wizard.next())
        self.details = QLabel(self)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details)
        self._show_details(0)

    def _show_details(self, row: int) -> None:
        if not 0 <= row < len(self._wizard.templates):
            self.details.clear()
            return
        t = self._wizard.templates[row]
        self.details.setText(
            self.tr("Clauses {0} · Annex A controls {1} · reviewed every {2} months").format(
                ", ".join(t.clauses) or "–",
                ", ".join(f"A.{c}" for c in t.controls) or "–",
                t.review_cycle_months,
            )
        )

    def selected_code(self) -> str:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def isComplete(self) -> bool:
        return bool(self.selected_code())


class AnswersPage(QWizardPage):
    def __init__(self, wizard: PolicyWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Answer the template's questions"))
        self.setSubTitle(
            self.tr("Prefilled from your project where it knows the answer; change what you like.")
        )
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote an answer
        self.error_label.setObjectName("answers_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020")
        outer.addWidget(self.error_label)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self._answers: dict[str, str] = {}

    def initializePage(self) -> None:
        code = self._wizard.template_page.selected_code()
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields.clear()
        self.error_label.clear()
        try:
            self._answers = documents.template_answers(self._wizard.project, code)
        except IsmsError as exc:
            self.error_label.setText(str(exc))
            return
        template = next(t for t in self._wizard.templates if t.code == code)
        labels = {
            "organisation": self.tr("Organisation"),
            "scope": self.tr('What the policy applies to ("This policy applies to …")'),
        }
        questions = [(k, labels[k]) for k in _ALWAYS_SHOWN]
        questions += [(q.key, q.label) for q in template.questions if q.key not in _ALWAYS_SHOWN]
        for key, label in questions:
            editor: QLineEdit | QPlainTextEdit
            if key == "scope":
                editor = QPlainTextEdit(self._answers.get(key, ""), self)
                editor.setFixedHeight(72)
            else:
                editor = QLineEdit(self._answers.get(key, ""), self)
                if not self._answers.get(key):
                    editor.setPlaceholderText(self.tr("Not known from the project yet"))
            editor.setObjectName(f"answer_{key}")
            text = QLabel(label, self)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            text.setBuddy(editor)
            # The question on a row of its own, the width of the page: as the label of a form
            # row it wrapped at a third of the width into three or four lines.
            self.form.addRow(text)
            self.form.addRow(editor)
            self.fields[key] = editor

    def answers(self) -> dict[str, str]:
        values = dict(self._answers)
        for key, editor in self.fields.items():
            text = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
            values[key] = text.strip()
        return values

    def validatePage(self) -> bool:
        try:
            self._wizard.draft = documents.render_draft(
                self._wizard.project, self._wizard.template_page.selected_code(), self.answers()
            )
        except IsmsError as exc:
            self.error_label.setText(str(exc))
            return False
        self.error_label.clear()
        return True


class EditorPage(QWizardPage):
    def __init__(self, wizard: PolicyWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Edit the draft"))
        self.setSubTitle(
            self.tr("Adapt the text to how your organisation works. It is saved as draft 0.1.")
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("document_title")
        form.addRow(self.tr("Title:"), self.title_edit)
        layout.addLayout(form)
        self.editor = RichTextEditor(self)
        layout.addWidget(self.editor, 1)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote an answer
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020")
        layout.addWidget(self.error_label)

    def initializePage(self) -> None:
        code = self._wizard.template_page.selected_code()
        template = next(t for t in self._wizard.templates if t.code == code)
        self.title_edit.setText(template.title)
        self.editor.set_markdown(self._wizard.draft)

    def body_with_title(self) -> str:
        """The edited text, its top heading following a title changed above (it kept the
        template's, so the window showed the old title over the text)."""
        body = self.editor.markdown()
        title = " ".join(self.title_edit.text().split())
        code = self._wizard.template_page.selected_code()
        template = next((t for t in self._wizard.templates if t.code == code), None)
        if not title or template is None or title == template.title:
            return body
        old = re.compile(rf"^#\s+{re.escape(template.title)}\s*$", re.MULTILINE)
        return old.sub(lambda _m: f"# {title}", body, count=1)

    def validatePage(self) -> bool:
        try:
            self._wizard.saved_code = documents.create_from_template(
                self._wizard.project,
                self._wizard.template_page.selected_code(),
                self._wizard.answers_page.answers(),
                body=self.body_with_title(),
                title=self.title_edit.text(),
                owner=self._wizard.owner,
            )
        except IsmsError as exc:
            self.error_label.setText(str(exc))
            return False
        self._wizard.saved.emit(self._wizard.saved_code)
        return True


class PolicyWizard(QWizard):
    """Draft a policy from a template; ``saved`` carries the new document's code."""

    saved = Signal(str)

    def __init__(
        self, project: Project, parent: QWidget | None = None, *, owner: str | None = None
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.owner = owner
        self.templates = documents.templates(project)
        self.draft = ""
        self.saved_code = ""
        self.setWindowTitle(self.tr("Draft a policy"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Save as draft 0.1"))
        self.resize(fitting_size(self, 900, 720))  # no larger than the screen
        self.template_page = TemplatePage(self)
        self.answers_page = AnswersPage(self)
        self.editor_page = EditorPage(self)
        for page in (self.template_page, self.answers_page, self.editor_page):
            self.addPage(page)

    def reject(self) -> None:
        """Cancel once the questions are answered asks first: nothing is saved until the
        last page's button, so the answers and the edited text would be lost."""
        if self.currentId() > 0 and not self.saved_code:
            answer = QMessageBox.question(
                self,
                self.tr("Discard the Draft?"),
                self.tr("Nothing of this draft is saved yet. Close and discard it?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def select_template(self, code: str) -> None:
        for row in range(self.template_page.list.count()):
            item = self.template_page.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                self.template_page.list.setCurrentRow(row)
                return
        raise KeyError(code)
