"""``isms-desktop import PROJECT --register NAME --from FILE``: rows from a spreadsheet.

All rows or none: on any problem, every problem is listed on stderr (row, column, value,
reason), nothing is written and the exit status is 3.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "import"
HELP = "import a register's rows from .xlsx, .xlsm, .xls, .ods or .csv (all or none)"
DESCRIPTION = (
    "Import the rows of one register from a spreadsheet (.xlsx, .xlsm, .xls, .ods or "
    ".csv): all of them or none. A sheet written by 'isms-desktop export' is read as it "
    "is: rows whose Code exists update that record, the others are added. Other "
    "spreadsheets are matched by their headers; --map says which column fills which "
    "field. If any row has a problem, each one is listed on stderr (file, row, column, "
    "value, reason), nothing is written and the exit status is 3."
)


def _epilog() -> str:
    from isms_desktop.commands._common import all_registers, wrapped

    return (
        "examples:\n"
        "  isms-desktop import acme.isms --register risks --from acme.xlsx --dry-run\n"
        "  isms-desktop import acme.isms --register assets --from inventory.csv "
        "--create-missing\n"
        '  isms-desktop import acme.isms --register risks --from old.xls --sheet "Risk log" \\\n'
        '      --header-row 3 --map "Risk ID=code" --map "Notes="\n\n'
        "registers:\n" + wrapped(", ".join(all_registers())) + "\n"
    )


EPILOG = _epilog()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from isms_desktop.commands._common import positive_int

    parser.add_argument(
        "project", metavar="PROJECT.isms", help="the project file (or a postgresql:// URL)"
    )
    parser.add_argument(
        "--register",
        required=True,
        metavar="NAME",
        help="the register to import into, e.g. risks or assets (all names below)",
    )
    parser.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="FILE",
        help="the spreadsheet: .xlsx, .xlsm, .xls, .ods or .csv",
    )
    parser.add_argument(
        "--sheet",
        metavar="SHEET",
        help="the sheet to read, by name or number (1 = first); default: the sheet named "
        "after the register (as export names it), else the first",
    )
    parser.add_argument(
        "--header-row",
        type=positive_int,
        metavar="N",
        help="the row holding the headers (1 = first); default: found",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help='which field a column fills, e.g. "Risk ID=code"; "Notes=" ignores a column',
    )
    parser.add_argument(
        "--create-missing",
        action="store_true",
        help="create the people, assets and other records rows refer to that do not exist",
    )
    parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")


def run(args: argparse.Namespace) -> int:
    from isms_desktop.commands._common import all_registers, register_name
    from isms_desktop.domain.errors import BadArgumentsError
    from isms_desktop.reports.spreadsheet_reader import open_spreadsheet, parse_mapping
    from isms_desktop.reports.xlsx_import import check_register, plan_import, run_import
    from isms_desktop.services.projects import open_project
    from isms_desktop.storage.server import location_argument

    register = register_name(args.register, all_registers())
    check_register(register)
    source = Path(args.source)
    location = location_argument(args.project)
    if isinstance(location, Path) and not location.exists():
        raise BadArgumentsError(f"{location}: no such file")
    # The sheet is read and matched before the project is opened: a sheet that cannot be
    # imported leaves the project untouched (not even opened for writing).
    book = open_spreadsheet(source)
    try:
        if args.sheet is None:
            _refuse_an_export_without_the_register(book.sheet_names, register, source)
        plan = plan_import(
            book,
            register,
            sheet=args.sheet,
            header_row=args.header_row,
            mapping=parse_mapping(args.map),
        )
    finally:
        book.close()
    result = None
    if isinstance(location, Path) and _older_schema(location):
        # A file from an older version would be upgraded on opening for writing: the rows
        # are tried first in the upgraded copy a reader holds in memory, so a dry run or a
        # rejected import leaves the file as it was (not upgraded, no backup beside it).
        with open_project(location, read_only=True) as project:
            result = run_import(project, plan, dry_run=True, create_missing=args.create_missing)
    if result is None or not (args.dry_run or result.problems):
        # A dry run writes inside a transaction it rolls back, so it needs a writable project.
        with open_project(location) as project:
            result = run_import(
                project, plan, dry_run=args.dry_run, create_missing=args.create_missing
            )
    plan = result.plan
    for column in plan.ignored:
        print(
            f"note: column {column.letter} ({column.header}) is not imported"
            f"{_why_not(column.how, register)}",
            file=sys.stderr,
        )
    if result.problems:
        for problem in result.problems:
            print(f"{source}: {problem.line()}", file=sys.stderr)
        found = len(result.problems)
        print(
            f"isms-desktop: {found} problem{'' if found == 1 else 's'} in {source} "
            f"(sheet {plan.sheet!r}); nothing was imported",
            file=sys.stderr,
        )
        return 3
    print(f"{source} (sheet {plan.sheet!r}, headers in row {plan.header_row}): {result.summary()}")
    return 0


def _why_not(how: str, register: str) -> str:
    """Why a column is not imported, as the end of the note's sentence."""
    if how == "ignored (--map)":
        return ", as --map says"
    if how == "no header":
        return ": it has no header"
    if how == "not a field of this register":
        return f": no field of the {register} register has that name (--map can name one)"
    return ": " + how.removeprefix("ignored: ")


def _older_schema(path: Path) -> bool:
    """Whether the project file is at an older schema (upgraded when opened for writing)."""
    from isms_desktop.storage.project_file import inspect_file

    return inspect_file(path).needs_migration


def _refuse_an_export_without_the_register(sheets: list[str], register: str, source: Path) -> None:
    """A workbook written by ``export`` without this register's sheet: without --sheet, the
    import would read its cover sheet (and find nothing, or nonsense). Refused, naming the
    registers it has."""
    from isms_desktop.commands._common import all_registers
    from isms_desktop.domain.errors import BadArgumentsError
    from isms_desktop.domain.registers import sheet_name
    from isms_desktop.reports.xlsx_export import COVER_SHEET

    if len(sheets) < 2 or sheets[0] != COVER_SHEET:
        return
    by_sheet = {sheet_name(name).casefold(): name for name in all_registers()}
    if any(s.casefold() == sheet_name(register).casefold() for s in sheets):
        return
    present = [by_sheet[s.casefold()] for s in sheets if s.casefold() in by_sheet]
    others = ", ".join(repr(s) for s in sheets)
    hint = (
        f"; it holds {', '.join(present)}: import with --register {present[0]}" if present else ""
    )
    raise BadArgumentsError(
        f"{source} has no {sheet_name(register)} sheet (its sheets: {others}){hint}, "
        f"or give --sheet to read another sheet as {register}"
    )
