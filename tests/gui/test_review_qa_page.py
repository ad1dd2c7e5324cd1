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
from PySide6.QtCore import QDate, QTimer, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from isms_desktop.domain import review_inputs as ri
from isms_desktop.services import registers, reviews
from isms_desktop.services.metrics import MetricSeries
from isms_desktop.storage import audit_trail
from isms_desktop.storage.models import Measurement, Metric, Nonconformity
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.metrics import review_page
from isms_desktop.ui.metrics.new_review_dialog import NewReviewDialog
from isms_desktop.ui.metrics.review_page import ReviewPage
from isms_desktop.ui.metrics.trend_chart import render_image

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
    last_year = TODAY.replace(year=TODAY.year - 1, day=1)
    dialog.meeting.setDate(_q(last_year))  # the proposed title follows the meeting's year
    assert dialog.title.text() == f"Management review {last_year.year}"
    dialog.meeting.setDate(_q(HELD))
    title, meeting, start, end = dialog.values()
    assert title == f"Management review {HELD.year}"
    assert (meeting, end) == (HELD, HELD) and start < HELD
    # a project entered today: its change log says nothing of that day, and the dialog
    # says what that means
    assert dialog.log_start in (None, TODAY)
    assert f"events up to {HELD.isoformat()}" in dialog.hint.text()
    assert f"change log begins only on {TODAY.isoformat()}" in dialog.hint.text()
    dialog.log_start = HELD - dt.timedelta(days=100)  # a project kept since before then
    dialog.end.setDate(_q(HELD - dt.timedelta(days=1)))
    assert f"as they stood on {(HELD - dt.timedelta(days=1)).isoformat()}" in dialog.hint.text()

    dialog.title.setText("Review of the board")  # a title of one's own is kept
    dialog.meeting.setDate(_q(last_year))
    assert dialog.title.text() == "Review of the board"
    dialog.meeting.setDate(_q(HELD))
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


def test_the_monitoring_input_draws_each_trend_with_the_target_of_the_meeting(
    qtbot: QtBot, project_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The page showed the 9.3.2 d 2 figures without their trend (the PDF had it); it now
    draws each, as the PDF does, with the target of the meeting day: the target was 95 %
    then and lowered to 90 % since, which the change log records."""
    held = dt.datetime.combine(HELD - dt.timedelta(days=40), dt.time(12))
    original = audit_trail._Writer.__init__

    def logged_then(self: audit_trail._Writer, session: object) -> None:
        original(self, session)  # type: ignore[arg-type]
        self.now = held

    with open_project(project_path) as p:
        monkeypatch.setattr(audit_trail._Writer, "__init__", logged_then)
        with p.transaction() as s:
            metric = Metric(code="M-1", name="Backups tested", unit="%", target=95.0)
            s.add(metric)
            s.flush()
            s.add(Measurement(metric_id=metric.id, date=HELD - dt.timedelta(days=30), value=92.0))
        monkeypatch.setattr(audit_trail._Writer, "__init__", original)
        registers.update(p, "metrics", "M-1", "target", 90.0)  # logged today
        review = reviews.create_review(p, "Review held in the autumn", HELD)
        reviews.add_action(p, review.code, "Test restores", due_date=TODAY)

        drawn: list[MetricSeries] = []

        def spy(series: MetricSeries, width: int, height: int) -> QImage:
            drawn.append(series)
            return render_image(series, width, height)

        monkeypatch.setattr(review_page, "render_image", spy)
        page = ReviewPage()
        qtbot.addWidget(page)
        page.resize(1024, 700)
        page.set_project(p)
        page.show()
        page.sections.setCurrentRow([s.key for s in ri.SECTIONS].index("d2"))
        shown = page.items.toPlainText()
        html = page.items.toHtml()
        trends = reviews.metric_trends(p, review.inputs)
        page.grab().save(str(tmp_path / "d2.png"))  # renders the document's images

        assert [(s.code, s.target) for s in drawn] == [("M-1", 95.0)]
        assert "(target ≥ 95 %)" in shown
        assert trends.note in " ".join(shown.split())  # the PDF's note, word for word
        assert f"as they stood on {HELD.isoformat()}" in trends.note
        assert 'src="chart:M-1"' in html
        image = page.items.document().resource(
            QTextDocument.ResourceType.ImageResource, QUrl("chart:M-1")
        )
        assert isinstance(image, QImage) and not image.isNull()
        # another input shows no chart
        page.sections.setCurrentRow(0)
        assert "chart:" not in page.items.toHtml()

        # the decisions and the minutes are named above their boxes; an action says "due"
        page.outcome.setCurrentIndex(1)
        labels = {w.text() for w in page.outcome.currentWidget().findChildren(QLabel)}
        assert {"Decisions (9.3.3)", "Minutes (optional)"} <= labels
        assert f"due {TODAY.isoformat()} [Open]" in page.action_list.item(0).text()
