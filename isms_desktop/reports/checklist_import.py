"""Reading an audit's checklist back from the workbook it was filled in (issue 8).

The workbook goes through the same checks as a register's import (``spreadsheet_reader``:
size, the zip-bomb and used-area guard, damaged and protected files) before
``services.audit_checklist_xlsx`` takes the results from its rows, all items or none.
"""

from __future__ import annotations

from pathlib import Path

from isms_desktop.reports.spreadsheet_reader import normalise_header, open_spreadsheet
from isms_desktop.services.audit_checklist_xlsx import SHEET, import_checklist_rows
from isms_desktop.storage.project_file import Project


def import_checklist(project: Project, code: str, source: Path) -> int:
    """Read results, notes, evidence and interviewees back from the sheet "Checklist" (else
    the first); returns the checklist items changed."""
    source = Path(source)
    book = open_spreadsheet(source)
    try:
        named = [n for n in book.sheet_names if normalise_header(n) == normalise_header(SHEET)]
        rows = [list(row) for row in book.sheet(named[0] if named else None).rows]
    finally:
        book.close()
    return import_checklist_rows(project, code, rows, source.name)
