"""Working through an audit checklist with the keyboard alone.

The list of items has the focus: ↑/↓ move, 1–6 set the result, Enter jumps to the notes,
Esc returns to the list. While typing, Alt+1–6 set the result and Ctrl+↓ / Ctrl+↑ (or
Ctrl+Enter) save and move to the next / previous item. Every change is saved at once.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.audit_checklist import RESULTS
from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import audits
from isms_desktop.services.audits import ChecklistEntry
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.registers.undo_commands import RegisterCommand, undo_stack_of

RESULT_COLOURS = {
    "conforming": "#2e7d32",
    "minor_nc": "#ef6c00",
    "major_nc": "#c62828",
    "observation": "#1565c0",
    "ofi": "#6a1b9a",
    "not_audited": "#757575",
}
DIGIT_KEYS = {Qt.Key.Key_1 + i: result for i, result in enumerate(RESULTS)}


def status_label(status: str) -> str:
    """An audit's status as the auditor reads it (an empty status is a planned audit)."""
    labels = {
        "planned": QCoreApplication.translate("AuditMode", "Planned"),
        "in_progress": QCoreApplication.translate("AuditMode", "In progress"),
        "completed": QCoreApplication.translate("AuditMode", "Completed"),
        "cancelled": QCoreApplication.translate("AuditMode", "Cancelled"),
    }
    return labels.get(status or "planned", status.replace("_", " "))


class AuditModeWidget(QWidget):
    """One audit's checklist: a list of items and the answer to the current one."""

    recorded = Signal(int)  # the id of the checklist item that was saved
    status_changed = Signal(str)  # the audit's code, when its status changed (or a checklist)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.audit_code = ""
        self.read_only = False
        self.entries: list[ChecklistEntry] = []
        self._row = -1

        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.progress = QLabel(self)
        self.status = ""
        # An audit planned in the register has no checklist yet: made here from its scope.
        self.generate_button = QPushButton(
            self.tr("&Generate Checklist from the Audit's Scope"), self
        )
        self.generate_button.setObjectName("generate_checklist")
        self.generate_button.setToolTip(
            self.tr("One question per clause requirement and applicable control in the scope")
        )
        self.generate_button.clicked.connect(self.generate_checklist)
        self.generate_button.hide()
        self.items = QListWidget(self)
        self.items.setAlternatingRowColors(True)
        self.items.setWordWrap(True)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.setSpacing(1)
        self.items.installEventFilter(self)
        self.items.currentRowChanged.connect(self._row_changed)
        self.items.setAccessibleName(self.tr("Checklist items"))

        self.ref = QLabel(self)
        font = self.ref.font()
        font.setBold(True)
        self.ref.setFont(font)
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_buttons = QButtonGroup(self)
        self.result_buttons.setExclusive(True)
        # two rows of three: six in a row left the item list a sliver in a narrow window
        buttons = QGridLayout()
        buttons.setSpacing(4)
        labels = self._result_labels()
        for number, result in enumerate(RESULTS, start=1):
            button = QPushButton(f"{number} {labels[result]}", self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(self.tr("Key {0} (Alt+{0} while typing)").format(number))
            button.setStyleSheet(
                f"QPushButton:checked {{ background: {RESULT_COLOURS[result]}; color: white; }}"
            )
            self.result_buttons.addButton(button, number - 1)
            buttons.addWidget(button, (number - 1) // 3, (number - 1) % 3)
        self.result_buttons.idClicked.connect(lambda i: self.set_result(RESULTS[i]))
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("What you found (Enter in the list jumps here)"))
        self.evidence = QLineEdit(self)
        self.evidence.setPlaceholderText(self.tr("Records, documents, systems looked at"))
        self.interviewees = QLineEdit(self)
        self.interviewees.setPlaceholderText(self.tr("Who was interviewed"))
        for editor in (self.notes, self.evidence, self.interviewees):
            editor.installEventFilter(self)
        self.attachments = QLabel(self)
        self.keys_help = QLabel(self._keys_text(), self)
        self.keys_help.setWordWrap(True)
        self.keys_help.setEnabled(False)

        form = QFormLayout()
        form.addRow(self.tr("&Notes:"), self.notes)
        form.addRow(self.tr("&Evidence seen:"), self.evidence)
        form.addRow(self.tr("&Interviewees:"), self.interviewees)
        form.addRow(self.tr("Attachments:"), self.attachments)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.ref)
        right_layout.addWidget(self.question)
        right_layout.addWidget(self.generate_button)
        right_layout.addLayout(buttons)
        right_layout.addLayout(form, 1)
        right_layout.addWidget(self.keys_help)
        self.splitter = splitter = QSplitter(self)
        splitter.addWidget(self.items)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([400, 600])
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.progress)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.items, self.notes)
        self.setTabOrder(self.notes, self.evidence)
        self.setTabOrder(self.evidence, self.interviewees)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for number, result in enumerate(RESULTS, start=1):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.setContext(context)
            shortcut.activated.connect(lambda r=result: self.set_result(r))
        for keys, step in (
            (("Ctrl+Down", "Ctrl+PgDown", "Ctrl+Return"), 1),
            (("Ctrl+Up", "Ctrl+PgUp"), -1),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(context)
                shortcut.activated.connect(lambda s=step: self.go_to(s))
        self._show_entry(None)
        self._sized = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # two fifths for the list, now that the width is known
            self._sized = True
            width = max(self.splitter.width(), 600)
            self.splitter.setSizes([width * 2 // 5, width - width * 2 // 5])

    def _keys_text(self) -> str:
        return self.tr(
            "↑/↓ item · 1–6 result · Enter notes · Esc back to the list · "
            "while typing: Alt+1–6 result, Ctrl+↓/Ctrl+↑ next/previous item"
        )

    def _show_help(self, summary: audits.AuditSummary) -> None:
        """The keys, or (in a closed audit) why nothing can be typed: the editors looked
        as editable as ever, and the key help still offered results."""
        if self.project.read_only:
            text = self.tr("The project is open read-only: the answers can only be read.")
        elif self.read_only:
            text = self.tr("{0} is {1}: its answers can only be read.").format(
                summary.code, status_label(summary.status).lower()
            )
        else:
            text = self._keys_text()
        self.keys_help.setText(text)
        self.keys_help.setEnabled(self.read_only)  # a message is not greyed out like the keys

    def _result_labels(self) -> dict[str, str]:
        return {
            "conforming": self.tr("Conforming"),
            "minor_nc": self.tr("Minor NC"),
            "major_nc": self.tr("Major NC"),
            "observation": self.tr("Observation"),
            "ofi": self.tr("Improvement"),
            "not_audited": self.tr("Not audited"),
        }

    # -- loading ------------------------------------------------------------------------

    def load(self, audit_code: str) -> None:
        """Show the checklist of ``audit_code`` and select its first unanswered item."""
        self.save_current()
        summary = audits.audit(self.project, audit_code)
        self.audit_code = audit_code
        self.read_only = summary.status in ("completed", "cancelled") or self.project.read_only
        self._show_heading(summary)
        self._show_help(summary)
        self.entries = audits.checklist(self.project, audit_code)
        self._row = -1
        self.items.blockSignals(True)
        self.items.clear()
        for _entry in self.entries:
            self.items.addItem(QListWidgetItem())
        self.items.blockSignals(False)
        for row in range(len(self.entries)):
            self._paint(row)
        for editor in (self.notes, self.evidence, self.interviewees):
            editor.setReadOnly(self.read_only)
        for button in self.result_buttons.buttons():
            button.setEnabled(not self.read_only and bool(self.entries))
        self.generate_button.setVisible(not self.entries and not self.read_only)
        self._update_progress()
        first_open = next((i for i, e in enumerate(self.entries) if not e.result), 0)
        if self.entries:
            self.items.setCurrentRow(first_open)
        else:
            self._show_entry(None)
        self.items.setFocus()

    def _show_heading(self, summary: audits.AuditSummary) -> None:
        self.status = summary.status or "planned"
        self.heading.setText(
            self.tr("<b>{0}</b> {1} — {2}").format(
                summary.code, summary.title, status_label(summary.status)
            )
        )

    def generate_checklist(self) -> int:
        """Fill an empty checklist from the audit's clauses and controls; returns the count."""
        if not self.audit_code or self.read_only or self.entries:
            return 0
        try:
            made = audits.generate(self.project, self.audit_code)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Generate Checklist"), str(exc))
            return 0
        if not made:
            QMessageBox.information(
                self,
                self.tr("Generate Checklist"),
                self.tr(
                    "The scope of {0} names no clauses and no applicable controls. Give it "
                    "clauses (e.g. 9.2) or controls (e.g. 5.15) in the Audits register first."
                ).format(self.audit_code),
            )
            return 0
        self.load(self.audit_code)
        self.status_changed.emit(self.audit_code)
        return made

    def _paint(self, row: int) -> None:
        entry = self.entries[row]
        item = self.items.item(row)
        mark = entry.result_label or self.tr("— open —")
        question = entry.question if len(entry.question) <= 90 else entry.question[:89] + "…"
        item.setText(f"{row + 1}. {entry.ref}  [{mark}]\n{question}")
        item.setToolTip(entry.question)
        if entry.result:
            item.setForeground(QBrush(QColor(RESULT_COLOURS[entry.result])))
        else:
            item.setData(Qt.ItemDataRole.ForegroundRole, None)

    def _update_progress(self) -> None:
        done = sum(1 for e in self.entries if e.result)
        self.progress.setText(self.tr("{0} of {1} answered").format(done, len(self.entries)))

    def current_entry(self) -> ChecklistEntry | None:
        return self.entries[self._row] if 0 <= self._row < len(self.entries) else None

    def _show_entry(self, entry: ChecklistEntry | None) -> None:
        self.ref.setText(entry.ref if entry else "")
        if entry is None:
            empty = self.tr("This audit has no checklist yet.") if self.audit_code else ""
            self.question.setText(empty)
        else:
            self.question.setText(entry.question)
        self.notes.setPlainText(entry.notes if entry else "")
        self.evidence.setText(entry.evidence_seen if entry else "")
        self.interviewees.setText(entry.interviewees if entry else "")
        self.attachments.setText(self.tr("{0} file(s)").format(entry.attachments) if entry else "")
        self.result_buttons.setExclusive(False)
        for index, button in enumerate(self.result_buttons.buttons()):
            button.setChecked(bool(entry) and entry is not None and entry.result == RESULTS[index])
        self.result_buttons.setExclusive(True)

    def _row_changed(self, row: int) -> None:
        self.save_current()
        self._row = row
        self._show_entry(self.current_entry())

    # -- recording ----------------------------------------------------------------------

    def _store(self, **values: str) -> None:
        entry = self.current_entry()
        if entry is None or self.read_only:
            return
        try:
            saved = audits.record_item(self.project, entry.id, **values)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return
        before = {name: str(getattr(entry, name)) for name in values}
        after = {name: str(getattr(saved, name)) for name in values}
        stack = undo_stack_of(self)
        if stack is not None and before != after:
            stack.push(AnswerCommand(self, saved, before, after))
        self.entries[self._row] = saved
        self._paint(self._row)
        self._update_progress()
        self.recorded.emit(saved.id)
        if self.status == "planned" and saved.result:
            # the first answer starts the audit (the service set it in progress)
            self._show_heading(audits.audit(self.project, self.audit_code))
            self.status_changed.emit(self.audit_code)

    def save_current(self) -> None:
        """Save the typed notes, evidence and interviewees of the current item if changed."""
        entry = self.current_entry()
        if entry is None or self.read_only:
            return
        typed = {
            "notes": self.notes.toPlainText(),
            "evidence_seen": self.evidence.text(),
            "interviewees": self.interviewees.text(),
        }
        stored = {
            "notes": entry.notes,
            "evidence_seen": entry.evidence_seen,
            "interviewees": entry.interviewees,
        }
        changed = {k: v for k, v in typed.items() if v != stored[k]}
        if changed:
            self._store(**changed)

    def show_saved(self, saved: ChecklistEntry) -> None:
        """An item saved elsewhere (its answer undone or redone): shown as it is now."""
        for row, entry in enumerate(self.entries):
            if entry.id == saved.id:
                self.entries[row] = saved
                self._paint(row)
                if row == self._row:
                    self._show_entry(saved)
        self._update_progress()

    def set_result(self, result: str) -> None:
        """Record the result of the current item (saving what was typed with it)."""
        if self.current_entry() is None or self.read_only:
            return
        self._store(
            result=result,
            notes=self.notes.toPlainText(),
            evidence_seen=self.evidence.text(),
            interviewees=self.interviewees.text(),
        )
        self._show_entry(self.current_entry())

    def go_to(self, step: int) -> None:
        """Save and go to the next (+1) or previous (-1) item, keeping the focus where it is."""
        if not self.entries:
            return
        focus = self.focusWidget()
        row = max(0, min(len(self.entries) - 1, self._row + step))
        self.save_current()
        self.items.setCurrentRow(row)
        if focus is not None and focus is not self.items:
            focus.setFocus()

    # -- keys -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if watched is self.items and plain:
            if key in DIGIT_KEYS:
                self.set_result(DIGIT_KEYS[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.read_only:
                self.notes.setFocus()
                self.notes.moveCursor(self.notes.textCursor().MoveOperation.End)
                return True
        elif watched in (self.notes, self.evidence, self.interviewees) and (
            key == Qt.Key.Key_Escape
        ):
            self.save_current()
            self.items.setFocus()
            return True
        return super().eventFilter(watched, event)


def _not_changed(message: str) -> None:
    title = QCoreApplication.translate("AuditModeWidget", "Answer Not Changed")
    QMessageBox.warning(None, title, message)


class AnswerCommand(RegisterCommand):
    """What the auditor recorded for one checklist item: undo puts the earlier answer back
    (Ctrl+Z in the dialog, or Edit ▸ Undo once it is closed), redo the later one."""

    def __init__(
        self,
        panel: AuditModeWidget,
        saved: ChecklistEntry,
        before: dict[str, str],
        after: dict[str, str],
    ) -> None:
        super().__init__(
            QCoreApplication.translate("AuditModeWidget", "Answer to {0} in {1}").format(
                saved.ref, panel.audit_code
            ),
            panel.project,
            "audits",
            lambda *_a: self._show(),
            _not_changed,
        )
        self.panel = panel
        self.audit_code = panel.audit_code
        self.saved = saved
        self.before = before
        self.after = after

    def do_redo(self) -> list[str]:
        return self._apply(self.after)

    def do_undo(self) -> list[str]:
        return self._apply(self.before)

    def _apply(self, values: dict[str, str]) -> list[str]:
        self.saved = audits.record_item(self.project, self.saved.id, **values)
        return [self.audit_code]

    def _show(self) -> None:
        with contextlib.suppress(RuntimeError):  # (the dialog may be closed and deleted)
            self.panel.show_saved(self.saved)
