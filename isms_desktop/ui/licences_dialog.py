"""Help ▸ Licences of Bundled Components: what isms-desktop is built with, under which licence.

Versions and licence names come from the installed packages' metadata (``importlib.metadata``;
the installers bundle it) and fall back to the table below; the full texts come from the
packages' own licence files, from ``resources/licences`` and from ``LICENSE`` (the GPL).
"""

from __future__ import annotations

import importlib.metadata as metadata
import platform
from dataclasses import dataclass
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from isms_desktop import __version__
from isms_desktop.catalog.resources import resources_dir

PROGRAM_LICENCE = "GPL-3.0-or-later"


@dataclass(frozen=True)
class Entry:
    """One row of the fallback table: what we know when the metadata is not there."""

    name: str
    distribution: str | None  # the package name for importlib.metadata
    licence: str
    purpose: str
    texts: tuple[str, ...] = ()  # bundled licence texts, relative to the resources folder
    bundles: str = ""  # the licences of what the package has compiled in


ENTRIES: tuple[Entry, ...] = (
    Entry("Python", None, "PSF-2.0", "the language runtime", ("licences/Python-PSF-2.0.txt",)),
    Entry("Qt 6", None, "LGPL-3.0-only", "the user interface toolkit", ("licences/LGPL-3.0.txt",)),
    Entry(
        "PySide6 and Shiboken6",
        "PySide6-Essentials",
        "LGPL-3.0-only",
        "Qt for Python",
        ("licences/LGPL-3.0.txt",),
    ),
    Entry("SQLAlchemy", "SQLAlchemy", "MIT", "the database layer"),
    Entry("Alembic", "alembic", "MIT", "upgrades of project files"),
    Entry("Mako", "Mako", "MIT", "used by Alembic"),
    Entry("MarkupSafe", "MarkupSafe", "BSD-3-Clause", "used by Mako"),
    Entry("openpyxl", "openpyxl", "MIT", "Excel workbooks"),
    Entry("et-xmlfile", "et-xmlfile", "MIT", "used by openpyxl"),
    Entry("python-calamine", "python-calamine", "MIT", "reading .xlsx, .xls and .ods files"),
    Entry("PyYAML", "PyYAML", "MIT", "the bundled catalogues"),
    Entry("python-docx", "python-docx", "MIT", "Word documents"),
    Entry("lxml", "lxml", "BSD-3-Clause", "XML, used by python-docx"),
    Entry("typing_extensions", "typing_extensions", "PSF-2.0", "used by python-docx"),
    Entry("ReportLab", "reportlab", "BSD-3-Clause", "PDF reports"),
    Entry("Pillow", "pillow", "MIT-CMU", "images, used by ReportLab"),
    Entry("charset-normalizer", "charset-normalizer", "MIT", "used by ReportLab"),
    Entry("platformdirs", "platformdirs", "MIT", "where settings, logs and backups go"),
    Entry(
        "sqlcipher3 with SQLCipher",
        "sqlcipher3",
        "Zlib",
        "encrypted project files",
        ("licences/SQLCipher-BSD-3-Clause.txt",),
        "SQLCipher: BSD-3-Clause; SQLite: public domain",
    ),
    Entry("psycopg", "psycopg", "LGPL-3.0-only", "team mode: projects on a PostgreSQL server"),
    Entry(
        "psycopg-binary with libpq and OpenSSL",
        "psycopg-binary",
        "LGPL-3.0-only",
        "the compiled part of psycopg",
        ("licences/PostgreSQL.txt", "licences/Apache-2.0.txt"),
        "libpq: PostgreSQL; OpenSSL: Apache-2.0",
    ),
    Entry(
        "DejaVu fonts",
        None,
        "Bitstream Vera (DejaVu changes: public domain)",
        "fonts embedded in the PDF reports",
        ("fonts/LICENSE-DejaVu.txt",),
    ),
)


@dataclass(frozen=True)
class Component:
    """A bundled component as the dialog shows it."""

    name: str
    version: str
    licence: str
    purpose: str
    text: str


def licence_path() -> Path:
    """The program's own licence, the GPL-3.0 text (``LICENSE`` beside ``resources/``)."""
    return resources_dir().parent / "LICENSE"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _first(meta: metadata.PackageMetadata, key: str) -> str:
    values = meta.get_all(key) or []
    return str(values[0]).strip() if values else ""


def declared_licence(meta: metadata.PackageMetadata) -> str:
    """The licence a package declares: its SPDX expression, a short License field, or the
    licence classifiers; empty when it declares none."""
    expression = _first(meta, "License-Expression")
    if expression:
        return expression
    field = _first(meta, "License")
    if field and len(field) <= 80 and "\n" not in field:
        return field
    names = [
        c.rsplit("::", 1)[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.rsplit("::", 1)[-1].strip() != "OSI Approved"
    ]
    return ", ".join(names)


def _package_texts(distribution: metadata.Distribution) -> list[tuple[str, str]]:
    texts = []
    for file in distribution.files or ():
        lowered = str(file).lower()
        if ".dist-info" in lowered and ("licen" in lowered or "copying" in lowered):
            text = _read(Path(str(file.locate())))
            if text.strip():
                texts.append((str(file), text))
    return texts


def _component(entry: Entry) -> Component:
    version = ""
    licence = entry.licence
    texts: list[tuple[str, str]] = []
    if entry.distribution is not None:
        try:
            distribution = metadata.distribution(entry.distribution)
        except metadata.PackageNotFoundError:
            distribution = None
        if distribution is not None:
            version = distribution.version
            licence = declared_licence(distribution.metadata) or entry.licence
            texts = _package_texts(distribution)
    if entry.bundles:
        licence = f"{licence}; {entry.bundles}"
    if entry.name == "Python":
        version = platform.python_version()
    elif entry.name == "Qt 6":
        version = qVersion()
    elif entry.name.startswith("PySide6") and not version:
        version = pyside_version
    for relative in entry.texts:
        path = resources_dir() / relative
        text = _read(path)
        if text.strip():
            texts.append((f"resources/{relative}", text))
    if entry.licence.startswith("LGPL"):
        # The LGPL-3.0 adds permissions to the GPL-3.0, so its text goes with it.
        gpl = _read(licence_path())
        if gpl.strip():
            texts.append(("LICENSE (GNU GPL version 3, which the LGPL-3.0 builds on)", gpl))
    body = "\n\n".join(f"==== {source} ====\n\n{text.strip()}" for source, text in texts)
    return Component(entry.name, version, licence, entry.purpose, body)


def program_component() -> Component:
    """isms-desktop itself, with the full GPL text."""
    return Component(
        "isms-desktop",
        __version__,
        PROGRAM_LICENCE,
        "this program",
        _read(licence_path()),
    )


def bundled_components() -> list[Component]:
    """isms-desktop first, then every bundled component, in the order of ``ENTRIES``."""
    return [program_component(), *(_component(entry) for entry in ENTRIES)]


class LicencesDialog(QDialog):
    """The components in a table; the selected one's licence text below it."""

    COLUMNS = ("Component", "Version", "Licence", "Used for")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Licences of Bundled Components"))
        self.resize(900, 680)
        self.components = bundled_components()
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "isms-desktop {0} is free software under the GNU General Public License, "
                "version 3 or later; it comes with ABSOLUTELY NO WARRANTY. It is built with the "
                "components below, each under its own licence. Select one to read its licence."
            ).format(__version__),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableWidget(len(self.components), len(self.COLUMNS), self)
        self.table.setObjectName("licences_table")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, component in enumerate(self.components):
            values = (component.name, component.version, component.licence, component.purpose)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 300)
        header.setStretchLastSection(True)
        splitter.addWidget(self.table)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("licence_text")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        splitter.addWidget(self.text)
        splitter.setSizes([300, 380])
        layout.addWidget(splitter, 1)
        self.path_label = QLabel(self.tr("The program's licence: {0}").format(licence_path()), self)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        layout.addWidget(self.path_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.currentCellChanged.connect(lambda row, *_a: self.show_text(row))
        self.table.selectRow(0)
        self.show_text(0)

    def show_text(self, row: int) -> None:
        if not 0 <= row < len(self.components):
            return
        component = self.components[row]
        self.text.setPlainText(
            component.text
            or self.tr(
                "{0} is used under {1}. Its licence text is not included in this installation."
            ).format(component.name, component.licence)
        )
