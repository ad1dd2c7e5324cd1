"""The Risks tab (placeholder): what the area is for and what it will hold."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.base import PlaceholderAreaTab


class RisksTab(PlaceholderAreaTab):
    key: ClassVar[str] = "risks"
    registers: ClassVar[tuple[str, ...]] = ("risks", "treatment")

    def title(self) -> str:
        return self.tr("Risks")

    def description(self) -> str:
        return self.tr(
            "Risks — assess information security risks against your risk method and plan how to "
            "treat them (clauses 6.1.2, 6.1.3, 8.2 and 8.3)."
        )

    def planned_records(self) -> list[str]:
        return [
            self.tr("Risks with asset, threat, vulnerability, consequences and owner (6.1.2)"),
            self.tr("Inherent and residual likelihood, impact and level"),
            self.tr(
                "The treatment option, the controls selected and the risk owner's acceptance "
                "(6.1.3)"
            ),
            self.tr("The risk treatment plan: actions, owners, due dates and status (8.3)"),
        ]
