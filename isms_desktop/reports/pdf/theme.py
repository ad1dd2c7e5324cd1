"""The look of the PDF reports: page geometry, colours and paragraph styles, in one place.

Colours are chosen to stay readable when printed in black and white (dark headings, light
fills behind dark text), since auditors often print on office laser printers.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from isms_desktop.reports.pdf.fonts import FontSet, register_fonts

PORTRAIT = A4
LANDSCAPE = landscape(A4)

MARGIN_X = 16 * mm
MARGIN_TOP = 22 * mm  # room for the running header
MARGIN_BOTTOM = 18 * mm  # room for the footer

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6775")
BRAND = colors.HexColor("#1f3a5f")
BRAND_LIGHT = colors.HexColor("#e8eef6")
ZEBRA = colors.HexColor("#f4f6f9")
GRID = colors.HexColor("#c3ccd7")
WARNING_FILL = colors.HexColor("#fde2e1")
WARNING_INK = colors.HexColor("#b3261e")

NONE_RECORDED = "None recorded."
NONE_RECORDED_YET = "None recorded yet."


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    toc_title: ParagraphStyle
    caption: ParagraphStyle

    def heading(self, level: int) -> ParagraphStyle:
        return (self.h1, self.h2, self.h3)[min(level, 2)]


_styles: Styles | None = None


def styles() -> Styles:
    """The paragraph styles (built once; ParagraphStyle objects are never changed)."""
    global _styles
    if _styles is not None:
        return _styles
    fonts = register_fonts()

    def style(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": fonts.regular,
            "fontSize": 9.5,
            "leading": 13,
            "textColor": INK,
            "alignment": TA_LEFT,
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    _styles = Styles(
        fonts=fonts,
        title=style("Title", fontName=fonts.bold, fontSize=26, leading=32, textColor=BRAND),
        subtitle=style("Subtitle", fontSize=13, leading=18, textColor=MUTED),
        h1=style(
            "H1",
            fontName=fonts.bold,
            fontSize=16,
            leading=20,
            textColor=BRAND,
            spaceBefore=14,  # (a frame drops it at the top of a page)
            spaceAfter=8,
            keepWithNext=1,
        ),
        h2=style(
            "H2",
            fontName=fonts.bold,
            fontSize=12.5,
            leading=16,
            textColor=BRAND,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        h3=style(
            "H3",
            fontName=fonts.bold,
            fontSize=10.5,
            leading=14,
            textColor=INK,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=style("Body", spaceAfter=6),
        small=style("Small", fontSize=8, leading=10.5, textColor=MUTED),
        note=style("Note", fontName=fonts.italic, textColor=MUTED, spaceAfter=6),
        toc_title=style(
            "TocTitle", fontName=fonts.bold, fontSize=16, leading=20, textColor=BRAND, spaceAfter=10
        ),
        caption=style(
            "Caption",
            fontSize=8,
            leading=10.5,
            textColor=MUTED,
            alignment=TA_CENTER,
            spaceBefore=3,
            spaceAfter=8,
        ),
    )
    return _styles


def hex_colour(value: str, fallback: colors.Color = GRID) -> colors.Color:
    """A colour from the project's data ("#ff9800"), or ``fallback`` if it is not one."""
    try:
        return colors.HexColor(value)
    except (ValueError, TypeError):
        return fallback


def ink_on(fill: colors.Color) -> colors.Color:
    """Black or white text, whichever reads better on ``fill`` (relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(fill.red) + 0.7152 * channel(fill.green) + 0.0722 * channel(fill.blue)
    return colors.white if lum < 0.28 else colors.black


def tint(colour: colors.Color, amount: float) -> colors.Color:
    """``colour`` mixed with white (amount 0 = unchanged, 1 = white): light cell fills."""
    return colors.Color(
        colour.red + (1 - colour.red) * amount,
        colour.green + (1 - colour.green) * amount,
        colour.blue + (1 - colour.blue) * amount,
    )
