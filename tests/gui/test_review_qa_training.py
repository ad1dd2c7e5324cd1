"""The training matrix's column headings name the whole role a training is required of:
"(Information Security Officer)" was cut to "(Information Security Offic" in its column."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from isms_desktop.services import training
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.metrics.training_matrix_widget import TrainingMatrixWidget

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    with open_project(demo_path, read_only=True) as project:
        yield project


def test_headings_wrap_the_role_and_say_it_whole_in_the_tooltip(
    qtbot: QtBot, demo: Project
) -> None:
    widget = TrainingMatrixWidget()
    qtbot.addWidget(widget)
    data = training.matrix(demo)
    widget.set_matrix(data)
    metrics = widget.table.fontMetrics()
    checked = 0
    for column, req in enumerate(data.matrix.requirements):
        item = widget.table.horizontalHeaderItem(column)
        assert item is not None
        role = data.role_names.get(req.role_code or "", "") if req.role_code else "everyone"
        assert role in item.text().replace("\n", " ")
        assert item.toolTip() == f"{req.course} — required of {role}"
        width = max(metrics.horizontalAdvance(line) for line in item.text().splitlines())
        assert width <= widget.table.columnWidth(column), item.text()
        checked += len(role) > 22
    assert checked  # the demo has a role too long for one line of a heading
