"""Importing measurements of metrics from a spreadsheet or CSV file (issue 9).

The file goes through the same checks as a register's import (``spreadsheet_reader``: its
size, the zip-bomb and used-area guard, damaged and password-protected workbooks) before
``services.metrics.import_rows`` reads its layout and writes the measurements, all or none.
"""

from __future__ import annotations

from pathlib import Path

from isms_desktop.reports.spreadsheet_reader import open_spreadsheet
from isms_desktop.services.metrics import ImportResult, import_rows
from isms_desktop.storage.project_file import Project


def import_measurements(
    project: Project,
    path: Path,
    *,
    sheet: str | None = None,
    header_row: int = 1,
    default_metric: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import measurements from one sheet (the first, or the one named) of ``path``; see
    ``domain.metrics_import`` for the layouts it understands."""
    book = open_spreadsheet(path)
    try:
        rows = [list(row) for row in book.sheet(sheet).rows]
    finally:
        book.close()
    return import_rows(
        project, rows, header_row=header_row, default_metric=default_metric, dry_run=dry_run
    )
