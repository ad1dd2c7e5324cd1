"""Preparing a management review held in the past, in the window.

'New Review…' asked only for a title and dated the meeting today, so a review recorded after
its meeting compiled its inputs from today's records; changing the meeting date afterwards
left the period (and the inputs) ending today without a word. Now the dialog asks for the
meeting date and period and says which day's records the inputs will show; the page says
as of which day its inputs show the records and how they were read; moving the meeting
moves a period that ended on it, and the page then offers to compile the inputs again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from isms_desktop.services import registers, reviews
from isms_desktop.storage.models import Nonconformity
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.metrics.new_review_dialog import NewReviewDialog
from isms_desktop.ui.metrics.review_page import ReviewPage

pytestmark = pytest.mark.timeout(90)

TODAY = dt.date.today()
HELD = TODAY - dt.timedelta(days=60)


def _q(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as p:
        with p.transaction() as s:
            s.add(
                Nonconformity(
                    code="NC-1",
                    description="Backups not tested",
                    raised_on=HELD - dt.timedelta(days=30),
                    status="closed",
                    verified_on=HELD + dt.timedelta(days=10),
                    effective=True,
                )
            )
        yield p


def test_the_dialog_asks_for_the_meeting_and_period_and_says_what_the_inputs_show(
    qtbot: QtBot, project: Project
) -> None:
    dialog = NewReviewDialog(project)
    qtbot.addWidget(dialog)
    _title, meeting, start, end = dialog.values()
    assert (meeting, end) == (TODAY, TODAY) and start < TODAY  # a year back, no review before
    assert "as they are today" in dialog.hint.text()
    dialog.meeting.setDate(_q(HELD))
    _title, meeting, start, end = dialog.values()
    assert (meeting, end) == (HELD, HELD) and start < HELD
    # a project entered today: its change log says nothing of that day, and the dialog
    # says what that means
    assert dialog.log_start in (None, TODAY)
    assert f"events up to {HELD.isoformat()}" in dialog.hint.text()
    assert f"change log begins only on {TODAY.isoformat()}" in dialog.hint.text()
    dialog.log_start = HELD - dt.timedelta(days=100)  # a project kept since before then
    dialog.end.setDate(_q(HELD - dt.timedelta(days=1)))
    assert f"as they stood on {(HELD - dt.timedelta(days=1)).isoformat()}" in dialog.hint.text()

    dialog.title.clear()
    dialog.start.setDate(_q(HELD + dt.timedelta(days=1)))
    dialog.accept()  # refused: it says why and stays open
    assert dialog.result() != NewReviewDialog.DialogCode.Accepted
    assert not dialog.problem.isHidden()
    assert "title" in dialog.problem.text() and "before it starts" in dialog.problem.text()


def test_new_review_held_in_the_past_shows_the_records_of_that_day(
    qtbot: QtBot, project: Project
) -> None:
    page = ReviewPage()
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.set_project(project)
    page.show()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewReviewDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.title.setText("Review held in the autumn")
        dialog.meeting.setDate(_q(HELD))
        dialog.accept()

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(page.records_changed, timeout=10000):
        page.new_button.click()
    d = page.detail
    assert d is not None and d.title == "Review held in the autumn"
    assert (d.date, d.period_end) == (HELD, HELD)
    state = page.state.text()
    assert f"inputs show the records as of {HELD.isoformat()} (read on {TODAY})" in state
    assert page.records_label.text().endswith(f"as they stood on {HELD.isoformat()}")
    # the project was entered today: the page says which values are today's
    assert not page.as_of_note.isHidden()
    assert f"change log begins only on {TODAY.isoformat()}" in page.as_of_note.text()
    # verified after the meeting: not verified then
    (nc,) = [i for i in d.inputs["sections"]["d1"]["items"] if i["ref"] == "NC-1"]
    assert nc["status"] == "implemented"


def test_moving_the_meeting_moves_the_period_and_offers_to_compile_again(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    review = reviews.create_review(project, "Review", TODAY)
    page = ReviewPage()
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.set_project(project)
    page.show()
    assert page.detail is not None and page.detail.code == review.code
    assert page.as_of_note.isHidden()
    page.meeting_date.setDate(_q(HELD))
    with qtbot.waitSignal(page.records_changed, timeout=5000):
        page.save_meeting_button.click()
    d = reviews.detail(project, review.code)
    assert (d.date, d.period_end) == (HELD, HELD)
    assert "The period was changed after the inputs were compiled" in page.state.text()

    dialogs.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(page.records_changed, timeout=5000):
        page.compile_button.click()
    assert f"as they stood on {HELD.isoformat()}, the end of its period" in dialogs.shown[-1][2]
    again = reviews.detail(project, review.code)
    assert again.inputs["as_of"] == HELD.isoformat()
    assert "The period was changed" not in page.state.text()


def test_a_review_added_in_the_register_is_compiled_without_a_question(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    """A review added in the Management Reviews register has no inputs: the page said
    'inputs compiled on an unknown day' and asked before replacing nothing."""
    code = registers.create(
        project, "reviews", {"title": "Added in the register", "date": HELD}
    ).code
    page = ReviewPage()
    qtbot.addWidget(page)
    page.set_project(project)
    page.reload(code)
    assert "inputs not compiled yet" in page.state.text()
    assert page.compile_button.text() == "Compile inputs"
    with qtbot.waitSignal(page.records_changed, timeout=5000):
        page.compile_button.click()
    assert dialogs.shown == []
    d = reviews.detail(project, code)
    assert d.inputs.get("sections") and page.compile_button.text() == "Compile Inputs Again"
    assert "inputs not compiled yet" not in page.state.text()
