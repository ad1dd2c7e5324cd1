"""The audit-mode window: choose an audit, work through its checklist, export or import it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.reports.checklist_import import import_checklist
from isms_desktop.services import audits
from isms_desktop.services.audit_checklist_xlsx import export_checklist
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.audit.audit_mode import AuditModeWidget, status_label
from isms_desktop.ui.audit.coverage_view import CoverageView
from isms_desktop.ui.registers.undo_commands import undo_stack_of
from isms_desktop.ui.screen_fit import fitting_size


def default_audit(project: Project) -> str:
    """The audit to open: one in progress, else the next planned one with a checklist."""
    found = audits.audits(project)
    for status in ("in_progress", "planned"):
        for summary in found:
            if summary.status == status and summary.items:
                return summary.code
    return found[0].code if found else ""


class AuditModeDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit mode"))
        self.project = project
        self.chooser = QComboBox(self)
        # long audit titles must not make the dialog wider than a small screen
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.chooser.setMinimumContentsLength(30)
        for summary in audits.audits(project):
            self.chooser.addItem(_choice_text(summary), summary.code)
        self.mode = AuditModeWidget(project, self)
        self.mode.status_changed.connect(self._status_changed)
        self.export_button = export_button = QPushButton(self.tr("E&xport to Excel…"), self)
        export_button.clicked.connect(self.export_excel)
        self.import_button = import_button = QPushButton(self.tr("&Import from Excel…"), self)
        import_button.clicked.connect(self.import_excel)
        top = QHBoxLayout()
        label = QLabel(self.tr("&Audit:"), self)
        label.setBuddy(self.chooser)
        top.addWidget(label)
        top.addWidget(self.chooser, 1)
        top.addWidget(export_button)
        top.addWidget(import_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mode, 1)
        layout.addWidget(buttons)
        self.resize(fitting_size(self, 1100, 700))
        # Ctrl+Z / Ctrl+Y take back and make again the answers recorded here (the main
        # window's undo stack, whose own keys this modal dialog holds back); in a text box
        # they undo its typing first, as everywhere
        stack = undo_stack_of(self)
        if stack is not None:
            for keys, step in (
                (QKeySequence.StandardKey.Undo, stack.undo),
                (QKeySequence.StandardKey.Redo, stack.redo),
            ):
                QShortcut(keys, self).activated.connect(step)
            # an undo here may reopen (or complete again) the audit shown: shown as it is
            stack.indexChanged.connect(self._stack_moved)
        start = default_audit(project)
        if start:
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(start)))
            self.mode.load(start)
        self._update_buttons()
        self.chooser.currentIndexChanged.connect(self._chosen)

    def _chosen(self, _index: int) -> None:
        code = self.chooser.currentData()
        if code:
            self.mode.load(str(code))
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Import writes answers: not into a completed or cancelled audit, nor no checklist."""
        has_items = bool(self.mode.entries)
        self.export_button.setEnabled(has_items)
        self.import_button.setEnabled(has_items and not self.mode.read_only)
        if self.mode.read_only and has_items:
            self.import_button.setToolTip(
                self.tr("{0} is {1}: its checklist can no longer change").format(
                    self.mode.audit_code, status_label(self.mode.status).lower()
                )
            )
        else:
            self.import_button.setToolTip(
                self.tr("Read the results back from an exported checklist")
            )

    def _status_changed(self, code: str) -> None:
        index = self.chooser.findData(code)
        if index >= 0:
            self.chooser.setItemText(index, _choice_text(audits.audit(self.project, code)))
        self._update_buttons()

    def _stack_moved(self, _index: int) -> None:
        code = self.mode.audit_code
        if not code:
            return
        try:
            summary = audits.audit(self.project, code)
        except IsmsError:
            return
        if (summary.status or "planned") != self.mode.status:
            self.mode.load(code)
            self._status_changed(code)

    def done(self, result: int) -> None:
        self.mode.save_current()
        super().done(result)

    def export_excel(self) -> None:
        code = self.mode.audit_code
        if not code:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export checklist"), f"{code}-checklist.xlsx", "Excel (*.xlsx)"
        )
        if not name:
            return
        self.mode.save_current()
        try:
            export_checklist(self.project, code, Path(name))
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))

    def import_excel(self) -> None:
        code = self.mode.audit_code
        if not code:
            return
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import checklist"), "", "Excel (*.xlsx)"
        )
        if not name:
            return
        self.mode.save_current()
        try:
            changed = import_checklist(self.project, code, Path(name))
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Import failed"), str(exc))
            return
        self.mode.load(code)
        QMessageBox.information(
            self, self.tr("Checklist imported"), self.tr("{0} item(s) updated").format(changed)
        )


class CoverageDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit programme coverage"))
        self.view = CoverageView(project, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(fitting_size(self, 900, 650))


def _choice_text(summary: audits.AuditSummary) -> str:
    # the status before the title: a long title is cut at the combo box's end, and it cut
    # off the status ("… incident management (plar")
    return f"{summary.code} ({status_label(summary.status).lower()}) — {summary.title}"
