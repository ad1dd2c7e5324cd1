"""Demo records for one area of the example project (see services/demo.py)."""

from __future__ import annotations

from isms_desktop.storage.project_file import Project


def fill(project: Project) -> None:
    """Add this area's believable records to the demo project (not yet written)."""
