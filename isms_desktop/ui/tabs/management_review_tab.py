"""The Management Review tab (placeholder): what the area is for and what it will hold."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.base import PlaceholderAreaTab


class ManagementReviewTab(PlaceholderAreaTab):
    key: ClassVar[str] = "management_review"
    registers: ClassVar[tuple[str, ...]] = ("reviews", "objectives", "metrics")

    def title(self) -> str:
        return self.tr("Management Review")

    def description(self) -> str:
        return self.tr(
            "Management Review — top management's review of the ISMS at planned intervals: its "
            "inputs, decisions and resulting actions (clause 9.3)."
        )

    def planned_records(self) -> list[str]:
        return [
            self.tr("Review inputs, pre-filled from the project's own records (9.3.2)"),
            self.tr("Decisions on improvement and on changes to the ISMS (9.3.3)"),
            self.tr("The actions that follow, and the minutes"),
        ]
