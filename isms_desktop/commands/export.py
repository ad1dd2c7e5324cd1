"""``isms-desktop export PROJECT --xlsx OUT.xlsx [--register NAME]...``: the Excel workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "export"
HELP = "write the project's registers as an Excel workbook"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT.isms")
    parser.add_argument("--xlsx", required=True, metavar="OUT.xlsx", help="the workbook to write")
    parser.add_argument(
        "--register",
        action="append",
        metavar="NAME",
        help="export only this register (repeat for several); default: all of them",
    )


def run(args: argparse.Namespace) -> int:
    from isms_desktop.reports.xlsx_export import export_order, export_workbook
    from isms_desktop.services.projects import open_project
    from isms_desktop.storage.server import location_argument

    names = export_order(args.register)  # refuses unknown names before the project is opened
    with open_project(location_argument(args.project), read_only=True) as project:
        result = export_workbook(project, Path(args.xlsx), names)
    rows = sum(result.rows.values())
    print(f"wrote {result.path}: {len(result.sheets)} sheets, {rows} rows")
    for where in result.truncated:
        print(f"note: {where} was cut to Excel's limit of 32,767 characters")
    return 0
