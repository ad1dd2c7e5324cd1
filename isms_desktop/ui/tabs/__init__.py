"""One widget per area of the ISMS, each in its own module so later work replaces it whole.

The tab classes are imported when first named (``from isms_desktop.ui.tabs import RisksTab``
imports the Risks tab's module then), so the main window starts without importing the areas
it has not shown yet; ``areas.AREAS`` gives their order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from isms_desktop.ui.tabs.areas import AREAS, Area, area_index, area_texts

if TYPE_CHECKING:
    from isms_desktop.ui.tabs.assets_tab import AssetsTab
    from isms_desktop.ui.tabs.audits_tab import AuditsTab
    from isms_desktop.ui.tabs.base import AreaTab
    from isms_desktop.ui.tabs.context_tab import ContextTab
    from isms_desktop.ui.tabs.dashboard_tab import DashboardTab
    from isms_desktop.ui.tabs.documents_tab import DocumentsTab
    from isms_desktop.ui.tabs.improvement_tab import ImprovementTab
    from isms_desktop.ui.tabs.management_review_tab import ManagementReviewTab
    from isms_desktop.ui.tabs.risks_tab import RisksTab
    from isms_desktop.ui.tabs.soa_tab import SoaTab

    # The tab classes in the main window's order (imports every area).
    TAB_CLASSES: tuple[type[AreaTab], ...]


def __getattr__(name: str) -> Any:
    if name == "TAB_CLASSES":
        return tuple(area.tab_class() for area in AREAS)
    if name == "AreaTab":
        from isms_desktop.ui.tabs.base import AreaTab

        return AreaTab
    for area in AREAS:
        if area.class_name == name:
            return area.tab_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AREAS",
    "TAB_CLASSES",
    "Area",
    "AreaTab",
    "AssetsTab",
    "AuditsTab",
    "ContextTab",
    "DashboardTab",
    "DocumentsTab",
    "ImprovementTab",
    "ManagementReviewTab",
    "RisksTab",
    "SoaTab",
    "area_index",
    "area_texts",
]
