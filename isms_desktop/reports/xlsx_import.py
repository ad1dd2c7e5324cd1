"""Importing a register from a spreadsheet, all rows or none (issue 11).

Two steps, so the GUI can show what will happen before it happens:

1. :func:`plan_import` reads the sheet, finds the header row and matches the columns to the
   register's fields (``spreadsheet_reader``), and collects the data rows below it;
2. :func:`run_import` checks every cell of every row (``xlsx_import_values``), lists every
   problem, and only when there is none hands the rows to ``services.registers.upsert_rows``,
   which matches them by ``Code`` (update), creates the others and checks the register's
   rules, in one transaction. A dry run does all of it and writes nothing.

A cell holding a formula whose result was never saved (an .xlsx a program wrote and no one has
saved in Excel since) has no value: it is a problem of its own, named by its cell, not an empty
cell ("required" or silently empty); as one fix mends them all, the first
``MAX_FORMULA_PROBLEMS`` are listed and the others counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from isms_desktop.domain.errors import BadArgumentsError, RejectedInputError
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
from isms_desktop.reports.spreadsheet_guard import UnsavedFormulas
from isms_desktop.reports.spreadsheet_reader import (
    HEADER_SEARCH_ROWS,
    MAX_FORMULA_PROBLEMS,
    Cell,
    ColumnMatch,
    Spreadsheet,
    UnsavedFormula,
    column_letter,
    find_header_row,
    formula_in_header,
    map_columns,
    more_unsaved_formulas,
    open_spreadsheet,
    parse_mapping,
    too_many_formulas,
)
from isms_desktop.reports.xlsx_import_values import (
    Converter,
    References,
    shown,
    unsaved_formula,
)
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
    if data.unsaved.more:
        raise RejectedInputError(too_many_formulas(book.path, data))
    if header_row is None:
        header_row = find_header_row(spec, data)
        if header_row is None:
            expected = ", ".join(f.header for f in spec.fields[:6])
            unsaved = [c for c in data.unsaved.cells if c[0] < HEADER_SEARCH_ROWS]
            raise BadArgumentsError(
                f"{book.path}, sheet {data.name!r}: no header row found — none of the first rows "
                f"names a column of the {spec.name} register (such as {expected}); "
                "give --header-row and --map" + (f" ({_formulas_note(unsaved)})" if unsaved else "")
            )
    elif not 1 <= header_row <= max(len(data.rows), 1):
        raise BadArgumentsError(
            f"{book.path}, sheet {data.name!r} has {len(data.rows)} rows; "
            f"--header-row {header_row} is beyond them"
        )
    headers = data.rows[header_row - 1] if header_row <= len(data.rows) else []
    in_header = formula_in_header(book.path, data, header_row)
    if in_header is not None:
        raise RejectedInputError(in_header)
    columns = map_columns(spec, headers, mapping)
    if not any(c.field for c in columns):
        raise BadArgumentsError(
            f"{book.path}, sheet {data.name!r}, row {header_row}: no column matches a field of "
            f'the {spec.name} register; use --map "Header=field"'
        )
    body = data.rows[header_row:]
    if data.unsaved.cells:
        body = _with_formulas(data.rows, data.unsaved, header_row)
    rows: list[Row] = []
    for number, cells in enumerate(body, start=header_row + 1):
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


def _with_formulas(
    grid: list[list[Cell]], unsaved: UnsavedFormulas, header_row: int
) -> list[list[Cell]]:
    """The rows below the header, with an ``UnsavedFormula`` in each cell that holds a
    formula with no saved result (the grid has None there, or has not the row at all)."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, column), formula in unsaved.cells.items():
        if row >= header_row:
            by_row.setdefault(row, []).append((column, formula))
    body = grid[header_row:]
    body.extend([] for _ in range(len(grid), max(by_row, default=-1) + 1))
    for row, found in by_row.items():
        cells = list(body[row - header_row])
        width = max(column for column, _ in found) + 1
        cells.extend([None] * (width - len(cells)))
        for column, formula in found:
            if cells[column] is None:  # never in place of a value calamine read
                cells[column] = UnsavedFormula(formula)
        body[row - header_row] = cells
    return body


def _formulas_note(cells: Sequence[tuple[int, int]]) -> str:
    """A note on formula cells with no saved result, for a message about the header row."""
    row, column = min(cells)
    return (
        f"{len(cells)} of the cells there, such as {column_letter(column)}{row + 1}, hold "
        "formulas whose results were never saved: open the file in Excel or LibreOffice and "
        "save it, then import it again"
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
                code = cells[code_column] if code_column < len(cells) else None
                if code is not None and code.__class__ is not UnsavedFormula:
                    own.add(spec.normalise_code(str(code).strip()))
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
    formulas: list[ImportProblem] = []  # cells with a formula and no saved result
    formula_rows: set[int] = set()
    more_formulas, first_more = 0, (0, "")  # those beyond MAX_FORMULA_PROBLEMS
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
        for at, index, label, cell, why in sorted(found, key=lambda p: (p[0], p[1])):
            if cell.__class__ is UnsavedFormula:
                # one fix for them all: the first few are listed, the others counted
                formula_rows.add(numbers[at])
                if len(formulas) < MAX_FORMULA_PROBLEMS:
                    cell_ref = f"{column_letter(index)}{numbers[at]}"
                    why = unsaved_formula(plan.sheet, cell_ref)
                    formulas.append(ImportProblem(numbers[at], label, shown(cell), why))
                    continue
                if not more_formulas:
                    first_more = (numbers[at], label)
                more_formulas += 1
                continue
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
    problems.extend(formulas)
    if more_formulas:
        problems.append(ImportProblem(*first_more, "", more_unsaved_formulas(more_formulas)))
    bad_rows = {p.row for p in problems} | formula_rows
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
