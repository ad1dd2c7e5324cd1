"""Buttons above the audits and findings registers: complete an audit, raise nonconformities.

``AuditActionsPage`` puts a row of buttons above the audits register ("Complete Audit…",
signed off by name); ``FindingActionsPage`` above the findings register ("Raise
Nonconformity" for the selected findings, "Raise for All Findings of This Audit"). As in
the panels, a button's dialog hands its values to a method that takes them.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import audits, nonconformities, registers
from isms_desktop.services.projects import Project
from isms_desktop.ui.icons import action_icon
from isms_desktop.ui.improvement.dialogs import CompleteAuditDialog
from isms_desktop.ui.improvement.undo_steps import CompleteAuditCommand, RaiseNcCommand
from isms_desktop.ui.registers.register_view import RegisterView


class _ActionsPage(QWidget):
    """A register view with a row of buttons above it."""

    def __init__(self, view: RegisterView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._project: Project | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(self.row)
        layout.addWidget(view, 1)
        self.note = QLabel(self)
        self.note.setObjectName("actions_note")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setContentsMargins(8, 0, 0, 0)  # (it touched the last button)
        view.current_changed.connect(lambda _c: self.update_buttons())
        view.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())
        view.records_changed.connect(lambda _r: self.update_buttons())

    def _button(self, name: str, text: str, icon: str, tip: str) -> QPushButton:
        button = QPushButton(action_icon(icon), text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        self.row.addWidget(button)
        return button

    def _finish_row(self) -> None:
        self.row.addWidget(self.note, 1)

    def set_project(self, project: Project | None, _info: object = None) -> None:
        self._project = project
        self.update_buttons()

    def writable(self) -> bool:
        return self._project is not None and not self._project.read_only

    def update_buttons(self) -> None:  # pragma: no cover - overridden
        pass

    def _changed(self, *registers_changed: str) -> None:
        self.view.refresh()
        for register in registers_changed:
            self.view.records_changed.emit(register)
        self.update_buttons()


class FindingActionsPage(_ActionsPage):
    """The findings register with "Raise Nonconformity" buttons."""

    def __init__(self, view: RegisterView, parent: QWidget | None = None) -> None:
        super().__init__(view, parent)
        self.raise_button = self._button(
            "raise_nc",
            self.tr("Raise Nonconformity"),
            "add",
            self.tr("Raise a nonconformity (10.2) for each selected major or minor finding"),
        )
        self.raise_all_button = self._button(
            "raise_all_nc",
            self.tr("Raise for All Findings of This Audit"),
            "audit",
            self.tr("Raise a nonconformity for every nonconformity finding of the audit"),
        )
        self._finish_row()
        self.raise_button.clicked.connect(lambda: self.raise_selected())
        self.raise_all_button.clicked.connect(lambda: self.raise_for_audit())

    def _finding(self, code: str) -> dict[str, object]:
        if self._project is None:
            return {}
        try:
            return dict(registers.get(self._project, "findings", code).values)
        except IsmsError:
            return {}

    def update_buttons(self) -> None:
        project = self._project
        codes = self.view.selected_codes()[:200] if project is not None else []
        current = self.view.current_code()
        audit = self._finding(current).get("audit") if current else None
        try:
            # only findings that are nonconformities and have none yet: the buttons stayed
            # enabled after raising, and a click only said it was done already
            open_selected = nonconformities.raisable(project, codes) if project else []
            open_of_audit = (
                nonconformities.findings_to_raise(project, str(audit)) if project and audit else []
            )
        except IsmsError:
            open_selected, open_of_audit = [], []
        self.raise_button.setEnabled(self.writable() and bool(open_selected))
        self.raise_button.setToolTip(
            self.tr("Raise a nonconformity (10.2) for each selected major or minor finding")
            if open_selected or not codes
            else self.tr(
                "The selected findings are observations or improvements, or already have "
                "their nonconformity"
            )
        )
        self.raise_all_button.setEnabled(self.writable() and bool(open_of_audit))
        if audit and open_of_audit:
            text = self.tr("Raise for All Findings of {0} ({1})").format(audit, len(open_of_audit))
        elif audit:
            text = self.tr("All Findings of {0} Raised").format(audit)
        else:
            text = self.tr("Raise for All Findings of This Audit")
        self.raise_all_button.setText(text)

    def raise_selected(self, codes: list[str] | None = None) -> list[str]:
        """Nonconformities for the given (or selected) findings; returns the codes raised."""
        if self._project is None:
            return []
        made: list[str] = []
        problems: list[str] = []
        for code in codes if codes is not None else self.view.selected_codes():
            try:
                made.append(nonconformities.raise_from_finding(self._project, code))
            except IsmsError as exc:
                problems.append(str(exc))
        self._report(made, problems)
        return made

    def raise_for_audit(self, audit_code: str | None = None) -> list[str]:
        """Nonconformities for every nonconformity finding of the audit that has none yet."""
        if self._project is None:
            return []
        if audit_code is None:
            current = self.view.current_code()
            audit_code = str(self._finding(current).get("audit") or "") if current else ""
        if not audit_code:
            QMessageBox.information(
                self, self.tr("Raise Nonconformity"), self.tr("Select a finding of the audit.")
            )
            return []
        try:
            made = nonconformities.raise_for_audit(self._project, audit_code)
        except IsmsError as exc:
            self._report([], [str(exc)])
            return []
        if not made:
            QMessageBox.information(
                self,
                self.tr("Raise Nonconformity"),
                self.tr("Every nonconformity finding of {0} already has its nonconformity.").format(
                    audit_code
                ),
            )
            return []
        self._report(made, [])
        return made

    def _report(self, made: list[str], problems: list[str]) -> None:
        if made:
            self._push_undo(made)
            self._changed("nonconformities")
            self.note.setText(
                (
                    self.tr(
                        "Raised {0}: see Improvement › Nonconformities. (Edit ▸ Undo withdraws it.)"
                    )
                    if len(made) == 1
                    else self.tr(
                        "Raised {0}: see Improvement › Nonconformities. "
                        "(Edit ▸ Undo withdraws them.)"
                    )
                ).format(", ".join(made))
            )
        if problems:
            QMessageBox.warning(self, self.tr("Raise Nonconformity"), "\n".join(problems))

    def _push_undo(self, made: list[str]) -> None:
        """Edit ▸ Undo deletes what was raised (while nothing is recorded on it), Redo raises
        it again with the same codes."""
        if self._project is None:
            return
        try:
            raised = nonconformities.raised(self._project, made)
        except IsmsError:  # (deleted meanwhile: nothing to undo)
            return
        text = (
            self.tr("Raise Nonconformity {0}").format(made[0])
            if len(made) == 1
            else self.tr("Raise Nonconformities {0}").format(", ".join(made))
        )
        self.view.undo_stack().push(
            RaiseNcCommand(text, self._project, raised, lambda: self._undone(made), self._refused)
        )

    def _undone(self, made: list[str]) -> None:
        """After Edit ▸ Undo or Redo of raising: the registers, the buttons and the note."""
        with contextlib.suppress(RuntimeError):  # (the window may be closing)
            self._changed("nonconformities")
            self.note.setText(
                self.tr("Raised {0} again.").format(", ".join(made))
                if self._exists(made[0])
                else self.tr("{0} withdrawn: raising it was undone.").format(", ".join(made))
            )

    def _exists(self, code: str) -> bool:
        if self._project is None:
            return False
        try:
            registers.get(self._project, "nonconformities", code)
        except IsmsError:
            return False
        return True

    def _refused(self, message: str) -> None:
        with contextlib.suppress(RuntimeError):
            QMessageBox.warning(self, self.tr("Raise Nonconformity"), message)
            self._changed("nonconformities")


class AuditActionsPage(_ActionsPage):
    """The audits register with "Complete Audit…"."""

    def __init__(self, view: RegisterView, parent: QWidget | None = None) -> None:
        super().__init__(view, parent)
        self.complete_button = self._button(
            "complete_audit",
            self.tr("Complete Audit…"),
            "approve",
            self.tr("Sign the audit off; findings are raised from its checklist"),
        )
        self._finish_row()
        self.complete_button.clicked.connect(self.ask_complete)

    def _summary_of(self, code: str) -> audits.AuditSummary | None:
        if self._project is None or not code:
            return None
        try:
            return audits.audit(self._project, code)
        except IsmsError:
            return None

    def _status_of(self, code: str) -> str:
        summary = self._summary_of(code)
        return (summary.status or "planned") if summary is not None else ""

    def update_buttons(self) -> None:
        code = self.view.current_code() or ""
        summary = self._summary_of(code)
        status = (summary.status or "planned") if summary is not None else ""
        # an audit with unanswered items was offered too, and only refused after the
        # dialog (with the summary typed in it lost)
        open_items = summary.unanswered if summary is not None else 0
        self.complete_button.setEnabled(
            self.writable() and status == "in_progress" and not open_items
        )
        if status == "planned":
            tip = self.tr(
                "{0} has not started: answer its checklist in Audit ▸ Work through Checklist… first"
            ).format(code)
        elif status == "in_progress" and open_items:
            tip = self.tr(
                "{0} checklist item(s) of {1} have no result yet: record one for each in "
                "Audit ▸ Work through Checklist… (or mark it Not audited)"
            ).format(open_items, code)
        elif status in ("", "in_progress"):
            tip = self.tr("Sign the audit off; findings are raised from its checklist")
        else:
            tip = self.tr("{0} is {1}").format(code, status.replace("_", " "))
        self.complete_button.setToolTip(tip)

    def complete(
        self, code: str, signed_off_by: str, on: dt.date | None = None, summary: str = ""
    ) -> list[str] | None:
        """Complete and sign off; returns the findings raised (None when refused)."""
        project = self._project
        if project is None:
            return None
        try:
            before = audits.state(project, code)
            found = audits.complete(
                project, code, summary=summary, signed_off_by=signed_off_by, signed_off_on=on
            )
            after = audits.state(project, code)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Complete Audit"), str(exc))
            return None
        # Edit ▸ Undo reopens it: the sign-off put back, the findings it raised deleted
        self.view.undo_stack().push(
            CompleteAuditCommand(
                self.tr("Complete Audit {0}").format(code),
                project,
                (before, after),
                lambda: self._undone(code),
                self._refused,
            )
        )
        self._changed("findings")
        self.note.setText(
            self.tr("{0} completed; findings raised: {1}. (Edit ▸ Undo reopens it.)").format(
                code, ", ".join(found) or self.tr("none")
            )
        )
        return found

    def _undone(self, code: str) -> None:
        """After Edit ▸ Undo or Redo of a completion: the registers and the note."""
        with contextlib.suppress(RuntimeError):  # (the window may be closing)
            self._changed("findings")
            status = self._status_of(code)
            self.note.setText(
                self.tr("{0} completed again.").format(code)
                if status == "completed"
                else self.tr("{0} reopened: completing it was undone.").format(code)
            )

    def _refused(self, message: str) -> None:
        with contextlib.suppress(RuntimeError):
            QMessageBox.warning(self, self.tr("Complete Audit"), message)
            self._changed("findings")

    def ask_complete(self) -> None:
        code = self.view.current_code()
        if self._project is None or not code:
            return
        try:
            summary = audits.audit(self._project, code)
            raises = audits.findings_to_raise(self._project, code)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Complete Audit"), str(exc))
            return
        dialog = CompleteAuditDialog(
            code, summary.summary, self, signer=summary.lead_auditor, raises=raises
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            name, on, text = dialog.values()
            self.complete(code, name, on, text)
