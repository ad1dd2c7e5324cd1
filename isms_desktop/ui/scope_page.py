"""The organisation profile and the scope statement (clause 4.3) on the Context & Scope tab:
edited in place, drafted from the records on request, every save one step of Undo."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import projects, registers, wizard
from isms_desktop.storage.project_file import Project

_log = logging.getLogger(__name__)

PROFILE_LABELS = (
    ("organisation", "Organisation:"),
    ("sector", "Sector:"),
    ("size", "Size:"),
    ("locations", "Locations:"),
)
PROFILE_PLACEHOLDERS = {
    "organisation": "The organisation's legal name, as on the certificate",
    "size": "People working for the organisation, e.g. 10–49 people",
    "locations": "e.g. Head office, Leeds; support office, Manchester; remote workers",
}


class ProfileCommand(QUndoCommand):
    """One profile field set (already done when pushed): undo sets the old value back."""

    def __init__(
        self,
        project: Project,
        field: str,
        old: str,
        new: str,
        after: Callable[[], None],
    ) -> None:
        label = "scope statement" if field == "scope_statement" else field
        super().__init__(QCoreApplication.translate("ScopePage", "Edit the {0}").format(label))
        self.project = project
        self.field = field
        self.old = old
        self.new = new
        self.after = after
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        projects.update_profile(self.project, self.field, self.new)
        self.after()

    def undo(self) -> None:
        projects.update_profile(self.project, self.field, self.old)
        self.after()


class ScopePage(QWidget):
    """Profile fields and the scope statement, with Draft, Save and Revert."""

    scope_register_wanted = Signal()  # the user asked to see the Scope register

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.undo_stack: QUndoStack | None = None
        layout = QVBoxLayout(self)
        profile_box = QGroupBox(self.tr("Organisation"), self)
        form = QFormLayout(profile_box)
        self.fields: dict[str, QLineEdit] = {}
        for name, label in PROFILE_LABELS:
            if name == "sector":
                self.sector = QComboBox(profile_box)
                self.sector.addItem(self.tr("(not set)"), "")
                for code, title in wizard.sectors():
                    self.sector.addItem(title, code)
                self.sector.activated.connect(lambda _i: self._save_sector())
                form.addRow(self.tr(label), self.sector)
                continue
            if name == "size":
                # the sizes the setup wizard offers, or a figure of one's own
                self.size_combo = QComboBox(profile_box)
                self.size_combo.setEditable(True)
                self.size_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                self.size_combo.addItems(list(wizard.SIZES))
                self.size_combo.activated.connect(lambda _i: self._save_field("size"))
                found = self.size_combo.lineEdit()
                assert found is not None  # an editable combo box has one
                edit = found
                form.addRow(self.tr(label), self.size_combo)
            else:
                edit = QLineEdit(profile_box)
                form.addRow(self.tr(label), edit)
            edit.setPlaceholderText(self.tr(PROFILE_PLACEHOLDERS[name]))
            edit.editingFinished.connect(lambda n=name: self._save_field(n))
            self.fields[name] = edit
        layout.addWidget(profile_box)

        scope_box = QGroupBox(self.tr("Scope statement (clause 4.3)"), self)
        scope_layout = QVBoxLayout(scope_box)
        hint = QLabel(
            self.tr(
                "Say what the ISMS covers — locations, units, processes, technology — what it "
                "depends on outside, and what is excluded and why. Certification bodies print "
                "this statement on the certificate. Draft it from the scope records, then edit."
            ),
            scope_box,
        )
        hint.setWordWrap(True)
        scope_layout.addWidget(hint)
        self.statement = QPlainTextEdit(scope_box)
        self.statement.setObjectName("scope_statement")
        self.statement.setPlaceholderText(
            self.tr(
                "No scope statement yet. Record the ISMS's boundaries on the Scope tab "
                "(locations, units, processes, technology, interfaces, dependencies and "
                "exclusions), then press Draft from the Records and edit the draft into the "
                "words you want on the certificate."
            )
        )
        self.statement.textChanged.connect(self._update_buttons)
        scope_layout.addWidget(self.statement, 1)
        bar = QHBoxLayout()
        self.draft_button = QPushButton(self.tr("Draft from the Records"), scope_box)
        self.save_button = QPushButton(self.tr("Save"), scope_box)
        self.revert_button = QPushButton(self.tr("Revert"), scope_box)
        self.draft_button.clicked.connect(self.draft)
        self.save_button.clicked.connect(self.save_statement)
        self.revert_button.clicked.connect(lambda: self.reload())
        bar.addWidget(self.draft_button)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        scope_layout.addLayout(bar)
        # what the last draft was made from, and where to add what it lacks
        self.draft_note = QLabel(scope_box)
        self.draft_note.setObjectName("draft_note")
        self.draft_note.setWordWrap(True)
        self.draft_note.linkActivated.connect(lambda _link: self.scope_register_wanted.emit())
        self.draft_note.hide()
        scope_layout.addWidget(self.draft_note)
        layout.addWidget(scope_box, 1)
        self._saved = ""
        self._watching_close = False
        self._update_buttons()

    def set_project(self, project: Project | None, _info: Any = None) -> None:
        same = project is not None and project is self.project
        self.project = project
        window = self.window()
        self.undo_stack = getattr(window, "undo_stack", None)
        closing = getattr(window, "project_closing", None)
        if closing is not None and not self._watching_close:
            # a statement typed and not saved yet is kept when the project closes (or another
            # opens, or the window closes): every other edit is saved as it is made
            closing.connect(self._save_before_closing)
            self._watching_close = True
        # a refresh of the window must not throw away a statement being typed
        self.reload(keep_typing=same)

    def reload(self, keep_typing: bool = False) -> None:
        typing = self.statement.toPlainText() if keep_typing and self.is_dirty() else None
        if self.project is None:
            for edit in self.fields.values():
                edit.clear()
            self.statement.clear()
            self._saved = ""
        else:
            profile = projects.profile(self.project)
            for name, edit in self.fields.items():
                edit.setText(str(getattr(profile, name)))
            index = self.sector.findData(profile.sector)
            if index < 0 and profile.sector:
                self.sector.addItem(profile.sector, profile.sector)  # a sector of its own
                index = self.sector.count() - 1
            self.sector.setCurrentIndex(max(0, index))
            self._saved = profile.scope_statement
            self.statement.setPlainText(typing if typing is not None else profile.scope_statement)
        read_only = self.project is None or self.project.read_only
        for edit in self.fields.values():
            edit.setReadOnly(read_only)
        self.sector.setEnabled(not read_only)
        self.size_combo.setEnabled(not read_only)
        self.draft_note.hide()
        self.statement.setReadOnly(read_only)
        self.draft_button.setEnabled(not read_only)
        self._update_buttons()

    def is_dirty(self) -> bool:
        return self.statement.toPlainText() != self._saved

    def _update_buttons(self) -> None:
        changed = self.is_dirty()
        writable = self.project is not None and not self.project.read_only
        self.save_button.setEnabled(writable and changed)
        self.revert_button.setEnabled(changed)

    def draft(self) -> None:
        if self.project is None:
            return
        text = projects.draft_scope(self.project)
        if self.statement.toPlainText().strip() and self.statement.toPlainText() != text:
            answer = QMessageBox.question(
                self,
                self.tr("Replace the Statement?"),
                self.tr("Replace the text in the editor with a draft made from the records?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.statement.setPlainText(text)
        self._explain_draft()

    def _explain_draft(self) -> None:
        """Say what the draft was made from, and what it lacks, below the editor."""
        if self.project is None:
            return
        kinds = [row.values.get("kind") for row in registers.list_rows(self.project, "scope")]
        link = '<a href="scope">' + self.tr("Scope tab") + "</a>"
        if not kinds:
            text = self.tr(
                "The Scope register is empty, so the draft can only say that the ISMS covers "
                "the organisation's activities. Record its locations, units, processes, "
                "technology, interfaces, dependencies and exclusions on the {0}, then draft "
                "again."
            ).format(link)
        else:
            missing = [
                label
                for kind, label in (
                    ("location", self.tr("locations")),
                    ("organisational_unit", self.tr("organisational units")),
                    ("business_process", self.tr("business processes")),
                )
                if kind not in kinds
            ]
            text = (
                self.tr("Drafted from 1 scope record.")
                if len(kinds) == 1
                else self.tr("Drafted from {0} scope records.").format(len(kinds))
            )
            if missing:
                listed = ", ".join(missing[:-1]) + self.tr(" or ") + missing[-1]
                text += " " + self.tr("It names no {0}: add them on the {1}.").format(
                    listed if len(missing) > 1 else missing[0], link
                )
            text += " " + self.tr("Edit the draft as you want it, then Save.")
        self.draft_note.setText(text)
        self.draft_note.show()

    def save_statement(self) -> None:
        self._set("scope_statement", self.statement.toPlainText())

    def _save_before_closing(self) -> None:
        if self.project is None or self.project.read_only or not self.is_dirty():
            return
        try:
            projects.update_profile(self.project, "scope_statement", self.statement.toPlainText())
        except IsmsError:
            _log.exception("the scope statement typed could not be saved at closing")
        else:
            self._saved = self.statement.toPlainText()

    def _save_field(self, name: str) -> None:
        if self.project is None or self.project.read_only:
            return
        value = self.fields[name].text()
        if value.strip() != str(getattr(projects.profile(self.project), name)):
            self._set(name, value)

    def _save_sector(self) -> None:
        if self.project is None or self.project.read_only:
            return
        code = str(self.sector.currentData() or "")
        if code != projects.profile(self.project).sector:
            self._set("sector", code)

    def _set(self, name: str, value: str) -> None:
        if self.project is None:
            return
        try:
            old, new = projects.update_profile(self.project, name, value)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Not Saved"), str(exc))
            self.reload()
            return
        # saving (or undoing) another field keeps a statement being typed; the statement's
        # own save or undo shows what was saved
        typing = name != "scope_statement"
        if self.undo_stack is not None:
            self.undo_stack.push(
                ProfileCommand(self.project, name, old, new, lambda: self._changed(typing))
            )
        self._changed(typing)

    def _changed(self, keep_typing: bool = False) -> None:
        """After a save, undo or redo: show it here, and let the window update its title
        and dashboard (the organisation's name is on both)."""
        self.reload(keep_typing=keep_typing)
        refresh: Callable[[], None] | None = getattr(self.window(), "refresh", None)
        if refresh is not None:
            refresh()
