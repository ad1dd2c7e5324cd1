"""The risk method editor and the heat map, on real project files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from isms_desktop.domain.risk_method import MappingNeeded
from isms_desktop.services import heat_map, registers, risk_method
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.registers.field_editors import LongTextEditor
from isms_desktop.ui.risk.heat_map import HeatMapWidget, heat_map_page
from isms_desktop.ui.risk.method_editor import RiskMethodEditor
from isms_desktop.ui.settings import Settings
from isms_desktop.ui.tabs import RisksTab

SHOTS = Path("/tmp/shots")


def _shot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    with open_project(demo_path) as project:
        yield project


HeatMapTab = tuple[MainWindow, RisksTab]


@pytest.fixture
def heat_map_tab(qtbot: QtBot, demo_path: Path) -> Iterator[HeatMapTab]:
    """The demo in a main window, on the Risks tab's heat map."""
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.open_path(demo_path)
        tab = next(t for t in window.area_tabs if isinstance(t, RisksTab))
        window.go_to_area("risks")
        tab.pages.setCurrentWidget(tab.heat_map)
        yield window, tab
    finally:
        window.close()


def _levels(project: Project) -> dict[str, tuple[str | None, str | None]]:
    return {
        r.code: (r.values["inherent_level"], r.values["residual_level"])
        for r in registers.list_rows(project, "risks")
    }


def test_heat_map_counts_and_click(qtbot: QtBot, demo: Project) -> None:
    widget = heat_map_page(demo)
    qtbot.addWidget(widget)
    widget.resize(1000, 460)
    widget.show()
    qtbot.waitExposed(widget)
    data = heat_map.heat_map(demo)
    grid = widget.grids["inherent"]
    assert grid.counts == data.counts["inherent"]
    (lk, im), n = max(data.counts["inherent"].items(), key=lambda kv: kv[1])
    centre = grid.cell_rect(lk, im).center().toPoint()
    with qtbot.waitSignal(widget.cell_chosen, timeout=2000) as blocker:
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(centre))
    stage, codes = blocker.args
    assert stage == "inherent" and len(codes) == n
    assert set(codes) <= set(registers.codes(demo, "risks"))
    assert f"{n} risks — " in widget.status.text() and "risk(s)" not in widget.status.text()
    _shot(widget, "heat_map.png")


def test_heat_map_without_project_is_empty(qtbot: QtBot) -> None:
    widget = HeatMapWidget()
    qtbot.addWidget(widget)
    widget.set_project(None)
    assert widget.choose_cell("inherent", 1, 1) == []
    assert widget.grids["residual"].method is None


def test_a_matrix_change_relevels_the_risks(qtbot: QtBot, demo: Project, dialogs: Dialogs) -> None:
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    editor.show()
    _shot(editor, "risk_method_editor.png")
    before = _levels(demo)
    method = risk_method.current_method(demo)
    # Every cell with inherent risks becomes "critical".
    cells = {
        (r.values["inherent_likelihood"], r.values["inherent_impact"])
        for r in registers.list_rows(demo, "risks")
        if r.values["inherent_likelihood"] and r.values["inherent_level"] != "critical"
    }
    lk, im = sorted(cells)[0]
    combo = editor.matrix_editor.cell_combo(lk, im)
    combo.setCurrentIndex(combo.findData("critical"))
    assert editor.method().matrix[lk - 1][im - 1] == "critical"
    assert editor.method().code == "custom"
    assert editor.save()
    after = _levels(demo)
    changed = sum(1 for code in before if before[code] != after[code])
    assert editor.last_change is not None
    assert editor.last_change.changed_level == changed > 0
    assert risk_method.current_method(demo).level(lk, im) == "critical"
    assert method.level(lk, im) != "critical"
    assert any(f"{changed} of" in text for _kind, _title, text in dialogs.shown)


def test_a_shrinking_scale_asks_how_to_map(qtbot: QtBot, demo: Project) -> None:
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    asked: list[MappingNeeded] = []

    def choose(needed: MappingNeeded) -> dict[int, int]:
        asked.append(needed)
        return dict(needed.suggestion)

    editor.mapping_chooser = choose
    editor.template_combo.setCurrentIndex(editor.template_combo.findData("3x3"))
    editor.template_button.click()
    assert len(editor.method().likelihood) == 3
    assert editor.save()
    assert {n.scale for n in asked} == {"likelihood", "impact"}
    for row in registers.list_rows(demo, "risks"):
        for name in ("inherent_likelihood", "inherent_impact"):
            assert row.values[name] is None or 1 <= row.values[name] <= 3
        if row.values["inherent_likelihood"]:
            assert row.values["inherent_level"] in ("low", "medium", "high")


def test_cancelling_the_mapping_changes_nothing(qtbot: QtBot, demo: Project) -> None:
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    editor.mapping_chooser = lambda _needed: None
    editor.likelihood_editor.size_spin.setValue(3)
    before = _levels(demo)
    assert not editor.save()
    assert _levels(demo) == before
    assert len(risk_method.current_method(demo).likelihood) == 5


def test_an_unusable_method_cannot_be_saved(qtbot: QtBot, project_path: Path) -> None:
    with open_project(project_path) as project:
        editor = RiskMethodEditor(project)
        qtbot.addWidget(editor)
        save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save.isEnabled()
        editor.likelihood_editor.table.item(0, 0).setText("")  # type: ignore[union-attr]
        assert not save.isEnabled()
        assert "label" in editor.problems_label.text()
        editor.likelihood_editor.table.item(0, 0).setText("Rare")  # type: ignore[union-attr]
        editor.impact_editor.size_spin.setValue(6)
        editor.levels_editor.add_level()
        assert save.isEnabled()
        assert len(editor.matrix_editor.matrix()[0]) == 6
        assert editor.save()
        assert len(risk_method.current_method(project).impact) == 6


def test_the_risks_tab_filters_the_register_by_heat_map_cell(
    qtbot: QtBot, heat_map_tab: HeatMapTab
) -> None:
    window, tab = heat_map_tab
    assert window.project is not None
    data = heat_map.heat_map(window.project)
    (lk, im), n = max(data.counts["residual"].items(), key=lambda kv: kv[1])
    codes = tab.heat_map.choose_cell("residual", lk, im)
    assert len(codes) == n
    view = tab.current_view()
    assert view is not None and view.register == "risks"
    qtbot.waitUntil(lambda: view.model.rowCount() == n, timeout=3000)
    method = risk_method.current_method(window.project)
    likelihood = next(s.label for s in method.likelihood if s.value == lk)
    impact = next(s.label for s in method.impact if s.value == im)
    # the scales' names, as the heat map labels its rows and columns
    assert f"likelihood {lk} {likelihood} × impact {im} {impact}" in view.filter_note.text()
    assert sorted(view.model.codes_of_rows(list(range(n)))) == codes
    # the note's own way back (at 1024 px Clear Filters is in the tool bar's overflow menu)
    view.filter_note.linkActivated.emit("clear")
    qtbot.waitUntil(lambda: view.model.rowCount() == view.model.total, timeout=3000)
    assert view.filter_note.isHidden()


def test_matrix_cells_show_their_level_colour_flat_so_the_text_reads(
    qtbot: QtBot, demo: Project
) -> None:
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    editor.resize(1100, 760)  # its size on a large screen (the offscreen one is 800 wide)
    editor.show()
    qtbot.waitExposed(editor)
    method = editor.method()
    seen = set()
    for likelihood in range(1, len(method.likelihood) + 1):
        for impact in range(1, len(method.impact) + 1):
            combo = editor.matrix_editor.cell_combo(likelihood, impact)
            level = method.level_info(method.level(likelihood, impact))
            assert level is not None
            image = combo.grab().toImage()
            # beside the text, before the drop-down arrow: the level's own colour, not a
            # lighter shade on which white text would not read
            shown = image.pixelColor(image.width() - 30, image.height() // 2)
            wanted = QColor(level.colour)
            assert (
                max(
                    abs(shown.red() - wanted.red()),
                    abs(shown.green() - wanted.green()),
                    abs(shown.blue() - wanted.blue()),
                )
                <= 12
            ), (level.label, shown.name(), wanted.name())
            seen.add(level.code)
    assert len(seen) == len(method.levels)


def test_the_compact_heat_map_says_which_axis_is_which(qtbot: QtBot, demo: Project) -> None:
    tile = HeatMapWidget(compact=True)
    qtbot.addWidget(tile)
    tile.show_map(heat_map.heat_map(demo))
    tile.show()
    qtbot.waitExposed(tile)
    assert tile.status.isVisible()
    assert "Likelihood rises upwards, impact to the right" in tile.status.text()
    full = heat_map_page(demo)
    qtbot.addWidget(full)
    assert "Likelihood" not in full.status.text()  # its axes are labelled in full


def test_scale_descriptions_show_whole_and_are_edited_on_several_lines(
    qtbot: QtBot, demo: Project
) -> None:
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    editor.resize(1100, 760)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.impact_editor.table

    def fitted() -> bool:
        # every row as tall as its wrapped description needs at the column's width
        return all(
            table.rowHeight(row) >= table.sizeHintForRow(row) > table.fontMetrics().height()
            for row in range(table.rowCount())
        )

    qtbot.waitUntil(fitted, timeout=5000)
    longest = max(range(table.rowCount()), key=lambda r: len(table.item(r, 1).text()))  # type: ignore[union-attr]
    assert table.rowHeight(longest) >= 3 * table.fontMetrics().height()

    table.setCurrentCell(1, 1)
    table.editItem(table.item(1, 1))
    box = table.findChild(LongTextEditor)
    assert box is not None and box.isVisible()
    assert box.height() >= 4 * box.fontMetrics().height()
    box.set_value("Financial: 1,000 to 10,000 EUR.\nReputational: a complaint.")
    table.commitData(box)
    table.closeEditor(box, QAbstractItemDelegate.EndEditHint.NoHint)
    level = editor.method().impact[1]
    assert level.description == "Financial: 1,000 to 10,000 EUR.\nReputational: a complaint."
    qtbot.waitUntil(fitted, timeout=5000)


def test_the_method_editor_fits_a_small_screen_with_its_save_button_in_view(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    window.resize(1024, 700)
    assert window.open_path(demo_path)
    editor = window.project_menu.open_risk_method()
    assert editor is not None
    qtbot.waitExposed(editor)
    screen = editor.screen().availableGeometry()
    assert screen.width() < 1100, "the offscreen screen is smaller than the editor wants"
    assert editor.width() <= screen.width() and editor.height() <= screen.height()
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    corner = save.mapTo(editor, save.rect().bottomRight())
    assert editor.rect().contains(corner), "Save lies outside the dialog"
    editor.reject()


def test_a_name_that_states_the_size_follows_the_scales(qtbot: QtBot, demo: Project) -> None:
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    assert editor.name_edit.text() == "5 × 5 matrix"
    editor.impact_editor.size_spin.setValue(4)
    assert editor.name_edit.text() == "5 × 4 matrix"
    editor.name_edit.setText("Brightwave risk method")  # the user's own name is kept
    editor.likelihood_editor.size_spin.setValue(4)
    assert editor.name_edit.text() == "Brightwave risk method"


def test_a_scale_cut_by_one_level_keeps_the_levels_it_still_has(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from isms_desktop.ui.risk.mapping_dialog import MappingDialog

    before = {r.code: r.values["inherent_impact"] for r in registers.list_rows(demo, "risks")}
    assert 5 in before.values() and 4 in before.values()
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    editor.impact_editor.size_spin.setValue(4)  # "5 Severe" goes; 1 to 4 keep their names
    proposed: list[dict[int, int]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MappingDialog):
            QTimer.singleShot(20, answer)
            return
        proposed.append(dialog.mapping())
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert editor.save()  # the real question, answered with what it proposes
    assert proposed == [{1: 1, 2: 2, 3: 3, 4: 4, 5: 4}]
    after = {r.code: r.values["inherent_impact"] for r in registers.list_rows(demo, "risks")}
    assert after == {code: min(value, 4) if value else value for code, value in before.items()}
    assert editor.last_change is not None
    assert any(
        f"{editor.last_change.changed_level} of {len(before)} risks changed level" in text
        for _kind, _title, text in dialogs.shown
    )


def test_back_on_the_heat_map_the_chosen_cell_is_the_registers_filter(
    qtbot: QtBot, heat_map_tab: HeatMapTab
) -> None:
    window, tab = heat_map_tab
    inherent, residual = tab.heat_map.grids["inherent"], tab.heat_map.grids["residual"]
    tab.heat_map.choose_cell("inherent", 3, 3)
    view = tab.views["risks"]
    assert tab.pages.currentWidget() is view
    qtbot.waitUntil(lambda: view.clear_filters_action.isVisible(), timeout=3000)

    view.clear_filters_button.click()  # all risks again
    tab.pages.setCurrentWidget(tab.heat_map)
    assert inherent.selected is None and residual.selected is None
    assert tab.heat_map.status.text() == "Click a cell to see its risks in the register."

    # filtered from elsewhere (the dashboard's tile), after an edit made the map stale
    assert window.project is not None
    registers.update(window.project, "risks", "R-001", "title", "Ransomware (edited)")
    view.records_changed.emit("risks")
    tab.show_register("risks", filters=heat_map.cell_filter("residual", 2, 2))
    tab.pages.setCurrentWidget(tab.heat_map)
    assert residual.selected == (2, 2) and inherent.selected is None
    n = heat_map.heat_map(window.project).counts["residual"][(2, 2)]
    assert (f"{n} risks — " if n > 1 else "1 risk — ") in tab.heat_map.status.text()
    assert tab.pages.currentWidget() is tab.heat_map, "showing the cell filters nothing"


def test_heat_map_cells_say_their_level_acceptance_and_count_in_words(
    qtbot: QtBot, demo: Project
) -> None:
    widget = heat_map_page(demo)
    qtbot.addWidget(widget)
    widget.resize(1000, 460)
    widget.show()
    qtbot.waitExposed(widget)
    residual = widget.grids["residual"]
    assert residual.counts[(2, 5)] == 1  # the demo's R-003, residual High
    assert residual.cell_tip(2, 5) == (
        "Residual risk: likelihood 2 Unlikely × impact 5 Severe = High (above acceptance), 1 risk."
    )
    assert residual.cell_tip(1, 1).endswith("= Low (acceptable), 2 risks.")
    assert residual.cell_tip(5, 5).endswith("= Critical (above acceptance), no risks.")

    widget.choose_cell("residual", 2, 5)
    assert widget.status.text() == (
        "Residual risk, likelihood Unlikely × impact Severe: 1 risk — R-003"
    )
    widget.choose_cell("residual", 5, 5)
    assert (
        widget.status.text() == "Residual risk, likelihood Almost certain × impact Severe: no risks"
    )
    shown: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "isms_desktop.ui.risk.heat_map.QToolTip.showText",
            lambda _pos, text, _widget=None: shown.append(text),
        )
        centre = residual.cell_rect(2, 5).center().toPoint()
        QApplication.sendEvent(
            residual,
            QHelpEvent(QEvent.Type.ToolTip, centre, residual.mapToGlobal(centre)),
        )
    assert shown == [residual.cell_tip(2, 5)]


def test_level_buttons_that_would_do_nothing_are_disabled(qtbot: QtBot, demo: Project) -> None:
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    levels = editor.levels_editor
    assert levels.table.rowCount() == 4
    assert levels.remove_button.isEnabled()
    assert not levels.colour_button.isEnabled(), "no level chosen to colour"
    levels.table.selectRow(1)
    assert levels.colour_button.isEnabled()
    levels.remove_level()
    levels.remove_level()
    assert levels.table.rowCount() == 2
    assert not levels.remove_button.isEnabled(), "two levels are the least"
    levels.add_level()
    assert levels.remove_button.isEnabled()


def test_cancel_asks_before_dropping_edits_to_the_method(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.reject()  # nothing edited: closes without asking
    assert dialogs.shown == [] and not editor.isVisible()

    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.acceptance_by_edit.setText("The managing director")
    dialogs.answer = QMessageBox.StandardButton.No
    editor.reject()
    assert dialogs.kinds() == ["question"] and "Discard your changes" in dialogs.shown[0][2]
    assert editor.isVisible(), "the edits are kept when the user says No"

    # starting from a template over edits asks too; No keeps what was typed
    editor.template_combo.setCurrentIndex(editor.template_combo.findData("3x3"))
    assert not editor.start_from_template()
    assert len(editor.method().likelihood) == 5
    dialogs.answer = QMessageBox.StandardButton.Yes
    assert editor.start_from_template()
    assert len(editor.method().likelihood) == 3
    editor.reject()
    assert not editor.isVisible()
    assert risk_method.current_method(demo).acceptance_by != "The managing director"


def test_level_colours_are_shown_as_swatches_not_hex_codes(qtbot: QtBot, demo: Project) -> None:
    """Each level's Colour cell is a swatch of its colour with the level's name, also when
    its row is selected; the name follows the label; the colour is kept as before."""
    editor = RiskMethodEditor(demo)
    qtbot.addWidget(editor)
    editor.resize(1024, 700)
    editor.show()
    qtbot.waitExposed(editor)
    levels = editor.levels_editor
    method = risk_method.current_method(demo)
    assert levels.levels() == method.levels
    table = levels.table

    def swatch_pixel(row: int) -> QColor:
        item = table.item(row, 1)
        rect = table.visualItemRect(item)
        image = table.viewport().grab().toImage()
        return image.pixelColor(rect.left() + 5, rect.center().y())

    for row, level in enumerate(method.levels):
        item = table.item(row, 1)
        assert item.text() == level.label and "#" not in item.text()
        assert swatch_pixel(row).name() == QColor(level.colour).name()
    _shot(editor, "method_editor_levels.png")
    table.selectRow(1)
    assert swatch_pixel(1).name() == QColor(method.levels[1].colour).name(), "seen when selected"
    _shot(editor, "method_editor_levels_selected.png")

    table.item(1, 0).setText("Moderate")
    assert table.item(1, 1).text() == "Moderate"
    levels.set_colour(1, "#123456")
    assert swatch_pixel(1).name() == "#123456"
    changed = levels.levels()[1]
    assert (changed.code, changed.label, changed.colour) == (
        method.levels[1].code,
        "Moderate",
        "#123456",
    )
