"""The Policies & Documents tab: the register of documented information.

Below the register, a button opens the chosen document's window: its text, its versions and
the workflow steps (submit for review, approve, publish, withdraw, start a new version) that
the register itself leaves to that window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from isms_desktop.services.projects import Project
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.tabs.base import ProjectInfo
from isms_desktop.ui.tabs.register_area import RegisterAreaTab

if TYPE_CHECKING:  # (the document window's module loads when first opened)
    from isms_desktop.ui.documents.menu import DocumentDialog


class DocumentsTab(RegisterAreaTab):
    key: ClassVar[str] = "documents"
    registers: ClassVar[tuple[str, ...]] = ("documents",)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.dialogs: dict[str, DocumentDialog] = {}
        super().__init__(parent)

    def make_page(self, name: str, view: RegisterView) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view, 1)
        bar = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open Document…"), page)
        self.open_button.setObjectName("open_document")
        self.open_button.setToolTip(
            self.tr(
                "The document's text and version history, and the steps of its approval: "
                "submit for review, approve, publish, withdraw, start a new version"
            )
        )
        self.open_button.clicked.connect(lambda: self.open_document())
        hint = QLabel(
            self.tr("Write, approve and publish the chosen document in its own window."), page
        )
        hint.setWordWrap(True)
        bar.addWidget(self.open_button)
        bar.addWidget(hint, 1)
        layout.addLayout(bar)
        view.current_changed.connect(lambda code: self.open_button.setEnabled(bool(code)))
        # a double-click on the code, status or version opens the document, not a form
        view.open_record = self.open_document
        view.first_step = self.tr(
            "Start with the information security policy: Documents > Draft a Policy… writes "
            "it from a template with your answers. Click Add (Ctrl+N) to register any other "
            "document, or bring them in from a spreadsheet with File > Import from Spreadsheet…"
        )
        self.open_button.setEnabled(False)
        return page

    def open_document(self, code: str | None = None) -> DocumentDialog | None:
        """Show the window of ``code`` (the register's current document by default)."""
        view = self.views["documents"]
        code = code or view.current_code()
        if self.project is None or not code:
            return None
        dialog = self.dialogs.get(code)
        if dialog is None or dialog.project is not self.project:
            from isms_desktop.ui.documents.menu import DocumentDialog

            dialog = DocumentDialog(self.project, code, self.window())
            dialog.panel.changed.connect(self._document_changed)
            dialog.finished.connect(lambda _result, c=code: self.dialogs.pop(c, None))
            self.dialogs[code] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _document_changed(self, _code: str) -> None:
        self.views["documents"].refresh()
        self._records_changed("documents")

    def set_project(self, project: Project | None, info: ProjectInfo | None) -> None:
        for dialog in list(self.dialogs.values()):
            if dialog.project is not project:
                dialog.done(0)  # (its window belongs to the project that was open)
        super().set_project(project, info)
