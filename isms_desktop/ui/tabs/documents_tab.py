"""The Policies & Documents tab: the register of documented information."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class DocumentsTab(RegisterAreaTab):
    key: ClassVar[str] = "documents"
    registers: ClassVar[tuple[str, ...]] = ("documents",)
