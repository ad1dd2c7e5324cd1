"""Text colours for the risk levels' and statuses' own colours, on screen."""

from __future__ import annotations

from PySide6.QtGui import QColor

from isms_desktop.domain.colours import prefers_dark_text


def contrasting_text(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    dark = prefers_dark_text(colour.red(), colour.green(), colour.blue())
    return QColor("#000000") if dark else QColor("#ffffff")


def text_colour(background: str) -> str:
    """``contrasting_text`` of a colour given by name or as ``#rrggbb``, as ``#rrggbb``."""
    return str(contrasting_text(QColor(background)).name())
