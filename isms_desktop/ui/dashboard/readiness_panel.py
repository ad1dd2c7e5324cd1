"""Readiness for certification: overall, per clause 4–10 and per Annex A theme, with the
rules behind every figure in its tooltip, and the unmet parts as next steps with buttons."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.readiness import Readiness, Target

CLAUSE_NAMES = {
    "4": "4 Context",
    "5": "5 Leadership",
    "6": "6 Planning",
    "7": "7 Support",
    "8": "8 Operation",
    "9": "9 Evaluation",
    "10": "10 Improvement",
}
THEME_NAMES = {
    "organizational": "Organizational (5)",
    "people": "People (6)",
    "physical": "Physical (7)",
    "technological": "Technological (8)",
}


def _bar(parent: QWidget, name: str) -> QProgressBar:
    bar = QProgressBar(parent)
    bar.setRange(0, 100)
    bar.setFormat("%p %")
    bar.setObjectName(name)
    bar.setMaximumHeight(18)
    return bar


class ReadinessPanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Readiness for certification"), parent)
        outer = QVBoxLayout(self)
        tops_row = QHBoxLayout()
        tops_row.setSpacing(16)
        self.readiness_bars: dict[str, QProgressBar] = {}
        tops = (
            ("overall_percent", self.tr("Overall")),
            ("clauses_percent", self.tr("Clauses 4–10")),
            ("controls_percent", self.tr("Annex A controls")),
        )
        for key, name in tops:
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(QLabel(f"<b>{html.escape(name)}</b>", self))
            bar = _bar(self, key)
            bar.setMaximumHeight(24)
            column.addWidget(bar)
            self.readiness_bars[key] = bar
            tops_row.addLayout(column, 1)
        outer.addLayout(tops_row)
        self.readiness_bars["overall_percent"].setToolTip(
            self.tr("The mean of the clause figure and the Annex A figure.")
        )
        self.readiness_bars["clauses_percent"].setToolTip(
            self.tr("The mean of the clause rules; hover over a clause below for its checks.")
        )
        self.readiness_bars["controls_percent"].setToolTip(
            self.tr(
                "A control counts when it is implemented (partially: one half) or excluded "
                "with a justification."
            )
        )
        details = QHBoxLayout()
        details.setSpacing(24)
        clauses = QGridLayout()
        themes = QGridLayout()
        for grid in (clauses, themes):
            grid.setColumnStretch(1, 1)
            grid.setVerticalSpacing(4)
        self.clause_bars: dict[str, QProgressBar] = {}
        self.theme_bars: dict[str, QProgressBar] = {}
        for row, (top, name) in enumerate(CLAUSE_NAMES.items()):
            bar = _bar(self, f"clause_{top}")
            self.clause_bars[top] = bar
            clauses.addWidget(QLabel(self.tr(name), self), row, 0)
            clauses.addWidget(bar, row, 1)
        for row, (theme, name) in enumerate(THEME_NAMES.items()):
            bar = _bar(self, f"theme_{theme}")
            self.theme_bars[theme] = bar
            themes.addWidget(QLabel(self.tr(name), self), row, 0)
            themes.addWidget(bar, row, 1)
        themes.setRowStretch(len(THEME_NAMES), 1)
        details.addLayout(clauses, 1)
        details.addLayout(themes, 1)
        outer.addLayout(details)

    def show_readiness(self, readiness: Readiness | None) -> None:
        if readiness is None:
            for bar in (
                *self.readiness_bars.values(),
                *self.clause_bars.values(),
                *self.theme_bars.values(),
            ):
                bar.setValue(0)
            return
        self.readiness_bars["overall_percent"].setValue(readiness.overall_percent)
        self.readiness_bars["clauses_percent"].setValue(readiness.clauses_percent)
        self.readiness_bars["controls_percent"].setValue(readiness.controls_percent)
        for top, bar in self.clause_bars.items():
            bar.setValue(readiness.clause_percent(top))
            lines = []
            for rule in readiness.rules:
                if rule.clause.split(".")[0] != top:
                    continue
                lines.append(f"<b>{rule.clause} {html.escape(rule.title)}: {rule.percent} %</b>")
                for check in rule.checks:
                    if not check.applicable:  # nothing to cover yet: not counted
                        lines.append(
                            "&nbsp;&nbsp;– "
                            + html.escape(check.requirement)
                            + " "
                            + self.tr("(nothing to check yet)")
                        )
                        continue
                    mark = "✔" if check.met else "✘"
                    lines.append(f"&nbsp;&nbsp;{mark} {html.escape(check.requirement)}")
            bar.setToolTip("<br>".join(lines))
        for theme in readiness.themes:
            bar = self.theme_bars[theme.theme]
            bar.setValue(theme.percent)
            bar.setToolTip(
                self.tr("{0} controls; implemented or justified: {1} %").format(
                    theme.rows, theme.percent
                )
            )


class NextStepsPanel(QGroupBox):
    """The unmet checks of the readiness rules, each with a button to the place to fix it."""

    target_chosen = Signal(object)  # Target
    MAX_SHOWN = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("What to do next"), parent)
        self._layout = QVBoxLayout(self)
        self._rows: list[QWidget] = []
        self.buttons: list[QPushButton] = []
        self._show_all = False
        self._readiness: Readiness | None = None
        self.more_button = QPushButton(self)
        self.more_button.setFlat(True)
        self.more_button.clicked.connect(self._toggle)
        self._layout.addStretch(1)
        self._layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _toggle(self) -> None:
        self._show_all = not self._show_all
        self.show_readiness(self._readiness)

    def show_readiness(self, readiness: Readiness | None) -> None:
        self._readiness = readiness
        for row in self._rows:
            self._layout.removeWidget(row)
            row.hide()  # now: Qt deletes it only back in the outermost event loop
            row.deleteLater()
        self._rows = []
        self.buttons = []
        steps = readiness.next_steps() if readiness is not None else []
        shown = steps if self._show_all else steps[: self.MAX_SHOWN]
        if readiness is not None and not steps:
            self._add_row(
                self.tr("Nothing outstanding: keep the records current and review them."),
                "",
                None,
            )
        for rule, check in shown:
            self._add_row(check.next_step, f"{rule.clause} {rule.title}", check.target)
        hidden = len(steps) - len(shown)
        self.more_button.setVisible(len(steps) > self.MAX_SHOWN)
        self.more_button.setText(
            self.tr("Show {0} more…").format(hidden) if hidden else self.tr("Show fewer")
        )

    def _add_row(self, text: str, clause: str, target: Target | None) -> None:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(
            f"{html.escape(text)}<br><span style='color: gray'>{html.escape(clause)}</span>",
            row,
        )
        label.setWordWrap(True)
        layout.addWidget(label, 1)
        if target is not None:
            button = QPushButton(self.tr("Go"), row)
            button.setToolTip(self.tr("Open the place where this is done"))
            button.clicked.connect(lambda _=False, t=target: self.target_chosen.emit(t))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons.append(button)
        self._layout.insertWidget(len(self._rows), row)
        self._rows.append(row)
