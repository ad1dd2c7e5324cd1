"""Loaders for the bundled ISO/IEC 27001 content under ``resources/``."""

from isms_desktop.catalog.loader import Catalogue, load_catalogue

__all__ = ["Catalogue", "load_catalogue"]
