"""A register view on the demo project: editing in place and in the form, undo, delete,
filters, keys, attachments and copying rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import Dialogs
from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QStyleOptionViewItem,
)
from pytestqt.qtbot import QtBot

from isms_desktop.domain.readiness import OVERDUE
from isms_desktop.services import attachments, registers
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.registers.field_editors import (
    ChoiceEditor,
    DateEditor,
    DateTimeEditor,
    RefsEditor,
    set_editor_value,
)
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.registers.table_model import CODE_ROLE, ID_ROLE

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    project = open_project(demo_path)
    try:
        yield project
    finally:
        project.close()


def make_view(qtbot: QtBot, project: Project, register: str) -> RegisterView:
    view = RegisterView(register)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.set_project(project)
    view.show()
    qtbot.waitExposed(view)
    return view


def row_of(view: RegisterView, code: str) -> int:
    row = view.model.row_of_code(code)
    assert row is not None, code
    return row


def cell(view: RegisterView, code: str, field: str) -> QModelIndex:
    return view.model.index(row_of(view, code), view.model.column_of(field))


def test_editing_a_cell_is_saved_and_undone_and_redone(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    before = registers.get(demo, "risks", "R-001").values["title"]

    assert view.model.setData(cell(view, "R-001", "title"), "Ransomware on the file server")

    assert registers.get(demo, "risks", "R-001").values["title"] == "Ransomware on the file server"
    stack = view.undo_stack()
    assert stack.count() == 1
    assert "Risk of R-001" in stack.undoText()
    qtbot.waitUntil(lambda: cell(view, "R-001", "title").data() == "Ransomware on the file server")
    stack.undo()
    assert registers.get(demo, "risks", "R-001").values["title"] == before
    qtbot.waitUntil(lambda: cell(view, "R-001", "title").data() == before)
    stack.redo()
    assert registers.get(demo, "risks", "R-001").values["title"] == "Ransomware on the file server"


def test_a_refused_value_is_explained_and_not_pushed(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    view = make_view(qtbot, demo, "treatment")
    code = view.model.index(0, 0).data(CODE_ROLE)

    assert not view.model.setData(cell(view, code, "progress"), 250)

    qtbot.waitUntil(lambda: bool(dialogs.shown))
    assert "between 0 and 100" in dialogs.shown[-1][2]
    assert view.undo_stack().count() == 0


def test_scoring_a_risk_recomputes_its_coloured_level(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    assert view.model.setData(cell(view, "R-013", "inherent_likelihood"), 5)
    assert view.model.setData(cell(view, "R-013", "inherent_impact"), 5)
    level = registers.get(demo, "risks", "R-013").values["inherent_level"]
    qtbot.waitUntil(
        lambda: cell(view, "R-013", "inherent_level").data(Qt.ItemDataRole.EditRole) == level
    )
    assert cell(view, "R-013", "inherent_level").data(Qt.ItemDataRole.BackgroundRole) is not None
    assert view.undo_stack().count() == 2


def test_a_check_box_click_sets_a_yes_no_field(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    index = cell(view, "R-001", "confidentiality")
    was = registers.get(demo, "risks", "R-001").values["confidentiality"]
    target = Qt.CheckState.Unchecked if was else Qt.CheckState.Checked
    assert view.model.setData(index, target.value, Qt.ItemDataRole.CheckStateRole)
    assert registers.get(demo, "risks", "R-001").values["confidentiality"] is (not was)
    view.undo_stack().undo()
    assert registers.get(demo, "risks", "R-001").values["confidentiality"] is was


def test_editing_with_several_rows_selected_sets_them_all(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    codes = ("R-001", "R-002", "R-003")
    before = {c: registers.get(demo, "risks", c).values["status"] for c in codes}
    selection = view.table.selectionModel()
    for code in codes:
        selection.select(
            cell(view, code, "code"),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )
    assert view.model.setData(cell(view, "R-002", "status"), "accepted")
    assert {registers.get(demo, "risks", c).values["status"] for c in codes} == {"accepted"}
    assert view.undo_stack().count() == 1
    view.undo_stack().undo()
    # Each record gets its own old value back.
    assert {c: registers.get(demo, "risks", c).values["status"] for c in codes} == before


def test_delegates_offer_the_editor_that_fits_the_field(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    option = QStyleOptionViewItem()
    owner = cell(view, "R-001", "owner")
    editor = view.delegate.createEditor(view.table.viewport(), option, owner)
    assert isinstance(editor, ChoiceEditor)
    view.delegate.setEditorData(editor, owner)
    assert editor.value() == owner.data(Qt.ItemDataRole.EditRole)
    people = registers.reference_choices(demo, "people")
    other = next(code for code, _name in people if code != editor.value())
    editor.set_value(other)
    view.delegate.setModelData(editor, view.model, owner)
    assert registers.get(demo, "risks", "R-001").values["owner"] == other

    review = cell(view, "R-001", "next_review")
    date_editor = view.delegate.createEditor(view.table.viewport(), option, review)
    assert isinstance(date_editor, DateEditor)
    controls = cell(view, "R-001", "controls")
    refs_editor = view.delegate.createEditor(view.table.viewport(), option, controls)
    assert isinstance(refs_editor, RefsEditor)
    view.delegate.setEditorData(refs_editor, controls)
    refs_editor.set_value(["A.5.1", "8.5"])
    view.delegate.setModelData(refs_editor, view.model, controls)
    assert registers.get(demo, "risks", "R-001").values["controls"] == ["5.1", "8.5"]
    picker = refs_editor.picker()
    assert picker.selected() == ["5.1", "8.5"]
    assert (
        view.delegate.createEditor(
            view.table.viewport(), option, cell(view, "R-001", "confidentiality")
        )
        is None
    )


def test_adding_a_record_in_the_form_checks_required_fields(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "assets")
    total = view.model.total
    dialog = view.add_dialog()
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.try_save()
    assert dialog.isVisible()
    assert dialog.errors["name"].isVisibleTo(dialog)
    assert "required" in dialog.errors["name"].text()

    dialog.editors["name"].setText("Backup tapes")  # type: ignore[attr-defined]
    qtbot.keyClick(dialog.editors["name"], Qt.Key.Key_Return)  # Enter saves
    assert not dialog.isVisible()
    assert dialog.result() == dialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: view.model.total == total + 1)
    code = view.current_code()
    assert code is not None and registers.get(demo, "assets", code).values["name"] == "Backup tapes"
    view.undo_stack().undo()
    assert registers.count(demo, "assets") == total
    view.undo_stack().redo()
    assert registers.get(demo, "assets", code).values["name"] == "Backup tapes"


def test_a_rule_about_two_fields_is_shown_next_to_the_field(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "scope")
    dialog = view.add_dialog()
    qtbot.addWidget(dialog)
    dialog.editors["name"].setText("Canteen")  # type: ignore[attr-defined]
    dialog.editors["kind"].set_value("exclusion")  # type: ignore[attr-defined]
    dialog.try_save()
    assert "justification" in dialog.errors["justification"].text()
    assert not dialog.errors["justification"].isHidden()


def test_escape_cancels_the_form(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "assets")
    dialog = view.add_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editors["name"].setText("Never saved")  # type: ignore[attr-defined]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == dialog.DialogCode.Rejected
    assert view.undo_stack().count() == 0


def test_editing_several_fields_in_the_form_is_one_undo_step(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "scope")
    code = view.model.index(0, 0).data(CODE_ROLE)
    before = registers.get(demo, "scope", code).values
    dialog = view.edit_dialog(code)
    assert dialog is not None
    qtbot.addWidget(dialog)
    # An exclusion needs a justification: the order of the fields must not matter.
    dialog.editors["kind"].set_value("exclusion")  # type: ignore[attr-defined]
    dialog.editors["justification"].set_value("Run by the landlord")  # type: ignore[attr-defined]
    dialog.try_save()
    assert dialog.result() == dialog.DialogCode.Accepted
    after = registers.get(demo, "scope", code).values
    assert (after["kind"], after["justification"]) == ("exclusion", "Run by the landlord")
    assert view.undo_stack().count() == 1
    view.undo_stack().undo()
    restored = registers.get(demo, "scope", code).values
    assert (restored["kind"], restored["justification"]) == (
        before["kind"],
        before["justification"],
    )


def test_deleting_a_record_in_use_is_refused_with_the_reason(
    qtbot: QtBot, demo: Project, dialogs: Dialogs
) -> None:
    view = make_view(qtbot, demo, "assets")
    view.select_code("A-001")
    assert not view.delete_selected()
    assert dialogs.shown and "A-001 is still used by" in dialogs.shown[-1][2]
    assert registers.get(demo, "assets", "A-001").code == "A-001"
    assert view.undo_stack().count() == 0


def test_delete_key_deletes_and_undo_restores(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "assets")
    created = registers.create(demo, "assets", {"name": "Old fax machine", "type": "hardware"})
    view.refresh()
    assert view.select_code(created.code)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert created.code not in registers.codes(demo, "assets")
    view.undo_stack().undo()
    assert registers.get(demo, "assets", created.code).values["name"] == "Old fax machine"


def test_the_count_and_the_empty_state_follow_the_filter(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    assert view.count_label.text() == "44 risks"
    view.set_filters("supplier")
    shown = view.model.rowCount()
    assert 0 < shown < 44
    assert view.count_label.text() == f"{shown} of 44 risks"
    assert view.clear_filters_action.isVisible()

    view.set_filters("no such risk at all")
    assert view.empty_label.isVisibleTo(view)
    assert "No risks match the filter" in view.empty_label.text()

    view.choice_filters["treatment"].setCurrentIndex(
        view.choice_filters["treatment"].findData("avoid")
    )
    view.set_filters("", {"treatment": "avoid"})
    assert all(
        registers.get(demo, "risks", view.model.index(r, 0).data(CODE_ROLE)).values["treatment"]
        == "avoid"
        for r in range(view.model.rowCount())
    )
    view.clear_filters()
    assert view.count_label.text() == "44 risks"
    assert view.empty_label.isHidden()


def test_an_empty_register_says_what_to_do(qtbot: QtBot, demo: Project) -> None:
    for code in registers.codes(demo, "commitments"):
        registers.delete(demo, "commitments", code)
    view = make_view(qtbot, demo, "commitments")
    assert view.model.rowCount() == 0
    assert view.empty_label.isVisibleTo(view)
    assert "No commitments yet" in view.empty_label.text()
    assert "Ctrl+N" in view.empty_label.text()
    # the import is named by its menu item: the user may not know the command line exists
    assert "File > Import from Spreadsheet" in view.empty_label.text()


def test_typing_in_the_filter_box_filters_after_a_pause(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "soa")
    qtbot.keyClicks(view.filter_edit, "8.2")
    qtbot.waitUntil(lambda: view.model.rowCount() < 93)
    codes = {view.model.index(r, 0).data(CODE_ROLE) for r in range(view.model.rowCount())}
    assert "8.2" in codes
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.model.rowCount() == 93)


def test_copy_gives_tab_separated_rows_with_headers(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    view.select_code("R-002")
    text = view.copy_selected()
    lines = text.splitlines()
    assert lines[0].split("\t")[:2] == ["Code", "Risk"]
    assert lines[1].startswith("R-002\t")
    assert QApplication.clipboard().text() == text


def test_attachments_are_added_listed_saved_and_deleted(
    qtbot: QtBot, demo: Project, tmp_path: Path, dialogs: Dialogs
) -> None:
    view = make_view(qtbot, demo, "assets")
    view.select_code("A-002")
    panel = view.attachments
    assert panel.code == "A-002"
    evidence = tmp_path / "inventory scan.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")

    assert panel.add_files([evidence]) == 1
    assert panel.list.count() == 1
    assert "inventory scan.pdf" in panel.list.item(0).text()
    info = attachments.list_attachments(demo, "assets", "A-002")[0]
    target = tmp_path / "copy.pdf"
    assert panel.save_to(info.id, target)
    assert target.read_bytes() == b"%PDF-1.4 evidence"

    panel.list.item(0).setSelected(True)
    dialogs.answer = QMessageBox.StandardButton.Yes
    panel.delete_selected()
    assert attachments.list_attachments(demo, "assets", "A-002") == []
    assert panel.list.count() == 0


def test_ctrl_n_and_ctrl_f_act_on_the_register_inside_the_main_window(
    qtbot: QtBot, window: object, demo_path: Path
) -> None:
    from isms_desktop.ui.main_window import MainWindow
    from isms_desktop.ui.tabs.register_area import RegisterAreaTab

    assert isinstance(window, MainWindow)
    assert window.open_path(demo_path)
    risks_tab = next(t for t in window.area_tabs if t.key == "risks")
    assert isinstance(risks_tab, RegisterAreaTab)
    view = risks_tab.show_register("risks")
    window.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table)

    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is view.filter_edit

    opened: list[str] = []
    view.add_record = lambda: opened.append("add")  # type: ignore[method-assign]
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == ["add"]

    view.edit_record = lambda: opened.append("edit")  # type: ignore[method-assign]
    view.select_code("R-003")
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == ["add", "edit"]
    assert window.project is not None and window.project.path == demo_path


def test_header_clicks_sort_in_sql_except_on_lists_of_codes(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == -1, "the register's own order at first"
    first = view.model.index(0, 0).data(CODE_ROLE)

    view.table.sortByColumn(view.model.column_of("assets"), Qt.SortOrder.DescendingOrder)
    assert header.sortIndicatorSection() == -1
    assert view.model.index(0, 0).data(CODE_ROLE) == first

    view.table.sortByColumn(view.model.column_of("code"), Qt.SortOrder.DescendingOrder)
    assert header.sortIndicatorSection() == view.model.column_of("code")
    assert view.model.index(0, 0).data(CODE_ROLE) == "R-044"


def test_the_count_says_how_many_rows_an_edit_will_change(qtbot: QtBot, demo: Project) -> None:
    view = make_view(qtbot, demo, "risks")
    selection = view.table.selectionModel()
    for code in ("R-001", "R-002", "R-003"):
        selection.select(
            cell(view, code, "code"),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )
    qtbot.waitUntil(lambda: view.count_label.text() == "44 risks · 3 selected", timeout=5000)
    assert "all 3" in view.count_label.toolTip()

    view.set_filters("supplier")
    shown = view.model.rowCount()
    view.select_code(view.model.index(0, 0).data(CODE_ROLE))
    qtbot.waitUntil(lambda: view.count_label.text() == f"{shown} of 44 risks", timeout=5000)
    assert view.count_label.toolTip() == ""


@pytest.mark.parametrize(
    ("register", "statement"), [("objectives", "objective"), ("nonconformities", "description")]
)
def test_a_wide_register_still_shows_what_each_record_is(
    qtbot: QtBot, demo: Project, register: str, statement: str
) -> None:
    view = make_view(qtbot, demo, register)
    column = view.model.column_of(statement)
    assert not view.table.isColumnHidden(column)
    assert view.table.columnWidth(column) > 100
    # the other multi-line fields still wait in the form
    risks = make_view(qtbot, demo, "risks")
    assert risks.table.isColumnHidden(risks.model.column_of("description"))


@pytest.mark.parametrize("register", ["nonconformities", "documents", "soa"])
def test_the_filter_box_is_wide_enough_for_its_hint(
    qtbot: QtBot, demo: Project, register: str
) -> None:
    view = make_view(qtbot, demo, register)
    view.resize(1024, 600)
    box = view.filter_edit
    qtbot.waitUntil(box.isVisible, timeout=5000)
    hint = box.placeholderText()
    assert "Ctrl+F" in box.toolTip()
    # the text, the filter icon and the clear button (16 px each, with their margins)
    assert box.width() >= box.fontMetrics().horizontalAdvance(hint) + 2 * 16 + 12, hint


def test_an_edit_of_thousands_of_selected_rows_is_one_step_undone_per_record(
    qtbot: QtBot, demo: Project
) -> None:
    registers.create_many(
        demo, "assets", [{"name": f"Tablet {n:04}", "type": "hardware"} for n in range(1_500)]
    )
    registers.update(demo, "assets", "A-001", "location", "Head office")
    view = make_view(qtbot, demo, "assets")
    total = view.model.rowCount()
    assert total > 1_500
    selection = view.table.selectionModel()
    flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
    # all but the last ten rows, as a click and a shift-click select them
    selection.select(QItemSelection(view.model.index(0, 0), view.model.index(total - 11, 0)), flags)
    expected = total - 10
    # what Qt would list row by row, read from the ranges
    assert view.selected_rows() == sorted({i.row() for i in selection.selectedRows()})
    assert len(view.selected_rows()) == expected
    assert view.count_label.text().endswith(f"· {expected:,} selected")
    before = {r.code: r.values["location"] for r in registers.list_rows(demo, "assets")}

    assert view.model.setData(cell(view, "A-001", "location"), "Warehouse")

    after = {r.code: r.values["location"] for r in registers.list_rows(demo, "assets")}
    changed = [code for code in after if after[code] != before[code]]
    assert len(changed) == expected and {after[c] for c in changed} == {"Warehouse"}
    assert view.model.data(cell(view, "A-001", "location")) == "Warehouse"
    assert view.undo_stack().count() == 1
    view.undo_stack().undo()
    assert {r.code: r.values["location"] for r in registers.list_rows(demo, "assets")} == before
    assert view.model.data(cell(view, "A-001", "location")) == "Head office"


def test_deleting_a_thousand_selected_rows_is_one_step_that_undo_restores(
    qtbot: QtBot, demo: Project
) -> None:
    registers.create_many(
        demo, "assets", [{"name": f"Sensor {n:04}", "type": "hardware"} for n in range(1_000)]
    )
    view = make_view(qtbot, demo, "assets")
    view.set_filters("Sensor")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1_000, timeout=10_000)
    before = {r.code: r.values for r in registers.list_rows(demo, "assets")}
    selection = view.table.selectionModel()
    selection.select(
        QItemSelection(view.model.index(0, 0), view.model.index(999, 0)),
        selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
    )

    qtbot.waitUntil(lambda: "1,000 selected" in view.count_label.text(), timeout=5000)
    assert view.count_label.text().startswith("1,000 of ")  # grouped, as people write them

    assert view.delete_selected()

    assert registers.count(demo, "assets") == len(before) - 1_000
    assert view.undo_stack().count() == 1
    assert "1,000 records" in view.undo_stack().undoText()
    view.undo_stack().undo()
    assert {r.code: r.values for r in registers.list_rows(demo, "assets")} == before
    view.undo_stack().redo()
    assert registers.count(demo, "assets") == len(before) - 1_000


def test_a_very_long_text_is_cut_where_it_is_painted_and_kept_whole_elsewhere(
    qtbot: QtBot, demo: Project
) -> None:
    story = " ".join(f"Step {n}: the backup was checked and restored." for n in range(400))
    code = registers.create(demo, "risks", {"title": "Long story", "description": story}).code
    view = make_view(qtbot, demo, "risks")
    index = cell(view, code, "description")
    painted = index.data(Qt.ItemDataRole.DisplayRole)
    assert 900 < len(painted) <= 1_001 and painted.endswith("…")  # a line of it fits anyway
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert story[:2_000] in tip and len(tip) < 3_200  # a screenful, not pages
    record = view.model.record(row_of(view, code))
    assert record is not None and record.display["description"] == story  # copy, forms
    assert registers.get(demo, "risks", code).values["description"] == story


@pytest.mark.parametrize(("width", "opened"), [(1024, False), (1200, True), (1400, True)])
def test_evidence_registers_open_the_attachments_panel_where_there_is_room(
    qtbot: QtBot, demo: Project, width: int, opened: bool
) -> None:
    """Beside the SoA the panel starts open in a wide window; at 1024 px it would leave the
    table a few columns, so it starts closed there (the button opens it)."""
    view = RegisterView("soa")
    qtbot.addWidget(view)
    view.resize(width, 700)
    view.set_project(demo)
    view.show()
    qtbot.waitExposed(view)

    assert view.attachments.isVisible() is opened
    assert view.attachments_button.isChecked() is opened
    view.attachments_button.click()
    assert view.attachments.isVisible() is not opened


def test_the_users_choice_of_the_attachments_panel_is_kept_at_its_first_show(
    qtbot: QtBot, demo: Project
) -> None:
    view = RegisterView("soa")
    qtbot.addWidget(view)
    view.attachments_button.setChecked(False)  # chosen before the view is shown
    view.resize(1400, 700)
    view.set_project(demo)
    view.show()
    qtbot.waitExposed(view)
    assert not view.attachments.isVisible()

    narrow = RegisterView("assets")  # not an evidence register: closed at any width
    qtbot.addWidget(narrow)
    narrow.resize(1400, 700)
    narrow.set_project(demo)
    narrow.show()
    qtbot.waitExposed(narrow)
    assert not narrow.attachments.isVisible()


def test_the_overdue_button_shows_what_is_late_and_follows_the_filters(
    qtbot: QtBot, demo: Project
) -> None:
    view = make_view(qtbot, demo, "treatment")
    assert view.overdue_button is not None and not view.overdue_button.isChecked()
    everything = view.model.rowCount()
    late = registers.query_ids(demo, "treatment", equals={OVERDUE: "yes"})
    assert 0 < len(late) < everything

    view.overdue_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(late), timeout=3000)
    rows = range(view.model.rowCount())
    assert {view.model.index(r, 0).data(ID_ROLE) for r in rows} == set(late)
    assert "Overdue" in view.filter_note.text() and not view.filter_note.isHidden()

    view.clear_filters()  # (as "show all" and Clear Filters do)
    assert not view.overdue_button.isChecked()
    assert view.model.rowCount() == everything
    view.set_filters("", {OVERDUE: "yes"})  # as the dashboard's "… are overdue" opens it
    assert view.overdue_button.isChecked() and view.model.rowCount() == len(late)
    assert make_view(qtbot, demo, "assets").overdue_button is None  # no dates to be late


def test_the_form_of_a_register_with_many_fields_fits_the_screen(
    qtbot: QtBot, demo: Project
) -> None:
    view = make_view(qtbot, demo, "audits")
    dialog = view.add_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    screen = dialog.screen()
    assert screen is not None
    room = screen.availableGeometry().height()
    assert len(dialog.editors) * 44 + 140 > room - 60, "the form is taller than the screen"
    assert dialog.height() <= room - 60  # its fields scroll; Save stays on the screen
    assert dialog.buttons.geometry().bottom() <= dialog.height()


def test_selecting_every_row_does_not_ask_the_model_about_each_row(
    qtbot: QtBot, demo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+A in a large register: the header must not check every selected row's flags
    on each repaint (Qt's isColumnSelected does, one Python call per row and column)."""
    from isms_desktop.ui.registers.table_model import RegisterTableModel

    registers.create_many(
        demo, "assets", [{"name": f"Camera {n:04}", "type": "hardware"} for n in range(2_000)]
    )
    view = make_view(qtbot, demo, "assets")
    rows = view.model.rowCount()
    assert rows > 2_000
    asked = []
    flags = RegisterTableModel.flags

    def counted(self: RegisterTableModel, index: QModelIndex) -> Qt.ItemFlag:
        asked.append(index.row())
        return flags(self, index)

    monkeypatch.setattr(RegisterTableModel, "flags", counted)
    view.table.selectAll()
    QApplication.processEvents()
    view.table.horizontalHeader().viewport().repaint()
    view.table.viewport().repaint()

    assert len(view.selected_rows()) == rows
    assert view.count_label.text().endswith(f"· {rows:,} selected")
    # the visible cells, a few times over; not every row of every visible column
    assert 0 < len(asked) < rows
    assert not view.table.horizontalHeader().selectionModel().hasSelection()

    # copying more rows than a moment's work shows a progress dialog; Cancel copies nothing
    assert rows > view.COPY_WITHOUT_PROGRESS
    text = view.copy_selected()
    assert text.count("\n") == rows + 1  # the header and every row
    assert QApplication.clipboard().text() == text
    QApplication.clipboard().setText("kept")
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda _self: True)
    assert view.copy_selected() == ""
    assert QApplication.clipboard().text() == "kept"


@pytest.mark.parametrize(
    ("register", "field"),
    [("risks", "accepted_on"), ("treatment", "completed_on"), ("risks", "next_review")],
)
def test_opening_a_record_and_saving_keeps_its_empty_dates_empty(
    qtbot: QtBot, demo: Project, register: str, field: str
) -> None:
    """An empty date stays empty in the form: it was filled with today (the calendar was
    set to today), so Save wrote e.g. an acceptance date on a risk nobody accepted."""
    rows = registers.list_rows(demo, register)
    empty = next((r for r in rows if r.values.get(field) is None), rows[0])
    if empty.values.get(field) is not None:  # (every risk has a review date: one made empty)
        registers.update(demo, register, empty.code, field, None)
    view = make_view(qtbot, demo, register)
    dialog = view.edit_dialog(empty.code)
    assert dialog is not None
    qtbot.addWidget(dialog)
    editor = dialog.editors[field]
    assert isinstance(editor, DateEditor)
    assert editor.value() is None
    # the calendar opens on today's month without choosing a day
    editor.calendarWidget().parentWidget().show()
    QApplication.processEvents()
    today = dt.date.today()
    assert (editor.calendarWidget().yearShown(), editor.calendarWidget().monthShown()) == (
        today.year,
        today.month,
    )
    assert editor.value() is None
    assert dialog.changed_values() == {}
    editor.calendarWidget().parentWidget().hide()


def test_a_blank_date_and_time_opens_its_calendar_on_today_and_stays_blank(qtbot: QtBot) -> None:
    editor = DateTimeEditor()
    qtbot.addWidget(editor)
    editor.set_value(None)
    editor.calendarWidget().parentWidget().show()
    QApplication.processEvents()
    today = dt.date.today()
    calendar = editor.calendarWidget()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    assert editor.value() is None
    calendar.parentWidget().hide()


def test_spare_width_goes_to_the_text_columns_not_the_last_one(qtbot: QtBot, demo: Project) -> None:
    """The treatment plan's last column, "Completed on", took all the spare width while
    the actions' titles were cut; now the text columns share it, and a column the user
    sized keeps its width."""
    view = make_view(qtbot, demo, "treatment")
    header = view.table.horizontalHeader()
    action = view.model.column_of("title")
    completed = view.model.column_of("completed_on")

    def shown_width() -> int:
        return sum(
            header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)
        )

    qtbot.waitUntil(lambda: shown_width() == view.table.viewport().width(), timeout=5000)
    assert header.sectionSize(action) > 3 * header.sectionSize(completed)
    assert header.sectionSize(completed) == view._widths[completed]
    # sized by hand: kept when the window is resized
    header.resizeSection(action, 300)
    view.resize(1400, 700)
    qtbot.waitUntil(lambda: view.table.viewport().width() > 1150, timeout=5000)
    assert header.sectionSize(action) == 300


def test_set_field_of_selected_sets_the_owner_of_many_risks_in_one_undo_step(
    qtbot: QtBot, demo: Project
) -> None:
    """Issue 6's multi-select edit from a menu: pick the field and the value, set on all
    selected rows; a refusal keeps the dialog open with its reason and changes nothing."""
    from isms_desktop.ui.registers.set_many_dialog import SetManyDialog

    view = make_view(qtbot, demo, "risks")
    assert not view.set_many_action.isEnabled()  # nothing (or one row) selected
    codes = ["R-001", "R-002", "R-003"]
    selection = view.table.selectionModel()
    flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
    selection.setCurrentIndex(cell(view, "R-001", "status"), selection.SelectionFlag.NoUpdate)
    for code in codes:
        selection.select(view.model.index(row_of(view, code), 0), flags)
    assert sorted(view.selected_codes()) == codes
    assert view.set_many_action.isEnabled()
    before = {c: registers.get(demo, "risks", c).values for c in codes}

    dialog = view.set_many_dialog()
    assert isinstance(dialog, SetManyDialog)
    qtbot.addWidget(dialog)
    assert dialog.field().name == "status"  # the column the user was in
    assert "code" not in [dialog.field_combo.itemData(i) for i in range(dialog.field_combo.count())]
    dialog.choose("owner")
    editor = dialog.editor
    assert isinstance(editor, ChoiceEditor)
    editor.setCurrentIndex(editor.findData("P-003"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert {registers.get(demo, "risks", c).values["owner"] for c in codes} == {"P-003"}
    stack = view.undo_stack()
    assert stack.count() == 1 and "3 records" in stack.undoText()
    stack.undo()
    assert {c: registers.get(demo, "risks", c).values for c in codes} == before

    refusing = view.set_many_dialog()
    assert refusing is not None
    qtbot.addWidget(refusing)
    refusing.choose("title")
    set_editor_value(refusing.editor, "")  # a risk needs its title
    refusing.accept()
    assert refusing.result() != refusing.DialogCode.Accepted and refusing.error.isVisibleTo(
        refusing
    )
    assert refusing.error.text()
    assert {c: registers.get(demo, "risks", c).values for c in codes} == before


def test_the_count_of_one_record_is_singular(qtbot: QtBot, project_path: Path) -> None:
    project = open_project(project_path)
    try:
        registers.create(project, "reviews", {"title": "Annual review"})
        view = make_view(qtbot, project, "reviews")
        qtbot.waitUntil(lambda: view.count_label.text() != "", timeout=5000)
        assert view.count_label.text() == "1 management review"
        registers.create(project, "reviews", {"title": "Follow-up review"})
        view.refresh()
        qtbot.waitUntil(lambda: view.count_label.text() == "2 management reviews", timeout=5000)
        view.set_project(None)
    finally:
        project.close()


def test_a_new_records_required_references_start_unchosen(
    qtbot: QtBot, demo: Project, tmp_path: Path
) -> None:
    """A new interaction's From and To start on "Choose…", not both on the first process
    (which every Save refused: a process cannot hand something to itself); saving without
    them says what is missing."""
    view = make_view(qtbot, demo, "interactions")
    dialog = view.add_dialog()
    qtbot.addWidget(dialog)
    source, target = dialog.editors["source"], dialog.editors["target"]
    assert isinstance(source, QComboBox) and isinstance(target, QComboBox)
    for box in (source, target):
        assert box.currentIndex() == -1 and box.currentData() is None
        assert box.placeholderText() == "Choose…"
    dialog.show()
    dialog.grab().save(str(tmp_path / "new-interaction.png"))
    before = registers.count(demo, "interactions")
    flow = dialog.editors["flow"]
    assert isinstance(flow, QLineEdit)
    flow.setText("Approved risk treatment plan")
    dialog.try_save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert registers.count(demo, "interactions") == before
    shown = [label.text() for label in dialog.errors.values() if not label.isHidden()]
    assert shown == ["From is required"] or "From" in dialog.note.text(), shown
    processes = registers.codes(demo, "processes")
    source.setCurrentIndex(source.findData(processes[0]))
    target.setCurrentIndex(target.findData(processes[1]))
    dialog.try_save()
    assert registers.count(demo, "interactions") == before + 1
    # an existing record shows its own
    code = registers.codes(demo, "interactions")[0]
    edit = view.edit_dialog(code)
    assert edit is not None
    qtbot.addWidget(edit)
    row = registers.get(demo, "interactions", code)
    assert edit.editors["source"].currentData() == row.values["source"]  # type: ignore[attr-defined]
    view.set_project(None)


def test_a_new_nonconformity_or_incident_is_dated_today_in_its_form(
    qtbot: QtBot, demo: Project
) -> None:
    """Added with the register's Add, a nonconformity had no "Raised on" (the panel's Raise
    did date it): the form now starts on today, for the user to see and change."""
    today = dt.date.today()
    view = make_view(qtbot, demo, "nonconformities")
    dialog = view.add_dialog()
    qtbot.addWidget(dialog)
    assert dialog.values()["raised_on"] == today
    assert dialog.values()["verified_on"] is None
    given = view.add_dialog({"raised_on": dt.date(2026, 1, 5)})
    qtbot.addWidget(given)
    assert given.values()["raised_on"] == dt.date(2026, 1, 5)
    view.set_project(None)

    incidents = make_view(qtbot, demo, "incidents")
    form = incidents.add_dialog()
    qtbot.addWidget(form)
    detected = form.values()["detected_at"]
    assert isinstance(detected, dt.datetime) and detected.date() == today
    assert form.values()["notified_at"] is None
    incidents.set_project(None)


def test_the_form_says_a_fields_help_under_it(qtbot: QtBot, demo: Project) -> None:
    """A field's help (what "Owner role" is beside "Owner") is a line under the field, not
    only a tooltip."""
    view = make_view(qtbot, demo, "processes")
    dialog = view.edit_dialog("PR-01")
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.show()
    spec = view.spec
    for name in ("owner", "owner_role"):
        hint = dialog.findChild(QLabel, f"help_{name}")
        assert hint is not None and hint.text() == spec.field(name).help
        assert hint.isVisible()
    assert dialog.findChild(QLabel, "help_purpose") is None  # no help, no line
    view.set_project(None)


def test_choosing_a_record_selects_it_whatever_keys_are_held(qtbot: QtBot, demo: Project) -> None:
    """select_code (the dashboard's Go, a search hit, a heat-map cell) selects the row alone:
    with Ctrl held, QTableView.selectRow toggled an already selected row off again."""
    view = make_view(qtbot, demo, "risks")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
    qtbot.keyPress(view.table, Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier)
    try:
        assert QApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier
        for _ in range(2):
            assert view.select_code("R-003")
            assert view.selected_codes() == ["R-003"]
        assert view.select_code("R-005")
        assert view.selected_codes() == ["R-005"]
    finally:
        qtbot.keyRelease(view.table, Qt.Key.Key_Control)
    view.set_project(None)
