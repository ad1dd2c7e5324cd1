"""Icons shipped in ``resources/icons`` (SVG, so they stay sharp at any scale factor)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from isms_desktop.catalog.resources import resources_dir


def app_icon() -> QIcon:
    """The application's icon, or an empty icon when the resources are not installed."""
    path = resources_dir() / "icons" / "isms-desktop.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
