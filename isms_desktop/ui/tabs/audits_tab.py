"""The Audits tab: the audit programme and the findings."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from isms_desktop.ui.improvement.audit_actions import AuditActionsPage, FindingActionsPage
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class AuditsTab(RegisterAreaTab):
    key: ClassVar[str] = "audits"
    registers: ClassVar[tuple[str, ...]] = ("audits", "findings")

    def make_page(self, name: str, view: RegisterView) -> QWidget:
        """Audits get "Complete Audit…", findings "Raise Nonconformity" above the register.

        The base class tells these pages about the project (they have ``set_project``).
        """
        if name == "audits":
            self.audit_actions = AuditActionsPage(view, self)
            return self.audit_actions
        if name == "findings":
            self.finding_actions = FindingActionsPage(view, self)
            return self.finding_actions
        return view
