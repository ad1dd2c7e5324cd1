"""Wizard page 1: the organisation profile (name, sector, size, locations, logo)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import projects, wizard
from isms_desktop.ui.wizard.base_page import PageProblem, WizardPage

LOGO_PREVIEW = 96


def split_locations(text: str) -> list[str]:
    """Locations typed one per line (or separated by semicolons)."""
    parts = text.replace(";", "\n").splitlines()
    return [p.strip() for p in parts if p.strip()]


class ProfilePage(WizardPage):
    def __init__(self) -> None:
        super().__init__(
            self.tr("Your Organisation"),
            self.tr(
                "Start with who the ISMS is for. The name appears on every report, and the sector "
                "lets the wizard suggest the issues and interested parties typical for "
                "organisations like yours (clauses 4.1 and 4.2)."
            ),
        )
        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        self.sector_combo = QComboBox(self)
        self.sector_combo.addItem(self.tr("Choose a sector…"), "")
        for code, label in wizard.sectors():
            self.sector_combo.addItem(label, code)
        self.size_combo = QComboBox(self)
        self.size_combo.setEditable(True)
        self.size_combo.addItems(list(wizard.SIZES))
        self.locations_edit = QPlainTextEdit(self)
        self.locations_edit.setPlaceholderText(
            self.tr("One site per line, e.g.\nLeeds head office")
        )
        self.locations_edit.setMaximumHeight(110)
        form.addRow(self.tr("Organisation &name:"), self.name_edit)
        form.addRow(self.tr("&Sector:"), self.sector_combo)
        form.addRow(self.tr("S&ize:"), self.size_combo)
        form.addRow(self.tr("&Locations:"), self.locations_edit)
        logo_row = QHBoxLayout()
        self.logo_label = QLabel(self.tr("No logo"), self)
        self.logo_label.setFixedSize(LOGO_PREVIEW * 2, LOGO_PREVIEW)
        self.logo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_label.setStyleSheet("QLabel { border: 1px solid palette(mid); }")
        self.logo_button = QPushButton(self.tr("Choose &Logo…"), self)
        self.remove_logo_button = QPushButton(self.tr("&Remove"), self)
        logo_row.addWidget(self.logo_label)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.remove_logo_button)
        logo_row.addStretch(1)
        form.addRow(self.tr("Logo (for reports):"), logo_row)
        self.outer.addLayout(form)
        self.outer.addStretch(1)
        self.finish_layout()
        self.logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button.clicked.connect(lambda: self.set_logo(None, ""))
        self.name_edit.textChanged.connect(self.completeChanged)
        self._logo: tuple[bytes | None, str] | None = None  # pending change

    def isComplete(self) -> bool:
        return bool(self.name_edit.text().strip())

    def load(self) -> None:
        profile = projects.profile(self.project)
        self.name_edit.setText(profile.organisation)
        self.sector_combo.setCurrentIndex(max(0, self.sector_combo.findData(profile.sector)))
        self.size_combo.setCurrentText(profile.size)
        self.locations_edit.setPlainText("\n".join(split_locations(profile.locations)))
        self._logo = None
        stored = projects.logo(self.project)
        self._show_logo(stored[0] if stored else None)

    def choose_logo(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose Logo"), "", self.tr("Images (*.png *.jpg *.jpeg *.svg)")
        )
        if chosen:
            self.load_logo(Path(chosen))

    def load_logo(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.show_problem(self.tr("{0} could not be read: {1}").format(path, exc.strerror))
            return
        self.set_logo(data, mimetypes.guess_type(path.name)[0] or "image/png")

    def set_logo(self, data: bytes | None, mime: str) -> None:
        self._logo = (data, mime)
        self._show_logo(data)

    def _show_logo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data is not None and pixmap.loadFromData(data):
            self.logo_label.setPixmap(
                pixmap.scaled(
                    self.logo_label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_label.setPixmap(QPixmap())
            self.logo_label.setText(self.tr("No logo"))
        self.remove_logo_button.setEnabled(data is not None)

    def save(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            raise PageProblem(self.tr("Enter the organisation's name."))
        sector = str(self.sector_combo.currentData() or "")
        if not sector:
            raise PageProblem(
                self.tr("Choose a sector (or Other): it decides which suggestions you get.")
            )
        values = {
            "organisation": name,
            "sector": sector,
            "size": self.size_combo.currentText().strip(),
            "locations": "; ".join(split_locations(self.locations_edit.toPlainText())),
        }
        current = projects.profile(self.project)
        for field, value in values.items():
            if getattr(current, field) != value:
                projects.update_profile(self.project, field, value)
        if self._logo is not None:
            data, mime = self._logo
            try:
                projects.set_logo(self.project, data, mime)
            except BadArgumentsError as exc:
                raise PageProblem(str(exc)) from None
            self._logo = None
