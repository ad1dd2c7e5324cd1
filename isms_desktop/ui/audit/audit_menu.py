"""The Audit menu of the main window: audit mode and programme coverage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from isms_desktop.storage.project_file import Project
from isms_desktop.ui.icons import action_icon


def add_audit_menu(window: QMainWindow, project: Callable[[], Project | None]) -> QMenu:
    """Add "Audit ▸ Work through checklist…" and "Programme coverage…" before Help."""
    bar = window.menuBar()
    menu = QMenu(window.tr("&Audit"), window)
    work = QAction(window.tr("&Work through Checklist…"), window)
    work.setShortcut(QKeySequence("Ctrl+Shift+A"))
    work.setStatusTip(window.tr("Answer an audit's checklist item by item with the keyboard"))
    cover = QAction(window.tr("Programme &Coverage…"), window)
    cover.setStatusTip(window.tr("Which clauses and controls the audit programme covers"))
    work.setIcon(action_icon("audit"))
    cover.setIcon(action_icon("heat-map"))
    menu.addAction(work)
    menu.addAction(cover)

    def open_dialog(kind: Literal["work", "coverage"]) -> None:
        current = project()
        if current is None:
            QMessageBox.information(window, window.tr("Audit"), window.tr("Open a project first."))
            return
        # (the dialogs' module loads when first opened, not with the window)
        from isms_desktop.ui.audit.audit_dialog import AuditModeDialog, CoverageDialog

        dialog = AuditModeDialog if kind == "work" else CoverageDialog
        dialog(current, window).exec()

    work.triggered.connect(lambda: open_dialog("work"))
    cover.triggered.connect(lambda: open_dialog("coverage"))

    def enable() -> None:
        for action in (work, cover):
            action.setEnabled(project() is not None)

    menu.aboutToShow.connect(enable)
    help_menu = next(
        (a for a in bar.actions() if a.menu() is not None and "Help" in a.text()), None
    )
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    window.addAction(work)
    return menu
