"""Icons shipped in ``resources/icons`` (SVG, so they stay sharp at any scale factor).

The action icons in ``resources/icons/actions`` are line drawings in ``currentColor``; they
are painted in the application palette's text colour at the time they are drawn, so they
read on light and dark colour schemes alike, and greyed out like text on disabled actions.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from isms_desktop.catalog.resources import resources_dir

# The colour written in the files: a neutral dark grey, for viewers that know no palette.
FILE_COLOUR = "#4a4f57"
_ROOT_COLOUR = re.compile(r'(<svg\b[^>]*?\bcolor=")([^"]*)(")', re.DOTALL)


def app_icon() -> QIcon:
    """The application's icon, or an empty icon when the resources are not installed."""
    path = resources_dir() / "icons" / "isms-desktop.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def actions_dir() -> Path:
    """The folder of the action icons, one ``NAME.svg`` each."""
    return resources_dir() / "icons" / "actions"


def action_icon_names() -> list[str]:
    """The names ``action_icon`` knows, sorted."""
    folder = actions_dir()
    return sorted(p.stem for p in folder.glob("*.svg")) if folder.is_dir() else []


def icon_colour(mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    """The colour an action icon is painted in now: the palette's text, a little softened."""
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:  # on the highlight of a selected item
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window)
    # 85 % text, 15 % background: dark grey on light schemes, light grey on dark ones.
    return QColor(
        round(text.red() * 0.85 + window.red() * 0.15),
        round(text.green() * 0.85 + window.green() * 0.15),
        round(text.blue() * 0.85 + window.blue() * 0.15),
    )


def recoloured(svg: str, colour: str) -> str:
    """The SVG text with its root ``color`` (what ``currentColor`` means) set to ``colour``."""
    if _ROOT_COLOUR.search(svg):
        return _ROOT_COLOUR.sub(lambda m: m.group(1) + colour + m.group(3), svg, count=1)
    return svg.replace("<svg", f'<svg color="{colour}"', 1)


class PaletteSvgEngine(QIconEngine):
    """Draws one SVG in the current palette's colours, at whatever size is asked for."""

    def __init__(self, svg: str) -> None:
        super().__init__()
        self._svg = svg
        self._renderers: dict[str, QSvgRenderer] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        colour = icon_colour(mode).name()
        renderer = self._renderers.get(colour)
        if renderer is None:
            renderer = QSvgRenderer(QByteArray(recoloured(self._svg, colour).encode("utf-8")))
            self._renderers[colour] = renderer
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        side = min(rect.width(), rect.height())
        square = QRectF(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
        )
        self._renderer(mode).render(painter, square)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def isNull(self) -> bool:
        return not self._svg

    def clone(self) -> QIconEngine:
        # Qt owns the copy, but PySide leaves a Python-made return value owned by Python:
        # keep it referenced until Qt has deleted it (the wrapper is then no longer valid).
        copy = PaletteSvgEngine(self._svg)
        _CLONES[:] = [engine for engine in _CLONES if shiboken6.isValid(engine)]
        _CLONES.append(copy)
        return copy

    def key(self) -> str:
        return "PaletteSvgEngine"


_CLONES: list[PaletteSvgEngine] = []


@cache
def _svg_text(name: str) -> str:
    path = actions_dir() / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


@cache
def action_icon(name: str) -> QIcon:
    """The action icon ``name`` (e.g. ``"open"``), or an empty icon if there is none."""
    svg = _svg_text(name)
    if not svg:
        return QIcon()
    return QIcon(PaletteSvgEngine(svg))
