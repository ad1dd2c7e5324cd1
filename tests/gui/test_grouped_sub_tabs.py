"""Context & Scope and Management Review gather their pages into a few sub-tabs in the order
of the work; every register is still reached by a search hit or a dashboard button, every
sub-tab shows at 1024 px without scroll arrows, and F1 opens the area's page of the guide,
which names every sub-tab and page the user sees."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget
from pytestqt.qtbot import QtBot

from isms_desktop.catalog import help_pages
from isms_desktop.domain.readiness import Target
from isms_desktop.services import registers
from isms_desktop.ui.dashboard.navigation import REGISTER_AREAS
from isms_desktop.ui.help_window import HelpWindow
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.tabs.context_tab import ContextTab
from isms_desktop.ui.tabs.management_review_tab import ManagementReviewTab
from isms_desktop.ui.tabs.page_groups import GroupedAreaTab, PageGroup

pytestmark = pytest.mark.timeout(120)

GROUPED = ("context", "management_review")

SUB_TABS = {
    "context": ["Scope Statement", "Issues & Parties", "Scope", "Processes", "Leadership"],
    "management_review": [
        "Objectives",
        "Metrics & Measurements",
        "Competence & Training",
        "Prepare Review",
        "Management Reviews",
    ],
}
GROUPS = {
    "context": {
        "Issues & Parties": ["Issues", "Interested Parties", "Requirements"],
        "Processes": ["Processes", "Interactions", "Process Diagram"],
        "Leadership": ["Commitments", "Roles", "People"],
    },
    "management_review": {
        "Metrics & Measurements": ["Metrics", "Measurements"],
        "Competence & Training": ["Competences", "Training", "Training Matrix"],
    },
}


@pytest.fixture
def demo_window(qtbot: QtBot, demo_path: Path) -> Iterator[MainWindow]:
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1024, 768)
    main.show()
    qtbot.waitExposed(main)
    assert main.open_path(demo_path)
    yield main
    guide = getattr(main, "help_window", None)
    if guide is not None:
        guide.close()
    main.close_project()
    main.close()


def _tab(window: MainWindow, key: str) -> GroupedAreaTab:
    tab = window.area_tab(key)
    assert isinstance(tab, GroupedAreaTab)
    return tab


def _titles(tab: GroupedAreaTab) -> list[str]:
    return [tab.pages.tabText(i).replace("&&", "&") for i in range(tab.pages.count())]


def _group_titles(group: PageGroup) -> list[str]:
    return [group.pageTitle(i) for i in range(group.count())]


def _scroll_arrows(widget: QWidget) -> list[QToolButton]:
    """The tab bars' scroll buttons that show (the bar did not fit)."""
    return [
        b
        for b in widget.findChildren(QToolButton)
        if b.isVisible() and b.arrowType() != Qt.ArrowType.NoArrow
    ]


def test_the_sub_tabs_follow_the_order_of_the_work(demo_window: MainWindow) -> None:
    for key in GROUPED:
        tab = _tab(demo_window, key)
        assert _titles(tab) == SUB_TABS[key]
        assert {title: _group_titles(g) for title, g in tab.groups.items()} == GROUPS[key]
        for title, group in tab.groups.items():
            assert tab.pages.widget(SUB_TABS[key].index(title)) is group
    assert isinstance(_tab(demo_window, "context"), ContextTab)
    assert isinstance(_tab(demo_window, "management_review"), ManagementReviewTab)


@pytest.mark.parametrize("width", [1024, 1366])
def test_every_sub_tab_shows_without_scrolling(
    qtbot: QtBot, demo_window: MainWindow, width: int
) -> None:
    demo_window.resize(width, 768)
    for key in GROUPED:
        demo_window.go_to_area(key)
        tab = _tab(demo_window, key)
        qtbot.waitUntil(lambda t=tab: t.pages.tabBar().width() >= width - 64, timeout=5000)
        bar = tab.pages.tabBar()
        assert bar.sizeHint().width() <= bar.width(), (key, width)
        for index in range(tab.pages.count()):
            tab.pages.setCurrentIndex(index)
            page = tab.pages.currentWidget()
            assert isinstance(page, QWidget)
            qtbot.waitUntil(page.isVisible, timeout=5000)
            assert _scroll_arrows(bar) == [], (key, tab.pages.tabText(index))
            if isinstance(page, PageGroup):
                assert page.switch.isVisible()
                assert page.switch.sizeHint().width() <= page.width()
                assert page.switch.width() >= page.switch.sizeHint().width()
        for group in tab.groups.values():
            for index in range(group.count()):
                button = group.button(index)
                assert button is not None
                assert button.text().replace("&&", "&") == group.pageTitle(index)


def test_every_register_is_reached_by_a_search_hit(demo_window: MainWindow) -> None:
    """open_record is what a search hit, a dashboard tile and a record link call."""
    project = demo_window.project
    assert project is not None
    names = [name for name, area in REGISTER_AREAS.items() if area in GROUPED]
    assert len(names) == 14
    for name in names:
        area = REGISTER_AREAS[name]
        tab = _tab(demo_window, area)
        demo_window.go_to_area("dashboard")  # from elsewhere, and from another page
        tab.pages.setCurrentIndex(0)
        code = registers.list_rows(project, name)[0].code
        demo_window.open_record(name, code)
        view = tab.views[name]
        assert demo_window.tabs.currentWidget() is tab, name
        assert tab.shown_page() is view and tab.current_view() is view, name
        assert view.isVisible(), name
        assert view.select_code(code), name
        assert view.current_code() == code, name


def test_a_next_step_opens_a_register_inside_a_group_filtered(demo_window: MainWindow) -> None:
    demo_window.open_target(Target("management_review", "training"))
    tab = _tab(demo_window, "management_review")
    view = tab.views["training"]
    assert view.isVisible() and tab.current_view() is view
    group = tab.groups["Competence & Training"]
    assert tab.pages.currentWidget() is group and group.currentWidget() is view
    assert group.button(group.currentIndex()) is not None
    assert group.button(group.currentIndex()).isChecked()  # type: ignore[union-attr]


def test_every_special_page_is_shown_and_told_the_project(demo_window: MainWindow) -> None:
    context = _tab(demo_window, "context")
    review = _tab(demo_window, "management_review")
    assert isinstance(context, ContextTab) and isinstance(review, ManagementReviewTab)
    for tab, page in (
        (context, context.scope_page),
        (context, context.diagram),
        (review, review.metrics_page),
        (review, review.training_page),
        (review, review.review_page),
    ):
        demo_window.tabs.setCurrentWidget(tab)
        tab.show_page(page)
        assert page.isVisible() and tab.shown_page() is page
        assert tab.current_view() is None
    # the pages inside groups were given the project, as the ungrouped ones are
    assert context.diagram.view.diagram is not None and context.diagram.view.diagram.nodes
    assert review.metrics_page.table.rowCount() > 0


def test_the_switch_picks_pages_by_click_and_arrow_keys(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    tab = _tab(demo_window, "context")
    demo_window.tabs.setCurrentWidget(tab)
    tab.show_register("context")
    group = tab.groups["Issues & Parties"]
    parties = group.button(1)
    assert parties is not None
    qtbot.mouseClick(parties, Qt.MouseButton.LeftButton)
    assert tab.current_view() is tab.views["parties"] and tab.views["parties"].isVisible()
    parties.setFocus()
    qtbot.keyClick(parties, Qt.Key.Key_Right)
    assert tab.current_view() is tab.views["requirements"]
    assert tab.views["requirements"].isVisible()


def test_f1_on_a_grouped_page_opens_the_areas_guide(demo_window: MainWindow) -> None:
    for key in GROUPED:
        tab = _tab(demo_window, key)
        guide_text = help_pages.page_named(key)
        assert guide_text is not None
        for title in SUB_TABS[key]:
            assert f"**{title}**" in guide_text.text, (key, title)
        for group in tab.groups.values():
            for index in range(group.count()):
                assert f"**{group.pageTitle(index)}**" in guide_text.text, key
                demo_window.go_to_area(key)
                tab.show_page(group.widget(index) or group)
                demo_window.guide_action.trigger()
                guide = getattr(demo_window, "help_window", None)
                assert isinstance(guide, HelpWindow)
                assert guide.current_page() == key


def test_grouping_refuses_a_page_left_out(demo_window: MainWindow) -> None:
    tab = _tab(demo_window, "management_review")
    with pytest.raises(ValueError):
        tab.group_pages([("Objectives", [tab.views["objectives"]])])
