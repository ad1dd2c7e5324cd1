"""The detail of the selected nonconformity beside its register, with its next steps.

Each button opens a dialog and hands the values to a method of the same name without the
``ask_`` prefix (``ask_analyse_cause`` → ``analyse_cause(whys, root_cause)``), which calls
the service, reports a refusal in one clear message and refreshes the register.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.audit_nonconformity import (
    NC_FLOW,
    NC_LABELS,
    ActionFacts,
    NcFacts,
    NcTransitionError,
    check_nc_transition,
    next_status,
)
from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import nonconformities, registers
from isms_desktop.services.nonconformities import NcDetail
from isms_desktop.services.projects import Project
from isms_desktop.ui.icons import action_icon
from isms_desktop.ui.improvement.detail_form import add_detail_rows, panel_frame
from isms_desktop.ui.improvement.dialogs import ActionDialog, TextDialog, VerifyDialog, WhysDialog
from isms_desktop.ui.improvement.step_bar import StepBar
from isms_desktop.ui.improvement.undo_steps import step_command
from isms_desktop.ui.registers.register_view import RegisterView

_FINISHED = ("done", "cancelled")
_OVERDUE = QColor("#b3261e")


_LONG_WORD = re.compile(r"\S{30,}")
_BREAK = "\u200b"  # zero-width space: a place where a line may break


def breakable(text: str) -> str:
    """Text whose long words (paths, addresses) may wrap in a label: a word longer than the
    panel is wide made the whole detail scroll sideways, cutting every line."""

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        word = re.sub(r"([/\\_.\-?&=])", rf"\1{_BREAK}", word)
        return re.sub(rf"([^{_BREAK}]{{24}})(?=[^{_BREAK}])", rf"\1{_BREAK}", word)

    return _LONG_WORD.sub(split, text)


def _label(register: str, field: str, value: str) -> str:
    """A stored choice as the register shows it ("Minor", not "minor")."""
    return SPECS[register].field(field).choice_labels.get(value, value.replace("_", " "))


# Short enough for six steps side by side in the panel.
STEP_LABELS = {
    **NC_LABELS,
    "action_planned": "Planned",
    "implemented": "Actions done",
    "verified": "Verified",
}


def missing_for_next(detail: NcDetail) -> str:
    """What the domain rules still want before the next step ('' when nothing)."""
    target = next_status(detail.status)
    if target is None:
        return ""
    facts = NcFacts(
        code=detail.code,
        status=detail.status,
        root_cause=detail.root_cause,
        actions=tuple(
            ActionFacts(a.code, a.status, a.owner or None, a.due_date) for a in detail.actions
        ),
        verified_by=detail.verified_by or None,
        verified_on=detail.verified_on,
        verification=detail.verification,
        effective=detail.effective,
    )
    try:
        check_nc_transition(facts, target)
    except NcTransitionError as exc:
        return str(exc).removeprefix(f"{detail.code}: ")
    return ""


class NonconformityPanel(QWidget):
    """Status, cause, actions and verification of one nonconformity, and its next steps."""

    changed = Signal(str)  # the code of the nonconformity changed through the panel

    def __init__(self, view: RegisterView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nonconformity_panel")
        self.view = view
        self._project: Project | None = None
        self.detail: NcDetail | None = None
        self._error = ""
        # the placeholder is shown instead of the detail while no nonconformity is selected
        # (a page of greyed buttons and empty fields told the user nothing)
        self.placeholder, self.content, outer, self.title_label = panel_frame(
            self, "nc_placeholder"
        )
        self.steps = StepBar(NC_FLOW, STEP_LABELS, self.content)
        outer.addWidget(self.steps)
        self.missing_label = QLabel(self.content)
        self.missing_label.setObjectName("missing_label")
        self.missing_label.setWordWrap(True)
        outer.addWidget(self.missing_label)

        # each with an Alt+letter of its own (none of the menu bar's letters)
        self.buttons: dict[str, QPushButton] = {}
        self.button_grid = grid = QGridLayout()
        grid.setSpacing(4)
        for i, (name, text, icon, slot) in enumerate(
            (
                ("correction", self.tr("Record &Correction…"), "edit", self.ask_record_correction),
                ("cause", self.tr("Analyse Ca&use…"), "find", self.ask_analyse_cause),
                ("add_action", self.tr("Add Corrective Ac&tion…"), "add", self.ask_add_action),
                ("plan", self.tr("Actions Pla&nned"), "approve", self.plan_actions),
                ("done", self.tr("&Mark Action Done"), "approve", self.complete_selected_action),
                ("implemented", self.tr("All Actions D&one"), "approve", self.actions_done),
                ("verify", self.tr("Verify Effect&iveness…"), "audit", self.ask_verify),
                ("close", self.tr("C&lose Nonconformity"), "approve", self.close_nc),
            )
        ):
            button = QPushButton(action_icon(icon), text, self.content)
            button.setObjectName(f"nc_{name}")
            button.clicked.connect(slot)
            self.buttons[name] = button
            grid.addWidget(button, i // 2, i % 2)
        outer.addLayout(grid)

        scroll = QScrollArea(self.content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 6, 0, 0)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        body_layout.addLayout(self.form)
        body_layout.addStretch(1)  # spare room below the detail, not between its rows
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields = add_detail_rows(
            self.form,
            body,
            (
                ("source", self.tr("Raised from:")),
                ("raised", self.tr("Raised on:")),
                ("requirement", self.tr("Requirement:")),
                ("severity", self.tr("Severity:")),
                ("description", self.tr("Description:")),
                ("correction", self.tr("Correction:")),
                ("whys", self.tr("5 whys:")),
                ("root_cause", self.tr("Root cause:")),
                ("verification", self.tr("Effectiveness:")),
            ),
        )
        self.actions_tree = QTreeWidget(body)
        self.actions_tree.setObjectName("nc_actions")
        self.actions_tree.setHeaderLabels(
            [self.tr("Action"), self.tr("Owner"), self.tr("Due"), self.tr("Status")]
        )
        self.actions_tree.setRootIsDecorated(False)
        self.actions_tree.setUniformRowHeights(True)
        self.actions_tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.actions_tree.header()
        header.setStretchLastSection(False)
        # the title takes the room; owner, due date and status are short
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.actions_tree.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.form.addRow(QLabel(self.tr("Corrective actions:"), body))
        self.no_actions_label = QLabel(body)
        self.no_actions_label.setObjectName("nc_no_actions")
        self.no_actions_label.setWordWrap(True)
        self.form.addRow(self.no_actions_label)
        self.form.addRow(self.actions_tree)
        scroll.setWidget(body)
        self.detail_scroll = scroll
        outer.addWidget(scroll, 1)

        view.current_changed.connect(self.show_code)
        view.records_changed.connect(lambda _r: self.reload())
        # the register loads its rows when first shown: "no record yet" or "select one"
        for signal in (view.model.modelReset, view.model.rowsInserted, view.model.rowsRemoved):
            signal.connect(lambda *_a: self._update_placeholder())
        self.show_code("")

    # -- what is shown -----------------------------------------------------------------------

    def set_project(self, project: Project | None, _info: object = None) -> None:
        self._project = project
        self.show_code(self.view.current_code() or "")

    def show_code(self, code: str) -> None:
        self.detail = None
        self._error = ""
        if self._project is not None and code:
            try:
                self.detail = nonconformities.detail(self._project, code)
            except IsmsError as exc:
                self._error = str(exc)  # (was written to the title, then overwritten)
        self._fill()

    def reload(self) -> None:
        self.show_code(self.detail.code if self.detail else (self.view.current_code() or ""))

    def _update_placeholder(self) -> None:
        if self.detail is None:
            self.placeholder.setText(self.placeholder_text())

    def placeholder_text(self) -> str:
        """What the panel says while no nonconformity is shown."""
        if self._error:
            return self._error
        if self._project is None:
            return ""
        if self.view.model.rowCount() == 0:
            return self.tr(
                "No nonconformity to show. Raise one with Add, from an audit finding (Audits "
                "tab, Findings) or from an incident (Incidents, Raise Improvement…)."
            )
        return self.tr(
            "Select a nonconformity in the list to see where it stands in its corrective "
            "action, what was found and done, and what to do next."
        )

    def guidance(self) -> str:
        """The next step in words, naming the button that takes it ('' with no record)."""
        d = self.detail
        if d is None:
            return ""
        live = [a for a in d.actions if a.status != "cancelled"]
        pending = [a.code for a in live if a.status not in _FINISHED]
        match d.status:
            case "open":
                text = self.tr(
                    "Next step: analyse the cause. Click Analyse Cause… and ask “why?” until "
                    "you reach the root cause."
                )
            case "cause_analysed" if not live:
                text = self.tr(
                    "Next step: plan the corrective action. Add at least one with Add "
                    "Corrective Action…, then click Actions Planned."
                )
            case "cause_analysed":
                missing = missing_for_next(d)
                if missing:
                    text = self.tr(
                        "Before the actions are planned: {0}. Double-click an action below to "
                        "set it in All Actions."
                    )
                    text = text.format(missing)
                else:
                    text = self.tr("Add any further corrective action, then click Actions Planned.")
            case "action_planned" if pending:
                text = self.tr(
                    "Next step: carry out the corrective actions. Still open: {0}. Select one "
                    "below and click Mark Action Done once it is done."
                ).format(", ".join(pending))
            case "action_planned" if not live:
                text = self.tr(
                    "No corrective action is left (removed or cancelled): add one with Add "
                    "Corrective Action…"
                )
            case "action_planned" if self._all_done_offered(d):
                text = self.tr(
                    "Every corrective action is done: click All Actions Done to go on to the "
                    "effectiveness check."
                )
            case "action_planned":
                text = self.tr(
                    "The last check found the actions not effective: add a further corrective "
                    "action with Add Corrective Action…"
                )
            case "implemented":
                text = self.tr(
                    "All corrective actions are done. Next step: check that they removed the "
                    "cause, with Verify Effectiveness…"
                )
            case "verified":
                text = self.tr("The actions were effective. Click Close Nonconformity.")
            case _:
                text = self.tr("Closed. Nothing more to do.")
        if self._project is not None and self._project.read_only and d.status != "closed":
            text += " " + self.tr("(The project is open read-only.)")
        return text

    def _fill(self) -> None:
        d = self.detail
        self.content.setVisible(d is not None)
        self.placeholder.setVisible(d is None)
        if d is None:
            self.placeholder.setText(self.placeholder_text())
            self.title_label.setText("")
            self.steps.set_current("")
            self.missing_label.setText("")
            for value in self.fields.values():
                value.setText("")
            self.actions_tree.clear()
            self._update_buttons()
            return
        self.title_label.setText(f"{d.code} — {d.status_label}")
        self.steps.set_current(d.status)
        self.missing_label.setText(self.guidance())
        origin = {"finding": d.finding, "incident": d.incident}
        source = _label("nonconformities", "source", d.source)
        link = origin.get(d.source, "") or d.finding or d.incident
        self.fields["source"].setText(f"{source} {link}".strip())
        raised = d.raised_on.isoformat() if d.raised_on else ""
        if raised and d.raised_by:
            raised = self.tr("{0} by {1}").format(raised, d.raised_by)
        self.fields["raised"].setText(raised or d.raised_by or "—")
        self.fields["requirement"].setText(d.requirement or "—")
        self.fields["severity"].setText(_label("nonconformities", "severity", d.severity))
        self.fields["description"].setText(breakable(d.description) or "—")
        self.fields["correction"].setText(breakable(d.correction) or self.tr("(none recorded)"))
        whys = "\n".join(f"{i}. {w}" for i, w in enumerate(d.whys, 1))
        self.fields["whys"].setText(breakable(whys) or "—")
        self.fields["root_cause"].setText(breakable(d.root_cause) or "—")
        self.fields["verification"].setText(self._verification_text(d))
        self._fill_actions(d)
        self._update_buttons()

    def _verification_text(self, d: NcDetail) -> str:
        if d.verified_on is None:
            return self.tr("(not checked yet)") if d.status != "closed" else "—"
        who = dict(self._people()).get(d.verified_by, d.verified_by) or self.tr("(nobody named)")
        verdict = (
            self.tr("Effective — checked by {0} on {1}.")
            if d.effective
            else self.tr("Not effective — checked by {0} on {1}.")
        ).format(who, d.verified_on.isoformat())
        return f"{verdict}\n{breakable(d.verification)}" if d.verification else verdict

    def _fill_actions(self, d: NcDetail) -> None:
        self.actions_tree.clear()
        today = dt.date.today()
        for a in d.actions:
            late = a.due_date is not None and a.due_date < today and a.status not in _FINISHED
            item = QTreeWidgetItem(
                [
                    f"{a.code} {a.title}",
                    a.owner_name or "—",
                    a.due_date.isoformat() if a.due_date else "—",
                    _label("actions", "status", a.status),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, a.code)
            item.setToolTip(
                0, f"{a.code} {a.title}\n" + self.tr("Double-click to open it in All Actions")
            )
            item.setData(3, Qt.ItemDataRole.UserRole, a.status)
            if late:
                item.setForeground(2, _OVERDUE)
                item.setToolTip(2, self.tr("Overdue"))
            if a.completed_on is not None and a.status == "done":
                item.setToolTip(3, self.tr("Done on {0}").format(a.completed_on.isoformat()))
            self.actions_tree.addTopLevelItem(item)
        for a_index in range(self.actions_tree.topLevelItemCount()):
            row = self.actions_tree.topLevelItem(a_index)
            if row is not None and row.data(3, Qt.ItemDataRole.UserRole) not in _FINISHED:
                self.actions_tree.setCurrentItem(row)
                break
        count = self.actions_tree.topLevelItemCount()
        self.actions_tree.setVisible(count > 0)
        self.no_actions_label.setVisible(count == 0)
        self.no_actions_label.setText(
            self.tr("None yet.")
            if d.status in ("open", "cause_analysed")
            else self.tr("None recorded.")
        )
        # every action shown at once: the panel scrolls as a whole (a list of its own
        # scrolling inside it showed one and a half rows at 1024 x 700)
        rows = sum(self.actions_tree.sizeHintForRow(0) for _ in range(max(count, 1)))
        frame = 2 * self.actions_tree.frameWidth()
        self.actions_tree.setFixedHeight(
            self.actions_tree.header().sizeHint().height() + rows + frame + 2
        )

    def offered(self) -> set[str]:
        """The names of the buttons offered now (the steps the rules allow)."""
        d = self.detail
        if d is None or self._project is None or self._project.read_only:
            return set()
        found: set[str] = set()
        if d.status != "closed":
            found.add("correction")
        if d.status in ("open", "cause_analysed"):
            found.add("cause")
        if d.status in ("cause_analysed", "action_planned"):
            found.add("add_action")
        if "action_planned" in d.next_steps and d.status == "cause_analysed":
            found.add("plan")
        if d.status == "action_planned" and self.selected_action():
            found.add("done")
        if self._all_done_offered(d):
            found.add("implemented")
        if d.status == "implemented":
            found.add("verify")
        if "closed" in d.next_steps:
            found.add("close")
        return found

    @staticmethod
    def _all_done_offered(d: NcDetail) -> bool:
        """Actions finished elsewhere (their status set in All Actions) leave the
        nonconformity planned: it moves on with All Actions Done. Not after a check that
        found them not effective, until a further action is done."""
        if d.status != "action_planned" or "implemented" not in d.next_steps:
            return False
        if d.effective is not False or d.verified_on is None:
            return True
        return any(
            a.completed_on is None or a.completed_on > d.verified_on
            for a in d.actions
            if a.status == "done"
        )

    def selected_action(self) -> str | None:
        """The open corrective action chosen in the list (None when done or none)."""
        item = self.actions_tree.currentItem()
        if item is None or item.data(3, Qt.ItemDataRole.UserRole) in _FINISHED:
            return None
        return str(item.data(0, Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        offered = self.offered()
        # the buttons offered, packed two to a row in their usual order (hidden ones left
        # holes, and one button stretched across both columns)
        visible = set(offered)
        d = self.detail
        writable = self._project is not None and not self._project.read_only
        # kept in its place while a finished action is selected, and says why it is off
        if (
            d is not None
            and writable
            and d.status == "action_planned"
            and any(a.status not in _FINISHED for a in d.actions)
        ):
            visible.add("done")
        grid = self.button_grid
        for button in self.buttons.values():
            grid.removeWidget(button)
        shown = [b for name, b in self.buttons.items() if name in visible]
        for name, button in self.buttons.items():
            button.setEnabled(name in offered)
            button.setVisible(name in visible)
        for i, button in enumerate(shown):
            grid.addWidget(button, i // 2, i % 2)
        self.buttons["done"].setToolTip(
            self.tr("Mark the corrective action selected below as done")
            if "done" in offered
            else self.tr("Select an open corrective action below first")
        )

    # -- doing -------------------------------------------------------------------------------

    def _run(self, title: str, work: Callable[[Project, str], Any]) -> bool:
        """Do one step; it goes on the window's undo stack (a new action: undo deletes it)."""
        if self._project is None or self.detail is None:
            return False
        project = self._project
        code = self.detail.code
        try:
            before = nonconformities.state(project, code)
            made = work(project, code)
            after = nonconformities.state(project, code)
        except IsmsError as exc:
            QMessageBox.warning(self, title, str(exc))
            self.reload()
            return False
        command = step_command(
            self.tr("{0} ({1})").format(title, made if isinstance(made, str) else code),
            project,
            "actions" if isinstance(made, str) else "nonconformities",
            code,
            made,
            (before, after),
            lambda wanted, now: nonconformities.restore_state(project, wanted, expected=now),
            self._undone,
            lambda m: self._refused(title, m),
        )
        if command is not None:
            self.view.undo_stack().push(command)
        self.view.refresh()
        self.view.records_changed.emit(self.view.register)  # actions, incidents: reload
        self.show_code(code)
        self.changed.emit(code)
        return True

    def _undone(self) -> None:
        """After an undo or redo: the register, the other registers and this panel."""
        self.view.refresh()
        self.view.records_changed.emit(self.view.register)
        self.view.records_changed.emit("actions")
        self.reload()

    def _refused(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def _people(self) -> list[tuple[str, str]]:
        return registers.reference_choices(self._project, "people") if self._project else []

    def record_correction(self, text: str) -> bool:
        return self._run(
            self.tr("Record Correction"),
            lambda p, c: nonconformities.record_correction(p, c, text),
        )

    def analyse_cause(self, whys: Sequence[str], root_cause: str = "") -> bool:
        return self._run(
            self.tr("Analyse Cause"),
            lambda p, c: nonconformities.analyse_cause(p, c, whys=whys, root_cause=root_cause),
        )

    def add_action(
        self, title: str, owner: str | None, due_date: dt.date | None, description: str = ""
    ) -> bool:
        def work(p: Project, c: str) -> str:
            if not title.strip():
                raise NcTransitionError(self.tr("Give the corrective action a title"))
            return nonconformities.add_corrective_action(
                p, c, title=title, owner=owner, due_date=due_date, description=description
            )

        return self._run(self.tr("Add Corrective Action"), work)

    def plan_actions(self) -> bool:
        return self._run(self.tr("Actions Planned"), nonconformities.plan_actions)

    def complete_action(self, action_code: str, on: dt.date | None = None) -> bool:
        return self._run(
            self.tr("Mark Action Done"),
            lambda p, _c: nonconformities.complete_action(p, action_code, on),
        )

    def actions_done(self) -> bool:
        """Every corrective action is finished: on to the effectiveness check."""
        return self._run(
            self.tr("All Actions Done"),
            nonconformities.mark_implemented,
        )

    def complete_selected_action(self) -> bool:
        code = self.selected_action()
        return self.complete_action(code) if code else False

    def verify(self, verified_by: str, verified_on: dt.date, result: str, effective: bool) -> bool:
        return self._run(
            self.tr("Verify Effectiveness"),
            lambda p, c: nonconformities.verify_effectiveness(
                p,
                c,
                verified_by=verified_by,
                verified_on=verified_on,
                verification=result,
                effective=effective,
            ),
        )

    def close_nc(self) -> bool:
        return self._run(self.tr("Close Nonconformity"), nonconformities.close)

    # -- the buttons' dialogs ------------------------------------------------------------------

    def ask_record_correction(self) -> None:
        if self.detail is None:
            return
        dialog = TextDialog(
            self.tr("Record Correction of {0}").format(self.detail.code),
            self.tr("The immediate fix of the nonconformity itself (not yet of its cause)."),
            self.tr("Correction:"),
            self.detail.correction,
            self,
            self.tr("Record Correction"),
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.record_correction(dialog.text())

    def ask_analyse_cause(self) -> None:
        if self.detail is None:
            return
        d = self.detail
        dialog = WhysDialog(d.code, d.description, d.whys, d.root_cause, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.analyse_cause(dialog.whys(), dialog.root_cause())

    def ask_add_action(self) -> None:
        if self.detail is None:
            return
        dialog = ActionDialog(self.detail.code, self._people(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_action(*dialog.values())

    def ask_verify(self) -> None:
        if self.detail is None:
            return
        dialog = VerifyDialog(self.detail.code, self._people(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.verify(*dialog.values())
