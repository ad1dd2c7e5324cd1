"""Trend chart, training matrix and monitoring page on the demo project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from isms_desktop.domain import metrics_chart as chart
from isms_desktop.domain.metrics_rules import Point
from isms_desktop.domain.training_matrix import Cell
from isms_desktop.services import metrics, registers, reviews, training
from isms_desktop.services.metrics import MetricSeries
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.metrics.metrics_page import COL_CODE, COL_LATEST, MetricsPage
from isms_desktop.ui.metrics.review_page import ReviewPage
from isms_desktop.ui.metrics.training_matrix_widget import TrainingMatrixWidget
from isms_desktop.ui.metrics.training_page import TrainingPage
from isms_desktop.ui.metrics.trend_chart import TARGET, THRESHOLD, TrendChart, render_image

pytestmark = pytest.mark.timeout(60)

SERIES = MetricSeries(
    code="M-001",
    name="Click rate",
    unit="%",
    direction="lower",
    frequency="monthly",
    target=5.0,
    threshold=10.0,
    points=tuple(
        Point(dt.date(2026, m, 28), v)
        for m, v in zip(range(1, 7), (14, 12, 9, 8, 6, 4), strict=True)
    ),
)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    with open_project(demo_path) as project:
        yield project


def _near(image_colour: QColor, wanted: QColor) -> bool:
    return all(
        abs(a - b) <= 40
        for a, b in zip(image_colour.getRgb()[:3], wanted.getRgb()[:3], strict=True)
    )


def test_rendered_chart_has_the_size_and_the_target_line(qapp: object) -> None:
    image = render_image(SERIES, 640, 300)
    assert (image.width(), image.height()) == (640, 300)
    geo = chart.layout(SERIES.points, SERIES.target, SERIES.threshold, 640, 300)
    # Sample the dashed lines along their length: some pixels carry their colours.
    for value, colour in ((5.0, TARGET), (10.0, THRESHOLD)):
        line_y = geo.y(value)
        hits = max(
            sum(
                _near(image.pixelColor(x, y), colour)
                for x in range(int(geo.plot_left) + 2, int(geo.plot_right) - 2)
            )
            for y in (int(line_y) - 1, int(line_y), int(line_y) + 1)
        )
        assert hits > 100, (value, hits)
    # Away from the lines, the plot background stays white.
    assert image.pixelColor(int(geo.plot_right) - 3, int(geo.plot_top) + 3) == QColor("white")


def test_chart_widget_paints_a_series_and_nothing(qtbot: QtBot) -> None:
    widget = TrendChart()
    qtbot.addWidget(widget)
    widget.resize(500, 260)
    widget.set_series(SERIES)
    assert "4 %" in widget.toolTip()
    assert widget.grab().size().width() == 500
    widget.set_series(None)
    assert widget.toolTip() == ""
    empty = render_image(
        MetricSeries("M-9", "Empty", "", "higher", "monthly", 1.0, None, ()), 300, 200
    )
    assert empty.width() == 300


def test_training_matrix_shows_gaps(qtbot: QtBot, demo: Project, tmp_path: Path) -> None:
    widget = TrainingMatrixWidget()
    qtbot.addWidget(widget)
    data = training.matrix(demo)
    widget.set_matrix(data)
    table = widget.table
    assert table.rowCount() == len(data.matrix.people)
    assert table.columnCount() == len(data.matrix.requirements)
    states = {
        table.item(r, c).data(256)
        for r in range(table.rowCount())
        for c in range(table.columnCount())
    }
    assert {str(Cell.MISSING), str(Cell.EXPIRED), str(Cell.VALID)} <= states
    gap_texts = [
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c).data(256) in (str(Cell.MISSING), str(Cell.EXPIRED))
    ]
    assert "Missing" in gap_texts and any(t.startswith("Expired") for t in gap_texts)
    assert "missing" in widget.summary.text()
    widget.resize(1100, 420)
    assert widget.grab().save(str(tmp_path / "matrix.png"))
    widget.set_matrix(None)
    assert table.rowCount() == 0


def test_metrics_page_records_and_imports(qtbot: QtBot, demo: Project, tmp_path: Path) -> None:
    page = MetricsPage()
    qtbot.addWidget(page)
    page.set_project(demo)
    assert page.table.rowCount() == len(metrics.overview(demo))
    page.table.selectRow(0)
    code = page.table.item(0, COL_CODE).text()
    assert page.chart.series is not None and page.chart.series.code == code
    page.value.setText("2,5")
    with qtbot.waitSignal(page.measurements_changed, timeout=2000):
        page.record()
    assert page.table.item(0, COL_LATEST).text().startswith("2.5")
    assert page.chart.series is not None and page.chart.series.points[-1].value == 2.5
    page.value.setText("lots")
    page.record()
    assert "number" in page.message.text()
    sheet = tmp_path / "values.csv"
    sheet.write_text("Date,Value\n2020-01-31,7\n")
    result = page.import_file(sheet)  # no Metric column: the selected metric
    assert result is not None and result.written and result.created == 1
    assert metrics.series(demo, code).points[0].date == dt.date(2020, 1, 31)
    page.set_project(None)
    assert page.table.rowCount() == 0


def test_training_page_records_a_campaign(qtbot: QtBot, demo: Project) -> None:
    page = TrainingPage()
    qtbot.addWidget(page)
    page.set_project(demo)
    before = training.matrix(demo).matrix.cell("P-008", "RT-001").status
    assert before is Cell.MISSING
    dialog = page.make_dialog()
    qtbot.addWidget(dialog)
    dialog.course.setCurrentText("Security awareness (annual)")
    for row in range(dialog.attendees.count()):
        item = dialog.attendees.item(row)
        if "P-008" in item.text() or "P-009" in item.text():
            item.setCheckState(Qt.CheckState.Checked)
    campaign = dialog.campaign()
    assert campaign.attendees == ("P-008", "P-009")
    with qtbot.waitSignal(page.records_changed, timeout=2000):
        made = page.record(campaign)
    assert len(made) == 2
    after = training.matrix(demo).matrix
    assert after.cell("P-008", "RT-001").status is Cell.VALID
    assert after.cell("P-009", "RT-001").status is Cell.VALID
    assert "0 missing" in page.matrix.summary.text()


def test_review_page_prepares_and_closes_a_review(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    page = ReviewPage()
    qtbot.addWidget(page)
    page.set_project(demo)
    assert page.detail is not None and page.detail.status == "closed"
    assert not page.save_button.isEnabled() and page.text.isReadOnly()
    with qtbot.waitSignal(page.records_changed, timeout=5000):
        page.create_review("Review next year", dt.date.today())
    detail = page.detail
    assert detail is not None and detail.status == "draft" and detail.code == "MR-002"
    assert page.sections.count() == 10
    page.sections.setCurrentRow(0)
    assert "AC-" in page.items.toPlainText()  # actions of the previous review (9.3.2 a)
    for row in range(10):
        page.sections.setCurrentRow(row)
        page.text.setPlainText(f"Checked input {row}")
        page.save_input()
    assert page.detail is not None and page.detail.completeness_percent == 100
    page.action_title.setText("Renew the awareness campaign")
    page.action_owner.setCurrentIndex(page.action_owner.findData("P-005"))
    page.add_action()
    assert page.action_list.count() == 1 and "P-005" not in page.action_list.item(0).text()
    assert "Sarah Whitfield" in page.action_list.item(0).text()
    page.close_review()  # refused: no chair, attendees or decisions yet
    assert page.detail is not None and page.detail.status == "draft"
    assert dialogs.shown and "attendees" in dialogs.shown[-1][2]
    registers.update(demo, "reviews", "MR-002", "decisions", "Keep going.")
    registers.update(demo, "reviews", "MR-002", "chair", "P-001")
    registers.update(demo, "reviews", "MR-002", "attendees", "CEO, ISO")
    page.close_review()
    assert page.detail is not None and page.detail.status == "closed"


def test_management_review_tab_has_the_pages(window: object) -> None:
    from isms_desktop.ui.tabs.management_review_tab import ManagementReviewTab

    tab = ManagementReviewTab()
    titles = [tab.pages.tabText(i) for i in range(tab.pages.count())]
    titles += [g.pageTitle(i) for g in tab.groups.values() for i in range(g.count())]
    assert {"Measurements", "Training Matrix", "Prepare Review"} <= set(titles)
    tab.deleteLater()


def test_review_page_records_the_meeting_and_decisions_and_closes(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    """Closing needs a chair, attendees and decisions: the page itself records them."""
    page = ReviewPage()
    qtbot.addWidget(page)
    page.set_project(demo)
    page.create_review("Review with its meeting", dt.date.today())
    for row in range(page.sections.count()):
        page.sections.setCurrentRow(row)
        page.text.setPlainText(page.text.toPlainText() or "Nothing to add")
        page.save_input()
    assert page.detail is not None and "attendees" in page.state.text()
    page.meeting_date.setDate(page.meeting_date.date().addDays(-2))
    page.chair.setCurrentIndex(page.chair.findData("P-001"))
    page.attendees.setText("CEO, CFO, ISO")
    page.decisions.setPlainText("Approve the budget for a penetration test.")
    page.minutes.setPlainText("Met in the board room.")
    with qtbot.waitSignal(page.records_changed, timeout=5000):
        page.save_meeting()
    stored = reviews.detail(demo, "MR-002")
    assert stored.date == dt.date.today() - dt.timedelta(days=2)
    assert stored.chair_code == "P-001" and stored.attendees == "CEO, CFO, ISO"
    assert stored.decisions == "Approve the budget for a penetration test."
    assert stored.minutes == "Met in the board room."
    assert "To close" not in page.state.text() and "Draft" in page.state.text()
    page.close_review()
    assert not dialogs.shown
    assert reviews.detail(demo, "MR-002").status == "closed"
    assert page.state.text().startswith("Closed")
    assert not page.save_meeting_button.isEnabled() and page.decisions.isReadOnly()


def test_review_page_shows_edits_made_elsewhere_and_keeps_unsaved_text(
    qtbot: QtBot, demo: Project
) -> None:
    page = ReviewPage()
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.set_project(demo)
    page.create_review("Review edited in the register", dt.date.today())
    page.sections.setCurrentRow(1)
    page.text.setPlainText("Typed, not yet confirmed")
    page.hide()
    registers.update(demo, "reviews", "MR-002", "decisions", "Decided in the register")
    registers.update(demo, "reviews", "MR-002", "chair", "P-001")
    page.show()  # as when its sub-tab is chosen again
    qtbot.waitUntil(lambda: page.decisions.toPlainText() == "Decided in the register", timeout=5000)
    assert page.chair.currentData() == "P-001"
    assert "decisions" not in page.state.text() and "chairing" not in page.state.text()
    assert page.text.toPlainText() == "Typed, not yet confirmed"


def test_pages_changes_show_in_the_registers(window: object, demo_path: Path) -> None:
    from isms_desktop.ui.main_window import MainWindow
    from isms_desktop.ui.tabs.management_review_tab import ManagementReviewTab

    assert isinstance(window, MainWindow) and window.open_path(demo_path)
    window.go_to_area("management_review")
    tab = window.findChild(ManagementReviewTab)
    assert tab is not None
    view = tab.views["reviews"]
    tab.show_page(view)  # shown (and loaded) once, before the page's change
    assert view.model.rowCount() == 1
    tab.show_page(tab.review_page)
    tab.review_page.create_review("Made on the page", dt.date.today())
    tab.show_page(view)
    assert view.model.rowCount() == 2
