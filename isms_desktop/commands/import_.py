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
    from isms_desktop.reports.xlsx_import import check_register, import_file
    from isms_desktop.services.projects import open_project

    register = register_name(args.register, all_registers())
    check_register(register)
    if args.header_row is not None and args.header_row < 1:
        raise BadArgumentsError("--header-row must be 1 or more")
    source = Path(args.source)
    # A dry run writes inside a transaction it rolls back, so it needs a writable project.
    from isms_desktop.storage.server import location_argument

    with open_project(location_argument(args.project)) as project:
        result = import_file(
            project,
            register,
            source,
            sheet=args.sheet,
            header_row=args.header_row,
            mapping=args.map,
            dry_run=args.dry_run,
            create_missing=args.create_missing,
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
