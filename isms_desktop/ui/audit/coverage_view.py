"""Which clauses and applicable controls the audit programme covers, and which not yet."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.services import audits
from isms_desktop.storage.project_file import Project

STATE_COLOURS = {"audited": "#2e7d32", "planned": "#1565c0", "not_covered": "#c62828"}


class CoverageView(QWidget):
    """A tree: clauses and controls, each audited, planned or not covered, with the audits."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.only_gaps = QCheckBox(self.tr("Show only what is &not covered yet"), self)
        self.only_gaps.toggled.connect(self.refresh)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(
            [self.tr("Clause / control"), self.tr("Title"), self.tr("Coverage"), self.tr("Audits")]
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.setColumnWidth(0, 130)
        self.tree.setColumnWidth(1, 360)
        self.tree.setColumnWidth(2, 110)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.only_gaps)
        layout.addWidget(self.tree, 1)
        self.refresh()

    def _state_label(self, state: str) -> str:
        return {
            "audited": self.tr("Audited"),
            "planned": self.tr("Planned"),
            "not_covered": self.tr("Not covered"),
        }[state]

    def refresh(self) -> None:
        programme = audits.programme(self.project)
        cov = programme.coverage
        self.summary.setText(
            self.tr(
                "Programme cycle {0} to {1}: {2} audits. Clauses covered {3} % "
                "(audited {4} %), applicable controls covered {5} % (audited {6} %)."
            ).format(
                programme.start.isoformat(),
                programme.end.isoformat(),
                len(programme.audits),
                cov.percent("clause"),
                cov.percent("clause", planned_counts=False),
                cov.percent("control"),
                cov.percent("control", planned_counts=False),
            )
        )
        self.tree.clear()
        for kind, title in (("clause", self.tr("Clauses")), ("control", self.tr("Controls"))):
            items = cov.of(kind)
            missing = len(cov.missing(kind))
            top = QTreeWidgetItem(
                [title, self.tr("{0} not covered yet").format(missing), f"{cov.percent(kind)} %"]
            )
            self.tree.addTopLevelItem(top)
            for entry in items:
                if self.only_gaps.isChecked() and entry.state != "not_covered":
                    continue
                number = entry.number if kind == "clause" else f"A.{entry.number}"
                child = QTreeWidgetItem(
                    [number, entry.title, self._state_label(entry.state), ", ".join(entry.audits)]
                )
                child.setForeground(2, QBrush(QColor(STATE_COLOURS[entry.state])))
                top.addChild(child)
            top.setExpanded(True)
