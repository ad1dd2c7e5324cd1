"""The Policies & Documents tab (placeholder): what the area is for and what it will hold."""

from __future__ import annotations

from typing import ClassVar

from isms_desktop.ui.tabs.base import PlaceholderAreaTab


class DocumentsTab(PlaceholderAreaTab):
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

    def planned_records(self) -> list[str]:
        return [
            self.tr("The information security policy, drafted from a template (5.2)"),
            self.tr("Topic-specific policies such as access control, backup or supplier security"),
            self.tr("Versions, reviews, approvals and the change history of every document (7.5)"),
        ]
