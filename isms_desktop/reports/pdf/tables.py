"""Register tables: any number of rows, split across pages with the header row repeated.

A single platypus ``Table`` of 10,000 rows is split page by page, and every split builds
a new table of all remaining rows and measures them again: the work grows with the square
of the row count. :class:`RegisterTable` measures every row once (wrapping each cell to its
column with :mod:`.text`), keeps running totals of the row heights, and on each page builds
a small ``Table`` of just the rows that fit, with the header on top. Rows taller than
:data:`MAX_LINES` lines are continued in the next row, so one huge cell can neither stop
the layout nor be cut off.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from isms_desktop.reports.pdf import theme
from isms_desktop.reports.pdf.text import wrap_lines

MAX_LINES = 40  # lines of one row on one page; longer cells continue in the next row
PAD_X = 3.0
PAD_Y = 2.2


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
        self.col_widths = _column_widths(table.columns, width, fonts.bold, size)
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


def _column_widths(columns: Sequence[Column], width: float, font: str, size: float) -> list[float]:
    """Widths by weight, but never so narrow that a header word is broken ("Contr-ol"):
    narrow columns get the width of their longest header word, taken from the others."""
    weights = [max(c.weight, 0.0) for c in columns]
    minimum = [
        max((stringWidth(word, font, size) for word in c.header.split()), default=0.0)
        + 2 * PAD_X
        + 0.5
        for c in columns
    ]
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
        view = RegisterTable.__new__(RegisterTable)
        view.__dict__.update(self.__dict__)
        # platypus marks a flowable it moved to the next page; the rest is a new flowable
        view.__dict__.pop("_postponed", None)
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
        return [self._piece(layout, start, stop), self._view(stop, end)]

    def draw(self) -> None:
        layout = self._layout(self.width)
        start, end = self._bounds(layout)
        piece = self._piece(layout, start, end)
        piece.wrapOn(self.canv, self.width, self.height)
        piece.drawOn(self.canv, 0, 0)

    # --- drawing -------------------------------------------------------------------------
    def _piece(self, layout: _Layout, start: int, end: int) -> Table:
        """A platypus table of rows ``start`` … ``end - 1`` below the header."""
        fonts = theme.styles().fonts
        size, leading = self.font_size, self.leading
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), fonts.regular, size, leading),
            ("FONT", (0, 0), (-1, 0), fonts.bold, size, leading),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("BACKGROUND", (0, 0), (-1, 0), theme.BRAND),
            ("TEXTCOLOR", (0, 1), (-1, -1), theme.INK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
            ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, theme.GRID),
            ("LINEAFTER", (0, 1), (-2, -1), 0.3, theme.GRID),
            ("BOX", (0, 0), (-1, -1), 0.6, theme.GRID),
        ]
        for index, column in enumerate(self.columns):
            if column.align != "LEFT":
                commands.append(("ALIGN", (index, 0), (index, -1), column.align))
            if column.bold:
                commands.append(("FONT", (index, 1), (index, -1), fonts.bold, size, leading))
        previous_source = -1
        for offset, source in enumerate(layout.source[start:end], start=1):
            fill = theme.ZEBRA if self.zebra and source % 2 == 1 else colors.white
            if fill is theme.ZEBRA:
                commands.append(("BACKGROUND", (0, offset), (-1, offset), fill))
            if source == previous_source:
                # a continued row reads as one: paint over the rule between its parts
                commands.append(("LINEBELOW", (0, offset - 1), (-1, offset - 1), 0.6, fill))
            previous_source = source
            for style in self.row_styles.get(source, ()):
                first = (0, offset) if style.column < 0 else (style.column, offset)
                last = (-1, offset) if style.column < 0 else (style.column, offset)
                if style.background is not None:
                    commands.append(("BACKGROUND", first, last, style.background))
                if style.text is not None:
                    commands.append(("TEXTCOLOR", first, last, style.text))
                if style.bold:
                    commands.append(("FONT", first, last, fonts.bold, size, leading))
        table = Table(
            [layout.header, *layout.cells[start:end]],
            colWidths=layout.col_widths,
            rowHeights=[layout.header_height, *layout.heights[start:end]],
            style=TableStyle(commands),
            hAlign="LEFT",
        )
        table.work_units = len({*layout.source[start:end]})
        return table


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
