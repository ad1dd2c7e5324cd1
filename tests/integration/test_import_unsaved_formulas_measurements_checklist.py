"""The measurements import and the checklist import name a cell holding a formula whose result
was never saved (openpyxl writes formulas without results, as scripts do), in the words of the
register import, and write nothing; such cells in columns they do not read change nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.reports.checklist_import import import_checklist
from isms_desktop.reports.measurement_import import import_measurements
from isms_desktop.reports.spreadsheet_reader import MAX_FORMULA_PROBLEMS
from isms_desktop.reports.xlsx_import_values import unsaved_formula
from isms_desktop.services import audits, metrics
from isms_desktop.services.audit_checklist_xlsx import export_checklist
from isms_desktop.storage.project_file import Project, open_project

D = dt.datetime


def workbook(path: Path, rows: list[list[Any]], title: str = "KPIs") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def counts(project: Project) -> dict[str, int]:
    return {m.code: m.measurements for m in metrics.overview(project)}


def first_metric(project: Project) -> str:
    return metrics.overview(project)[0].code


# -- measurements -----------------------------------------------------------------------------


def test_a_wide_sheet_with_an_unsaved_formula_in_a_metric_column_imports_nothing(
    demo_path: Path, tmp_path: Path
) -> None:
    with open_project(demo_path) as project:
        code = first_metric(project)
        before = counts(project)
        path = workbook(
            tmp_path / "kpi.xlsx",
            [
                ["Date", code],
                [D(2021, 1, 31), 5],
                [D(2021, 2, 28), "=B2*2"],
                [D(2021, 3, 31), "oops"],
            ],
        )
        result = import_measurements(project, path)
        assert not result.written and result.layout == "wide"
        assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
        assert [str(p) for p in result.problems] == [
            f"row 3, column {code!r}: " + unsaved_formula("KPIs", "B3"),
            next(str(p) for p in result.problems if p.row == 4),
        ]
        assert result.problems[0].value == "=B2*2"
        assert "cell B3 of sheet 'KPIs' holds a formula whose result was never saved" in str(
            result.problems[0]
        )
        assert counts(project) == before


def test_a_long_sheet_names_unsaved_values_and_notes_not_as_required(
    demo_path: Path, tmp_path: Path
) -> None:
    with open_project(demo_path) as project:
        code = first_metric(project)
        before = counts(project)
        path = workbook(
            tmp_path / "long.xlsx",
            [
                ["Metric", "Date", "Value", "Note"],
                [code, D(2021, 1, 31), "=1+1", "fine"],
                [code, D(2021, 2, 28), 3, '="by "&"script"'],
                [code, D(2021, 3, 31), 4, None],
            ],
        )
        result = import_measurements(project, path)
        assert not result.written
        assert [(p.row, p.column) for p in result.problems] == [(2, "Value"), (3, "Note")]
        assert result.problems[0].reason == unsaved_formula("KPIs", "C2")
        assert result.problems[1].reason == unsaved_formula("KPIs", "D3")
        assert not any("required" in p.reason for p in result.problems)
        assert counts(project) == before


def test_unsaved_formulas_in_columns_not_read_change_nothing(
    demo_path: Path, tmp_path: Path
) -> None:
    with open_project(demo_path) as project:
        code = first_metric(project)
        before = counts(project)
        path = workbook(
            tmp_path / "kpi.xlsx",
            [
                ["Date", code, "Total", None],
                [D(2021, 1, 31), 5, "=B2+1", "=B2"],
                [D(2021, 2, 28), 6, "=B3+1", None],
            ],
        )
        result = import_measurements(project, path)
        assert result.problems == ()
        assert result.written and result.created == 2
        assert counts(project)[code] == before[code] + 2


def test_a_formula_in_the_header_row_or_too_many_are_refused_in_the_register_words(
    demo_path: Path, tmp_path: Path
) -> None:
    with open_project(demo_path) as project:
        code = first_metric(project)
        before = counts(project)
        path = workbook(tmp_path / "head.xlsx", [["Date", f'="{code}"'], [D(2021, 1, 31), 5]])
        with pytest.raises(RejectedInputError) as refused:
            import_measurements(project, path)
        assert str(refused.value) == (
            f"{path}, sheet 'KPIs', header row 1: " + unsaved_formula("KPIs", "B1")
        )
        many = MAX_FORMULA_PROBLEMS + 5
        rows: list[list[Any]] = [["Date", code]]
        rows += [[D(2020, 1, 1) + dt.timedelta(days=i), f"={i}"] for i in range(many)]
        path = workbook(tmp_path / "many.xlsx", rows)
        result = import_measurements(project, path)
        assert not result.written
        assert len(result.problems) == MAX_FORMULA_PROBLEMS + 1
        last = result.problems[-1]
        assert last.row == MAX_FORMULA_PROBLEMS + 2
        assert last.reason.startswith("and 5 more cells from here on hold formulas")
        assert counts(project) == before


# -- checklist --------------------------------------------------------------------------------


def checklist_file(project: Project, tmp_path: Path) -> tuple[str, Path]:
    code = audits.create_audit(project, {"title": "Docs", "clauses": ["7.5.2"]})
    target = tmp_path / "checklist.xlsx"
    export_checklist(project, code, target)
    return code, target


def test_a_checklist_with_an_unsaved_result_or_note_is_refused_and_nothing_changes(
    project_path: Path, tmp_path: Path
) -> None:
    with open_project(project_path) as project:
        code, target = checklist_file(project, tmp_path)
        book = openpyxl.load_workbook(target)
        sheet = book["Checklist"]
        sheet["E2"] = "ok"
        sheet["E3"] = '=IF(TRUE,"ok","")'
        sheet["F4"] = '="seen "&"twice"'
        book.save(target)
        with pytest.raises(RejectedInputError) as refused:
            import_checklist(project, code, target)
        message = str(refused.value)
        assert message.splitlines() == [
            "checklist.xlsx: no item was changed:",
            "row 3, column Result: " + unsaved_formula("Checklist", "E3"),
            "row 4, column Notes: " + unsaved_formula("Checklist", "F4"),
        ]
        assert all(item.result == "" for item in audits.checklist(project, code))
        assert audits.audit(project, code).status == "planned"

        # an item number that is a formula: its row would have been skipped as empty
        sheet["E3"] = "ok"
        sheet["F4"] = None
        sheet["A4"] = "=A3+1"
        book.save(target)
        with pytest.raises(RejectedInputError, match=r"row 4, column Item: cell A4 of sheet"):
            import_checklist(project, code, target)
        assert all(item.result == "" for item in audits.checklist(project, code))


def test_unsaved_formulas_a_checklist_import_does_not_read_change_nothing(
    project_path: Path, tmp_path: Path
) -> None:
    with open_project(project_path) as project:
        code, target = checklist_file(project, tmp_path)
        items = len(audits.checklist(project, code))
        book = openpyxl.load_workbook(target)
        sheet = book["Checklist"]
        sheet["E2"] = "ok"
        sheet["D2"] = '="Question "&"rewritten"'  # Question: not read back
        below = items + 3  # a count under the table, in the Result column: no item's row
        sheet[f"E{below}"] = f'=COUNTIF(E2:E{items + 1},"ok")'
        sheet["J2"] = "=1+1"  # a column of the user's own
        book.save(target)
        assert import_checklist(project, code, target) == 1
        assert audits.checklist(project, code)[0].result == "conforming"


def test_a_formula_in_the_checklist_header_is_refused(project_path: Path, tmp_path: Path) -> None:
    with open_project(project_path) as project:
        code, target = checklist_file(project, tmp_path)
        book = openpyxl.load_workbook(target)
        book["Checklist"]["E1"] = '="Res"&"ult"'
        book["Checklist"]["E2"] = "ok"
        book.save(target)
        with pytest.raises(RejectedInputError) as refused:
            import_checklist(project, code, target)
        assert str(refused.value) == (
            f"{target}, sheet 'Checklist', header row 1: " + unsaved_formula("Checklist", "E1")
        )
        assert audits.checklist(project, code)[0].result == ""
