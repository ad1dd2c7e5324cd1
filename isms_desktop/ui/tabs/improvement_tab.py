"""The Improvement tab: nonconformities, all actions and incidents."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class ImprovementTab(RegisterAreaTab):
    key: ClassVar[str] = "improvement"
    registers: ClassVar[tuple[str, ...]] = ("nonconformities", "actions", "incidents")

    def title(self) -> str:
        return self.tr("Improvement")

    def description(self) -> str:
        return self.tr(
            "Improvement — nonconformities with their root causes, corrections and corrective "
            "actions, every open action, and incidents with lessons learned (clauses 10.1 and "
            "10.2)."
        )
