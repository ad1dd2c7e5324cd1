"""The report dialog writes a PDF off the GUI thread while the project is open for writing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest.importorskip("pytestqt")

from pypdf import PdfReader
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from isms_desktop.storage.project_file import open_project
from isms_desktop.ui.reports import ReportDialog


@pytest.mark.timeout(60)
def test_dialog_builds_the_treatment_plan_with_progress(
    qtbot: QtBot, demo_path: Path, tmp_path: Path
) -> None:
    project = open_project(demo_path)  # read-write, as the main window holds it
    try:
        dialog = ReportDialog(project, tmp_path)
        qtbot.addWidget(dialog)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("treatment-plan"))
        assert not dialog.record_combo.isEnabled()
        assert dialog.path_edit.text().endswith(
            "Brightwave Analytics Ltd - Risk treatment plan.pdf"
        )
        out = tmp_path / "plan.pdf"
        dialog.path_edit.setText(str(out))
        values: list[int] = []
        dialog.progress.valueChanged.connect(values.append)
        # no empty progress bar (read as an empty box) until a report is made; the path's
        # label has its mnemonic (not a literal "&")
        assert dialog.progress.isHidden()
        save_label = next(lb for lb in dialog.findChildren(QLabel) if "Save as" in lb.text())
        assert save_label.buddy() is dialog.path_edit
        dialog.create_button.click()
        assert not dialog.progress.isHidden()
        qtbot.waitUntil(lambda: dialog.worker is None, timeout=30_000)
        assert dialog.result_path == out and dialog.open_button.isEnabled()
        assert "pages" in dialog.status.text()
        assert values and values[-1] == dialog.progress.maximum()
        assert PdfReader(out).metadata.title == "Risk Treatment Plan"  # type: ignore[union-attr]

        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("audit"))
        assert dialog.record_combo.isEnabled() or dialog.record_combo.count() == 1
    finally:
        project.close()


@pytest.mark.timeout(60)
def test_dialog_cancel_writes_nothing(qtbot: QtBot, demo_path: Path, tmp_path: Path) -> None:
    project = open_project(demo_path)
    try:
        dialog = ReportDialog(project, tmp_path)
        qtbot.addWidget(dialog)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("manual"))
        out = tmp_path / "manual.pdf"
        dialog.path_edit.setText(str(out))
        dialog.create_button.click()
        assert dialog.worker is not None
        dialog.cancel_or_close()
        qtbot.waitUntil(lambda: dialog.worker is None, timeout=30_000)
        assert not out.exists() or dialog.result_path == out  # finished before the cancel
        if not out.exists():
            assert "nothing was written" in dialog.status.text()
        assert list(tmp_path.glob("*.part")) == []
    finally:
        project.close()


@pytest.mark.timeout(90)
def test_preview_shows_the_pages_and_saving_writes_exactly_them(
    qtbot: QtBot, demo_path: Path, tmp_path: Path
) -> None:
    project = open_project(demo_path)
    try:
        dialog = ReportDialog(project, tmp_path)
        qtbot.addWidget(dialog)
        assert dialog.preview_button.isVisible() or dialog.preview_button.isVisibleTo(dialog)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("soa"))
        dialog.start_preview()
        qtbot.waitUntil(lambda: dialog.worker is None, timeout=60_000)
        assert dialog.previewed is not None
        previewed = dialog.previewed[2]
        pages = len(PdfReader(previewed).pages)
        shown = dialog.preview_pane.pages
        assert len(shown) == min(pages, 40)
        first = shown[0].pixmap()
        assert first.width() > 300 and first.height() > first.width() // 2
        dialog.grab().save(str(tmp_path / "preview.png"))

        out = tmp_path / "soa.pdf"
        dialog.path_edit.setText(str(out))
        dialog.start()  # no rebuild: the previewed file is saved
        assert dialog.worker is None
        assert out.read_bytes() == previewed.read_bytes()
        dialog.reject()
        assert not previewed.exists(), "the preview's temporary file is removed"
    finally:
        project.close()


@pytest.mark.timeout(60)
def test_a_new_preview_replaces_the_pages_of_the_last(qtbot: QtBot, tmp_path: Path) -> None:
    """Previewing again shows the new pages only: the old ones are hidden at once (Qt
    deletes them only back in the outermost event loop, after the dialog's)."""
    from PySide6.QtWidgets import QApplication, QLabel
    from reportlab.pdfgen.canvas import Canvas

    from isms_desktop.ui.reports.preview import PdfPreview, available

    if not available():
        pytest.skip("PDF pages cannot be rendered here (pypdfium2 missing)")
    path = tmp_path / "three.pdf"
    canvas = Canvas(str(path))
    for number in range(3):
        canvas.drawString(72, 720, f"Page {number + 1}")
        canvas.showPage()
    canvas.save()
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.show()

    for _ in range(3):
        assert preview.show_pdf(path, 3) == 3
    QApplication.processEvents()

    shown = [
        label
        for label in preview.findChildren(QLabel)
        if label.isVisible() and not label.pixmap().isNull()
    ]
    assert len(shown) == len(preview.pages) == 3
