"""Importing measurements of metrics from a spreadsheet or CSV file (issue 9).

The file goes through the same checks as a register's import (``spreadsheet_reader``: its
size, the zip-bomb and used-area guard, damaged and password-protected workbooks) before
``services.metrics.import_rows`` reads its layout and writes the measurements, all or none.

A cell of a column the import reads (Date, Value, Metric and Note, or the metrics' columns of
a wide sheet) holding a formula whose result was never saved has no value: it is a problem
named by its cell, in the words of the register import, and nothing is written (the other
problems of the sheet are listed with it). Such cells elsewhere in the sheet are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.domain.metrics_import import CellProblem, sheet_layout
from isms_desktop.reports.spreadsheet_reader import (
    MAX_FORMULA_PROBLEMS,
    SheetData,
    UnsavedFormula,
    column_letter,
    formula_in_header,
    more_unsaved_formulas,
    open_spreadsheet,
    too_many_formulas,
)
from isms_desktop.reports.xlsx_import_values import unsaved_formula
from isms_desktop.services import metrics
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
        data = book.sheet(sheet)
    finally:
        book.close()
    rows = [list(row) for row in data.rows]
    if data.unsaved.cells:
        if data.unsaved.more:
            raise RejectedInputError(too_many_formulas(path, data))
        in_header = formula_in_header(path, data, header_row)
        if in_header is not None:
            raise RejectedInputError(in_header)
    read = _formulas_read(project, data, header_row, default_metric) if data.unsaved.cells else []
    if not read:
        return import_rows(
            project, rows, header_row=header_row, default_metric=default_metric, dry_run=dry_run
        )
    # nothing is written: the other problems of the sheet are looked for (a dry run) and
    # listed with the formulas, but not the "required" ones their empty cells caused
    checked = import_rows(
        project, rows, header_row=header_row, default_metric=default_metric, dry_run=True
    )
    headers = _headers(rows, header_row)
    at = {(row + 1, headers[column]) for row, column in read}
    problems = [p for p in checked.problems if (p.row, p.column) not in at]
    for row, column in read[:MAX_FORMULA_PROBLEMS]:
        formula = UnsavedFormula(data.unsaved.cells[(row, column)])
        reason = unsaved_formula(data.name, f"{column_letter(column)}{row + 1}")
        problems.append(CellProblem(row + 1, headers[column], str(formula), reason))
    if len(read) > MAX_FORMULA_PROBLEMS:
        row, column = read[MAX_FORMULA_PROBLEMS]
        more = more_unsaved_formulas(len(read) - MAX_FORMULA_PROBLEMS)
        problems.append(CellProblem(row + 1, headers[column], "", more))
    problems.sort(key=lambda p: p.row)  # stable: a row's other problems before its formulas
    return ImportResult(0, 0, 0, tuple(problems), False, checked.layout)


def _headers(rows: Sequence[Sequence[Any]], header_row: int) -> list[str]:
    """The header row's texts as ``domain.metrics_import`` reads them (and names columns by)."""
    cells = rows[header_row - 1] if header_row <= len(rows) else []
    width = max((len(r) for r in rows), default=0)
    texts = [str(h if h is not None else "").strip() for h in cells]
    return texts + [""] * (width - len(texts))


def _formulas_read(
    project: Project, data: SheetData, header_row: int, default_metric: str | None
) -> list[tuple[int, int]]:
    """The cells below the header (0-based row and column, in order) holding a formula with
    no saved result in the columns ``domain.metrics_import.parse_sheet`` reads."""
    headers = _headers(data.rows, header_row)
    names = {m.code: m.name for m in metrics.overview(project)}
    columns = _columns_read(headers, names, default_metric)
    return sorted(
        (row, column)
        for row, column in data.unsaved.cells
        if row >= header_row and column in columns
    )


def _columns_read(
    headers: Sequence[str], names: Mapping[str, str], default_metric: str | None
) -> set[int]:
    """The columns ``parse_sheet`` reads for these headers (none if it finds no layout)."""
    return sheet_layout(headers, names, default_metric).columns
