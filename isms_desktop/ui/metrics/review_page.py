"""Management review page (9.3): prepare the inputs, record decisions as actions, close.

Choose or create a review; its inputs (9.3.2 a–g) are compiled from the project. Each input
shows the records it is based on and a draft text to edit and confirm. The meeting (date,
chair, attendees), its decisions and minutes are recorded here too, as closing the review
needs them. Actions decided at the meeting get an owner and a due date and go to the
unified action list.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain import review_inputs as ri
from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.register_specs import ACTIONS, REVIEWS
from isms_desktop.services import registers, reviews, training
from isms_desktop.services.projects import Project
from isms_desktop.ui.metrics.new_review_dialog import NewReviewDialog
from isms_desktop.ui.metrics.trend_chart import render_image


def _py_date(edit: QDateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day


def _compiled_on(detail: reviews.ReviewDetail) -> str:
    """The day the review's inputs were compiled (``""`` for a review from before it was
    recorded)."""
    return str(detail.inputs.get("compiled_on") or "")


def _compiled(detail: reviews.ReviewDetail) -> bool:
    """Whether the review's inputs were compiled (a review added in the register has none)."""
    return bool(detail.inputs.get("sections"))


def _part(clause: str) -> str:
    """The part of clause 9.3.2 an input answers ("9.3.2 d 1" -> "d 1"): the list's heading
    names the clause."""
    return clause.removeprefix("9.3.2").strip() or clause


_REVIEW_STATUS = REVIEWS.field("status").choice_labels
_ACTION_STATUS = ACTIONS.field("status").choice_labels


class ReviewPage(QWidget):
    """One review at a time: inputs on the left and middle, actions at the bottom."""

    records_changed = Signal()
    _ACTIONS_TAB = 2  # index in ``outcome``

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.detail: reviews.ReviewDetail | None = None
        self.chooser = QComboBox(self)
        self.chooser.currentIndexChanged.connect(self._chosen)
        self.new_button = QPushButton(self.tr("New Review…"), self)
        self.new_button.clicked.connect(self._ask_new)
        self.compile_button = QPushButton(self.tr("Compile Inputs Again"), self)
        self.compile_button.clicked.connect(self.recompile)
        self.close_button = QPushButton(self.tr("Close Review"), self)
        self.close_button.clicked.connect(self.close_review)
        self.state = QLabel(self)
        self.state.setWordWrap(True)  # the reasons not to close yet are a long line
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Review"), self))
        top.addWidget(self.chooser, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.compile_button)
        top.addWidget(self.close_button)

        # The inputs' titles are long ("Results of risk assessment and status of risk
        # treatment plan"): they wrap, as a list cut them off at 1024 pixels wide (the
        # tooltip alone had them); the clause, the same for all, heads the list.
        self.sections = QListWidget(self)
        self.sections.setWordWrap(True)
        self.sections.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrapped when resized
        self.sections.setSpacing(2)
        self.sections.currentRowChanged.connect(self._show_section)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Inputs (clause 9.3.2)"), self))
        left_layout.addWidget(self.sections, 1)
        self.items = QTextBrowser(self)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("What management should know about this input"))
        self.save_button = QPushButton(self.tr("Save and Confirm Input"), self)
        self.save_button.clicked.connect(self.save_input)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        self.records_label = QLabel(self.tr("Records of the review period"), self)
        middle_layout.addWidget(self.records_label)
        middle_layout.addWidget(self.items, 3)
        # how the records shown were read, for a review entered after its meeting
        self.as_of_note = QLabel(self)
        self.as_of_note.setWordWrap(True)
        self.as_of_note.setStyleSheet("color: palette(placeholder-text);")
        self.as_of_note.hide()
        middle_layout.addWidget(self.as_of_note)
        middle_layout.addWidget(QLabel(self.tr("Input for the review (edit, then confirm)"), self))
        middle_layout.addWidget(self.text, 2)
        middle_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(1, 1)  # a wider window widens the records, not the list
        splitter.setSizes([360, 720])

        # The record of the meeting (9.3.3): closing the review needs a date, a chair,
        # the attendees and the decisions, so they are entered here, beside the inputs.
        self.outcome = QTabWidget(self)
        self.outcome.setDocumentMode(True)
        meeting = QWidget(self.outcome)
        self.meeting_date = QDateEdit(meeting)
        self.meeting_date.setCalendarPopup(True)
        self.meeting_date.setDisplayFormat("yyyy-MM-dd")
        self.chair = QComboBox(meeting)
        self.attendees = QLineEdit(meeting)
        self.attendees.setPlaceholderText(self.tr("Who took part (names or roles)"))
        form = QFormLayout(meeting)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Meeting date"), self.meeting_date)
        form.addRow(self.tr("Chaired by"), self.chair)
        form.addRow(self.tr("Attendees"), self.attendees)
        self.outcome.addTab(meeting, self.tr("Meeting"))
        decided = QWidget(self.outcome)
        self.decisions = QPlainTextEdit(decided)
        self.decisions.setPlaceholderText(
            self.tr("Decisions on improvement opportunities and changes needed to the ISMS")
        )
        self.minutes = QPlainTextEdit(decided)
        self.minutes.setPlaceholderText(self.tr("Minutes (optional)"))
        # each box under its name: the placeholders naming them vanish once they are filled
        decided_layout = QHBoxLayout(decided)
        for label, editor in (
            (self.tr("Decisions (9.3.3)"), self.decisions),
            (self.tr("Minutes (optional)"), self.minutes),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(label, decided))
            column.addWidget(editor, 1)
            decided_layout.addLayout(column, 1)
        self.outcome.addTab(decided, self.tr("Decisions"))
        self.save_meeting_button = QPushButton(self.tr("Save Meeting and Decisions"), self)
        self.save_meeting_button.clicked.connect(self.save_meeting)
        self.outcome.setCornerWidget(self.save_meeting_button, Qt.Corner.TopRightCorner)

        actions_box = QWidget(self.outcome)
        self.action_list = QListWidget(actions_box)
        self.action_title = QLineEdit(actions_box)
        self.action_title.setPlaceholderText(self.tr("Action decided by management"))
        self.action_owner = QComboBox(actions_box)
        self.action_due = QDateEdit(QDate.currentDate().addMonths(3), actions_box)
        self.action_due.setCalendarPopup(True)
        self.action_due.setDisplayFormat("yyyy-MM-dd")
        self.add_action_button = QPushButton(self.tr("Add Action"), actions_box)
        self.add_action_button.clicked.connect(self.add_action)
        self.action_title.returnPressed.connect(self.add_action)
        entry = QHBoxLayout()
        entry.addWidget(self.action_title, 1)
        entry.addWidget(self.action_owner)
        entry.addWidget(self.action_due)
        entry.addWidget(self.add_action_button)
        box_layout = QVBoxLayout(actions_box)
        box_layout.addWidget(self.action_list)
        box_layout.addLayout(entry)
        self.outcome.addTab(actions_box, self.tr("Actions"))
        self.outcome.currentChanged.connect(
            lambda index: self.save_meeting_button.setVisible(index != self._ACTIONS_TAB)
        )

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(splitter, 3)
        layout.addWidget(self.outcome, 1)
        self._enable()

    # --- project and review choice ----------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self._fill_people()
        self.reload()

    def _fill_people(self) -> None:
        people = training.people_codes(self.project) if self.project is not None else []
        for combo, empty in (
            (self.action_owner, self.tr("(no owner)")),
            (self.chair, self.tr("(no chair)")),
        ):
            kept = combo.currentData()
            combo.clear()
            combo.addItem(empty, "")
            for code, name in people:
                combo.addItem(name, code)
            combo.setCurrentIndex(max(combo.findData(kept), 0))

    def showEvent(self, event: QShowEvent) -> None:
        """Show what was changed elsewhere (the registers, other tabs) since last shown."""
        super().showEvent(event)
        if self.project is not None:
            self._fill_people()
            self.reload()

    def _unsaved(self) -> dict[str, object]:
        """What the user typed and did not save yet, to keep across a reload."""
        kept: dict[str, object] = {}
        d = self.detail
        key = self._section_key()
        if d is None:
            return kept
        if key is not None and self.text.toPlainText() != ri.section_text(d.inputs, key):
            kept["input_key"], kept["input"] = key, self.text.toPlainText()
        kept.update(self._meeting_changes(d, ("attendees", "decisions", "minutes")))
        if self._meeting_changes(d, ("date", "chair")):
            kept["date"] = self.meeting_date.date()
            kept["chair"] = self.chair.currentIndex()
        return kept

    def _restore(self, kept: dict[str, object]) -> None:
        if "input" in kept and kept["input_key"] == self._section_key():
            self.text.setPlainText(str(kept["input"]))
        for name, editor in (("decisions", self.decisions), ("minutes", self.minutes)):
            if name in kept:
                editor.setPlainText(str(kept[name]))
        if "attendees" in kept:
            self.attendees.setText(str(kept["attendees"]))
        if "date" in kept:
            date = kept["date"]
            assert isinstance(date, QDate)
            self.meeting_date.setDate(date)
            self.chair.setCurrentIndex(int(str(kept["chair"])))

    def reload(self, keep: str | None = None) -> None:
        same = keep is None or (self.detail is not None and keep == self.detail.code)
        kept = self._unsaved() if same else {}
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
        if self.detail is not None and self.detail.code == keep:
            self._restore(kept)

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
            self.save_meeting_button,
            self.meeting_date,
            self.chair,
        ):
            widget.setEnabled(editable)
        for editor in (self.text, self.decisions, self.minutes, self.attendees):
            editor.setReadOnly(not editable)
        self.new_button.setEnabled(self.project is not None)

    def _fill(self) -> None:
        row = self.sections.currentRow()
        self.sections.blockSignals(True)
        self.sections.clear()
        self.action_list.clear()
        d = self.detail
        self.compile_button.setText(
            self.tr("Compile Inputs Again")
            if d is None or _compiled(d)
            else self.tr("Compile inputs")
        )
        if d is None:
            self.state.setText(self.tr("No management review yet: create one with New Review…"))
            self.as_of_note.hide()
            self.records_label.setText(self.tr("Records of the review period"))
            self.items.clear()
            self.text.clear()
            self.decisions.clear()
            self.minutes.clear()
            self.attendees.clear()
            self.chair.setCurrentIndex(0)
            self.sections.blockSignals(False)
            self._enable()
            return
        for s in ri.SECTIONS:
            confirmed = ri.is_confirmed(d.inputs, s.key)
            count = len(ri.section_items(d.inputs, s.key))
            mark = "✓" if confirmed else "•"
            item = QListWidgetItem(f"{mark} {_part(s.clause)}  {s.title} ({count})")
            item.setData(Qt.ItemDataRole.UserRole, s.key)
            item.setToolTip(
                f"{s.clause} {s.title}\n"
                + (self.tr("Confirmed") if confirmed else self.tr("Draft, to be confirmed"))
            )
            self.sections.addItem(item)
        self.sections.blockSignals(False)
        self.sections.setCurrentRow(row if 0 <= row < len(ri.SECTIONS) else 0)
        period = (
            f"{d.period_start.isoformat() if d.period_start else '…'} – "
            f"{d.period_end.isoformat() if d.period_end else '…'}"
        )
        state = (
            self.tr("%1 · meeting %5 · period %2 · chaired by %3 · %6, confirmed %4 %")
            .replace("%1", _REVIEW_STATUS.get(d.status, d.status))
            .replace("%2", period)
            .replace("%3", d.chair or self.tr("no one yet"))
            .replace("%4", str(d.completeness_percent))
            .replace("%5", d.date.isoformat() if d.date else self.tr("not dated"))
            .replace("%6", self._compiled_words(d))
        )
        note = str(d.inputs.get("as_of_note") or "")
        self.as_of_note.setText(note)
        self.as_of_note.setVisible(bool(note))
        as_of = ri.compiled(d.inputs).as_of
        self.records_label.setText(
            self.tr("Records of the review period, as they stood on %1").replace(
                "%1", as_of.isoformat()
            )
            if as_of is not None
            else self.tr("Records of the review period")
        )
        compiled = d.inputs_period
        if d.period_changed and compiled is not None and d.status != "closed":
            state += "\n" + (
                self.tr(
                    "The period was changed after the inputs were compiled for %1: they "
                    "still speak of that period. Compile Inputs Again to use %2."
                )
                .replace("%1", " – ".join(day.isoformat() if day else "…" for day in compiled))
                .replace("%2", period)
            )
        if d.closing_problems and d.status != "closed":
            state += "\n" + self.tr("To close: ") + "; ".join(d.closing_problems[:3])
            if len(d.closing_problems) > 3:
                state += " …"
        self.state.setText(state)
        for a in d.actions:
            due = (
                self.tr("due %1").replace("%1", a.due_date.isoformat())
                if a.due_date
                else self.tr("no due date")
            )
            status = _ACTION_STATUS.get(a.status, a.status)
            owner = a.owner or self.tr("no owner")
            self.action_list.addItem(f"{a.code}  {a.title} — {owner}, {due} [{status}]")
        self.outcome.setTabText(2, self.tr("Actions (%1)").replace("%1", str(len(d.actions))))
        self.meeting_date.setDate(
            QDate(d.date.year, d.date.month, d.date.day) if d.date else QDate.currentDate()
        )
        self.chair.setCurrentIndex(max(self.chair.findData(d.chair_code or ""), 0))
        self.attendees.setText(d.attendees)
        self.decisions.setPlainText(d.decisions)
        self.minutes.setPlainText(d.minutes)
        self._enable()

    def _compiled_words(self, d: reviews.ReviewDetail) -> str:
        """ "inputs compiled on 2026-09-20", or for a review entered after its meeting
        "inputs show the records as of 2026-10-01 (read on 2026-12-07)"."""
        if not _compiled(d):
            return self.tr("inputs not compiled yet (Compile Inputs)")
        found = ri.compiled(d.inputs)
        if found.read_later and not found.backdated and found.as_of and found.read_on:
            return (
                self.tr("inputs show the records as of %1 (read on %2)")
                .replace("%1", found.as_of.isoformat())
                .replace("%2", found.read_on.isoformat())
            )
        return self.tr("inputs compiled on %1").replace(
            "%1", _compiled_on(d) or self.tr("an unknown day")
        )

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
            charts = self._charts() if key == "d2" else ""
            self.items.setHtml("<ul>" + "".join(lines) + "</ul>" + charts)
        else:
            self.items.setHtml(f"<p><i>{self.tr('No records in the review period.')}</i></p>")
        self.text.setPlainText(ri.section_text(self.detail.inputs, key))

    def _charts(self) -> str:
        """The trend of each metric 9.3.2 d 2 reports, as the review's PDF draws it: with
        the target and alert threshold of the day the inputs show (and the same note)."""
        if self.project is None or self.detail is None:
            return ""
        try:
            found = reviews.metric_trends(self.project, self.detail.inputs)
        except IsmsError:
            return ""
        if not found.series:
            return ""
        document = self.items.document()
        width = max(260, (self.items.viewport().width() - 48) // 2)
        cells = []
        for series in found.series:
            name = f"chart:{series.code}"
            document.addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl(name),
                render_image(series, width, 200),
            )
            cells.append(f'<td><img src="{html.escape(name)}" width="{width}" height="200"></td>')
        rows = "".join(
            "<tr>" + "".join(cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)
        )
        return (
            f"<p><i>{html.escape(found.note)}</i></p>"
            f'<table cellspacing="4" cellpadding="0">{rows}</table>'
        )

    # --- actions of the user ------------------------------------------------------------------

    def _ask_new(self) -> None:
        if self.project is None:
            return
        dialog = NewReviewDialog(self.project, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            title, meeting, start, end = dialog.values()
            self.create_review(title, meeting, start, end)

    def _run(self, what: str, call: object) -> bool:
        assert callable(call)
        try:
            call()
        except IsmsError as exc:
            QMessageBox.warning(self, what, str(exc))
            return False
        return True

    def create_review(
        self,
        title: str,
        meeting: dt.date,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> None:
        if self.project is None:
            return
        project = self.project
        made: list[str] = []

        def go() -> None:
            made.append(
                reviews.create_review(
                    project, title, meeting, period_start=start, period_end=end
                ).code
            )

        if self._run(self.tr("New management review"), go):
            self.reload(made[0])
            self.records_changed.emit()

    def recompile(self) -> None:
        """Compile the inputs again, today, after saying what that replaces: the inputs
        compiled are the record of the day they were compiled."""
        d = self.detail
        if self.project is None or d is None:
            return
        project, code = self.project, d.code
        if not _compiled(d):  # added in the register: nothing to replace, nothing to ask
            if self._run(self.tr("Compile inputs"), lambda: reviews.recompile(project, code)):
                self.reload(code)
                self.records_changed.emit()
            return
        end = d.period_end or d.date or dt.date.today()
        if end < dt.date.today():
            text = self.tr(
                "Compile the inputs of %1 again from the records as they stood on %4, the "
                "end of its period (events by their dates, other values from the change "
                "log)?\n\n"
            ).replace("%4", end.isoformat())
        else:
            text = self.tr("Compile the inputs of %1 again from the records as they are today?\n\n")
        text += self.tr(
            "This replaces the inputs compiled on %2, which show the records as they stood "
            "that day."
        )
        if d.status == "held":
            text += " " + self.tr("They are what the meeting of %3 reviewed.")
        text += "\n\n" + self.tr(
            "Texts you confirmed are kept; the others are drafted again from the records."
        )
        text = (
            text.replace("%1", d.code)
            .replace("%2", _compiled_on(d) or self.tr("an unknown day"))
            .replace("%3", d.date.isoformat() if d.date else "")
        )
        answer = QMessageBox.question(
            self,
            self.tr("Compile Inputs Again"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._run(self.tr("Compile inputs"), lambda: reviews.recompile(project, code)):
            self.reload(code)
            self.records_changed.emit()

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

        if self._run(self.tr("Add Action"), go):
            self.action_title.clear()
            self.reload(code)
            self.records_changed.emit()

    def close_review(self) -> None:
        if self.project is None or self.detail is None:
            return
        project, code = self.project, self.detail.code
        if self._run(self.tr("Close Review"), lambda: reviews.close(project, code)):
            self.reload(code)
            self.records_changed.emit()

    def _meeting_changes(self, d: reviews.ReviewDetail, names: tuple[str, ...]) -> dict[str, str]:
        """The review's fields in ``names`` whose editors differ from the record."""
        shown = {
            "date": _py_date(self.meeting_date).isoformat(),
            "chair": str(self.chair.currentData() or ""),
            "attendees": self.attendees.text().strip(),
            "decisions": self.decisions.toPlainText().strip(),
            "minutes": self.minutes.toPlainText().strip(),
        }
        stored = {
            "date": d.date.isoformat() if d.date else "",
            "chair": d.chair_code or "",
            "attendees": d.attendees.strip(),
            "decisions": d.decisions.strip(),
            "minutes": d.minutes.strip(),
        }
        return {n: shown[n] for n in names if shown[n] != stored[n]}

    def save_meeting(self) -> None:
        """Save the meeting's date, chair, attendees, decisions and minutes (what changed)."""
        if self.project is None or self.detail is None:
            return
        project, code = self.project, self.detail.code
        d = self.detail
        changes = self._meeting_changes(d, ("date", "chair", "attendees", "decisions", "minutes"))
        moved = changes.get("date")
        if (
            moved
            and d.period_end is not None
            and d.period_end == d.date
            and (d.period_start is None or d.period_start.isoformat() <= moved)
        ):
            # the period ended on the meeting (as it does by default): it follows the
            # meeting's new date, and the page then offers to compile the inputs for it
            changes["period_end"] = moved

        def go() -> None:
            for name, value in changes.items():
                registers.update(project, "reviews", code, name, value)

        if changes and self._run(self.tr("Save Meeting and Decisions"), go):
            self.reload(code)
            self.records_changed.emit()
