"""The Risks tab: the risk register and the risk treatment plan."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class RisksTab(RegisterAreaTab):
    key: ClassVar[str] = "risks"
    registers: ClassVar[tuple[str, ...]] = ("risks", "treatment")

    def title(self) -> str:
        return self.tr("Risks")

    def description(self) -> str:
        return self.tr(
            "Risks — assess information security risks against your risk method and plan how to "
            "treat them (clauses 6.1.2, 6.1.3, 8.2 and 8.3)."
        )
