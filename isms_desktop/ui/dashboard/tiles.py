"""The dashboard's tiles: risk heat maps (inherent and residual), SoA implementation status,
open nonconformities by severity, upcoming audits and reviews, documents due for review."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from isms_desktop.domain.readiness import Target
from isms_desktop.services import heat_map
from isms_desktop.services.dashboard import Tiles, Upcoming
from isms_desktop.ui.dashboard.action_list_view import OVERDUE
from isms_desktop.ui.risk.heat_map import HeatMapWidget

SOA_LABELS = {
    "implemented": "Implemented",
    "partially_implemented": "Partially implemented",
    "planned": "Planned",
    "not_started": "Not started",
    "not_applicable": "Not applicable",
    "excluded": "Excluded",
    "not_decided": "Not yet decided",
}


def _tile(title: str, parent: QWidget) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title, parent)
    layout = QVBoxLayout(box)
    layout.setSpacing(4)
    return box, layout


class TilesPanel(QWidget):
    target_chosen = Signal(object)  # Target
    record_chosen = Signal(str, str)  # register, code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        heat_box, heat_layout = _tile(self.tr("Risk heat map"), self)
        self.heat_map = HeatMapWidget(heat_box, compact=True)
        self.heat_map.cell_selected.connect(
            lambda stage, lk, im: self.target_chosen.emit(
                Target("risks", "risks", tuple(heat_map.cell_filter(stage, lk, im).items()))
            )
        )
        heat_layout.addWidget(self.heat_map)
        grid.addWidget(heat_box, 0, 0, 2, 1)
        soa_box, self._soa_layout = _tile(self.tr("Statement of Applicability"), self)
        self.soa_label = QLabel(soa_box)
        self.soa_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.soa_label.linkActivated.connect(self._open_soa)
        self._soa_layout.addWidget(self.soa_label)
        self._soa_layout.addStretch(1)
        grid.addWidget(soa_box, 0, 1)
        nc_box, nc_layout = _tile(self.tr("Open nonconformities"), self)
        self.nc_label = QLabel(nc_box)
        nc_layout.addWidget(self.nc_label)
        nc_layout.addStretch(1)
        grid.addWidget(nc_box, 1, 1)
        up_box, up_layout = _tile(self.tr("Upcoming audits and reviews"), self)
        self.upcoming_label = self._link_label(up_box)
        up_layout.addWidget(self.upcoming_label)
        up_layout.addStretch(1)
        grid.addWidget(up_box, 0, 2)
        doc_box, doc_layout = _tile(self.tr("Documents due for review"), self)
        self.documents_label = self._link_label(doc_box)
        doc_layout.addWidget(self.documents_label)
        doc_layout.addStretch(1)
        grid.addWidget(doc_box, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

    def _open_soa(self, key: str) -> None:
        filters = {
            "excluded": ("applicable", "no"),
            "not_decided": ("applicable", ""),
        }.get(key, ("status", key))
        self.target_chosen.emit(Target("soa", "soa", (filters,)))

    def _link_label(self, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        label.linkActivated.connect(self._open_link)
        return label

    def _open_link(self, link: str) -> None:
        register, _, code = link.partition(":")
        self.record_chosen.emit(register, code)

    def _list(self, items: list[Upcoming], empty: str, today: dt.date | None = None) -> str:
        """One line per item, earliest first; a date already past is red and says overdue."""
        if not items:
            return f"<span style='color: gray'>{html.escape(empty)}</span>"
        today = today or dt.date.today()
        lines = []
        for u in items[:6]:
            when = u.date.isoformat()
            if u.date < today:
                when = (
                    f"<span style='color: {OVERDUE.name()}'>{when} "
                    f"{html.escape(self.tr('(overdue)'))}</span>"
                )
            lines.append(
                f"{when} &nbsp;<a href='{u.register}:{html.escape(u.code)}'>"
                f"{html.escape(u.code)}</a> {html.escape(u.title)}"
            )
        if len(items) > 6:
            lines.append(html.escape(self.tr("… {0} more").format(len(items) - 6)))
        return "<br>".join(lines)

    def show_tiles(self, tiles: Tiles | None, today: dt.date | None = None) -> None:
        if tiles is None:
            for label in (self.soa_label, self.nc_label, self.upcoming_label, self.documents_label):
                label.clear()
            self.heat_map.show_map(None)
            return
        self.heat_map.show_map(tiles.heat_map)
        total = sum(tiles.soa_status.values()) or 1
        rows = []
        for key, caption in SOA_LABELS.items():
            n = tiles.soa_status.get(key, 0)
            if n:
                rows.append(
                    f"<tr><td><a href='{key}'>{html.escape(self.tr(caption))}</a></td>"
                    f"<td align='right'>&nbsp;{n}</td>"
                    f"<td align='right'>&nbsp;{round(100 * n / total)} %</td></tr>"
                )
        self.soa_label.setText(f"<table>{''.join(rows)}</table>")
        if tiles.open_nonconformities:
            self.nc_label.setText(
                "<br>".join(
                    f"{html.escape(severity.capitalize())}: <b>{n}</b>"
                    for severity, n in sorted(tiles.open_nonconformities.items())
                )
            )
        else:
            self.nc_label.setText(self.tr("None open"))
        self.upcoming_label.setText(
            self._list(tiles.upcoming, self.tr("Nothing planned in the next 90 days"), today)
        )
        self.documents_label.setText(
            self._list(
                tiles.documents_due, self.tr("No document is due in the next 30 days"), today
            )
        )
