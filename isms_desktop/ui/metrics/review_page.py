"""Management review page (9.3): prepare the inputs, record decisions as actions, close.

Choose or create a review; its inputs (9.3.2 a–g) are compiled from the project. Each input
shows the records it is based on and a draft text to edit and confirm. Actions decided at
the meeting get an owner and a due date and go to the unified action list.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain import review_inputs as ri
from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import registers, reviews, training
from isms_desktop.services.projects import Project


def _py_date(edit: QDateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day


class ReviewPage(QWidget):
    """One review at a time: inputs on the left and middle, actions at the bottom."""

    records_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.detail: reviews.ReviewDetail | None = None
        self.chooser = QComboBox(self)
        self.chooser.currentIndexChanged.connect(self._chosen)
        self.new_button = QPushButton(self.tr("New review…"), self)
        self.new_button.clicked.connect(self._ask_new)
        self.compile_button = QPushButton(self.tr("Compile inputs again"), self)
        self.compile_button.clicked.connect(self.recompile)
        self.close_button = QPushButton(self.tr("Close review"), self)
        self.close_button.clicked.connect(self.close_review)
        self.state = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Review"), self))
        top.addWidget(self.chooser, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.compile_button)
        top.addWidget(self.close_button)

        self.sections = QListWidget(self)
        self.sections.currentRowChanged.connect(self._show_section)
        self.items = QTextBrowser(self)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("What management should know about this input"))
        self.save_button = QPushButton(self.tr("Save and confirm input"), self)
        self.save_button.clicked.connect(self.save_input)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(QLabel(self.tr("Records of the review period"), self))
        middle_layout.addWidget(self.items, 3)
        middle_layout.addWidget(QLabel(self.tr("Input for the review (edit, then confirm)"), self))
        middle_layout.addWidget(self.text, 2)
        middle_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.sections)
        splitter.addWidget(middle)
        splitter.setSizes([320, 760])

        actions_box = QGroupBox(self.tr("Decisions and actions (9.3.3)"), self)
        self.action_list = QListWidget(actions_box)
        self.action_title = QLineEdit(actions_box)
        self.action_title.setPlaceholderText(self.tr("Action decided by management"))
        self.action_owner = QComboBox(actions_box)
        self.action_due = QDateEdit(QDate.currentDate().addMonths(3), actions_box)
        self.action_due.setCalendarPopup(True)
        self.action_due.setDisplayFormat("yyyy-MM-dd")
        self.add_action_button = QPushButton(self.tr("Add action"), actions_box)
        self.add_action_button.clicked.connect(self.add_action)
        entry = QHBoxLayout()
        entry.addWidget(self.action_title, 1)
        entry.addWidget(self.action_owner)
        entry.addWidget(self.action_due)
        entry.addWidget(self.add_action_button)
        box_layout = QVBoxLayout(actions_box)
        box_layout.addWidget(self.action_list)
        box_layout.addLayout(entry)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(splitter, 3)
        layout.addWidget(actions_box, 1)
        self._enable()

    # --- project and review choice ----------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.action_owner.clear()
        self.action_owner.addItem(self.tr("(no owner)"), "")
        if project is not None:
            for code, name in training.people_codes(project):
                self.action_owner.addItem(name, code)
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        keep = keep or (self.detail.code if self.detail else None)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        rows = registers.list_rows(self.project, "reviews") if self.project else []
        for row in rows:
            self.chooser.addItem(f"{row.code} — {row.display.get('title', '')}", row.code)
        index = self.chooser.findData(keep) if keep else len(rows) - 1
        self.chooser.setCurrentIndex(max(index, 0) if rows else -1)
        self.chooser.blockSignals(False)
        self._chosen()

    def _chosen(self) -> None:
        code = self.chooser.currentData()
        self.detail = reviews.detail(self.project, str(code)) if self.project and code else None
        self._fill()

    def _enable(self) -> None:
        editable = self.detail is not None and self.detail.status != "closed"
        for widget in (
            self.compile_button,
            self.close_button,
            self.save_button,
            self.add_action_button,
        ):
            widget.setEnabled(editable)
        self.text.setReadOnly(not editable)
        self.new_button.setEnabled(self.project is not None)

    def _fill(self) -> None:
        row = self.sections.currentRow()
        self.sections.blockSignals(True)
        self.sections.clear()
        self.action_list.clear()
        d = self.detail
        if d is None:
            self.state.setText(self.tr("No management review yet: create one with New review…"))
            self.items.clear()
            self.text.clear()
            self.sections.blockSignals(False)
            self._enable()
            return
        for s in ri.SECTIONS:
            confirmed = ri.is_confirmed(d.inputs, s.key)
            count = len(ri.section_items(d.inputs, s.key))
            mark = "✓" if confirmed else "•"
            item = QListWidgetItem(f"{mark} {s.clause}  {s.title} ({count})")
            item.setData(Qt.ItemDataRole.UserRole, s.key)
            item.setToolTip(
                self.tr("Confirmed") if confirmed else self.tr("Draft, to be confirmed")
            )
            self.sections.addItem(item)
        self.sections.blockSignals(False)
        self.sections.setCurrentRow(row if 0 <= row < len(ri.SECTIONS) else 0)
        period = (
            f"{d.period_start.isoformat() if d.period_start else '…'} – "
            f"{d.period_end.isoformat() if d.period_end else '…'}"
        )
        state = (
            self.tr("%1 · period %2 · %3 · inputs confirmed %4 %")
            .replace("%1", d.status)
            .replace("%2", period)
            .replace("%3", d.chair or self.tr("no chair"))
            .replace("%4", str(d.completeness_percent))
        )
        if d.closing_problems and d.status != "closed":
            state += "\n" + self.tr("To close: ") + "; ".join(d.closing_problems[:3])
            if len(d.closing_problems) > 3:
                state += " …"
        self.state.setText(state)
        for a in d.actions:
            due = a.due_date.isoformat() if a.due_date else self.tr("no date")
            self.action_list.addItem(f"{a.code}  {a.title} — {a.owner or '?'}, {due} [{a.status}]")
        self._enable()

    def _section_key(self) -> str | None:
        item = self.sections.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _show_section(self) -> None:
        key = self._section_key()
        if self.detail is None or key is None:
            return
        items = ri.section_items(self.detail.inputs, key)
        if items:
            lines = []
            for i in items:
                ref = html.escape(str(i.get("ref", "")))
                when = html.escape(str(i.get("date") or ""))
                change = str(i.get("change") or "")
                tag = f" <i>[{html.escape(change)}]</i>" if change and change != "current" else ""
                lines.append(
                    f"<li><b>{ref}</b> {when}{tag} {html.escape(str(i.get('text', '')))}</li>"
                )
            self.items.setHtml("<ul>" + "".join(lines) + "</ul>")
        else:
            self.items.setHtml(f"<p><i>{self.tr('No records in the review period.')}</i></p>")
        self.text.setPlainText(ri.section_text(self.detail.inputs, key))

    # --- actions of the user ------------------------------------------------------------------

    def _ask_new(self) -> None:
        title, ok = QInputDialog.getText(
            self,
            self.tr("New management review"),
            self.tr("Title"),
            text=self.tr("Management review %1").replace("%1", str(dt.date.today().year)),
        )
        if ok and title.strip():
            self.create_review(title, dt.date.today())

    def _run(self, what: str, call: object) -> bool:
        assert callable(call)
        try:
            call()
        except IsmsError as exc:
            QMessageBox.warning(self, what, str(exc))
            return False
        return True

    def create_review(self, title: str, meeting: dt.date) -> None:
        if self.project is None:
            return
        project = self.project
        made: list[str] = []

        def go() -> None:
            made.append(reviews.create_review(project, title, meeting).code)

        if self._run(self.tr("New management review"), go):
            self.reload(made[0])
            self.records_changed.emit()

    def recompile(self) -> None:
        if self.project is None or self.detail is None:
            return
        project, code = self.project, self.detail.code
        if self._run(self.tr("Compile inputs"), lambda: reviews.recompile(project, code)):
            self.reload(code)

    def save_input(self) -> None:
        key = self._section_key()
        if self.project is None or self.detail is None or key is None:
            return
        project, code, text = self.project, self.detail.code, self.text.toPlainText()
        if self._run(self.tr("Save input"), lambda: reviews.set_input(project, code, key, text)):
            self.reload(code)
            next_row = min(self.sections.currentRow() + 1, len(ri.SECTIONS) - 1)
            self.sections.setCurrentRow(next_row)

    def add_action(self) -> None:
        if self.project is None or self.detail is None or not self.action_title.text().strip():
            return
        project, code = self.project, self.detail.code
        title = self.action_title.text()
        owner = str(self.action_owner.currentData() or "") or None
        due = _py_date(self.action_due)

        def go() -> None:
            reviews.add_action(project, code, title, owner=owner, due_date=due)

        if self._run(self.tr("Add action"), go):
            self.action_title.clear()
            self.reload(code)
            self.records_changed.emit()

    def close_review(self) -> None:
        if self.project is None or self.detail is None:
            return
        project, code = self.project, self.detail.code
        if self._run(self.tr("Close review"), lambda: reviews.close(project, code)):
            self.reload(code)
            self.records_changed.emit()
