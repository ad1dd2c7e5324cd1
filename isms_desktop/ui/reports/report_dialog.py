"""The report dialog: which report, for which record, into which file — then progress.

The report is built by :class:`ReportWorker` off the GUI thread; the dialog shows its
progress, can cancel it (nothing is written then), and offers to open the finished file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.reports.pdf.kinds import PER_RECORD, ReportKind, default_filename
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import projects, registers
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.encryption_ui import warn_export_not_encrypted
from isms_desktop.ui.reports import preview
from isms_desktop.ui.reports.report_worker import ReportWorker

RECORD_REGISTERS = {"policy": "documents", "audit": "audits", "management-review": "reviews"}


class ReportDialog(QDialog):
    def __init__(self, project: Project, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export Report"))
        self.project = project
        self.folder = folder
        self.organisation = projects.profile(project).organisation
        self.worker: ReportWorker | None = None
        self.result_path: Path | None = None

        self.kind_combo = QComboBox(self)
        for name, label in (
            ("manual", self.tr("ISMS manual (the whole ISMS)")),
            ("soa", self.tr("Statement of Applicability")),
            ("risks", self.tr("Risk assessment (method, matrix, heat maps, register)")),
            ("treatment-plan", self.tr("Risk treatment plan")),
            ("policy", self.tr("Policy or document…")),
            ("audit", self.tr("Internal audit report…")),
            ("management-review", self.tr("Management review…")),
        ):
            self.kind_combo.addItem(label, name)
        self.record_combo = QComboBox(self)
        self.classification = QLineEdit(self.tr("Internal"), self)
        self.path_edit = QLineEdit(self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("&Report:"), self.kind_combo)
        form.addRow(self.tr("Re&cord:"), self.record_combo)
        form.addRow(self.tr("C&lassification:"), self.classification)
        save_label = QLabel(self.tr("&Save as:"), self)
        save_label.setBuddy(self.path_edit)  # (a row of widgets: "&" shown as typed without)
        form.addRow(save_label, path_row)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        # shown while a report is made (an empty bar read as an empty text box); its room
        # kept so the dialog does not jump
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(policy)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(
            self.tr("Create PDF"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button = self.buttons.addButton(
            self.tr("Open PDF"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.preview_button = self.buttons.addButton(
            self.tr("Preview"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.preview_button.setVisible(preview.available())
        self.preview_button.clicked.connect(self.start_preview)
        self.preview_pane = preview.PdfPreview(self)
        self.preview_pane.hide()
        self.previewed: tuple[str, str, Path] | None = None  # (kind, classification, file)
        self._previewing = False
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.setEnabled(False)
        self.create_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self.open_result)
        self.cancel_button.clicked.connect(self.cancel_or_close)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addStretch(1)
        left.addWidget(self.buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.preview_pane, 1)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.record_combo.currentIndexChanged.connect(self._suggest_path)
        self._kind_changed()
        self.resize(560, self.sizeHint().height())

    # -- choosing -------------------------------------------------------------------------
    def kind(self) -> ReportKind | None:
        name = str(self.kind_combo.currentData())
        if name in PER_RECORD:
            code = self.record_combo.currentData()
            return ReportKind(name, str(code)) if code else None
        return ReportKind(name)

    def _kind_changed(self) -> None:
        name = str(self.kind_combo.currentData())
        self.record_combo.blockSignals(True)
        self.record_combo.clear()
        register = RECORD_REGISTERS.get(name)
        if register is not None:
            for code, label in registers.reference_choices(self.project, register):
                self.record_combo.addItem(f"{code} — {label}" if label else code, code)
            if not self.record_combo.count():
                self.record_combo.addItem(self.tr("(none recorded)"), None)
        self.record_combo.setEnabled(register is not None and self.record_combo.count() > 0)
        self.record_combo.blockSignals(False)
        self._suggest_path()

    def _suggest_path(self) -> None:
        kind = self.kind()
        self.create_button.setEnabled(kind is not None and self.worker is None)
        if kind is not None:
            current = Path(self.path_edit.text()) if self.path_edit.text() else None
            folder = current.parent if current is not None else self.folder
            self.path_edit.setText(str(folder / default_filename(kind, self.organisation)))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save Report As"), self.path_edit.text(), self.tr("PDF files (*.pdf)")
        )
        if name:
            self.path_edit.setText(name if name.lower().endswith(".pdf") else f"{name}.pdf")

    # -- running --------------------------------------------------------------------------
    def start_preview(self) -> None:
        """Build the report into a private temporary file and show its pages."""
        kind = self.kind()
        if kind is None or self.worker is not None:
            return
        folder = Path(tempfile.mkdtemp(prefix="isms-preview-"))
        self._previewing = True
        self._run(kind, folder / "preview.pdf")

    def _previewed_file(self) -> Path | None:
        """The previewed PDF, if it is the report now chosen (then saving just copies it)."""
        kind = self.kind()
        if self.previewed is None or kind is None:
            return None
        wanted = (str(kind), self.classification.text().strip() or "Internal")
        done_kind, done_class, file = self.previewed
        return file if (done_kind, done_class) == wanted and file.exists() else None

    def start(self) -> None:
        kind = self.kind()
        if kind is None or self.worker is not None:
            return
        out = Path(self.path_edit.text().strip())
        if not out.name:
            self.status.setText(self.tr("Choose a file to save the report to."))
            return
        if not warn_export_not_encrypted(self, self.project):
            return
        ready = self._previewed_file()
        if ready is not None:
            self._save_previewed(ready, out)
            return
        self._previewing = False
        self._run(kind, out)

    def _save_previewed(self, ready: Path, out: Path) -> None:
        try:
            partial = out.with_name(f".{out.name}.part")
            shutil.copyfile(ready, partial)
            os.replace(partial, out)
        except OSError as exc:
            self.status.setText(
                self.tr("The report was not written: {0}").format(exc.strerror or exc)
            )
            return
        self.result_path = out
        self.status.setText(self.tr("Wrote {0}.").format(out))
        self.open_button.setEnabled(True)

    def _run(self, kind: ReportKind, out: Path) -> None:
        self.result_path = None
        self.open_button.setEnabled(False)
        self.create_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(self.tr("Making the report…"))
        options = ReportOptions(classification=self.classification.text().strip() or "Internal")
        location = self.project.path or self.project.location
        worker = ReportWorker(location, kind, out, options, key=self.project.key)
        worker.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        worker.succeeded.connect(self._succeeded)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._cancelled)
        worker.finished.connect(self._finished)
        self.worker = worker
        worker.start()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _succeeded(self, path: str, pages: int) -> None:
        if self._previewing:
            kind = self.kind()
            self.previewed = (
                str(kind),
                self.classification.text().strip() or "Internal",
                Path(path),
            )
            self.progress.setValue(self.progress.maximum())
            self.preview_pane.show()
            self.preview_pane.show_pdf(Path(path), pages)
            self.resize(max(self.width(), 1100), max(self.height(), 760))
            self.status.setText(
                self.tr("Preview of {0} pages. Create PDF saves exactly this.").format(pages)
            )
            return
        self.result_path = Path(path)
        self.progress.setValue(self.progress.maximum())
        self.status.setText(self.tr("Wrote {0} ({1} pages).").format(path, pages))
        self.open_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.progress.setValue(0)
        self.progress.hide()
        self.status.setText(self.tr("The report was not written: {0}").format(message))

    def _cancelled(self) -> None:
        self.progress.setValue(0)
        self.progress.hide()
        self.status.setText(self.tr("Cancelled; nothing was written."))

    def _finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self.create_button.setEnabled(self.kind() is not None)
        self.cancel_button.setText(self.tr("Close"))

    def cancel_or_close(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText(self.tr("Cancelling…"))
            return
        self.reject()

    def open_result(self) -> None:
        if self.result_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_path)))

    def wait_for_worker(self, msecs: int = 30_000) -> None:
        if self.worker is not None:
            self.worker.wait(msecs)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(10_000)
        super().closeEvent(event)

    def reject(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(10_000)
        self._forget_preview()
        super().reject()

    def _forget_preview(self) -> None:
        """The preview's temporary file goes when the dialog closes."""
        if self.previewed is not None:
            shutil.rmtree(self.previewed[2].parent, ignore_errors=True)
            self.previewed = None


def show_report_dialog(project: Project, folder: Path, parent: QWidget | None = None) -> None:
    dialog = ReportDialog(project, folder, parent)
    dialog.exec()


def open_report_dialog(window: QMainWindow) -> None:
    """The slot of File ▸ Export ▸ Report… (``window`` has a ``project`` property)."""
    project: Project | None = getattr(window, "project", None)
    if project is None:
        window.statusBar().showMessage(window.tr("Open a project first."), 5000)
        return
    folder = project.path.parent if project.path is not None else Path.home()
    show_report_dialog(project, folder, window)
