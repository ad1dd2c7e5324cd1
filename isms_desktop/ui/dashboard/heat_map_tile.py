"""A small risk heat map: likelihood up, impact across, each cell coloured by the method's
risk level and showing how many risks sit in it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from isms_desktop.domain.risk_method import RiskMethod

_CELL = 30
_MARGIN_LEFT = 18
_MARGIN_BOTTOM = 18


class HeatMapTile(QWidget):
    """Paints one heat map; clicking a cell emits (likelihood, impact)."""

    cell_clicked = Signal(int, int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.method: RiskMethod | None = None
        self.counts: dict[tuple[int, int], int] = {}
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_data(self, method: RiskMethod, counts: dict[tuple[int, int], int]) -> None:
        self.method = method
        self.counts = dict(counts)
        self.setToolTip(
            self.tr("{0}: {1} risks. Likelihood rises upwards, impact to the right.").format(
                self.title, sum(counts.values())
            )
        )
        self.updateGeometry()
        self.update()

    def _dims(self) -> tuple[int, int]:
        if self.method is None:
            return 5, 5
        return len(self.method.likelihood), len(self.method.impact)

    def sizeHint(self) -> QSize:
        rows, cols = self._dims()
        return QSize(_MARGIN_LEFT + cols * _CELL + 2, rows * _CELL + _MARGIN_BOTTOM + 2)

    def _cell_rect(self, likelihood: int, impact: int) -> QRectF:
        rows, _ = self._dims()
        x = _MARGIN_LEFT + (impact - 1) * _CELL
        y = (rows - likelihood) * _CELL
        return QRectF(x, y, _CELL - 2, _CELL - 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.method is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rows, cols = self._dims()
        text_pen = QPen(self.palette().windowText().color())
        for likelihood in range(1, rows + 1):
            for impact in range(1, cols + 1):
                rect = self._cell_rect(likelihood, impact)
                level = self.method.level_info(self.method.level(likelihood, impact))
                colour = QColor(level.colour if level else "#dddddd")
                n = self.counts.get((likelihood, impact), 0)
                if n == 0:
                    colour.setAlpha(90)
                painter.fillRect(rect, colour)
                if n:
                    painter.setPen(QPen(QColor("#000000")))
                    font = painter.font()
                    font.setBold(True)
                    painter.setFont(font)
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(n))
        painter.setPen(text_pen)
        font = painter.font()
        font.setBold(False)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        for likelihood in range(1, rows + 1):
            rect = self._cell_rect(likelihood, 1).translated(-_MARGIN_LEFT, 0)
            rect.setWidth(_MARGIN_LEFT - 4)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(likelihood))
        for impact in range(1, cols + 1):
            rect = self._cell_rect(1, impact).translated(0, _CELL)
            rect.setHeight(_MARGIN_BOTTOM)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(impact))
        painter.end()

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        rows, cols = self._dims()
        impact = int((x - _MARGIN_LEFT) // _CELL) + 1
        likelihood = rows - int(y // _CELL)
        if 1 <= impact <= cols and 1 <= likelihood <= rows:
            return likelihood, impact
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell is not None:
            self.cell_clicked.emit(*cell)
        super().mousePressEvent(event)
