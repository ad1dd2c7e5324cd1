"""The follow-up of the selected incident beside its register.

The notification deadline (72 hours after detection, where the authority must be told) in a
colour for its state, the handling steps, the improvements raised from it, and the buttons:
next step, Record notification…, Raise improvement…. Each button's dialog hands its values
to a method (``record_notification(at)``, ``raise_improvement(kind, …)``, ``advance()``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.audit_incidents import (
    INCIDENT_FLOW,
    IncidentFacts,
    IncidentTransitionError,
    check_incident_transition,
)
from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import incidents, registers
from isms_desktop.services.incidents import IncidentFollowUp
from isms_desktop.services.projects import Project
from isms_desktop.ui.icons import action_icon
from isms_desktop.ui.improvement.dialogs import ImprovementDialog, NotificationDialog
from isms_desktop.ui.improvement.step_bar import StepBar
from isms_desktop.ui.improvement.undo_steps import step_command
from isms_desktop.ui.registers.register_view import RegisterView

INCIDENT_LABELS = {
    "open": "Open",
    "contained": "Contained",
    "resolved": "Resolved",
    "closed": "Closed",
}
# Background, text colour per notification state.
STATE_COLOURS = {
    "not_required": ("#eceff1", "#37474f"),
    "unknown": ("#fff4d6", "#6b4e00"),
    "due": ("#ffe0b2", "#7a3e00"),
    "overdue": ("#f8d0d0", "#8a1010"),
    "on_time": ("#d7eedb", "#1d5a2a"),
    "late": ("#f3dccb", "#6d3412"),
}


class IncidentPanel(QWidget):
    """Notification deadline, handling steps and improvements of one incident."""

    changed = Signal(str)

    def __init__(self, view: RegisterView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_panel")
        self.view = view
        self._project: Project | None = None
        self.follow: IncidentFollowUp | None = None
        self.values: dict[str, Any] = {}
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now().replace(microsecond=0)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 0, 0, 0)
        self.title_label = QLabel(self)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        outer.addWidget(self.title_label)
        self.steps = StepBar(INCIDENT_FLOW, INCIDENT_LABELS, self)
        outer.addWidget(self.steps)
        self.missing_label = QLabel(self)
        self.missing_label.setWordWrap(True)
        outer.addWidget(self.missing_label)
        self.deadline_label = QLabel(self)
        self.deadline_label.setObjectName("deadline_label")
        self.deadline_label.setWordWrap(True)
        outer.addWidget(self.deadline_label)
        row = QHBoxLayout()
        self.advance_button = QPushButton(action_icon("approve"), "", self)
        self.advance_button.setObjectName("incident_advance")
        self.advance_button.clicked.connect(self.advance)
        self.notify_button = QPushButton(action_icon("approve"), self.tr("Record Notification…"))
        self.notify_button.setObjectName("incident_notify")
        self.notify_button.clicked.connect(self.ask_record_notification)
        self.improve_button = QPushButton(action_icon("add"), self.tr("Raise Improvement…"))
        self.improve_button.setObjectName("incident_improve")
        self.improve_button.clicked.connect(self.ask_raise_improvement)
        for button in (self.advance_button, self.notify_button, self.improve_button):
            row.addWidget(button)
        row.addStretch(1)
        outer.addLayout(row)
        self.linked_label = QLabel(self)
        self.linked_label.setWordWrap(True)
        outer.addWidget(self.linked_label)
        self.lessons_label = QLabel(self)
        self.lessons_label.setWordWrap(True)
        outer.addWidget(self.lessons_label)
        outer.addStretch(1)
        view.current_changed.connect(self.show_code)
        view.records_changed.connect(lambda _r: self.reload())
        self.show_code("")

    def set_project(self, project: Project | None, _info: object = None) -> None:
        self._project = project
        self.show_code(self.view.current_code() or "")

    def show_code(self, code: str) -> None:
        self.follow = None
        self.values = {}
        if self._project is not None and code:
            try:
                self.follow = incidents.follow_up(self._project, code, self.now())
                self.values = registers.get(self._project, "incidents", code).values
            except IsmsError as exc:
                self.follow = None
                self.title_label.setText(str(exc))
        self._fill()

    def reload(self) -> None:
        self.show_code(self.follow.code if self.follow else (self.view.current_code() or ""))

    def missing_for_next(self) -> str:
        f = self.follow
        if f is None or f.next_status is None:
            return ""
        facts = IncidentFacts(
            f.code,
            f.status,
            str(self.values.get("lessons_learned") or ""),
            self.values.get("notification_required"),
            self.values.get("notified_at"),
        )
        try:
            check_incident_transition(facts, f.next_status)
        except IncidentTransitionError as exc:
            return str(exc).removeprefix(f"{f.code}: ")
        return ""

    def _fill(self) -> None:
        f = self.follow
        self.setEnabled(f is not None)
        writable = self._project is not None and not self._project.read_only
        if f is None:
            self.title_label.setText(self.tr("Select an incident"))
            self.steps.set_current("")
            for label in (self.missing_label, self.deadline_label, self.linked_label):
                label.setText("")
            self.lessons_label.setText("")
            self.deadline_label.setStyleSheet("")
            for button in (self.advance_button, self.notify_button, self.improve_button):
                button.setEnabled(False)
            self.advance_button.setVisible(False)  # its label names the next step: none yet
            return
        self.title_label.setText(f"{f.code} — {self.values.get('title', '')}")
        self.steps.set_current(f.status)
        missing = self.missing_for_next()
        if f.next_status is None:
            self.missing_label.setText(self.tr("Closed."))
        elif missing:
            step = INCIDENT_LABELS.get(f.next_status, f.next_status).lower()
            self.missing_label.setText(self.tr("Before {0}: {1}").format(step, missing))
        else:
            self.missing_label.setText("")
        state = f.notification
        background, colour = STATE_COLOURS.get(state.state, STATE_COLOURS["unknown"])
        self.deadline_label.setText(self.tr("Notification: {0}").format(state.text))
        self.deadline_label.setStyleSheet(
            f"QLabel {{ background: {background}; color: {colour}; border-radius: 3px;"
            " padding: 6px; font-weight: bold; }"
        )
        self.deadline_label.setProperty("state", state.state)
        self.advance_button.setText(
            self.tr("Mark {0}").format(INCIDENT_LABELS.get(f.next_status or "", "").lower())
        )
        self.advance_button.setVisible(f.next_status is not None)
        self.advance_button.setEnabled(writable and f.next_status is not None and not missing)
        needs_notice = self.values.get("notification_required") is not False
        self.notify_button.setVisible(needs_notice)
        # once recorded, a second click would silently overwrite when the authority was told
        notified = self.values.get("notified_at") is not None
        self.notify_button.setEnabled(writable and needs_notice and not notified)
        self.notify_button.setToolTip(
            self.tr("The notification is recorded; change its time in the register if wrong")
            if notified
            else self.tr("Record when the authority was notified")
        )
        self.improve_button.setEnabled(writable)
        linked = [*f.nonconformities, *f.actions]
        self.linked_label.setText(
            self.tr("Improvements raised: {0}").format(", ".join(linked))
            if linked
            else self.tr("No improvement raised yet.")
        )
        lessons = str(self.values.get("lessons_learned") or "")
        self.lessons_label.setText(
            self.tr("Lessons learned: {0}").format(lessons or self.tr("(not yet recorded)"))
        )

    # -- doing -------------------------------------------------------------------------------

    def _run(self, title: str, work: Callable[[Project, str], Any], created_in: str = "") -> Any:
        """Do one step; it goes on the window's undo stack (a raised record: undo deletes it)."""
        if self._project is None or self.follow is None:
            return None
        project = self._project
        code = self.follow.code
        try:
            before = incidents.state(project, code)
            result = work(project, code)
            after = incidents.state(project, code)
        except IsmsError as exc:
            QMessageBox.warning(self, title, str(exc))
            self.reload()
            return None
        command = step_command(
            self.tr("{0} ({1})").format(title, result if isinstance(result, str) else code),
            project,
            created_in or "incidents",
            code,
            result if created_in else None,
            (before, after),
            lambda wanted, now: incidents.restore_state(project, wanted, expected=now),
            self._undone,
            lambda m: self._refused(title, m),
        )
        if command is not None:
            self.view.undo_stack().push(command)
        self.view.refresh()
        self.view.records_changed.emit(self.view.register)
        self.show_code(code)
        self.changed.emit(code)
        return result if result is not None else True

    def _undone(self) -> None:
        self.view.refresh()
        for register in (self.view.register, "nonconformities", "actions"):
            self.view.records_changed.emit(register)
        self.reload()

    def _refused(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def advance(self) -> bool:
        """Move the incident to its next handling step."""
        target = self.follow.next_status if self.follow else None
        if target is None:
            return False
        return bool(self._run(self.tr("Incident"), lambda p, c: incidents.transition(p, c, target)))

    def record_notification(self, at: dt.datetime | None = None) -> bool:
        return bool(
            self._run(
                self.tr("Record Notification"),
                lambda p, c: incidents.record_notification(p, c, at),
            )
        )

    def raise_improvement(
        self,
        kind: str,
        title: str = "",
        description: str = "",
        owner: str | None = None,
        due_date: dt.date | None = None,
    ) -> str | None:
        """Raise a nonconformity or an improvement action; returns its code."""
        made = self._run(
            self.tr("Raise Improvement"),
            lambda p, c: incidents.raise_improvement(
                p,
                c,
                kind=kind,
                title=title,
                description=description,
                owner=owner,
                due_date=due_date,
            ),
            "nonconformities" if kind == "nonconformity" else "actions",
        )
        if isinstance(made, str):
            QMessageBox.information(
                self, self.tr("Raise Improvement"), self.tr("Raised {0}.").format(made)
            )
            return made
        return None

    def ask_record_notification(self) -> None:
        if self.follow is None:
            return
        dialog = NotificationDialog(self.follow.code, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.record_notification(dialog.value())

    def ask_raise_improvement(self) -> None:
        if self.follow is None or self._project is None:
            return
        people = registers.reference_choices(self._project, "people")
        dialog = ImprovementDialog(self.follow.code, people, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            v = dialog.values()
            due = v["due_date"]
            self.raise_improvement(
                str(v["kind"]),
                str(v["title"]),
                str(v["description"]),
                str(v["owner"]) if v["owner"] else None,
                due if isinstance(due, dt.date) else None,
            )
