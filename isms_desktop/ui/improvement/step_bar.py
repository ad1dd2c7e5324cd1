"""A row of workflow steps: done steps ticked, the current one highlighted, the rest grey."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

_DONE = "background: #d7eedb; color: #1d5a2a; border: 1px solid #9fcfaa;"
_CURRENT = "background: #2f6fb3; color: white; border: 1px solid #2f6fb3; font-weight: bold;"
_TODO = "background: transparent; color: palette(mid); border: 1px solid palette(mid);"


class StepBar(QWidget):
    """Shows ``steps`` (codes) with their labels; ``set_current`` marks where a record stands."""

    def __init__(
        self, steps: Sequence[str], labels: Mapping[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.steps = tuple(steps)
        self.current = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.labels: dict[str, QLabel] = {}
        for step in self.steps:
            label = QLabel(labels.get(step, step), self)
            label.setObjectName(f"step_{step}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(20)
            label.setToolTip(labels.get(step, step))
            small = label.font()
            small.setPointSizeF(small.pointSizeF() * 0.9)
            label.setFont(small)
            self.labels[step] = label
            layout.addWidget(label, 1)
        self.set_current("")

    def set_current(self, step: str) -> None:
        self.current = step
        reached = self.steps.index(step) if step in self.steps else -1
        for i, step_code in enumerate(self.steps):
            if i < reached or (i == reached and i == len(self.steps) - 1):
                style = _DONE
            elif i == reached:
                style = _CURRENT
            else:
                style = _TODO
            self.labels[step_code].setStyleSheet(
                f"QLabel {{ {style} border-radius: 3px; padding: 3px 2px; }}"
            )

    def state_of(self, step: str) -> str:
        """'done', 'current' or 'todo' (for tests and accessibility)."""
        reached = self.steps.index(self.current) if self.current in self.steps else -1
        i = self.steps.index(step)
        if i < reached or (i == reached and i == len(self.steps) - 1):
            return "done"
        return "current" if i == reached else "todo"
