"""Graphics items of the process diagram: a process box and a labelled interaction arrow."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTextOption,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from isms_desktop.services import process_diagram
from isms_desktop.services.process_diagram import BOX_HEIGHT, BOX_WIDTH, Edge, Node

BOX_FILL = QColor("#e3f2fd")
BOX_BORDER = QColor("#1565c0")
ARROW_COLOUR = QColor("#546e7a")
ARROW_HIGHLIGHT = QColor("#c62828")
FADED = 0.18  # the opacity of arrows not about the selected processes
LABEL_WIDTH = 130.0
ARROW_HEAD = 9.0


class ProcessBox(QGraphicsRectItem):
    """A process: its name, code and owner in a rounded box the user can drag."""

    def __init__(self, node: Node, on_released: Callable[[ProcessBox], None]) -> None:
        super().__init__(0, 0, BOX_WIDTH, BOX_HEIGHT)
        self.node = node
        self.arrows: list[InteractionArrow] = []
        self._on_released = on_released
        self._pressed_at = QPointF()
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setZValue(2)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        tip = node.name + (f"\n{node.owner}" if node.owner else "")
        self.setToolTip(f"{node.code}: {tip}\n(double-click to open the record)")

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        rect = self.rect()
        selected = self.isSelected()
        painter.setPen(QPen(BOX_BORDER, 2.5 if selected else 1.4))
        painter.setBrush(QBrush(BOX_FILL.darker(108) if selected else BOX_FILL))
        painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 8, 8)
        small = QFont(painter.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.78))
        painter.setFont(small)
        painter.setPen(QColor("#455a64"))
        painter.drawText(rect.adjusted(8, 4, -8, -4), Qt.AlignmentFlag.AlignLeft, self.node.code)
        if self.node.owner:
            painter.drawText(
                rect.adjusted(8, 4, -8, -4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                painter.fontMetrics().elidedText(
                    self.node.owner, Qt.TextElideMode.ElideRight, int(rect.width() - 16)
                ),
            )
        bold = QFont(painter.font())
        bold.setPointSizeF(small.pointSizeF() / 0.78)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#0d2b4e"))
        option_text = QTextOption(Qt.AlignmentFlag.AlignCenter)
        option_text.setWrapMode(QTextOption.WrapMode.WordWrap)
        painter.drawText(rect.adjusted(8, 14, -8, -14), self.node.name, option_text)

    def centre(self) -> QPointF:
        return self.sceneBoundingRect().center()

    def scene_rect(self) -> QRectF:
        return self.mapRectToScene(self.rect())

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for arrow in self.arrows:
                arrow.update_path()
        return super().itemChange(change, value)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._pressed_at = self.pos()
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if self.pos() != self._pressed_at:
            self._on_released(self)


class InteractionArrow(QGraphicsPathItem):
    """What flows from one process to another, as a (curved if parallel) labelled arrow."""

    def __init__(self, edge: Edge, source: ProcessBox, target: ProcessBox, bend: float) -> None:
        super().__init__()
        self.edge = edge
        self.source = source
        self.target = target
        self.base_bend = bend  # sideways offset of the curve's middle, for parallel arrows
        self.bend = bend  # the offset drawn: more where a box stands in the way (route_arrows)
        self.label_at = 0.5  # where along the arrow its label stands (``place_labels``)
        source.arrows.append(self)
        target.arrows.append(self)
        self.setPen(QPen(ARROW_COLOUR, 1.3))
        self.setZValue(0)
        self.setToolTip(f"{edge.code}: {source.node.name} → {target.node.name}\n{edge.flow}")
        self.head = QGraphicsPathItem(self)
        self.head.setBrush(QBrush(ARROW_COLOUR))
        self.head.setPen(QPen(Qt.PenStyle.NoPen))
        self.label = QGraphicsTextItem(self)
        self.label.setTextWidth(LABEL_WIDTH)
        font = QFont(self.label.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        self.label.setFont(font)
        self.label.setDefaultTextColor(QColor("#37474f"))
        self.label.setPlainText(edge.flow)
        document = self.label.document()
        document.setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignCenter))
        self.label.setZValue(1)
        self.label_back = QGraphicsRectItem(self)
        self.label_back.setBrush(QBrush(QColor(255, 255, 255, 215)))
        self.label_back.setPen(QPen(Qt.PenStyle.NoPen))
        self.label_back.setZValue(0.5)
        self.update_path()

    def set_emphasis(self, on: bool | None) -> None:
        """Stand out (True), fade (False) or look as usual (None): see highlight_selected."""
        colour = ARROW_HIGHLIGHT if on else ARROW_COLOUR
        self.setPen(QPen(colour, 2.2 if on else 1.3))
        self.head.setBrush(QBrush(colour))
        self.setOpacity(FADED if on is False else 1.0)
        self.setZValue(1.5 if on else 0)

    def curve(self, bend: float) -> tuple[QPointF, QPointF, QPointF]:
        """Start, control point and end of the arrow's curve with its middle ``bend`` aside."""
        start, control, end = process_diagram.curve(
            _rect(self.source.scene_rect()), _rect(self.target.scene_rect()), bend
        )
        return QPointF(*start), QPointF(*control), QPointF(*end)

    def crosses(self, bend: float, boxes: list[QRectF]) -> int:
        """How many of ``boxes`` the arrow would run through, bent by ``bend``."""
        return process_diagram.boxes_crossed(
            process_diagram.curve(
                _rect(self.source.scene_rect()), _rect(self.target.scene_rect()), bend
            ),
            [_rect(box) for box in boxes],
        )

    def update_path(self) -> None:
        start, control, end = self.curve(self.bend)
        path = QPainterPath(start)
        path.quadTo(control, end)
        self.setPath(path)
        # Arrow head along the curve's last tangent.
        tangent = end - control
        size = math.hypot(tangent.x(), tangent.y()) or 1.0
        ux, uy = tangent.x() / size, tangent.y() / size
        back = QPointF(end.x() - ux * ARROW_HEAD * 1.6, end.y() - uy * ARROW_HEAD * 1.6)
        head = QPolygonF(
            [
                end,
                back + QPointF(-uy, ux) * ARROW_HEAD * 0.6,
                back - QPointF(-uy, ux) * ARROW_HEAD * 0.6,
            ]
        )
        head_path = QPainterPath()
        head_path.addPolygon(head)
        self.head.setPath(head_path)
        self.place_label(self.label_at)

    def label_rect(self, at: float) -> QRectF:
        """Where the label's text would stand with its middle at ``at`` (0–1) of the arrow."""
        point = self.path().pointAtPercent(at)
        box = self.label.boundingRect()
        text_width = self.label.document().idealWidth()
        return QRectF(
            point.x() - text_width / 2,
            point.y() - box.height() / 2 + 3,
            text_width,
            box.height() - 6,
        )

    def place_label(self, at: float) -> None:
        """Put the label at ``at`` (0–1) along the arrow: the middle, unless another label
        or a box stands there (``place_labels``)."""
        self.label_at = at
        point = self.path().pointAtPercent(at)
        box = self.label.boundingRect()
        self.label.setPos(point.x() - box.width() / 2, point.y() - box.height() / 2)
        self.label_back.setRect(self.label_rect(at))


def _rect(rect: QRectF) -> process_diagram.Rect:
    return (rect.left(), rect.top(), rect.right(), rect.bottom())


def route_arrows(arrows: list[InteractionArrow], boxes: list[ProcessBox]) -> None:
    """Bend the arrows round the boxes in their way (``process_diagram.route``)."""
    edges = [(arrow.edge.source, arrow.edge.target) for arrow in arrows]
    bends = process_diagram.route(
        {box.node.code: _rect(box.scene_rect()) for box in boxes},
        edges,
        [arrow.base_bend for arrow in arrows],
    )
    for arrow, bend in zip(arrows, bends, strict=True):
        if arrow.bend != bend:
            arrow.bend = bend
            arrow.update_path()


# where along an arrow its label may stand, the middle first
LABEL_PLACES = (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75)


def place_labels(arrows: list[InteractionArrow], boxes: list[QRectF], rounds: int = 4) -> None:
    """Move labels along their arrows so that they cover each other and the boxes as little
    as they can: from the middle, each label in turn takes the place where it covers least
    of the boxes and the other labels, a few rounds over; a tie keeps it where it is."""
    at = [LABEL_PLACES[0]] * len(arrows)
    rects = [arrow.label_rect(at[0]) for arrow in arrows]
    for _ in range(rounds):
        moved = False
        for i, arrow in enumerate(arrows):
            others = [*boxes, *rects[:i], *rects[i + 1 :]]
            least = covered(rects[i], others)
            for place in LABEL_PLACES:
                if least == 0:
                    break
                rect = arrow.label_rect(place)
                cost = covered(rect, others)
                if cost < least - 0.5:
                    least, at[i], rects[i], moved = cost, place, rect, True
        if not moved:
            break
    for arrow, place in zip(arrows, at, strict=True):
        arrow.place_label(place)


def covered(rect: QRectF, others: list[QRectF]) -> float:
    """How much of ``rect`` the ``others`` cover (the sum of the overlaps' areas)."""
    total = 0.0
    for other in others:
        common = rect.intersected(other)
        if common.isValid():
            total += common.width() * common.height()
    return total


def code_label(text: str) -> QGraphicsSimpleTextItem:
    """A small caption (used for the empty diagram's message)."""
    item = QGraphicsSimpleTextItem(text)
    item.setBrush(QBrush(QColor("#607d8b")))
    return item
