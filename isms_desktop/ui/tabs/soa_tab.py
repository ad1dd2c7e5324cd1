"""The Statement of Applicability tab: the 93 controls (and custom ones) with their warnings.

Below the register, a list of the consistency warnings of ``services.soa.warnings``;
clicking one selects the control's row and the field the warning is about. Without
warnings only the line saying so remains, and the register keeps the whole width.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import soa
from isms_desktop.services.projects import Project
from isms_desktop.ui.deferred import WhenShown
from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.tabs.base import ProjectInfo
from isms_desktop.ui.tabs.register_area import RegisterAreaTab

_FIELD_ROLE = Qt.ItemDataRole.UserRole + 1
_LIST_HEIGHT = 160  # pixels given to the list when warnings appear
_NO_LIMIT = 16_777_215  # QWIDGETSIZE_MAX


class SoaWarningsPanel(QWidget):
    """The SoA's consistency warnings; activating one goes to its row."""

    def __init__(self, view: RegisterView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._project: Project | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.title_label = QLabel(self)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)
        self.list = QListWidget(self)
        self.list.setObjectName("soa_warnings")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemClicked.connect(self.go_to)
        self.list.itemActivated.connect(self.go_to)
        layout.addWidget(self.list, 1)
        # read when the SoA is shown (the warnings tint its cells too, which only it shows)
        self._when_shown = WhenShown(self, self._reload)
        view.records_changed.connect(lambda _r: self.reload())
        view.attachments.changed.connect(self.reload)

    def set_project(self, project: Project | None, _info: ProjectInfo | None = None) -> None:
        self._project = project
        self.reload()

    def reload(self) -> None:
        self._when_shown.request()

    def _reload(self) -> None:
        self.list.clear()
        found = []
        if self._project is not None:
            try:
                found = soa.warnings(self._project)
            except IsmsError as exc:
                self.title_label.setText(str(exc))
                return
        if len(found) == 1:
            self.title_label.setText(self.tr("1 warning"))
        elif found:
            self.title_label.setText(self.tr("{0} warnings").format(len(found)))
        else:
            self.title_label.setText(self.tr("No warnings"))
        self._fold(not found)
        self.view.model.set_notes({(w.code, w.field): w.message for w in found})
        for warning in found:
            item = QListWidgetItem(f"{warning.code}: {warning.message}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, warning.code)
            item.setData(_FIELD_ROLE, warning.field)
            item.setToolTip(self.tr("Click to go to control {0}").format(warning.code))

    def _fold(self, folded: bool) -> None:
        """Without warnings, only the title line; with them, the list gets room again."""
        if folded == self.list.isHidden():
            return
        self.list.setVisible(not folded)
        height = self.title_label.sizeHint().height() + 6 if folded else _LIST_HEIGHT
        self.setMaximumHeight(height if folded else _NO_LIMIT)
        splitter = self.parentWidget()
        if isinstance(splitter, QSplitter):
            total = sum(splitter.sizes())
            if folded or splitter.sizes()[-1] < height:
                splitter.setSizes([max(total - height, 0), height])

    def go_to(self, item: QListWidgetItem) -> None:
        code = str(item.data(Qt.ItemDataRole.UserRole))
        field_name = str(item.data(_FIELD_ROLE) or "") or None
        if field_name:  # a column the user hid: shown again, or the warning points at nothing
            with contextlib.suppress(KeyError):
                self.view.table.setColumnHidden(self.view.model.column_of(field_name), False)
        if not self.view.select_code(code, field_name):
            # Hidden by a filter: show everything, then go there.
            self.view.clear_filters()
            self.view.select_code(code, field_name)
        self.view.table.setFocus()


class SoaTab(RegisterAreaTab):
    key: ClassVar[str] = "soa"
    registers: ClassVar[tuple[str, ...]] = ("soa",)

    def make_page(self, name: str, view: RegisterView) -> QWidget:
        # The justification is what the SoA states for each control (6.1.3 d): shown, though
        # registers this wide start without their long texts.
        view.table.setColumnHidden(view.model.column_of("justification"), False)
        # below the register: beside it, with the attachments, it left the table too narrow
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(view)
        self.warnings = SoaWarningsPanel(view, splitter)
        splitter.addWidget(self.warnings)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setCollapsible(0, False)
        splitter.setSizes([10_000, _LIST_HEIGHT])
        return splitter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from isms_desktop.ui.soa_versions import SoaVersionsPanel

        self.versions_panel = SoaVersionsPanel(self)
        self.add_page(self.tr("Approved Versions"), self.versions_panel)

    def set_project(self, project: Project | None, info: ProjectInfo | None) -> None:
        super().set_project(project, info)
        self.warnings.set_project(project, info)
