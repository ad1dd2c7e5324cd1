"""SoA versions in the SoA tab: approve, compare with the current SoA, print as frozen."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QTimer
from pytestqt.qtbot import QtBot

from isms_desktop.services import registers, soa
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.soa_versions import ApproveDialog, SoaVersionsPanel
from isms_desktop.ui.tabs.soa_tab import SoaTab

pytestmark = pytest.mark.timeout(90)


def test_approve_compare_and_print(qtbot: QtBot, demo_path: Path, tmp_path: Path) -> None:
    with open_project(demo_path) as project:
        tab = SoaTab()
        qtbot.addWidget(tab)
        tab.set_project(project, {})
        panel = tab.versions_panel
        assert isinstance(panel, SoaVersionsPanel)
        assert panel.versions.rowCount() == 1  # the demo's, approved at the review
        # the empty comparison says what fills it
        assert "Compare with Current shows" in panel.diff_label.text()
        panel.versions.selectRow(0)
        panel.compare_selected()
        assert panel.differences.rowCount() == 2  # 8.16 moved on since
        assert {panel.differences.item(r, 0).text() for r in range(2)} == {"8.16"}

        assert panel.approve_as("Daniel Okafor", "second approval") == 2
        assert panel.versions.rowCount() == 2
        assert panel.selected_version() == 2

        panel.compare_selected()
        assert panel.differences.rowCount() == 0
        assert "same as version 2" in panel.diff_label.text()

        registers.update(project, "soa", "5.1", "implementation", "Rewritten after the audit")
        panel.compare_selected()
        assert panel.differences.rowCount() == 1
        assert panel.differences.item(0, 0).text() == "5.1"
        assert panel.differences.item(0, 3).text() == "Rewritten after the audit"
        assert "differ in 1 field of 1 control." in panel.diff_label.text()
        # another version chosen: the differences shown were version 2's, so they go
        panel.versions.selectRow(1)
        assert panel.selected_version() == 1
        assert panel.differences.rowCount() == 0
        assert "Compare with Current" in panel.diff_label.text()
        panel.versions.selectRow(0)

        pdf = panel.print_selected(tmp_path / "v2.pdf")
        assert pdf is not None and pdf.exists()
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "2 (approved version as frozen)" in text
        assert "Rewritten after the audit" not in text
        tab.set_project(None, None)


def test_approval_recorded_with_its_date_and_compare_shows_whole_field_names(
    qtbot: QtBot, demo_path: Path
) -> None:
    with open_project(demo_path) as project:
        tab = SoaTab()
        qtbot.addWidget(tab)
        tab.set_project(project, {})
        panel = tab.versions_panel
        first = soa.versions(project)[0].approved_on  # the demo's version 1
        chosen = first + dt.timedelta(days=3)
        seen: list[ApproveDialog] = []

        def fill() -> None:
            dialog = panel.approve_dialog
            seen.append(dialog)
            edit = dialog.approved_on
            assert edit.minimumDate().toPython() == first  # not before version 1
            assert edit.maximumDate().toPython() == dt.date.today()  # not in the future
            assert edit.date().toPython() == dt.date.today()
            edit.setDate(QDate(chosen.year, chosen.month, chosen.day))
            dialog.approver.setCurrentText("Helen Marsh")
            dialog.note.setText("approved in the management review")
            dialog.accept()

        QTimer.singleShot(0, fill)
        panel.approve()
        assert seen, "the approval dialog was not shown"
        assert seen[0].width() >= 460  # not a narrow column of wrapped text
        latest = soa.versions(project)[-1]
        assert (latest.number, latest.approved_on, latest.approved_by) == (
            2,
            chosen,
            "Helen Marsh",
        )
        assert panel.versions.item(0, 1).text() == chosen.isoformat()

        registers.update(project, "soa", "5.6", "status", "planned")
        panel.versions.selectRow(0)
        panel.compare_selected()
        assert panel.differences.item(0, 1).text() == "Implementation status"
        needed = panel.differences.fontMetrics().horizontalAdvance("Implementation status")
        assert panel.differences.columnWidth(1) >= needed
        tab.set_project(None, None)


def test_a_project_with_no_approved_version_says_what_approving_does(
    qtbot: QtBot, project_path: Path
) -> None:
    with open_project(project_path) as project:
        panel = SoaVersionsPanel()
        qtbot.addWidget(panel)
        panel.set_project(project)
        assert panel.versions.rowCount() == 0
        assert "No version approved yet" in panel.diff_label.text()
        assert not panel.compare_button.isEnabled()
