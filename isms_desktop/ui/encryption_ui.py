"""Passwords in the window: asking for the password of an encrypted project (three tries),
and File ▸ Encryption… to encrypt a project, change its password, or remove encryption."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.services.encryption import is_current_password
from isms_desktop.storage.project_file import Project

MAX_TRIES = 3
MIN_LENGTH = 10


def ask_password(parent: QWidget, path: Path, attempt: int) -> str | None:
    """The password of ``path`` from the user, or None when they cancel."""
    if attempt <= 1:
        text = parent.tr("{0} is encrypted (or is not a project file).\n\nPassword:").format(
            path.name
        )
    else:
        text = parent.tr("That password does not unlock {0} (try {1} of {2}).\n\nPassword:").format(
            path.name, attempt, MAX_TRIES
        )
    password, ok = QInputDialog.getText(
        parent, parent.tr("Encrypted Project"), text, QLineEdit.EchoMode.Password
    )
    return password if ok and password else None


def warn_export_not_encrypted(parent: QWidget, project: Project | None) -> bool:
    """Before writing an export of an encrypted project: say it will not be encrypted."""
    if project is None or not project.encrypted:
        return True
    answer = QMessageBox.warning(
        parent,
        parent.tr("Export Is Not Encrypted"),
        parent.tr(
            "This project is encrypted, but the file you are about to write (Excel, PDF or "
            "Word) will not be: anyone who gets it can read it. Continue?"
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class EncryptionDialog(QDialog):
    """Choose: encrypt (or change the password), or store the project unencrypted."""

    def __init__(
        self, encrypted: bool, parent: QWidget | None = None, project: Project | None = None
    ) -> None:
        super().__init__(parent)
        self.encrypted = encrypted
        # the open project (the window's, when not given): the current password is checked
        # against it before the window closes the project to rewrite the file
        shown = project if project is not None else getattr(parent, "project", None)
        self.project = shown if isinstance(shown, Project) else None
        self.setWindowTitle(self.tr("Project Encryption"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        explanation = QLabel(
            self.tr(
                "An encrypted project file can only be opened with its password: on a lost "
                "laptop or USB stick it reveals nothing. Keep the password safe — without it "
                "the project cannot be recovered, by anyone."
            ),
            self,
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.set_choice = QRadioButton(
            self.tr("Change the password") if encrypted else self.tr("Encrypt with a password"),
            self,
        )
        self.remove_choice = QRadioButton(self.tr("Remove encryption"), self)
        self.set_choice.setChecked(True)
        self.remove_choice.setVisible(encrypted)
        layout.addWidget(self.set_choice)
        layout.addWidget(self.remove_choice)
        form = QFormLayout()
        self.current = QLineEdit(self)
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        if encrypted:
            form.addRow(self.tr("Current password:"), self.current)
        else:
            self.current.hide()
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("New password:"), self.password)
        form.addRow(self.tr("Repeat it:"), self.repeat)
        layout.addLayout(form)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #c62828")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.remove_choice.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        removing = self.remove_choice.isChecked()
        self.password.setEnabled(not removing)
        self.repeat.setEnabled(not removing)

    def new_password(self) -> str | None:
        """The password to set, or None to remove encryption."""
        return None if self.remove_choice.isChecked() else self.password.text()

    def current_password(self) -> str | None:
        return self.current.text() if self.encrypted else None

    def problem_text(self) -> str:
        if self.encrypted and not self.current.text():
            return self.tr("Enter the current password.")
        if (
            self.encrypted
            and self.project is not None
            and not is_current_password(self.project, self.current.text())
        ):
            name = self.project.path.name if self.project.path is not None else ""
            return self.tr("That is not the current password of {0}.").format(name)
        if self.remove_choice.isChecked():
            return ""
        if len(self.password.text()) < MIN_LENGTH:
            return self.tr("Use at least {0} characters.").format(MIN_LENGTH)
        if self.password.text() != self.repeat.text():
            return self.tr("The two passwords differ.")
        return ""

    def _check(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        if not problem:
            self.accept()
