"""The Dashboard tab: the organisation, readiness for certification, what to do next.

The readiness figures and register counts come from ``services.projects.project_info``.
Until the services expose the readiness rules' own next steps, the "What to do next" list
is a fixed walk through the ISMS in Plan–Do–Check–Act order, skipping what already has
records, so a new user always sees a concrete first step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services.projects import summary
from isms_desktop.ui.register_labels import register_label
from isms_desktop.ui.tabs.base import (
    AreaTab,
    ProjectInfo,
    heading_label,
    paragraph_label,
    secondary_label,
)

_MAX_STEPS = 4

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
    "controls",
    "soa",
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


@dataclass(frozen=True)
class NextStep:
    title: str
    detail: str
    area: str  # the AreaTab.key of the tab where the step is done


class DashboardTab(AreaTab):
    key: ClassVar[str] = "dashboard"

    area_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._step_buttons: list[QCommandLinkButton] = []
        self.organisation_label = heading_label("", 1.3, self)
        self.subtitle_label = paragraph_label("", self)
        self.body.addWidget(self.organisation_label)
        self.body.addWidget(self.subtitle_label)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(16)
        left.addWidget(self._build_readiness())
        self.next_box = QGroupBox(self.tr("What to do next"), self)
        self._next_layout = QVBoxLayout(self.next_box)
        left.addWidget(self.next_box)
        left.addStretch(1)
        columns.addLayout(left, 3)
        columns.addWidget(self._build_counts(), 2, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(columns)

    def title(self) -> str:
        return self.tr("Dashboard")

    def description(self) -> str:
        return self.tr(
            "Dashboard — how ready the ISMS is for certification (clauses 4 to 10 and the "
            "Annex A controls), and what to do next."
        )

    def _build_readiness(self) -> QGroupBox:
        box = QGroupBox(self.tr("Readiness for certification"), self)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        rows = (
            (
                "overall_percent",
                self.tr("Overall"),
                self.tr("The mean of the two figures below."),
            ),
            (
                "clauses_percent",
                self.tr("Clauses 4–10"),
                self.tr("Scope, ISMS processes, roles, risk method and SoA decisions in place."),
            ),
            (
                "controls_percent",
                self.tr("Annex A controls"),
                self.tr("Controls implemented, or excluded with a justification."),
            ),
        )
        self.readiness_bars: dict[str, QProgressBar] = {}
        for index, (key, name, explanation) in enumerate(rows):
            bar = QProgressBar(box)
            bar.setRange(0, 100)
            bar.setValue(0)
            bar.setFormat("%p %")
            bar.setObjectName(key)
            bar.setToolTip(explanation)
            hint = secondary_label(explanation, box)
            grid.addWidget(QLabel(name, box), 2 * index, 0)
            grid.addWidget(bar, 2 * index, 1)
            grid.addWidget(hint, 2 * index + 1, 1)
            self.readiness_bars[key] = bar
        return box

    def _build_counts(self) -> QGroupBox:
        box = QGroupBox(self.tr("Records in this project"), self)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(24)
        grid.setColumnStretch(0, 1)
        self.count_labels: dict[str, QLabel] = {}
        for row, code in enumerate(_COUNTED):
            value = QLabel("–", box)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setObjectName(f"count_{code}")
            grid.addWidget(QLabel(register_label(code), box), row, 0)
            grid.addWidget(value, row, 1)
            self.count_labels[code] = value
        return box

    def show_info(self, info: ProjectInfo | None) -> None:
        readiness: Mapping[str, int] = info.get("readiness", {}) if info else {}
        counts: Mapping[str, int] = info.get("counts", {}) if info else {}
        self.organisation_label.setText(str(info.get("organisation", "")) if info else "")
        self.subtitle_label.setText(self._subtitle(info))
        for key, bar in self.readiness_bars.items():
            bar.setValue(int(readiness.get(key, 0)))
        for code, label in self.count_labels.items():
            label.setText(str(counts[code]) if code in counts else "–")
        self._show_steps(self.next_steps(info) if info else [])

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

    def next_steps(self, info: ProjectInfo) -> list[NextStep]:
        """The first few steps not yet taken, in the order an ISMS is usually built."""
        counts: Mapping[str, int] = info.get("counts", {})
        readiness: Mapping[str, int] = info.get("readiness", {})
        candidates = (
            (
                counts.get("context", 0) == 0,
                NextStep(
                    self.tr("Note the internal and external issues"),
                    self.tr("What affects the ISMS's outcomes (clause 4.1)."),
                    "context",
                ),
            ),
            (
                counts.get("parties", 0) == 0,
                NextStep(
                    self.tr("Record the interested parties"),
                    self.tr("Who has requirements on information security (clause 4.2)."),
                    "context",
                ),
            ),
            (
                counts.get("documents", 0) == 0,
                NextStep(
                    self.tr("Draft the information security policy"),
                    self.tr("Start from the bundled template (clause 5.2)."),
                    "documents",
                ),
            ),
            (
                counts.get("assets", 0) == 0,
                NextStep(
                    self.tr("Build the asset inventory"),
                    self.tr("Information and the assets that hold it (Annex A 5.9)."),
                    "assets",
                ),
            ),
            (
                counts.get("risks", 0) == 0,
                NextStep(
                    self.tr("Assess the risks"),
                    self.tr("Threats to your assets and how likely and harmful (6.1.2)."),
                    "risks",
                ),
            ),
            (
                readiness.get("controls_percent", 0) < 100,
                NextStep(
                    self.tr("Settle the remaining Annex A controls"),
                    self.tr("Implement each applicable control or justify its exclusion."),
                    "soa",
                ),
            ),
            (
                counts.get("audits", 0) == 0,
                NextStep(
                    self.tr("Plan the internal audit"),
                    self.tr("Audit the ISMS before the certification body does (9.2)."),
                    "audits",
                ),
            ),
            (
                counts.get("reviews", 0) == 0,
                NextStep(
                    self.tr("Hold the first management review"),
                    self.tr("Top management reviews the ISMS and decides (9.3)."),
                    "management_review",
                ),
            ),
        )
        return [step for due, step in candidates if due][:_MAX_STEPS]

    def _show_steps(self, steps: list[NextStep]) -> None:
        for button in self._step_buttons:
            self._next_layout.removeWidget(button)
            button.deleteLater()
        self._step_buttons = []
        if self.project is not None and not steps:
            steps = [
                NextStep(
                    self.tr("Nothing outstanding"),
                    self.tr("Keep the records current and review them at planned intervals."),
                    "dashboard",
                )
            ]
        for step in steps:
            button = QCommandLinkButton(step.title, step.detail, self.next_box)
            button.clicked.connect(
                lambda _checked=False, area=step.area: self.area_chosen.emit(area)
            )
            self._next_layout.addWidget(button)
            self._step_buttons.append(button)
