"""The New Project dialog: the organisation's name and where the project file goes."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.storage.project_file import SUFFIX


def with_suffix(path: Path) -> Path:
    """``path`` ending in .isms (native save dialogs on Linux do not append it)."""
    return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)


def default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents else Path.home()
    return folder if folder.is_dir() else Path.home()


def file_name_for(organisation: str) -> str:
    # Characters Windows refuses in file names would make the suggestion unusable there.
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", organisation).strip(" .")
    cleaned = re.sub(r"\s+", " ", cleaned)
    return (cleaned or "ISMS") + SUFFIX


class NewProjectDialog(QDialog):
    """Asks for the organisation (required) and the file; OK stays disabled until both fit."""

    def __init__(self, folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New Project"))
        self.setMinimumWidth(560)
        self._folder = folder if folder is not None else default_folder()
        # Until the user picks a file, the suggested name follows the organisation's name.
        self._file_chosen = False

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "A project holds the whole ISMS of one organisation. It starts with the 93 "
                "Annex A controls, the clause checklist, a threat catalogue and policy templates."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.organisation_edit = QLineEdit(self)
        self.organisation_edit.setPlaceholderText(self.tr("e.g. Brightwave Analytics Ltd"))
        self.organisation_edit.setToolTip(self.tr("The legal name, as the certificate will show"))
        form.addRow(self.tr("&Organisation:"), self.organisation_edit)

        file_row = QHBoxLayout()
        self.file_edit = QLineEdit(self)
        self.file_edit.setToolTip(self.tr("Where the project file is saved"))
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.setToolTip(self.tr("Choose the folder and name of the project file"))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        file_label = QLabel(self.tr("&File:"), self)
        file_label.setBuddy(self.file_edit)
        form.addRow(file_label, file_row)
        layout.addLayout(form)

        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        layout.addWidget(self.problem_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("C&reate"))
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.organisation_edit.textChanged.connect(self._organisation_changed)
        self.file_edit.textEdited.connect(self._file_edited)
        self.file_edit.textChanged.connect(self._validate)
        self.browse_button.clicked.connect(self._browse)
        self._organisation_changed("")

    def organisation(self) -> str:
        return self.organisation_edit.text().strip()

    def path(self) -> Path:
        text = self.file_edit.text().strip()
        return with_suffix(Path(text).expanduser()) if text else Path()

    def _organisation_changed(self, _text: str) -> None:
        if not self._file_chosen:
            self.file_edit.setText(str(self._folder / file_name_for(self.organisation())))
        self._validate()

    def _file_edited(self, _text: str) -> None:
        self._file_chosen = True

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("New Project File"),
            str(self.path() if self.file_edit.text() else self._folder),
            self.tr("isms-desktop projects (*.isms)"),
            # Existing files are refused below with a clear message instead.
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self._file_chosen = True
            self.file_edit.setText(str(with_suffix(Path(chosen))))

    def problem(self) -> str:
        """Why the project cannot be created as entered, or "" when it can."""
        if not self.organisation():
            return self.tr("Enter the organisation's name.")
        if not self.file_edit.text().strip():
            return self.tr("Choose where to save the project file.")
        path = self.path()
        if path.exists():
            return self.tr("{0} already exists; choose another name.").format(path.name)
        if not path.parent.is_dir():
            return self.tr("The folder {0} does not exist.").format(path.parent)
        return ""

    def _validate(self) -> None:
        problem = self.problem()
        # An empty name is the normal starting state, not a mistake worth pointing at.
        self.problem_label.setText("" if not self.organisation() else problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)
