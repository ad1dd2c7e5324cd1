"""File ▸ Export ▸ Report…: choosing a PDF report and writing it off the GUI thread."""

from isms_desktop.ui.reports.report_dialog import (
    ReportDialog,
    open_report_dialog,
    show_report_dialog,
)

__all__ = ["ReportDialog", "open_report_dialog", "show_report_dialog"]
