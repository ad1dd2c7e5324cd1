"""The nine areas of the main window: their order, names, and where each tab's class lives.

The main window names every area in its tab bar and View menu from here, and builds an
area's tab (importing its module) only when the tab is first shown or asked for: a project
opens on the dashboard without building, or even importing, the other eight.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from isms_desktop.ui.translation import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from isms_desktop.ui.tabs.base import AreaTab


@dataclass(frozen=True)
class Area:
    key: str
    module: str  # under isms_desktop.ui.tabs
    class_name: str  # also the context its texts are translated in
    title_text: str
    description_text: str  # one sentence on what the area is for

    def tab_class(self) -> type[AreaTab]:
        module = importlib.import_module(f"isms_desktop.ui.tabs.{self.module}")
        found: type[AreaTab] = getattr(module, self.class_name)
        return found

    def title(self) -> str:
        return QCoreApplication.translate(self.class_name, self.title_text)

    def description(self) -> str:
        return QCoreApplication.translate(self.class_name, self.description_text)


# The order of the tabs in the main window (and of the Ctrl+1…Ctrl+9 shortcuts).
AREAS: tuple[Area, ...] = (
    Area(
        "dashboard",
        "dashboard_tab",
        "DashboardTab",
        QT_TRANSLATE_NOOP("DashboardTab", "Dashboard"),
        QT_TRANSLATE_NOOP(
            "DashboardTab",
            "Dashboard — how ready the ISMS is for certification (clauses 4 to 10 and the "
            "Annex A controls), what is late, and what to do next.",
        ),
    ),
    Area(
        "context",
        "context_tab",
        "ContextTab",
        QT_TRANSLATE_NOOP("ContextTab", "Context & Scope"),
        QT_TRANSLATE_NOOP(
            "ContextTab",
            "Context & Scope — the internal and external issues and the interested parties that "
            "shape the ISMS (clauses 4.1 and 4.2), its boundaries (4.3), the processes it needs"
            " (4.4), and leadership: commitments, roles and the people who hold them (5.1–5.3).",
        ),
    ),
    Area(
        "documents",
        "documents_tab",
        "DocumentsTab",
        QT_TRANSLATE_NOOP("DocumentsTab", "Policies & Documents"),
        QT_TRANSLATE_NOOP(
            "DocumentsTab",
            "Policies & Documents — the information security policy and topic-specific policies "
            "(clause 5.2) and every other document the ISMS keeps, versioned, reviewed and "
            "approved (7.5).",
        ),
    ),
    Area(
        "assets",
        "assets_tab",
        "AssetsTab",
        QT_TRANSLATE_NOOP("AssetsTab", "Assets"),
        QT_TRANSLATE_NOOP(
            "AssetsTab",
            "Assets — the inventory of information and other associated assets, with owner, "
            "location, classification and value (Annex A control 5.9).",
        ),
    ),
    Area(
        "risks",
        "risks_tab",
        "RisksTab",
        QT_TRANSLATE_NOOP("RisksTab", "Risks"),
        QT_TRANSLATE_NOOP(
            "RisksTab",
            "Risks — assess information security risks against your risk method and plan how to "
            "treat them (clauses 6.1.2, 6.1.3, 8.2 and 8.3).",
        ),
    ),
    Area(
        "soa",
        "soa_tab",
        "SoaTab",
        QT_TRANSLATE_NOOP("SoaTab", "Statement of Applicability"),
        QT_TRANSLATE_NOOP(
            "SoaTab",
            "Statement of Applicability — which of the 93 Annex A controls apply, why, and how far"
            " each is implemented (clause 6.1.3 d).",
        ),
    ),
    Area(
        "audits",
        "audits_tab",
        "AuditsTab",
        QT_TRANSLATE_NOOP("AuditsTab", "Audits"),
        QT_TRANSLATE_NOOP(
            "AuditsTab",
            "Audits — the internal audit programme and each audit's checklist, evidence and "
            "findings (clause 9.2).",
        ),
    ),
    Area(
        "improvement",
        "improvement_tab",
        "ImprovementTab",
        QT_TRANSLATE_NOOP("ImprovementTab", "Improvement"),
        QT_TRANSLATE_NOOP(
            "ImprovementTab",
            "Improvement — nonconformities with their root causes, corrections and corrective "
            "actions, every open action, and incidents with lessons learned (clauses 10.1 and "
            "10.2).",
        ),
    ),
    Area(
        "management_review",
        "management_review_tab",
        "ManagementReviewTab",
        QT_TRANSLATE_NOOP("ManagementReviewTab", "Management Review"),
        QT_TRANSLATE_NOOP(
            "ManagementReviewTab",
            "Management Review — objectives (clause 6.2), competence and awareness (7.2, 7.3), "
            "monitoring (9.1) and top management's reviews with their decisions (9.3).",
        ),
    ),
)


def area_index(key: str) -> int:
    """The position of area ``key`` in the tab bar (-1 for no such area)."""
    return next((i for i, area in enumerate(AREAS) if area.key == key), -1)


def area_texts(key: str) -> tuple[str, str]:
    """(title, description) of area ``key``, translated."""
    index = area_index(key)
    if index < 0:
        raise KeyError(key)
    return AREAS[index].title(), AREAS[index].description()
