"""The Dashboard tab: where the ISMS stands, what is late, and what to do next.

Readiness per clause and theme comes from the rules of ``domain.readiness`` (the same figures
``info --json`` reports); each unmet check is a next step with a button to the place where it
is fixed. Below: tiles (heat maps, SoA status, open nonconformities, upcoming audits and
reviews, documents due) and the one action list of every open item with a due date.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.readiness import Readiness, Target
from isms_desktop.services import dashboard, readiness
from isms_desktop.services.projects import summary
from isms_desktop.ui.dashboard.action_list_view import ActionListView
from isms_desktop.ui.dashboard.readiness_panel import NextStepsPanel, ReadinessPanel
from isms_desktop.ui.dashboard.tiles import TilesPanel
from isms_desktop.ui.register_labels import register_label
from isms_desktop.ui.tabs.base import (
    AreaTab,
    ProjectInfo,
    heading_label,
    paragraph_label,
)

log = logging.getLogger(__name__)

# Registers shown on the dashboard, grouped as the PDCA cycle reads.
_COUNTED = (
    "context",
    "parties",
    "scope",
    "processes",
    "people",
    "documents",
    "assets",
    "risks",
    "treatment",
    "soa",  # (one entry per control: the controls are not counted again)
    "objectives",
    "training",
    "metrics",
    "audits",
    "findings",
    "nonconformities",
    "actions",
    "incidents",
    "reviews",
)


class DashboardTab(AreaTab):
    key: ClassVar[str] = "dashboard"

    area_chosen = Signal(str)
    target_chosen = Signal(object)  # domain.readiness.Target
    record_chosen = Signal(str, str)  # register, code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.readiness: Readiness | None = None
        self.organisation_label = heading_label("", 1.3, self)
        self.subtitle_label = paragraph_label("", self)
        self.body.addWidget(self.organisation_label)
        self.body.addWidget(self.subtitle_label)

        top = QHBoxLayout()
        top.setSpacing(16)
        self.readiness_panel = ReadinessPanel(self)
        self.readiness_bars = self.readiness_panel.readiness_bars
        self.next_panel = NextStepsPanel(self)
        self.next_panel.target_chosen.connect(self.target_chosen)
        top.addWidget(self.readiness_panel, 3)
        top.addWidget(self.next_panel, 2)
        self.body.addLayout(top)

        self.tiles = TilesPanel(self)
        self.tiles.target_chosen.connect(self.target_chosen)
        self.tiles.record_chosen.connect(self.record_chosen)
        self.body.addWidget(self.tiles)

        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        actions_box = QGroupBox(self.tr("Open actions and due dates"), self)
        actions_layout = QVBoxLayout(actions_box)
        self.action_list = ActionListView(actions_box)
        self.action_list.record_chosen.connect(self.record_chosen)
        actions_layout.addWidget(self.action_list)
        bottom.addWidget(actions_box, 4)
        bottom.addWidget(self._build_counts(), 1, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(bottom)

    def _build_counts(self) -> QGroupBox:
        box = QGroupBox(self.tr("Records in this project"), self)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(0, 1)
        self.count_labels: dict[str, QLabel] = {}
        for row, code in enumerate(_COUNTED):
            value = QLabel("–", box)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setObjectName(f"count_{code}")
            name = QLabel(f"<a href='{code}'>{register_label(code)}</a>", box)
            name.linkActivated.connect(lambda register: self.record_chosen.emit(register, ""))
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.count_labels[code] = value
        return box

    def show_info(self, info: ProjectInfo | None) -> None:
        counts: Mapping[str, int] = info.get("counts", {}) if info else {}
        self.organisation_label.setText(str(info.get("organisation", "")) if info else "")
        self.subtitle_label.setText(self._subtitle(info))
        for code, label in self.count_labels.items():
            label.setText(str(counts[code]) if code in counts else "–")
        project = self.project if info is not None else None
        self.readiness = None
        tiles = None
        if project is not None:
            try:
                self.readiness = readiness.report(project)
                tiles = dashboard.tiles(project)
            except IsmsError as exc:
                log.warning("dashboard figures unavailable: %s", exc)
        self.readiness_panel.show_readiness(self.readiness)
        self.next_panel.show_readiness(self.readiness)
        self.tiles.show_tiles(tiles)
        self.action_list.set_project(project)

    def _subtitle(self, info: ProjectInfo | None) -> str:
        if info is None or self.project is None:
            return ""
        parts = [str(info.get("standard", ""))]
        try:
            facts = summary(self.project)
        except IsmsError:
            # The overview already came through; a missing date is no reason for a dialog.
            facts = None
        if facts is not None:
            parts.append(self.tr("project started {0}").format(facts.created_at.date()))
        if self.project.read_only:
            parts.append(self.tr("open read-only"))
        return " · ".join(p for p in parts if p)

    def next_steps(self) -> list[Target]:
        """The targets of the unmet readiness checks, in clause order."""
        return [check.target for _, check in self.readiness.next_steps()] if self.readiness else []
