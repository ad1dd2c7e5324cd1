"""The Risks tab: the risk register and the risk treatment plan."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from isms_desktop.services import heat_map
from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class RisksTab(RegisterAreaTab):
    key: ClassVar[str] = "risks"
    registers: ClassVar[tuple[str, ...]] = ("risks", "treatment")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from isms_desktop.ui.risk.heat_map import HeatMapWidget

        # clicking a cell shows its risks in the register; counted when the page is shown
        self.heat_map = HeatMapWidget(self, when_shown=True)
        self.heat_map.cell_selected.connect(
            lambda stage, lk, im: self.show_register(
                "risks", filters=heat_map.cell_filter(stage, lk, im)
            )
        )
        self.records_changed.connect(lambda _register: self.heat_map.refresh())
        from isms_desktop.ui.icons import action_icon

        # the guided way to a new risk, beside the form's Add (also Edit ▸ New Risk (Guided)…)
        self.guided_action = QAction(self.tr("Add Guided…"), self)
        self.guided_action.setToolTip(
            self.tr(
                "Record a new risk step by step: asset, threat, weakness, scores, treatment, "
                "controls, owner (Ctrl+Shift+R)"
            )
        )
        self.guided_action.triggered.connect(self._open_wizard)
        self.views["risks"].add_button("guided", self.guided_action, "wizard", after="add")
        self.views["risks"].first_step = self.tr(
            "Click Add Guided to record the first risk step by step, from the asset it "
            "threatens to its owner, or Add (Ctrl+N) to fill in the form yourself. A risk "
            "names its assets: list them in the Assets tab first."
        )
        index = self.add_page(self.tr("Heat Map"), self.heat_map)
        self.pages.setTabIcon(index, action_icon("heat-map"))
        self.pages.currentChanged.connect(lambda _i: self._show_register_cell())

    def _open_wizard(self) -> None:
        # the main window's Edit ▸ New Risk (Guided)…, so the new risk joins its undo stack
        window_action = getattr(self.window(), "risk_wizard_action", None)
        if isinstance(window_action, QAction):
            window_action.trigger()

    def _show_register_cell(self) -> None:
        """Back on the heat map, the cell chosen is the one the register is filtered by
        (none once the filter was cleared; the dashboard's if it chose one)."""
        if self.pages.currentWidget() is not self.heat_map:
            return
        value = self.views["risks"].model.equals.get(heat_map.CELL_FILTER)
        if value is None:
            self.heat_map.clear_selection()
        else:
            self.heat_map.mark_cell(*heat_map.parse_cell(value))
