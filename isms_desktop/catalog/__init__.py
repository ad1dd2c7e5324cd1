"""Loaders for the bundled ISO/IEC 27001 content under ``resources/``.

``Catalogue`` and ``load_catalogue`` are imported on first use: the loader brings in YAML
and the catalogue's model, which the main window does not need before its first paint
(``catalog.resources``, where the icons are, is imported on its own).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from isms_desktop.catalog.loader import Catalogue, load_catalogue

__all__ = ["Catalogue", "load_catalogue"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("isms_desktop.catalog.loader"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
