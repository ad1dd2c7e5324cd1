"""The detail panel of one document: facts, workflow buttons, text, version history.

Workflow buttons show only the steps the status allows (draft → in review → approved →
published → withdrawn, and "start a new version"); the text is editable only in a draft.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain import document_workflow as wf
from isms_desktop.domain.document_diff import Change, Comparison
from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import documents
from isms_desktop.services.projects import people
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.documents.rich_text_editor import RichTextEditor

# "Change" (what changed in the version) right after the date: at the end it lay beyond the
# table's edge in a window 1024 px wide, or showed two words of the note.
HISTORY_COLUMNS = ("Version", "Status", "Date", "Change", "Author", "Approved by")
_CHANGE = HISTORY_COLUMNS.index("Change")
_CHANGE_MIN_WIDTH = 150  # pixels; the note wraps onto more lines below that
_TIGHT = "margin-top: 2px; margin-bottom: 2px;"  # the comparison's lines, close together


class DocumentPanel(QWidget):
    """Shows and controls one document; ``changed`` after every saved change."""

    changed = Signal(str)
    modified_changed = Signal(bool)  # the text was changed (True) or saved/reloaded (False)

    def __init__(self, project: Project, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.code = code
        self.detail: documents.DocumentDetail | None = None
        layout = QVBoxLayout(self)
        self.title_label = QLabel(self)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)  # titles as typed
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)
        # the facts in two columns of four: in one column they took eight lines of a window
        # 700 pixels high, and the text being written got what was left
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(12)
        self.facts.setVerticalSpacing(2)
        self.fact_labels: dict[str, QLabel] = {}
        for index, (key, label) in enumerate(
            (
                ("code", self.tr("Code")),
                ("status", self.tr("Status")),
                ("version", self.tr("Version")),
                ("approval", self.tr("Approved")),
                ("owner", self.tr("Owner")),
                ("classification", self.tr("Classification")),
                ("review", self.tr("Next review")),
                ("links", self.tr("Clauses and controls")),
            )
        ):
            value = QLabel(self)
            value.setTextFormat(Qt.TextFormat.PlainText)  # titles as typed
            value.setObjectName(f"fact_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fact_labels[key] = value
            row, column = index % 4, (index // 4) * 2
            name = QLabel(label + ":", self)
            name.setBuddy(value)
            self.facts.addWidget(name, row, column, Qt.AlignmentFlag.AlignTop)
            self.facts.addWidget(value, row, column + 1, Qt.AlignmentFlag.AlignTop)
        self.facts.setColumnStretch(1, 1)
        self.facts.setColumnStretch(3, 1)
        layout.addLayout(self.facts)
        # what the status means and what comes next: the buttons alone did not say that an
        # approved text is changed only through a new version, or which version applies
        self.status_hint = QLabel(self)
        self.status_hint.setTextFormat(Qt.TextFormat.PlainText)  # titles as typed
        self.status_hint.setObjectName("status_hint")
        self.status_hint.setWordWrap(True)
        layout.addWidget(self.status_hint)

        self.buttons_row = QHBoxLayout()
        self.step_buttons: dict[wf.Step, QPushButton] = {}
        for step in wf.Step:
            button = QPushButton(self.tr(wf.STEP_LABELS[step]), self)
            button.setObjectName(f"step_{step.value}")
            button.clicked.connect(lambda _c=False, s=step: self._ask_step(s))
            self.step_buttons[step] = button
            self.buttons_row.addWidget(button)
        # a document in force reviewed and found still right: its next review moves on (the
        # dashboard's "… overdue for review" is answered here, without a new version)
        self.review_button = QPushButton(self.tr("Record Review…"), self)
        self.review_button.setObjectName("record_review")
        self.review_button.setToolTip(
            self.tr("The document was reviewed and is still right: set its next review date")
        )
        self.review_button.clicked.connect(self._ask_review)
        self.buttons_row.addWidget(self.review_button)
        self.buttons_row.addStretch(1)
        self.save_button = QPushButton(self.tr("Save text"), self)
        self.save_button.clicked.connect(self.save_text)
        self.save_button.setEnabled(False)  # until the text is changed
        self.save_button.setToolTip(self.tr("Nothing to save: the text is as saved"))
        self.version_button = QPushButton(self.tr("Save as version…"), self)
        self.version_button.clicked.connect(self._ask_version)
        self.word_button = QPushButton(self.tr("Save as Word…"), self)
        self.word_button.setToolTip(
            self.tr(
                "Save the document as a Word file: the version in force, or the draft if no "
                "version was approved yet"
            )
        )
        self.word_button.clicked.connect(self._ask_word)
        # the PDF an auditor is sent, from here too (it was only in File ▸ Export ▸ Report)
        self.pdf_button = QPushButton(self.tr("Save as PDF…"), self)
        self.pdf_button.setToolTip(
            self.tr(
                "Save the document as a PDF: the version in force, or the draft if no "
                "version was approved yet"
            )
        )
        self.pdf_button.clicked.connect(self._ask_pdf)
        buttons = (self.save_button, self.version_button, self.word_button, self.pdf_button)
        for button in buttons:
            self.buttons_row.addWidget(button)
        layout.addLayout(self.buttons_row)

        splitter = QSplitter(self)
        self.editor = RichTextEditor(splitter)
        # (set_markdown fills the same QTextDocument, so this stays connected)
        self.editor.text_edit.document().modificationChanged.connect(self._text_modified)
        side = QWidget(splitter)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel(self.tr("Version history"), side))
        self.history = QTableWidget(0, len(HISTORY_COLUMNS), side)
        self.history.setObjectName("version_history")
        self.history.setHorizontalHeaderLabels([self.tr(c) for c in HISTORY_COLUMNS])
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.setWordWrap(True)
        header = self.history.horizontalHeader()
        for column in range(len(HISTORY_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_CHANGE, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.history.viewport().installEventFilter(self)
        side_layout.addWidget(self.history, 1)
        history_buttons = QHBoxLayout()
        self.compare_button = QPushButton(self.tr("Compare with the working copy"), side)
        self.compare_button.clicked.connect(lambda: self.compare_selected())
        self.restore_button = QPushButton(self.tr("Restore as new draft"), side)
        self.restore_button.clicked.connect(self._ask_restore)
        history_buttons.addWidget(self.compare_button)
        history_buttons.addWidget(self.restore_button)
        side_layout.addLayout(history_buttons)
        # the changes in colour, in the text's own font: a unified diff ("--- 1.0", "+++",
        # "- ...") in a fixed font is a developer's notation
        self.diff_view = QTextEdit(side)
        self.diff_view.setObjectName("diff_view")
        self.diff_view.setReadOnly(True)
        self.diff_view.setPlaceholderText(
            self.tr("Choose a version and compare it to see what changed.")
        )
        side_layout.addWidget(self.diff_view, 1)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # titles as typed
        self.message.setObjectName("panel_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.reload()

    # -- showing ----------------------------------------------------------------------------

    def reload(self) -> None:
        detail = documents.get_document(self.project, self.code)
        self.detail = detail
        rows = documents.versions(self.project, self.code)
        in_force = self._version_in_force(detail, rows)
        self.title_label.setText(detail.title)
        status = wf.STATUS_LABELS.get(detail.status, detail.status)
        approval = self.tr("Not yet approved")
        if detail.approved_on:
            approval = self.tr("{0} by {1}").format(
                detail.approved_on.isoformat(), detail.approver_name or "–"
            )
            if in_force and in_force != detail.version:
                # a new version is being drafted: the approval is the earlier version's
                approval = self.tr("Version {0}, on {1} by {2}").format(
                    in_force, detail.approved_on.isoformat(), detail.approver_name or "–"
                )
        review = "–"
        if detail.next_review:
            state = detail.review_state()
            review = detail.next_review.isoformat()
            if state is wf.ReviewState.OVERDUE:
                review += self.tr(" (overdue)")
            elif state is wf.ReviewState.DUE:
                review += self.tr(" (due soon)")
        values = {
            "code": f"{detail.code} · {documents.type_label(detail.type)}",
            "status": status,
            "version": detail.version,
            "owner": detail.owner_name or "–",
            "approval": approval,
            "classification": documents.classification_label(detail.classification),
            "review": review,
            "links": "; ".join(
                part
                for part in (
                    ", ".join(detail.clauses),
                    ", ".join(f"A.{c}" for c in detail.controls),
                )
                if part
            )
            or "–",
        }
        for key, text in values.items():
            self.fact_labels[key].setText(text)
        self.status_hint.setText(self._hint(detail, in_force))
        # A project opened read-only shows the document but offers no step that would fail.
        writable = not self.project.read_only
        allowed = set(detail.steps) if writable else set()
        for step, button in self.step_buttons.items():
            button.setVisible(step in allowed)
        self.review_button.setVisible(writable and detail.status in wf.IN_FORCE)
        editable = writable and detail.editable
        self.save_button.setVisible(editable)
        self.version_button.setVisible(editable)
        self.editor.set_markdown(detail.body)
        self.editor.set_read_only(not editable)
        self._fill_history(rows)
        # a document in review is returned to draft before an old text replaces it
        in_review = detail.status == wf.IN_REVIEW
        self.restore_button.setEnabled(writable and not in_review and self.history.rowCount() > 0)
        self.restore_button.setToolTip(
            self.tr("Return it to draft first: it is in review")
            if in_review
            else self.tr("Make the chosen version's text the working draft")
        )

    def _text_modified(self, modified: bool) -> None:
        """Save is offered while there is something to save, and says so."""
        self.save_button.setEnabled(modified)
        self.save_button.setToolTip(
            self.tr("Save the changes to the text (Ctrl+S)")
            if modified
            else self.tr("Nothing to save: the text is as saved")
        )
        self.modified_changed.emit(modified)

    def has_unsaved_text(self) -> bool:
        """The draft's text was changed in the editor and not saved."""
        detail = self.detail
        return (
            detail is not None
            and detail.editable
            and not self.project.read_only
            and self.editor.text_edit.document().isModified()
        )

    @staticmethod
    def _version_in_force(
        detail: documents.DocumentDetail, rows: list[documents.VersionInfo]
    ) -> str:
        """The version whose approved text applies now ("" when none does)."""
        if detail.status == wf.WITHDRAWN:
            return ""
        released = [v.version for v in rows if v.status in wf.IN_FORCE]
        return released[-1] if released else ""

    def _hint(self, detail: documents.DocumentDetail, in_force: str) -> str:
        status = detail.status
        if status == wf.DRAFT and in_force:
            return self.tr(
                "Draft {0} of a new version: version {1} stays in force until this draft is "
                "approved. Edit and save the text, then submit it for review."
            ).format(detail.version, in_force)
        if status == wf.DRAFT:
            return self.tr(
                "Draft: not in force yet. Edit and save the text (Save as version… keeps a "
                "copy of it in the history), then submit it for review."
            )
        if status == wf.IN_REVIEW:
            return self.tr(
                "In review: the text is locked. Approve it, which makes it version {0}, or "
                "return it to draft for changes."
            ).format(wf.approved_version(detail.version))
        if status == wf.APPROVED:
            return self.tr(
                "Approved and in force. Publish it once the people it concerns have been "
                "told about it. To change the text, start a new version."
            )
        if status == wf.PUBLISHED:
            return self.tr(
                "Published and in force. To change the text, start a new version; when a "
                "review finds it still right, record the review."
            )
        return self.tr(
            "Withdrawn: no longer in force, kept for reference. Start a new version to bring "
            "it back."
        )

    def _fill_history(self, rows: list[documents.VersionInfo]) -> None:
        self.history.setRowCount(len(rows))
        statuses = wf.version_statuses([(v.version, v.status) for v in rows])
        for r, (v, shown) in enumerate(zip(reversed(rows), reversed(statuses), strict=True)):
            day = v.approved_on or v.created_at.date()
            values = (  # in the order of HISTORY_COLUMNS
                v.version,
                wf.VERSION_STATUS_LABELS.get(shown, shown),
                day.isoformat(),
                v.change_note,
                v.author,
                v.approver,
            )
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == 0:
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                if v.change_note:
                    item.setToolTip(v.change_note)
                self.history.setItem(r, c, item)
        self._fit_history()
        if rows:
            self.history.selectRow(0)
        has_rows = bool(rows)
        self.compare_button.setEnabled(has_rows)
        self.restore_button.setEnabled(has_rows)
        # a comparison made before the text or the versions changed no longer holds
        self.diff_view.clear()
        self.diff_view.setPlaceholderText(
            self.tr("Choose a version and compare it to see what changed.")
        )
        if not has_rows:
            # as text, not as the placeholder, which does not wrap
            none_yet = self.tr(
                "No versions yet. Save as version… keeps a copy of the text as it is now; "
                "approving the document makes version 1.0. Versions can be compared here."
            )
            self.diff_view.setHtml(f'<p style="color: gray;">{html.escape(none_yet)}</p>')

    def _fit_history(self) -> None:
        """The change note takes the room the other columns leave (at least a readable
        width), wrapped, with the rows as tall as their notes."""
        header = self.history.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(len(HISTORY_COLUMNS)) if c != _CHANGE)
        room = self.history.viewport().width() - others
        self.history.setColumnWidth(_CHANGE, max(_CHANGE_MIN_WIDTH, room))
        self.history.resizeRowsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.history.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_history()
        return super().eventFilter(watched, event)

    def selected_version(self) -> str:
        row = self.history.currentRow()
        item = self.history.item(row, 0) if row >= 0 else None
        return item.text() if item else ""

    def _show_error(self, error: IsmsError | str) -> None:
        self.message.setText(str(error))
        QMessageBox.warning(self, self.tr("Documents"), str(error))

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.reload()
        self.changed.emit(self.code)

    # -- actions without dialogs (the buttons ask, then call these) ----------------------------

    def apply_step(self, step: wf.Step, *, approver: str | None = None, note: str = "") -> bool:
        before = self.detail.version if self.detail is not None else ""
        try:
            if self.detail is not None and self.detail.editable and step is wf.Step.SUBMIT:
                documents.save_draft(self.project, self.code, self.editor.markdown())
            after = documents.step(
                self.project,
                self.code,
                step,
                approver=approver,
                change_note=note,
            )
        except IsmsError as exc:
            self._show_error(exc)
            return False
        self._done(self._step_done(step, before, after))
        return True

    def _step_done(self, step: wf.Step, before: str, after: documents.DocumentDetail) -> str:
        """What a step did, in words (it said "Publish: done.")."""
        if step is wf.Step.SUBMIT:
            return self.tr(
                "Submitted for review: the text is locked until it is approved or returned "
                "to draft."
            )
        if step is wf.Step.RETURN:
            return self.tr("Returned to draft: the text can be edited again.")
        if step is wf.Step.APPROVE:
            review = after.next_review.isoformat() if after.next_review else self.tr("not set")
            return self.tr("Approved as version {0} by {1}; next review {2}.").format(
                after.version, after.approver_name, review
            )
        if step is wf.Step.PUBLISH:
            return self.tr("Version {0} published.").format(after.version)
        if step is wf.Step.REVISE:
            if self.detail is not None and self.detail.status != wf.WITHDRAWN:
                return self.tr(
                    "Started draft {0}; version {1} stays in force until the draft is approved."
                ).format(after.version, before)
            return self.tr("Started draft {0}.").format(after.version)
        return self.tr("{0} withdrawn; it stays in the register as withdrawn.").format(self.code)

    def save_text(self) -> bool:
        try:
            documents.save_draft(self.project, self.code, self.editor.markdown())
        except IsmsError as exc:
            self._show_error(exc)
            return False
        self._done(self.tr("Saved."))
        return True

    def save_version(self, note: str) -> bool:
        try:
            documents.save_draft(self.project, self.code, self.editor.markdown())
            version = documents.save_version(self.project, self.code, note)
        except IsmsError as exc:
            self._show_error(exc)
            return False
        self._done(self.tr("Saved; you are now editing version {0}.").format(version))
        return True

    def compare_selected(self, version: str | None = None) -> str:
        version = version or self.selected_version()
        if not version:
            return ""
        result = documents.compare(self.project, self.code, version)
        if result.identical:
            text = self.tr("Version {0} and the working copy are the same.").format(version)
            self.diff_view.setPlainText(text)
            return text
        self.diff_view.setHtml(self._comparison_html(version, result))
        return result.unified()

    def _passages(self, count: int) -> str:
        return self.tr("1 passage") if count == 1 else self.tr("{0} passages").format(count)

    def _comparison_html(self, version: str, result: Comparison) -> str:
        summary = self.tr(
            "From version {0} to the working copy: {1} added, {2} removed "
            "(a changed passage counts as one removed and one added)."
        ).format(version, self._passages(result.added), self._passages(result.removed))
        parts = [f"<p><b>{html.escape(summary)}</b></p>"]
        styles = {
            Change.ADDED: ("#e6f4ea", "#0b6623", "+", ""),
            Change.REMOVED: ("#fde7e9", "#a50e0e", "−", "text-decoration: line-through;"),
        }
        context = 1
        near = [False] * len(result.lines)
        for i, line in enumerate(result.lines):
            if line.change is not Change.SAME:
                for j in range(max(0, i - context), min(len(result.lines), i + context + 1)):
                    near[j] = True
        skipped = False
        for line, shown in zip(result.lines, near, strict=True):
            if not shown:
                skipped = True
                continue
            if skipped:
                parts.append(f'<p style="{_TIGHT} color: gray;">…</p>')
                skipped = False
            text = html.escape(line.text)
            heading = re.match(r"#{1,6}\s+(.*)", line.text)
            if heading:  # a heading as a heading, not as "## 5. …"
                text = f"<b>{html.escape(heading.group(1))}</b>"
            elif bullet := re.match(r"(\s*)[-*+]\s+(.*)", line.text):  # "- item" as "• item"
                text = f"{'&nbsp;' * len(bullet.group(1))}• {html.escape(bullet.group(2))}"
            if line.change is Change.SAME:
                parts.append(f'<p style="{_TIGHT} color: gray;">{text}</p>')
                continue
            fill, ink, mark, extra = styles[line.change]
            parts.append(
                f'<p style="{_TIGHT} background-color: {fill}; color: {ink}; {extra}">'
                f"<b>{mark}</b> {text}</p>"
            )
        return "\n".join(parts)

    def restore(self, version: str) -> bool:
        try:
            new = documents.restore_version(self.project, self.code, version)
        except IsmsError as exc:
            self._show_error(exc)
            return False
        self._done(self.tr("Version {0} restored as draft {1}.").format(version, new))
        return True

    def record_review(self, on: dt.date | None = None) -> bool:
        try:
            following = documents.record_review(self.project, self.code, on=on)
        except IsmsError as exc:
            self._show_error(exc)
            return False
        day = (on or dt.date.today()).isoformat()
        self._done(
            self.tr("Reviewed on {0}; the next review is due {1}.").format(
                day, following.isoformat() if following else self.tr("when one is set")
            )
        )
        return True

    def export_word(self, path: Path) -> bool:
        from isms_desktop.reports.docx_export import write_document_docx

        try:
            write_document_docx(self.project, self.code, path)
        except IsmsError as exc:
            self._show_error(exc)
            return False
        self.message.setText(self.tr("Saved {0}.").format(path))
        return True

    # -- the buttons' questions -----------------------------------------------------------------

    def _ask_step(self, step: wf.Step) -> None:
        approver: str | None = None
        note = ""
        if step is wf.Step.APPROVE:
            names = [name for _id, name, _role in people(self.project)]
            if not names:
                self._show_error(self.tr("Add the approver to the people register first."))
                return
            # the last approver, else top management: not whoever comes first alphabetically
            usual = documents.suggested_approver(self.project, self.code)
            approver, ok = QInputDialog.getItem(
                self,
                self.tr("Approve"),
                self.tr("Approved by:"),
                names,
                names.index(usual) if usual in names else 0,
                False,
            )
            if not ok:
                return
            first = not any(
                v.status != wf.DRAFT for v in documents.versions(self.project, self.code)
            )
            version = wf.approved_version(self.detail.version) if self.detail else ""
            note, ok = QInputDialog.getText(
                self,
                self.tr("Approve"),
                self.tr(
                    "Approving makes version {0}. What changed in it? (It goes into the "
                    "version history.)"
                ).format(version),
                text=self.tr("First issue") if first else "",
            )
            if not ok:
                return
        elif step is wf.Step.WITHDRAW:
            answer = QMessageBox.question(
                self,
                self.tr("Withdraw"),
                self.tr("Withdraw {0}? It stays in the register as withdrawn.").format(self.code),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.apply_step(step, approver=approver, note=note)

    def _ask_version(self) -> None:
        note, ok = QInputDialog.getText(
            self, self.tr("Save as version"), self.tr("What changed in this version?")
        )
        if ok:
            self.save_version(note)

    def _ask_restore(self) -> None:
        version = self.selected_version()
        detail = self.detail
        if not version or detail is None:
            return
        if detail.status in wf.IN_FORCE:
            # the document in force becomes a draft again (as "start a new version")
            answer = QMessageBox.question(
                self,
                self.tr("Restore as New Draft"),
                self.tr(
                    "{0} is {1}. Restoring version {2} starts a new draft from its text: the "
                    "document is a draft until that is approved again. Restore it?"
                ).format(
                    self.code, wf.STATUS_LABELS.get(detail.status, detail.status).lower(), version
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        else:
            # a draft's text is replaced: asked, and what was typed is saved first so that
            # the version history keeps it (it was lost without a word)
            answer = QMessageBox.question(
                self,
                self.tr("Restore as New Draft"),
                self.tr(
                    "Replace the text of draft {0} with the text of version {1}? The draft's "
                    "current text is kept in the version history."
                ).format(detail.version, version),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            if self.has_unsaved_text() and not self.save_text():
                return
        self.restore(version)

    def _ask_review(self) -> None:
        detail = self.detail
        if detail is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Record Review"),
            self.tr(
                "Record that {0} version {1} was reviewed today and is still right? Its next "
                "review moves on by its review interval. (If it needs changes, start a new "
                "version instead.)"
            ).format(self.code, detail.version),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.record_review()

    def _ask_word(self) -> None:
        from isms_desktop.ui.encryption_ui import warn_export_not_encrypted

        if not warn_export_not_encrypted(self, self.project):
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save as Word"),
            str(self.suggested_word_path()),
            self.tr("Word documents (*.docx)"),
        )
        if name:
            self.export_word(Path(name if name.lower().endswith(".docx") else f"{name}.docx"))

    def suggested_word_path(self) -> Path:
        """Beside the project file, named after the organisation, document and version that
        the Word file holds (it was "POL-001.docx" in the folder the program started in)."""
        from isms_desktop.reports.docx_export import default_docx_filename

        path = self.project.path
        folder = path.parent if path is not None else Path.home()
        try:
            data = documents.output_document(self.project, self.code)
        except IsmsError:
            return folder / f"{self.code}.docx"
        return folder / default_docx_filename(data)

    def suggested_pdf_path(self) -> Path:
        """As the Word file's name, ending in .pdf (both hold the same version)."""
        return self.suggested_word_path().with_suffix(".pdf")

    def export_pdf(self, path: Path) -> bool:
        from isms_desktop.reports.pdf.kinds import make_report

        try:
            make_report(self.project, f"policy:{self.code}", path)
        except IsmsError as exc:
            self._show_error(exc)
            return False
        self.message.setText(self.tr("Saved {0}.").format(path))
        return True

    def _ask_pdf(self) -> None:
        from isms_desktop.ui.encryption_ui import warn_export_not_encrypted

        if not warn_export_not_encrypted(self, self.project):
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save as PDF"),
            str(self.suggested_pdf_path()),
            self.tr("PDF files (*.pdf)"),
        )
        if name:
            self.export_pdf(Path(name if name.lower().endswith(".pdf") else f"{name}.pdf"))
