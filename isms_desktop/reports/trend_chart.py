"""A metric's trend chart as a reportlab Drawing, for the PDF reports (minutes, manual).

The same geometry as the Qt widget (``domain.metrics_chart``), flipped to reportlab's
upward y axis: the line of measurements, each point coloured by its status, the target and
alert threshold as dashed lines labelled in the right margin.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from isms_desktop.domain import metrics_chart as chart
from isms_desktop.domain.metrics_rules import Status, format_value, status
from isms_desktop.services.metrics import MetricSeries

LINE = colors.HexColor("#1f5f99")
TARGET = colors.HexColor("#2e7d32")
THRESHOLD = colors.HexColor("#c62828")
GRID = colors.HexColor("#d9dde3")
AXIS = colors.HexColor("#6b7280")
TEXT = colors.HexColor("#1f2937")
STATUS_COLOURS = {
    Status.ON_TARGET: TARGET,
    Status.WARNING: colors.HexColor("#ef8f00"),
    Status.ALERT: THRESHOLD,
    Status.NO_TARGET: LINE,
    Status.NO_DATA: AXIS,
}
FONT = "Helvetica"
BOLD = "Helvetica-Bold"


def trend_drawing(
    series: MetricSeries,
    width: float = 440.0,
    height: float = 200.0,
    *,
    font: str = FONT,
    bold: str = BOLD,
    title: bool = True,
) -> Drawing:
    """The chart of ``series`` in a ``width`` × ``height`` points Drawing."""
    geo = chart.layout(
        series.points,
        series.target,
        series.threshold,
        width,
        height,
        chart.Margins(left=40, top=24 if title else 10, right=56, bottom=22),
    )
    drawing = Drawing(width, height)

    def flip(y: float) -> float:
        return height - y

    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    for tick in geo.y_ticks:
        y = flip(geo.y(tick))
        drawing.add(Line(geo.plot_left, y, geo.plot_right, y, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(
            String(
                geo.plot_left - 4,
                y - 2.5,
                chart.tick_label(tick),
                fontName=font,
                fontSize=7,
                fillColor=AXIS,
                textAnchor="end",
            )
        )
    bottom, top = flip(geo.plot_bottom), flip(geo.plot_top)
    drawing.add(
        Line(geo.plot_left, bottom, geo.plot_right, bottom, strokeColor=AXIS, strokeWidth=0.7)
    )
    drawing.add(Line(geo.plot_left, bottom, geo.plot_left, top, strokeColor=AXIS, strokeWidth=0.7))
    years = {d.year for d in geo.x_ticks}
    for index, day in enumerate(geo.x_ticks):
        x = geo.x(day)
        drawing.add(Line(x, bottom, x, bottom - 3, strokeColor=AXIS, strokeWidth=0.7))
        label = chart.month_label(day, len(years) > 1 and (index == 0 or day.month == 1))
        drawing.add(
            String(
                x,
                bottom - 11,
                label,
                fontName=font,
                fontSize=7,
                fillColor=AXIS,
                textAnchor="middle",
            )
        )
    if title:
        unit = f" ({series.unit})" if series.unit else ""
        drawing.add(
            String(
                geo.plot_left,
                height - 14,
                f"{series.code} {series.name}{unit}",
                fontName=bold,
                fontSize=9,
                fillColor=TEXT,
            )
        )
    for value, colour, what in (
        (series.threshold, THRESHOLD, "alert"),
        (series.target, TARGET, "target"),
    ):
        if value is None:
            continue
        y = flip(geo.y(value))
        drawing.add(
            Line(
                geo.plot_left,
                y,
                geo.plot_right,
                y,
                strokeColor=colour,
                strokeWidth=1,
                strokeDashArray=[4, 3],
            )
        )
        drawing.add(
            String(geo.plot_right + 3, y + 1.5, what, fontName=font, fontSize=7, fillColor=colour)
        )
        drawing.add(
            String(
                geo.plot_right + 3,
                y - 7,
                format_value(value, series.unit),
                fontName=font,
                fontSize=7,
                fillColor=colour,
            )
        )
    if not series.points:
        drawing.add(
            String(
                (geo.plot_left + geo.plot_right) / 2,
                (bottom + top) / 2,
                "No measurements yet",
                fontName=font,
                fontSize=8,
                fillColor=AXIS,
                textAnchor="middle",
            )
        )
        return drawing
    coords: list[float] = []
    for p in series.points:
        coords += [geo.x(p.date), flip(geo.y(p.value))]
    if len(series.points) > 1:
        drawing.add(PolyLine(coords, strokeColor=LINE, strokeWidth=1.5))
    for p in series.points:
        fill = STATUS_COLOURS[status(p.value, series.target, series.threshold, series.direction)]
        drawing.add(
            Circle(
                geo.x(p.date),
                flip(geo.y(p.value)),
                2.6,
                fillColor=fill,
                strokeColor=colors.white,
                strokeWidth=0.6,
            )
        )
    last = series.points[-1]
    label = format_value(last.value, series.unit)
    advance = stringWidth(label, font, 7)
    x = min(geo.x(last.date) - advance / 2, geo.plot_right - advance)
    drawing.add(
        String(x, flip(geo.y(last.value)) + 5, label, fontName=font, fontSize=7, fillColor=TEXT)
    )
    return drawing
