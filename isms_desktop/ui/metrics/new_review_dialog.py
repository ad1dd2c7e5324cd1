"""The New Management Review dialog: title, meeting date and the period the review covers.

A review is often recorded after its meeting: the meeting date given here is the day whose
records its inputs show (events by their dates, other values as the change log had them),
so the dialog asks for it, and says so, instead of dating every new review today.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import reviews
from isms_desktop.services.projects import Project


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day


def _date_edit(parent: QWidget, day: dt.date) -> QDateEdit:
    edit = QDateEdit(_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class NewReviewDialog(QDialog):
    """Asks what a new review needs; ``values()`` gives them once accepted."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("New Management Review"))
        today = dt.date.today()
        self.title = QLineEdit(self._default_title(today))
        self.meeting = _date_edit(self, today)
        self.start = _date_edit(self, today)
        self.end = _date_edit(self, today)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Meeting date"), self.meeting)
        form.addRow(self.tr("Period from"), self.start)
        form.addRow(self.tr("Period to"), self.end)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Create and Compile Inputs"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        try:
            self.log_start = reviews.change_log_start(project)
        except IsmsError:
            self.log_start = None
        self.meeting.dateChanged.connect(self._meeting_changed)
        self.end.dateChanged.connect(self._explain)
        self._meeting_changed()
        self.setMinimumWidth(520)

    def _default_title(self, meeting: dt.date) -> str:
        return self.tr("Management review %1").replace("%1", str(meeting.year))

    def _meeting_changed(self) -> None:
        """The period follows the meeting: from the day after the previous review (or a
        year back) to the meeting; so does the title's year while the title is the one
        proposed (a review of last year's meeting was titled with this year)."""
        meeting = _day(self.meeting)
        prefix, _, suffix = self.tr("Management review %1").partition("%1")
        title = self.title.text().strip()
        year = title.removeprefix(prefix).removesuffix(suffix)
        if title.startswith(prefix) and title.endswith(suffix) and re.fullmatch(r"\d{4}", year):
            self.title.setText(self._default_title(meeting))
        try:
            start, end = reviews.suggested_period(self.project, _day(self.meeting))
        except IsmsError:
            return
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))
        self._explain()

    def _explain(self) -> None:
        end, today = _day(self.end), dt.date.today()
        if end < today and (self.log_start is None or self.log_start > end):
            text = self.tr(
                "The inputs will report the events up to %1, the end of the period, by the "
                "dates recorded on them. The project's change log begins only on %2, so "
                "statuses, risk levels, progress and metric targets will be today's; the "
                "review says so."
            ).replace("%1", end.isoformat())
            text = text.replace("%2", (self.log_start or today).isoformat())
        elif end < today:
            text = self.tr(
                "The inputs will show the records as they stood on %1, the end of the "
                "period: events by the dates recorded on them, other values (statuses, risk "
                "levels, progress, metric targets) as the project's change log had them that "
                "day."
            ).replace("%1", end.isoformat())
        else:
            text = self.tr(
                "The inputs are compiled from the records as they are today; compile them "
                "again shortly before the meeting to include what happens until then."
            )
        self.hint.setText(text)

    def values(self) -> tuple[str, dt.date, dt.date, dt.date]:
        """Title, meeting date, period start and end."""
        return (
            self.title.text().strip(),
            _day(self.meeting),
            _day(self.start),
            _day(self.end),
        )

    def problems(self) -> list[str]:
        title, _meeting, start, end = self.values()
        found = []
        if not title:
            found.append(self.tr("Give the review a title."))
        if end < start:
            found.append(
                self.tr("The period ends (%1) before it starts (%2).")
                .replace("%1", end.isoformat())
                .replace("%2", start.isoformat())
            )
        return found

    def accept(self) -> None:
        found = self.problems()
        if found:
            self.problem.setText(" ".join(found))
            self.problem.show()
            return
        super().accept()
