"""File ▸ Connect to Server… (and Publish to Server…): where the PostgreSQL database is.

Host, port, database, user, password and TLS mode — or one full URL. The password is never
written to the settings: it is used for this session, and kept in the system keyring when
the user ticks the box (and a keyring is available).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.storage import server

TLS_MODES = ("prefer", "require", "verify-ca", "verify-full", "disable")


class ConnectDialog(QDialog):
    """Asks where the server project is; ``location()`` and ``password()`` are the answer."""

    def __init__(
        self, parent: QWidget | None = None, *, publishing: bool = False, last: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connect_dialog")
        self.setWindowTitle(
            self.tr("Publish to Server") if publishing else self.tr("Connect to Server")
        )
        intro = QLabel(
            self.tr(
                "Copy this project into an empty PostgreSQL database, so that your team "
                "works on it together."
            )
            if publishing
            else self.tr("Open the project your team keeps in a PostgreSQL database.")
        )
        intro.setWordWrap(True)
        self.host = QLineEdit("localhost")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit()
        self.database.setPlaceholderText(self.tr("e.g. isms"))
        self.user = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("empty: PGPASSWORD, ~/.pgpass or keyring"))
        self.tls = QComboBox()
        for mode in TLS_MODES:
            self.tls.addItem(mode, mode)
        self.tls.setToolTip(self.tr("require: always encrypt; verify-full: also check the server"))
        self.url = QLineEdit()
        self.url.setObjectName("url_edit")
        self.url.setPlaceholderText("postgresql://user@host:5432/database?sslmode=require")
        self.url.setToolTip(self.tr("A full URL replaces the fields above"))
        if last:  # the server of last time (its password: the keyring, PGPASSWORD, ~/.pgpass)
            self.url.setText(last)
        self.remember = QCheckBox(self.tr("Keep the password in the system keyring"))
        if not server.keyring_available():
            self.remember.setEnabled(False)
            self.remember.setToolTip(self.tr("No system keyring is available here"))
        self.error = QLabel()
        self.error.setObjectName("connect_error")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("&Host:"), self.host)
        form.addRow(self.tr("&Port:"), self.port)
        form.addRow(self.tr("&Database:"), self.database)
        form.addRow(self.tr("&User:"), self.user)
        form.addRow(self.tr("Pass&word:"), self.password_edit)
        form.addRow(self.tr("&TLS:"), self.tls)
        form.addRow(self.tr("or &URL:"), self.url)
        form.addRow("", self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Publish") if publishing else self.tr("Connect"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def location(self) -> str:
        """The server URL without its password (a password typed into the URL moves to the
        password field: it is never shown or stored with the URL)."""
        text = self.url.text().strip()
        if text:
            location, password = server.split_password(text)
            if password:
                self.password_edit.setText(password)
                self.url.setText(location)
            return location
        if not self.database.text().strip():
            raise IsmsError(self.tr("Name the database."))
        return server.build_location(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
            str(self.tls.currentData()),
        )

    def password(self) -> str | None:
        return self.password_edit.text() or None

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _accept(self) -> None:
        try:
            location = self.location()
        except IsmsError as exc:
            self.show_error(str(exc))
            return
        password = self.password()
        if password and self.remember.isChecked() and not server.store_password(location, password):
            self.show_error(self.tr("The keyring could not keep the password."))
            return
        self.show_error("")
        self.accept()
