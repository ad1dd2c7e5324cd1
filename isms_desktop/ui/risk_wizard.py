"""The "new risk" wizard: asset → threat → vulnerability → consequences → likelihood and
impact (with the scale descriptions in view) → treatment → controls → residual → owner.

Suggestions come from the catalogue (``services.risk_wizard``): threats that fit the asset's
type, vulnerabilities that enable the threat, the threat's typical controls. The risk is
recorded in one step at the end, as one undoable change.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.register_specs import TREATMENT_LABELS, TREATMENTS
from isms_desktop.domain.risk_method import RiskMethod, ScaleLevel
from isms_desktop.services import registers, risk_wizard
from isms_desktop.services.registers import Change
from isms_desktop.services.risk_method import current_method
from isms_desktop.services.risk_wizard import Recorded, RiskDraft, Suggestion
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.colours import text_colour

_CODE = Qt.ItemDataRole.UserRole + 1
_EXCLUDED = Qt.ItemDataRole.UserRole + 2  # a control the SoA marks not applicable

TREATMENT_HELP = {
    "modify": "Reduce the likelihood or impact with controls (the usual choice).",
    "retain": "Accept the risk as it is: the risk owner signs it off (only if acceptable).",
    "avoid": "Stop the activity that causes the risk.",
    "share": "Transfer part of the risk, e.g. to an insurer or a supplier under contract.",
}


def _explain(page: QWizardPage, text: str) -> None:
    label = QLabel(text, page)
    label.setWordWrap(True)
    layout = page.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.addWidget(label)


class _ListPage(QWizardPage):
    """A filterable list of catalogue suggestions (recommended first, marked ★), or own text."""

    def __init__(self, title: str, subtitle: str, own_label: str, multi: bool = False) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        layout.addWidget(self.filter)
        self.list = QListWidget(self)
        self.list.setAlternatingRowColors(True)
        if multi:
            self.list.itemChanged.connect(lambda _item: self.completeChanged.emit())
        else:
            self.list.currentItemChanged.connect(self._picked)
        layout.addWidget(self.list, 1)
        self.multi = multi
        self.own = QLineEdit(self)
        self.own.setPlaceholderText(own_label)
        self.own.textChanged.connect(lambda _text: self.completeChanged.emit())
        if multi:
            self.own.hide()  # ticked items only: outside any layout it would cover the filter
        else:
            layout.addWidget(self.own)

    def fill(self, suggestions: list[Suggestion]) -> None:
        """List ``suggestions``; the one picked before stays picked if it is among them
        (Back and Next refill the page: the user's choice must survive that)."""
        kept = self.picked_code if self._picked_item_matches() else ""
        self.list.blockSignals(True)
        self.list.clear()
        for s in suggestions:
            star = "★ " if s.recommended else ""
            # an excluded control says so in the list itself, not only in its tooltip
            excluded = self.tr(" — excluded in the SoA") if s.excluded else ""
            item = QListWidgetItem(f"{star}{s.code}  {s.title}{excluded}")
            item.setData(_CODE, s.code)
            item.setData(_EXCLUDED, s.excluded)
            item.setToolTip(s.detail)
            if s.recommended or s.excluded:
                font = item.font()
                font.setBold(s.recommended)
                font.setItalic(s.excluded)
                item.setFont(font)
            if s.excluded:
                item.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
            if self.multi:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
            if kept and s.code == kept and not self.multi:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if not kept or self.list.currentItem() is None:
            self.picked_code = ""
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.list.count()):
            item = self.list.item(row)
            haystack = f"{item.text()} {item.toolTip()}".casefold()
            item.setHidden(not all(w in haystack for w in words))

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.own.setText(item.text().removeprefix("★ ").split("  ", 1)[-1])
            self.picked_code = str(item.data(_CODE))
        self.completeChanged.emit()

    picked_code = ""

    def _picked_item_matches(self) -> bool:
        """The own text is still the title of the item picked (not typed over)."""
        item = self.list.currentItem()
        return (
            item is not None
            and str(item.data(_CODE)) == self.picked_code
            and self.own.text().strip() == item.text().removeprefix("★ ").split("  ", 1)[-1]
        )

    def picked(self) -> str:
        """The code of the catalogue entry picked, or "" when the text is the user's own."""
        return self.picked_code if self._picked_item_matches() else ""

    def checked_codes(self) -> list[str]:
        return [
            str(self.list.item(r).data(_CODE))
            for r in range(self.list.count())
            if self.list.item(r).checkState() == Qt.CheckState.Checked
        ]

    def checked_excluded(self) -> list[str]:
        """The ticked items the SoA excludes (controls marked not applicable)."""
        return [
            str(self.list.item(r).data(_CODE))
            for r in range(self.list.count())
            if self.list.item(r).checkState() == Qt.CheckState.Checked
            and self.list.item(r).data(_EXCLUDED)
        ]

    def check(self, codes: list[str]) -> None:
        for r in range(self.list.count()):
            item = self.list.item(r)
            if item.data(_CODE) in codes:
                item.setCheckState(Qt.CheckState.Checked)

    def isComplete(self) -> bool:
        if self.multi:
            return True
        return bool(self.own.text().strip())


class _ScorePage(QWizardPage):
    """Likelihood and impact as two columns of radio buttons with the scale descriptions."""

    def __init__(self, title: str, subtitle: str, method: RiskMethod) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.method = method
        # the inherent scores, on the residual page: a residual above them is questioned
        self.baseline: tuple[int | None, int | None] = (None, None)
        layout = QVBoxLayout(self)
        # Long scale descriptions scroll rather than being squeezed into each other.
        self.choices_area = QScrollArea(self)
        self.choices_area.setWidgetResizable(True)
        self.choices_area.setFrameShape(QFrame.Shape.NoFrame)
        self.choices_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        choices = QWidget(self.choices_area)
        grid = QGridLayout(choices)
        grid.setContentsMargins(0, 0, 0, 0)
        self.likelihood = QButtonGroup(self)
        self.impact = QButtonGroup(self)
        for column, (name, scale, group) in enumerate(
            (
                (self.tr("Likelihood"), method.likelihood, self.likelihood),
                (self.tr("Impact"), method.impact, self.impact),
            )
        ):
            heading = QLabel(f"<b>{html.escape(name)}</b>", choices)
            grid.addWidget(heading, 0, column)
            for row, level in enumerate(reversed(scale), start=1):
                grid.addWidget(
                    self._choice(level, group, choices), row, column, Qt.AlignmentFlag.AlignTop
                )
            group.idToggled.connect(lambda _id, _on: self._update())
        grid.setRowStretch(max(len(method.likelihood), len(method.impact)) + 1, 1)
        self.choices_area.setWidget(choices)
        layout.addWidget(self.choices_area, 1)
        self.level_label = QLabel(self)
        self.level_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.level_label.setMinimumHeight(32)
        layout.addWidget(self.level_label)
        self._update()

    def _choice(self, level: ScaleLevel, group: QButtonGroup, parent: QWidget) -> QWidget:
        """A radio button with the level's description in small print beneath it."""
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(0)
        button = QRadioButton(f"{level.value} – {level.label}", box)
        group.addButton(button, level.value)
        hint = QLabel(level.description, box)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: gray; margin-left: 22px; font-size: small")
        layout.addWidget(button)
        layout.addWidget(hint)
        return box

    def set_scores(self, likelihood: int | None, impact: int | None) -> None:
        for group, value in ((self.likelihood, likelihood), (self.impact, impact)):
            button = group.button(value) if value else None
            if button is not None:
                button.setChecked(True)

    def scores(self) -> tuple[int | None, int | None]:
        lk = self.likelihood.checkedId()
        im = self.impact.checkedId()
        return (lk if lk > 0 else None, im if im > 0 else None)

    def _update(self) -> None:
        lk, im = self.scores()
        level = self.method.level_info(self.method.level(lk, im))
        if level is None:
            self.level_label.setText(self.tr("Choose a likelihood and an impact."))
            self.level_label.setStyleSheet("")
        else:
            acceptable = self.method.acceptable(level.code)
            note = self.tr("acceptable") if acceptable else self.tr("above the acceptance level")
            text = self.tr("Risk level: <b>{0}</b> ({1})").format(html.escape(level.label), note)
            if self.worse_than_baseline():
                text += "<br>" + self.tr(
                    "Higher than before treatment: treatment should not raise a likelihood "
                    "or an impact. Check the scores."
                )
            self.level_label.setText(text)
            colour = QColor(level.colour)
            self.level_label.setStyleSheet(
                f"background: {colour.name()}; color: {text_colour(colour.name())}; "
                "border-radius: 4px; padding: 6px"
            )
        self.completeChanged.emit()

    def worse_than_baseline(self) -> bool:
        """A likelihood or impact above the baseline's (the inherent scores)."""
        return any(
            now is not None and before is not None and now > before
            for now, before in zip(self.scores(), self.baseline, strict=True)
        )

    def isComplete(self) -> bool:
        return None not in self.scores()


class RiskWizard(QWizard):
    """Gathers a ``RiskDraft`` page by page; ``accept`` records it."""

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        on_created: Callable[[Recorded], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.on_created = on_created
        self.created: Change | None = None
        self.included: tuple[Change, ...] = ()  # SoA fields set to include excluded controls
        self.draft = RiskDraft()
        self._proposed_title = ""  # what the consequences page proposed, until edited
        self._proposed_cia: set[str] = set()
        self.method = current_method(project)
        self.setWindowTitle(self.tr("New Risk"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(760, 620)
        self.asset_page = _ListPage(
            self.tr("Which assets are at risk?"),
            self.tr("Tick one or more assets. Risks are assessed for what you need to protect."),
            "",
            multi=True,
        )
        self.asset_page.fill(
            [Suggestion(a.code, a.name, a.type) for a in risk_wizard.assets(project)]
        )
        self.asset_page.list.itemChanged.connect(lambda _i: self.asset_page.completeChanged.emit())
        self.asset_page.isComplete = lambda: bool(self.asset_page.checked_codes())  # type: ignore[method-assign]
        self.threat_page = _ListPage(
            self.tr("What could happen?"),
            self.tr("Pick a threat from the catalogue (★ fits the assets you chose) or type one."),
            self.tr("Or describe the threat in your own words"),
        )
        self.vulnerability_page = _ListPage(
            self.tr("What weakness would let it happen?"),
            self.tr("★ marks weaknesses known to enable this threat or typical of these assets."),
            self.tr("Or describe the weakness in your own words"),
        )
        self.consequence_page = self._consequence_page()
        self.inherent_page = _ScorePage(
            self.tr("How likely, how bad — today?"),
            self.tr("Score the risk with the controls already in place (the inherent risk)."),
            self.method,
        )
        self.treatment_page = self._treatment_page()
        self.controls_page = _ListPage(
            self.tr("Which controls treat it?"),
            self.tr(
                "Tick the controls you select; ★ are typical for this threat and weakness. "
                "They appear in the SoA as the reason for including those controls."
            ),
            "",
            multi=True,
        )
        # modifying a risk means selecting the controls that modify it (6.1.3 b)
        self.controls_page.list.itemChanged.connect(
            lambda _i: self.controls_page.completeChanged.emit()
        )
        self.controls_page.isComplete = lambda: (  # type: ignore[method-assign]
            self.treatment() != "modify" or bool(self.controls_page.checked_codes())
        )
        # ticking a control the SoA excludes: said on the page, not only in a tooltip
        self.excluded_note = QLabel(self.controls_page)
        self.excluded_note.setWordWrap(True)
        self.excluded_note.hide()
        controls_layout = self.controls_page.layout()
        assert isinstance(controls_layout, QVBoxLayout)
        controls_layout.addWidget(self.excluded_note)
        # ... and offered to be put right with the risk (one step, one Undo)
        self.include_box = QCheckBox(self.controls_page)
        self.include_box.setChecked(True)
        self.include_box.hide()
        self.include_box.toggled.connect(lambda _on: self._update_excluded_note())
        controls_layout.addWidget(self.include_box)
        self.controls_page.list.itemChanged.connect(lambda _i: self._update_excluded_note())
        self.residual_page = _ScorePage(
            self.tr("How likely, how bad — after treatment?"),
            self.tr("Score the risk expected once the selected controls work (the residual risk)."),
            self.method,
        )
        self.owner_page = self._owner_page()
        for page in (
            self.asset_page,
            self.threat_page,
            self.vulnerability_page,
            self.consequence_page,
            self.inherent_page,
            self.treatment_page,
            self.controls_page,
            self.residual_page,
            self.owner_page,
        ):
            self.addPage(page)
        self.currentIdChanged.connect(self._entering)

    # -- pages built here ---------------------------------------------------------------------

    def _consequence_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(self.tr("What would it cost?"))
        page.setSubTitle(self.tr("Describe the consequences and which properties are affected."))
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.title_edit = QLineEdit(page)
        self.consequences_edit = QPlainTextEdit(page)
        self.consequences_edit.setPlaceholderText(
            self.tr("e.g. client data disclosed, contractual penalties, loss of trust")
        )
        self.existing_edit = QPlainTextEdit(page)
        self.existing_edit.setPlaceholderText(self.tr("Controls already in place, if any"))
        self.cia = {
            name: QCheckBox(label, page)
            for name, label in (
                ("confidentiality", self.tr("Confidentiality")),
                ("integrity", self.tr("Integrity")),
                ("availability", self.tr("Availability")),
            )
        }
        form.addRow(self.tr("Risk title:"), self.title_edit)
        form.addRow(self.tr("Consequences:"), self.consequences_edit)
        row = QWidget(page)
        row_layout = QVBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.cia.values():
            row_layout.addWidget(box)
        form.addRow(self.tr("Affects:"), row)
        form.addRow(self.tr("Existing controls:"), self.existing_edit)
        layout.addLayout(form)
        return page

    def _treatment_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(self.tr("How will you treat it?"))
        page.setSubTitle(self.tr("Choose one of the four options of ISO/IEC 27001 6.1.3."))
        layout = QVBoxLayout(page)
        self.treatment_group = QButtonGroup(page)
        self.treatment_buttons: dict[str, QRadioButton] = {}
        for index, (code, label) in enumerate(zip(TREATMENTS, TREATMENT_LABELS, strict=True)):
            button = QRadioButton(label, page)
            hint = QLabel(self.tr(TREATMENT_HELP[code]), page)
            hint.setStyleSheet("color: gray; margin-left: 24px")
            hint.setWordWrap(True)
            self.treatment_group.addButton(button, index)
            self.treatment_buttons[code] = button
            layout.addWidget(button)
            layout.addWidget(hint)
        self.treatment_note = QLabel(page)
        self.treatment_note.setWordWrap(True)
        layout.addSpacing(8)
        layout.addWidget(self.treatment_note)
        layout.addStretch(1)
        self.treatment_group.idToggled.connect(lambda _i, _on: page.completeChanged.emit())
        self.treatment_group.idToggled.connect(lambda _i, _on: self._update_treatment_note())
        page.isComplete = lambda: self.treatment_group.checkedId() >= 0  # type: ignore[method-assign]
        return page

    def _owner_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(self.tr("Who owns the risk?"))
        page.setSubTitle(
            self.tr("The risk owner approves the treatment and accepts the residual risk.")
        )
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.owner_box = QComboBox(page)
        self.owner_box.addItem(self.tr("(choose later)"), "")
        for code, name in registers.reference_choices(self.project, "people"):
            self.owner_box.addItem(f"{name} ({code})", code)
        form.addRow(self.tr("Risk owner:"), self.owner_box)
        layout.addLayout(form)
        layout.addSpacing(12)
        self.summary = QLabel(page)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.summary)
        # the summary names the owner chosen
        self.owner_box.currentIndexChanged.connect(
            lambda _i: self.summary.setText(self._summary()) if self.summary.text() else None
        )
        layout.addStretch(1)
        return page

    def _update_treatment_note(self) -> None:
        """Whether the inherent risk may simply be retained; if it is above the acceptance
        level and Retain is chosen, who must accept it (the method's acceptance criteria)."""
        d = self.draft
        level = self.method.level(d.inherent_likelihood, d.inherent_impact)
        warn = False
        if self.method.acceptable(level):
            text = self.tr("This risk is within the acceptance level: retaining it is possible.")
        elif self.treatment() == "retain":
            warn = True
            text = self.tr(
                "This risk is above the acceptance level. Retaining it as it is needs an "
                "explicit decision to accept it"
            )
            if self.method.acceptance_by:
                text += self.tr(" (the risk method says who decides: “{0}”)").format(
                    self.method.acceptance_by
                )
            text += self.tr(
                ". Record who accepted it, when and why in the risk's acceptance fields."
            )
        else:
            text = self.tr("This risk is above the acceptance level: it needs treatment.")
        self.treatment_note.setText(text)
        self.treatment_note.setStyleSheet("color: #b71c1c" if warn else "")

    def excluded_text(self) -> str:
        """What selecting controls the SoA excludes does: the risk is recorded with them, the
        SoA is left as it is and warns until they are made applicable there ("" if none)."""
        codes = self.controls_page.checked_excluded()
        if not codes:
            return ""
        named = self._named(self.controls_page, codes).replace(
            self.tr(" — excluded in the SoA"), ""
        )
        if self.include_box.isChecked():
            return (
                self.tr(
                    "{0} is excluded in the SoA (not applicable). Recording the risk also "
                    "makes it applicable there, selected by this risk: its implementation "
                    "status is set to Planned if it had none, and the justification of its "
                    "exclusion is removed. Undo reverts both."
                )
                if len(codes) == 1
                else self.tr(
                    "{0} are excluded in the SoA (not applicable). Recording the risk also "
                    "makes them applicable there, selected by this risk: their "
                    "implementation status is set to Planned where they had none, and the "
                    "justifications of their exclusion are removed. Undo reverts both."
                )
            ).format(named)
        if len(codes) == 1:
            return self.tr(
                "{0} is excluded in the SoA (not applicable). The risk will be recorded with "
                "it, but the SoA is not changed: it will warn that the control is selected by "
                "this risk but marked not applicable, until you make it applicable in the "
                "Statement of Applicability or untick it here."
            ).format(named)
        return self.tr(
            "{0} are excluded in the SoA (not applicable). The risk will be recorded with "
            "them, but the SoA is not changed: it will warn that these controls are selected "
            "by this risk but marked not applicable, until you make them applicable in the "
            "Statement of Applicability or untick them here."
        ).format(named)

    def _update_excluded_note(self) -> None:
        text = self.excluded_text()
        self.excluded_note.setText(text)
        self.excluded_note.setVisible(bool(text))
        # a warning while the SoA is left contradicting the risk; plain once it is put right
        self.excluded_note.setStyleSheet("" if self.include_box.isChecked() else "color: #b71c1c")
        count = len(self.controls_page.checked_excluded())
        self.include_box.setText(
            self.tr("Make it applicable in the SoA as well")
            if count == 1
            else self.tr("Make them applicable in the SoA as well")
        )
        self.include_box.setVisible(bool(count))

    # -- moving between pages ---------------------------------------------------------------

    def treatment(self) -> str:
        checked = self.treatment_group.checkedId()
        return TREATMENTS[checked] if checked >= 0 else ""

    def _entering(self, page_id: int) -> None:
        page = self.page(page_id)
        d = self.draft
        if page is self.threat_page:
            d.assets = self.asset_page.checked_codes()
            self.threat_page.fill(risk_wizard.threats(self.project, d.assets))
        elif page is self.vulnerability_page:
            d.threat = self.threat_page.own.text().strip()
            d.threat_code = self.threat_page.picked()
            self.vulnerability_page.fill(
                risk_wizard.vulnerabilities(self.project, d.threat_code, d.assets)
            )
        elif page is self.consequence_page:
            d.vulnerability = self.vulnerability_page.own.text().strip()
            d.vulnerability_code = self.vulnerability_page.picked()
            # A proposal the user has not changed follows a new threat or weakness (after
            # Back); what they typed or ticked themselves stays.
            title = self.title_edit.text().strip()
            if not title or title == self._proposed_title:
                self._proposed_title = d.default_title()
                self.title_edit.setText(self._proposed_title)
            ticked = {name for name, box in self.cia.items() if box.isChecked()}
            if not ticked or ticked == self._proposed_cia:
                affected = set(risk_wizard.affected_properties(self.project, d.threat_code))
                if affected or ticked:
                    self._proposed_cia = affected
                    for name, box in self.cia.items():
                        box.setChecked(name in affected)
        elif page is self.treatment_page:
            d.inherent_likelihood, d.inherent_impact = self.inherent_page.scores()
            self._update_treatment_note()
        elif page is self.controls_page:
            d.treatment = self.treatment()
            self.controls_page.setSubTitle(
                self.tr(
                    "Tick the controls that modify the risk (at least one); ★ are typical for "
                    "this threat and weakness. They appear in the SoA as the reason for "
                    "including those controls."
                )
                if d.treatment == "modify"
                else self.tr(
                    "Tick the controls you select, if any; ★ are typical for this threat and "
                    "weakness. They appear in the SoA as the reason for including those "
                    "controls."
                )
            )
            self.controls_page.fill(
                risk_wizard.controls(self.project, d.threat_code, d.vulnerability_code)
            )
            self.controls_page.check(d.controls)
            self._update_excluded_note()
        elif page is self.residual_page:
            d.controls = self.controls_page.checked_codes()
            self.residual_page.baseline = (d.inherent_likelihood, d.inherent_impact)
            inherent = self.method.level_info(
                self.method.level(d.inherent_likelihood, d.inherent_impact)
            )
            subtitle = self.tr(
                "Score the risk expected once the selected controls work (the residual risk)."
            )
            if inherent is not None:
                subtitle += " " + self.tr("Before treatment: {0} ({1} × {2}).").format(
                    inherent.label,
                    self._scale_text(self.method.likelihood, d.inherent_likelihood),
                    self._scale_text(self.method.impact, d.inherent_impact),
                )
            self.residual_page.setSubTitle(subtitle)
            if self.residual_page.scores() == (None, None):
                self.residual_page.set_scores(d.inherent_likelihood, d.inherent_impact)
            self.residual_page._update()
        elif page is self.owner_page:
            d.residual_likelihood, d.residual_impact = self.residual_page.scores()
            self._gather_text()
            self.summary.setText(self._summary())

    def _gather_text(self) -> None:
        d = self.draft
        d.title = self.title_edit.text().strip()
        d.consequences = self.consequences_edit.toPlainText().strip()
        d.existing_controls = self.existing_edit.toPlainText().strip()
        d.confidentiality = self.cia["confidentiality"].isChecked()
        d.integrity = self.cia["integrity"].isChecked()
        d.availability = self.cia["availability"].isChecked()

    @staticmethod
    def _scale_text(scale: tuple[ScaleLevel, ...], value: int | None) -> str:
        level = next((lv for lv in scale if lv.value == value), None)
        return f"{level.value} {level.label}" if level else "–"

    @staticmethod
    def _named(page: _ListPage, codes: list[str]) -> str:
        """Codes with the names the page lists them by ("A-001 Client datasets")."""
        names = {}
        for row in range(page.list.count()):
            item = page.list.item(row)
            names[str(item.data(_CODE))] = item.text().removeprefix("★ ").replace("  ", " ", 1)
        return "; ".join(names.get(code, code) for code in codes)

    def residual_note(self) -> str:
        """What the residual risk asks of its owner: nothing, or an explicit acceptance
        (6.1.3 f) when it stays above the acceptance level."""
        d = self.draft
        level = self.method.level(d.residual_likelihood, d.residual_impact) or self.method.level(
            d.inherent_likelihood, d.inherent_impact
        )
        info = self.method.level_info(level)
        if info is None or self.method.acceptable(level):
            return ""
        limit = self.method.level_info(self.method.acceptance_level)
        text = self.tr(
            "The residual risk ({0}) stays above the acceptance level ({1}): treat it further, "
            "or have it accepted explicitly"
        ).format(info.label, limit.label if limit else "–")
        if self.method.acceptance_by:
            text += self.tr(" (who decides: “{0}”)").format(self.method.acceptance_by)
        return text + self.tr(
            " and record who accepted it, when and why in the risk's acceptance fields."
        )

    def _summary(self) -> str:
        d = self.draft
        inherent = self.method.level_info(
            self.method.level(d.inherent_likelihood, d.inherent_impact)
        )
        residual = self.method.level_info(
            self.method.level(d.residual_likelihood, d.residual_impact)
        )
        rows = (
            (self.tr("Title"), d.title or d.default_title()),
            (self.tr("Assets"), self._named(self.asset_page, d.assets)),
            (self.tr("Threat"), d.threat),
            (self.tr("Weakness"), d.vulnerability),
            (
                self.tr("Affects"),
                ", ".join(box.text() for box in self.cia.values() if box.isChecked()),
            ),
            (self.tr("Inherent level"), inherent.label if inherent else "–"),
            (
                self.tr("Treatment"),
                dict(zip(TREATMENTS, TREATMENT_LABELS, strict=True)).get(d.treatment, ""),
            ),
            (self.tr("Controls"), self._named(self.controls_page, d.controls)),
            (self.tr("Residual level"), residual.label if residual else "–"),
            (
                self.tr("Risk owner"),
                self.owner_box.currentText() if self.owner_box.currentData() else "",
            ),
        )
        cells = "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(v or '–')}</td></tr>"
            for k, v in rows
        )
        heading = html.escape(self.tr("The risk to be recorded (Finish records it):"))
        text = f"<p><b>{heading}</b></p><table cellspacing='2'>{cells}</table>"
        notes = (
            (self.excluded_text(), not self.include_box.isChecked()),
            (self.residual_note(), True),
        )
        for note, warn in notes:
            if note:
                style = " style='color:#b71c1c'" if warn else ""
                text += f"<p{style}>{html.escape(note)}</p>"
        return text

    def accept(self) -> None:
        self.draft.owner = str(self.owner_box.currentData() or "")
        self._gather_text()
        include = self.controls_page.checked_excluded() if self.include_box.isChecked() else []
        try:
            recorded = risk_wizard.create_risk(self.project, self.draft, include)
        except IsmsError as exc:
            QMessageBox.warning(self, self.tr("Risk Not Recorded"), str(exc))
            return
        self.created, self.included = recorded.risk, recorded.included
        if self.on_created is not None:
            self.on_created(recorded)
        super().accept()


def open_risk_wizard(window: QWidget) -> RiskWizard | None:
    """Edit ▸ New Risk (Guided)…: the wizard on the window's project; the new risk, with the
    SoA entries it made applicable, is one step on the window's undo stack."""
    project: Project | None = getattr(window, "project", None)
    if project is None or project.read_only:
        return None
    from isms_desktop.ui.registers.undo_commands import CreateCommand, EditRecordCommand

    def refused(message: str) -> None:
        QMessageBox.warning(window, window.tr("Undo Not Possible"), message)

    def created(recorded: Recorded) -> None:
        refresh: Callable[[], None] = getattr(window, "refresh", lambda: None)
        stack = getattr(window, "undo_stack", None)
        if stack is not None:
            included: dict[str, list[Change]] = {}
            for change in recorded.included:
                included.setdefault(change.code, []).append(change)
            stack.beginMacro(
                window.tr("Add {0} and include {1} in the SoA").format(
                    recorded.risk.code, ", ".join(included)
                )
                if included
                else window.tr("Add {0}").format(recorded.risk.code)
            )
            stack.push(CreateCommand(recorded.risk, project, lambda _r, _c: refresh(), refused))
            for changes in included.values():
                stack.push(EditRecordCommand(changes, project, lambda _r, _c: refresh(), refused))
            stack.endMacro()
        refresh()

    wizard = RiskWizard(project, window, on_created=created)
    wizard.open()
    return wizard
