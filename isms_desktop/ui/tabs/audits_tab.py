"""The Audits tab (placeholder): what the area is for and what it will hold."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.base import PlaceholderAreaTab


class AuditsTab(PlaceholderAreaTab):
    key: ClassVar[str] = "audits"
    registers: ClassVar[tuple[str, ...]] = ("audits", "findings")

    def title(self) -> str:
        return self.tr("Audits")

    def description(self) -> str:
        return self.tr(
            "Audits — the internal audit programme and each audit's checklist, evidence and "
            "findings (clause 9.2)."
        )

    def planned_records(self) -> list[str]:
        return [
            self.tr("The audit programme: what is audited when, and by whom"),
            self.tr("Audits with checklists drawn from the clauses and controls"),
            self.tr("Results, evidence and findings, each with its follow-up"),
        ]
