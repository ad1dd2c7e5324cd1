"""Rendered pages of a PDF, to look at a report before saving it (PDFium via pypdfium2;
PySide6-Essentials has no QtPdf). Without pypdfium2 there is simply no preview."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

MAX_PAGES = 40  # enough to judge a report; the rest is in the file
SCALE = 0.75  # of 72 dpi points: an A4 page about 450 px wide


def available() -> bool:
    return importlib.util.find_spec("pypdfium2") is not None


def render_pages(path: Path, *, scale: float = SCALE, limit: int = MAX_PAGES) -> list[QImage]:
    """The first ``limit`` pages of ``path`` as images."""
    import pypdfium2 as pdfium

    images: list[QImage] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(min(len(pdf), limit)):
            page = pdf[index]
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB(A) byte order
            fmt = (
                QImage.Format.Format_RGBA8888
                if bitmap.n_channels == 4
                else QImage.Format.Format_RGB888
            )
            image = QImage(
                bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt
            ).copy()  # own the pixels: the bitmap's buffer goes away with it
            images.append(image)
            page.close()
    finally:
        pdf.close()
    return images


class PdfPreview(QScrollArea):
    """Pages one below the other on a grey background, with a line saying how many."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setMinimumWidth(480)
        self._content = QWidget(self)
        self._content.setStyleSheet("background: #8a8d91")
        self._layout = QVBoxLayout(self._content)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._layout.setSpacing(12)
        self.setWidget(self._content)
        self.pages: list[QLabel] = []
        self.note = QLabel(self._content)
        self.note.setStyleSheet("color: white")
        self._layout.addWidget(self.note)

    def clear(self) -> None:
        for label in self.pages:
            self._layout.removeWidget(label)
            label.hide()  # now: Qt deletes it only back in the outermost event loop
            label.deleteLater()
        self.pages = []
        self.note.clear()

    def show_pdf(self, path: Path, total_pages: int | None = None) -> int:
        """Show the first pages of ``path``; returns how many are shown."""
        self.clear()
        for image in render_pages(path):
            label = QLabel(self._content)
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #555")
            self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.pages.append(label)
        shown = len(self.pages)
        if total_pages is not None and total_pages > shown:
            self.note.setText(self.tr("The first {0} of {1} pages").format(shown, total_pages))
        else:
            self.note.setText(self.tr("{0} pages").format(shown))
        return shown
