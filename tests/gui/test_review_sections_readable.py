"""Prepare Review at 1024x700: every input's title can be read in the list (it wraps), not
only in its tooltip, and the whole list shows without scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from isms_desktop.domain import review_inputs as ri
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.tabs.management_review_tab import ManagementReviewTab

pytestmark = pytest.mark.timeout(120)


def _unreadable(sections: QListWidget) -> list[str]:
    """The items whose text does not fit where the list draws it, or that are scrolled off."""
    viewport = sections.viewport().rect()
    metrics = sections.fontMetrics()
    cut = []
    for row in range(sections.count()):
        item = sections.item(row)
        rect = sections.visualItemRect(item)
        needed = metrics.boundingRect(
            QRect(0, 0, rect.width(), 10_000), int(Qt.TextFlag.TextWordWrap), item.text()
        )
        if (
            needed.height() > rect.height()
            or needed.width() > rect.width()
            or not viewport.contains(rect)
        ):
            cut.append(item.text())
    return cut


def test_the_input_titles_wrap_and_fit_at_1024_by_700(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.resize(1024, 700)
    assert window.open_path(demo_path)
    window.go_to_area("management_review")
    tab = window.area_tab("management_review")
    assert isinstance(tab, ManagementReviewTab)
    page = tab.review_page
    tab.show_page(page)
    qtbot.waitUntil(lambda: page.sections.count() == len(ri.SECTIONS), timeout=5000)
    qtbot.waitUntil(lambda: page.sections.isVisible(), timeout=5000)
    qtbot.wait(50)  # (the list lays its items out after the page is shown)
    assert window.width() <= 1024 and window.height() <= 700
    sections = page.sections
    assert sections.wordWrap()
    texts = [sections.item(row).text() for row in range(sections.count())]
    # the whole title, the part of 9.3.2 before it (the list's heading names the clause)
    assert texts[0].startswith("✓ a  Status of actions from previous management reviews (")
    assert texts[3].startswith("✓ d 1  Nonconformities and corrective actions (")
    for text, section in zip(texts, ri.SECTIONS, strict=True):
        assert section.title in text
    assert _unreadable(sections) == []
    # some titles do need two lines at this width: they would be cut off without wrapping
    heights = {sections.visualItemRect(sections.item(row)).height() for row in range(10)}
    assert len(heights) > 1
