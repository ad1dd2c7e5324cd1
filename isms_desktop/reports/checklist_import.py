"""Reading an audit's checklist back from the workbook it was filled in (issue 8).

The workbook goes through the same checks as a register's import (``spreadsheet_reader``:
size, the zip-bomb and used-area guard, damaged and protected files) before
``services.audit_checklist_xlsx`` takes the results from its rows, all items or none.

A cell the import reads (Item, Result, Notes, Evidence seen or Interviewees of an item's row)
holding a formula whose result was never saved has no value: the import is refused, naming
the cell in the words of the register import, and no item is changed. Such cells elsewhere
(a count below the table) are left alone.
"""

from __future__ import annotations

from pathlib import Path

from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.reports.spreadsheet_reader import (
    MAX_FORMULA_PROBLEMS,
    SheetData,
    column_letter,
    formula_in_header,
    more_unsaved_formulas,
    normalise_header,
    open_spreadsheet,
    too_many_formulas,
)
from isms_desktop.reports.xlsx_import_values import unsaved_formula
from isms_desktop.services.audit_checklist_xlsx import READ, SHEET, import_checklist_rows
from isms_desktop.storage.project_file import Project


def import_checklist(project: Project, code: str, source: Path) -> int:
    """Read results, notes, evidence and interviewees back from the sheet "Checklist" (else
    the first); returns the checklist items changed."""
    source = Path(source)
    book = open_spreadsheet(source)
    try:
        named = [n for n in book.sheet_names if normalise_header(n) == normalise_header(SHEET)]
        data = book.sheet(named[0] if named else None)
    finally:
        book.close()
    if data.unsaved.cells:
        _refuse_formulas(source, data)
    rows = [list(row) for row in data.rows]
    return import_checklist_rows(project, code, rows, source.name)


def _refuse_formulas(source: Path, data: SheetData) -> None:
    """Refuse the sheet if a cell the import reads holds a formula with no saved result."""
    if data.unsaved.more:
        raise RejectedInputError(too_many_formulas(source, data))
    in_header = formula_in_header(source, data, 1)
    if in_header is not None:
        raise RejectedInputError(in_header)
    header = [str(h).strip() if h is not None else "" for h in (data.rows or [[]])[0]]
    columns = {header.index(name): name for name in READ if name in header}
    if "Item" not in header or "Result" not in header:
        return  # import_checklist_rows says which column is missing
    item = header.index("Item")

    def is_item(row: int) -> bool:
        cells = data.rows[row] if row < len(data.rows) else []
        value = cells[item] if item < len(cells) else None
        return (row, item) in data.unsaved.cells or (value is not None and str(value).strip() != "")

    found = sorted((r, c) for r, c in data.unsaved.cells if r >= 1 and c in columns and is_item(r))
    if not found:
        return
    problems = [
        f"row {row + 1}, column {columns[column]}: "
        + unsaved_formula(data.name, f"{column_letter(column)}{row + 1}")
        for row, column in found[:MAX_FORMULA_PROBLEMS]
    ]
    if len(found) > MAX_FORMULA_PROBLEMS:
        row, column = found[MAX_FORMULA_PROBLEMS]
        problems.append(
            f"row {row + 1}, column {columns[column]}: "
            + more_unsaved_formulas(len(found) - MAX_FORMULA_PROBLEMS)
        )
    raise RejectedInputError(f"{source.name}: no item was changed:\n" + "\n".join(problems))
