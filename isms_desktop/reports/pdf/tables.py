"""Register tables: any number of rows, split across pages with the header row repeated.

A single platypus ``Table`` of 10,000 rows is split page by page, and every split builds
a new table of all remaining rows and measures them again: the work grows with the square
of the row count. :class:`RegisterTable` measures every row once (wrapping each cell to its
column with :mod:`.text`), keeps running totals of the row heights, and on each page draws
just the rows that fit, with the header on top (:class:`_Piece`, straight onto the canvas:
a platypus ``Table`` makes a text object per line and costs more than the layout). Rows
taller than :data:`MAX_LINES` lines are continued in the next row, so one huge cell can
neither stop the layout nor be cut off.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from isms_desktop.reports.pdf import theme
from isms_desktop.reports.pdf.text import text_width, wrap_lines

MAX_LINES = 40  # lines of one row on one page; longer cells continue in the next row
PAD_X = 3.0
PAD_Y = 2.2
SHORT_CELL = 40  # characters: a cell this short is a code, a status or a name
WORD_SAMPLE = 2_000  # rows whose short cells are measured for the column widths
MAX_WORD_SHARE = 0.2  # of the table's width, at most, for one column's longest word
KEEP_ROWS = 5  # a table of this many rows or fewer is not split over two pages …
KEEP_HEIGHT = 200.0  # … if it is no higher than this (points), which fits any page
ALONE_HEIGHT = 36.0  # a first row lower than this is not left alone at the foot of a page


@dataclass(frozen=True)
class Column:
    header: str
    weight: float  # share of the table's width
    align: str = "LEFT"  # LEFT, CENTER or RIGHT
    bold: bool = False


@dataclass(frozen=True)
class CellStyle:
    """A highlight of one cell (``column`` ≥ 0) or of the whole row (``column`` = -1)."""

    column: int = -1
    background: colors.Color | None = None
    text: colors.Color | None = None
    bold: bool = False


RowStyles = Mapping[int, Sequence[CellStyle]]


class _Layout:
    """Every row measured once for one table width."""

    def __init__(self, table: RegisterTable, width: float) -> None:
        fonts = theme.styles().fonts
        size = table.font_size
        leading = table.leading
        self.width = width
        self.col_widths = _column_widths(
            table.columns, width, fonts.bold, size, _word_minimums(table, width)
        )
        inner = [max(4.0, w - 2 * PAD_X) for w in self.col_widths]
        header_lines = [
            wrap_lines(c.header, fonts.bold, size, w)
            for c, w in zip(table.columns, inner, strict=True)
        ]
        self.header = ["\n".join(lines) for lines in header_lines]
        self.header_height = max(len(lines) for lines in header_lines) * leading + 2 * PAD_Y
        bold_rows = {
            index
            for index, cell_styles in table.row_styles.items()
            for style in cell_styles
            if style.bold
        }
        self.cells: list[list[str]] = []
        self.heights: list[float] = []
        self.source: list[int] = []  # the row each (continued) table row belongs to
        regular = [fonts.bold if c.bold else fonts.regular for c in table.columns]
        bold = [fonts.bold] * len(table.columns)
        for index, row in enumerate(table.rows):
            row_fonts = bold if index in bold_rows else regular
            wrapped = [
                wrap_lines(text, font, size, w) if text else [""]
                for text, font, w in zip(row, row_fonts, inner, strict=True)
            ]
            tallest = max(len(lines) for lines in wrapped)
            for first in range(0, tallest, MAX_LINES):
                part = [lines[first : first + MAX_LINES] for lines in wrapped]
                self.cells.append(["\n".join(lines) for lines in part])
                self.heights.append(max(len(lines) for lines in part) * leading + 2 * PAD_Y)
                self.source.append(index)
        self.prefix = [0.0, *accumulate(self.heights)]


def _word_minimums(table: RegisterTable, width: float) -> list[float]:
    """For each column, the width its longest word of a short cell needs (a status, a
    code, a name): "Conforming", "A.5.17" or "nonconformity" broken over two lines reads
    as two words, or as another control. Long texts wrap between words anyway, so only
    cells of up to :data:`SHORT_CELL` characters count, in the first :data:`WORD_SAMPLE`
    rows (a register's codes and statuses look alike all the way down), and no word is
    given more than :data:`MAX_WORD_SHARE` of the table (a URL may still be broken)."""
    fonts = theme.styles().fonts
    size = table.font_size
    cap = width * MAX_WORD_SHARE
    found: list[float] = []
    for index, column in enumerate(table.columns):
        font = fonts.bold if column.bold else fonts.regular
        words = {
            word
            for row in table.rows[:WORD_SAMPLE]
            if index < len(row) and len(row[index]) <= SHORT_CELL
            for word in row[index].split()
        }
        widest = max((text_width(word, font, size) for word in words), default=0.0)
        found.append(min(widest, cap))
    return found


def _column_widths(
    columns: Sequence[Column],
    width: float,
    font: str,
    size: float,
    words: Sequence[float] = (),
) -> list[float]:
    """Widths by weight, but never so narrow that a word is broken ("Contr-ol"): narrow
    columns get the width of their longest header word, and of their longest word in
    ``words`` (the text each column's cells need, :func:`_word_minimums`), taken from the
    others. If the words do not all fit, only the header words are kept whole."""
    weights = [max(c.weight, 0.0) for c in columns]
    header = [
        max((stringWidth(word, font, size) for word in c.header.split()), default=0.0)
        for c in columns
    ]
    padding = 2 * PAD_X + 0.5
    need = [*words, *[0.0] * (len(columns) - len(words))]
    minimum = [max(h, w) + padding for h, w in zip(header, need, strict=True)]
    if sum(minimum) >= width:
        minimum = [h + padding for h in header]
    if sum(minimum) >= width:
        total = sum(weights) or 1.0
        return [width * w / total for w in weights]
    fixed: dict[int, float] = {}
    while True:
        free = width - sum(fixed.values())
        total = sum(w for i, w in enumerate(weights) if i not in fixed) or 1.0
        widths = [fixed.get(i, free * w / total) for i, w in enumerate(weights)]
        short = [i for i, w in enumerate(widths) if i not in fixed and w < minimum[i]]
        if not short:
            return widths
        for i in short:
            fixed[i] = minimum[i]


class RegisterTable(Flowable):  # type: ignore[misc]
    """Rows of plain text under a header row that is repeated on every page."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        row_styles: RowStyles | None = None,
        font_size: float = 7.5,
        zebra: bool = True,
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.rows = rows
        self.row_styles: RowStyles = row_styles or {}
        self.font_size = font_size
        self.leading = round(font_size * 1.22, 2)
        self.zebra = zebra
        self._layouts: dict[float, _Layout] = {}
        self._start = 0
        self._end: int | None = None  # None: up to the last row, once measured
        self.work_units = len(rows)
        self.width = 0.0
        self.height = 0.0

    # --- measuring -----------------------------------------------------------------------
    def _layout(self, width: float) -> _Layout:
        key = round(width, 1)
        layout = self._layouts.get(key)
        if layout is None:
            layout = self._layouts[key] = _Layout(self, width)
        return layout

    def _bounds(self, layout: _Layout) -> tuple[int, int]:
        return self._start, len(layout.heights) if self._end is None else self._end

    def _view(self, start: int, end: int | None) -> RegisterTable:
        """The same table from row ``start`` on, sharing the measurements."""
        view = type(self).__new__(type(self))  # a key/value table goes on without a header
        view.__dict__.update(self.__dict__)
        # platypus marks a flowable it moved to the next page; the rest is a new flowable
        view.__dict__.pop("_postponed", None)
        view.__dict__.pop("_frame", None)  # (set on the table while a frame splits it)
        view._start, view._end = start, end
        view.work_units = 0  # counted through the pieces that are drawn
        return view

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        layout = self._layout(avail_width)
        start, end = self._bounds(layout)
        self.width = avail_width
        self.height = layout.header_height + layout.prefix[end] - layout.prefix[start]
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        layout = self._layout(avail_width)
        start, end = self._bounds(layout)
        room = avail_height - layout.header_height
        if room <= 0:
            return []
        stop = bisect_right(layout.prefix, layout.prefix[start] + room, start, end + 1) - 1
        if stop <= start:
            return []  # not even one row fits: start on the next page
        if stop >= end:
            return [self._piece(layout, start, end)]
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        stop = _break_at(layout, start, stop, end, at_top=at_top)
        if stop <= start:
            return []  # a short table, or its first row alone: all on the next page
        return [self._piece(layout, start, stop), self._view(stop, end)]

    def draw(self) -> None:
        layout = self._layout(self.width)
        start, end = self._bounds(layout)
        piece = self._piece(layout, start, end)
        piece.wrapOn(self.canv, self.width, self.height)
        piece.drawOn(self.canv, 0, 0)

    # --- drawing -------------------------------------------------------------------------
    def _piece(self, layout: _Layout, start: int, end: int) -> Flowable:
        """Rows ``start`` … ``end - 1`` below the header, as one flowable."""
        return _Piece(self, layout, start, end)


def _break_at(layout: _Layout, start: int, stop: int, end: int, *, at_top: bool) -> int:
    """Where a table that does not fit breaks: at ``stop``, the first row that does not
    fit, unless that splits a short table (:data:`KEEP_ROWS` rows, up to
    :data:`KEEP_HEIGHT` high: it moves whole), leaves one low row alone under the header
    at the foot of the page, or one low row alone on the next page (the row before goes
    with it). ``start`` (nothing on this page) moves the table to the next page, never
    from the top of a page (``at_top``), where it would not fit any better."""
    source, prefix = layout.source, layout.prefix
    if not at_top:
        rows, height = source[end - 1] - source[start] + 1, prefix[end] - prefix[start]
        if rows <= KEEP_ROWS and height <= KEEP_HEIGHT:
            return start
        if source[stop - 1] == source[start] and prefix[stop] - prefix[start] < ALONE_HEIGHT:
            return start
    last = source[end - 1]
    if source[stop] == last != source[stop - 1] and prefix[end] - prefix[stop] < ALONE_HEIGHT:
        earlier = stop - 1
        while earlier > start and source[earlier - 1] == source[earlier]:
            earlier -= 1  # the start of the row before (a long row may be continued)
        if earlier > start and source[earlier - 1] > source[start]:
            return earlier  # two rows or more stay on this page
    return stop


def _rg(colour: colors.Color) -> str:
    return f"{colour.red:.3f} {colour.green:.3f} {colour.blue:.3f} rg"


def _box(x: float, y: float, width: float, height: float, paint: str) -> str:
    return f"{x:.2f} {y:.2f} {width:.2f} {height:.2f} re {paint}"


# PDF string escapes for the bytes of a font subset (everything else is printable ASCII)
_ESCAPES: dict[int, str] = {i: f"\\{i:03o}" for i in range(256) if i < 32 or i > 126}
_ESCAPES.update({ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"})


# per document: (font, line) -> its runs of (subset font name, "(bytes) Tj"); a character
# keeps its subset and code for the whole document, so repeated lines are encoded once
_ENCODED: WeakKeyDictionary[Any, dict[tuple[str, str], tuple[tuple[str, str], ...]]] = (
    WeakKeyDictionary()
)


class _Piece(Flowable):  # type: ignore[misc]
    """What one page shows of a register table: the header and a run of rows.

    It looks like a platypus ``Table`` with the same style (header band, zebra rows, cell
    colours, grid, box) but is drawn straight onto the canvas: the backgrounds and rules
    in a few paths, and all the text in one text object, each line placed with ``Tm`` and
    written per font subset (reportlab's documented way for embedded TrueType fonts). A
    ``Table`` makes a text object per line and a style lookup per cell, which is most of
    the time of a 10,000-row register.
    """

    def __init__(self, table: RegisterTable, layout: _Layout, start: int, end: int) -> None:
        super().__init__()
        self.table = table
        self.layout = layout
        self.start = start
        self.end = end
        self.width = sum(layout.col_widths)
        self.height = layout.header_height + layout.prefix[end] - layout.prefix[start]
        self.work_units = len({*layout.source[start:end]})

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        table, layout, canv = self.table, self.layout, self.canv
        width, height = self.width, self.height
        header_height = layout.header_height
        xs = [0.0, *accumulate(layout.col_widths)]
        heights = layout.heights[self.start : self.end]
        sources = layout.source[self.start : self.end]
        tops = [height - header_height]
        for h in heights:
            tops.append(tops[-1] - h)
        # backgrounds (header band, zebra rows, highlighted cells), the grid, the rule over
        # each continued row's join and the box, written as PDF operators in one go
        ops = ["q", _rg(theme.BRAND), _box(0.0, height - header_height, width, header_height, "f")]
        fills: list[colors.Color] = []
        if table.zebra:
            ops.append(_rg(theme.ZEBRA))
        for i, source in enumerate(sources):
            zebra = table.zebra and source % 2 == 1
            fills.append(theme.ZEBRA if zebra else colors.white)
            if zebra:
                ops.append(_box(0.0, tops[i + 1], width, heights[i], "f"))
        for i, source in enumerate(sources):
            for style in table.row_styles.get(source, ()):
                if style.background is None:
                    continue
                x0, x1 = (0.0, width) if style.column < 0 else xs[style.column : style.column + 2]
                ops.append(_rg(style.background))
                ops.append(_box(x0, tops[i + 1], x1 - x0, heights[i], "f"))
        ops += ["0.3 w", _rg(theme.GRID).upper()]
        body_top = tops[0]
        ops += [f"0 {y:.2f} m {width:.2f} {y:.2f} l" for y in tops[1:]]
        ops += [f"{x:.2f} {body_top:.2f} m {x:.2f} 0 l" for x in xs[1:-1]]
        ops += ["S", "0.6 w"]
        for i in range(1, len(sources)):
            if sources[i] == sources[i - 1]:
                ops.append(_rg(fills[i]).upper())
                ops.append(f"0 {tops[i]:.2f} m {width:.2f} {tops[i]:.2f} l S")
        ops += [_rg(theme.GRID).upper(), _box(0.0, 0.0, width, height, "S"), "Q"]
        canv.addLiteral("\n".join(ops))
        self._draw_text(xs, tops)

    def _draw_text(self, xs: list[float], tops: list[float]) -> None:
        table, layout, canv = self.table, self.layout, self.canv
        fonts = theme.styles().fonts
        size, leading = table.font_size, table.leading
        regular = pdfmetrics.getFont(fonts.regular)
        bold = pdfmetrics.getFont(fonts.bold)
        if not (regular._dynamicFont and bold._dynamicFont):
            self._draw_text_plainly(xs, tops)
            return
        doc = canv._doc
        encoded = _ENCODED.setdefault(doc, {})
        out: list[str] = ["BT"]
        emit = out.append
        state: list[Any] = [None, None]  # the font subset and colour in effect

        def write(font: Any, colour: str, x: float, y: float, align: str, line: str) -> None:
            if not line:
                return
            if align == "CENTER":
                x -= text_width(line, font.fontName, size) / 2
            elif align == "RIGHT":
                x -= text_width(line, font.fontName, size)
            if colour != state[1]:
                emit(colour)
                state[1] = colour
            emit(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
            key = (font.fontName, line)
            runs = encoded.get(key)
            if runs is None:
                runs = encoded[key] = tuple(
                    (
                        font.getSubsetInternalName(subset, doc),
                        f"({chunk.decode('latin-1').translate(_ESCAPES)}) Tj",
                    )
                    for subset, chunk in font.splitString(line, doc)
                )
            for name, shown in runs:
                if name != state[0]:
                    emit(f"{name} {size:g} Tf")
                    state[0] = name
                emit(shown)

        columns = table.columns
        anchors = [
            x0 + (w / 2 if c.align == "CENTER" else w - PAD_X if c.align == "RIGHT" else PAD_X)
            for x0, w, c in zip(xs[:-1], layout.col_widths, columns, strict=True)
        ]
        aligns = [c.align for c in columns]
        white, ink = _rg(colors.white), _rg(theme.INK)
        y0 = tops[0] + layout.header_height - PAD_Y - size
        for col, text in enumerate(layout.header):
            y = y0
            for line in text.split("\n"):
                write(bold, white, anchors[col], y, aligns[col], line)
                y -= leading
        base_fonts = [bold if c.bold else regular for c in columns]
        bold_fonts = [bold] * len(columns)
        for i, cells in enumerate(layout.cells[self.start : self.end]):
            source = layout.source[self.start + i]
            row_fonts = base_fonts
            colours = None
            for style in table.row_styles.get(source, ()):
                if style.bold:
                    if style.column < 0:
                        row_fonts = bold_fonts
                    else:
                        row_fonts = [*row_fonts]
                        row_fonts[style.column] = bold
                if style.text is not None:
                    colours = colours or [ink] * len(columns)
                    if style.column < 0:
                        colours = [_rg(style.text)] * len(columns)
                    else:
                        colours[style.column] = _rg(style.text)
            y0 = tops[i] - PAD_Y - size
            for col, text in enumerate(cells):
                if not text:
                    continue
                colour = colours[col] if colours else ink
                y = y0
                for line in text.split("\n"):
                    write(row_fonts[col], colour, anchors[col], y, aligns[col], line)
                    y -= leading
        emit("ET")
        canv.addLiteral("q\n" + "\n".join(out) + "\nQ")

    def _draw_text_plainly(self, xs: list[float], tops: list[float]) -> None:
        """The text with the canvas' own calls (for fonts that are not embedded)."""
        table, layout, canv = self.table, self.layout, self.canv
        fonts = theme.styles().fonts
        size, leading = table.font_size, table.leading
        draw = {"LEFT": canv.drawString, "CENTER": canv.drawCentredString}
        rows = [(layout.header, tops[0] + layout.header_height, True)]
        rows += [
            (cells, tops[i], False) for i, cells in enumerate(layout.cells[self.start : self.end])
        ]
        canv.saveState()
        for cells, top, header in rows:
            for col, text in enumerate(cells):
                column = table.columns[col]
                canv.setFont(fonts.bold if header or column.bold else fonts.regular, size)
                canv.setFillColor(colors.white if header else theme.INK)
                x = xs[col] + (
                    (xs[col + 1] - xs[col]) / 2
                    if column.align == "CENTER"
                    else xs[col + 1] - xs[col] - PAD_X
                    if column.align == "RIGHT"
                    else PAD_X
                )
                y = top - PAD_Y - size
                for line in text.split("\n"):
                    draw.get(column.align, canv.drawRightString)(x, y, line)
                    y -= leading
        canv.restoreState()


def table_or_none(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    empty: str = theme.NONE_RECORDED,
    **options: Any,
) -> Flowable:
    """A register table, or the sentence that says there is nothing to list."""
    if not rows:
        return Paragraph(empty, theme.styles().note)
    return RegisterTable(columns, rows, **options)


def key_values(pairs: Sequence[tuple[str, str]], *, label_width: float = 0.28) -> Flowable:
    """A two-column label/value table for short facts (method, summary figures)."""
    columns = (Column("", label_width, bold=True), Column("", 1 - label_width))
    table = _KeyValueTable(columns, [list(p) for p in pairs], font_size=8.5, zebra=False)
    return table


class _KeyValueTable(RegisterTable):
    """A register table without the header row, labels in bold."""

    def _piece(self, layout: _Layout, start: int, end: int) -> Table:
        fonts = theme.styles().fonts
        size, leading = self.font_size, self.leading
        table = Table(
            layout.cells[start:end],
            colWidths=layout.col_widths,
            rowHeights=layout.heights[start:end],
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), fonts.regular, size, leading),
                    ("FONT", (0, 0), (0, -1), fonts.bold, size, leading),
                    ("TEXTCOLOR", (0, 0), (0, -1), theme.MUTED),
                    ("TEXTCOLOR", (1, 0), (1, -1), theme.INK),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
                    ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
                    ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, theme.GRID),
                ]
            ),
            hAlign="LEFT",
        )
        table.work_units = end - start
        return table

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = super().wrap(avail_width, avail_height)
        layout = self._layout(avail_width)
        self.height = height - layout.header_height
        return width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        layout = self._layout(avail_width)
        return super().split(avail_width, avail_height + layout.header_height)
