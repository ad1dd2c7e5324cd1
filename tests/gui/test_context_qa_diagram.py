"""The process diagram read as a new security officer reads it: arrows that do not run
under other boxes, one process's arrows picked out by clicking it, and a layout that puts
each process near the ones it feeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QGraphicsSimpleTextItem
from pytestqt.qtbot import QtBot

from isms_desktop.services import process_diagram, registers
from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.diagram.diagram_page import ProcessDiagramPage, diagram_page
from isms_desktop.ui.diagram.items import FADED, InteractionArrow
from isms_desktop.ui.diagram.process_diagram_view import FIT_LARGEST
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.tabs.context_tab import ContextTab

pytestmark = pytest.mark.timeout(90)


def _page(qtbot: QtBot, project: object) -> ProcessDiagramPage:
    page = diagram_page(project)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1024, 560)
    page.show()
    qtbot.waitExposed(page)
    return page


def _boxes_crossed(page: ProcessDiagramPage, arrow: InteractionArrow, bend: float) -> int:
    others = [
        box.scene_rect()
        for code, box in page.view.boxes.items()
        if code not in (arrow.edge.source, arrow.edge.target)
    ]
    return arrow.crosses(bend, others)


def test_arrows_bend_round_the_boxes_in_their_way(qtbot: QtBot, demo_path: Path) -> None:
    """Drawn straight, eleven of the demo's arrows ran under boxes that were not theirs, so
    an arrow seemed to end at the wrong process; bent round them, hardly any do."""
    with open_project(demo_path) as project:
        page = _page(qtbot, project)
        arrows = page.view.arrows
        straight = sum(_boxes_crossed(page, a, a.base_bend) for a in arrows)
        drawn = sum(_boxes_crossed(page, a, a.bend) for a in arrows)
        assert straight >= 5
        assert drawn <= 2
        # an arrow with nothing in its way stays as it was
        assert any(a.bend == a.base_bend for a in arrows)


def test_a_box_moved_into_an_arrows_way_makes_it_bend(qtbot: QtBot, project_path: Path) -> None:
    with open_project(project_path) as project:
        for code in registers.codes(project, "interactions"):
            registers.delete(project, "interactions", code)
        a, b, c = registers.codes(project, "processes")[:3]
        registers.create(project, "interactions", {"source": a, "target": b, "flow": "x"})
        process_diagram.save_positions(project, {a: (0, 0), b: (800, 0), c: (2000, 0)})
        page = _page(qtbot, project)
        arrow = page.view.arrows[0]
        assert arrow.bend == arrow.base_bend
        page.view.boxes[c].setPos(QPointF(400, 0))  # right between the two
        page.view.place_labels()  # as after a drag
        assert arrow.bend != arrow.base_bend
        assert _boxes_crossed(page, arrow, arrow.bend) == 0


def test_clicking_a_process_picks_out_its_arrows(qtbot: QtBot, demo_path: Path) -> None:
    with open_project(demo_path) as project:
        page = _page(qtbot, project)
        view = page.view
        view.boxes["PR-03"].setSelected(True)
        mine = [a for a in view.arrows if "PR-03" in (a.edge.source, a.edge.target)]
        others = [a for a in view.arrows if a not in mine]
        assert mine and others
        assert all(a.opacity() == 1.0 and a.pen().widthF() > 2 for a in mine)
        assert all(a.opacity() == pytest.approx(FADED) for a in others)
        # an export shows the whole diagram as usual, and the choice survives it
        assert page.export("png", Path(view.project.path).with_suffix(".png")) is not None
        assert all(a.opacity() == pytest.approx(FADED) for a in others)
        view.scene().clearSelection()
        assert all(a.opacity() == 1.0 and a.pen().widthF() < 2 for a in view.arrows)


def test_the_layout_puts_a_process_next_to_those_it_feeds() -> None:
    """Internal audit, fed only by document control early on, stood columns away from the
    management review and corrective action it feeds; it now stands just before them."""
    nodes = ["plan", "docs", "do", "check", "act", "audit", "review"]
    edges = [
        ("plan", "docs"),
        ("plan", "do"),
        ("do", "check"),
        ("check", "act"),
        ("act", "review"),
        ("docs", "audit"),
        ("audit", "review"),
    ]
    columns = process_diagram.layers(nodes, edges)
    where = {n: i for i, column in enumerate(columns) for n in column}
    assert where["audit"] == where["review"] - 1
    assert where["plan"] < where["docs"] < where["audit"]
    assert all(columns)


def test_without_processes_the_diagram_says_where_to_record_them(
    qtbot: QtBot, window: MainWindow, project_file: Path, tmp_path: Path
) -> None:
    with open_project(project_file) as project:
        for code in registers.codes(project, "interactions"):
            registers.delete(project, "interactions", code)
        for code in registers.codes(project, "processes"):
            registers.delete(project, "processes", code)
    assert window.open_path(project_file)
    window.go_to_area("context")
    tab = window.area_tab("context")
    assert isinstance(tab, ContextTab)
    page = tab.diagram
    texts = [i.text() for i in page.view.scene().items() if isinstance(i, QGraphicsSimpleTextItem)]
    assert len(texts) == 1 and "Processes tab" in texts[0] and "Interactions" in texts[0]
    buttons = (page.fit_button, page.zoom_in_button, page.png_button, page.arrange_button)
    assert not any(button.isEnabled() for button in buttons)
    assert page.export("png", tmp_path / "empty.png") is None
    assert not (tmp_path / "empty.png").exists()

    # a process recorded: the diagram and the counts below it follow at once
    project = window.project
    assert project is not None
    registers.create(project, "processes", {"name": "Risk assessment"})
    tab.records_changed.emit("processes")
    assert len(page.view.boxes) == 1
    assert page.status.text().startswith("1 process, 0 interactions. Record what flows")
    assert all(button.isEnabled() for button in buttons)
    window.close_project()


def test_saving_several_positions_says_so_in_the_plural(qtbot: QtBot, demo_path: Path) -> None:
    with open_project(demo_path) as project:
        page = _page(qtbot, project)
        boxes = list(page.view.boxes.values())[:2]
        page.view.save_positions(boxes)
        assert page.status.text() == "Positions saved."
        page.view.save_positions(boxes[:1])
        assert page.status.text() == "Position saved."


def test_arranging_automatically_can_be_undone(window: MainWindow, project_file: Path) -> None:
    """One click on Arrange Automatically threw away every place the user had given the
    boxes, with no way back; Edit > Undo now puts them back."""
    assert window.open_path(project_file)
    window.go_to_area("context")
    tab = window.area_tab("context")
    assert isinstance(tab, ContextTab)
    page = tab.diagram
    project = window.project
    assert project is not None
    first, second = list(page.view.boxes)[:2]
    process_diagram.save_positions(project, {first: (-500.0, 40.0), second: (-500.0, 300.0)})
    page.reload()
    assert page.view.boxes[first].pos() == QPointF(-500, 40)
    page.arrange_button.click()
    assert not process_diagram.load(project).saved
    assert page.view.boxes[first].pos() != QPointF(-500, 40)
    assert "Undo" in page.status.text()
    assert window.undo_stack.undoText() == "Arrange the process diagram"
    window.undo_stack.undo()
    assert process_diagram.load(project).saved == {first, second}
    assert page.view.boxes[first].pos() == QPointF(-500, 40)
    window.undo_stack.redo()
    assert not process_diagram.load(project).saved
    assert page.view.boxes[second].pos() != QPointF(-500, 300)
    window.close_project()


def test_on_a_large_screen_the_fitted_diagram_fills_the_page(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    """Fitted at most at actual size, the demo's diagram left a third of a 1920 x 1080
    page empty and its labels small; it may now grow a little, and stays whole."""
    window.resize(1920, 1080)
    assert window.open_path(demo_path)
    window.go_to_area("context")
    tab = window.area_tab("context")
    assert isinstance(tab, ContextTab)
    tab.show_page(tab.diagram)
    view = tab.diagram.view
    qtbot.waitUntil(lambda: view.viewport().width() > 1700, timeout=5000)
    view.fit()
    assert 1.0 < view.zoom() <= FIT_LARGEST
    shown = view.mapFromScene(view.scene().itemsBoundingRect()).boundingRect()
    assert view.viewport().rect().contains(shown)
    window.close_project()


def test_a_small_diagram_is_not_blown_up(qtbot: QtBot, project_path: Path) -> None:
    with open_project(project_path) as project:
        for code in registers.codes(project, "interactions"):
            registers.delete(project, "interactions", code)
        for code in registers.codes(project, "processes")[2:]:
            registers.delete(project, "processes", code)
        page = _page(qtbot, project)
        page.view.fit()
        assert page.view.zoom() == pytest.approx(FIT_LARGEST)


def test_double_clicking_a_process_opens_its_record(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.resize(1280, 800)
    assert window.open_path(demo_path)
    window.go_to_area("context")
    tab = window.area_tab("context")
    assert isinstance(tab, ContextTab)
    tab.show_page(tab.diagram)
    view = tab.diagram.view
    qtbot.waitUntil(lambda: view.viewport().width() > 800, timeout=5000)
    view.fit()
    box = view.boxes["PR-12"]
    where = view.mapFromScene(box.scene_rect().center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    processes = tab.views["processes"]
    assert tab.shown_page() is processes and processes.isVisible()
    current = processes.table.currentIndex()
    assert current.isValid()
    assert processes.model.index(current.row(), 0).data() == "PR-12"
    window.close_project()
