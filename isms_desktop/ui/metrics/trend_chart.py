"""A metric's measurements over time with its target line, painted with QPainter.

(QtCharts is not part of PySide6-Essentials.) The geometry comes from
``domain.metrics_chart``, which the PDF drawing uses too, so both look alike. Each point is
coloured by its status against target and threshold.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from isms_desktop.domain import metrics_chart as chart
from isms_desktop.domain.metrics_rules import Status, format_value, status
from isms_desktop.services.metrics import MetricSeries

LINE = QColor("#1f5f99")
TARGET = QColor("#2e7d32")
THRESHOLD = QColor("#c62828")
GRID = QColor("#d9dde3")
AXIS = QColor("#6b7280")
TEXT = QColor("#1f2937")
STATUS_COLOURS = {
    Status.ON_TARGET: QColor("#2e7d32"),
    Status.WARNING: QColor("#ef8f00"),
    Status.ALERT: QColor("#c62828"),
    Status.NO_TARGET: LINE,
    Status.NO_DATA: AXIS,
}


def paint_chart(
    painter: QPainter, series: MetricSeries | None, width: float, height: float
) -> None:
    """Paint the whole chart into a ``width`` × ``height`` area at the painter's origin."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
    base = QFont(painter.font())
    base.setPointSizeF(8.5)
    painter.setFont(base)
    if series is None:
        painter.setPen(AXIS)
        painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, "No metric")
        return
    geo = chart.layout(series.points, series.target, series.threshold, width, height)
    _grid(painter, geo)
    title = QFont(base)
    title.setBold(True)
    title.setPointSizeF(9.5)
    painter.setFont(title)
    painter.setPen(TEXT)
    unit = f" ({series.unit})" if series.unit else ""
    room = QRectF(geo.plot_left, 4, width - geo.plot_left - 8, geo.margins.top - 8)
    # a long name in a narrow chart (two side by side) ends in "…" rather than cut mid-letter
    painter.drawText(
        room,
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        painter.fontMetrics().elidedText(
            f"{series.code} {series.name}{unit}", Qt.TextElideMode.ElideRight, int(room.width())
        ),
    )
    painter.setFont(base)
    _limit(painter, geo, series.threshold, THRESHOLD, "alert", series.unit)
    _limit(painter, geo, series.target, TARGET, "target", series.unit)
    if not series.points:
        painter.setPen(AXIS)
        painter.drawText(
            QRectF(
                geo.plot_left,
                geo.plot_top,
                geo.plot_right - geo.plot_left,
                geo.plot_bottom - geo.plot_top,
            ),
            Qt.AlignmentFlag.AlignCenter,
            "No measurements yet",
        )
        return
    path = QPainterPath()
    for index, p in enumerate(series.points):
        at = QPointF(geo.x(p.date), geo.y(p.value))
        if index == 0:
            path.moveTo(at)
        else:
            path.lineTo(at)
    painter.setPen(QPen(LINE, 2.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    for p in series.points:
        colour = STATUS_COLOURS[status(p.value, series.target, series.threshold, series.direction)]
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(geo.x(p.date), geo.y(p.value)), 4.0, 4.0)
    last = series.points[-1]
    painter.setPen(TEXT)
    label = format_value(last.value, series.unit)
    advance = painter.fontMetrics().horizontalAdvance(label)
    x = min(geo.x(last.date) - advance / 2, geo.plot_right - advance)
    painter.drawText(QPointF(x, geo.y(last.value) - 8), label)


def _grid(painter: QPainter, geo: chart.ChartGeometry) -> None:
    metrics = painter.fontMetrics()
    for tick in geo.y_ticks:
        y = geo.y(tick)
        painter.setPen(QPen(GRID, 1.0))
        painter.drawLine(QPointF(geo.plot_left, y), QPointF(geo.plot_right, y))
        painter.setPen(AXIS)
        text = chart.tick_label(tick)
        painter.drawText(
            QPointF(
                geo.plot_left - 6 - metrics.horizontalAdvance(text), y + metrics.ascent() / 2.5
            ),
            text,
        )
    painter.setPen(QPen(AXIS, 1.0))
    painter.drawLine(
        QPointF(geo.plot_left, geo.plot_bottom), QPointF(geo.plot_right, geo.plot_bottom)
    )
    painter.drawLine(QPointF(geo.plot_left, geo.plot_top), QPointF(geo.plot_left, geo.plot_bottom))
    years = {d.year for d in geo.x_ticks}
    for index, day in enumerate(geo.x_ticks):
        x = geo.x(day)
        painter.drawLine(QPointF(x, geo.plot_bottom), QPointF(x, geo.plot_bottom + 4))
        text = chart.month_label(day, len(years) > 1 and (index == 0 or day.month == 1))
        painter.drawText(
            QPointF(
                x - metrics.horizontalAdvance(text) / 2, geo.plot_bottom + 6 + metrics.ascent()
            ),
            text,
        )


def _limit(
    painter: QPainter,
    geo: chart.ChartGeometry,
    value: float | None,
    colour: QColor,
    what: str,
    unit: str,
) -> None:
    if value is None:
        return
    y = geo.y(value)
    pen = QPen(colour, 1.6)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawLine(QPointF(geo.plot_left, y), QPointF(geo.plot_right, y))
    metrics = painter.fontMetrics()
    x = geo.plot_right + 4
    painter.drawText(QPointF(x, y - 2), what)
    painter.drawText(QPointF(x, y + metrics.ascent()), format_value(value, unit))


def render_image(series: MetricSeries | None, width: int, height: int) -> QImage:
    """The chart as an image (for tests, copying to the clipboard, or saving)."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint_chart(painter, series, width, height)
    finally:
        painter.end()
    return image


class TrendChart(QWidget):
    """Shows one metric's trend; call ``set_series`` with the data from ``services.metrics``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: MetricSeries | None = None
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(640, 300)

    def set_series(self, series: MetricSeries | None) -> None:
        self.series = series
        self.setToolTip(self._summary())
        self.update()

    def _summary(self) -> str:
        s = self.series
        if s is None or not s.points:
            return ""
        last = s.points[-1]
        return f"{s.name}: {format_value(last.value, s.unit)} on {last.date.isoformat()}"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_chart(painter, self.series, float(self.width()), float(self.height()))
        finally:
            painter.end()
