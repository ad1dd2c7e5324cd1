"""The Improvement tab as a user meets it: the detail panels' wording, layout and buttons,
the whole life of a new nonconformity and of a new incident, and Undo for each step.

The panels' methods are the ones their buttons call after their dialog, given the values
directly, so no modal dialog blocks the test; the dialogs are checked on their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import incidents, nonconformities, registers
from isms_desktop.services.projects import Project, open_project
from isms_desktop.ui.improvement.dialogs import (
    ActionDialog,
    ImprovementDialog,
    NotificationDialog,
    VerifyDialog,
    WhysDialog,
)
from isms_desktop.ui.improvement.incident_panel import IncidentPanel
from isms_desktop.ui.improvement.nonconformity_panel import NonconformityPanel, breakable
from isms_desktop.ui.tabs.improvement_tab import ImprovementTab


@pytest.fixture
def project(demo_path: Path) -> Iterator[Project]:
    with open_project(demo_path) as opened:
        yield opened


def _tab(qtbot: QtBot, project: Project, width: int = 1010, height: int = 560) -> ImprovementTab:
    tab = ImprovementTab()
    qtbot.addWidget(tab)
    tab.resize(width, height)
    tab.set_project(project, None)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def _select(qtbot: QtBot, tab: ImprovementTab, register: str, code: str) -> None:
    view = tab.show_register(register)
    qtbot.waitUntil(lambda: view.model.row_of_code(code) is not None, timeout=5000)
    assert view.select_code(code)


def _nc(qtbot: QtBot, tab: ImprovementTab, code: str) -> NonconformityPanel:
    _select(qtbot, tab, "nonconformities", code)
    panel = tab.nc_panel
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.code == code)
    return panel


def _shown_buttons(panel: NonconformityPanel) -> list[str]:
    return [name for name, b in panel.buttons.items() if b.isVisibleTo(panel)]


def test_nothing_selected_says_what_to_do_instead_of_greyed_buttons(
    qtbot: QtBot, project: Project
) -> None:
    tab = _tab(qtbot, project)
    view = tab.show_register("nonconformities")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
    view.table.setCurrentIndex(view.model.index(-1, -1))
    panel = tab.nc_panel
    panel.show_code("")
    assert panel.placeholder.isVisibleTo(tab)
    assert "Select a nonconformity" in panel.placeholder.text()
    assert not panel.content.isVisibleTo(tab)  # no greyed buttons, no empty field labels
    assert _shown_buttons(panel) == []
    _select(qtbot, tab, "nonconformities", "NC-006")
    qtbot.waitUntil(lambda: panel.detail is not None)
    assert panel.content.isVisibleTo(tab) and not panel.placeholder.isVisibleTo(tab)


def test_a_code_that_cannot_be_shown_says_why(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    panel = tab.nc_panel
    panel.show_code("NC-999")
    assert panel.detail is None
    # the refusal used to be written into the title, then overwritten at once
    assert "there is no nonconformity NC-999" in panel.placeholder.text()


def test_the_next_step_names_the_button_that_takes_it(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    expected = {
        "NC-006": "Analyse Cause…",  # open
        "NC-005": "Add Corrective Action…",  # cause analysed, no action yet
        "NC-004": "Mark Action Done",  # action planned, AC-006 and AC-007 open
        "NC-003": "Verify Effectiveness…",  # implemented
        "NC-002": "Close Nonconformity",  # verified
        "NC-001": "Nothing more to do",  # closed
    }
    for code, words in expected.items():
        panel = _nc(qtbot, tab, code)
        assert words in panel.missing_label.text(), (code, panel.missing_label.text())
    panel = _nc(qtbot, tab, "NC-004")
    assert "AC-006, AC-007" in panel.missing_label.text()


def test_the_offered_buttons_are_packed_two_to_a_row(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, "NC-004")  # action planned: correction, add action, done
    assert _shown_buttons(panel) == ["correction", "add_action", "done"]
    grid = panel.button_grid
    places = {
        name: grid.getItemPosition(grid.indexOf(panel.buttons[name]))[:2]
        for name in _shown_buttons(panel)
    }
    assert places == {"correction": (0, 0), "add_action": (0, 1), "done": (1, 0)}
    # both buttons of a row are as wide (no button stretched over the hole of a hidden one)
    assert panel.buttons["correction"].width() == panel.buttons["add_action"].width()
    # a finished action selected: Mark Action Done stays in its place, off, and says why
    done = panel.actions_tree.topLevelItem(0)
    assert done is not None
    nonconformities.complete_action(project, "AC-006")
    panel.reload()
    first = panel.actions_tree.topLevelItem(0)
    assert first is not None and first.text(3) == "Done"
    panel.actions_tree.setCurrentItem(first)
    assert panel.buttons["done"].isVisibleTo(panel)
    assert not panel.buttons["done"].isEnabled()
    assert "Select an open corrective action" in panel.buttons["done"].toolTip()


def test_corrective_actions_are_all_shown_with_overdue_dates_marked(
    qtbot: QtBot, project: Project
) -> None:
    tab = _tab(qtbot, project, 1010, 560)
    panel = _nc(qtbot, tab, "NC-004")
    tree = panel.actions_tree
    assert tree.topLevelItemCount() == 2
    # the list is as tall as its rows: nothing hidden behind a scroll bar of its own
    last = tree.topLevelItem(1)
    assert last is not None
    assert tree.visualItemRect(last).bottom() <= tree.viewport().height()
    # the title column takes the room, not the status column
    assert tree.columnWidth(0) > tree.columnWidth(3)
    today = dt.date.today()
    for i in range(2):
        item = tree.topLevelItem(i)
        assert item is not None
        due = dt.date.fromisoformat(item.text(2))
        overdue = due < today
        assert (item.toolTip(2) == "Overdue") == overdue
        assert (item.foreground(2).color().name() == "#b3261e") == overdue
    # no action yet: a sentence, not an empty table
    panel = _nc(qtbot, tab, "NC-005")
    assert not tree.isVisibleTo(tab)
    assert panel.no_actions_label.isVisibleTo(tab)
    assert panel.no_actions_label.text() == "None yet."


def test_the_effectiveness_check_reads_as_a_sentence(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, "NC-001")
    text = panel.fields["verification"].text()
    detail = nonconformities.detail(project, "NC-001")
    assert detail.verified_on is not None
    assert text.startswith("Effective — checked by ")
    assert f"on {detail.verified_on.isoformat()}." in text
    assert detail.verification in text
    # when and by whom it was raised, by name
    assert detail.raised_on is not None and detail.raised_by
    assert panel.fields["raised"].text() == f"{detail.raised_on.isoformat()} by {detail.raised_by}"
    assert not detail.raised_by.startswith("P-")
    panel = _nc(qtbot, tab, "NC-006")
    assert panel.fields["verification"].text() == "(not checked yet)"


@pytest.mark.parametrize(("width", "least", "most"), [(1010, 440, 460), (1900, 600, 650)])
def test_the_panel_takes_a_share_of_a_wide_window(
    qtbot: QtBot, project: Project, width: int, least: int, most: int
) -> None:
    tab = _tab(qtbot, project, width, 700)
    _nc(qtbot, tab, "NC-004")
    panel_width = tab.nc_panel.width()
    assert least <= panel_width <= most, panel_width
    assert tab.views["nonconformities"].table.width() >= 480


def test_a_new_nonconformity_from_add_to_closed_and_undone_step_by_step(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    """The whole life of a nonconformity a user adds, each step undone and redone."""
    made = registers.create(
        project,
        "nonconformities",
        {
            "source": "other",
            "description": "Visitors were not signed in at reception on two days",
            "requirement": "A.7.2",
            "severity": "minor",
            "raised_on": dt.date(2026, 12, 1),
        },
    ).code
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, made)
    stack = panel.view.undo_stack()
    people = registers.reference_choices(project, "people")
    owner, checker = people[0][0], people[1][0]
    states = [nonconformities.state(project, made)]
    steps: list[tuple[str, object]] = [
        ("correction", lambda: panel.record_correction("Visitor book checked and completed")),
        ("cause", lambda: panel.analyse_cause(["Reception unstaffed at lunch", "No cover rota"])),
        ("add_action", lambda: panel.add_action("Lunch cover rota", owner, dt.date(2027, 1, 15))),
        ("plan", panel.plan_actions),
        ("done", panel.complete_selected_action),
        ("verify", lambda: panel.verify(checker, dt.date(2027, 2, 1), "Book complete", True)),
        ("close", panel.close_nc),
    ]
    for name, step in steps:
        assert name in panel.offered(), (name, panel.offered())
        assert panel.buttons[name].isEnabled() and panel.buttons[name].isVisibleTo(tab)
        count = stack.count()
        assert step() is True  # type: ignore[operator]
        assert stack.count() == count + 1, name
        states.append(nonconformities.state(project, made))
    assert states[-1].status == "closed"
    assert panel.offered() == set() and _shown_buttons(panel) == []
    assert "Nothing more to do" in panel.missing_label.text()
    action = nonconformities.detail(project, made).actions[0].code
    # every step undone in turn, the panel following
    for i in range(len(steps), 0, -1):
        stack.undo()
        assert nonconformities.state(project, made) == states[i - 1], steps[i - 1][0]
        assert panel.detail is not None and panel.detail.status == states[i - 1].status
    assert nonconformities.state(project, made) == states[0]
    assert action not in registers.codes(project, "actions")
    assert panel.offered() == {"correction", "cause"}
    for _ in steps:
        stack.redo()
    assert nonconformities.state(project, made) == states[-1]
    assert not [k for k in dialogs.kinds() if k == "warning"]


def test_the_panel_is_reached_and_used_with_the_keyboard(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, "NC-004")
    for name in ("correction", "add_action", "done"):
        button = panel.buttons[name]
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    tree = panel.actions_tree
    assert tree.focusPolicy() & Qt.FocusPolicy.TabFocus
    tree.setFocus()
    first = tree.topLevelItem(0)
    assert first is not None and tree.currentItem() is first
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentItem() is tree.topLevelItem(1)
    assert panel.selected_action() == "AC-007"
    panel.buttons["done"].setFocus()
    qtbot.keyClick(panel.buttons["done"], Qt.Key.Key_Space)
    assert registers.get(project, "actions", "AC-007").values["status"] == "done"


# -- incidents ---------------------------------------------------------------------------


def _incident(qtbot: QtBot, tab: ImprovementTab, code: str) -> IncidentPanel:
    _select(qtbot, tab, "incidents", code)
    panel = tab.incident_panel
    qtbot.waitUntil(lambda: panel.follow is not None and panel.follow.code == code)
    return panel


def test_no_incident_selected_says_what_to_do(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    view = tab.show_register("incidents")
    panel = tab.incident_panel
    panel.show_code("")
    # the rows are loaded when the list is first shown, and the text follows
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
    assert panel.placeholder.isVisibleTo(panel)
    assert "Select an incident" in panel.placeholder.text()
    assert not panel.content.isVisibleTo(panel)
    panel.show_code("INC-999")
    assert "there is no incident INC-999" in panel.placeholder.text()


def test_a_new_incident_from_report_to_closed_and_undone_step_by_step(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    """An incident a user records: contained, resolved, notified, lessons learned, a
    nonconformity raised from it, closed; each step undone and redone."""
    detected = dt.datetime.now().replace(microsecond=0, second=0) - dt.timedelta(hours=10)
    code = incidents.report_incident(
        project,
        {
            "title": "Customer list left on a shared drive open to all staff",
            "detected_at": detected,
            "occurred_at": detected - dt.timedelta(days=2),
            "severity": "medium",
            "description": "A spreadsheet of 800 customers was readable by every employee.",
            "personal_data": True,
            "notification_required": True,
        },
    )
    tab = _tab(qtbot, project)
    panel = _incident(qtbot, tab, code)
    stack = panel.view.undo_stack()
    # what the user reads: the dates, the deadline, and the next step with its button
    assert panel.fields["detected"].text() == detected.strftime("%Y-%m-%d %H:%M")
    assert panel.fields["severity"].text() == "Medium"
    assert panel.deadline_label.property("state") == "due"
    assert "Mark Contained" in panel.missing_label.text()
    assert panel.advance_button.text() == "Mark &Contained"
    states = [incidents.state(project, code)]
    assert panel.advance()
    assert panel.advance_button.text() == "Mark &Resolved"
    states.append(incidents.state(project, code))
    assert panel.advance()
    states.append(incidents.state(project, code))
    # resolved: closing waits for the lessons learned and the notification, and says so
    assert panel.advance_button.text() == "&Close Incident"
    assert not panel.advance_button.isEnabled()
    assert "lessons learned" in panel.advance_button.toolTip()
    assert "Record Lessons Learned…" in panel.missing_label.text()
    assert "Record Notification…" in panel.missing_label.text()
    assert panel.record_notification(detected + dt.timedelta(hours=5))
    states.append(incidents.state(project, code))
    assert "Record Notification…" not in panel.missing_label.text()
    assert panel.lessons_button.isEnabled()
    assert panel.record_lessons("  Shared drives need an owner who reviews access.  ")
    states.append(incidents.state(project, code))
    assert panel.fields["lessons"].text() == "Shared drives need an owner who reviews access."
    assert panel.advance_button.isEnabled()
    nc = panel.raise_improvement(
        "nonconformity",
        description="Access to shared drives is not reviewed",
        requirement="A.5.15",
        severity="major",
    )
    assert nc is not None
    assert dialogs.shown[-1][0] == "information" and "Nonconformities list" in dialogs.shown[-1][2]
    raised = registers.get(project, "nonconformities", nc).values
    assert raised["requirement"] == "A.5.15" and raised["severity"] == "major"
    assert raised["raised_on"] == dt.date.today()  # not the day the incident was detected
    assert panel.fields["linked"].text() == f"{nc} (Open)"  # with where it stands
    assert panel.advance()
    states.append(incidents.state(project, code))
    assert states[-1].status == "closed"
    assert panel.missing_label.text() == "Closed."
    assert not panel.lessons_button.isVisibleTo(panel)
    assert not panel.advance_button.isVisibleTo(panel)
    assert stack.count() == 6
    # undone in turn: the raised nonconformity goes with its step
    for _ in range(6):
        stack.undo()
    assert incidents.state(project, code) == states[0]
    assert nc not in registers.codes(project, "nonconformities")
    assert panel.fields["lessons"].text() == "(not yet recorded)"
    for _ in range(6):
        stack.redo()
    assert incidents.state(project, code) == states[-1]
    assert nc in registers.codes(project, "nonconformities")
    assert not [k for k in dialogs.kinds() if k == "warning"]


def test_the_lessons_of_a_closed_incident_cannot_be_wiped(project: Project) -> None:
    lessons = registers.get(project, "incidents", "INC-001").values["lessons_learned"]
    with pytest.raises(BadArgumentsError, match="INC-001 is closed"):
        incidents.record_lessons_learned(project, "INC-001", "  ")
    assert registers.get(project, "incidents", "INC-001").values["lessons_learned"] == lessons


def test_the_incident_buttons_are_packed_two_to_a_row(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    panel = _incident(qtbot, tab, "INC-005")  # contained, notification due
    grid = panel.button_grid
    buttons = (panel.advance_button, panel.notify_button, panel.lessons_button)
    places = [grid.getItemPosition(grid.indexOf(b))[:2] for b in buttons]
    assert places == [(0, 0), (0, 1), (1, 0)]
    panel = _incident(qtbot, tab, "INC-004")  # closed, nothing to notify
    assert [b.objectName() for b in panel.findChildren(QPushButton) if b.isVisibleTo(panel)] == [
        "incident_improve"
    ]


# -- the dialogs --------------------------------------------------------------------------


def test_the_whys_dialog_wants_an_answer_before_ok(qtbot: QtBot) -> None:
    dialog = WhysDialog("NC-9", "Something went wrong")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.ok_button.text() == "Record Cause"
    assert "first “why?”" in dialog.hint.text()
    dialog.why_edits[0].setText("Nobody checked")
    assert dialog.ok_button.isEnabled() and dialog.hint.text() == ""


def test_the_verify_dialog_wants_a_result_and_a_past_date(qtbot: QtBot) -> None:
    dialog = VerifyDialog("NC-9", [("P-001", "Grace Adeyemi")])
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert "what was checked" in dialog.hint.text()
    dialog.result_edit.setPlainText("Three months of logs show no recurrence")
    assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Record as Effective"
    dialog.not_effective_radio.setChecked(True)
    assert dialog.ok_button.text() == "Record as Not Effective"
    assert dialog.values()[3] is False
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    dialog.when_edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    assert dialog.values()[1] == dt.date.today()
    nobody = VerifyDialog("NC-9", [])
    qtbot.addWidget(nobody)
    nobody.result_edit.setPlainText("Checked")
    assert not nobody.ok_button.isEnabled() and "People" in nobody.hint.text()


def test_the_raise_dialog_asks_a_nonconformity_for_its_requirement(qtbot: QtBot) -> None:
    dialog = ImprovementDialog("INC-1", [("P-001", "Grace Adeyemi")])
    qtbot.addWidget(dialog)
    assert dialog.ok_button.text() == "Raise Nonconformity"
    assert dialog.requirement_edit.isEnabled() and not dialog.title_edit.isEnabled()
    dialog.requirement_edit.setText(" A.5.15 ")
    dialog.severity_combo.setCurrentIndex(1)
    values = dialog.values()
    assert values["requirement"] == "A.5.15" and values["severity"] == "major"
    dialog.action_radio.setChecked(True)
    assert dialog.ok_button.text() == "Raise Action"
    assert not dialog.requirement_edit.isEnabled() and dialog.title_edit.isEnabled()
    assert dialog.owner_label.text() == "&Owner:"


def test_a_corrective_action_opens_in_all_actions(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, "NC-004")
    item = panel.actions_tree.topLevelItem(1)
    assert item is not None and "Double-click" in item.toolTip(0)
    panel.actions_tree.itemActivated.emit(item, 0)
    view = tab.views["actions"]
    assert tab.current_view() is view
    qtbot.waitUntil(lambda: view.current_code() == "AC-007", timeout=5000)


def test_actions_finished_in_all_actions_do_not_leave_the_nonconformity_stuck(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    # the user sets the status of both corrective actions of NC-004 in All Actions
    for action in ("AC-006", "AC-007"):
        registers.update(project, "actions", action, "status", "done")
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, "NC-004")
    assert panel.detail is not None and panel.detail.status == "action_planned"
    # no open action to mark done: the step that moves it on is offered instead
    assert "done" not in panel.offered() and "implemented" in panel.offered()
    assert panel.buttons["implemented"].isVisibleTo(tab)
    assert "All Actions Done" in panel.missing_label.text()
    stack = panel.view.undo_stack()
    assert panel.actions_done()
    assert nonconformities.detail(project, "NC-004").status == "implemented"
    assert panel.offered() == {"correction", "verify"}
    stack.undo()
    assert nonconformities.detail(project, "NC-004").status == "action_planned"
    # found not effective: a further action is wanted first
    assert panel.actions_done()
    person = registers.reference_choices(project, "people")[0][0]
    assert panel.verify(person, dt.date.today(), "MFA still off in the ticketing system", False)
    detail = nonconformities.detail(project, "NC-004")
    assert detail.status == "action_planned"
    assert "implemented" not in panel.offered()
    assert "not effective" in panel.missing_label.text()
    assert panel.fields["verification"].text().startswith("Not effective — checked by ")
    assert panel.add_action("Enforce MFA in the ticketing system", person, dt.date(2027, 3, 1))
    assert panel.offered() >= {"done"}
    # the further action finished in All Actions too: it moves on again
    further = panel.selected_action()
    assert further is not None
    registers.update(project, "actions", further, "status", "done")
    panel.reload()
    assert "implemented" in panel.offered()
    assert panel.actions_done()
    assert nonconformities.detail(project, "NC-004").status == "implemented"
    assert not [k for k in dialogs.kinds() if k == "warning"]


def test_with_every_action_removed_the_panel_asks_for_a_new_one(
    qtbot: QtBot, project: Project
) -> None:
    for action in ("AC-006", "AC-007"):
        registers.update(project, "actions", action, "status", "cancelled")
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, "NC-004")
    assert "No corrective action is left" in panel.missing_label.text()
    assert "add_action" in panel.offered() and "implemented" not in panel.offered()


def test_a_read_only_project_offers_no_step_and_says_why(qtbot: QtBot, demo_path: Path) -> None:
    with open_project(demo_path, read_only=True) as project:
        tab = _tab(qtbot, project)
        panel = _nc(qtbot, tab, "NC-004")
        assert panel.offered() == set() and _shown_buttons(panel) == []
        assert "read-only" in panel.missing_label.text()
        incident = _incident(qtbot, tab, "INC-005")
        assert not [b for b in incident.findChildren(QPushButton) if b.isVisibleTo(incident)]
        assert "read-only" in incident.missing_label.text()
        tab.close()


def test_the_notification_is_dated_between_detection_and_now(qtbot: QtBot) -> None:
    detected = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=5)
    dialog = NotificationDialog("INC-9", None, detected)
    qtbot.addWidget(dialog)
    assert dialog.ok_button.text() == "Record Notification"
    early = detected - dt.timedelta(days=1)
    dialog.when_edit.setDateTime(
        QDateTime(QDate(early.year, early.month, early.day), QTime(early.hour, early.minute))
    )
    assert dialog.value() == detected
    dialog.when_edit.setDateTime(QDateTime.currentDateTime().addDays(2))
    assert dialog.value() <= dt.datetime.now()


def test_an_undecided_notification_says_where_it_is_decided(qtbot: QtBot, project: Project) -> None:
    code = incidents.report_incident(
        project, {"title": "Phishing mail reported", "detected_at": dt.datetime(2026, 12, 1, 9)}
    )
    tab = _tab(qtbot, project)
    panel = _incident(qtbot, tab, code)
    assert panel.deadline_label.property("state") == "unknown"
    assert "Notification required with Edit" in panel.deadline_label.text()


def test_long_words_wrap_instead_of_widening_the_detail(qtbot: QtBot, project: Project) -> None:
    address = "https://intranet.example.com/" + "a-long-path-segment/" * 10
    made = registers.create(
        project,
        "nonconformities",
        {"source": "other", "description": f"See {address} for the log.", "severity": "minor"},
    ).code
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, made)
    scroll = panel.detail_scroll
    body = scroll.widget()
    assert body is not None
    qtbot.waitUntil(lambda: body.width() <= scroll.viewport().width(), timeout=3000)
    assert panel.fields["description"].width() <= scroll.viewport().width()
    # only invisible break opportunities are added: the words read the same
    assert panel.fields["description"].text().replace("\u200b", "") == f"See {address} for the log."
    assert breakable("short words stay as they are") == "short words stay as they are"
    # the rows stay as tall as their text (no spare room spread between them)
    severity = panel.fields["severity"]
    assert severity.height() <= severity.sizeHint().height() + 2


def test_the_whys_dialog_keeps_every_recorded_answer(qtbot: QtBot) -> None:
    six = [f"answer {i}" for i in range(1, 7)]
    dialog = WhysDialog("NC-9", "Long text. " * 200, six, "answer 6")
    qtbot.addWidget(dialog)
    assert [w for w in dialog.whys() if w] == six  # the sixth was dropped on saving
    intro = dialog.findChildren(QLabel)[0].text()
    assert "…" in intro and len(intro) < 700


def test_a_past_due_date_is_pointed_out(qtbot: QtBot) -> None:
    dialog = ActionDialog("NC-9", [("P-001", "Grace Adeyemi")])
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Fix it")
    dialog.owner_combo.setCurrentIndex(1)
    assert dialog.hint.text() == ""
    past = dt.date.today() - dt.timedelta(days=3)
    dialog.due_edit.setDate(QDate(past.year, past.month, past.day))
    assert "in the past" in dialog.hint.text()
    assert dialog.ok_button.isEnabled()  # said, not refused


def test_every_step_button_has_an_alt_letter_of_its_own(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    menu_letters = set("FEVADPH")  # File, Edit, View, Audit, Documents, Project, Help
    nc_buttons = list(_nc(qtbot, tab, "NC-004").buttons.values())
    incident = _incident(qtbot, tab, "INC-005")
    incident_buttons = [
        incident.advance_button,
        incident.notify_button,
        incident.lessons_button,
        incident.improve_button,
    ]
    for buttons in (nc_buttons, incident_buttons):
        letters = []
        for button in buttons:
            text = button.text()
            assert "&" in text, text
            letters.append(text[text.index("&") + 1].upper())
        assert len(set(letters)) == len(letters), letters
        assert not set(letters) & menu_letters, letters


def test_texts_are_shown_as_written_not_as_markup(qtbot: QtBot, project: Project) -> None:
    text = "<b>Firewall</b> rule allowed port < 1024 & more"
    made = registers.create(
        project, "nonconformities", {"source": "other", "description": text, "severity": "minor"}
    ).code
    tab = _tab(qtbot, project)
    panel = _nc(qtbot, tab, made)
    label = panel.fields["description"]
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == text
    code = incidents.report_incident(project, {"title": "<i>Odd</i> title"})
    incident = _incident(qtbot, tab, code)
    assert incident.title_label.textFormat() == Qt.TextFormat.PlainText


def test_no_guidance_ends_in_an_ellipsis_and_a_full_stop(qtbot: QtBot, project: Project) -> None:
    tab = _tab(qtbot, project)
    for code in ("NC-001", "NC-002", "NC-003", "NC-004", "NC-005", "NC-006"):
        assert "…." not in _nc(qtbot, tab, code).missing_label.text()
    for code in ("INC-001", "INC-003", "INC-005"):
        assert "…." not in _incident(qtbot, tab, code).missing_label.text()


def test_the_hours_left_to_notify_go_on_counting(qtbot: QtBot, project: Project) -> None:
    detected = registers.get(project, "incidents", "INC-005").values["detected_at"]
    assert isinstance(detected, dt.datetime)
    tab = _tab(qtbot, project)
    panel = tab.incident_panel
    panel.now = lambda: detected + dt.timedelta(hours=30)
    panel = _incident(qtbot, tab, "INC-005")
    assert "(42 h left)" in panel.deadline_label.text()
    panel.now = lambda: detected + dt.timedelta(hours=71, minutes=10)
    panel._tick()  # what the panel's one-minute clock does
    assert "(50 min left)" in panel.deadline_label.text()
    panel.now = lambda: detected + dt.timedelta(hours=73)
    panel._tick()
    assert panel.deadline_label.property("state") == "overdue"
    assert panel.clock.isActive() and panel.clock.interval() == 60_000
