"""The register table model: Qt's model contract, SQL sort and filter, lazy rows, colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from isms_desktop.domain.readiness import OVERDUE
from isms_desktop.services import registers
from isms_desktop.services.risk_method import current_method
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.registers.table_model import CODE_ROLE, ID_ROLE, RegisterTableModel

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    project = open_project(demo_path)
    try:
        yield project
    finally:
        project.close()


def _codes(model: RegisterTableModel) -> list[str]:
    return [model.index(row, 0).data(CODE_ROLE) for row in range(model.rowCount())]


@pytest.mark.parametrize("register", ["risks", "soa", "assets", "treatment", "people"])
def test_the_model_keeps_qts_model_contract(
    qtmodeltester: ModelTester, demo: Project, register: str
) -> None:
    model = RegisterTableModel(register)
    model.set_project(demo)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    # Sorting and filtering reorder and shrink the rows under the tester's eyes.
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_query(text="a")
    model.set_query(text="")
    qtmodeltester.check(model, force_py=True)


def test_an_empty_result_passes_the_model_tester(qtmodeltester: ModelTester, demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.set_project(demo)
    model.set_query(text="no risk is called like this")
    assert model.rowCount() == 0
    assert model.total == 44
    qtmodeltester.check(model, force_py=True)
    model.set_project(None)
    assert model.rowCount() == 0
    assert model.total == 0


def test_sorting_by_level_follows_the_risk_method_not_the_alphabet(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.set_project(demo)
    method = current_method(demo)
    model.sort(model.column_of("inherent_level"), Qt.SortOrder.DescendingOrder)

    rows = {r.code: r for r in registers.list_rows(demo, "risks")}
    ranks = [method.rank(rows[code].values["inherent_level"]) for code in _codes(model)]
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] > ranks[-1], "the demo has risks of several levels"


def test_sorting_by_a_person_sorts_by_name(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.set_project(demo)
    column = model.column_of("owner")
    model.sort(column)
    names = [model.index(row, column).data() or "" for row in range(model.rowCount())]
    filled = [n for n in names if n]
    assert filled == sorted(filled)


def test_the_text_filter_matches_a_python_reference(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.set_project(demo)
    needle = "data"
    model.set_query(text=needle.upper())

    expected = {
        row.code
        for row in registers.list_rows(demo, "risks")
        if any(
            needle in str(row.values.get(name) or "").lower()
            for name in ("code", "title", "description", "threat", "vulnerability")
        )
    }
    assert set(_codes(model)) == expected
    assert 0 < model.rowCount() < model.total == len(registers.list_rows(demo, "risks"))


def test_field_filters_combine_with_the_text_filter(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.set_project(demo)
    model.set_query(equals={"treatment": "retain"})
    retained = set(_codes(model))
    assert retained
    assert all(
        registers.get(demo, "risks", code).values["treatment"] == "retain" for code in retained
    )
    model.set_query(text="zzz-nothing-like-this")
    assert model.rowCount() == 0
    model.set_query(text="", equals={})
    assert model.rowCount() == model.total


def test_rows_are_fetched_lazily_a_page_at_a_time(demo: Project) -> None:
    model = RegisterTableModel("soa")
    model.PAGE = 10
    model.set_project(demo)
    assert model.rowCount() == 93
    assert model.fetches == 0, "nothing is fetched before it is shown"

    assert model.index(0, 1).data() == "Policies for information security"
    assert model.fetches == 1
    model.index(5, 1).data()
    assert model.fetches == 1, "the first page holds row 5 too"
    model.index(92, 0).data()
    assert model.fetches == 2


def test_levels_are_coloured_with_the_methods_colours(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.set_project(demo)
    method = current_method(demo)
    column = model.column_of("inherent_level")
    index = model.index(0, column)
    level = method.level_info(index.data(Qt.ItemDataRole.EditRole))
    assert level is not None
    assert index.data() == level.label
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == level.colour.lower()
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable


def test_cells_show_scale_labels_names_and_check_boxes(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.set_project(demo)
    row = registers.fetch(demo, "risks", model.ids()[:1])[0]
    likelihood = model.index(0, model.column_of("inherent_likelihood"))
    assert likelihood.data().startswith(f"{row.values['inherent_likelihood']} ")
    owner = model.index(0, model.column_of("owner"))
    assert owner.data() == row.display["owner"]
    assert owner.data(Qt.ItemDataRole.EditRole) == row.values["owner"]
    confidentiality = model.index(0, model.column_of("confidentiality"))
    assert confidentiality.data() is None
    expected = Qt.CheckState.Checked if row.values["confidentiality"] else Qt.CheckState.Unchecked
    assert confidentiality.data(Qt.ItemDataRole.CheckStateRole) == expected
    assert model.flags(confidentiality) & Qt.ItemFlag.ItemIsUserCheckable


def test_references_to_small_registers_show_their_names(demo: Project) -> None:
    model = RegisterTableModel("findings")
    model.set_project(demo)
    column = model.column_of("audit")
    code = model.index(0, column).data(Qt.ItemDataRole.EditRole)
    audit = registers.get(demo, "audits", code)
    assert model.index(0, column).data() == f"{code} – {audit.values['title']}"


def test_without_an_edit_handler_nothing_is_written(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.set_project(demo)
    index = model.index(0, model.column_of("title"))
    before = index.data()
    assert not model.setData(index, "Changed")
    assert model.index(0, model.column_of("title")).data() == before


def test_a_read_only_project_offers_no_editing(demo_path: Path) -> None:
    project = open_project(demo_path, read_only=True)
    try:
        model = RegisterTableModel("risks")
        model.set_project(project)
        flags = model.flags(model.index(0, model.column_of("title")))
        assert not flags & Qt.ItemFlag.ItemIsEditable
    finally:
        project.close()


def test_overdue_open_actions_are_flagged(demo: Project) -> None:
    model = RegisterTableModel("treatment")
    model.set_project(demo)
    column = model.column_of("due_date")
    today = dt.date.today()
    flagged = 0
    for row in range(model.rowCount()):
        rec = model.record(row)
        assert rec is not None
        index = model.index(row, column)
        due = rec.values["due_date"]
        overdue = (
            due is not None and due < today and rec.values["status"] not in ("done", "cancelled")
        )
        assert (index.data(Qt.ItemDataRole.ForegroundRole) is not None) is overdue
        if overdue:
            flagged += 1
            assert "Overdue" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert flagged > 0, "the demo's treatment plan has overdue actions"


@pytest.mark.parametrize(
    ("register", "dated"), [("treatment", "due_date"), ("risks", "next_review")]
)
def test_the_dates_shown_red_are_the_rows_the_overdue_filter_keeps(
    demo: Project, register: str, dated: str
) -> None:
    late = str(dt.date.today() - dt.timedelta(days=1))
    first, second = (r.code for r in registers.list_rows(demo, register)[:2])
    registers.update(demo, register, first, dated, late)  # late and still open
    registers.update(demo, register, first, "status", "Assessed" if register == "risks" else "Open")
    registers.update(demo, register, second, dated, late)
    registers.update(demo, register, second, "status", "Closed" if register == "risks" else "Done")
    model = RegisterTableModel(register)
    model.set_project(demo)
    column = model.column_of(dated)
    red = {
        model.index(row, 0).data(ID_ROLE)
        for row in range(model.rowCount())
        if model.index(row, column).data(Qt.ItemDataRole.ForegroundRole) is not None
    }
    assert red == set(registers.query_ids(demo, register, equals={OVERDUE: "yes"}))
    assert registers.id_of(demo, register, first) in red
    assert registers.id_of(demo, register, second) not in red


def test_pages_from_sql_show_every_row_once_in_order(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.PAGE = 7
    model.set_project(demo)
    model.sort(model.column_of("owner"), Qt.SortOrder.DescendingOrder)
    expected = registers.query_ids(demo, "risks", sort="owner", descending=True)
    shown = [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]
    assert shown == expected
    assert model.fetches == -(-len(expected) // 7), "one query per page"


def test_the_current_record_and_the_selection_follow_a_new_order(demo: Project) -> None:
    """After a sort the rows the user selected are still selected, wherever they moved,
    also when their new page has not been fetched (the place is asked of SQL)."""
    model = RegisterTableModel("risks")
    model.PAGE = 5
    model.set_project(demo)
    selection = QItemSelectionModel(model)
    picked = [3, 17, 30]
    for row in picked:
        selection.select(
            model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    selection.setCurrentIndex(model.index(17, 2), QItemSelectionModel.SelectionFlag.NoUpdate)
    codes = {model.index(row, 0).data(CODE_ROLE) for row in picked}
    current = model.index(17, 0).data(CODE_ROLE)

    model.sort(model.column_of("title"), Qt.SortOrder.DescendingOrder)
    order = [
        registers.fetch(demo, "risks", [i])[0].code
        for i in registers.query_ids(demo, "risks", sort="title", descending=True)
    ]
    rows = sorted({index.row() for index in selection.selectedRows()})
    assert rows == sorted(order.index(code) for code in codes)
    assert set(model.codes_of_rows(rows)) == codes
    assert selection.currentIndex().row() == order.index(current)
    assert selection.currentIndex().column() == 2
    # an unfetched record is found by code, at its place in the order
    model.sort(model.column_of("title"), Qt.SortOrder.AscendingOrder)
    last = order[0]  # first when descending: last when ascending
    assert model.row_of_code(last) == model.rowCount() - 1
    assert model.row_of_code("R-NOPE") is None


def test_codes_of_many_selected_rows_come_from_one_query(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.PAGE = 4
    model.set_project(demo)
    rows = list(range(2, model.rowCount(), 3))
    before = model.fetches
    codes = model.codes_of_rows(rows)
    assert model.fetches == before, "no page was fetched for the codes"
    every = [c for _i, c in registers.query_codes(demo, "risks", model.query)]
    assert codes == [every[r] for r in rows]


def test_a_large_filtered_result_is_counted_while_its_first_page_shows(
    qtbot: QtBot, qtmodeltester: ModelTester, demo: Project
) -> None:
    model = RegisterTableModel("risks")
    model.PAGE = 5
    model.COUNT_AHEAD_FROM = 0  # the demo counts as large
    model.set_project(demo)
    qtmodeltester.check(model, force_py=True)
    expected = registers.query_ids(demo, "risks", text="a")
    assert len(expected) > 5

    model.set_query(text="a")
    assert model.counting and model.rowCount() == 5, "the first page is shown at once"
    assert [model.index(r, 0).data(ID_ROLE) for r in range(5)] == expected[:5]
    qtbot.waitUntil(lambda: not model.counting, timeout=10_000)
    assert model.rowCount() == len(expected)
    assert [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())] == expected

    # a new order of the same rows needs no new count
    model.sort(model.column_of("title"))
    assert not model.counting and model.rowCount() == len(expected)
    # a result smaller than a page is counted by its first page
    model.set_query(text="zzz-nothing")
    assert not model.counting and model.rowCount() == 0
    # a count still running when the project goes is dropped
    model.set_query(text="a")
    assert model.counting
    model.set_project(None)
    assert not model.counting and model.rowCount() == 0


def test_after_an_edit_a_large_filtered_view_keeps_its_place_and_corrects_its_count(
    qtbot: QtBot, qtmodeltester: ModelTester, demo: Project
) -> None:
    model = RegisterTableModel("risks")
    model.PAGE = 5
    model.COUNT_AHEAD_FROM = 0
    model.set_project(demo)
    qtmodeltester.check(model, force_py=True)
    model.set_query(text="a")
    qtbot.waitUntil(lambda: not model.counting, timeout=10_000)
    before = model.rowCount()
    kept = QItemSelectionModel(model)
    kept.setCurrentIndex(model.index(7, 1), QItemSelectionModel.SelectionFlag.NoUpdate)
    current = model.index(7, 0).data(CODE_ROLE)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    # an edit of another record takes it out of the filter
    gone = model.index(0, 0).data(CODE_ROLE)
    registers.update(demo, "risks", gone, "title", "Zzz")
    registers.update(demo, "risks", gone, "description", "")
    registers.update(demo, "risks", gone, "threat", "")
    registers.update(demo, "risks", gone, "vulnerability", "")
    model.reload()
    assert not resets, "the view is not reset (its scroll position and selection stay)"
    assert model.counting
    qtbot.waitUntil(lambda: not model.counting, timeout=10_000)
    assert model.rowCount() == before - 1 == len(registers.query_ids(demo, "risks", text="a"))
    assert kept.currentIndex().data(CODE_ROLE) == current
    assert gone not in model.codes_of_rows(list(range(model.rowCount())))


def test_records_of_many_rows_are_read_in_long_runs(demo: Project) -> None:
    model = RegisterTableModel("risks")
    model.PAGE = 3
    model.set_project(demo)
    model.sort(model.column_of("title"), Qt.SortOrder.DescendingOrder)
    model.index(4, 0).data()  # one page fetched and cached
    rows = [0, 4, 5, 9, 10, 11, 25, model.rowCount() - 1, model.rowCount() + 5]
    every = registers.query_ids(demo, "risks", sort="title", descending=True)
    got = [rec.id for rec in model.records_of_rows(rows, chunk=8)]
    assert got == [every[r] for r in rows if r < len(every)]
