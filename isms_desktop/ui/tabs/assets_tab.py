"""The Assets tab: the asset inventory."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class AssetsTab(RegisterAreaTab):
    key: ClassVar[str] = "assets"
    registers: ClassVar[tuple[str, ...]] = ("assets",)

    def title(self) -> str:
        return self.tr("Assets")

    def description(self) -> str:
        return self.tr(
            "Assets — the inventory of information and other associated assets, with owner, "
            "location, classification and value (Annex A control 5.9)."
        )
