"""Asks where the old values of a shrinking scale go, so that no risk score is lost silently."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from isms_desktop.domain.risk_method import MappingNeeded, ScaleLevel


def _proposal(
    needed: MappingNeeded, old_scale: Sequence[ScaleLevel], new_scale: Sequence[ScaleLevel]
) -> dict[int, int]:
    """Where each old value goes unless the user says otherwise: to the new level of the same
    name when the scale kept it (a 5-level impact scale cut to 4 keeps "4 Major": its risks
    stay there), else where the even spread of the old values over the new scale puts it."""
    new_by_label = {level.label.strip().casefold(): level.value for level in new_scale}
    old_labels = {level.value: level.label.strip().casefold() for level in old_scale}
    return {
        value: new_by_label.get(old_labels.get(value, ""), suggested)
        for value, suggested in needed.suggestion.items()
    }


class MappingDialog(QDialog):
    """One row per old value of the scale, each with a choice of the new level."""

    def __init__(
        self,
        needed: MappingNeeded,
        old_scale: Sequence[ScaleLevel],
        new_scale: Sequence[ScaleLevel],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Map the Old {0} Values").format(needed.scale.capitalize()))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The {0} scale now has {1} levels, but risks are scored with values up to {2}. "
                "Choose the new level for each old value; every risk is re-scored with your "
                "choice and nothing is lost."
            ).format(needed.scale, len(new_scale), max(needed.values)),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        old_labels = {level.value: level.label for level in old_scale}
        proposed = _proposal(needed, old_scale, new_scale)
        self.choices: dict[int, QComboBox] = {}
        for value in sorted(proposed):
            combo = QComboBox(self)
            for level in new_scale:
                combo.addItem(f"{level.value} {level.label}", level.value)
            combo.setCurrentIndex(max(0, combo.findData(proposed[value])))
            label = f"{value} {old_labels.get(value, '')}".strip()
            form.addRow(self.tr("Old {0} →").format(label), combo)
            self.choices[value] = combo
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def mapping(self) -> dict[int, int]:
        return {value: int(combo.currentData()) for value, combo in self.choices.items()}


def ask_mapping(
    parent: QWidget | None,
    needed: MappingNeeded,
    old_scale: Sequence[ScaleLevel],
    new_scale: Sequence[ScaleLevel],
) -> dict[int, int] | None:
    """The mapping the user chose, or None when they cancelled."""
    dialog = MappingDialog(needed, old_scale, new_scale, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.mapping()
