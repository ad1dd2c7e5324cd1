"""Competence page (7.2, 7.3): the training matrix and entry of a campaign with many attendees."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import training
from isms_desktop.services.projects import Project
from isms_desktop.ui.metrics.training_matrix_widget import TrainingMatrixWidget


class CampaignDialog(QDialog):
    """One awareness session or course, and who attended it."""

    def __init__(
        self, courses: list[str], people: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record a training or awareness campaign"))
        self.course = QComboBox(self)
        self.course.setEditable(True)
        self.course.addItems(courses)
        self.kind = QComboBox(self)
        for kind, label in (
            ("awareness", self.tr("Awareness")),
            ("training", self.tr("Training")),
            ("qualification", self.tr("Qualification")),
        ):
            self.kind.addItem(label, kind)
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.result_edit = QLineEdit(self.tr("attended"), self)
        self.evidence = QLineEdit(self)
        self.evidence.setPlaceholderText(self.tr("e.g. attendance list, e-learning report"))
        self.attendees = QListWidget(self)
        for code, name in people:
            item = QListWidgetItem(f"{name} ({code})")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.attendees.addItem(item)
        everyone = QPushButton(self.tr("Select Everyone"), self)
        everyone.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        nobody = QPushButton(self.tr("Clear"), self)
        nobody.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        form = QFormLayout()
        form.addRow(self.tr("Course or campaign"), self.course)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Result"), self.result_edit)
        form.addRow(self.tr("Evidence"), self.evidence)
        picks = QHBoxLayout()
        picks.addWidget(everyone)
        picks.addWidget(nobody)
        picks.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.attendees, 1)
        layout.addLayout(picks)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def _check_all(self, state: Qt.CheckState) -> None:
        for row in range(self.attendees.count()):
            item = self.attendees.item(row)
            if item is not None:
                item.setCheckState(state)

    def campaign(self) -> training.Campaign:
        chosen = []
        for row in range(self.attendees.count()):
            item = self.attendees.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        day = self.date.date().toPython()
        assert isinstance(day, dt.date)
        return training.Campaign(
            course=self.course.currentText().strip(),
            date=day,
            attendees=tuple(chosen),
            kind=str(self.kind.currentData()),
            result=self.result_edit.text(),
            evidence=self.evidence.text(),
        )


class TrainingPage(QWidget):
    """The matrix of people × required trainings, with a button to record a campaign."""

    records_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.matrix = TrainingMatrixWidget(self)
        self.campaign_button = QPushButton(self.tr("Record a Campaign…"), self)
        self.campaign_button.setToolTip(
            self.tr("One awareness session or course with many attendees")
        )
        self.campaign_button.clicked.connect(self._open_campaign)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.campaign_button)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.matrix, 1)
        self.campaign_button.setEnabled(False)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.campaign_button.setEnabled(project is not None)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        """Show what was changed elsewhere (the registers, other tabs) since last shown."""
        super().showEvent(event)
        if self.project is not None:
            self.reload()

    def reload(self) -> None:
        self.matrix.set_matrix(training.matrix(self.project) if self.project else None)

    def make_dialog(self) -> CampaignDialog:
        assert self.project is not None
        return CampaignDialog(
            training.courses(self.project), training.people_codes(self.project), self
        )

    def _open_campaign(self) -> None:
        if self.project is None:
            return
        dialog = self.make_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.record(dialog.campaign())

    def record(self, campaign: training.Campaign) -> list[str]:
        if self.project is None:
            return []
        try:
            made = training.record_campaign(self.project, campaign)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Record a campaign"), str(exc))
            return []
        self.reload()
        self.records_changed.emit()
        return made
