"""The risk matrix and the risk heat maps, drawn as vector graphics (reportlab.graphics).

Vectors stay sharp at any zoom and print size, and their text can be searched and copied.
Likelihood runs up the vertical axis, impact along the horizontal one, as in most risk
methods; each cell is filled with the colour of its risk level from the project's method.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.reports.pdf import theme
from isms_desktop.reports.pdf.text import wrap_lines

Cell = tuple[int, int]  # (likelihood, impact)


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
        for level in method.impact:
            x, _ = self.cell_origin(1, level.value)
            lines = _label_lines(
                f"{level.value} {level.label}", fonts.regular, size, self.cell - 2, 2
            )
            for index, line in enumerate(lines):
                group.add(
                    String(
                        x + self.cell / 2,
                        self.y0 - 3 - size - index * size * 1.2,
                        line,
                        fontName=fonts.regular,
                        fontSize=size,
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
    grid = _Grid(method, 0, 0, min(width, 150 * mm), 22 * mm)
    drawing = Drawing(grid.width, grid.height)
    group = Group()
    grid.draw(group, texts, highlight=False)
    drawing.add(group)
    return drawing


class _NoLevel:
    label = ""


_NO = _NoLevel()


def heat_map_counts(scores: Iterable[tuple[int | None, int | None]]) -> Counter[Cell]:
    """How many risks sit in each (likelihood, impact) cell; unscored ones are left out."""
    return Counter((lk, im) for lk, im in scores if lk is not None and im is not None)


def heat_maps(
    method: RiskMethod,
    maps: list[tuple[str, Counter[Cell]]],
    width: float,
) -> Drawing:
    """Heat maps side by side (e.g. inherent and residual), each cell showing its count."""
    gap = 10 * mm
    each = (width - gap * (len(maps) - 1)) / max(1, len(maps))
    title_h = 7 * mm
    grids = [_Grid(method, index * (each + gap), 0, each, 17 * mm) for index in range(len(maps))]
    height = max(g.height for g in grids) + title_h
    drawing = Drawing(width, height)
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
