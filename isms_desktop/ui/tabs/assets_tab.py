"""The Assets tab: the asset inventory."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class AssetsTab(RegisterAreaTab):
    key: ClassVar[str] = "assets"
    registers: ClassVar[tuple[str, ...]] = ("assets",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from isms_desktop.ui.asset_needs_page import AssetNeedsPage

        self.needs_page = AssetNeedsPage(self)
        self.add_page(self.tr("Protection Needs"), self.needs_page)
        self.needs_page.asset_chosen.connect(self.show_asset)
        # dependencies or values edited in the register change what is inherited
        self.records_changed.connect(
            lambda register: (
                self.needs_page.set_project(self.project) if register == "assets" else None
            )
        )

    def show_asset(self, code: str) -> None:
        """The asset's row in the register (all assets shown, that one current)."""
        view = self.show_register("assets")
        view.select_code(code)
