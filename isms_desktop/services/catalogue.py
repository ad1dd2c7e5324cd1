"""Applying a newer bundled catalogue to an existing project."""

from __future__ import annotations

from pathlib import Path

from isms_desktop.catalog import load_catalogue
from isms_desktop.services.catalogue_sync import CatalogueUpdate, apply_catalogue
from isms_desktop.storage.project_file import Project, open_project


def update_project_catalogue(project: Project) -> CatalogueUpdate:
    with project.transaction() as session:
        return apply_catalogue(session, load_catalogue())


def update_catalogue(path: Path | str) -> CatalogueUpdate:
    with open_project(path) as project:
        return update_project_catalogue(project)
