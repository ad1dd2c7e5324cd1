"""Protection needs on the Assets tab: inherited values shown, and following edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from isms_desktop.services import registers
from isms_desktop.services.asset_needs import needs
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.tabs.assets_tab import AssetsTab

pytestmark = pytest.mark.timeout(60)


def test_inherited_needs_are_shown_and_follow_the_records(
    qtbot: QtBot, project_path: Path, tmp_path: Path
) -> None:
    with open_project(project_path) as project:
        app = registers.create(
            project,
            "assets",
            {"name": "Client portal", "type": "software", "confidentiality": "4"},
        ).code
        server = registers.create(
            project, "assets", {"name": "Web server", "type": "hardware", "confidentiality": "2"}
        ).code
        registers.update(project, "assets", app, "depends_on", [server])
        by_code = {a.code: a for a in needs(project)}
        assert by_code[server].effective.confidentiality == 4
        assert by_code[server].raised_by == (app,)
        assert not by_code[app].inherited

        tab = AssetsTab()
        qtbot.addWidget(tab)
        tab.set_project(project, {})
        page = tab.needs_page
        assert page.table.rowCount() == 0, "a page not on screen reads nothing"
        tab.show()
        tab.pages.setCurrentWidget(page)
        qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=5000)
        rows = {page.table.item(r, 0).text(): r for r in range(page.table.rowCount())}
        row = rows[server]
        # the register's numbers with their names: the register shows 2, this page says why 4
        assert page.table.item(row, 2).text() == "2 Medium → 4 Very high"
        # the assets that raised it by code and name, not by a code to look up
        assert page.table.item(row, 5).text() == f"{app} Client portal"
        assert page.table.item(row, 5).toolTip() == f"{app} Client portal"
        assert page.table.horizontalHeaderItem(5).text() == "Inherited from"
        assert "1 of 2 assets" in page.summary.text()
        page.grab().save(str(tmp_path / "needs.png"))

        registers.update(project, "assets", app, "depends_on", [])
        tab.records_changed.emit("assets")
        row = {page.table.item(r, 0).text(): r for r in range(page.table.rowCount())}[server]
        assert page.table.item(row, 2).text() == "2 Medium"
        tab.set_project(None, None)


def test_double_clicking_an_asset_shows_it_in_the_register(
    qtbot: QtBot, project_path: Path
) -> None:
    with open_project(project_path) as project:
        for name in ("Client portal", "Web server", "Backup service"):
            registers.create(project, "assets", {"name": name, "type": "software"})
        tab = AssetsTab()
        qtbot.addWidget(tab)
        tab.set_project(project, {})
        tab.show()
        page = tab.needs_page
        tab.pages.setCurrentWidget(page)
        qtbot.waitUntil(lambda: page.table.rowCount() == 3, timeout=5000)
        view = tab.views["assets"]
        view.set_filters("portal")  # a filter left on the register is cleared
        tab.pages.setCurrentWidget(page)
        row = next(r for r in range(3) if page.table.item(r, 1).text() == "Web server")
        code = page.table.item(row, 0).text()
        with qtbot.waitSignal(page.asset_chosen, timeout=2000) as chosen:
            page.table.cellDoubleClicked.emit(row, 1)
        assert chosen.args == [code]
        assert tab.pages.currentWidget() is view
        qtbot.waitUntil(lambda: view.current_code() == code, timeout=5000)
        assert view.model.rowCount() == 3
        tab.set_project(None, None)
