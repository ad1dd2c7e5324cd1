"""The process diagram (clause 4.4) as a QGraphicsView: boxes, arrows, zoom, PNG/SVG export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import process_diagram
from isms_desktop.services.process_diagram import Diagram
from isms_desktop.services.projects import Project
from isms_desktop.ui.diagram.items import (
    InteractionArrow,
    ProcessBox,
    code_label,
    place_labels,
    route_arrows,
)

EXPORT_MARGIN = 24.0
MIN_ZOOM, MAX_ZOOM = 0.15, 4.0
# a fitted diagram may be drawn a little larger than actual size, on a large screen, where
# the demo's labels were small in a third of the page left empty; no more, or two boxes
# would fill the screen
FIT_LARGEST = 1.3


class ProcessDiagramView(QGraphicsView):
    """Draws a project's processes; boxes dragged by the user keep their place."""

    positions_saved = Signal(int)  # how many boxes were saved
    failed = Signal(str)
    process_opened = Signal(str)  # a process's code: the user double-clicked its box

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.diagram: Diagram | None = None
        self.boxes: dict[str, ProcessBox] = {}
        self.arrows: list[InteractionArrow] = []
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#fafafa"))
        self.scene().selectionChanged.connect(self.highlight_selected)
        # Fitted to the view until the user zooms: the page is built (and first fitted)
        # while hidden, at a size of a few pixels, which left the diagram a speck.
        self._set_fitting(True)

    def sizeHint(self) -> QSize:
        return QSize(900, 520)

    # -- building ----------------------------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.reload()

    def reload(self) -> None:
        diagram = None
        if self.project is not None:
            try:
                diagram = process_diagram.load(self.project)
            except IsmsError as exc:
                self.failed.emit(str(exc))
        self.show_diagram(diagram)

    def show_diagram(self, diagram: Diagram | None) -> None:
        scene = self.scene()
        scene.clear()
        self.boxes = {}
        self.arrows = []
        self.diagram = diagram
        if diagram is None or not diagram.nodes:
            if diagram is not None:
                scene.addItem(
                    code_label(
                        self.tr(
                            "No ISMS processes yet.\n\nRecord the processes your ISMS needs on "
                            "the Processes tab, and what flows between them on the\n"
                            "Interactions tab: this diagram is drawn from those records."
                        )
                    )
                )
            return
        for node in diagram.nodes:
            box = ProcessBox(node, self._box_released)
            box.setPos(*diagram.positions[node.code])
            scene.addItem(box)
            self.boxes[node.code] = box
        # Arrows between the same two boxes (either way) bend apart so labels do not overlap.
        bends = process_diagram.parallel_bends([(e.source, e.target) for e in diagram.edges])
        for edge, bend in zip(diagram.edges, bends, strict=True):
            arrow = InteractionArrow(edge, self.boxes[edge.source], self.boxes[edge.target], bend)
            scene.addItem(arrow)
            self.arrows.append(arrow)
        self.place_labels()
        scene.setSceneRect(scene.itemsBoundingRect().marginsAdded(QMarginsF(60, 60, 60, 60)))

    def place_labels(self) -> None:
        """Arrows round the boxes in their way, then labels clear of each other and of the
        boxes, where their arrows allow."""
        route_arrows(self.arrows, list(self.boxes.values()))
        place_labels(self.arrows, [box.scene_rect() for box in self.boxes.values()])

    def highlight_selected(self) -> None:
        """With processes selected, their arrows stand out and the others fade: in a full
        diagram one process's inputs and outputs are otherwise hard to follow."""
        chosen = {box.node.code for box in self.boxes.values() if box.isSelected()}
        for arrow in self.arrows:
            arrow.set_emphasis(
                None if not chosen else bool({arrow.edge.source, arrow.edge.target} & chosen)
            )

    # -- moving ------------------------------------------------------------------------------

    def _box_released(self, box: ProcessBox) -> None:
        moved = [b for b in self.boxes.values() if b.isSelected()] or [box]
        if box not in moved:
            moved.append(box)
        self.place_labels()
        self.save_positions(moved)

    def save_positions(self, boxes: list[ProcessBox]) -> None:
        if self.project is None or self.project.read_only:
            return
        try:
            process_diagram.save_positions(
                self.project, {b.node.code: (b.pos().x(), b.pos().y()) for b in boxes}
            )
        except IsmsError as exc:
            self.failed.emit(str(exc))
            return
        scene = self.scene()
        scene.setSceneRect(
            scene.sceneRect().united(
                scene.itemsBoundingRect().marginsAdded(QMarginsF(60, 60, 60, 60))
            )
        )
        self.positions_saved.emit(len(boxes))

    def arrange_automatically(self) -> None:
        """Forget the dragged positions and lay the boxes out again."""
        if self.project is None:
            return
        if not self.project.read_only:
            try:
                process_diagram.forget_positions(self.project)
            except IsmsError as exc:
                self.failed.emit(str(exc))
                return
        self.reload()
        self.fit()

    # -- zoom --------------------------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def _set_fitting(self, on: bool) -> None:
        """Fitted to the view (no scroll bars: a fit that made them appear or go would resize
        the view and fit again, without end), or zoomed by the user (scroll bars as needed)."""
        self._fitting = on
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if on else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)

    def zoom_by(self, factor: float) -> None:
        self._set_fitting(False)
        current = self.zoom()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def actual_size(self) -> None:
        self._set_fitting(False)
        self.resetTransform()

    def fit(self) -> None:
        """Show the whole diagram (no larger than FIT_LARGEST), also after the view resizes."""
        self._set_fitting(True)
        rect = self.scene().itemsBoundingRect()
        if not rect.isEmpty():
            self.fitInView(
                rect.marginsAdded(QMarginsF(20, 20, 20, 20)), Qt.AspectRatioMode.KeepAspectRatio
            )
            if self.zoom() > FIT_LARGEST:
                self.resetTransform()
                self.scale(FIT_LARGEST, FIT_LARGEST)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitting:
            self.fit()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, ProcessBox):
            item = item.parentItem()
        if isinstance(item, ProcessBox):
            self.process_opened.emit(item.node.code)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.0015 ** event.angleDelta().y())
            event.accept()
            return
        super().wheelEvent(event)

    # -- export ------------------------------------------------------------------------------

    def _export_rect(self) -> QRectF:
        return (
            self.scene()
            .itemsBoundingRect()
            .marginsAdded(QMarginsF(EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN))
        )

    def _render(self, painter: QPainter, target: QRectF) -> None:
        selected = self.scene().selectedItems()
        for item in selected:
            item.setSelected(False)
        try:
            self.scene().render(painter, target, self._export_rect())
        finally:
            for item in selected:
                item.setSelected(True)

    def image(self, scale: float = 2.0) -> QImage:
        """The whole diagram as an image (white background, ``scale`` pixels per unit)."""
        rect = self._export_rect()
        image = QImage(
            max(1, int(rect.width() * scale)),
            max(1, int(rect.height() * scale)),
            QImage.Format.Format_ARGB32,
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        self._render(painter, QRectF(0, 0, image.width(), image.height()))
        painter.end()
        return image

    def export_png(self, path: Path) -> None:
        if not self.image().save(str(path)):  # the format follows the suffix
            raise IsmsError(f"{path} could not be written; check the folder and free space")

    def export_svg(self, path: Path) -> None:
        rect = self._export_rect()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(int(rect.width()), int(rect.height())))
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle(self.tr("ISMS processes and their interactions"))
        painter = QPainter()
        if not painter.begin(generator):
            raise IsmsError(f"{path} could not be written; check the folder and free space")
        self._render(painter, QRectF(0, 0, rect.width(), rect.height()))
        painter.end()
        if not path.exists():
            raise IsmsError(f"{path} could not be written; check the folder and free space")
