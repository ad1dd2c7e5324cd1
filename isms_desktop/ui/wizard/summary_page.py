"""Wizard page 6: what was recorded, and what comes next."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTextBrowser

from isms_desktop.services import wizard
from isms_desktop.ui.register_labels import register_label
from isms_desktop.ui.wizard.base_page import WizardPage


class SummaryPage(WizardPage):
    def __init__(self) -> None:
        super().__init__(
            self.tr("Summary"),
            self.tr(
                "This is what the ISMS is about now. Everything is already saved in the project; "
                "you can change it on the Context & Scope tab or run this wizard again from "
                "Project ▸ Setup Wizard."
            ),
        )
        self.browser = QTextBrowser(self)
        self.outer.addWidget(self.browser, 1)
        self.next_label = QLabel(
            self.tr(
                "Next steps: assign owners to the ISMS processes, list your assets, and assess "
                "the risks on the Risks tab."
            ),
            self,
        )
        self.next_label.setWordWrap(True)
        self.next_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outer.addWidget(self.next_label)
        self.finish_layout()

    def load(self) -> None:
        facts = wizard.summary(self.project)
        labels = {"requirements": self.tr("Requirements of parties")}
        rows = "".join(
            f"<tr><td>{html.escape(labels.get(name, register_label(name)))}</td>"
            f"<td align='right'><b>{count}</b></td></tr>"
            for name, count in facts.counts.items()
        )
        climate = {
            True: self.tr("relevant"),
            False: self.tr("not relevant"),
            None: self.tr("not decided"),
        }[facts.climate_relevant]
        statement = html.escape(facts.scope_statement).replace("\n", "<br>")
        self.browser.setHtml(
            f"<h3>{html.escape(facts.organisation)}</h3>"
            f"<table cellpadding='3'>{rows}</table>"
            f"<p>{self.tr('Climate change')}: <b>{climate}</b><br>"
            f"{self.tr('Risk method')}: <b>{html.escape(facts.method_name)}</b></p>"
            f"<h4>{self.tr('Scope statement')}</h4><p>{statement}</p>"
        )
