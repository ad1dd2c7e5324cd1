"""The Management Review tab: objectives, competence, training, metrics and reviews."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from isms_desktop.ui.metrics.metrics_page import MetricsPage
from isms_desktop.ui.metrics.review_page import ReviewPage
from isms_desktop.ui.metrics.training_page import TrainingPage
from isms_desktop.ui.tabs.register_area import RegisterAreaTab


class ManagementReviewTab(RegisterAreaTab):
    key: ClassVar[str] = "management_review"
    registers: ClassVar[tuple[str, ...]] = (
        "objectives",
        "competences",
        "training",
        "metrics",
        "reviews",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Special pages of ui/metrics: trend charts, training matrix, review preparation.
        self.add_page(self.tr("Trend Charts"), MetricsPage(self))
        self.add_page(self.tr("Training Matrix"), TrainingPage(self))
        self.add_page(self.tr("Prepare Review"), ReviewPage(self))
