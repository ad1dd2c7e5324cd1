"""The Assets tab (placeholder): what the area is for and what it will hold."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.base import PlaceholderAreaTab


class AssetsTab(PlaceholderAreaTab):
    key: ClassVar[str] = "assets"
    registers: ClassVar[tuple[str, ...]] = ("assets",)

    def title(self) -> str:
        return self.tr("Assets")

    def description(self) -> str:
        return self.tr(
            "Assets — the inventory of information and other associated assets, with owner, "
            "location, classification and value (Annex A control 5.9)."
        )

    def planned_records(self) -> list[str]:
        return [
            self.tr("Each asset's type, owner and location"),
            self.tr("Its classification and confidentiality, integrity and availability value"),
            self.tr("Which assets depend on which, so risks can be traced"),
        ]
