"""The risk heat map: likelihood × impact grids with the number of risks in each cell.

Inherent and residual risk are shown side by side, coloured by the project's matrix, counted
by ``services.heat_map``'s one rule (risks not closed; an unassessed residual at its inherent
place). The same widget is a page of the Risks tab and, compact, a tile of the dashboard.
Clicking a cell emits ``cell_selected`` (stage, likelihood, impact) for a register view to
filter by ``heat_map.cell_filter``; the full widget also lists the cell's risk codes
(``cell_chosen``).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services.heat_map import HeatMap, Stage, heat_map, risk_codes
from isms_desktop.services.projects import Project
from isms_desktop.ui.colours import text_colour
from isms_desktop.ui.deferred import WhenShown

# (left, bottom, top) margins around the cells: level labels in full, numbers when compact.
MARGINS = {False: (118.0, 44.0, 28.0), True: (22.0, 20.0, 22.0)}


class HeatGrid(QWidget):
    """One stage's grid, painted: highest likelihood on top, impact growing to the right."""

    cell_clicked = Signal(int, int)  # likelihood, impact

    def __init__(self, title: str, parent: QWidget | None = None, compact: bool = False) -> None:
        super().__init__(parent)
        self.title = title
        self.compact = compact
        self.left, self.bottom, self.top = MARGINS[compact]
        self.method: RiskMethod | None = None
        self.counts: dict[tuple[int, int], int] = {}
        self.selected: tuple[int, int] | None = None
        if compact:
            self.setMinimumSize(170, 150)
        else:
            self.setMinimumSize(300, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(220, 190) if self.compact else QSize(440, 360)

    def set_data(self, method: RiskMethod | None, counts: dict[tuple[int, int], int]) -> None:
        self.method = method
        self.counts = dict(counts)
        self.selected = None
        self.setToolTip(
            self.tr("{0}: {1} risks. Likelihood rises upwards, impact to the right.").format(
                self.title, sum(self.counts.values())
            )
            if method is not None
            else ""
        )
        self.update()

    def cell_rect(self, likelihood: int, impact: int) -> QRectF:
        assert self.method is not None
        rows, columns = len(self.method.likelihood), len(self.method.impact)
        width = (self.width() - self.left - 8) / columns
        height = (self.height() - self.top - self.bottom) / rows
        return QRectF(
            self.left + (impact - 1) * width,
            self.top + (rows - likelihood) * height,
            width,
            height,
        )

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        if self.method is None:
            return None
        for likelihood in range(1, len(self.method.likelihood) + 1):
            for impact in range(1, len(self.method.impact) + 1):
                if self.cell_rect(likelihood, impact).contains(x, y):
                    return likelihood, impact
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette_text = self.palette().windowText().color()
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(palette_text)
        painter.drawText(
            QRectF(self.left, 0, self.width() - self.left, self.top - 4),
            Qt.AlignmentFlag.AlignCenter,
            self.title,
        )
        method = self.method
        if method is None:
            painter.end()
            return
        count_font = QFont(self.font())
        count_font.setBold(True)
        count_font.setPointSizeF(count_font.pointSizeF() * (1.0 if self.compact else 1.4))
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        for likelihood in range(1, len(method.likelihood) + 1):
            for impact in range(1, len(method.impact) + 1):
                rect = self.cell_rect(likelihood, impact)
                info = method.level_info(method.level(likelihood, impact))
                colour = QColor(info.colour if info else "#cccccc")
                n = self.counts.get((likelihood, impact), 0)
                if n == 0:
                    colour.setAlpha(110)
                painter.fillRect(rect.adjusted(1, 1, -1, -1), colour)
                if (likelihood, impact) == self.selected:
                    painter.setPen(QPen(palette_text, 3))
                    painter.drawRect(rect.adjusted(2, 2, -2, -2))
                if n:
                    painter.setFont(count_font)
                    painter.setPen(QColor(text_colour(colour.name())))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(n))
        painter.setFont(small)
        painter.setPen(palette_text)
        if self.compact:
            self._paint_numbers(painter, method)
        else:
            self._paint_labels(painter, method)
        painter.end()

    def _paint_numbers(self, painter: QPainter, method: RiskMethod) -> None:
        """The scale values along the axes (the compact dashboard tile)."""
        for level in method.likelihood:
            rect = self.cell_rect(level.value, 1)
            painter.drawText(
                QRectF(0, rect.top(), self.left - 4, rect.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(level.value),
            )
        for level in method.impact:
            rect = self.cell_rect(1, level.value)
            painter.drawText(
                QRectF(rect.left(), rect.bottom() + 1, rect.width(), self.bottom - 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                str(level.value),
            )

    def _paint_labels(self, painter: QPainter, method: RiskMethod) -> None:
        """The scale levels with their labels, and the axes' names."""
        for level in method.likelihood:
            rect = self.cell_rect(level.value, 1)
            painter.drawText(
                QRectF(0, rect.top(), self.left - 6, rect.height()),
                Qt.AlignmentFlag.AlignRight
                | Qt.AlignmentFlag.AlignVCenter
                | Qt.TextFlag.TextWordWrap,
                f"{level.value} {level.label}",
            )
        for level in method.impact:
            rect = self.cell_rect(1, level.value)
            painter.drawText(
                QRectF(rect.left(), rect.bottom() + 2, rect.width(), self.bottom - 18),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                f"{level.value} {level.label}",
            )
        painter.drawText(
            QRectF(self.left, self.height() - 16, self.width() - self.left, 16),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("Impact →"),
        )
        painter.save()
        painter.translate(10, self.top + (self.height() - self.top - self.bottom) / 2)
        painter.rotate(-90)
        painter.drawText(
            QRectF(-80, -8, 160, 16), Qt.AlignmentFlag.AlignCenter, self.tr("Likelihood →")
        )
        painter.restore()

    def count_text(self, n: int) -> str:
        if n == 0:
            return self.tr("no risks")
        return self.tr("1 risk") if n == 1 else self.tr("{0} risks").format(n)

    def cell_tip(self, likelihood: int, impact: int) -> str:
        """A cell's scores by name, its level, whether it may be accepted, and its count."""
        method = self.method
        if method is None:
            return ""
        code = method.level(likelihood, impact)
        info = method.level_info(code)
        acceptable = (
            self.tr("acceptable") if method.acceptable(code) else self.tr("above acceptance")
        )
        return self.tr("{0}: likelihood {1} × impact {2} = {3} ({4}), {5}.").format(
            self.title.split(" (")[0],
            f"{likelihood} {method.likelihood[likelihood - 1].label}",
            f"{impact} {method.impact[impact - 1].label}",
            info.label if info else "–",
            acceptable,
            self.count_text(self.counts.get((likelihood, impact), 0)),
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos().x(), event.pos().y())
            if cell is not None:
                QToolTip.showText(event.globalPos(), self.cell_tip(*cell), self)
                return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.selected = cell
        self.update()
        self.cell_clicked.emit(*cell)


class HeatMapWidget(QWidget):
    """Inherent and residual heat maps side by side, with the levels' legend and a caption
    saying what is counted. ``compact`` is the dashboard's tile: small grids, numbers on the
    axes, and a click that only emits ``cell_selected`` (the register shows the risks)."""

    cell_chosen = Signal(str, list)  # stage, risk codes (the full widget)
    cell_selected = Signal(str, int, int)  # stage, likelihood, impact (to filter a register)

    def __init__(
        self, parent: QWidget | None = None, compact: bool = False, when_shown: bool = False
    ) -> None:
        super().__init__(parent)
        self.compact = compact
        self.project: Project | None = None
        # ``when_shown``: a page the user may never open counts the risks when first shown
        self._when_shown = WhenShown(self, self._recount) if when_shown else None
        self.data: HeatMap | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        grids = QHBoxLayout()
        titles: dict[Stage, str] = (
            {"inherent": self.tr("Inherent risk"), "residual": self.tr("Residual risk")}
            if compact
            else {
                "inherent": self.tr("Inherent risk (before treatment)"),
                "residual": self.tr("Residual risk (after treatment)"),
            }
        )
        self.grids: dict[Stage, HeatGrid] = {
            stage: HeatGrid(title, self, compact=compact) for stage, title in titles.items()
        }
        for stage, grid in self.grids.items():
            grids.addWidget(grid)
            grid.cell_clicked.connect(lambda lk, im, stage=stage: self.choose_cell(stage, lk, im))
        layout.addLayout(grids, 1)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: gray")
        layout.addWidget(self.caption)
        hint = self.tr("Click a cell to see its risks in the register.")
        if compact:  # its axes carry numbers only: say which is which
            hint = self.tr("Likelihood rises upwards, impact to the right.") + " " + hint
        self.hint = hint
        self.status = QLabel(hint, self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.refresh()

    def refresh(self) -> None:
        """Re-count the project's risks (the dashboard passes its figures to ``show_map``)."""
        if self._when_shown is not None:
            self._when_shown.request()
        else:
            self._recount()

    def _recount(self) -> None:
        data: HeatMap | None = None
        if self.project is not None:
            try:
                data = heat_map(self.project)
            except IsmsError as exc:
                self.status.setText(str(exc))
        self.show_map(data)

    def show_map(self, data: HeatMap | None) -> None:
        self.data = data
        method = data.method if data else None
        for stage, grid in self.grids.items():
            grid.set_data(method, data.counts[stage] if data else {})
        self.legend.setText(self._legend())
        self.caption.setText(data.summary() if data else "")
        self.caption.setVisible(bool(self.caption.text()))

    def _legend(self) -> str:
        if self.data is None:
            return ""
        method = self.data.method
        swatches = " ".join(
            f"<span style='background:{lv.colour}; color:{text_colour(lv.colour)};'>"
            f"&nbsp;{html.escape(lv.label)}&nbsp;</span>"
            for lv in method.levels
        )
        acceptable = method.level_info(method.acceptance_level)
        if acceptable is not None:
            swatches += " &nbsp; " + html.escape(
                self.tr("Acceptable up to {0}.").format(acceptable.label)
            )
        return swatches

    def choose_cell(self, stage: Stage, likelihood: int, impact: int) -> list[str]:
        """Select a cell (as a click does); the full widget also lists the codes of its risks."""
        if self.data is None:
            return []
        codes = self.mark_cell(stage, likelihood, impact)
        self.cell_selected.emit(stage, likelihood, impact)
        return codes

    def clear_selection(self) -> None:
        """No cell chosen (the register it filtered shows all risks again)."""
        for grid in self.grids.values():
            grid.selected = None
            grid.update()
        self.status.setText(self.hint)

    def mark_cell(self, stage: Stage, likelihood: int, impact: int) -> list[str]:
        """Show a cell as chosen, and list its risks, without filtering anything."""
        if self.data is None:
            return []
        for other, grid in self.grids.items():
            if other != stage:
                grid.selected = None
                grid.update()
        self.grids[stage].selected = (likelihood, impact)
        self.grids[stage].update()
        codes: list[str] = []
        if not self.compact and self.project is not None:
            codes = risk_codes(self.project, stage, likelihood, impact)
            method = self.data.method
            shown = ", ".join(codes[:20]) + (" …" if len(codes) > 20 else "")
            grid = self.grids[stage]
            self.status.setText(
                self.tr("{0}, likelihood {1} × impact {2}: {3}").format(
                    grid.title.split(" (")[0],
                    method.likelihood[likelihood - 1].label,
                    method.impact[impact - 1].label,
                    grid.count_text(len(codes)),
                )
                + (f" — {shown}" if codes else "")
            )
            self.cell_chosen.emit(stage, codes)
        return codes


def heat_map_page(project: Project | None, parent: QWidget | None = None) -> HeatMapWidget:
    """A heat map widget showing ``project``, ready to be a page of the Risks tab."""
    widget = HeatMapWidget(parent)
    widget.set_project(project)
    return widget
