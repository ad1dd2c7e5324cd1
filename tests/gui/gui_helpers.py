"""Helpers shared by the GUI tests (kept out of conftest.py so tests can import them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from isms_desktop.services.projects import create_project

ORGANISATION = "Acme Test Ltd"


@dataclass
class Dialogs:
    """Message boxes the code under test asked for: (kind, title, text)."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.No

    def kinds(self) -> list[str]:
        return [kind for kind, _title, _text in self.shown]


def make_project(path: Path, organisation: str = ORGANISATION) -> Path:
    """Create a project file through the services, as a user would, and close it."""
    create_project(path, organisation).close()
    return path
