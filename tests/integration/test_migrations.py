"""Every project file an earlier release wrote opens with this one, data intact."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from isms_desktop.services import registers
from isms_desktop.services.projects import project_info
from isms_desktop.storage import migrations_runner
from isms_desktop.storage.models import Person, ProcessInteraction, SoaEntry
from isms_desktop.storage.project_file import backup_path, check_file, inspect_file, open_project

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").glob("rev_*.isms"))


def _revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def test_there_is_a_fixture_for_the_first_revision() -> None:
    revisions = {_revision(p) for p in FIXTURES}
    assert migrations_runner.known_revisions()[0] in revisions


def test_the_head_revision_in_the_code_is_alembics_head() -> None:
    # Opening a project compares with the constant, without importing Alembic: a new
    # migration must update it.
    assert migrations_runner.head_revision() == migrations_runner.alembic_head()
    assert migrations_runner.known_revisions()[-1] == migrations_runner.HEAD_REVISION


def test_there_is_a_fixture_for_every_revision() -> None:
    # A schema change adds a revision: add a fixture written at it (see fixtures/README.md).
    assert {_revision(p) for p in FIXTURES} == set(migrations_runner.known_revisions())


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_old_file_is_migrated_with_a_backup_and_keeps_its_data(
    tmp_path: Path, fixture: Path
) -> None:
    path = tmp_path / "client.isms"
    shutil.copyfile(fixture, path)
    old_revision = _revision(path)
    original = hashlib.sha256(path.read_bytes()).hexdigest()
    with open_project(path) as project:
        with project.reading() as session:
            people = session.scalar(select(func.count()).select_from(Person))
            decided = session.scalar(
                select(func.count()).select_from(SoaEntry).where(SoaEntry.applicable.isnot(None))
            )
            codes = session.scalars(select(ProcessInteraction.code)).all()
        info = project_info(project)
    assert _revision(path) == migrations_runner.head_revision()
    assert people and people >= 5
    assert decided == 93
    assert codes and all(code.startswith("IX-") for code in codes)
    assert len(set(codes)) == len(codes)
    assert info["organisation"] == "Brightwave Analytics Ltd"
    assert check_file(path).ok
    if old_revision != migrations_runner.head_revision():
        backup = backup_path(path, old_revision)
        assert hashlib.sha256(backup.read_bytes()).hexdigest() == original
        assert inspect_file(backup).revision == old_revision


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_reading_an_old_file_migrates_in_memory_and_changes_nothing(
    tmp_path: Path, fixture: Path
) -> None:
    path = tmp_path / "client.isms"
    shutil.copyfile(fixture, path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with open_project(path, read_only=True) as project:
        assert registers.count(project, "people") >= 5
        info = project_info(project)
    # the file's own revision, not the one of the copy upgraded in memory to be read
    head = migrations_runner.head_revision()
    assert info["schema_revision"] == _revision(path)
    assert info["schema_head"] == head
    assert info["upgrade_needed"] is (_revision(path) != head)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob("*.bak-*"))


@pytest.mark.parametrize("fixture", [FIXTURES[0], FIXTURES[-1]], ids=lambda p: p.stem)
def test_a_migrated_file_has_exactly_the_schema_the_models_declare(
    tmp_path: Path, fixture: Path
) -> None:
    # The migrations and storage/models.py are written separately (a migration never imports
    # the models): tables, columns, types, indexes and keys must still agree.
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from isms_desktop.storage.models import Base

    path = tmp_path / "client.isms"
    shutil.copyfile(fixture, path)
    with open_project(path):
        pass
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
