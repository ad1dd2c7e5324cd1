"""The action icons (files, rendering, palette, where they are set), the About box with its
licences dialog, and macOS's file-open event."""

from __future__ import annotations

import gc
import importlib.metadata as metadata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QColor, QFileOpenEvent, QIcon, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QMenu, QPushButton
from pytestqt.qtbot import QtBot

from isms_desktop import __version__
from isms_desktop.catalog.resources import resources_dir
from isms_desktop.ui.app import FileOpenHandler
from isms_desktop.ui.icons import action_icon, action_icon_names, actions_dir, recoloured
from isms_desktop.ui.licences_dialog import (
    ENTRIES,
    LicencesDialog,
    bundled_components,
    declared_licence,
    licence_path,
)
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.soa_versions import SoaVersionsPanel

pytestmark = pytest.mark.timeout(60)

REQUIRED = {
    "new", "open", "save-copy", "close", "export-excel", "import", "report-pdf", "undo", "redo",
    "find", "add", "edit", "duplicate", "delete", "attach", "filter", "clear-filter", "columns",
    "wizard", "risk-method", "encrypt", "history", "backup-restore", "server", "approve",
    "compare", "print", "diagram", "heat-map", "audit",
}  # fmt: skip

# Menu entries that deliberately have no icon (the rest of File, Edit, Project, Documents and
# Audit must have one).
WITHOUT_ICON = {"&Quit", "Open &Recent", "&Export", "&Publish to Server…"}


def painted(image: QImage) -> list[QColor]:
    """The colours of the pixels that are not (almost) transparent."""
    return [
        image.pixelColor(x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 128
    ]


def lightness(colours: list[QColor]) -> float:
    return sum(c.lightness() for c in colours) / len(colours)


# -- the icon files ----------------------------------------------------------------------------


def test_every_required_action_icon_is_there() -> None:
    assert set(action_icon_names()) >= REQUIRED


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_svg_parses_and_renders_offscreen(qapp: QApplication, name: str) -> None:
    path = actions_dir() / f"{name}.svg"
    text = path.read_text(encoding="utf-8")
    assert 'viewBox="0 0 24 24"' in text
    assert "currentColor" in text
    assert QSvgRenderer(str(path)).isValid()
    pixmap = QIcon(str(path)).pixmap(24, 24)  # Qt's own SVG engine, as a file viewer would
    assert not pixmap.isNull()
    assert len(painted(pixmap.toImage())) > 20
    ours = action_icon(name).pixmap(QSize(24, 24))
    assert not ours.isNull()
    assert len(painted(ours.toImage())) > 20


def test_all_line_icons_share_one_stroke_width() -> None:
    widths = set()
    for path in actions_dir().glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        widths.update(part.split('"')[1] for part in text.split("stroke-width=")[1:])
    assert widths == {"2"}


def test_a_missing_icon_is_empty_and_icons_are_cached(qapp: QApplication) -> None:
    assert action_icon("no-such-icon").isNull()
    assert action_icon("add").cacheKey() == action_icon("add").cacheKey()


def test_a_changed_copy_of_an_icon_is_safe(qapp: QApplication) -> None:
    """Changing a copy makes Qt clone the engine; the clone must outlive Python's garbage."""
    original = action_icon("edit")
    for _ in range(20):
        copy = QIcon(original)
        copy.addFile(str(actions_dir() / "add.svg"), QSize(64, 64))
        gc.collect()
        assert not copy.pixmap(24, 24).isNull()
        del copy
    gc.collect()
    assert not original.pixmap(24, 24).isNull()


def test_icons_follow_the_palette_for_dark_schemes(qapp: QApplication) -> None:
    saved = QPalette(qapp.palette())
    try:
        for window_colour, text_colour in (("#f0f0f0", "#101010"), ("#202124", "#f1f1f1")):
            palette = QPalette(saved)
            palette.setColor(QPalette.ColorRole.Window, QColor(window_colour))
            palette.setColor(QPalette.ColorRole.WindowText, QColor(text_colour))
            qapp.setPalette(palette)
            image = action_icon("delete").pixmap(QSize(48, 48)).toImage()
            shade = lightness(painted(image))
            if QColor(window_colour).lightness() > 128:
                assert shade < 80  # dark grey on a light window
            else:
                assert shade > 170  # light grey on a dark one
    finally:
        qapp.setPalette(saved)


def test_recolouring_replaces_only_the_root_colour() -> None:
    svg = '<svg color="#4a4f57" viewBox="0 0 24 24"><path stroke="currentColor"/></svg>'
    assert recoloured(svg, "#ffffff") == svg.replace("#4a4f57", "#ffffff")
    assert 'color="#123456"' in recoloured("<svg><path/></svg>", "#123456")


def test_the_icons_licence_is_noted() -> None:
    text = (resources_dir() / "icons" / "LICENSE.md").read_text(encoding="utf-8")
    assert "original work" in text
    assert "GPL-3.0-or-later" in text
    assert "CC0" in text


# -- where the icons are set -------------------------------------------------------------------


def _menu_actions(menu: QMenu) -> list[tuple[QMenu, str, QIcon]]:
    return [
        (menu, action.text(), action.icon())
        for action in menu.actions()
        if not action.isSeparator()
    ]


def test_the_menus_actions_have_icons(window: MainWindow) -> None:
    bar = window.menuBar()
    menus = {a.text(): a.menu() for a in bar.actions() if isinstance(a.menu(), QMenu)}
    checked = 0
    for title in ("&File", "&Edit", "&Project", "&Documents", "&Audit"):
        menu = menus[title]
        assert isinstance(menu, QMenu)
        for _menu, text, icon in _menu_actions(menu):
            if text in WITHOUT_ICON:
                continue
            assert not icon.isNull(), f"{title} ▸ {text} has no icon"
            assert not icon.pixmap(16, 16).isNull()
            checked += 1
    assert checked >= 16
    export = window.export_menu
    assert all(not icon.isNull() for _m, _t, icon in _menu_actions(export))
    for action in (
        window.new_action,
        window.open_action,
        window.save_copy_action,
        window.close_action,
        window.undo_action,
        window.redo_action,
        window.find_action,
        window.encryption_action,
        window.risk_wizard_action,
        window.export_excel_action,
        window.import_action,
        window.export_report_action,
    ):
        assert not action.icon().isNull(), action.text()


def test_the_register_tool_bar_has_icons(qtbot: QtBot) -> None:
    view = RegisterView("risks")
    qtbot.addWidget(view)
    for name, button in view.buttons.items():
        assert not button.icon().isNull(), name
    for button in (view.clear_filters_button, view.columns_button, view.attachments_button):
        assert not button.icon().isNull(), button.text()
    assert view.filter_edit.actions(), "the filter field shows a filter icon"
    view.show()
    qtbot.waitExposed(view)
    view.grab().save("/tmp/shots/register_toolbar.png")


def test_the_soa_versions_buttons_have_icons(qtbot: QtBot) -> None:
    panel = SoaVersionsPanel()
    qtbot.addWidget(panel)
    buttons = [panel.approve_button, panel.compare_button, panel.print_button]
    assert all(isinstance(b, QPushButton) and not b.icon().isNull() for b in buttons)


# -- About and licences ------------------------------------------------------------------------


def test_about_box_offers_the_licences_of_bundled_components(
    qtbot: QtBot, window: MainWindow
) -> None:
    box = window.show_about()
    qtbot.waitExposed(box)
    text = box.text()
    for needle in (__version__, "Python", "PySide6", "GPL-3.0-or-later", "LGPL-3.0"):
        assert needle in text
    box.grab().save("/tmp/shots/about.png")
    (licences,) = [b for b in box.buttons() if "Licences" in b.text()]
    licences.click()
    dialog = window.licences_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert isinstance(dialog, LicencesDialog)
    dialog.close()


def test_the_help_menu_opens_the_licences(window: MainWindow) -> None:
    window.licences_action.trigger()
    assert window.licences_dialog.isVisible()
    window.licences_dialog.close()


@pytest.fixture
def licences(qtbot: QtBot) -> Iterator[LicencesDialog]:
    dialog = LicencesDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


def test_the_licences_dialog_lists_every_component_with_its_licence(
    licences: LicencesDialog,
) -> None:
    table = licences.table
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    for needle in (
        "isms-desktop", "Qt 6", "PySide6", "SQLAlchemy", "Alembic", "openpyxl", "platformdirs",
        "python-calamine", "PyYAML", "python-docx", "ReportLab", "sqlcipher3", "psycopg",
        "lxml", "DejaVu",
    ):  # fmt: skip
        assert any(needle in name for name in names), needle
    for row in range(table.rowCount()):
        assert table.item(row, 2).text().strip(), f"{names[row]} has no licence name"
    by_name = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert by_name["isms-desktop"] == "GPL-3.0-or-later"
    assert "LGPL-3.0" in by_name["Qt 6"]
    assert "LGPL-3.0" in by_name["PySide6 and Shiboken6"]
    assert "BSD" in by_name["sqlcipher3 with SQLCipher"]
    assert "MIT" in by_name["SQLAlchemy"]
    # versions read at run time from the installed packages
    version = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert version["SQLAlchemy"] == metadata.version("SQLAlchemy")
    assert version["isms-desktop"] == __version__
    licences.grab().save("/tmp/shots/licences.png")


def test_the_licences_dialog_shows_the_gpl_and_each_text(licences: LicencesDialog) -> None:
    assert licence_path().is_file()
    shown = licences.text.toPlainText()
    assert "GNU GENERAL PUBLIC LICENSE" in shown and "Version 3" in shown
    assert str(licence_path()) in licences.path_label.text()
    rows = {licences.table.item(r, 0).text(): r for r in range(licences.table.rowCount())}
    licences.table.selectRow(rows["Qt 6"])
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in licences.text.toPlainText()
    licences.table.selectRow(rows["DejaVu fonts"])
    assert "Bitstream" in licences.text.toPlainText()
    licences.table.selectRow(rows["sqlcipher3 with SQLCipher"])
    assert "ZETETIC" in licences.text.toPlainText()
    licences.table.selectRow(rows["SQLAlchemy"])
    assert "Permission is hereby granted" in licences.text.toPlainText()


def test_every_component_has_a_licence_text_here() -> None:
    """In this installation every component's text is found (package files or resources)."""
    for component in bundled_components():
        assert component.licence.strip(), component.name
        assert len(component.text) > 300, f"no licence text for {component.name}"


def test_licence_names_fall_back_to_the_table_and_read_classifiers() -> None:
    assert declared_licence(metadata.metadata("openpyxl")) == "MIT"
    assert "BSD" in declared_licence(metadata.metadata("reportlab"))
    assert declared_licence(metadata.metadata("sqlcipher3")) == ""  # declares none: the table
    assert {e.distribution for e in ENTRIES} >= {"sqlcipher3", "psycopg", "lxml", "reportlab"}


# -- macOS: a .isms file opened while the application runs -------------------------------------


def test_a_file_open_event_opens_the_project(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, project_file: Path
) -> None:
    handler = FileOpenHandler(qapp)
    try:
        handler.attach(window)
        QCoreApplication.postEvent(qapp, QFileOpenEvent(str(project_file)))
        qtbot.waitUntil(lambda: window.project is not None, timeout=10_000)
        assert window.project is not None and window.project.path == project_file
    finally:
        qapp.removeEventFilter(handler)
        handler.deleteLater()


def test_a_file_open_event_before_the_window_waits_for_it(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, project_file: Path
) -> None:
    handler = FileOpenHandler(qapp)
    try:
        QCoreApplication.sendEvent(qapp, QFileOpenEvent(str(project_file)))
        assert handler.pending == [project_file]
        assert window.project is None
        handler.attach(window)
        qtbot.waitUntil(lambda: window.project is not None, timeout=10_000)
        assert handler.pending == []
    finally:
        qapp.removeEventFilter(handler)
        handler.deleteLater()
