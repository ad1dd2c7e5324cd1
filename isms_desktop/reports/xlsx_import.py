"""Importing a register from a spreadsheet, all rows or none (issue 11).

Two steps, so the GUI can show what will happen before it happens:

1. :func:`plan_import` reads the sheet, finds the header row and matches the columns to the
   register's fields (``spreadsheet_reader``), and collects the data rows below it;
2. :func:`run_import` checks every cell of every row (``xlsx_import_values``), lists every
   problem, and only when there is none hands the rows to ``services.registers.upsert_rows``,
   which matches them by ``Code`` (update), creates the others and checks the register's
   rules, in one transaction. A dry run does all of it and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.fields import Field, Kind, RegisterSpec
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.registers import REGISTER_NAMES
from isms_desktop.reports.collector import collector_paused
from isms_desktop.reports.progress import (
    Cancelled,
    Progress,
    check_cancelled,
    never_cancelled,
    no_progress,
)
from isms_desktop.reports.register_rows import code_names
from isms_desktop.reports.spreadsheet_reader import (
    ColumnMatch,
    Spreadsheet,
    find_header_row,
    map_columns,
    open_spreadsheet,
    parse_mapping,
)
from isms_desktop.reports.xlsx_import_values import Converter, References, shown
from isms_desktop.services import registers
from isms_desktop.services.risk_method import current_method
from isms_desktop.storage.project_file import Project

Row = tuple[int, tuple[Any, ...]]  # spreadsheet row number, its cells


@dataclass(frozen=True)
class ImportProblem:
    """Why a cell (or a row) was refused; rows and columns as the user sees them."""

    row: int
    column: str  # "D (Likelihood)", or "" for the row as a whole
    value: str
    reason: str

    def line(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        value = f" (value {self.value!r})" if self.value else ""
        return f"{where}: {self.reason}{value}"


@dataclass(frozen=True)
class ImportPlan:
    """What will be imported: where the table is and which column fills which field."""

    register: str
    path: Path
    sheet: str
    sheet_names: tuple[str, ...]
    header_row: int
    columns: tuple[ColumnMatch, ...]
    rows: tuple[Row, ...]

    @property
    def mapped(self) -> list[ColumnMatch]:
        return [c for c in self.columns if c.field is not None]

    @property
    def ignored(self) -> list[ColumnMatch]:
        return [c for c in self.columns if c.field is None and c.header]


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    created: int
    updated: int
    unchanged: int
    records_created: dict[str, int]  # other registers' records made by --create-missing
    problems: tuple[ImportProblem, ...]
    written: bool
    dry_run: bool
    changes: registers.ImportChanges | None = None  # what was written (for Undo)

    def summary(self) -> str:
        made = "".join(
            f", {_count(n, 'new record')} in {_title(reg)}"
            for reg, n in self.records_created.items()
            if n
        )
        verb = "would import" if self.dry_run else "imported"
        if self.problems:
            found = _count(len(self.problems), "problem")
            return f"{found} in {self.plan.path.name}; nothing was imported"
        return (
            f"{verb} {_count(len(self.plan.rows), 'row')} into {_title(self.plan.register)}: "
            f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged{made}"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _title(register: str) -> str:
    """A register as its sheet and the window name it ("Risks", "People")."""
    return SPECS[register].title if register in SPECS else register


def check_register(register: str) -> RegisterSpec:
    if register in SPECS:
        return SPECS[register]
    names = [n for n in REGISTER_NAMES if n in SPECS] + [
        n for n in SPECS if n not in REGISTER_NAMES
    ]
    raise BadArgumentsError(
        f"there is no register named {register!r}; choose one of {', '.join(names)}"
    )


@collector_paused()  # the sheet's cells: many objects, all alive until the import ends
def plan_import(
    book: Spreadsheet,
    register: str,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping: Mapping[str, str] | None = None,
) -> ImportPlan:
    """Find the table in the sheet and match its columns; refuses a sheet with no header."""
    spec = check_register(register)
    if sheet is None and len(book.sheet_names) > 1:
        sheet = _sheet_for(book, spec)
    data = book.sheet(sheet)
    if header_row is None:
        header_row = find_header_row(spec, data)
        if header_row is None:
            expected = ", ".join(f.header for f in spec.fields[:6])
            raise BadArgumentsError(
                f"{book.path}, sheet {data.name!r}: no header row found — none of the first rows "
                f"names a column of the {spec.name} register (such as {expected}); "
                "give --header-row and --map"
            )
    elif not 1 <= header_row <= max(len(data.rows), 1):
        raise BadArgumentsError(
            f"{book.path}, sheet {data.name!r} has {len(data.rows)} rows; "
            f"--header-row {header_row} is beyond them"
        )
    headers = data.rows[header_row - 1] if data.rows else []
    columns = map_columns(spec, headers, mapping)
    if not any(c.field for c in columns):
        raise BadArgumentsError(
            f"{book.path}, sheet {data.name!r}, row {header_row}: no column matches a field of "
            f'the {spec.name} register; use --map "Header=field"'
        )
    rows: list[Row] = []
    for number, cells in enumerate(data.rows[header_row:], start=header_row + 1):
        if any(v is not None for v in cells) and list(cells[: len(headers)]) != list(headers):
            rows.append((number, tuple(cells)))
    return ImportPlan(
        register=register,
        path=book.path,
        sheet=data.name,
        sheet_names=tuple(book.sheet_names),
        header_row=header_row,
        columns=tuple(columns),
        rows=tuple(rows),
    )


def _sheet_for(book: Spreadsheet, spec: RegisterSpec) -> str:
    """The sheet named after the register (as our export names it), else the first one."""
    from isms_desktop.domain.registers import sheet_name
    from isms_desktop.reports.spreadsheet_reader import normalise_header

    wanted = {normalise_header(sheet_name(spec.name)), normalise_header(spec.title)}
    for name in book.sheet_names:
        if normalise_header(name) in wanted:
            return name
    return book.sheet_names[0]


def _converter(project: Project, spec: RegisterSpec, plan: ImportPlan, create: bool) -> Converter:
    targets = set()
    for column in plan.mapped:
        f = spec.field(str(column.field))
        if f.kind is Kind.PERSON:
            targets.add("people")
        elif f.kind in (Kind.REF, Kind.REFS):
            targets.add(str(f.ref))
    references = {t: References.of(t, code_names(project, t)) for t in targets}
    if spec.name in references:
        # Rows of this very import may refer to each other (an asset depending on another).
        code_column = next((c.index for c in plan.mapped if c.field == spec.fields[0].name), None)
        if code_column is not None:
            own = references[spec.name]
            for _, cells in plan.rows:
                if code_column < len(cells) and cells[code_column] is not None:
                    own.add(spec.normalise_code(str(cells[code_column]).strip()))
    needs_method = any(spec.field(str(c.field)).kind is Kind.SCALE for c in plan.mapped)
    method = current_method(project) if needs_method else None
    return Converter(spec, method, references, create_missing=create)


@collector_paused()
def run_import(
    project: Project,
    plan: ImportPlan,
    *,
    dry_run: bool = False,
    create_missing: bool = False,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> ImportResult:
    """Check every row, then write them all (or, with any problem or on a dry run, none)."""
    spec = check_register(plan.register)
    convert = _converter(project, spec, plan, create_missing)
    columns = [(c.index, spec.field(str(c.field)), _label(c)) for c in plan.mapped]
    label_of = {f.name: label for _, f, label in columns}
    problems: list[ImportProblem] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    total = len(plan.rows)
    names = [f.name for _, f, _ in columns]
    # References a row may create (--create-missing) are converted row by row, as the
    # records made get their codes in the order they are first met; the rest by column.
    by_row = [c for c in columns if create_missing and _refers(c[1])]
    by_column = [c for c in columns if c not in by_row]
    for done in range(0, total, _CHUNK):
        check_cancelled(cancelled, "the import")
        progress(done, total)
        chunk = plan.rows[done : done + _CHUNK]
        numbers = [number for number, _ in chunk]
        converted: dict[str, list[Any]] = {f.name: [] for _, f, _ in by_row}
        found: list[tuple[int, int, str, Any, str]] = []  # (position, column, label, cell, why)
        for at, (number, cells) in enumerate(chunk):
            for index, f, label in by_row:
                cell = cells[index] if index < len(cells) else None
                values, refused = convert.column(f, [cell], [number], label)
                converted[f.name].append(values[0])
                if refused:
                    found.append((at, index, label, cell, refused[0]))
        for index, f, label in by_column:
            cells_ = [cells[index] if index < len(cells) else None for _, cells in chunk]
            converted[f.name], refused = convert.column(f, cells_, numbers, label)
            found.extend((at, index, label, cells_[at], why) for at, why in refused.items())
        for at, _index, label, cell, why in sorted(found, key=lambda p: (p[0], p[1])):
            problems.append(ImportProblem(numbers[at], label, shown(cell), why))
        by_name = [converted[name] for name in names]
        rows.extend(
            (number, dict(zip(names, values, strict=True)))
            for number, values in zip(numbers, zip(*by_name, strict=True), strict=True)
        )
    if not total:
        check_cancelled(cancelled, "the import")
        progress(0, total)
    check_cancelled(cancelled, "the import")
    bad_rows = {p.row for p in problems}
    good = [(n, v) for n, v in rows if n not in bad_rows]
    prerequisites = [(m.row, m.register, m.values) for m in convert.missing.values()]
    where = {(m.row, m.register): m.column for m in convert.missing.values()}
    result = registers.upsert_rows(
        project,
        plan.register,
        good,
        dry_run=dry_run or bool(problems),
        prerequisites=prerequisites,
        checked=True,  # every cell went through ``Converter.value``
    )
    for p in result.problems:
        column = where.get((p.row, p.column)) or _column_for(p.column, spec, label_of)
        problems.append(ImportProblem(p.row, column, shown(p.value), p.reason))
    problems.sort(key=lambda p: (p.row, p.column))
    progress(total, total)
    made: dict[str, int] = {}
    for m in convert.missing.values():
        made[m.register] = made.get(m.register, 0) + 1
    return ImportResult(
        plan=plan,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        records_created=made,
        problems=tuple(problems),
        written=result.written and not problems,
        dry_run=dry_run,
        changes=result.changes if result.written and not problems else None,
    )


_CHUNK = 500  # rows converted between two looks at Cancel (and two progress reports)


def _refers(f: Field) -> bool:
    return f.kind in (Kind.PERSON, Kind.REF, Kind.REFS)


def _label(column: ColumnMatch) -> str:
    return f"{column.letter} ({column.header})" if column.header else column.letter


def _column_for(header: str, spec: RegisterSpec, label_of: Mapping[str, str]) -> str:
    """The sheet column of a problem the services reported by field header."""
    for f in spec.fields:
        if f.header == header:
            return label_of.get(f.name, header)
    return header


def import_file(
    project: Project,
    register: str,
    path: Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping: Sequence[str] = (),
    dry_run: bool = False,
    create_missing: bool = False,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> ImportResult:
    """Read, match and import a spreadsheet in one call (the command line's import)."""
    check_register(register)
    book = open_spreadsheet(path)
    try:
        plan = plan_import(
            book, register, sheet=sheet, header_row=header_row, mapping=parse_mapping(mapping)
        )
    finally:
        book.close()
    return run_import(
        project,
        plan,
        dry_run=dry_run,
        create_missing=create_missing,
        progress=progress,
        cancelled=cancelled,
    )


def fields_of(register: str) -> list[Field]:
    """The fields a column may be mapped to (for the GUI's mapping editor)."""
    return [f for f in check_register(register).fields if not f.computed]
