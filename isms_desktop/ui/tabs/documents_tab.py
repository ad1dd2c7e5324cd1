"""The Policies & Documents tab: the register of documented information."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class DocumentsTab(RegisterAreaTab):
    key: ClassVar[str] = "documents"
    registers: ClassVar[tuple[str, ...]] = ("documents",)

    def title(self) -> str:
        return self.tr("Policies & Documents")

    def description(self) -> str:
        return self.tr(
            "Policies & Documents — the information security policy and topic-specific policies "
            "(clause 5.2) and every other document the ISMS keeps, versioned, reviewed and "
            "approved (7.5)."
        )
