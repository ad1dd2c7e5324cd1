"""The fonts of the PDF reports: DejaVu Sans, shipped in ``resources/fonts`` and embedded.

The standard PDF fonts (Helvetica …) know only Latin-1, so names such as "Müller & Søn",
en-dashes, "€" and typographic quotes would print as black boxes. DejaVu Sans covers them
and is free to embed; reportlab embeds only the glyphs a document uses (a subset), which
keeps the files small.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from isms_desktop.catalog.resources import resources_dir
from isms_desktop.domain.errors import IsmsError


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    bold_italic: str


FONTS = FontSet(
    regular="DejaVuSans",
    bold="DejaVuSans-Bold",
    italic="DejaVuSans-Oblique",
    bold_italic="DejaVuSans-BoldOblique",
)

_lock = threading.Lock()
_registered = False


def register_fonts() -> FontSet:
    """Register the DejaVu family with reportlab once per process (thread-safe: the GUI
    builds reports on a worker thread) and return the font names to use."""
    global _registered
    with _lock:
        if _registered:
            return FONTS
        folder = resources_dir() / "fonts"
        for name in (FONTS.regular, FONTS.bold, FONTS.italic, FONTS.bold_italic):
            path = folder / f"{name}.ttf"
            if not path.is_file():
                # A broken installation, not a user error, but say clearly what is missing.
                raise IsmsError(f"the report font {path} is missing; reinstall isms-desktop")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # Lets <b> and <i> in paragraphs pick the right face.
        pdfmetrics.registerFontFamily(
            FONTS.regular,
            normal=FONTS.regular,
            bold=FONTS.bold,
            italic=FONTS.italic,
            boldItalic=FONTS.bold_italic,
        )
        _registered = True
    return FONTS
