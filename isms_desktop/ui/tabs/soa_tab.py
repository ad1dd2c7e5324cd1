"""The Statement of Applicability tab (placeholder): what the area is for and what it will hold."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.base import PlaceholderAreaTab


class SoaTab(PlaceholderAreaTab):
    key: ClassVar[str] = "soa"
    registers: ClassVar[tuple[str, ...]] = ("controls", "soa")

    def title(self) -> str:
        return self.tr("Statement of Applicability")

    def description(self) -> str:
        return self.tr(
            "Statement of Applicability — which of the 93 Annex A controls apply, why, and how far"
            " each is implemented (clause 6.1.3 d)."
        )

    def planned_records(self) -> list[str]:
        return [
            self.tr("For every control: applicable or not, and the reasons"),
            self.tr("The justification of each exclusion"),
            self.tr("Implementation status, owner, target date and evidence"),
        ]
