"""SoA versions: approve the current SoA as a numbered version, list the versions, compare
one with the current SoA, and print one as it was frozen (clause 6.1.3 d, 7.5.3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import registers, soa
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.busy import busy_cursor
from isms_desktop.ui.encryption_ui import warn_export_not_encrypted
from isms_desktop.ui.icons import action_icon


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ApproveDialog(QDialog):
    """Who approves, when, and a note; the open warnings are shown first."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Approve the Statement of Applicability"))
        self.setMinimumWidth(460)  # the explanation in a few lines, not a narrow column
        layout = QVBoxLayout(self)
        count = len(soa.warnings(project))
        text = self.tr(
            "Approving freezes the SoA as it is now as the next numbered version. The version "
            "cannot be changed afterwards; it can be printed and compared with later states."
        )
        if count:
            text += "<br><br>" + self.tr(
                "<b>{0} consistency warnings are open.</b> An auditor will ask about them."
            ).format(count)
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.approver = QComboBox(self)
        self.approver.setEditable(True)
        for _code, name in registers.reference_choices(project, "people"):
            self.approver.addItem(name)
        self.approver.setCurrentIndex(-1)
        # an approval given earlier (in the management review, say) is recorded with its date;
        # not in the future, not before the last version
        self.approved_on = QDateEdit(self)
        self.approved_on.setCalendarPopup(True)
        self.approved_on.setDisplayFormat("yyyy-MM-dd")
        today = dt.date.today()
        earlier = soa.versions(project)
        first = earlier[-1].approved_on if earlier else dt.date(2000, 1, 1)
        self.approved_on.setDateRange(_qdate(first), _qdate(today))
        self.approved_on.setDate(_qdate(today))
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("e.g. approved in the management review of …"))
        form.addRow(self.tr("Approved by:"), self.approver)
        form.addRow(self.tr("Approved on:"), self.approved_on)
        form.addRow(self.tr("Note:"), self.note)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Approve"))
        ok.setEnabled(False)
        self.approver.currentTextChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def approval_date(self) -> dt.date:
        day = self.approved_on.date().toPython()
        assert isinstance(day, dt.date)
        return day


class SoaVersionsPanel(QWidget):
    """A page of the SoA tab: approved versions, with Approve, Compare and Print."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Approved versions of the SoA. Approve the SoA once it is complete and after "
                "each significant change; compare a version with today's SoA to see what "
                "changed since; print a version exactly as it was approved."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        bar = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("Approve Current SoA…"), self)
        self.compare_button = QPushButton(self.tr("Compare with Current"), self)
        self.print_button = QPushButton(self.tr("Print Version…"), self)
        for button, icon in (
            (self.approve_button, "approve"),
            (self.compare_button, "compare"),
            (self.print_button, "print"),
        ):
            button.setIcon(action_icon(icon))
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.versions = QTableWidget(0, 4, self)
        self.versions.setHorizontalHeaderLabels(
            [self.tr("Version"), self.tr("Approved on"), self.tr("Approved by"), self.tr("Note")]
        )
        self.versions.verticalHeader().hide()
        self.versions.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.versions.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.versions.horizontalHeader().setStretchLastSection(True)
        self.versions.setMaximumHeight(180)
        layout.addWidget(self.versions)
        self.diff_label = QLabel(self)
        layout.addWidget(self.diff_label)
        self.differences = QTableWidget(0, 4, self)
        self.differences.setHorizontalHeaderLabels(
            [self.tr("Control"), self.tr("Field"), self.tr("In the version"), self.tr("Now")]
        )
        self.differences.verticalHeader().hide()
        self.differences.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.differences.setWordWrap(True)
        header = self.differences.horizontalHeader()
        # "Implementation status" whole, not "Implementati…" in two lines
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.differences, 1)
        self.approve_button.clicked.connect(self.approve)
        self.compare_button.clicked.connect(self.compare_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.versions.itemSelectionChanged.connect(self._update_buttons)
        self.versions.itemSelectionChanged.connect(self._forget_stale_comparison)
        self._compared: int | None = None  # the version the differences shown are of

    def set_project(self, project: Project | None, _info: Any = None) -> None:
        self.project = project
        self._compared = None
        self.reload()

    def reload(self) -> None:
        self.versions.setRowCount(0)
        self.differences.setRowCount(0)
        self.diff_label.clear()
        if self.project is None:
            self._update_buttons()
            return
        for version in reversed(soa.versions(self.project)):
            row = self.versions.rowCount()
            self.versions.insertRow(row)
            for column, text in enumerate(
                (
                    str(version.number),
                    version.approved_on.isoformat(),
                    version.approved_by,
                    version.note,
                )
            ):
                self.versions.setItem(row, column, QTableWidgetItem(text))
        if self.versions.rowCount():
            self.versions.selectRow(0)
            self.diff_label.setText(self._compare_hint())
        else:
            self.diff_label.setText(
                self.tr(
                    "No version approved yet. Approve the SoA once it is complete: the "
                    "approved version is kept as it is, to print and compare later."
                )
            )
        self._update_buttons()

    def _compare_hint(self) -> str:
        return self.tr("Compare with Current shows what changed since the version chosen.")

    def _update_buttons(self) -> None:
        writable = self.project is not None and not self.project.read_only
        self.approve_button.setEnabled(writable)
        chosen = self.selected_version() is not None
        self.compare_button.setEnabled(chosen)
        self.print_button.setEnabled(chosen)

    def selected_version(self) -> int | None:
        rows = self.versions.selectionModel().selectedRows() if self.versions.rowCount() else []
        if not rows:
            return None
        item = self.versions.item(rows[0].row(), 0)
        return int(item.text()) if item is not None else None

    def approve(self) -> None:
        if self.project is None:
            return
        dialog = ApproveDialog(self.project, self)
        self.approve_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.approve_as(dialog.approver.currentText(), dialog.note.text(), dialog.approval_date())

    def approve_as(self, approver: str, note: str = "", on: dt.date | None = None) -> int | None:
        if self.project is None:
            return None
        try:
            info = soa.approve(self.project, approver, note, on=on)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("SoA Not Approved"), str(exc))
            return None
        self.reload()
        return info.number

    def _forget_stale_comparison(self) -> None:
        """Another version chosen: the differences of the one compared before go."""
        if self._compared is not None and self._compared != self.selected_version():
            self._compared = None
            self.differences.setRowCount(0)
            self.diff_label.setText(self._compare_hint())

    def compare_selected(self) -> None:
        number = self.selected_version()
        if self.project is None or number is None:
            return
        differences = soa.compare(self.project, number)
        self._compared = number
        self.differences.setRowCount(len(differences))
        for row, d in enumerate(differences):
            for column, text in enumerate((d.code, d.header, d.then, d.now)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.differences.setItem(row, column, item)
        self.differences.resizeRowsToContents()
        controls = len({d.code for d in differences})
        fields = (self.tr("1 field") if len(differences) == 1 else self.tr("{0} fields")).format(
            len(differences)
        )
        of = (self.tr("1 control") if controls == 1 else self.tr("{0} controls")).format(controls)
        self.diff_label.setText(
            self.tr("Version {0} and the current SoA differ in {1} of {2}.").format(
                number, fields, of
            )
            if differences
            else self.tr("The current SoA is the same as version {0}.").format(number)
        )

    def print_selected(self, target: Path | None = None) -> Path | None:
        number = self.selected_version()
        if self.project is None or number is None:
            return None
        if target is None:
            if not warn_export_not_encrypted(self, self.project):
                return None
            folder = self.project.path.parent if self.project.path else Path.home()
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Print SoA Version"),
                str(folder / f"Statement of Applicability v{number}.pdf"),
                self.tr("PDF documents (*.pdf)"),
            )
            if not chosen:
                return None
            target = Path(chosen)
        from isms_desktop.reports.pdf.kinds import make_report  # reportlab: on first use

        try:
            with busy_cursor():
                make_report(self.project, f"soa:{number}", target)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Not Printed"), str(exc))
            return None
        return target
