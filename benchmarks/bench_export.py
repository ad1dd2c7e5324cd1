"""Excel export of the whole project, against openpyxl's write-only mode writing the same
cells (read back from our workbook with python-calamine), with nothing else."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import python_calamine
from openpyxl import Workbook

from benchmarks.excel_export import exported_cells
from benchmarks.harness import Env, Measurement, timed
from isms_desktop.reports.xlsx_export import export_workbook
from isms_desktop.storage.project_file import open_project


def bare_write_sheets(sheets: dict[str, list[list[Any]]], out: Path) -> None:
    """The floor: openpyxl's write-only mode, one sheet after another, values only: the
    cells our export wrote, no more (``exported_cells``)."""
    wb = Workbook(write_only=True)
    for name, values in sheets.items():
        ws = wb.create_sheet(name)
        for row in values:
            ws.append(row)
    wb.save(out)


def _sheet_names(path: Path) -> list[str]:
    with python_calamine.CalamineWorkbook.from_path(str(path)) as wb:
        return list(wb.sheet_names)


def run(env: Env) -> list[Measurement]:
    ours_out = env.work / "export-ours.xlsx"
    floor_out = env.work / "export-floor.xlsx"
    with open_project(env.project, read_only=True) as project:
        result = export_workbook(project, ours_out)
        sheets = {name: exported_cells(ours_out, name) for name in _sheet_names(ours_out)}
        cells = sum(len(row) for values in sheets.values() for row in values)
        gc.collect()
        gc.freeze()  # the floor's values are not the collector's work (strict for us)
        try:
            ours_t, floor_t = timed(
                [
                    (None, lambda: export_workbook(project, ours_out)),
                    (None, lambda: bare_write_sheets(sheets, floor_out)),
                ],
                env.repeat,
            )
        finally:
            gc.unfreeze()
    if result.rows.get("risks") != env.size or not floor_out.exists():
        raise AssertionError(f"export wrote {result.rows}")
    return [
        Measurement(
            "Excel export, whole project",
            env.size,
            ours_t,
            floor_t,
            "openpyxl write-only, same cells",
            sum(result.rows.values()),
            note=f"{len(sheets)} sheets, {cells:,} cells",
        )
    ]
