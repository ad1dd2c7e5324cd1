"""The area tabs as pages of registers, on the demo project in the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from isms_desktop.services import registers
from isms_desktop.services.projects import Project
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.tabs import SoaTab
from isms_desktop.ui.tabs.base import ProjectInfo
from isms_desktop.ui.tabs.page_groups import GroupedAreaTab
from isms_desktop.ui.tabs.register_area import RegisterAreaTab

pytestmark = pytest.mark.timeout(90)

SHOTS = Path("/tmp/shots")

EXPECTED_PAGES = {
    "context": [
        "context",
        "parties",
        "requirements",
        "scope",
        "processes",
        "interactions",
        "roles",
        "commitments",
        "people",
    ],
    "documents": ["documents"],
    "assets": ["assets"],
    "risks": ["risks", "treatment"],
    "soa": ["soa"],
    "audits": ["audits", "findings"],
    "improvement": ["nonconformities", "actions", "incidents"],
    "management_review": ["objectives", "competences", "training", "metrics", "reviews"],
}


def area(window: MainWindow, key: str) -> RegisterAreaTab:
    tab = next(t for t in window.area_tabs if t.key == key)
    assert isinstance(tab, RegisterAreaTab)
    return tab


@pytest.fixture
def demo_window(window: MainWindow, demo_path: Path) -> MainWindow:
    window.resize(1400, 860)
    assert window.open_path(demo_path)
    return window


def test_every_area_shows_its_registers_with_their_records(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    project = demo_window.project
    assert project is not None
    SHOTS.mkdir(parents=True, exist_ok=True)
    for key, names in EXPECTED_PAGES.items():
        tab = area(demo_window, key)
        assert list(tab.views) == names
        demo_window.tabs.setCurrentWidget(tab)
        for name in names:
            view = tab.show_register(name)
            qtbot.waitUntil(lambda v=view: v.isVisible())
            assert view.model.total == registers.count(project, name)
            if view.model.total:
                assert view.model.rowCount() == view.model.total
                assert view.empty_label.isHidden()
            else:
                assert not view.empty_label.isHidden()
            demo_window.grab().save(str(SHOTS / f"tab_{key}_{name}.png"))


def test_placeholder_texts_are_gone_and_tab_keys_kept(demo_window: MainWindow) -> None:
    keys = [tab.key for tab in demo_window.area_tabs]
    assert keys == [
        "dashboard",
        "context",
        "documents",
        "assets",
        "risks",
        "soa",
        "audits",
        "improvement",
        "management_review",
    ]
    for key in EXPECTED_PAGES:
        tab = area(demo_window, key)
        texts = " ".join(label.text() for label in tab.findChildren(QLabel))
        assert "later version" not in texts


def test_show_register_jumps_to_a_filtered_register(qtbot: QtBot, demo_window: MainWindow) -> None:
    risks = area(demo_window, "risks")
    view = risks.show_register("treatment", filters={"status": "done"})
    assert demo_window.tabs.currentWidget() is risks
    assert risks.pages.currentWidget() is view
    assert view.model.rowCount() > 0
    assert view.choice_filters["status"].currentData() == "done"
    assert "of" in view.count_label.text()

    view = risks.show_register("risks", "", {"inherent_likelihood": 3, "inherent_impact": 4})
    project = demo_window.project
    assert project is not None
    for row in range(view.model.rowCount()):
        code = view.model.index(row, 0).data(Qt.ItemDataRole.UserRole + 1)
        values = registers.get(project, "risks", code).values
        assert (values["inherent_likelihood"], values["inherent_impact"]) == (3, 4)
    assert not view.filter_note.isHidden()
    assert "Likelihood = 3" in view.filter_note.text()
    view.clear_filters()
    assert view.filter_note.isHidden()
    assert view.model.rowCount() == view.model.total


class HeatMapPage(QWidget):
    """A page from another part of the application, told about the project like tabs are."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[Project | None, ProjectInfo | None]] = []

    def set_project(self, project: Project | None, info: ProjectInfo | None) -> None:
        self.seen.append((project, info))


def test_other_pages_can_be_added_and_follow_the_project(demo_window: MainWindow) -> None:
    risks = area(demo_window, "risks")
    page = HeatMapPage()
    index = risks.add_page("Heat map", page)
    assert risks.pages.tabText(index) == "Heat map"
    assert page.seen and page.seen[-1][0] is demo_window.project
    demo_window.refresh()
    assert page.seen[-1][0] is demo_window.project
    assert page.seen[-1][1] is not None and "counts" in page.seen[-1][1]
    demo_window.close_action.trigger()
    assert page.seen[-1] == (None, None)


def test_an_edit_refreshes_the_other_tabs_and_the_dashboard(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    risks = area(demo_window, "risks")
    view = risks.show_register("risks")
    before = view.model.total
    dialog = view.add_dialog()
    qtbot.addWidget(dialog)
    dialog.editors["title"].setText("Laptop left on a train")  # type: ignore[attr-defined]
    dialog.try_save()
    assert view.model.total == before + 1
    assert demo_window.undo_action.isEnabled()
    assert "Add R-045" in demo_window.undo_stack.undoText()
    # Leaving the registers for the dashboard brings its counts up to date.
    dashboard = demo_window.area_tabs[0]
    demo_window.tabs.setCurrentWidget(dashboard)
    risks_count = dashboard.findChild(QLabel, "count_risks")
    assert risks_count is not None
    qtbot.waitUntil(lambda: risks_count.text() == str(before + 1))
    # The treatment plan offers the new risk when it is next shown.
    treatment = risks.show_register("treatment")
    names = dict(treatment.model.choices(treatment.spec.field("risks")))
    assert "R-045" in names
    demo_window.undo_action.trigger()
    qtbot.waitUntil(lambda: view.model.total == before)


def test_soa_warnings_are_listed_and_lead_to_their_row(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    project = demo_window.project
    assert project is not None
    registers.update(project, "soa", "7.4", "applicable", False)
    registers.update(project, "soa", "7.4", "justification", "")
    demo_window.refresh()
    tab = area(demo_window, "soa")
    assert isinstance(tab, SoaTab)
    demo_window.tabs.setCurrentWidget(tab)
    panel = tab.warnings
    items = [panel.list.item(i) for i in range(panel.list.count())]
    mine = [item for item in items if item.text().startswith("7.4:")]
    assert mine, [item.text() for item in items]
    assert "warning" in panel.title_label.text()

    view = tab.views["soa"]
    # Shown in place too: the cell the warning is about is tinted and explains it.
    note = view.model.note("7.4", "justification")
    assert note is not None and "justification" in note
    tinted = view.model.index(
        view.model.row_of_code("7.4") or 0, view.model.column_of("justification")
    )
    assert tinted.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "⚠" in tinted.data(Qt.ItemDataRole.ToolTipRole)
    view.set_filters("5.1")
    panel.go_to(mine[0])
    assert view.current_code() == "7.4"
    assert view.model.rowCount() == 93, "the filter that hid the row was cleared"

    # Fixing the row in the table updates the list.
    column = view.model.column_of("justification")
    index = view.model.index(view.model.row_of_code("7.4") or 0, column)
    assert view.model.setData(index, "Monitoring is done by the landlord")
    assert not any(
        panel.list.item(i).text().startswith("7.4: excluded") for i in range(panel.list.count())
    )
    demo_window.grab().save(str(SHOTS / "tab_soa_warnings.png"))


def test_the_soa_has_no_add_or_delete(demo_window: MainWindow) -> None:
    view = area(demo_window, "soa").views["soa"]
    assert isinstance(view, RegisterView)
    assert view.buttons["add"].isHidden()
    assert view.buttons["delete"].isHidden()
    assert not view.delete_selected()


def test_the_soa_keeps_its_width_and_shows_warnings_below_when_there_are_some(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    demo_window.resize(1024, 640)
    tab = area(demo_window, "soa")
    assert isinstance(tab, SoaTab)
    demo_window.tabs.setCurrentWidget(tab)
    panel, view = tab.warnings, tab.views["soa"]
    qtbot.waitUntil(lambda: panel.title_label.text() == "No warnings", timeout=5000)
    # nothing to list: one line under the table, which keeps the page's width
    assert not panel.list.isVisible()
    qtbot.waitUntil(lambda: panel.height() < 40, timeout=5000)
    assert view.table.width() > 0.6 * tab.width()

    project = demo_window.project
    assert project is not None
    registers.update(project, "soa", "7.4", "justification", "")
    demo_window.refresh()
    qtbot.waitUntil(lambda: panel.list.count() > 0, timeout=5000)
    assert "warning" in panel.title_label.text()
    assert panel.list.isVisible()
    qtbot.waitUntil(lambda: panel.list.height() >= 100, timeout=5000)
    assert panel.geometry().top() >= view.geometry().bottom(), "the list is below the table"
    assert view.table.width() > 0.6 * tab.width()


def test_each_heading_is_followed_by_its_purpose_not_by_its_name_again(
    demo_window: MainWindow,
) -> None:
    for index, tab in enumerate(demo_window.area_tabs):
        title = tab.title_label.text()
        below = tab.description_label.text()
        assert title and below
        assert not below.startswith(title), below
        assert below[0].isupper(), below
        assert below in tab.description() or below[1:] in tab.description()
        # the tab bar's tooltip still names the area
        assert demo_window.tabs.tabToolTip(index).startswith(f"{title} — ")


def test_sub_tabs_are_capitalised_like_the_main_tabs(demo_window: MainWindow) -> None:
    small = {"a", "and", "as", "for", "in", "of", "on", "or", "the", "to", "&"}
    titles = [demo_window.tabs.tabText(i) for i in range(demo_window.tabs.count())]
    for tab in demo_window.area_tabs:
        if isinstance(tab, RegisterAreaTab):
            titles += [tab.pages.tabText(i).replace("&&", "&") for i in range(tab.pages.count())]
        if isinstance(tab, GroupedAreaTab):  # and the pages inside the sub-tabs' groups
            titles += [g.pageTitle(i) for g in tab.groups.values() for i in range(g.count())]
    assert len(titles) > 30
    wrong = [
        title
        for title in titles
        if any(word[0].islower() for word in title.split() if word not in small)
    ]
    assert wrong == []
