"""Starting the program imports only what the first window needs: the libraries behind
exports, reports and migrations load on first use (each costs 0.1–0.4 s of start-up), and
of the nine area tabs only the dashboard is built (the others' modules wait too), and the
dialogs of the menus load when first opened."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# (yaml: the bundled catalogue is read when a project is created, not when one is opened)
LAZY = ("openpyxl", "reportlab", "docx", "pypdfium2", "alembic", "yaml")
# dialogs opened from the menus: their modules load when first opened
DIALOG_MODULES = (
    "isms_desktop.ui.wizard.setup_wizard",
    "isms_desktop.ui.risk.method_editor",
    "isms_desktop.ui.risk_wizard",
    "isms_desktop.ui.history.change_log_dialog",
    "isms_desktop.ui.history.restore_dialog",
    "isms_desktop.ui.documents.policy_wizard",
    "isms_desktop.ui.documents.document_panel",
    "isms_desktop.ui.audit.audit_dialog",
    "isms_desktop.ui.help_window",
)
TAB_MODULES = (
    "context_tab",
    "documents_tab",
    "assets_tab",
    "risks_tab",
    "soa_tab",
    "audits_tab",
    "improvement_tab",
    "management_review_tab",
)


@pytest.mark.timeout(120)
def test_a_started_window_with_a_project_open_has_loaded_no_export_report_or_migration_library(
    tmp_path: Path, template_project: Path
) -> None:
    project = tmp_path / "client.isms"
    shutil.copyfile(template_project, project)
    code = (
        "import json, sys\n"
        "import isms_desktop.ui.app\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from isms_desktop.ui.main_window import MainWindow\n"
        "from isms_desktop.ui.settings import Settings\n"
        "app = QApplication([])\n"
        f"window = MainWindow(Settings({str(tmp_path / 'settings.ini')!r}))\n"
        "window.show()\n"
        f"assert window.open_path({str(project)!r})\n"
        "app.processEvents()\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({LAZY!r}))))\n"
        "tabs = sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith("
        "'isms_desktop.ui.tabs.') and m.endswith('_tab'))\n"
        "built = [type(window.tabs.widget(i)).__name__ for i in range(window.tabs.count())]\n"
        "print(json.dumps([tabs, built]))\n"
        f"print(json.dumps(sorted(set(sys.modules) & set({DIALOG_MODULES!r}))))\n"
        "window.close_project()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=100
    )
    assert done.returncode == 0, done.stderr
    *_, libraries, tabs, dialogs = done.stdout.strip().splitlines()
    assert json.loads(libraries) == []
    imported, built = json.loads(tabs)
    assert imported == ["dashboard_tab"]
    assert built == ["DashboardTab"] + ["QWidget"] * len(TAB_MODULES)
    assert json.loads(dialogs) == []
