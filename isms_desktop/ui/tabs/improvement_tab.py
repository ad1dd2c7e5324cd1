"""The Improvement tab (placeholder): what the area is for and what it will hold."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.base import PlaceholderAreaTab


class ImprovementTab(PlaceholderAreaTab):
    key: ClassVar[str] = "improvement"
    registers: ClassVar[tuple[str, ...]] = ("nonconformities", "actions", "incidents")

    def title(self) -> str:
        return self.tr("Improvement")

    def description(self) -> str:
        return self.tr(
            "Improvement — nonconformities with their root causes, corrections and corrective "
            "actions, and incidents with lessons learned (clauses 10.1 and 10.2)."
        )

    def planned_records(self) -> list[str]:
        return [
            self.tr("Nonconformities, their root cause and the correction made (10.2)"),
            self.tr("Corrective actions with owner, due date and a check of their effectiveness"),
            self.tr("Security incidents and the lessons learned from them (10.1)"),
        ]
