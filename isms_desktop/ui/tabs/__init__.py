"""One widget per area of the ISMS, each in its own module so later work replaces it whole."""

from __future__ import annotations

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

# The order of the tabs in the main window (and of the Ctrl+1…Ctrl+9 shortcuts).
TAB_CLASSES: tuple[type[AreaTab], ...] = (
    DashboardTab,
    ContextTab,
    DocumentsTab,
    AssetsTab,
    RisksTab,
    SoaTab,
    AuditsTab,
    ImprovementTab,
    ManagementReviewTab,
)

__all__ = [
    "TAB_CLASSES",
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
]
