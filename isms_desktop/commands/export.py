"""``isms-desktop export PROJECT --xlsx OUT.xlsx [--register NAME]...``: the Excel workbook."""

from __future__ import annotations

import argparse
import sys

from isms_desktop.commands._common import all_registers, wrapped

NAME = "export"
HELP = "write the project's registers as an Excel workbook"
DESCRIPTION = (
    "Write the whole project, or the registers named with --register, as one Excel "
    "workbook: a cover sheet, then one sheet per register named after it (Risks, Soa, "
    "...) with its column headers in row 1 -- the headers 'isms-desktop import' reads "
    "back. An existing OUT.xlsx is replaced; a project file never is. The project is only "
    "read."
)


def _epilog() -> str:
    return (
        "examples:\n"
        "  isms-desktop export acme.isms --xlsx acme.xlsx\n"
        '  isms-desktop export acme.isms --xlsx "Acme risks.xlsx" --register risks '
        "--register treatment\n\n"
        "registers:\n" + wrapped(", ".join(all_registers())) + "\n"
    )


EPILOG = _epilog()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "project", metavar="PROJECT.isms", help="the project file (or a postgresql:// URL)"
    )
    parser.add_argument("--xlsx", required=True, metavar="OUT.xlsx", help="the workbook to write")
    parser.add_argument(
        "--register",
        action="append",
        metavar="NAME",
        help="export only this register (repeat for several; names below, the sheet's "
        "name works too); default: all of them",
    )


def run(args: argparse.Namespace) -> int:
    from isms_desktop.commands._common import (
        cannot_replace,
        note_plain_copy,
        output_file,
        register_name,
    )
    from isms_desktop.reports.xlsx_export import export_order, export_workbook
    from isms_desktop.services.projects import open_project
    from isms_desktop.storage.server import location_argument

    known = export_order()
    selected = None if args.register is None else [register_name(n, known) for n in args.register]
    names = export_order(selected)  # refuses unknown names before the project is opened
    location = location_argument(args.project)
    out = output_file(args.xlsx, option="--xlsx", suffix=".xlsx", project=location)
    with open_project(location, read_only=True) as project:
        try:
            result = export_workbook(project, out, names)
        except PermissionError as exc:
            raise cannot_replace(out, exc) from exc
        encrypted = project.encrypted
    rows = sum(result.rows.values())
    sheets = len(result.sheets)
    print(f"wrote {result.path}: {sheets} sheet{'' if sheets == 1 else 's'}, {rows} rows")
    note_plain_copy(result.path, encrypted)
    for where in result.truncated:
        print(f"note: {where} was cut to Excel's limit of 32,767 characters", file=sys.stderr)
    return 0
