"""The small forms of the improvement loop; each returns its values, the panels act on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

WHYS = 5
MAX_WHYS = 7  # as many as the domain accepts (clean_whys)
INTRO_CHARS = 400


def _shortened(text: str, limit: int = INTRO_CHARS) -> str:
    """A long description cut for a dialog's introduction (the dialog grew off the screen)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _date_edit(parent: QWidget, value: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = value or dt.date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def _to_date(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def people_combo(parent: QWidget, people: Sequence[tuple[str, str]], empty: bool) -> QComboBox:
    combo = QComboBox(parent)
    if empty:
        combo.addItem(parent.tr("(nobody yet)"), None)
    for code, name in people:
        combo.addItem(f"{name} ({code})", code)
    return combo


class _Form(QDialog):
    def __init__(self, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        outer = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a user's text
            outer.addWidget(label)
        self.form = QFormLayout()
        outer.addLayout(self.form, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)


class WhysDialog(_Form):
    """The 5-whys helper: each answer asks the next "why?"; the last one is the root cause."""

    def __init__(
        self,
        code: str,
        description: str,
        whys: Sequence[str] = (),
        root_cause: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self_tr("Analyse Cause of {0}").format(code),
            self_tr(
                'Nonconformity: {0}\n\nAsk "why?" until you reach a cause that, removed, stops '
                "it from happening again. The last answer becomes the root cause unless you "
                "write one below."
            ).format(_shortened(description)),
            parent,
        )
        self.why_edits: list[QLineEdit] = []
        # as many rows as answers recorded (an imported analysis may have up to 7): a
        # sixth answer was dropped without a word when the dialog was saved
        for i in range(min(max(WHYS, len(whys)), MAX_WHYS)):
            edit = QLineEdit(self)
            edit.setObjectName(f"why_{i + 1}")
            if i < len(whys):
                edit.setText(whys[i])
            edit.setPlaceholderText(self.tr("Why did that happen?") if i else self.tr("Why?"))
            self.why_edits.append(edit)
            self.form.addRow(self.tr("Why &{0}?").format(i + 1), edit)
            edit.textChanged.connect(lambda _t: self._check())
        self.root_edit = QLineEdit(root_cause, self)
        self.root_edit.setObjectName("root_cause")
        self.root_edit.setPlaceholderText(self.tr("(the last answer)"))
        self.form.addRow(self.tr("&Root cause:"), self.root_edit)
        self.root_edit.textChanged.connect(lambda _t: self._check())
        # OK with nothing answered was refused only after the dialog had closed
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.form.addRow("", self.hint)
        self.ok_button.setText(self.tr("Record Cause"))
        self._check()

    def _check(self) -> None:
        given = any(e.text().strip() for e in (*self.why_edits, self.root_edit))
        self.ok_button.setEnabled(given)
        self.hint.setText("" if given else self.tr("Answer at least the first “why?”."))

    def whys(self) -> list[str]:
        return [e.text() for e in self.why_edits]

    def root_cause(self) -> str:
        return self.root_edit.text()


class ActionDialog(_Form):
    """A corrective action: title, owner, due date."""

    def __init__(
        self, code: str, people: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            self_tr("Add Corrective Action to {0}").format(code),
            self_tr("The action that removes the root cause; it joins the one action list."),
            parent,
        )
        self.title_edit = QLineEdit(self)
        self.owner_combo = people_combo(self, people, empty=True)
        self.due_edit = _date_edit(self, dt.date.today() + dt.timedelta(days=30))
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setFixedHeight(70)
        self.description_edit.setTabChangesFocus(True)
        self.form.addRow(self.tr("&Title:"), self.title_edit)
        self.form.addRow(self.tr("&Owner:"), self.owner_combo)
        self.form.addRow(self.tr("D&ue date:"), self.due_edit)
        self.form.addRow(self.tr("&Description:"), self.description_edit)
        self.ok_button.setText(self.tr("Add Action"))
        # planning the actions needs each one's owner: asked for here, where it is added
        # (an action without one blocked the step, to be fixed in the actions register)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.form.addRow("", self.hint)
        self.title_edit.textChanged.connect(lambda _t: self._check())
        self.owner_combo.currentIndexChanged.connect(lambda _i: self._check())
        self.due_edit.dateChanged.connect(lambda _d: self._check())
        self._check()

    def _check(self) -> None:
        title, owner = self.title_edit.text().strip(), self.owner_combo.currentData()
        self.ok_button.setEnabled(bool(title and owner))
        missing = [
            text
            for text, given in ((self.tr("a title"), title), (self.tr("an owner"), owner))
            if not given
        ]
        if missing:
            hint = self.tr("The action needs {0}.").format(self.tr(" and ").join(missing))
        elif _to_date(self.due_edit) < dt.date.today():
            # allowed (an action recorded late), but a slip of the calendar is caught here
            hint = self.tr("The due date is in the past: the action is overdue at once.")
        else:
            hint = ""
        self.hint.setText(hint)

    def values(self) -> tuple[str, str | None, dt.date, str]:
        owner = self.owner_combo.currentData()
        return (
            self.title_edit.text().strip(),
            str(owner) if owner else None,
            _to_date(self.due_edit),
            self.description_edit.toPlainText().strip(),
        )


class VerifyDialog(_Form):
    """The effectiveness check: who, when, what was found, effective or not."""

    def __init__(
        self, code: str, people: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            self_tr("Verify Effectiveness of {0}").format(code),
            self_tr(
                "Did the corrective actions remove the cause? Not effective sends the "
                "nonconformity back to action planning."
            ),
            parent,
        )
        self.who_combo = people_combo(self, people, empty=False)
        self.when_edit = _date_edit(self)
        # a check is recorded once made: not on a day still to come
        today = dt.date.today()
        self.when_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.result_edit = QPlainTextEdit(self)
        self.result_edit.setFixedHeight(80)
        self.result_edit.setPlaceholderText(self.tr("What was checked and what it showed"))
        self.result_edit.setTabChangesFocus(True)
        self.effective_radio = QRadioButton(self.tr("&Effective: the cause is removed"), self)
        self.not_effective_radio = QRadioButton(
            self.tr("&Not effective: further action is needed"), self
        )
        self.effective_radio.setChecked(True)
        self.form.addRow(self.tr("Verified &by:"), self.who_combo)
        self.form.addRow(self.tr("&On:"), self.when_edit)
        self.form.addRow(self.tr("&Result:"), self.result_edit)
        self.form.addRow(self.tr("Verdict:"), self.effective_radio)
        self.form.addRow("", self.not_effective_radio)
        # OK without a result (or with nobody to name) was refused only after the dialog
        # had closed, and what was typed was lost
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.form.addRow("", self.hint)
        self.result_edit.textChanged.connect(self._check)
        self.effective_radio.toggled.connect(lambda _on: self._check())
        self._check()

    def _check(self) -> None:
        nobody = self.who_combo.count() == 0
        result = bool(self.result_edit.toPlainText().strip())
        self.ok_button.setEnabled(result and not nobody)
        if nobody:
            hint = self.tr("Add the person who checked in Context & Scope ▸ People first.")
        elif not result:
            hint = self.tr("Say what was checked and what it showed.")
        else:
            hint = ""
        self.hint.setText(hint)
        self.ok_button.setText(
            self.tr("Record as Effective")
            if self.effective_radio.isChecked()
            else self.tr("Record as Not Effective")
        )

    def values(self) -> tuple[str, dt.date, str, bool]:
        return (
            str(self.who_combo.currentData() or ""),
            _to_date(self.when_edit),
            self.result_edit.toPlainText().strip(),
            self.effective_radio.isChecked(),
        )


class TextDialog(_Form):
    """One multi-line text (the correction)."""

    def __init__(
        self,
        title: str,
        intro: str,
        label: str,
        text: str = "",
        parent: QWidget | None = None,
        ok_text: str = "",
    ) -> None:
        super().__init__(title, intro, parent)
        if ok_text:
            self.ok_button.setText(ok_text)
        self.edit = QPlainTextEdit(text, self)
        self.edit.setMinimumHeight(90)
        self.edit.setTabChangesFocus(True)  # Tab reaches OK (a tab typed in a correction)
        self.form.addRow(label, self.edit)

    def text(self) -> str:
        return self.edit.toPlainText().strip()


class NotificationDialog(_Form):
    """When the authority was notified."""

    def __init__(
        self, code: str, parent: QWidget | None = None, detected: dt.datetime | None = None
    ) -> None:
        super().__init__(
            self_tr("Record Notification of {0}").format(code),
            self_tr("When was the authority (e.g. the data-protection authority) notified?"),
            parent,
        )
        now = QDateTime.currentDateTime()
        self.when_edit = QDateTimeEdit(now, self)
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        # a notification is recorded once made, and not before the incident was detected
        self.when_edit.setMaximumDateTime(now)
        if detected is not None:
            self.when_edit.setMinimumDateTime(
                QDateTime(
                    QDate(detected.year, detected.month, detected.day),
                    QTime(detected.hour, detected.minute),
                )
            )
        self.form.addRow(self.tr("&Notified at:"), self.when_edit)
        self.ok_button.setText(self.tr("Record Notification"))

    def value(self) -> dt.datetime:
        q = self.when_edit.dateTime()
        d, t = q.date(), q.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class ImprovementDialog(_Form):
    """Raise an improvement from an incident: a nonconformity or an improvement action."""

    def __init__(
        self, code: str, people: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            self_tr("Raise Improvement from {0}").format(code),
            self_tr(
                "A nonconformity when a requirement was not met (it then needs a root cause "
                "and corrective action); an improvement action for anything else."
            ),
            parent,
        )
        self.nc_radio = QRadioButton(self.tr("&Nonconformity"), self)
        self.action_radio = QRadioButton(self.tr("Improvement &action"), self)
        self.nc_radio.setChecked(True)
        self.form.addRow(self.tr("Raise:"), self.nc_radio)
        self.form.addRow("", self.action_radio)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.tr("(for an action)"))
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setFixedHeight(70)
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(self.tr("(the incident and its lessons learned)"))
        # a nonconformity names the requirement not met and how serious it is (they were
        # left empty, to be found and filled in the register afterwards)
        self.requirement_edit = QLineEdit(self)
        self.requirement_edit.setPlaceholderText(self.tr("e.g. A.5.14 or 7.2"))
        self.severity_combo = QComboBox(self)
        self.severity_combo.addItem(self.tr("Minor"), "minor")
        self.severity_combo.addItem(self.tr("Major"), "major")
        self.owner_combo = people_combo(self, people, empty=True)
        self.due_edit = _date_edit(self, dt.date.today() + dt.timedelta(days=30))
        self.form.addRow(self.tr("&Title:"), self.title_edit)
        self.form.addRow(self.tr("&Description:"), self.description_edit)
        self.form.addRow(self.tr("Re&quirement:"), self.requirement_edit)
        self.form.addRow(self.tr("&Severity:"), self.severity_combo)
        self.owner_label = QLabel(self)
        self.owner_label.setBuddy(self.owner_combo)
        self.form.addRow(self.owner_label, self.owner_combo)
        self.form.addRow(self.tr("D&ue date:"), self.due_edit)
        self.action_radio.toggled.connect(self._kind_changed)
        self._kind_changed(False)

    def _kind_changed(self, action: bool) -> None:
        self.title_edit.setEnabled(action)
        self.due_edit.setEnabled(action)
        self.requirement_edit.setEnabled(not action)
        self.severity_combo.setEnabled(not action)
        self.owner_label.setText(self.tr("&Owner:") if action else self.tr("Raised &by:"))
        self.ok_button.setText(
            self.tr("Raise Action") if action else self.tr("Raise Nonconformity")
        )

    def values(self) -> dict[str, object]:
        owner = self.owner_combo.currentData()
        action = self.action_radio.isChecked()
        return {
            "kind": "action" if action else "nonconformity",
            "title": self.title_edit.text().strip(),
            "description": self.description_edit.toPlainText().strip(),
            "owner": str(owner) if owner else None,
            "due_date": _to_date(self.due_edit) if action else None,
            "requirement": "" if action else self.requirement_edit.text().strip(),
            "severity": str(self.severity_combo.currentData()),
        }


class CompleteAuditDialog(_Form):
    """Complete and sign off an audit, saying first which findings that raises."""

    def __init__(
        self,
        code: str,
        summary: str = "",
        parent: QWidget | None = None,
        *,
        signer: str = "",
        raises: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(
            self_tr("Complete Audit {0}").format(code),
            _completion_intro(code, raises),
            parent,
        )
        self.name_edit = QLineEdit(signer, self)
        self.name_edit.setObjectName("signed_off_by")
        self.name_edit.setPlaceholderText(
            self.tr("Who signs the audit off (e.g. the lead auditor)")
        )
        self.on_edit = _date_edit(self)
        self.summary_edit = QPlainTextEdit(summary, self)
        self.summary_edit.setFixedHeight(90)
        self.summary_edit.setPlaceholderText(self.tr("Conclusion of the audit, for its report"))
        self.form.addRow(self.tr("Signed off &by:"), self.name_edit)
        self.form.addRow(self.tr("&On:"), self.on_edit)
        self.form.addRow(self.tr("&Summary:"), self.summary_edit)
        # OK with nobody named only led to a refusal after the dialog had closed (and the
        # summary typed was lost): asked for here instead
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.form.addRow("", self.hint)
        self.ok_button.setText(self.tr("Complete Audit"))
        self.name_edit.textChanged.connect(lambda _t: self._check())
        self._check()

    def _check(self) -> None:
        named = bool(self.name_edit.text().strip())
        self.ok_button.setEnabled(named)
        self.hint.setText("" if named else self.tr("Say who signs the audit off."))

    def values(self) -> tuple[str, dt.date, str]:
        return (
            self.name_edit.text().strip(),
            _to_date(self.on_edit),
            self.summary_edit.toPlainText().strip(),
        )


def _completion_intro(code: str, raises: Mapping[str, int] | None) -> str:
    """What completing does, with the findings it will raise counted by kind."""
    if raises is None:
        made = self_tr(
            "a finding is raised for every nonconforming, observed or improvable checklist item"
        )
    elif not any(raises.values()):
        made = self_tr("no finding is raised: no checklist item needs one")
    else:
        kinds = (
            ("major_nc", self_tr("major nonconformity"), self_tr("major nonconformities")),
            ("minor_nc", self_tr("minor nonconformity"), self_tr("minor nonconformities")),
            ("observation", self_tr("observation"), self_tr("observations")),
            (
                "ofi",
                self_tr("opportunity for improvement"),
                self_tr("opportunities for improvement"),
            ),
        )
        parts = [
            f"{raises[kind]} {one if raises[kind] == 1 else many}"
            for kind, one, many in kinds
            if raises.get(kind)
        ]
        made = self_tr("these findings are raised from its checklist: {0}").format(", ".join(parts))
    return self_tr(
        "Completing signs {0} off and closes its checklist; {1}.\n\n"
        "Edit ▸ Undo reopens it (the findings raised are deleted again)."
    ).format(code, made)


def self_tr(text: str) -> str:
    """Text for a title built before ``self`` exists (kept for Qt's translation tools)."""
    return QCoreApplication.translate("ImprovementDialogs", text)
