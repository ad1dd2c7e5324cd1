"""The follow-up of the selected incident beside its register.

The notification deadline (72 hours after detection, where the authority must be told) in a
colour for its state, the handling steps with the next one in words, the incident's facts,
its lessons learned and the improvements raised from it, and the buttons: the next step
(Mark Contained, Mark Resolved, Close Incident), Record Notification…, Record Lessons
Learned… and Raise Improvement…. Each button's dialog hands its values to a method
(``record_notification(at)``, ``record_lessons(text)``, ``raise_improvement(kind, …)``,
``advance()``); every step goes on the window's undo stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
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
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import incidents, registers
from isms_desktop.services.incidents import IncidentFollowUp
from isms_desktop.services.projects import Project
from isms_desktop.ui.icons import action_icon
from isms_desktop.ui.improvement.detail_form import add_detail_rows, panel_frame
from isms_desktop.ui.improvement.dialogs import ImprovementDialog, NotificationDialog, TextDialog
from isms_desktop.ui.improvement.nonconformity_panel import breakable
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


ADVANCE_TEXTS = {
    "contained": "Mark Contained",
    "resolved": "Mark Resolved",
    "closed": "Close Incident",
}


# the same with an Alt+letter of their own
ADVANCE_BUTTONS = {
    "contained": "Mark &Contained",
    "resolved": "Mark &Resolved",
    "closed": "&Close Incident",
}


def _when(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


class IncidentPanel(QWidget):
    """Notification deadline, handling steps and improvements of one incident."""

    changed = Signal(str)

    def __init__(self, view: RegisterView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_panel")
        self.view = view
        self._project: Project | None = None
        self._error = ""
        self.follow: IncidentFollowUp | None = None
        self.values: dict[str, Any] = {}
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now().replace(microsecond=0)
        # the placeholder is shown instead of the follow-up while no incident is selected
        self.placeholder, self.content, outer, self.title_label = panel_frame(
            self, "incident_placeholder"
        )
        self.steps = StepBar(INCIDENT_FLOW, INCIDENT_LABELS, self.content)
        outer.addWidget(self.steps)
        self.missing_label = QLabel(self.content)
        self.missing_label.setObjectName("incident_next")
        self.missing_label.setWordWrap(True)
        outer.addWidget(self.missing_label)
        self.deadline_label = QLabel(self.content)
        self.deadline_label.setObjectName("deadline_label")
        self.deadline_label.setWordWrap(True)
        outer.addWidget(self.deadline_label)
        self.advance_button = QPushButton(action_icon("approve"), "", self.content)
        self.advance_button.setObjectName("incident_advance")
        self.advance_button.clicked.connect(self.advance)
        self.notify_button = QPushButton(
            action_icon("approve"), self.tr("Record &Notification…"), self.content
        )
        self.notify_button.setObjectName("incident_notify")
        self.notify_button.clicked.connect(self.ask_record_notification)
        self.lessons_button = QPushButton(
            action_icon("edit"), self.tr("Record &Lessons Learned…"), self.content
        )
        self.lessons_button.setObjectName("incident_lessons")
        self.lessons_button.setToolTip(
            self.tr("What the organisation learned from it (needed before closing)")
        )
        self.lessons_button.clicked.connect(self.ask_record_lessons)
        self.improve_button = QPushButton(
            action_icon("add"), self.tr("Raise &Improvement…"), self.content
        )
        self.improve_button.setObjectName("incident_improve")
        self.improve_button.setToolTip(
            self.tr("Raise a nonconformity or an improvement action from this incident")
        )
        self.improve_button.clicked.connect(self.ask_raise_improvement)
        self.button_grid = QGridLayout()
        self.button_grid.setSpacing(4)
        outer.addLayout(self.button_grid)

        scroll = QScrollArea(self.content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 6, 0, 0)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        body_layout.addLayout(self.form)
        body_layout.addStretch(1)
        self.fields = add_detail_rows(
            self.form,
            body,
            (
                ("occurred", self.tr("Occurred:")),
                ("detected", self.tr("Detected:")),
                ("reporter", self.tr("Reported by:")),
                ("severity", self.tr("Severity:")),
                ("description", self.tr("Description:")),
                ("response", self.tr("Response:")),
                ("lessons", self.tr("Lessons learned:")),
                ("linked", self.tr("Improvements:")),
            ),
        )
        # the names the tests and older code know these by
        self.linked_label = self.fields["linked"]
        self.lessons_label = self.fields["lessons"]
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        # the hours left to the notification deadline go on counting while the window is open
        self.clock = QTimer(self)
        self.clock.setInterval(60_000)
        self.clock.timeout.connect(self._tick)
        self.clock.start()
        view.current_changed.connect(self.show_code)
        view.records_changed.connect(lambda _r: self.reload())
        # the register loads its rows when first shown: "no record yet" or "select one"
        for signal in (view.model.modelReset, view.model.rowsInserted, view.model.rowsRemoved):
            signal.connect(lambda *_a: self._update_placeholder())
        self.show_code("")

    def _tick(self) -> None:
        f = self.follow
        if f is not None and self.isVisible() and f.notification.state in ("due", "overdue"):
            self.reload()

    def set_project(self, project: Project | None, _info: object = None) -> None:
        self._project = project
        self.show_code(self.view.current_code() or "")

    def show_code(self, code: str) -> None:
        self.follow = None
        self.values = {}
        self._error = ""
        if self._project is not None and code:
            try:
                self.follow = incidents.follow_up(self._project, code, self.now())
                self.values = registers.get(self._project, "incidents", code).values
            except IsmsError as exc:
                self.follow = None
                self._error = str(exc)  # (was written to the title, then overwritten)
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

    def _update_placeholder(self) -> None:
        if self.follow is None:
            self.placeholder.setText(self.placeholder_text())

    def placeholder_text(self) -> str:
        if self._error:
            return self._error
        if self._project is None:
            return ""
        if self.view.model.rowCount() == 0:
            return self.tr("No incident to show. Record one with Add.")
        return self.tr(
            "Select an incident in the list to see its handling, the notification deadline, "
            "its lessons learned and the improvements raised from it."
        )

    def guidance(self) -> str:
        """The next step in words, naming the button that takes it."""
        f = self.follow
        if f is None:
            return ""
        lessons = str(self.values.get("lessons_learned") or "").strip()
        unnotified = (
            self.values.get("notification_required") is True
            and self.values.get("notified_at") is None
        )
        match f.status:
            case "open":
                text = self.tr(
                    "Next step: contain the incident (stop the damage spreading), then click "
                    "Mark Contained."
                )
            case "contained":
                text = self.tr(
                    "Next step: resolve it (systems and data back to normal), then click "
                    "Mark Resolved."
                )
            case "resolved":
                wanted = []
                if not lessons:
                    wanted.append(self.tr("record the lessons learned (Record Lessons Learned…)"))
                if unnotified:
                    wanted.append(
                        self.tr("record when the authority was notified (Record Notification…)")
                    )
                if wanted:
                    text = self.tr("Before it can be closed: {0}.").format(
                        self.tr("; ").join(wanted)
                    )
                else:
                    text = self.tr("Raise any improvement it calls for, then click Close Incident.")
            case _:
                text = self.tr("Closed.")
        if self._project is not None and self._project.read_only and f.status != "closed":
            text += " " + self.tr("(The project is open read-only.)")
        return text

    def _people(self) -> dict[str, str]:
        if self._project is None:
            return {}
        return dict(registers.reference_choices(self._project, "people"))

    def _linked_with_status(self, f: IncidentFollowUp) -> list[str]:
        """The improvements raised, each with where it stands ("NC-004 (Action planned)")."""
        if self._project is None:
            return []
        found = []
        for register, codes in (("nonconformities", f.nonconformities), ("actions", f.actions)):
            status_field = SPECS[register].field("status")
            for code in codes:
                try:
                    status = str(registers.get(self._project, register, code).values["status"])
                except IsmsError:
                    found.append(code)
                    continue
                label = status_field.choice_labels.get(status, status.replace("_", " "))
                found.append(f"{code} ({label})")
        return found

    def _fill(self) -> None:
        f = self.follow
        self.content.setVisible(f is not None)
        self.placeholder.setVisible(f is None)
        writable = self._project is not None and not self._project.read_only
        buttons = (
            self.advance_button,
            self.notify_button,
            self.lessons_button,
            self.improve_button,
        )
        if f is None:
            self.placeholder.setText(self.placeholder_text())
            self.title_label.setText("")
            self.steps.set_current("")
            for label in (self.missing_label, self.deadline_label, *self.fields.values()):
                label.setText("")
            self.deadline_label.setStyleSheet("")
            for button in buttons:
                button.setEnabled(False)
            self.advance_button.setVisible(False)  # its label names the next step: none yet
            return
        v = self.values
        self.title_label.setText(f"{f.code} — {v.get('title', '')}")
        self.steps.set_current(f.status)
        self.missing_label.setText(self.guidance())
        state = f.notification
        background, colour = STATE_COLOURS.get(state.state, STATE_COLOURS["unknown"])
        notice = self.tr("Notification: {0}").format(state.text)
        if state.state == "unknown" and f.status != "closed":
            # where that decision is recorded was nowhere said
            notice += "\n" + self.tr(
                "Set Notification required with Edit (Record Notification… once it is made)."
            )
        self.deadline_label.setText(notice)
        self.deadline_label.setStyleSheet(
            f"QLabel {{ background: {background}; color: {colour}; border-radius: 3px;"
            " padding: 6px; font-weight: bold; }"
        )
        self.deadline_label.setProperty("state", state.state)
        missing = self.missing_for_next()
        self.advance_button.setText(self.tr(ADVANCE_BUTTONS.get(f.next_status or "", "")))
        self.advance_button.setVisible(writable and f.next_status is not None)
        self.advance_button.setEnabled(writable and f.next_status is not None and not missing)
        self.advance_button.setToolTip(missing[:1].upper() + missing[1:] if missing else "")
        needs_notice = v.get("notification_required") is not False
        # once recorded, a second click would silently overwrite when the authority was told
        notified = v.get("notified_at") is not None
        self.notify_button.setVisible(writable and needs_notice and f.status != "closed")
        self.notify_button.setEnabled(writable and needs_notice and not notified)
        self.notify_button.setToolTip(
            self.tr("The notification is recorded; change its time in the register if wrong")
            if notified
            else self.tr("Record when the authority was notified")
        )
        self.lessons_button.setVisible(writable and f.status != "closed")
        self.lessons_button.setEnabled(writable and f.status != "closed")
        self.improve_button.setVisible(writable)
        self.improve_button.setEnabled(writable)
        grid = self.button_grid
        for button in buttons:
            grid.removeWidget(button)
        shown = [b for b in buttons if not b.isHidden()]
        for i, button in enumerate(shown):
            grid.addWidget(button, i // 2, i % 2)
        people = self._people()
        reporter = str(v.get("reporter") or "")
        self.fields["occurred"].setText(_when(v.get("occurred_at")) or "—")
        self.fields["detected"].setText(_when(v.get("detected_at")) or "—")
        self.fields["reporter"].setText(people.get(reporter, reporter) or "—")
        severity = str(v.get("severity") or "")
        self.fields["severity"].setText(
            SPECS["incidents"].field("severity").choice_labels.get(severity, severity) or "—"
        )
        self.fields["description"].setText(breakable(str(v.get("description") or "")) or "—")
        self.fields["response"].setText(breakable(str(v.get("response") or "")) or "—")
        lessons = str(v.get("lessons_learned") or "")
        self.fields["lessons"].setText(breakable(lessons) or self.tr("(not yet recorded)"))
        linked = self._linked_with_status(f)
        self.fields["linked"].setText(", ".join(linked) if linked else self.tr("None raised yet."))

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
        title = self.tr(ADVANCE_TEXTS.get(target, "Incident"))
        return bool(self._run(title, lambda p, c: incidents.transition(p, c, target)))

    def record_notification(self, at: dt.datetime | None = None) -> bool:
        return bool(
            self._run(
                self.tr("Record Notification"),
                lambda p, c: incidents.record_notification(p, c, at),
            )
        )

    def record_lessons(self, text: str) -> bool:
        return bool(
            self._run(
                self.tr("Record Lessons Learned"),
                lambda p, c: incidents.record_lessons_learned(p, c, text),
            )
        )

    def raise_improvement(
        self,
        kind: str,
        title: str = "",
        description: str = "",
        owner: str | None = None,
        due_date: dt.date | None = None,
        requirement: str = "",
        severity: str = "minor",
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
                requirement=requirement,
                severity=severity,
            ),
            "nonconformities" if kind == "nonconformity" else "actions",
        )
        if isinstance(made, str):
            where = (
                self.tr(
                    "Raised {0}. It is in the Nonconformities list, where its cause is "
                    "analysed next."
                )
                if kind == "nonconformity"
                else self.tr("Raised {0}. It is in the All Actions list.")
            )
            QMessageBox.information(self, self.tr("Raise Improvement"), where.format(made))
            return made
        return None

    def ask_record_notification(self) -> None:
        if self.follow is None:
            return
        detected = self.values.get("detected_at")
        dialog = NotificationDialog(
            self.follow.code, self, detected if isinstance(detected, dt.datetime) else None
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.record_notification(dialog.value())

    def ask_record_lessons(self) -> None:
        if self.follow is None:
            return
        dialog = TextDialog(
            self.tr("Record Lessons Learned from {0}").format(self.follow.code),
            self.tr(
                "What did the incident teach: what worked, what did not, and what should "
                "change? Needed before the incident is closed."
            ),
            self.tr("&Lessons learned:"),
            str(self.values.get("lessons_learned") or ""),
            self,
            self.tr("Record Lessons"),
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.record_lessons(dialog.text())

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
                str(v.get("requirement") or ""),
                str(v.get("severity") or "minor"),
            )
