"""Wizard page 5: the risk method (6.1.2 a–b) — 5×5, 3×3 or a custom one."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QRadioButton

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.risk_method import MappingNeeded
from isms_desktop.services.risk_method import change_method, current_method, template_method
from isms_desktop.ui.risk.mapping_dialog import ask_mapping
from isms_desktop.ui.risk.method_editor import RiskMethodEditor
from isms_desktop.ui.wizard.base_page import PageProblem, WizardPage

CHOICES = ("5x5", "3x3", "custom")


class MethodPage(WizardPage):
    def __init__(self) -> None:
        super().__init__(
            self.tr("How Risks Are Rated (6.1.2)"),
            self.tr(
                "Clause 6.1.2 asks for one way of rating risks that gives consistent and "
                "comparable results, and for criteria saying which risks may be accepted. Pick a "
                "ready-made method; you can change it later under Project ▸ Risk Method."
            ),
        )
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for code in CHOICES:
            if code == "custom":
                text = self.tr("&Custom: your own scales, matrix and acceptance criteria")
                description = self.tr(
                    "Define 3 to 6 levels of likelihood and impact, the risk levels and their "
                    "colours, and who may accept which risk."
                )
            else:
                method = template_method(code)
                text = method.name
                description = method.description
            button = QRadioButton(text, self)
            self.group.addButton(button)
            self.buttons[code] = button
            self.outer.addWidget(button)
            label = QLabel(description, self)
            label.setWordWrap(True)
            label.setContentsMargins(24, 0, 0, 8)
            self.outer.addWidget(label)
        self.edit_button = QPushButton(self.tr("&Edit the Method…"), self)
        self.edit_button.clicked.connect(self.edit_method)
        self.outer.addWidget(self.edit_button)
        self.current_label = QLabel(self)
        self.outer.addWidget(self.current_label)
        self.outer.addStretch(1)
        self.finish_layout()

    def chosen(self) -> str:
        return next((code for code, b in self.buttons.items() if b.isChecked()), "")

    def load(self) -> None:
        method = current_method(self.project)
        code = method.code if method.code in CHOICES else "custom"
        self.buttons[code].setChecked(True)
        self.current_label.setText(self.tr("The project uses now: {0}").format(method.name))

    def edit_method(self) -> bool:
        editor = RiskMethodEditor(self.project, self)
        saved = editor.exec() == RiskMethodEditor.DialogCode.Accepted
        if saved:
            self.load()
        return saved

    def save(self) -> None:
        choice = self.chosen()
        if not choice:
            raise PageProblem(self.tr("Choose a risk method."))
        current = current_method(self.project)
        if choice == "custom":
            if current.code not in ("5x5", "3x3") or self.edit_method():
                return
            raise PageProblem(self.tr("Edit and save your custom method, or pick 5×5 or 3×3."))
        if current.code == choice:
            return
        method = template_method(choice)
        maps: dict[str, dict[int, int]] = {}
        while True:
            try:
                change_method(
                    self.project,
                    method,
                    likelihood_map=maps.get("likelihood"),
                    impact_map=maps.get("impact"),
                )
                return
            except MappingNeeded as needed:
                mapping = ask_mapping(
                    self, needed, current.scale(needed.scale), method.scale(needed.scale)
                )
                if mapping is None:
                    raise PageProblem(self.tr("The risk method was not changed.")) from None
                maps[needed.scale] = mapping
            except IsmsError:
                raise
