"""Measurements a user cannot have taken yet, and sheets the import cannot read.

A measurement dated after today (a typo: 2027 for 2026) was recorded and became the metric's
latest value, its status and trend; now the page and the import refuse it, naming the row,
and change nothing. A sheet without a Date column said "row 1, column '': no Date column
found" without saying what it did find; it now lists the headings it read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.reports.measurement_import import import_measurements
from isms_desktop.services import metrics
from isms_desktop.storage.project_file import open_project

TOMORROW = dt.date.today() + dt.timedelta(days=1)


def test_a_measurement_dated_after_today_is_refused(demo_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "kpi.csv"
    sheet.write_text(
        f"Metric,Date,Value\nM-001,2026-01-31,4.2\nM-001,{TOMORROW.isoformat()},3.0\n",
        encoding="utf-8",
    )
    with open_project(demo_path) as project:
        before = metrics.series(project, "M-001").points
        with pytest.raises(RejectedInputError, match="a day still to come"):
            metrics.record_measurement(project, "M-001", TOMORROW, 3.0)
        result = import_measurements(project, sheet)
        assert not result.written
        (problem,) = result.problems
        assert problem.row == 3
        assert str(problem).startswith(
            f"row 3, column 'Date': {TOMORROW.isoformat()} is a day still to come"
        )
        assert metrics.series(project, "M-001").points == before


def test_a_sheet_without_a_date_column_names_the_headings_it_found(
    demo_path: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "kpi.csv"
    sheet.write_text("Month;Phishing\n2026-05;4\n", encoding="utf-8")
    with open_project(demo_path) as project:
        result = import_measurements(project, sheet)
    (problem,) = result.problems
    assert str(problem) == (
        "row 1: no Date column found in the header row (its headings: Month, Phishing)"
    ) or str(problem).startswith("row 1: no column is headed by a metric's code or name")
    assert "column ''" not in str(problem)


def test_an_import_says_which_metrics_it_wrote(demo_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "one.csv"
    sheet.write_text("Date,Value\n2026-01-15,7\n", encoding="utf-8")
    with open_project(demo_path) as project:
        result = import_measurements(project, sheet, default_metric="M-002")
    assert result.written and result.metrics == ("M-002",)
