"""The process diagram with its tool bar, ready to be a page of the Context & Scope tab."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import process_diagram
from isms_desktop.services.process_diagram import Point
from isms_desktop.services.projects import Project
from isms_desktop.ui.diagram.process_diagram_view import ProcessDiagramView


class ProcessDiagramPage(QWidget):
    """Tool bar (arrange, zoom, export) over the diagram view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(
            self.tr(
                "Clause 4.4 asks for the processes the ISMS needs and how they interact. Click "
                "a process to pick out its arrows, double-click it to open its record; drag the "
                "boxes to arrange them (their places are saved); Ctrl+wheel zooms. Processes "
                "and interactions are edited on their own tabs."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        bar = QHBoxLayout()
        self.view = ProcessDiagramView(self)
        self.arrange_button = QPushButton(self.tr("Arrange Automatically"), self)
        self.zoom_in_button = QPushButton(self.tr("Zoom In"), self)
        self.zoom_out_button = QPushButton(self.tr("Zoom Out"), self)
        self.fit_button = QPushButton(self.tr("Fit"), self)
        self.png_button = QPushButton(self.tr("Export PNG…"), self)
        self.svg_button = QPushButton(self.tr("Export SVG…"), self)
        for button in (
            self.arrange_button,
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.png_button)
        bar.addWidget(self.svg_button)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.status = QLabel(self)
        layout.addWidget(self.status)
        self.arrange_button.clicked.connect(self.arrange_automatically)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.fit_button.clicked.connect(self.view.fit)
        self.png_button.clicked.connect(lambda: self.export("png"))
        self.svg_button.clicked.connect(lambda: self.export("svg"))
        self.view.failed.connect(self.status.setText)
        self.view.positions_saved.connect(
            lambda n: self.status.setText(
                self.tr("Position saved.") if n == 1 else self.tr("Positions saved.")
            )
        )

    def arrange_automatically(self) -> None:
        """Lay the boxes out again; the places the user gave them come back with Undo."""
        project = self.view.project
        if project is None:
            return
        diagram = self.view.diagram
        arranged = (
            {code: place for code, place in diagram.positions.items() if code in diagram.saved}
            if diagram is not None
            else {}
        )
        self.view.arrange_automatically()
        self._update()
        undo_stack: QUndoStack | None = getattr(self.window(), "undo_stack", None)
        if not arranged or project.read_only or undo_stack is None:
            return
        undo_stack.push(ArrangeCommand(self, project, arranged))
        self.status.setText(
            self.tr("Arranged automatically. Edit ▸ Undo puts the boxes back where you had them.")
        )

    def set_project(self, project: Project | None) -> None:
        self.view.set_project(project)
        self._update()
        self.view.fit()

    def reload(self) -> None:
        """Draw the processes again (after they, their interactions or people changed)."""
        self.view.reload()
        self._update()

    def _update(self) -> None:
        """The counts below the diagram, and the buttons that need a process to work on."""
        diagram = self.view.diagram
        processes = len(diagram.nodes) if diagram is not None else 0
        interactions = len(diagram.edges) if diagram is not None else 0
        text = ""
        if processes:
            text = (self.tr("1 process") if processes == 1 else self.tr("{0} processes")).format(
                processes
            )
            text += ", " + (
                self.tr("1 interaction.")
                if interactions == 1
                else self.tr("{0} interactions.").format(interactions)
            )
            if not interactions:
                text += " " + self.tr(
                    "Record what flows from one process to another on the Interactions tab: "
                    "each interaction is drawn as an arrow."
                )
        self.status.setText(text)
        project = self.view.project
        self.arrange_button.setEnabled(
            bool(processes) and project is not None and not project.read_only
        )
        for button in (
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_button,
            self.png_button,
            self.svg_button,
        ):
            button.setEnabled(bool(processes))

    def export(self, kind: str, path: Path | None = None) -> Path | None:
        """Write the diagram as PNG or SVG (asking for the file unless ``path`` is given)."""
        if self.view.diagram is None or not self.view.diagram.nodes:
            return None
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the Process Diagram"),
                self.tr("ISMS processes.{0}").format(kind),
                self.tr("PNG image (*.png)") if kind == "png" else self.tr("SVG drawing (*.svg)"),
            )
            if not chosen:
                return None
            path = Path(chosen)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        try:
            if kind == "png":
                self.view.export_png(path)
            else:
                self.view.export_svg(path)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Cannot Export the Diagram"), str(exc))
            return None
        self.status.setText(self.tr("Exported to {0}.").format(path))
        return path


class ArrangeCommand(QUndoCommand):
    """The automatic arrangement (already done when pushed): undo puts the boxes back
    where the user had placed them."""

    def __init__(
        self, page: ProcessDiagramPage, project: Project, arranged: dict[str, Point]
    ) -> None:
        super().__init__(
            QCoreApplication.translate("ProcessDiagramPage", "Arrange the process diagram")
        )
        self.page = page
        self.project = project
        self.arranged = arranged
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(lambda: process_diagram.forget_positions(self.project))

    def undo(self) -> None:
        self._apply(lambda: process_diagram.save_positions(self.project, self.arranged))

    def _apply(self, change: Callable[[], None]) -> None:
        try:
            change()
        except IsmsError as exc:
            self.page.status.setText(str(exc))
            return
        if self.page.view.project is self.project:
            self.page.reload()
            self.page.view.fit()


def diagram_page(project: Project | None, parent: QWidget | None = None) -> ProcessDiagramPage:
    """The process diagram showing ``project``, ready to be a page of the Context tab."""
    page = ProcessDiagramPage(parent)
    page.set_project(project)
    return page
