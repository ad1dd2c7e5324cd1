"""A management review's inputs are the record of the day they were compiled: compiling
them again is the user's explicit step, asked first, saying what it replaces; the review
keeps which compilation it replaced, and its minutes say so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import registers, reviews
from isms_desktop.storage.models import Nonconformity
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.metrics.review_page import ReviewPage

pytestmark = pytest.mark.timeout(90)

D = dt.date
TODAY = dt.date.today()
EARLIER = TODAY - dt.timedelta(days=20)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as p:
        with p.transaction() as s:
            s.add(
                Nonconformity(
                    code="NC-1", description="Known then", raised_on=TODAY - dt.timedelta(days=40)
                )
            )
        yield p


def _review(project: Project) -> reviews.ReviewDetail:
    return reviews.create_review(
        project,
        "Review",
        TODAY,
        period_start=TODAY - dt.timedelta(days=200),
        compiled_on=EARLIER,
    )


def _raise_later_nc(project: Project) -> None:
    with project.transaction() as s:
        s.add(
            Nonconformity(
                code="NC-2", description="Raised since", raised_on=TODAY - dt.timedelta(days=5)
            )
        )


def _refs(detail: reviews.ReviewDetail, key: str) -> set[str]:
    return {str(i["ref"]) for i in detail.inputs["sections"][key]["items"]}


def test_compiling_again_notes_the_compilation_it_replaced(
    project: Project, tmp_path: Path
) -> None:
    review = _review(project)
    assert review.inputs["compiled_on"] == EARLIER.isoformat()
    assert review.inputs.get("replaced") in (None, [])
    _raise_later_nc(project)
    # the inputs stay the record of the day they were compiled until compiled again
    assert _refs(reviews.detail(project, review.code), "d1") == {"NC-1"}
    again = reviews.recompile(project, review.code)
    assert again.inputs["compiled_on"] == TODAY.isoformat()
    assert _refs(again, "d1") == {"NC-1", "NC-2"}
    assert [r["compiled_on"] for r in again.inputs["replaced"]] == [EARLIER.isoformat()]
    assert again.inputs["replaced"][0]["period"] == review.inputs["period"]
    moved = reviews.set_period(project, review.code, TODAY - dt.timedelta(days=100), TODAY)
    assert [r["compiled_on"] for r in moved.inputs["replaced"]] == [
        EARLIER.isoformat(),
        TODAY.isoformat(),
    ]
    out = tmp_path / "review.pdf"
    make_report(project, f"management-review:{review.code}", out, options=ReportOptions())
    text = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(out, strict=True).pages).split()
    )
    assert (
        f"inputs compiled on {TODAY.isoformat()} (compiled again; first compiled on "
        f"{EARLIER.isoformat()})." in text
    )


def test_the_page_asks_before_compiling_again_and_shows_the_day(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    """'Compile Inputs Again' replaced the inputs at once, stamped today, without a word;
    the page did not say on which day the inputs shown were compiled."""
    review = _review(project)
    _raise_later_nc(project)
    page = ReviewPage()
    qtbot.addWidget(page)
    page.resize(1024, 600)
    page.set_project(project)
    page.show()
    assert page.detail is not None and page.detail.code == review.code
    assert f"inputs compiled on {EARLIER.isoformat()}" in page.state.text()

    dialogs.answer = QMessageBox.StandardButton.No
    page.compile_button.click()
    assert dialogs.kinds() == ["question"]
    asked = dialogs.shown[0][2]
    assert f"replaces the inputs compiled on {EARLIER.isoformat()}" in asked
    assert "confirmed are kept" in asked
    assert reviews.detail(project, review.code).inputs["compiled_on"] == EARLIER.isoformat()

    dialogs.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(page.records_changed, timeout=5000):
        page.compile_button.click()
    assert reviews.detail(project, review.code).inputs["compiled_on"] == TODAY.isoformat()
    assert f"inputs compiled on {TODAY.isoformat()}" in page.state.text()
    assert _refs(page.detail, "d1") == {"NC-1", "NC-2"}


def test_a_held_review_says_the_meeting_reviewed_those_inputs(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    review = _review(project)
    reviews.hold(project, review.code)
    page = ReviewPage()
    qtbot.addWidget(page)
    page.set_project(project)
    dialogs.answer = QMessageBox.StandardButton.No
    page.compile_button.click()
    assert f"what the meeting of {TODAY.isoformat()} reviewed" in dialogs.shown[0][2]
    assert reviews.detail(project, review.code).inputs["compiled_on"] == EARLIER.isoformat()


def test_a_period_changed_in_the_register_is_pointed_out_until_compiled_again(
    qtbot: QtBot, project: Project, dialogs: Dialogs
) -> None:
    """Editing the period in the Management Reviews register left the inputs compiled for
    the old one without a word: the page showed the new period, the minutes the old."""
    review = _review(project)
    compiled_for = reviews.detail(project, review.code).inputs_period
    assert compiled_for == (TODAY - dt.timedelta(days=200), TODAY)
    registers.update(project, "reviews", review.code, "period_start", TODAY - dt.timedelta(days=90))
    detail = reviews.detail(project, review.code)
    assert detail.period_changed and detail.inputs_period == compiled_for
    page = ReviewPage()
    qtbot.addWidget(page)
    page.resize(1024, 600)
    page.set_project(project)
    page.show()
    assert "The period was changed after the inputs were compiled" in page.state.text()
    assert (TODAY - dt.timedelta(days=200)).isoformat() in page.state.text()

    dialogs.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(page.records_changed, timeout=5000):
        page.compile_button.click()
    assert not reviews.detail(project, review.code).period_changed
    assert "The period was changed" not in page.state.text()
