"""How much slower the Excel export is than a bare openpyxl write-only loop (issue 11).

The floor writes the very cell values our export wrote (read back from it with
python-calamine) with nothing else: no database, no styles, no validations. The target is a
ratio of at most 1.5 at 100,000 rows. Run from the repository root::

    .venv/bin/python -m benchmarks.excel_export --register context --sizes 10000 100000
    .venv/bin/python -m benchmarks.excel_export --project demo.isms   # a whole project

Each size is timed ``--repeat`` times (default 3) and the medians are printed.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import python_calamine
from openpyxl import Workbook

from benchmarks.common import default_cache, filled_project, interleaved
from isms_desktop.domain.registers import sheet_name
from isms_desktop.reports.xlsx_export import export_workbook
from isms_desktop.storage.project_file import open_project


def exported_values(path: Path, sheet: str) -> list[list[Any]]:
    """The cell values of one sheet of a workbook, header row included."""
    with python_calamine.CalamineWorkbook.from_path(str(path)) as wb:
        return [list(row) for row in wb.get_sheet_by_name(sheet).to_python()]


def exported_cells(path: Path, sheet: str) -> list[list[Any]]:
    """The cells our export wrote in one sheet: its values, with None where it wrote no
    cell (python-calamine reads those as empty strings, which openpyxl would write as
    empty cells our export does not have)."""
    return [[None if v == "" else v for v in row] for row in exported_values(path, sheet)]


def bare_write(values: list[list[Any]], sheet: str, out: Path) -> None:
    """The floor: openpyxl's write-only mode writing the values, nothing more."""
    bare_write_all({sheet: values}, out)


def bare_write_all(sheets: dict[str, list[list[Any]]], out: Path) -> None:
    """The floor for a whole workbook: every sheet's values, nothing more."""
    wb = Workbook(write_only=True)
    for sheet, values in sheets.items():
        ws = wb.create_sheet(sheet)
        for row in values:
            ws.append(row)
    wb.save(out)


def run_project(project_path: Path, repeat: int, out_dir: Path) -> None:
    """Our export of a whole project against the floor writing all of its sheets' cells."""
    ours_out = out_dir / "ours-project.xlsx"
    floor_out = out_dir / "floor-project.xlsx"
    with open_project(project_path, read_only=True) as project:
        export_workbook(project, ours_out)
        with python_calamine.CalamineWorkbook.from_path(str(ours_out)) as wb:
            names = list(wb.sheet_names)
        sheets = {n: exported_cells(ours_out, n) for n in names}
        rows = sum(len(v) for v in sheets.values())
        gc.collect()
        gc.freeze()
        try:
            ours, floor = interleaved(
                [
                    partial(export_workbook, project, ours_out),
                    partial(bare_write_all, sheets, floor_out),
                ],
                repeat,
            )
        finally:
            gc.unfreeze()
    print(f"{'operation':<18}{'rows':>8}{'ours s':>9}{'floor s':>9}{'ratio':>7}")
    print(
        f"{'export ' + project_path.stem:<18}{rows:>8}{ours.wall:>9.3f}{floor.wall:>9.3f}"
        f"{ours.wall / floor.wall:>7.2f}",
        flush=True,
    )


def run(register: str, sizes: Sequence[int], repeat: int, cache: Path, out_dir: Path) -> None:
    header = f"{'operation':<18}{'size':>8}{'ours s':>9}{'floor s':>9}{'ratio':>7}"
    print(f"{header}{'ours cpu':>10}{'floor cpu':>10}{'cpu ratio':>10}", flush=True)
    sheet = sheet_name(register)
    for size in sizes:
        project_path = filled_project(register, size, cache)
        ours_out = out_dir / f"ours-{register}-{size}.xlsx"
        floor_out = out_dir / f"floor-{register}-{size}.xlsx"
        with open_project(project_path, read_only=True) as project:
            export_workbook(project, ours_out, [register])
            values = exported_cells(ours_out, sheet)
            # The floor's values sit in memory; frozen, the garbage collector skips them,
            # so the floor is as fast as it can be (which makes the ratio strict for us).
            gc.collect()
            gc.freeze()
            try:
                ours, floor = interleaved(
                    [
                        partial(export_workbook, project, ours_out, [register]),
                        partial(bare_write, values, sheet, floor_out),
                    ],
                    repeat,
                )
            finally:
                gc.unfreeze()
            del values
        print(
            f"{'export ' + register:<18}{size:>8}{ours.wall:>9.2f}{floor.wall:>9.2f}"
            f"{ours.wall / floor.wall:>7.2f}{ours.cpu:>10.2f}{floor.cpu:>10.2f}"
            f"{ours.cpu / floor.cpu:>10.2f}",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--register", default="context")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None, help="where filled projects are kept")
    parser.add_argument("--project", type=Path, help="time the export of this whole project")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as out_dir:
        if args.project is not None:
            run_project(args.project, args.repeat, Path(out_dir))
            return 0
        run(args.register, args.sizes, args.repeat, args.cache or default_cache(), Path(out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
