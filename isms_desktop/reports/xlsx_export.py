"""The Excel export: the registers of a project as one workbook made for sharing (issue 11).

A cover sheet (organisation, date, version, contents with links) comes first, then one sheet
per register named as CONTRACT.md says, with the register's headers in row 1 and one record
per row below. Each sheet has a bold frozen header row, an autofilter, fitted column widths,
wrapped long text, real dates and numbers, drop-downs on enumerated columns and risk levels
coloured by the project's matrix colours, so the workbook sorts, filters and edits well in
Excel and LibreOffice, and imports back (``reports.xlsx_import``).

openpyxl's write-only mode streams rows to disk, which keeps 100,000-row registers fast and
small in memory; its price is that column widths must be set before the first row, so they
are fitted to the first chunk of rows. Text that a spreadsheet could run as a formula is
always stored as text. The workbook is written to a temporary file beside the target and
moved into place at the end, so a failed or cancelled export leaves nothing at the target.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_APP, XPROPS_NS

from isms_desktop import APP_NAME, __version__
from isms_desktop.domain.colours import prefers_dark_text
from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.fields import Field, Kind, RegisterSpec
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.registers import REGISTER_NAMES, sheet_name
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.reports.progress import (
    Cancelled,
    Progress,
    check_cancelled,
    never_cancelled,
    no_progress,
)
from isms_desktop.reports.register_rows import Values, value_chunks
from isms_desktop.services import projects, registers
from isms_desktop.services.risk_method import current_method
from isms_desktop.storage.file_modes import as_user_file
from isms_desktop.storage.project_file import Project

COVER_SHEET = "Cover"
LISTS_SHEET = "Lists"
EXCEL_MAX_CHARS = 32_767  # longer text is cut by Excel itself, so we cut it and say so
EXCEL_MAX_ROW = 1_048_576
MAX_WIDTH = 60
MIN_WIDTH = 6
# Rows of wrapped text are as high as their text, up to MAX_LINES lines (240 px): the rest
# shows in the cell when it is opened, and the table stays readable.
MAX_LINES = 12
LINE_HEIGHT = 15.0  # points, a line of 11 pt Calibri (Excel's default row height)
# Characters of column width one landscape page prints at a legible size (about 70 %);
# wider tables print on several pages side by side.
PRINT_WIDTH_PER_PAGE = 220
# Rows per read: small enough to cancel promptly and to stay under old SQLite's limit of
# 999 query parameters, large enough to be fast.
CHUNK = 900
# A list typed into a validation may hold at most 255 characters; longer ones live in the
# hidden Lists sheet. Tests lower this to exercise that path.
INLINE_LIST_LIMIT = 255
# What a spreadsheet would run as a formula (or DDE command) when the cell is edited.
FORMULA_START = frozenset("=+-@\t\r")
_ERROR_CODES = frozenset(ERROR_CODES)
# Anything that needs more than a plain string cell: formula start, line break, control chars.
_SPECIAL = re.compile(r"^[=+\-@\t\r]|[\n\x00-\x08\x0b\x0c\x0e-\x1f]")
# What needs more than a plain or wrapped text cell, over a column's texts joined by the
# unit separator: a control character (other than the separators) or, after a separator,
# what a spreadsheet runs as a formula.
_UNIT = "\x1f"
# (Two searches: each is several times faster than one with both.)
_CONTROL_JOINED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1e]")
_FORMULA_JOINED = re.compile(r"\x1f[=+\-@\t\r]")
# How a column of texts goes into its cells (``_text_column``).
AS_THEY_ARE, EMPTY_AS_NONE, WRAPPED_WHERE_LONG, EACH_CHECKED = range(4)
_NONE = type(None)
_INTS: frozenset[type] = frozenset((int, _NONE))
_NUMBERS: frozenset[type] = frozenset((int, float, _NONE))
_BOOLS: frozenset[type] = frozenset((bool, _NONE))
_DATES: frozenset[type] = frozenset((dt.date, dt.datetime, _NONE))
_TEXTS: frozenset[type] = frozenset((str, _NONE))
_YES_NO = {True: "Yes", False: "No", None: None}

# Fonts name their face: a font with only "bold" set shows in the reader's default face
# (a serif one in LibreOffice), not in the workbook's Calibri.
_FONT = {"name": "Calibri", "family": 2, "scheme": "minor", "size": 11}
_HEADER_FONT = Font(**_FONT, bold=True)
_TITLE_FONT = Font(**{**_FONT, "size": 14}, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="8EA9DB"))
_HEADER_ALIGNMENT = Alignment(vertical="center")
# Every cell of a table sits at the top of its row: beside a wrapped text several lines
# high, a code or date at the bottom is hard to read across. (Rows of one line look the same.)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")
# Dates as dates (the filter groups them by year and month); times to the minute.
_DATE_FORMATS = {Kind.DATE: "yyyy-mm-dd", Kind.DATETIME: "yyyy-mm-dd hh:mm"}
_LINK_FONT = Font(**_FONT, color="0563C1", underline="single")
# Printing: margins in inches; the header and footer name the organisation, the register,
# the sheet and the page, so a printed page says where it comes from.
_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6, "header": 0.3, "footer": 0.3}
_HEADER_FOOTER_MAX = 80  # characters of a name in a page header (Excel allows 255 in all)

# (stored value, the row's code, wrap text longer than this) -> what goes into the cell
Converter = Callable[[Any, Any, int], Any]
# (a column's stored values, the rows' codes, wrap text longer than this) -> its cells
ColumnConverter = Callable[[Sequence[Any], Sequence[Any], int], Iterable[Any]]


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    sheets: tuple[str, ...]  # the register sheets, in workbook order
    rows: dict[str, int]  # data rows per register
    truncated: tuple[str, ...]  # cells cut to Excel's limit: "Context CI-003 Effect on the ISMS"


def export_order(selected: Sequence[str] | None = None) -> list[str]:
    """The registers to export, in workbook order: CONTRACT.md's order, then the others.

    Unknown names are refused; a name of CONTRACT.md that has no register yet is refused
    with a message saying so, rather than silently giving an empty sheet.
    """
    order = [n for n in REGISTER_NAMES if n in SPECS] + [
        n for n in SPECS if n not in REGISTER_NAMES
    ]
    if selected is None:
        return order
    for name in selected:
        if name in SPECS:
            continue
        if name in REGISTER_NAMES:
            raise BadArgumentsError(f"the {name} register cannot be exported yet")
        raise BadArgumentsError(
            f"there is no register named {name!r}; choose one of {', '.join(order)}"
        )
    wanted = set(selected)
    return [n for n in order if n in wanted]


def export_workbook(
    project: Project,
    target: Path,
    register_names: Sequence[str] | None = None,
    *,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    today: dt.date | None = None,
) -> ExportResult:
    """Write the registers (all, or the named ones) as one workbook at ``target``.

    ``progress(done, total)`` counts rows; ``cancelled()`` is polled between chunks and makes
    the export raise ``CancelledError``. Either way, the target is only ever replaced by a
    complete workbook.
    """
    target = Path(target)
    names = export_order(register_names)
    if not target.parent.is_dir():
        raise BadArgumentsError(f"{target.parent}: no such folder")
    if target.is_dir():
        raise BadArgumentsError(f"{target} is a folder; give a file name such as export.xlsx")
    # The rows of every register, in display order: they also count the rows for progress.
    ids = {name: registers.query_ids(project, name) for name in names}
    total = sum(map(len, ids.values()))
    method = current_method(project) if _needs_method(names) else None
    organisation = projects.summary(project).organisation

    wb = Workbook(write_only=True)
    # the file's properties: openpyxl would name itself as the author
    wb.properties.creator = wb.properties.lastModifiedBy = f"{APP_NAME} {__version__}"
    wb.properties.title = f"ISMS registers — {organisation}"
    wb.properties.subject = projects.STANDARD
    today = today or dt.date.today()
    builder = _WorkbookBuilder(wb, method, organisation, today)
    cover = wb.create_sheet(COVER_SHEET)  # first, so the workbook opens on it
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        done = 0
        written: dict[str, int] = {}
        for name in names:
            check_cancelled(cancelled, "the export")
            rows = 0
            for rows in builder.write_register(
                SPECS[name], value_chunks(project, name, CHUNK, ids[name])
            ):
                done_now = done + rows
                progress(done_now, total)
                check_cancelled(cancelled, "the export")
            written[name] = rows
            done += rows
        builder.write_lists()
        _write_cover(cover, builder, organisation, names, written, today)
        check_cancelled(cancelled, "the export")
        _save(wb, tmp, organisation)
        as_user_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        _discard(wb)
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    progress(total, total)
    return ExportResult(
        path=target,
        sheets=tuple(sheet_name(n) for n in names),
        rows=written,
        truncated=tuple(builder.truncated),
    )


class _Archive(ZipFile):
    """A workbook's zip file, whose application properties (docProps/app.xml) are ours:
    openpyxl writes fixed ones, naming itself and no company."""

    def __init__(self, path: Path, app_properties: bytes) -> None:
        super().__init__(path, "w", ZIP_DEFLATED, allowZip64=True)
        self.app_properties = app_properties

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if zinfo_or_arcname == ARC_APP:
            data = self.app_properties
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def _save(wb: Workbook, path: Path, organisation: str) -> None:
    """``wb.save(path)``, with the organisation as the file's company and the application
    that made it, as a recipient's file properties show them."""
    company = escape(ILLEGAL_CHARACTERS_RE.sub("", organisation))
    app_properties = (
        f'<Properties xmlns="{XPROPS_NS}"><Application>{escape(APP_NAME)}</Application>'
        f"<Company>{company}</Company></Properties>"
    )
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    ExcelWriter(wb, _Archive(path, app_properties.encode())).save()


def _needs_method(names: Sequence[str]) -> bool:
    return any(f.kind in (Kind.LEVEL, Kind.SCALE) for n in names for f in SPECS[n].fields)


def _discard(wb: Workbook) -> None:
    """Remove the temporary files write-only sheets stream into (an export that failed)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        rows = getattr(ws, "_rows", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


class _WorkbookBuilder:
    """Writes register sheets into one write-only workbook, sharing its styles and lists."""

    def __init__(
        self,
        wb: Workbook,
        method: RiskMethod | None,
        organisation: str = "",
        exported: dt.date | None = None,
    ) -> None:
        self.wb = wb
        self.method = method
        self.organisation = organisation
        self.exported = exported
        self.truncated: list[str] = []
        self._lists: list[tuple[str, list[str]]] = []  # (title, labels) for the Lists sheet
        self._list_refs: dict[tuple[str, ...], str] = {}
        probe = Cell(
            wb.create_sheet("probe"), row=1, column=1
        )  # style arrays are registered per workbook
        self._styles = {
            (wrap, quote): self._style(probe, wrap, quote)
            for wrap in (False, True)
            for quote in (False, True)
        }
        self._wrap_alignment = self._styles[(True, False)].alignmentId
        self._date_styles = {}
        for kind, number_format in _DATE_FORMATS.items():
            probe = Cell(probe.parent, row=1, column=1)
            probe.number_format = number_format
            probe.alignment = _TOP
            self._date_styles[kind] = StyleArray(probe._style)
        _top_by_default(wb)
        probe = Cell(probe.parent, row=1, column=1)
        probe.font = _HEADER_FONT
        probe.fill = _HEADER_FILL
        probe.border = _HEADER_BORDER
        probe.alignment = _HEADER_ALIGNMENT
        self._header_style = StyleArray(probe._style)
        wb.remove(probe.parent)

    @staticmethod
    def _style(probe: Cell, wrap: bool, quote: bool) -> Any:
        probe.alignment = _WRAP if wrap else _TOP
        probe.quotePrefix = quote
        return StyleArray(probe._style)

    # --- cells -------------------------------------------------------------------------

    def text(self, ws: Any, text: str, wrap_at: int, where: str = "") -> str | Cell:
        """A text cell that shows and stays as text, never as a formula or error value."""
        if ILLEGAL_CHARACTERS_RE.search(text):
            # Control characters cannot be stored in the XML of a workbook at all.
            text = ILLEGAL_CHARACTERS_RE.sub("", text)
        if len(text) > EXCEL_MAX_CHARS:
            text = text[:EXCEL_MAX_CHARS]
            self.truncated.append(where)
        risky = text[:1] in FORMULA_START or text in _ERROR_CODES
        wrap = len(text) > wrap_at or "\n" in text
        if not (risky or wrap):
            return text
        # quotePrefix keeps it text when someone edits the cell in Excel later on. The text
        # is checked above, so it is stored as it is, always as text (never "f" or "e").
        cell = Cell(ws, row=1, column=1, style_array=self._styles[(wrap, risky)])
        cell._value = text
        cell.data_type = "s"
        return cell

    def date(self, ws: Any, kind: Kind, value: dt.date) -> Cell:
        """A date cell in the field's format, at the top of its row."""
        cell = Cell(ws, row=1, column=1, style_array=self._date_styles[kind])
        cell._value = value
        cell.data_type = "d"
        return cell

    def _wrapped_cell(self, ws: Any) -> Cell:
        """A cell for wrapped text (whose value is set just before its row is written)."""
        cell = Cell(ws, row=1, column=1, style_array=self._styles[(True, False)])
        cell.data_type = "s"
        return cell

    # --- sheets ------------------------------------------------------------------------

    def write_register(self, spec: RegisterSpec, chunks: Iterator[list[Values]]) -> Iterator[int]:
        """Write one register's sheet; yields the number of rows written so far.

        Values are converted a column at a time: a column whose values all go into their
        cells unchanged (the common case: numbers, dates, short plain texts) is checked in
        a few passes at C speed and written as it is, without work per cell.
        """
        ws = self.wb.create_sheet(sheet_name(spec.name))
        ws.freeze_panes = "A2"
        convert = [self._column_converter(ws, spec, f) for f in spec.fields]
        first = next(chunks, [])
        sample = _convert(convert, first, [MAX_WIDTH] * len(convert))
        widths = _widths(spec, sample)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        self.print_setup(ws, spec.title, widths)
        header = self._header_style
        ws.append(
            [Cell(ws, row=1, column=1, value=f.header, style_array=header) for f in spec.fields]
        )
        self._append(ws, sample, widths, 2)
        written = len(first)
        yield written
        for chunk in chunks:
            self._append(ws, _convert(convert, chunk, widths), widths, written + 2)
            written += len(chunk)
            yield written
        last_col = get_column_letter(len(spec.fields))
        ws.auto_filter.ref = f"A1:{last_col}{written + 1}"
        self._validate(ws, spec)
        self._colour_levels(ws, spec)
        yield written

    def print_setup(self, ws: Any, title: str, widths: Sequence[float] | None = None) -> None:
        """How a sheet prints, with a page header and footer telling the organisation, the
        register, the sheet and the page.

        A register's table (``widths``, its column widths) prints in landscape with grid
        lines and its header row on every page, scaled to the page's width; a table too
        wide for one page at a legible size is spread over as many pages side by side
        (pages of the same rows one after the other, the Code column on each). A sheet
        without ``widths`` (the cover) prints in portrait on one page's width.
        """
        setup = ws.page_setup
        setup.fitToWidth = 1
        setup.fitToHeight = 0  # no limit: the table runs on as many pages as it needs
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        for side, inches in _MARGINS.items():
            setattr(ws.page_margins, side, inches)
        if widths is None:
            setup.orientation = "portrait"
        else:
            setup.orientation = "landscape"
            ws.print_options.gridLines = True
            ws.print_title_rows = "1:1"
            pages = math.ceil(sum(widths) / PRINT_WIDTH_PER_PAGE)
            if pages > 1:
                setup.fitToWidth = pages
                setup.pageOrder = "overThenDown"
                ws.print_title_cols = "A:A"
        ws.oddHeader.left.text = _header_text(self.organisation)
        ws.oddHeader.right.text = _header_text(title)
        ws.oddFooter.left.text = "&A"  # the sheet's name
        ws.oddFooter.center.text = "Page &P of &N"
        if self.exported is not None:
            ws.oddFooter.right.text = f"Exported {self.exported.isoformat()}"

    def _append(
        self, ws: Any, columns: list[Iterable[Any]], widths: list[int], first_row: int
    ) -> None:
        """Write rows given as columns, from row ``first_row`` on; a row with wrapped text
        gets the height its text needs (up to ``MAX_LINES`` lines).

        Excel fits a row to its wrapped text when it shows it, but LibreOffice keeps it one
        line high, its lines drawn over the rows below (and printed so), and neither caps a
        row at a height that leaves the table readable. A write-only sheet writes each row
        as it is appended, with the attributes its ``row_dimensions`` hold for that row;
        they hold this chunk's heights while its rows are written. Such a row's format is
        the workbook's first (top-aligned, ``_top_by_default``), which LibreOffice gives its
        cells that have no format of their own, as Excel does anyway.
        """
        heights = _row_lines(columns, widths, self._wrap_alignment)
        dims = ws.row_dimensions
        if heights:
            dims.update({first_row + i: _ROW_HEIGHT[n] for i, n in heights.items()})
        append = ws.append
        for cells in zip(*columns, strict=True):
            append(cells)
        if heights:
            dims.clear()

    def _text_converter(self, ws: Any, spec: RegisterSpec, f: Field) -> Converter:
        """How one field's text becomes a cell value."""
        sheet = sheet_name(spec.name)

        def text(value: str, code: Any, wrap_at: int) -> Any:
            if not value:
                return None
            if len(value) <= wrap_at and not _SPECIAL.search(value) and value not in _ERROR_CODES:
                return value  # the common case, kept cheap: 100,000s of cells
            return self.text(ws, value, wrap_at, f"{sheet} {code} {f.header}")

        return text

    def _converter(self, ws: Any, spec: RegisterSpec, f: Field) -> Converter:
        """How one field's stored value becomes a cell value (chosen once per column)."""
        text = self._text_converter(ws, spec, f)

        match f.kind:
            case Kind.INT | Kind.SCALE:
                return lambda v, code, w: (
                    v if v is None or isinstance(v, int) else text(str(v), code, w)
                )
            case Kind.BOOL:
                return lambda v, code, w: None if v is None else ("Yes" if v else "No")
            case Kind.NUMBER:
                return lambda v, code, w: (
                    v if v is None or isinstance(v, int | float) else text(str(v), code, w)
                )
            case Kind.DATE | Kind.DATETIME:
                kind = f.kind
                return lambda v, code, w: (
                    self.date(ws, kind, v) if isinstance(v, dt.date) else v or None
                )
            case Kind.CHOICE:
                labels = f.choice_labels
                return lambda v, code, w: text(labels.get(v, v or ""), code, w)
            case Kind.LEVEL:
                levels = {lv.code: lv.label for lv in self.method.levels} if self.method else {}
                return lambda v, code, w: text(levels.get(v, v or ""), code, w)
            case Kind.LIST:
                return lambda v, code, w: text("\n".join(v or ()), code, w)
            case Kind.REFS:
                return lambda v, code, w: text(", ".join(v or ()), code, w)
        return lambda v, code, w: text(v if isinstance(v, str) else str(v or ""), code, w)

    def _column_converter(self, ws: Any, spec: RegisterSpec, f: Field) -> ColumnConverter:
        """How a column of one field's stored values becomes cells: what ``_converter``
        does to each value, done for the whole column where its values allow."""
        one = self._converter(ws, spec, f)
        text = self._text_converter(ws, spec, f)

        def each(values: Sequence[Any], codes: Sequence[Any], wrap_at: int) -> list[Any]:
            return _Checked(one(v, code, wrap_at) for v, code in zip(values, codes, strict=True))

        def texts(values: Sequence[Any], codes: Sequence[Any], wrap_at: int) -> Iterable[Any]:
            """Texts (or None): as they are where every one goes into a plain cell."""
            how = _text_column(values, wrap_at)
            if how == AS_THEY_ARE:
                return values
            if how == EMPTY_AS_NONE:
                return [v or None for v in values]
            if how == WRAPPED_WHERE_LONG:
                return _Wrapped(values, wrap_at, self._wrapped_cell(ws))
            return _Checked(text(v, code, wrap_at) for v, code in zip(values, codes, strict=True))

        def as_they_are(types: frozenset[type]) -> ColumnConverter:
            def convert(values: Sequence[Any], codes: Sequence[Any], wrap_at: int) -> Any:
                if types.issuperset(map(type, values)):
                    return values
                return each(values, codes, wrap_at)

            return convert

        def labelled(labels: dict[Any, str]) -> ColumnConverter:
            def convert(values: Sequence[Any], codes: Sequence[Any], wrap_at: int) -> Any:
                try:
                    shown = {v: labels.get(v, v or "") for v in set(values)}
                except TypeError:  # not hashable: not a stored choice
                    return each(values, codes, wrap_at)
                found = tuple(t for t in shown.values() if t)
                if (
                    not _TEXTS.issuperset(map(type, found))
                    or _text_column(found, wrap_at) != AS_THEY_ARE
                ):
                    return each(values, codes, wrap_at)
                return [shown[v] or None for v in values]

            return convert

        match f.kind:
            case Kind.INT | Kind.SCALE:
                return as_they_are(_INTS)
            case Kind.NUMBER:
                return as_they_are(_NUMBERS)
            case Kind.DATE | Kind.DATETIME:
                kind = f.kind

                def dates(values: Sequence[Any], codes: Sequence[Any], wrap_at: int) -> Any:
                    if _DATES.issuperset(map(type, values)):
                        return _Dated(values, self.date(ws, kind, dt.date.min))
                    return each(values, codes, wrap_at)

                return dates
            case Kind.BOOL:

                def yes_no(values: Sequence[Any], codes: Sequence[Any], wrap_at: int) -> Any:
                    if _BOOLS.issuperset(map(type, values)):
                        return list(map(_YES_NO.__getitem__, values))
                    return each(values, codes, wrap_at)

                return yes_no
            case Kind.CHOICE:
                return labelled(f.choice_labels)
            case Kind.LEVEL:
                levels = {lv.code: lv.label for lv in self.method.levels} if self.method else {}
                return labelled(levels)
            case Kind.LIST:
                return each
            case Kind.REFS:

                def refs(values: Sequence[Any], codes: Sequence[Any], wrap_at: int) -> Any:
                    try:
                        joined = list(map(", ".join, values))
                    except TypeError:  # None, or not a list of codes
                        return each(values, codes, wrap_at)
                    return texts(joined, codes, wrap_at)

                return refs

        def plain(values: Sequence[Any], codes: Sequence[Any], wrap_at: int) -> Any:
            if _TEXTS.issuperset(map(type, values)):
                return texts(values, codes, wrap_at)
            return each(values, codes, wrap_at)

        return plain

    def _validate(self, ws: Any, spec: RegisterSpec) -> None:
        """Drop-downs and number limits, so the recipient edits consistently."""
        for index, f in enumerate(spec.fields, start=1):
            if f.computed:
                continue
            column = get_column_letter(index)
            cells = f"{column}2:{column}{EXCEL_MAX_ROW}"
            dv: DataValidation | None = None
            if f.kind is Kind.CHOICE and f.choices:
                dv = self._list_validation(spec, f, list(f.choice_labels.values()))
            elif f.kind is Kind.BOOL:
                dv = self._list_validation(spec, f, ["Yes", "No"])
            elif f.kind is Kind.SCALE and self.method is not None:
                scale = self.method.scale(f.scale)
                dv = _whole_number(1, len(scale))
                dv.promptTitle = f.header[:32]
                dv.prompt = ", ".join(f"{s.value} {s.label}" for s in scale)[:255]
                dv.showInputMessage = True
            elif f.kind is Kind.INT and f.minimum is not None and f.maximum is not None:
                dv = _whole_number(f.minimum, f.maximum)
            if dv is not None:
                dv.add(cells)
                ws.data_validations.append(dv)

    def _list_validation(self, spec: RegisterSpec, f: Field, labels: list[str]) -> DataValidation:
        inline = ",".join(labels)
        if len(inline) <= INLINE_LIST_LIMIT - 2 and not any(
            c in label for label in labels for c in ',"'
        ):
            formula = f'"{inline}"'
        else:
            formula = self._list_ref(f"{sheet_name(spec.name)}: {f.header}", labels)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.showErrorMessage = True
        dv.errorTitle = f.header[:32]
        dv.error = f"Choose one of the listed values for {f.header}."[:255]
        return dv

    def _list_ref(self, title: str, labels: list[str]) -> str:
        """A range of the hidden Lists sheet holding these labels (one column per list)."""
        key = tuple(labels)
        if key not in self._list_refs:
            self._lists.append((title, labels))
            column = get_column_letter(len(self._lists))
            sheet = quote_sheetname(LISTS_SHEET)
            self._list_refs[key] = f"{sheet}!${column}$2:${column}${len(labels) + 1}"
        return self._list_refs[key]

    def write_lists(self) -> None:
        if not self._lists:
            return
        ws = self.wb.create_sheet(LISTS_SHEET)
        ws.sheet_state = "hidden"
        height = max(len(labels) for _, labels in self._lists)
        ws.append([self.text(ws, title, MAX_WIDTH) for title, _ in self._lists])
        for i in range(height):
            ws.append(
                [
                    self.text(ws, labels[i], MAX_WIDTH) if i < len(labels) else None
                    for _, labels in self._lists
                ]
            )

    def _colour_levels(self, ws: Any, spec: RegisterSpec) -> None:
        """Risk levels in the matrix colours; conditional formats follow later edits too."""
        if self.method is None:
            return
        for index, f in enumerate(spec.fields, start=1):
            if f.kind is not Kind.LEVEL:
                continue
            column = get_column_letter(index)
            for level in self.method.levels:
                colour = level.colour.lstrip("#").upper()
                if len(colour) != 6:
                    continue
                label = level.label.replace('"', '""')
                ws.conditional_formatting.add(
                    f"{column}2:{column}{EXCEL_MAX_ROW}",
                    CellIsRule(
                        operator="equal",
                        formula=[f'"{label}"'],
                        fill=PatternFill("solid", start_color=colour, end_color=colour),
                        font=Font(color=_text_colour_on(colour)),
                    ),
                )


def _convert(
    convert: list[ColumnConverter], rows: list[Values], widths: list[int]
) -> list[Iterable[Any]]:
    """The cells of rows, column by column."""
    if not rows:
        return [() for _ in convert]
    columns = list(zip(*rows, strict=True))
    codes = columns[0]
    return [c(col, codes, w) for c, col, w in zip(convert, columns, widths, strict=True)]


def _text_column(values: Sequence[str | None], wrap_at: int) -> int:
    """How texts (or None) go into their cells, found in a few passes over the joined
    column at C speed rather than a check per cell: ``AS_THEY_ARE`` (plain texts and
    None), ``EMPTY_AS_NONE`` (so, with empty texts as empty cells), ``WRAPPED_WHERE_LONG``
    (plain texts, but some long or on several lines) or ``EACH_CHECKED`` (some are error
    values, too long for Excel, have control characters or would run as formulas)."""
    texts = list(filter(None, values))
    no_empty = len(texts) == len(values) - values.count(None)
    if not texts:
        return AS_THEY_ARE if no_empty else EMPTY_AS_NONE
    joined = _UNIT.join(texts)
    if (
        joined.count(_UNIT) != len(texts) - 1
        or joined[0] in FORMULA_START
        or _FORMULA_JOINED.search(joined)
        or _CONTROL_JOINED.search(joined)
        or not _ERROR_CODES.isdisjoint(texts)
    ):
        return EACH_CHECKED
    longest = max(map(len, texts))
    if longest > EXCEL_MAX_CHARS:
        return EACH_CHECKED
    if longest > wrap_at or "\n" in joined:
        return WRAPPED_WHERE_LONG
    return AS_THEY_ARE if no_empty else EMPTY_AS_NONE


class _Wrapped:
    """A column of plain texts (or None) that wraps the long ones and those on several
    lines. It is iterated once, row by row, as the rows are written: one cell with the
    wrapping style carries each wrapped text into its row (write-only sheets write a row
    as it is appended), rather than a cell object per text."""

    def __init__(self, values: Sequence[str | None], wrap_at: int, cell: Cell) -> None:
        self.values = values
        self.wrap_at = wrap_at
        self.cell = cell

    def __iter__(self) -> Iterator[Any]:
        cell, wrap_at = self.cell, self.wrap_at
        for value in self.values:
            if not value:
                yield None
            elif len(value) <= wrap_at and "\n" not in value:
                yield value
            else:
                cell._value = value
                yield cell


class _Dated:
    """A column of dates (or None) in one date format, iterated once as its rows are
    written: one cell carries each date into its row (as ``_Wrapped`` does texts)."""

    def __init__(self, values: Sequence[dt.date | None], cell: Cell) -> None:
        self.values = values
        self.cell = cell

    def __iter__(self) -> Iterator[Any]:
        cell = self.cell
        for value in self.values:
            if value is None:
                yield None
            else:
                cell._value = value
                yield cell


def _top_by_default(wb: Workbook) -> None:
    """Cells without a style of their own (texts and numbers: most of a workbook) sit at
    the top of their rows: Excel takes their format from the workbook's first cell format,
    LibreOffice from the Normal cell style, so both align them so."""
    for named in wb._named_styles:
        if named.name == "Normal":
            named.alignment = _TOP
    default = StyleArray()
    default.alignmentId = wb._alignments.add(_TOP)
    styles = wb._cell_styles
    styles[0] = default
    styles._rebuild_dict()


class _Checked(list[Any]):
    """A column whose values were converted one by one: some may be wrapped text cells."""


def _line_count(text: str, width: float) -> int:
    """Lines a text takes wrapped in a column ``width`` characters wide, estimated at a
    character per unit of width: a unit is a digit's width, wider than most letters, which
    leaves room for the words that do not break at a line's end (rather a line too many
    than one too few, which would hide the text's end)."""
    per_line = max(1, int(width))
    if len(text) <= per_line:
        return text.count("\n") + 1
    return sum(-(-len(line) // per_line) or 1 for line in text.split("\n"))


def _row_lines(
    columns: Sequence[Iterable[Any]], widths: Sequence[int], wrap_alignment: int
) -> dict[int, int]:
    """The lines (at most ``MAX_LINES``) of each row, by its place in ``columns``, whose
    wrapped text needs more than one line."""
    lines: dict[int, int] = {}
    get = lines.get
    for column, width in zip(columns, widths, strict=True):
        if isinstance(column, _Wrapped):
            wrap_at = column.wrap_at
            found = [
                (i, v) for i, v in enumerate(column.values) if v and (len(v) > wrap_at or "\n" in v)
            ]
        elif isinstance(column, _Checked):
            found = [
                (i, v._value)
                for i, v in enumerate(column)
                if type(v) is Cell and v._style.alignmentId == wrap_alignment
            ]
        else:
            continue  # no wrapped text (see _text_column)
        for i, text in found:
            n = _line_count(text, width)
            if n > get(i, 1):
                lines[i] = min(n, MAX_LINES)
    return lines


# The attributes of a row of n lines, in the first cell format (``_WorkbookBuilder._append``).
_ROW_HEIGHT = [
    {"ht": f"{n * LINE_HEIGHT:g}", "customHeight": "1", "s": "0", "customFormat": "1"}
    for n in range(MAX_LINES + 1)
]


def _whole_number(low: int, high: int) -> DataValidation:
    dv = DataValidation(
        type="whole", operator="between", formula1=str(low), formula2=str(high), allow_blank=True
    )
    dv.showErrorMessage = True
    dv.error = f"Enter a whole number from {low} to {high}."
    return dv


def _header_text(text: str) -> str:
    """Text for a page header or footer: one line, short, ``&`` not read as a code."""
    text = " ".join(text.split())
    if len(text) > _HEADER_FOOTER_MAX:
        text = text[: _HEADER_FOOTER_MAX - 1] + "…"
    return text.replace("&", "&&")


def _text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on the background colour (``RRGGBB``)."""
    red, green, blue = (int(background[i : i + 2], 16) for i in (0, 2, 4))
    return "000000" if prefers_dark_text(red, green, blue) else "FFFFFF"


def _shown_width(value: Any) -> int:
    """Characters a value takes on screen (its longest line)."""
    if isinstance(value, Cell):
        value = value.value
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16  # yyyy-mm-dd hh:mm
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, str):
        return max(len(line) for line in value.split("\n"))
    return len(str(value))


def _content_width(column: Iterable[Any]) -> int:
    """Characters the widest of a column's values takes on screen (its longest line)."""
    values = column.values if isinstance(column, _Wrapped | _Dated) else list(column)
    types = set(map(type, values))
    types.discard(_NONE)
    if types == {str}:
        texts = list(filter(None, values))
        return max(map(len, "\n".join(texts).split("\n"))) if texts else 0
    if types and types <= {int, float}:
        return max(len(str(v)) for v in values if v is not None)
    if types == {dt.date}:
        return 10
    return max(map(_shown_width, values), default=0)


def _widths(spec: RegisterSpec, sample: list[Iterable[Any]]) -> list[int]:
    """Column widths fitted to the header and the first rows, within sensible bounds."""
    widths = []
    for f, column in zip(spec.fields, sample, strict=True):
        content = _content_width(column)
        # + room for the autofilter button beside the header text
        wanted = max(len(f.header) + 4, content + 2)
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, wanted)))
    return widths


def _write_cover(
    ws: Any,
    builder: _WorkbookBuilder,
    organisation: str,
    names: Sequence[str],
    rows: dict[str, int],
    today: dt.date,
) -> None:
    """The first sheet: who and when, and a table of contents linking to every sheet."""
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 10

    builder.print_setup(ws, "ISMS registers")

    def bold(text: str, font: Font = _HEADER_FONT) -> Cell:
        cell = Cell(ws, row=1, column=1, value=text)
        cell.font = font
        return cell

    def text(value: str) -> Any:
        return builder.text(ws, value, MAX_WIDTH)

    exported_on = Cell(ws, row=1, column=1, value=today)
    exported_on.alignment = Alignment(horizontal="left")  # as the texts above and below it

    ws.append([bold("ISMS registers", _TITLE_FONT)])
    ws.append([])
    ws.append(["Organisation", text(organisation)])
    ws.append(["Exported on", exported_on])
    ws.append(["Exported with", f"{APP_NAME} {__version__}"])
    ws.append(["Standard", projects.STANDARD])
    ws.append([])
    ws.append([bold("Contents")])
    ws.append([bold("Sheet"), bold("Register"), bold("Rows")])
    for name in names:
        sheet = sheet_name(name)
        link = Cell(ws, row=1, column=1, value=sheet)
        link.hyperlink = Hyperlink(ref="", location=f"{quote_sheetname(sheet)}!A1", display=sheet)
        link.font = _LINK_FONT
        ws.append([link, SPECS[name].title, rows.get(name, 0)])
