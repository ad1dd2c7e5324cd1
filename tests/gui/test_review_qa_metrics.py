"""The Measurements page at 1024x700: metric names read whole (they were cut to
"Phishing simulatio…"), and 'Add Actions for Due Metrics' says what it did in words that
read right for one, several or nothing to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.metrics.metrics_page import COL_NAME, MetricsPage

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    with open_project(demo_path) as project:
        yield project


def test_metric_names_wrap_instead_of_being_cut_at_1024(qtbot: QtBot, demo: Project) -> None:
    page = MetricsPage()
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.set_project(demo)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    table = page.table
    line = QFontMetrics(table.font()).height()
    width = table.columnWidth(COL_NAME)
    for row in range(table.rowCount()):
        item = table.item(row, COL_NAME)
        assert item is not None and item.toolTip() == item.text()
        needed = QFontMetrics(table.font()).horizontalAdvance(item.text())
        if needed > width:  # too long for one line: the row is as tall as its lines
            assert table.rowHeight(row) >= 2 * line, item.text()
    assert width >= 100


def test_adding_actions_for_due_metrics_says_what_was_done(qtbot: QtBot, demo: Project) -> None:
    page = MetricsPage()
    qtbot.addWidget(page)
    page.set_project(demo)

    def actions() -> set[str]:
        return {r.code for r in registers.list_rows(demo, "actions")}

    before = actions()
    page.sync_due()
    after = actions()
    added = len(after - before)
    text = page.message.text()
    if added == 1:
        assert text.startswith("1 action added for a due measurement, 0 closed"), text
    elif added:
        assert text.startswith(f"{added} actions added for due measurements, 0 closed"), text
    page.sync_due()  # again: nothing more to do, and it says so
    assert actions() == after
    assert page.message.text().startswith("Nothing to do: every metric due")
