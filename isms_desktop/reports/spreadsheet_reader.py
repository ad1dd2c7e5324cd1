"""Reading the spreadsheets users bring: .xlsx, .xlsm, .xls, .ods (python-calamine) and .csv.

A file is first checked by ``spreadsheet_guard`` (size, zip bombs, encryption, used area), then
read into a plain grid: ``rows[i][j]`` is the cell in spreadsheet row ``i + 1`` and column
``j + 1``, so row numbers in reports are the ones the user sees. Empty cells are ``None``,
whole numbers are ``int``, formulas are their cached values, and merged cells carry the value
of their top-left cell in every cell they cover. A formula whose result was never saved (a file
a program wrote and no one opened in Excel since) has no value to read: it is empty in the grid,
and ``SheetData.unsaved`` names it, so the importer can say so rather than import nothing.

Then, for a register: the header row is found (possibly below title rows) and every column is
matched to a field by its header, case- and whitespace-insensitively, across line breaks, by
the field's header, name or synonyms, ignoring bracketed notes such as "(1–5)", and finally by
close spelling. ``--header-row`` and ``--map "Header=field"`` override what is found.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.fields import Field, RegisterSpec
from isms_desktop.reports.spreadsheet_guard import (
    MAX_CELLS,
    MAX_ROWS,
    Merged,
    UnreadableFileError,
    UnsavedFormulas,
    check_ole,
    check_size,
    check_zip,
    container,
)

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
HEADER_SEARCH_ROWS = 50  # the header row is looked for among the first rows only
MAX_CSV_FIELD = 1_000_000  # characters; longer is no table a person made
_FUZZY_CUTOFF = 0.85

Cell = Any  # None, str, int, float, bool, datetime.date, datetime.datetime, datetime.time


@dataclass
class SheetData:
    """One sheet as a grid of cell values (row 1 of the sheet is ``rows[0]``)."""

    name: str
    rows: list[list[Cell]]
    # the cells (0-based row and column, as ``rows``) whose formula has no saved result;
    # ``rows`` has None there (or no such row or cell)
    unsaved: UnsavedFormulas = field(default_factory=UnsavedFormulas)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Spreadsheet:
    """An opened spreadsheet file: its sheet names, and each sheet read on first use."""

    path: Path
    kind: str  # xlsx, xls, ods or csv
    sheet_names: list[str]
    _book: Any = None
    _ods_merged: dict[str, list[Merged]] = field(default_factory=dict)
    _sheets: dict[str, SheetData] = field(default_factory=dict)
    _unsaved: dict[str, UnsavedFormulas] = field(default_factory=dict)

    def sheet(self, name: str | None = None) -> SheetData:
        """The named sheet, or the first visible one (``name`` None)."""
        if not self.sheet_names:
            raise UnreadableFileError(f"{self.path} has no sheets")
        if name is None:
            name = self.sheet_names[0]
        elif name not in self.sheet_names:
            name = _find_sheet(self.path, self.sheet_names, name)
        if name not in self._sheets:
            self._sheets[name] = self._read(name)
        return self._sheets[name]

    def _read(self, name: str) -> SheetData:
        try:
            sheet = self._book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
            if self.kind == "ods":
                merged = self._ods_merged.get(name, [])
            else:
                merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
        except python_calamine.PasswordError:
            raise UnreadableFileError(
                f"{self.path} is protected with a password; save it again without one"
            ) from None
        except BaseException as exc:  # calamine's errors are many and untyped
            if not _failed(exc):
                raise
            raise UnreadableFileError(
                f"{self.path}: sheet {name!r} cannot be read ({exc})"
            ) from None
        # texts inline (most cells): a blank one is empty, as ``_cell`` has it
        rows = [
            [(v if v.strip() else None) if v.__class__ is str else _cell(v) for v in r]
            for r in grid
        ]
        _fill_merged(rows, merged, f"{self.path}: sheet {name!r}")
        return SheetData(name, _trim(rows), self._unsaved.get(name) or UnsavedFormulas())

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


def _find_sheet(path: Path, names: Sequence[str], wanted: str) -> str:
    """A sheet by name, ignoring case and spaces, or by number (1 = first sheet)."""
    key = normalise_header(wanted)
    for name in names:
        if normalise_header(name) == key:
            return name
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    raise BadArgumentsError(
        f"{path} has no sheet {wanted!r}; its sheets are {', '.join(map(repr, names))}"
    )


def open_spreadsheet(path: Path) -> Spreadsheet:
    """Check and open a spreadsheet file; refuses what cannot be read safely (exit 4)."""
    path = Path(path)
    if path.is_dir():
        raise BadArgumentsError(f"{path} is a folder; give a spreadsheet file such as assets.xlsx")
    if not path.is_file():
        raise BadArgumentsError(f"{path}: no such file")
    check_size(path)
    box = container(path)
    suffix = path.suffix.lower()
    if box == "zip":
        report = check_zip(path)
        book = _calamine(path, report.kind, report.ods_merged)
        book._unsaved = report.unsaved
        return book
    if box == "ole":
        check_ole(path)
        return _calamine(path, "xls", {})
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"):
        raise UnreadableFileError(
            f"{path} is not a spreadsheet: its content is not an Excel or OpenDocument workbook"
        )
    text = _decode(path)
    return _csv_book(path, text)


def _calamine(path: Path, kind: str, ods_merged: dict[str, list[Merged]]) -> Spreadsheet:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = [
            m.name
            for m in book.sheets_metadata
            if m.typ == python_calamine.SheetTypeEnum.WorkSheet
            and m.visible == python_calamine.SheetVisibleEnum.Visible
        ] or list(book.sheet_names)
    except python_calamine.PasswordError:
        raise UnreadableFileError(
            f"{path} is protected with a password; save it again without one"
        ) from None
    except BaseException as exc:
        if not _failed(exc):
            raise
        raise UnreadableFileError(f"{path} is damaged or not a spreadsheet ({exc})") from None
    return Spreadsheet(path, kind, names, book, ods_merged)


def _failed(exc: BaseException) -> bool:
    """Whether calamine failed on the file: an error, or a panic of its Rust code (pyo3's
    PanicException, which python_calamine does not export, derives from BaseException so that
    ``except Exception`` lets it through); not an interrupt or an exit."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


# --- cells -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnsavedFormula:
    """A cell holding a formula whose result was never saved: no value to import. The
    importer puts it where the grid has None (``SheetData.unsaved``); it shows as its formula."""

    formula: str  # as written in the file, without "=" ("" for a shared formula's other cells)

    def __str__(self) -> str:
        return f"={self.formula}" if self.formula else ""


def _cell(value: Any) -> Cell:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.timedelta):  # a duration cell: keep what the user sees
        return str(value)
    return value


def _fill_merged(rows: list[list[Cell]], merged: Sequence[Merged], where: str) -> None:
    """Every cell of a merged range shows the top-left value, as the user sees it.

    Merged ranges of a real sheet do not overlap, so together they cover at most the sheet's
    cells: ranges claiming more (overlapping ones, up to ``MAX_MERGED`` of them, each as
    large as the sheet) would take hours to fill and are refused (``where``: the sheet, for
    the message). A range written backwards ("A9:B1", which calamine passes on as written)
    fills nothing, and so counts no cells (negative counts would let others through)."""
    budget = MAX_CELLS
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows) or c0 >= len(rows[r0]) or r1 < r0 or c1 < c0:
            continue
        value = rows[r0][c0]
        if value is None:
            continue
        last_row = min(r1, len(rows) - 1)
        budget -= (last_row - r0 + 1) * (min(c1, len(rows[r0]) - 1) - c0 + 1)
        if budget < 0:
            raise UnreadableFileError(
                f"{where} has merged cells that overlap or cover more than {MAX_CELLS:,} "
                "cells; unmerge them, or open the file and save it again"
            )
        for r in range(r0, last_row + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = value


def _trim(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Drop empty rows at the end and empty cells at the end of each row."""
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    return rows


# --- csv -------------------------------------------------------------------------------------


def _decode(path: Path) -> str:
    """The text of a CSV file: by its byte-order mark, else UTF-8, else Windows-1252."""
    data = path.read_bytes()
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:8192]:
        raise UnreadableFileError(
            f"{path} is not a spreadsheet (neither a workbook nor text); "
            "import an .xlsx, .xlsm, .xls, .ods or .csv file"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; cp1252 covers Western Europe.
        return data.decode("cp1252", errors="replace")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        lines = sample.splitlines()[:20]
        counts = {d: sum(line.count(d) for line in lines) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])

        class Guessed(csv.excel):
            delimiter = best if counts[best] else ","

        return Guessed


def _csv_book(path: Path, text: str) -> Spreadsheet:
    dialect = _dialect(text[:65536])
    csv.field_size_limit(MAX_CSV_FIELD)
    rows: list[list[Cell]] = []
    width = 0
    source = io.StringIO(text, newline="")
    reader = csv.reader(source, dialect)
    start = last = 0  # where the record read next, and the last one read, begin (characters)
    try:
        for record in reader:
            rows.append([v if v.strip() else None for v in record])
            width = max(width, len(record))
            if len(rows) > MAX_ROWS or len(rows) * width > MAX_CELLS:
                raise UnreadableFileError(
                    f"{path} has more than {MAX_ROWS:,} rows or {MAX_CELLS:,} cells; "
                    "that many are not imported"
                )
            last, start = start, source.tell()
    except csv.Error as exc:
        raise UnreadableFileError(
            _csv_error(path, text, start, reader.line_num, dialect, exc)
        ) from None
    if rows:
        # A quote left open takes the rest of the file into one cell (csv reads on to the end)
        left_open = _open_quote(text, last, dialect)
        if left_open is not None:
            raise UnreadableFileError(_unclosed(path, dialect, *left_open))
    book = Spreadsheet(path, "csv", [path.stem])
    book._sheets[path.stem] = SheetData(path.stem, _trim(rows))
    return book


def _line_at(text: str, offset: int) -> int:
    """The line number (1-based) of a character of ``text``, counting line breaks as csv
    does ("\\r\\n", "\\r" or "\\n")."""
    return 1 + len(_LINE_BREAK.findall(text, 0, offset))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _open_quote(
    text: str, start: int, dialect: type[csv.Dialect] | csv.Dialect
) -> tuple[int, int, str] | None:
    """Where a quote opens that is never closed, if the record at ``start`` (characters) has
    one and runs on to the end of ``text``: its line, its field (0-based) and the start of
    the text it took in; else None."""
    quote = dialect.quotechar
    tail = text[start:]
    if not quote or dialect.quoting == csv.QUOTE_NONE or quote not in tail:
        return None
    limit = csv.field_size_limit(max(len(tail) + 1, MAX_CSV_FIELD))
    try:
        source = io.StringIO(tail, newline="")
        record = next(csv.reader(source, dialect), None)
        if record is None or source.tell() != len(tail):
            return None  # the record ends before the end: no quote is left open in it
        # A quote added at the end changes nothing only if it closes a quoted field open there
        closed = list(csv.reader(io.StringIO(tail + quote, newline=""), dialect))
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(limit)
    if not record or closed != [record]:
        return None
    breaks = sum(len(_LINE_BREAK.findall(field)) for field in record[:-1])
    return _line_at(text, start) + breaks, len(record) - 1, record[-1]


def _unclosed(
    path: Path, dialect: type[csv.Dialect] | csv.Dialect, line: int, index: int, taken: str
) -> str:
    quote = dialect.quotechar
    begins = " ".join(taken.split())[:40]
    return (
        f"{path}, line {line}, value {index + 1} (column {column_letter(index)}): a quote "
        f"({quote}) opens a value that is never closed, so everything after it to the end of "
        f"the file would be read as one cell (beginning {begins!r}); add the closing quote or "
        "remove the opening one, then import again"
    )


def _csv_error(
    path: Path,
    text: str,
    start: int,
    line: int,
    dialect: type[csv.Dialect] | csv.Dialect,
    exc: csv.Error,
) -> str:
    """What csv could not read, in the user's words, with the line it is on."""
    message = str(exc)
    if "field larger than field limit" in message:
        left_open = _open_quote(text, start, dialect)
        if left_open is not None:
            return _unclosed(path, dialect, *left_open)
        return (
            f"{path}, line {_line_at(text, start)}: a value that begins on this line runs on for "
            f"more than {MAX_CSV_FIELD:,} characters; no table a person keeps has such a value"
        )
    return f"{path}, line {line}: it cannot be read as CSV ({message})"


# --- headers ---------------------------------------------------------------------------------

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")


def normalise_header(text: Any) -> str:
    """Lower case, one space between words, punctuation gone: how headers are compared."""
    value = unicodedata.normalize("NFKC", str(text)).lower()
    value = re.sub(r"[^\w%#]+", " ", value)
    return value.replace("_", " ").strip()


def _stripped(text: Any) -> str:
    """The header without bracketed notes: "Likelihood (1–5)" -> "likelihood"."""
    return normalise_header(_BRACKETS.sub(" ", str(text)))


@dataclass(frozen=True)
class ColumnMatch:
    """What one column of the sheet is taken to be."""

    index: int  # 0-based
    header: str  # as written in the sheet
    field: str | None  # the field it fills, or None (ignored)
    how: str  # "header", "synonym", "close spelling", "--map", or why it is ignored

    @property
    def letter(self) -> str:
        return column_letter(self.index)


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- formulas whose result was never saved: what every importer says of them ----------------

MAX_FORMULA_PROBLEMS = 20  # such cells named one by one; the others counted in one problem


def too_many_formulas(path: Path, data: SheetData) -> str:
    """Why a sheet with too many cells holding a formula with no saved result to note them
    all (``data.unsaved.more``) is refused."""
    row, column = min(data.unsaved.cells)
    return (
        f"{path}, sheet {data.name!r}: more than {len(data.unsaved.cells):,} cells hold "
        f"formulas whose results were never saved (the first is {column_letter(column)}"
        f"{row + 1}), so they "
        "have no values to import; open the file in Excel or LibreOffice and save it (or "
        "paste the values over the formulas), then import it again"
    )


def formula_in_header(path: Path, data: SheetData, header_row: int) -> str | None:
    """Why a sheet is refused whose header row (``header_row``, 1-based) holds a formula
    with no saved result (its column cannot be told), or None if it holds none."""
    in_header = sorted(c for c in data.unsaved.cells if c[0] == header_row - 1)
    if not in_header:
        return None
    # the words for one cell are those of the register import's (which imports this module)
    from isms_desktop.reports.xlsx_import_values import unsaved_formula

    row, column = in_header[0]
    return f"{path}, sheet {data.name!r}, header row {header_row}: " + unsaved_formula(
        data.name, f"{column_letter(column)}{row + 1}"
    )


def more_unsaved_formulas(count: int) -> str:
    """The problem counting the ``count`` cells with a formula and no saved result beyond
    the first ``MAX_FORMULA_PROBLEMS`` named."""
    return (
        f"and {count:,} more cells from here on hold formulas whose results "
        "were never saved (the same fix: open the file in Excel or LibreOffice and "
        "save it, then import it again)"
    )


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _candidates(spec: RegisterSpec) -> list[tuple[int, str, str]]:
    """(priority, normalised name, field) for every way a field may be named; lower wins."""
    found: list[tuple[int, str, str]] = []
    for f in spec.fields:
        found.append((0, normalise_header(f.header), f.name))
        found.append((1, normalise_header(f.name), f.name))
        found.extend((1, normalise_header(s), f.name) for s in f.synonyms)
    code = spec.fields[0].name
    nouns = {_singular(w) for w in normalise_header(spec.title).split()} | {
        _singular(normalise_header(spec.name))
    }
    for noun in nouns:
        for suffix in ("id", "ref", "no", "number", "code", "reference", "#"):
            found.append((2, f"{noun} {suffix}", code))
    found.extend((2, name, code) for name in ("#", "id", "ref", "reference", "ref no", "no"))
    return found


@dataclass(frozen=True)
class _Names:
    """The candidates of a register, indexed for matching many headers."""

    by_name: dict[str, list[tuple[int, int, str]]]  # name -> (priority, position, field)
    fuzzy: dict[str, str]  # names of four letters or more -> field
    longest: int  # characters of the longest fuzzy name


# register spec (by identity, kept alive here) -> its candidates, built once per process
_NAMES: dict[int, tuple[RegisterSpec, _Names]] = {}


def _names(spec: RegisterSpec) -> _Names:
    cached = _NAMES.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    candidates = _candidates(spec)
    by_name: dict[str, list[tuple[int, int, str]]] = {}
    for position, (priority, name, field_name) in enumerate(candidates):
        by_name.setdefault(name, []).append((priority, position, field_name))
    fuzzy = {name: f for _, name, f in candidates if len(name) >= 4}
    names = _Names(by_name, fuzzy, max(map(len, fuzzy), default=0))
    _NAMES[id(spec)] = (spec, names)
    return names


def match_header(spec: RegisterSpec, header: Any) -> tuple[int, str] | None:
    """(priority, field) a header names, or None; priority 0 is the best match."""
    if header is None or isinstance(header, bool):
        return None
    full, short = normalise_header(header), _stripped(header)
    if not full:
        return None
    index = _names(spec)
    # (rank, position in the candidates, field): the lowest rank wins, then the first named
    hits = [(p, pos, f) for p, pos, f in index.by_name.get(full, [])]
    if short != full:
        hits.extend((p + 3, pos, f) for p, pos, f in index.by_name.get(short, []))
    if hits:
        rank, _, field_name = min(hits)
        return rank, field_name
    if len(short) < 4 or not _may_be_close(len(short), index.longest):
        return None
    close = difflib.get_close_matches(short, list(index.fuzzy), n=1, cutoff=_FUZZY_CUTOFF)
    return (9, index.fuzzy[close[0]]) if close else None


def _may_be_close(length: int, longest: int) -> bool:
    """Whether a text of ``length`` characters may be a close spelling of a name of at most
    ``longest``: difflib's ratio is at most ``2 * shorter / (both lengths)``, the bound its
    ``real_quick_ratio`` checks first (so a long text cell costs no difflib call)."""
    if length <= longest:
        return True
    return 2.0 * longest / (length + longest) >= _FUZZY_CUTOFF


def find_header_row(spec: RegisterSpec, sheet: SheetData) -> int | None:
    """The 1-based number of the row that names most of the register's columns."""
    best_row, best_score = None, 0
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        fields = set()
        for value in row:
            if isinstance(value, str):
                hit = match_header(spec, value)
                if hit is not None:
                    fields.add(hit[1])
        if len(fields) > best_score:
            best_row, best_score = index + 1, len(fields)
    return best_row


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """``--map`` options "Header=field" as {normalised header: field text}."""
    mapping: dict[str, str] = {}
    for item in items:
        header, sep, target = item.partition("=")
        if not sep or not header.strip():
            raise BadArgumentsError(
                f'--map {item!r} must have the form "Header=field" (e.g. "Risk ID=code"; '
                "an empty field ignores the column)"
            )
        mapping[normalise_header(header)] = target.strip()
    return mapping


def _field_named(spec: RegisterSpec, text: str) -> Field:
    key = normalise_header(text)
    for f in spec.fields:
        if key in (normalise_header(f.name), normalise_header(f.header)):
            return f
    names = ", ".join(f.name for f in spec.fields if not f.computed)
    raise BadArgumentsError(f"the {spec.name} register has no field {text!r}; its fields: {names}")


def map_columns(
    spec: RegisterSpec, headers: Sequence[Cell], mapping: Mapping[str, str] | None = None
) -> list[ColumnMatch]:
    """Which field each column fills; the best-matching column wins a field named twice."""
    mapping = dict(mapping or {})
    used_maps: set[str] = set()
    wanted: list[tuple[int, int, str, str]] = []  # (rank, column, field, how)
    matches: dict[int, ColumnMatch] = {}
    for index, value in enumerate(headers):
        text = "" if value is None else str(value).strip()
        key = normalise_header(text)
        if key and key in mapping:
            used_maps.add(key)
            target = mapping[key]
            if not target:
                matches[index] = ColumnMatch(index, text, None, "ignored (--map)")
                continue
            wanted.append((-1, index, _field_named(spec, target).name, "--map"))
            continue
        if not key:
            matches[index] = ColumnMatch(index, text, None, "no header")
            continue
        hit = match_header(spec, value)
        if hit is None:
            matches[index] = ColumnMatch(index, text, None, "not a field of this register")
            continue
        rank, field_name = hit
        how = "header" if rank in (0, 3) else "close spelling" if rank == 9 else "synonym"
        wanted.append((rank, index, field_name, how))
    unknown = set(mapping) - used_maps
    if unknown:
        shown = ", ".join(repr(h) for h in headers if h is not None)
        raise BadArgumentsError(
            f"--map names a header the sheet does not have: {', '.join(sorted(unknown))} "
            f"(its headers: {shown})"
        )
    taken: dict[str, int] = {}
    for _rank, index, field_name, how in sorted(wanted):
        text = str(headers[index]).strip()
        if field_name in taken:
            other = column_letter(taken[field_name])
            matches[index] = ColumnMatch(index, text, None, f"ignored: column {other} fills it")
            continue
        f = spec.field(field_name)
        if f.computed:
            taken[field_name] = index
            matches[index] = ColumnMatch(index, text, None, "ignored: filled in automatically")
            continue
        taken[field_name] = index
        matches[index] = ColumnMatch(index, text, field_name, how)
    return [matches[i] for i in sorted(matches)]
