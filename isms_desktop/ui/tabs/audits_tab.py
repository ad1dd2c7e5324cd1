"""The Audits tab: the audit programme and the findings."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class AuditsTab(RegisterAreaTab):
    key: ClassVar[str] = "audits"
    registers: ClassVar[tuple[str, ...]] = ("audits", "findings")

    def title(self) -> str:
        return self.tr("Audits")

    def description(self) -> str:
        return self.tr(
            "Audits — the internal audit programme and each audit's checklist, evidence and "
            "findings (clause 9.2)."
        )
