"""An audit's checklist as an Excel workbook to fill in offline, and reading it back.

The sheet carries each item's id in column A (hidden from nobody, so a sorted or filtered
sheet still matches); the result column offers the result labels as a drop-down. Reading
it back changes all items or none and names row and column of every problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from isms_desktop.domain.audit_checklist import RESULT_LABELS, parse_result
from isms_desktop.domain.errors import BadArgumentsError, RejectedInputError
from isms_desktop.services import audits
from isms_desktop.storage.models import Audit, ChecklistItem
from isms_desktop.storage.project_file import Project

HEADERS = ("Item", "No.", "Ref", "Question", "Result", "Notes", "Evidence seen", "Interviewees")
# the answers read back besides the result: (header, the checklist item's field)
ANSWERS = (("Notes", "notes"), ("Evidence seen", "evidence_seen"), ("Interviewees", "interviewees"))
# every column the import reads (Item says whether a row is an item's)
READ = ("Item", "Result", *(header for header, _field in ANSWERS))
WIDTHS = (8, 6, 10, 60, 26, 40, 34, 22)
SHEET = "Checklist"


def export_checklist(project: Project, code: str, target: Path) -> int:
    """Write the checklist of audit ``code`` to ``target`` (.xlsx); returns the item count."""
    # openpyxl on first use: the Audit menu imports this module at start-up
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    summary = audits.audit(project, code)
    entries = audits.checklist(project, code)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    for number, entry in enumerate(entries, start=1):
        sheet.append(
            [
                entry.id,
                number,
                entry.ref,
                entry.question,
                entry.result_label,
                entry.notes,
                entry.evidence_seen,
                entry.interviewees,
            ]
        )
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "E2"
    sheet.auto_filter.ref = f"A1:H{len(entries) + 1}"
    labels = ",".join(RESULT_LABELS.values())
    validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
    validation.error = "Choose one of the results"
    sheet.add_data_validation(validation)
    if entries:
        validation.add(f"E2:E{len(entries) + 1}")
    info = book.create_sheet("Audit")
    for key, value in (
        ("Audit", summary.code),
        ("Title", summary.title),
        ("Lead auditor", summary.lead_auditor),
        ("Start", summary.planned_start.isoformat() if summary.planned_start else ""),
        ("Criteria", summary.criteria),
    ):
        info.append([key, value])
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 80
    target = Path(target)
    try:
        book.save(target)
    except OSError as exc:
        raise BadArgumentsError(f"{target} cannot be written: {exc.strerror or exc}") from exc
    return len(entries)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def import_checklist_rows(
    project: Project, code: str, rows: Sequence[Sequence[Any]], source: str
) -> int:
    """Take results, notes, evidence and interviewees from the rows of a filled-in checklist
    sheet (``source``: its file's name, for the messages); returns the items changed.
    ``reports.checklist_import`` reads the file."""
    if not rows:
        raise RejectedInputError(f"{source}: the sheet is empty")
    header = [_text(h) for h in rows[0]]
    missing = [h for h in ("Item", "Result") if h not in header]
    if missing:
        raise RejectedInputError(f"{source}: no column {', '.join(missing)} in row 1")
    col = {name: header.index(name) for name in HEADERS if name in header}
    problems: list[str] = []
    updates: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (len(header) - len(row))
        raw_id = cells[col["Item"]]
        if raw_id is None or _text(raw_id) == "":
            continue
        try:
            item_id = int(float(_text(raw_id)))
        except ValueError:
            problems.append(f"row {number}, column Item: {raw_id!r} is not an item number")
            continue
        try:
            result = parse_result(_text(cells[col["Result"]]))
        except ValueError as exc:
            problems.append(f"row {number}, column Result: {exc}")
            continue
        values = {"result": result}
        for name, field in ANSWERS:
            if name in col:
                values[field] = _text(cells[col[name]])
        updates.append((item_id, values))
    changed = 0
    with project.transaction() as session:
        audit_row = session.scalars(select(Audit).where(Audit.code == code)).one_or_none()
        if audit_row is None:
            raise BadArgumentsError(f"audits: there is no audit {code}")
        if audit_row.status in ("completed", "cancelled"):
            raise BadArgumentsError(f"{code} is {audit_row.status}; its checklist is final")
        items = {
            i.id: i
            for i in session.scalars(
                select(ChecklistItem).where(ChecklistItem.audit_id == audit_row.id)
            )
        }
        for item_id, _values in updates:
            if item_id not in items:
                problems.append(f"item {item_id} is not part of the checklist of {code}")
        if problems:
            raise RejectedInputError(f"{source}: " + "; ".join(problems[:20]))
        for item_id, values in updates:
            item = items[item_id]
            before = (item.result, item.notes, item.evidence_seen, item.interviewees)
            for field, value in values.items():
                setattr(item, field, value)
            if before != (item.result, item.notes, item.evidence_seen, item.interviewees):
                changed += 1
        if changed and audit_row.status == "planned":
            audit_row.status = "in_progress"
    return changed
