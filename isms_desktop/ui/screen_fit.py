"""Windows that open no larger than the screen they open on.

A dialog laid out for a large monitor must still show its Save or Next button on a laptop
at 1024 × 700: ``fitting_size`` gives the size asked for, or less where the screen is
smaller (never below what the dialog's layout needs at least).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# what a title bar and the desktop's panels take of the screen's available height and width
FRAME_HEIGHT = 60
FRAME_WIDTH = 40


def fitting_size(widget: QWidget, width: int, height: int) -> QSize:
    """``width`` × ``height``, or less on a screen too small for it."""
    parent = widget.parentWidget()
    screen = (parent or widget).screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(width, height)
    room = screen.availableGeometry()
    least = widget.minimumSizeHint()
    return QSize(
        max(min(width, room.width() - FRAME_WIDTH), least.width()),
        max(min(height, room.height() - FRAME_HEIGHT), least.height()),
    )
