"""The risk matrix and the risk heat maps, drawn as vector graphics (reportlab.graphics).

Vectors stay sharp at any zoom and print size, and their text can be searched and copied.
Likelihood runs up the vertical axis, impact along the horizontal one, as in most risk
methods; each cell is filled with the colour of its risk level from the project's method.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.reports.pdf import theme
from isms_desktop.reports.pdf.text import wrap_lines

Cell = tuple[int, int]  # (likelihood, impact)


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose initial font is DejaVu (the default would add an unembedded Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = theme.styles().fonts.regular
    return drawing


def _label_lines(text: str, font: str, size: float, width: float, limit: int) -> list[str]:
    lines = wrap_lines(text, font, size, width)
    if len(lines) > limit:
        lines = [*lines[: limit - 1], lines[limit - 1] + "…"]
    return lines


class _Grid:
    """Geometry of one matrix: where its cells and labels go inside a drawing."""

    def __init__(self, method: RiskMethod, x: float, y: float, width: float, cell_max: float):
        self.method = method
        self.rows = len(method.likelihood)
        self.cols = len(method.impact)
        self.label_w = 24 * mm
        self.axis_w = 5 * mm
        self.bottom_h = 13 * mm
        usable = width - self.label_w - self.axis_w
        self.cell = min(cell_max, usable / self.cols)
        self.x0 = x + self.axis_w + self.label_w
        self.y0 = y + self.bottom_h
        self.width = self.axis_w + self.label_w + self.cell * self.cols
        self.height = self.bottom_h + self.cell * self.rows

    def cell_origin(self, likelihood: int, impact: int) -> tuple[float, float]:
        return self.x0 + (impact - 1) * self.cell, self.y0 + (likelihood - 1) * self.cell

    def _impact_labels(self, size: float) -> tuple[float, list[list[str]]]:
        """Every impact level's number and label under its column, all in the same way.

        "1 Negligible" on one line where every label fits its cell; otherwise the number above
        the label for every level, in a size at which each word fits (down to 5 pt; a longer
        word is broken, a longer label cut short with "…").
        """
        font = theme.styles().fonts.regular
        inner = self.cell - 2
        levels = self.method.impact
        whole = [f"{level.value} {level.label}".strip() for level in levels]
        if all(stringWidth(text, font, size) <= inner for text in whole):
            return size, [[text] for text in whole]
        words = [w for level in levels for w in level.label.split()]
        widest = max((stringWidth(w, font, size) for w in words), default=0.0)
        if widest > inner:
            size = max(5.0, math.floor(size * inner / widest * 4) / 4)
        return size, [
            [str(level.value), *_label_lines(level.label, font, size, inner, 2)] for level in levels
        ]

    def draw(self, group: Group, texts: dict[Cell, str], *, highlight: bool) -> None:
        fonts = theme.styles().fonts
        method = self.method
        for likelihood in range(1, self.rows + 1):
            for impact in range(1, self.cols + 1):
                code = method.level(likelihood, impact)
                info = method.level_info(code)
                fill = theme.hex_colour(info.colour) if info else theme.GRID
                text = texts.get((likelihood, impact), "")
                if highlight and not text:
                    fill = theme.tint(fill, 0.72)
                x, y = self.cell_origin(likelihood, impact)
                group.add(
                    Rect(
                        x,
                        y,
                        self.cell,
                        self.cell,
                        fillColor=fill,
                        strokeColor=colors.white,
                        strokeWidth=1.2,
                    )
                )
                if text:
                    size = min(11.0, self.cell * 0.32) if highlight else min(7.5, self.cell * 0.2)
                    font = fonts.bold
                    lines = _label_lines(text, font, size, self.cell - 4, 2)
                    top = y + self.cell / 2 + (len(lines) - 1) * size * 0.6 - size * 0.35
                    for index, line in enumerate(lines):
                        group.add(
                            String(
                                x + self.cell / 2,
                                top - index * size * 1.2,
                                line,
                                fontName=font,
                                fontSize=size,
                                fillColor=theme.ink_on(fill),
                                textAnchor="middle",
                            )
                        )
        size = 6.5
        for level in method.likelihood:
            _, y = self.cell_origin(level.value, 1)
            lines = _label_lines(
                f"{level.value} {level.label}", fonts.regular, size, self.label_w - 3, 2
            )
            top = y + self.cell / 2 + (len(lines) - 1) * size * 0.6 - size * 0.35
            for index, line in enumerate(lines):
                group.add(
                    String(
                        self.x0 - 2,
                        top - index * size * 1.2,
                        line,
                        fontName=fonts.regular,
                        fontSize=size,
                        fillColor=theme.INK,
                        textAnchor="end",
                    )
                )
        impact_size, impact_lines = self._impact_labels(size)
        for level, lines in zip(method.impact, impact_lines, strict=True):
            x, _ = self.cell_origin(1, level.value)
            for index, line in enumerate(lines):
                group.add(
                    String(
                        x + self.cell / 2,
                        self.y0 - 3 - impact_size - index * impact_size * 1.2,
                        line,
                        fontName=fonts.regular,
                        fontSize=impact_size,
                        fillColor=theme.INK,
                        textAnchor="middle",
                    )
                )
        axis = 7.0
        group.add(
            String(
                self.x0 + self.cell * self.cols / 2,
                self.y0 - self.bottom_h + 1,
                "Impact →",
                fontName=fonts.bold,
                fontSize=axis,
                fillColor=theme.MUTED,
                textAnchor="middle",
            )
        )
        title = Group(
            String(
                0,
                0,
                "Likelihood →",
                fontName=fonts.bold,
                fontSize=axis,
                fillColor=theme.MUTED,
                textAnchor="middle",
            )
        )
        title.transform = (
            0,
            1,
            -1,
            0,
            self.x0 - self.label_w - 1.5,
            self.y0 + self.cell * self.rows / 2,
        )
        group.add(title)


def risk_matrix(method: RiskMethod, width: float) -> Drawing:
    """The method's matrix: each cell in the colour of its level, named by the level."""
    texts = {
        (likelihood, impact): (method.level_info(method.level(likelihood, impact)) or _NO).label
        for likelihood in range(1, len(method.likelihood) + 1)
        for impact in range(1, len(method.impact) + 1)
    }
    grid = _Grid(method, 0, 0, min(width, 150 * mm), 15 * mm)
    drawing = _drawing(grid.width, grid.height)
    drawing.hAlign = "CENTER"
    group = Group()
    grid.draw(group, texts, highlight=False)
    drawing.add(group)
    return drawing


class _NoLevel:
    label = ""


_NO = _NoLevel()


def heat_maps(
    method: RiskMethod,
    maps: list[tuple[str, Mapping[Cell, int]]],
    width: float,
) -> Drawing:
    """Heat maps side by side (e.g. inherent and residual), each cell showing its count."""
    gap = 10 * mm
    each = (width - gap * (len(maps) - 1)) / max(1, len(maps))
    title_h = 7 * mm
    grids = [_Grid(method, index * (each + gap), 0, each, 17 * mm) for index in range(len(maps))]
    height = max(g.height for g in grids) + title_h
    drawing = _drawing(width, height)
    fonts = theme.styles().fonts
    for grid, (title, counts) in zip(grids, maps, strict=True):
        group = Group()
        texts = {cell: str(n) for cell, n in counts.items() if n}
        grid.draw(group, texts, highlight=True)
        total = sum(counts.values())
        group.add(
            String(
                grid.x0 + grid.cell * grid.cols / 2,
                grid.height + 2.2 * mm,
                f"{title} ({total} risk{'s' if total != 1 else ''})",
                fontName=fonts.bold,
                fontSize=8.5,
                fillColor=theme.BRAND,
                textAnchor="middle",
            )
        )
        drawing.add(group)
    return drawing


# --- trend charts (9.1) ---------------------------------------------------------------------


def trend_chart(
    points: list[tuple[dt.date, float]],
    width: float,
    *,
    target: float | None = None,
    threshold: float | None = None,
    unit: str = "",
    height: float = 42 * mm,
) -> Drawing:
    """A metric's measurements over time as a line, with its target and alert threshold."""
    fonts = theme.styles().fonts
    drawing = _drawing(width, height)
    left, right, bottom, top = 14 * mm, 4 * mm, 8 * mm, 4 * mm
    plot_w, plot_h = width - left - right, height - bottom - top
    drawing.add(Rect(left, bottom, plot_w, plot_h, fillColor=theme.ZEBRA, strokeColor=theme.GRID))
    if not points:
        drawing.add(
            String(
                left + plot_w / 2,
                bottom + plot_h / 2,
                "No measurements recorded",
                fontName=fonts.italic,
                fontSize=8,
                fillColor=theme.MUTED,
                textAnchor="middle",
            )
        )
        return drawing
    values = [v for _, v in points]
    marks = [m for m in (target, threshold) if m is not None]
    low, high = min(values + marks), max(values + marks)
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    span = max(1, last - first)

    def xy(date: dt.date, value: float) -> tuple[float, float]:
        x = left + (date.toordinal() - first) / span * plot_w if last > first else left + plot_w / 2
        return x, bottom + (value - low) / (high - low) * plot_h

    for tick in _ticks(low, high):
        _, y = xy(points[0][0], tick)
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=theme.GRID, strokeWidth=0.3))
        drawing.add(
            String(
                left - 1.5 * mm,
                y - 2.5,
                _number(tick),
                fontName=fonts.regular,
                fontSize=6.5,
                fillColor=theme.MUTED,
                textAnchor="end",
            )
        )
    coords = [xy(d, v) for d, v in points]
    labels: list[tuple[float, float, str, str, colors.Color]] = []  # x, y, anchor, text
    marked = [
        (mark, colour, label)
        for mark, colour, label in (
            (target, colors.HexColor("#2e7d32"), "target"),
            (threshold, theme.WARNING_INK, "alert"),
        )
        if mark is not None
    ]
    ys = [xy(points[0][0], mark)[1] for mark, _c, _l in marked]
    for index, (mark, colour, label) in enumerate(marked):
        y = ys[index]
        drawing.add(
            Line(
                left,
                y,
                left + plot_w,
                y,
                strokeColor=colour,
                strokeWidth=0.8,
                strokeDashArray=[3, 2],
            )
        )
        # the label at the end of the line the measurements keep away from, below the
        # line when the other mark's label would sit on it
        other = ys[1 - index] if len(ys) == 2 else None
        below = other is not None and y < other and other - y < 9
        at_left = abs(coords[0][1] - y) > abs(coords[-1][1] - y)
        text = f"{label} {_number(mark)}{(' ' + unit) if unit else ''}"
        labels.append(
            (
                left + 1.5 if at_left else left + plot_w - 1.5,
                y - 7 if below else y + 1.5,
                "start" if at_left else "end",
                text,
                colour,
            )
        )
    if len(coords) > 1:
        drawing.add(
            PolyLine([c for pair in coords for c in pair], strokeColor=theme.BRAND, strokeWidth=1.4)
        )
    for x, y in coords:
        drawing.add(
            Circle(x, y, 1.6, fillColor=theme.BRAND, strokeColor=colors.white, strokeWidth=0.5)
        )
    for x, y, anchor, text, colour in labels:
        drawing.add(
            String(
                x,
                y,
                text,
                fontName=fonts.regular,
                fontSize=6.5,
                fillColor=colour,
                textAnchor=anchor,
            )
        )
    for index in _date_labels(coords, [d for d, _v in points], fonts.regular):
        x, _ = coords[index]
        drawing.add(
            String(
                x,
                bottom - 4 * mm,
                points[index][0].strftime("%b %Y"),
                fontName=fonts.regular,
                fontSize=6.5,
                fillColor=theme.MUTED,
                textAnchor="middle",
            )
        )
    return drawing


def _date_labels(coords: list[tuple[float, float]], dates: list[dt.date], font: str) -> list[int]:
    """The points whose month is written under the axis: as many as fit side by side in
    the chart's width (a narrow chart wrote twelve months over each other), a month once,
    the first and the latest always."""
    room = stringWidth("May 2026", font, 6.5) + 6
    shown: list[int] = []
    for index, (x, _y) in enumerate(coords):
        text = dates[index].strftime("%b %Y")
        if shown and (
            x - coords[shown[-1]][0] < room or dates[shown[-1]].strftime("%b %Y") == text
        ):
            continue
        shown.append(index)
    last = len(coords) - 1
    if (
        shown
        and shown[-1] != last
        and dates[shown[-1]].strftime("%b %Y") != dates[last].strftime("%b %Y")
    ):
        if coords[last][0] - coords[shown[-1]][0] < room and len(shown) > 1:
            shown.pop()
        shown.append(last)
    return shown


def _ticks(low: float, high: float) -> list[float]:
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    first = math.ceil(low / step) * step
    ticks: list[float] = []
    value = first
    while value <= high + 1e-9 and len(ticks) < 12:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.4g}"
