"""The Management Review tab: objectives, monitoring, competence and training, and reviews.

Its sub-tabs follow the work: objectives (clause 6.2), the metrics and their measurements
(9.1), competence and training with the training matrix (7.2, 7.3), then preparing a review
and the reviews held (9.3).
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from isms_desktop.ui.metrics.metrics_page import MetricsPage
from isms_desktop.ui.metrics.review_page import ReviewPage
from isms_desktop.ui.metrics.training_page import TrainingPage
from isms_desktop.ui.tabs.page_groups import GroupedAreaTab


class ManagementReviewTab(GroupedAreaTab):
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
        self.metrics_page = MetricsPage(self)
        self.training_page = TrainingPage(self)
        self.review_page = ReviewPage(self)
        self.add_page(self.tr("Measurements"), self.metrics_page)
        self.add_page(self.tr("Training Matrix"), self.training_page)
        self.add_page(self.tr("Prepare Review"), self.review_page)
        page = self._page_of
        self.group_pages(
            [
                (self.tr("Objectives"), [page["objectives"]]),
                (self.tr("Metrics & Measurements"), [page["metrics"], self.metrics_page]),
                (
                    self.tr("Competence & Training"),
                    [page["competences"], page["training"], self.training_page],
                ),
                (self.tr("Prepare Review"), [self.review_page]),
                (self.tr("Management Reviews"), [page["reviews"]]),
            ]
        )
        # What the pages write shows in the registers (here and in other tabs) when next
        # shown, as a register view's own edits do; the pages re-read when shown.
        self.metrics_page.measurements_changed.connect(lambda: self._page_changed("metrics"))
        self.training_page.records_changed.connect(lambda: self._page_changed("training"))
        self.review_page.records_changed.connect(lambda: self._page_changed("reviews"))

    def _page_changed(self, register: str) -> None:
        view = self.views.get(register)
        if view is not None:
            view.set_project(self.project)  # _records_changed spares the register that changed
        self._records_changed(register)
