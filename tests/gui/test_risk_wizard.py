"""The new-risk wizard end to end: suggestions from the catalogue, scores with the scale
descriptions, the risk recorded with its computed levels, and Undo removing it."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from isms_desktop.domain.register_specs import SOA
from isms_desktop.services import registers
from isms_desktop.services import risk_wizard as risk_wizard_service
from isms_desktop.services import soa as soa_service
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.risk_wizard import RiskWizard, open_risk_wizard

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def demo_window(qtbot: QtBot, demo_path: Path) -> Iterator[MainWindow]:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_path(demo_path)
    yield window
    window.close_project()


def _tick(page: object, code: str) -> None:
    lst = page.list  # type: ignore[attr-defined]
    for row in range(lst.count()):
        item = lst.item(row)
        if item.data(Qt.ItemDataRole.UserRole + 1) == code:
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(code)


def test_the_wizard_records_a_risk_that_undo_removes(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    wizard = open_risk_wizard(demo_window)
    assert isinstance(wizard, RiskWizard)
    qtbot.addWidget(wizard)
    before = registers.count(demo_window.project, "risks")  # type: ignore[arg-type]
    wizard.resize(800, 650)

    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    _tick(wizard.asset_page, "A-024")  # endpoint management: a service
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.next()

    threats = wizard.threat_page.list
    first = threats.item(0)
    assert first.text().startswith("★"), "threats that fit the asset's type come first"
    threats.setCurrentRow(0)
    wizard.next()
    vulns = wizard.vulnerability_page.list
    assert vulns.item(0).text().startswith("★")
    vulns.setCurrentRow(0)
    wizard.next()

    assert wizard.title_edit.text(), "a title is proposed from threat and weakness"
    wizard.consequences_edit.setPlainText("Laptops unmanaged; client data exposed")
    wizard.next()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.inherent_page.set_scores(4, 4)
    assert "Risk level" in wizard.inherent_page.level_label.text()
    wizard.inherent_page.grab().save(str(tmp_path / "scores.png"))
    wizard.next()

    assert "acceptance level" in wizard.treatment_note.text()
    wizard.treatment_buttons["modify"].setChecked(True)
    wizard.next()
    suggested = [
        wizard.controls_page.list.item(r).data(Qt.ItemDataRole.UserRole + 1)
        for r in range(wizard.controls_page.list.count())
        if wizard.controls_page.list.item(r).text().startswith("★")
    ]
    assert suggested, "the threat's typical controls are suggested"
    _tick(wizard.controls_page, suggested[0])
    wizard.next()
    assert wizard.residual_page.scores() == (4, 4), "residual starts from the inherent scores"
    wizard.residual_page.set_scores(2, 2)
    wizard.next()
    wizard.owner_box.setCurrentIndex(wizard.owner_box.findData("P-003"))
    assert "Residual level" in wizard.summary.text()
    assert "The risk to be recorded" in wizard.summary.text()
    if wizard.isVisible():  # the summary sits under the owner, not halfway down the page
        gap = wizard.summary.geometry().top() - wizard.owner_box.geometry().bottom()
        assert 0 <= gap < 40, gap
    wizard.accept()

    assert wizard.created is not None
    project = demo_window.project
    assert project is not None
    risk = registers.get(project, "risks", wizard.created.code)
    assert risk.values["assets"] == ["A-024"]
    assert risk.values["controls"] == [suggested[0]]
    assert risk.values["treatment"] == "modify"
    assert risk.values["inherent_level"] and risk.values["residual_level"]
    assert registers.count(project, "risks") == before + 1

    demo_window.undo_stack.undo()
    assert registers.count(project, "risks") == before
    demo_window.undo_stack.redo()
    assert registers.count(project, "risks") == before + 1


def _open_at(qtbot: QtBot, window: MainWindow, page_name: str) -> tuple[RiskWizard, QWidget]:
    """The wizard shown at its own size on ``page_name``, the pages before it answered."""
    wizard = open_risk_wizard(window)
    assert isinstance(wizard, RiskWizard)
    qtbot.addWidget(wizard)
    wizard.resize(760, 620)
    page = getattr(wizard, page_name)
    while wizard.currentPage() is not page:
        if wizard.currentPage() is wizard.asset_page:
            _tick(wizard.asset_page, "A-024")
        elif wizard.currentPage() in (wizard.threat_page, wizard.vulnerability_page):
            wizard.currentPage().list.setCurrentRow(0)  # type: ignore[attr-defined]
        wizard.next()
    qtbot.waitUntil(page.isVisible, timeout=5000)
    return wizard, page


@pytest.mark.parametrize("page_name", ["asset_page", "controls_page"])
def test_pages_of_ticked_items_show_nothing_over_their_filter(
    qtbot: QtBot, demo_window: MainWindow, page_name: str
) -> None:
    _wizard, page = _open_at(qtbot, demo_window, page_name)
    box = page.filter  # type: ignore[attr-defined]
    covering = [
        child
        for child in page.findChildren(QWidget)
        if child.parentWidget() is page
        and child is not box
        and child.isVisible()
        and child.geometry().intersects(box.geometry())
    ]
    assert covering == [], "nothing may lie over the filter box"
    assert not page.own.isVisible()  # type: ignore[attr-defined]


def test_scale_descriptions_are_shown_in_full_not_squeezed(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    # at its own size: the demo's 5 x 5 impact texts are long
    wizard, page = _open_at(qtbot, demo_window, "inherent_page")
    descriptions = [
        label
        for label in page.findChildren(QLabel)
        if label.wordWrap() and label is not wizard.inherent_page.level_label and label.isVisible()
    ]
    assert len(descriptions) == 10
    for label in descriptions:
        needed = label.heightForWidth(label.width())
        assert label.height() >= needed, f"{label.text()[:30]!r} is cut off"


def _pick(page: object, code: str) -> None:
    lst = page.list  # type: ignore[attr-defined]
    for row in range(lst.count()):
        if lst.item(row).data(Qt.ItemDataRole.UserRole + 1) == code:
            lst.setCurrentRow(row)
            return
    raise AssertionError(code)


def _ticked(wizard: RiskWizard) -> set[str]:
    return {name for name, box in wizard.cia.items() if box.isChecked()}


def test_back_and_next_keep_the_threat_picked_and_its_proposals_follow_a_new_one(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    wizard, _page = _open_at(qtbot, demo_window, "threat_page")
    _pick(wizard.threat_page, "G 0.1")  # Fire: integrity and availability
    wizard.next()
    _pick(wizard.vulnerability_page, "V28")
    wizard.next()
    assert wizard.title_edit.text().startswith("Fire:")
    assert _ticked(wizard) == {"integrity", "availability"}, "every property the threat affects"

    # Back to the threat and forward again, changing nothing: still the catalogue's Fire
    wizard.back()
    wizard.back()
    assert wizard.threat_page.list.currentItem() is not None
    wizard.next()
    assert wizard.draft.threat_code == "G 0.1"
    wizard.next()
    assert wizard.draft.vulnerability_code == "V28"
    assert wizard.title_edit.text().startswith("Fire:")

    # another threat: the proposed title and properties follow it
    wizard.back()
    wizard.back()
    _pick(wizard.threat_page, "G 0.39")  # Malware
    wizard.next()
    _pick(wizard.vulnerability_page, "V01")
    wizard.next()
    assert wizard.draft.threat_code == "G 0.39"
    assert wizard.title_edit.text().startswith("Malware:"), wizard.title_edit.text()
    assert _ticked(wizard) == {"confidentiality", "integrity", "availability"}

    # what the user wrote and ticked themselves is theirs: a later change of threat keeps it
    wizard.title_edit.setText("Malware on the build server")
    wizard.cia["availability"].setChecked(False)
    wizard.back()
    wizard.back()
    _pick(wizard.threat_page, "G 0.1")
    wizard.next()
    wizard.next()
    assert wizard.title_edit.text() == "Malware on the build server"
    assert _ticked(wizard) == {"confidentiality", "integrity"}


def test_retaining_a_risk_above_the_acceptance_level_says_who_must_accept_it(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    wizard, _page = _open_at(qtbot, demo_window, "inherent_page")
    wizard.inherent_page.set_scores(5, 5)  # critical: above "acceptable up to Medium"
    wizard.next()
    note = wizard.treatment_note
    assert note.text() == "This risk is above the acceptance level: it needs treatment."
    wizard.treatment_buttons["retain"].setChecked(True)
    assert "explicit decision to accept it" in note.text()
    assert "Risk owner; above this level: top management" in note.text()  # the demo's method
    assert "acceptance fields" in note.text()
    wizard.treatment_buttons["modify"].setChecked(True)
    assert note.text() == "This risk is above the acceptance level: it needs treatment."

    wizard.back()
    wizard.inherent_page.set_scores(1, 1)  # low: within the acceptance level
    wizard.next()
    wizard.treatment_buttons["retain"].setChecked(True)
    assert note.text() == "This risk is within the acceptance level: retaining it is possible."


def test_the_summary_names_the_risk_owner_chosen(qtbot: QtBot, demo_window: MainWindow) -> None:
    wizard, _page = _open_at(qtbot, demo_window, "inherent_page")
    wizard.inherent_page.set_scores(2, 2)
    wizard.next()
    wizard.treatment_buttons["modify"].setChecked(True)
    for _ in range(3):
        wizard.next()
    assert wizard.currentPage() is wizard.owner_page
    assert "Risk owner" in wizard.summary.text()
    index = wizard.owner_box.findData("P-003")
    wizard.owner_box.setCurrentIndex(index)
    assert html.escape(wizard.owner_box.itemText(index)) in wizard.summary.text()
    wizard.owner_box.setCurrentIndex(0)  # (choose later)
    assert "(choose later)" not in wizard.summary.text()
    assert "P-003" not in wizard.summary.text()


def test_a_risk_to_modify_needs_a_control_one_retained_does_not(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    wizard, _page = _open_at(qtbot, demo_window, "inherent_page")
    wizard.inherent_page.set_scores(4, 4)
    wizard.next()
    wizard.treatment_buttons["modify"].setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.controls_page
    next_button = wizard.button(wizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    assert "at least one" in wizard.controls_page.subTitle()
    code = wizard.controls_page.list.item(0).data(Qt.ItemDataRole.UserRole + 1)
    _tick(wizard.controls_page, code)
    assert next_button.isEnabled()

    wizard.back()
    wizard.treatment_buttons["retain"].setChecked(True)
    wizard.next()
    wizard.controls_page.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert wizard.controls_page.checked_codes() == []
    assert next_button.isEnabled()
    assert "if any" in wizard.controls_page.subTitle()


def test_the_residual_page_shows_the_inherent_score_and_questions_a_higher_one(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    wizard, _page = _open_at(qtbot, demo_window, "inherent_page")
    wizard.inherent_page.set_scores(3, 4)  # high
    wizard.next()
    wizard.treatment_buttons["modify"].setChecked(True)
    wizard.next()
    _tick(
        wizard.controls_page, wizard.controls_page.list.item(0).data(Qt.ItemDataRole.UserRole + 1)
    )
    wizard.next()
    page = wizard.residual_page
    assert wizard.currentPage() is page
    assert "Before treatment: High (3 Possible × 4 Major)." in page.subTitle()
    assert "Higher than before treatment" not in page.level_label.text()
    page.set_scores(4, 4)
    assert "Higher than before treatment" in page.level_label.text()
    page.set_scores(2, 2)
    assert "Higher than before treatment" not in page.level_label.text()


def test_the_summary_names_assets_and_controls_and_asks_for_acceptance_above_the_level(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    wizard, _page = _open_at(qtbot, demo_window, "inherent_page")
    wizard.inherent_page.set_scores(4, 5)  # critical
    wizard.next()
    wizard.treatment_buttons["modify"].setChecked(True)
    wizard.next()
    _tick(wizard.controls_page, "8.1")
    wizard.next()
    wizard.residual_page.set_scores(2, 5)  # high: above the demo's "up to Medium"
    wizard.next()
    summary = html.unescape(wizard.summary.text())
    assert "A-024 Endpoint management" in summary
    assert "8.1 User endpoint devices" in summary
    assert "The residual risk (High) stays above the acceptance level (Medium)" in summary
    assert "Risk owner; above this level: top management" in summary
    assert "acceptance fields" in summary

    wizard.back()
    wizard.residual_page.set_scores(1, 2)  # low: acceptable, nothing to ask
    wizard.next()
    assert "stays above the acceptance level" not in wizard.summary.text()


def test_controls_show_the_soa_status_as_the_soa_does_and_excluded_ones_visibly(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    """Tooltips use the SoA register's labels; a control the SoA excludes is greyed and
    says so in the list; ticking it says on the page (and in the summary) what recording
    the risk does: with "Make it applicable in the SoA as well" unticked, the risk selects
    it, the SoA stays as it is and warns."""
    project = demo_window.project
    assert project is not None
    labels = SOA.field("status").choice_labels
    soa_rows = {row.code: row.values for row in registers.list_rows(project, "soa")}
    suggestions = {s.code: s for s in risk_wizard_service.controls(project, "", "")}
    partial = next(c for c, v in soa_rows.items() if v["status"] == "partially_implemented")
    assert suggestions[partial].detail == (
        f"Implementation status: {labels['partially_implemented']}"
    )
    assert all("_" not in s.detail for s in suggestions.values())
    excluded = sorted(c for c, v in soa_rows.items() if v["applicable"] is False)
    assert excluded == ["7.4", "8.30"]  # the demo's exclusions
    assert [c for c, s in suggestions.items() if s.excluded] == ["7.4", "8.30"]
    assert risk_wizard_service.excluded_controls(project, ["8.1", "8.30", "7.4"]) == [
        "8.30",
        "7.4",
    ]

    wizard, _page = _open_at(qtbot, demo_window, "inherent_page")
    wizard.inherent_page.set_scores(3, 3)
    wizard.next()
    wizard.treatment_buttons["modify"].setChecked(True)
    wizard.next()
    page = wizard.controls_page
    items = {
        page.list.item(r).data(Qt.ItemDataRole.UserRole + 1): page.list.item(r)
        for r in range(page.list.count())
    }
    grey = page.palette().color(QPalette.ColorRole.PlaceholderText)
    item = items["7.4"]
    assert item.text().endswith("— excluded in the SoA")
    assert item.toolTip() == risk_wizard_service.EXCLUDED_IN_SOA
    assert item.foreground().color() == grey
    assert items["8.1"].foreground().color() != grey
    assert "excluded" not in items["8.1"].text()
    assert not wizard.excluded_note.isVisible()

    assert not wizard.include_box.isVisible()

    _tick(page, "7.4")
    _tick(page, "8.1")
    assert wizard.include_box.isVisible() and wizard.include_box.isChecked()
    assert wizard.include_box.text() == "Make it applicable in the SoA as well"
    wizard.include_box.setChecked(False)
    note = wizard.excluded_note.text()
    assert wizard.excluded_note.isVisible()
    assert note.startswith("7.4 Physical security monitoring is excluded in the SoA")
    assert "SoA is not changed" in note and "make it applicable" in note
    assert "8.1" not in note
    page.list.scrollToItem(item)
    page.grab().save(str(tmp_path / "excluded.png"))
    wizard.next()
    wizard.residual_page.set_scores(2, 2)
    wizard.next()
    summary = html.unescape(wizard.summary.text())
    assert "7.4 Physical security monitoring is excluded in the SoA" in summary
    wizard.accept()

    assert wizard.created is not None
    code = wizard.created.code
    assert registers.get(project, "risks", code).values["controls"] == ["7.4", "8.1"]
    assert registers.get(project, "soa", "7.4").values["applicable"] is False  # unchanged
    assert wizard.included == ()
    warned = [w for w in soa_service.warnings(project) if w.rule == "selected_but_excluded"]
    assert [(w.code, code in w.message) for w in warned] == [("7.4", True)]


def test_the_excluded_note_follows_unticking(qtbot: QtBot, demo_window: MainWindow) -> None:
    wizard, _page = _open_at(qtbot, demo_window, "inherent_page")
    wizard.inherent_page.set_scores(3, 3)
    wizard.next()
    wizard.treatment_buttons["modify"].setChecked(True)
    wizard.next()
    _tick(wizard.controls_page, "7.4")
    _tick(wizard.controls_page, "8.30")
    assert wizard.excluded_note.text().startswith(
        "7.4 Physical security monitoring; 8.30 Outsourced development are excluded"
    )
    for row in range(wizard.controls_page.list.count()):
        wizard.controls_page.list.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert wizard.excluded_note.isHidden()
    wizard.back()
    wizard.next()  # the page refilled: still nothing ticked, nothing said
    assert wizard.excluded_note.isHidden()


def test_excluded_controls_made_applicable_with_the_risk_in_one_undo_step(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    """Left ticked, "Make them applicable in the SoA as well" includes the excluded controls
    in the SoA as the risk is recorded (status Planned, the exclusion's justification gone,
    no "selected but excluded" warning); one Undo takes back the risk and the SoA's change,
    Redo makes both again."""
    project = demo_window.project
    assert project is not None
    before = {code: registers.get(project, "soa", code).values for code in ("7.4", "8.30")}
    assert all(v["applicable"] is False and v["justification"] for v in before.values())
    wizard, _page = _open_at(qtbot, demo_window, "inherent_page")
    wizard.inherent_page.set_scores(3, 3)
    wizard.next()
    wizard.treatment_buttons["modify"].setChecked(True)
    wizard.next()
    _tick(wizard.controls_page, "8.30")
    _tick(wizard.controls_page, "7.4")
    assert wizard.include_box.isChecked()
    assert wizard.include_box.text() == "Make them applicable in the SoA as well"
    note = wizard.excluded_note.text()
    assert "also makes them applicable" in note and "Undo reverts both" in note
    wizard.controls_page.grab().save(str(tmp_path / "include.png"))
    wizard.next()
    wizard.residual_page.set_scores(2, 2)
    wizard.next()
    assert "also makes them applicable" in html.unescape(wizard.summary.text())
    risks_before = registers.count(project, "risks")
    wizard.accept()

    assert wizard.created is not None
    code = wizard.created.code
    assert [(c.code, c.field) for c in wizard.included] == [
        ("7.4", "applicable"),
        ("7.4", "status"),
        ("7.4", "justification"),
        ("8.30", "applicable"),
        ("8.30", "status"),
        ("8.30", "justification"),
    ]  # in the list's order, whatever order they were ticked in

    def soa(code_: str) -> dict[str, object]:
        return registers.get(project, "soa", code_).values

    for control in ("7.4", "8.30"):
        assert soa(control)["applicable"] is True
        assert soa(control)["status"] == "planned"
        assert soa(control)["justification"] == ""
        assert code in soa(control)["risks"]  # type: ignore[operator]
    assert not [w for w in soa_service.warnings(project) if w.rule == "selected_but_excluded"]
    stack = demo_window.undo_stack
    assert stack.undoText() == f"Add {code} and include 7.4, 8.30 in the SoA"

    stack.undo()
    assert registers.count(project, "risks") == risks_before
    for control, values in before.items():
        assert soa(control)["applicable"] is False
        assert soa(control)["status"] == values["status"]
        assert soa(control)["justification"] == values["justification"]

    stack.redo()
    assert registers.get(project, "risks", code).values["controls"] == ["7.4", "8.30"]
    assert all(soa(c)["applicable"] is True for c in ("7.4", "8.30"))


def test_the_risks_tab_offers_the_wizard_beside_add(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path
) -> None:
    demo_window.resize(1280, 800)
    demo_window.go_to_area("risks")
    tab = demo_window.area_tab("risks")
    view = tab.views["risks"]  # type: ignore[attr-defined]
    button = view.buttons["guided"]
    bar_order = [view.toolbar.widgetForAction(a) for a in view.toolbar.actions()]
    assert bar_order.index(button) == bar_order.index(view.buttons["add"]) + 1
    assert button.text() == "Add Guided" and not button.icon().isNull()  # (Qt drops the …)
    assert button.isEnabled()
    view.grab().save(str(tmp_path / "risks-toolbar.png"))
    button.click()
    wizard = demo_window.risk_wizard
    assert isinstance(wizard, RiskWizard)
    qtbot.waitUntil(wizard.isVisible, timeout=5000)
    wizard.reject()
    # other registers have no such button
    assert "guided" not in tab.views["treatment"].buttons  # type: ignore[attr-defined]
