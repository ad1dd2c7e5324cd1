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
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from isms_desktop.services import nonconformities, registers
from isms_desktop.services.projects import Project, open_project
from isms_desktop.ui.improvement.nonconformity_panel import NonconformityPanel
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
        "NC-002": "Close",  # verified
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
