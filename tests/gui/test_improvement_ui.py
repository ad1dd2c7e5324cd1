"""The improvement loop in the GUI: finding → nonconformity → … → closed, and incidents.

The panels' methods are the ones their buttons call after the dialog, given the values
directly, so no modal dialog blocks the test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from pytestqt.qtbot import QtBot

from isms_desktop.services import audits, incidents, nonconformities, registers
from isms_desktop.services.projects import Project, open_project
from isms_desktop.ui.improvement.dialogs import (
    ActionDialog,
    CompleteAuditDialog,
    ImprovementDialog,
    VerifyDialog,
    WhysDialog,
)
from isms_desktop.ui.improvement.nonconformity_panel import NonconformityPanel
from isms_desktop.ui.tabs.audits_tab import AuditsTab
from isms_desktop.ui.tabs.improvement_tab import ImprovementTab

SHOTS = Path("/tmp/shots")


@pytest.fixture
def project(demo_path: Path) -> Iterator[Project]:
    with open_project(demo_path) as opened:
        yield opened


def _shot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"improvement_{name}.png"))  # type: ignore[attr-defined]


def _show(qtbot: QtBot, tab: ImprovementTab | AuditsTab, project: Project) -> None:
    qtbot.addWidget(tab)
    tab.resize(1400, 760)
    tab.set_project(project, None)
    tab.show()
    qtbot.waitExposed(tab)


def _select(qtbot: QtBot, tab: ImprovementTab | AuditsTab, register: str, code: str) -> None:
    view = tab.show_register(register)
    qtbot.waitUntil(lambda: view.model.row_of_code(code) is not None, timeout=5000)
    assert view.select_code(code)


def _nc_panel(
    qtbot: QtBot, project: Project, code: str
) -> tuple[ImprovementTab, NonconformityPanel]:
    tab = ImprovementTab()
    _show(qtbot, tab, project)
    _select(qtbot, tab, "nonconformities", code)
    panel = tab.nc_panel
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.code == code)
    return tab, panel


def test_finding_to_closed_nonconformity(qtbot: QtBot, project: Project, dialogs: Dialogs) -> None:
    finding = registers.create(
        project,
        "findings",
        {
            "audit": "AU-001",
            "kind": "minor_nc",
            "requirement": "A.5.15",
            "description": "Leavers keep VPN access for weeks",
        },
    ).code
    audits_tab = AuditsTab()
    _show(qtbot, audits_tab, project)
    _select(qtbot, audits_tab, "findings", finding)
    page = audits_tab.finding_actions
    assert page.raise_button.isEnabled()
    _shot(audits_tab, "findings")
    made = page.raise_selected()
    assert len(made) == 1
    code = made[0]
    assert nonconformities.detail(project, code).finding == finding
    # and the other way: the findings register names the nonconformity raised from it
    assert registers.get(project, "findings", finding).values["nonconformities"] == [code]
    # Nothing left to raise for the audit: said, not raised twice.
    assert page.raise_for_audit("AU-001") == []
    assert dialogs.kinds() == ["information"]

    tab = ImprovementTab()
    _show(qtbot, tab, project)
    _select(qtbot, tab, "nonconformities", code)
    panel = tab.nc_panel
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.code == code)
    assert panel.steps.state_of("open") == "current"
    # the register's words, not the stored codes ("minor", "audit")
    assert panel.fields["severity"].text() == "Minor"
    assert panel.fields["source"].text() == f"Audit {finding}"
    assert panel.offered() == {"correction", "cause"}
    assert "root cause" in panel.missing_label.text()
    assert not panel.buttons["close"].isVisible()

    assert panel.record_correction("Access of the three leavers revoked today")
    assert panel.analyse_cause(
        ["Access stayed open", "HR did not tell IT", "No leaver checklist", "", ""]
    )
    detail = nonconformities.detail(project, code)
    assert detail.status == "cause_analysed"
    assert detail.root_cause == "No leaver checklist"
    assert panel.offered() == {"correction", "cause", "add_action"}

    # An action without owner cannot be planned: the rule says what is missing.
    assert panel.add_action("Leaver checklist with IT sign-off", None, None)
    assert "plan" not in panel.offered()
    assert "need an owner" in panel.missing_label.text()
    # Refused step: clear message, status unchanged.
    assert not panel.plan_actions()
    assert dialogs.shown[-1][0] == "warning" and "owner" in dialogs.shown[-1][2]
    person = registers.reference_choices(project, "people")[0][0]
    first = nonconformities.detail(project, code).actions[0].code
    # The user completes the action in the actions register.
    registers.update(project, "actions", first, "owner", person)
    registers.update(project, "actions", first, "due_date", dt.date(2030, 1, 31))
    panel.reload()
    assert "plan" in panel.offered()
    _shot(tab, "nc_cause_analysed")
    assert panel.plan_actions()
    assert nonconformities.detail(project, code).status == "action_planned"
    assert panel.actions_tree.topLevelItem(0).text(3) == "Open"  # not "open"
    assert panel.offered() == {"correction", "add_action", "done"}
    assert panel.selected_action() == first

    assert panel.complete_selected_action()
    assert nonconformities.detail(project, code).status == "implemented"
    assert panel.offered() == {"correction", "verify"}
    # Not effective: back to planning.
    assert panel.verify(person, dt.date(2030, 3, 1), "Two leavers still had access", False)
    assert nonconformities.detail(project, code).status == "action_planned"
    assert panel.add_action("Monthly access review", person, dt.date(2030, 4, 30))
    second = panel.selected_action()
    assert second is not None and second != first
    assert panel.complete_action(second)
    assert panel.verify(person, dt.date(2030, 6, 1), "No leaver access in 3 months", True)
    assert panel.steps.state_of("verified") == "current"
    assert panel.offered() == {"correction", "close"}
    _shot(tab, "nc_verified")
    assert panel.close_nc()
    detail = nonconformities.detail(project, code)
    assert detail.status == "closed"
    assert panel.offered() == set()
    assert panel.steps.state_of("closed") == "done"
    # The register shows the new status.
    view = tab.views["nonconformities"]
    qtbot.waitUntil(
        lambda: view.model.index(view.model.row_of_code(code) or 0, 0).isValid(), timeout=3000
    )
    _shot(tab, "nc_closed")
    assert [k for k in dialogs.kinds() if k == "warning"] == ["warning"]


def test_illegal_steps_refused_with_message(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    tab, panel = _nc_panel(qtbot, project, "NC-006")  # open
    assert "close" not in panel.offered() and "verify" not in panel.offered()
    assert not panel.close_nc()
    assert dialogs.shown[-1][0] == "warning"
    assert "cannot go from open to closed" in dialogs.shown[-1][2]
    assert nonconformities.detail(project, "NC-006").status == "open"
    # The same panel on other rows offers only their own steps.
    tab.views["nonconformities"].select_code("NC-003")  # implemented
    assert panel.offered() == {"correction", "verify"}
    tab.views["nonconformities"].select_code("NC-001")  # closed
    assert panel.offered() == set()


def test_incident_notification_and_improvement(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    tab = ImprovementTab()
    _show(qtbot, tab, project)
    panel = tab.incident_panel
    if panel.follow is None:  # no incident chosen: no step to name, so no blank button
        assert not panel.advance_button.isVisibleTo(tab)
    # The demo dates its incidents from the day it is built: INC-005 was detected 30 h ago.
    detected = registers.get(project, "incidents", "INC-005").values["detected_at"]
    assert isinstance(detected, dt.datetime)
    panel.now = lambda: detected + dt.timedelta(hours=30)
    _select(qtbot, tab, "incidents", "INC-005")
    qtbot.waitUntil(lambda: panel.follow is not None and panel.follow.code == "INC-005")
    assert panel.deadline_label.property("state") == "due"
    assert panel.advance_button.isVisibleTo(tab)
    assert panel.advance_button.text().startswith("Mark ")
    deadline = detected + dt.timedelta(hours=72)
    assert deadline.strftime("%Y-%m-%d %H:%M") in panel.deadline_label.text()
    assert "notification has not been recorded" in panel.missing_label.text() or (
        panel.follow.next_status != "closed"
    )
    _shot(tab, "incident_due")
    assert panel.record_notification(detected + dt.timedelta(hours=31, minutes=30))
    state = incidents.follow_up(project, "INC-005").notification
    assert state.state == "on_time"
    assert panel.deadline_label.property("state") == "on_time"

    made = panel.raise_improvement("action", "Block mail of dataset extracts (DLP rule)")
    assert made is not None and made.startswith("A")
    nc = panel.raise_improvement("nonconformity", description="Extracts left the company")
    assert nc is not None and nc.startswith("NC-")
    follow = incidents.follow_up(project, "INC-005")
    assert nc in follow.nonconformities and made in follow.actions
    assert nonconformities.detail(project, nc).incident == "INC-005"
    assert nc in panel.linked_label.text()
    _shot(tab, "incident_improved")
    # A step is offered one at a time.
    assert panel.follow is not None and panel.follow.next_status == "resolved"
    assert panel.advance()
    assert incidents.follow_up(project, "INC-005").status == "resolved"


def test_complete_audit_signs_off_and_raises_findings(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    audits.set_status(project, "AU-002", "in_progress")
    items = audits.checklist(project, "AU-002")
    for i, item in enumerate(items):
        audits.record_item(project, item.id, result="major_nc" if i == 0 else "conforming")
    tab = AuditsTab()
    _show(qtbot, tab, project)
    _select(qtbot, tab, "audits", "AU-001")
    assert not tab.audit_actions.complete_button.isEnabled()  # completed already
    _select(qtbot, tab, "audits", "AU-002")
    assert tab.audit_actions.complete_button.isEnabled()
    assert tab.audit_actions.complete("AU-002", " ", None) is None  # no signer: refused
    assert dialogs.shown[-1][0] == "warning"
    found = tab.audit_actions.complete("AU-002", "Grace Adeyemi", dt.date(2027, 2, 1), "Fine")
    assert found is not None and len(found) == 1
    summary = audits.audit(project, "AU-002")
    assert summary.status == "completed" and summary.signed_off_by == "Grace Adeyemi"
    assert not tab.audit_actions.complete_button.isEnabled()
    _shot(tab, "audits")
    raised = tab.finding_actions.raise_for_audit("AU-002")
    assert len(raised) == 1
    assert nonconformities.detail(project, raised[0]).severity == "major"


def test_dialogs_return_their_values(qtbot: QtBot) -> None:
    people = [("P-001", "Grace Adeyemi")]
    whys = WhysDialog("NC-9", "Something", ["a", "b"], "")
    qtbot.addWidget(whys)
    assert whys.whys()[:3] == ["a", "b", ""]
    action = ActionDialog("NC-9", people)
    qtbot.addWidget(action)
    assert not action.ok_button.isEnabled()
    assert action.hint.text() == "The action needs a title and an owner."
    action.title_edit.setText("Fix it")
    assert not action.ok_button.isEnabled() and "an owner" in action.hint.text()
    action.owner_combo.setCurrentIndex(1)
    assert action.ok_button.isEnabled() and action.hint.text() == ""
    title, owner, due, _text = action.values()
    assert (title, owner) == ("Fix it", "P-001") and due > dt.date.today()
    verify = VerifyDialog("NC-9", people)
    qtbot.addWidget(verify)
    assert verify.values()[0] == "P-001" and verify.values()[3] is True
    improve = ImprovementDialog("INC-1", people)
    qtbot.addWidget(improve)
    assert improve.values()["kind"] == "nonconformity"
    improve.action_radio.setChecked(True)
    assert improve.values()["kind"] == "action" and improve.values()["due_date"] is not None
    sign = CompleteAuditDialog("AU-1")
    qtbot.addWidget(sign)
    sign.name_edit.setText("  Ann  ")
    assert sign.values()[0] == "Ann"
    improve.resize(500, 400)
    _shot(improve, "raise_dialog")
    whys.resize(600, 400)
    _shot(whys, "whys_dialog")


def test_the_nonconformity_table_keeps_its_room_beside_the_workflow_panel(
    qtbot: QtBot, project: Project
) -> None:
    tab = ImprovementTab()
    qtbot.addWidget(tab)
    tab.resize(1010, 560)  # the tab of a 1024 px window
    tab.set_project(project, None)
    tab.show()
    qtbot.waitExposed(tab)
    for register in ("nonconformities", "incidents"):
        view = tab.show_register(register)
        qtbot.waitUntil(lambda v=view: v.model.rowCount() > 0, timeout=5000)
        # the files open with the Attachments button; the table is not squeezed by them
        assert not view.attachments.isVisible() and not view.attachments_button.isChecked()
        assert view.table.width() >= 480, (register, view.table.width())
        view.attachments_button.setChecked(True)
        assert view.attachments.isVisible()


def test_raise_buttons_only_when_there_is_something_to_raise(
    qtbot: QtBot, project: Project
) -> None:
    # AU-001's nonconformity findings all have their nonconformity in the demo
    assert nonconformities.findings_to_raise(project, "AU-001") == []
    extra = [
        registers.create(
            project,
            "findings",
            {"audit": "AU-001", "kind": kind, "requirement": "A.5.15", "description": text},
        ).code
        for kind, text in (("minor_nc", "Leavers keep VPN access"), ("observation", "Note"))
    ]
    assert nonconformities.raisable(project, ["F-004", *extra]) == [extra[0]]
    tab = AuditsTab()
    _show(qtbot, tab, project)
    page = tab.finding_actions
    _select(qtbot, tab, "findings", "F-004")  # already raised NC-002
    assert not page.raise_button.isEnabled()
    assert page.raise_all_button.isEnabled()
    assert page.raise_all_button.text() == "Raise for All Findings of AU-001 (1)"
    _select(qtbot, tab, "findings", extra[1])  # an observation
    assert not page.raise_button.isEnabled()
    _select(qtbot, tab, "findings", extra[0])
    assert page.raise_button.isEnabled()
    assert page.raise_selected() and nonconformities.raisable(project, [extra[0]]) == []
    qtbot.waitUntil(lambda: not page.raise_button.isEnabled(), timeout=3000)
    assert not page.raise_all_button.isEnabled()
    assert page.raise_all_button.text() == "All Findings of AU-001 Raised"


def test_nonconformity_steps_undo_and_redo(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    _tab, panel = _nc_panel(qtbot, project, "NC-006")  # open
    stack = panel.view.undo_stack()
    start = nonconformities.state(project, "NC-006")
    assert panel.record_correction("Patched the server at once")
    assert panel.analyse_cause(["No owner for patching", "Server not in the inventory"])
    assert panel.add_action("Add the server to patch management", "P-002", dt.date(2027, 1, 31))
    assert panel.plan_actions()
    action = nonconformities.detail(project, "NC-006").actions[0].code
    assert panel.complete_action(action, dt.date(2026, 12, 1))
    assert panel.verify("P-007", dt.date(2026, 12, 5), "Scan shows no old patches", True)
    assert panel.close_nc()
    closed = nonconformities.state(project, "NC-006")
    assert closed.status == "closed"
    assert stack.count() == 7
    assert stack.undoText() == "Close Nonconformity (NC-006)"
    for _ in range(7):
        stack.undo()
    # back as it was, the added corrective action gone from the one action list
    assert nonconformities.state(project, "NC-006") == start
    assert action not in registers.codes(project, "actions")
    assert panel.detail is not None and panel.detail.status == "open"
    assert panel.title_label.text() == "NC-006 — Open"
    for _ in range(7):
        stack.redo()
    assert nonconformities.state(project, "NC-006") == closed
    assert registers.get(project, "actions", action).values["status"] == "done"
    assert panel.detail is not None and panel.detail.status == "closed"
    # Undo never throws away a later change made elsewhere: refused, and said so.
    stack.undo()
    assert nonconformities.detail(project, "NC-006").status == "verified"
    nonconformities.record_correction(project, "NC-006", "Changed elsewhere")
    stack.redo()
    assert nonconformities.detail(project, "NC-006").status == "verified"
    assert dialogs.shown[-1][0] == "warning" and "was changed since" in dialogs.shown[-1][2]
    # A refused step puts nothing on the stack.
    before = stack.count()
    assert not panel.analyse_cause(["again"])
    assert stack.count() == before


def test_incident_steps_undo_and_redo(qtbot: QtBot, project: Project, dialogs: Dialogs) -> None:
    tab = ImprovementTab()
    _show(qtbot, tab, project)
    panel = tab.incident_panel
    _select(qtbot, tab, "incidents", "INC-005")
    qtbot.waitUntil(lambda: panel.follow is not None and panel.follow.code == "INC-005")
    stack = panel.view.undo_stack()
    start = incidents.state(project, "INC-005")
    assert panel.record_notification(dt.datetime(2026, 12, 6, 9, 30))
    nc = panel.raise_improvement("nonconformity", description="Extracts left the company")
    assert nc is not None
    assert panel.advance()
    after = incidents.state(project, "INC-005")
    assert stack.count() == 3
    for _ in range(3):
        stack.undo()
    assert incidents.state(project, "INC-005") == start
    assert nc not in registers.codes(project, "nonconformities")
    assert panel.follow is not None and panel.follow.status == start.status
    for _ in range(3):
        stack.redo()
    assert incidents.state(project, "INC-005") == after
    assert nonconformities.detail(project, nc).incident == "INC-005"
    assert nc in panel.linked_label.text()


def test_a_recorded_notification_is_not_overwritten_by_a_second_click(
    qtbot: QtBot, project: Project
) -> None:
    tab = ImprovementTab()
    _show(qtbot, tab, project)
    panel = tab.incident_panel
    _select(qtbot, tab, "incidents", "INC-005")
    qtbot.waitUntil(lambda: panel.follow is not None and panel.follow.code == "INC-005")
    assert panel.notify_button.isEnabled()
    assert panel.record_notification(dt.datetime(2026, 12, 6, 9, 30))
    assert not panel.notify_button.isEnabled()
    assert "recorded" in panel.notify_button.toolTip()
    _select(qtbot, tab, "incidents", "INC-001")  # the demo's notified, closed incident
    qtbot.waitUntil(lambda: panel.follow is not None and panel.follow.code == "INC-001")
    assert registers.get(project, "incidents", "INC-001").values["notified_at"] is not None
    assert not panel.notify_button.isEnabled()
