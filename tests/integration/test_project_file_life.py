"""The life of a project file outside the program's control: odd names, a file that goes
away while open, read-only media, a full disk, damage, a newer version.

Each scenario works on a real file in a temporary folder; those that need a mount (a
read-only or a tiny file system) skip when mounting is not permitted.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from isms_desktop.services import registers
from isms_desktop.services.projects import check_project, create_project, project_info
from isms_desktop.storage.project_file import FileGoneError, open_project


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Client #2.isms",  # '#' starts a fragment in an SQLite URI
        "ISMS 100% done.isms",
        "a%20b.isms",  # would decode to "a b" if not escaped
        "what?.isms",  # '?' starts the query
        "Sécurité Projekt ÆØÅ ä.isms",
    ],
)
def test_a_project_whose_name_has_uri_characters_is_the_file_opened(
    tmp_path: Path, project_path: Path, name: str
) -> None:
    folder = tmp_path / "Sécurité Projekt ÆØÅ"
    folder.mkdir()
    path = folder / name
    shutil.copyfile(project_path, path)

    with open_project(path) as project:
        first = registers.list_rows(project, "people")
        registers.create(project, "people", {"name": "Zoë Ünal", "role": "Auditor"})
    with open_project(path, read_only=True) as project:
        assert project_info(project)["counts"]["people"] == len(first) + 1
    assert check_project(path).ok
    # nothing but the project (no stray file under a cut-off or decoded name)
    assert _files(folder) == [name]


def test_a_new_project_under_an_odd_name_leaves_no_stray_files(tmp_path: Path) -> None:
    folder = tmp_path / "clients"
    folder.mkdir()
    path = folder / "Client #2 (100%).isms"
    with create_project(path, "Client #2"):
        pass
    assert _files(folder) == [path.name]
    assert check_project(path).ok


# -- the file goes away while open (a USB stick pulled) ------------------------------------


def _pull(path: Path, how: str) -> None:
    if how == "deleted":
        path.unlink()
    elif how == "renamed":
        path.rename(path.with_name("renamed.isms"))
    else:  # the whole folder went (as a drive's mount point does)
        path.parent.rename(path.parent.with_name("elsewhere"))


@pytest.mark.parametrize("how", ["deleted", "renamed", "folder moved"])
def test_an_edit_after_the_file_went_away_is_refused_and_writes_nothing_elsewhere(
    tmp_path: Path, project_path: Path, how: str
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    path = folder / "Acme.isms"
    shutil.copyfile(project_path, path)
    project = open_project(path)
    try:
        registers.create(project, "people", {"name": "Before", "role": "Owner"})
        _pull(path, how)

        with pytest.raises(FileGoneError, match="no longer there") as caught:
            registers.create(project, "people", {"name": "After", "role": "Owner"})
        assert str(path) in str(caught.value)
        # a connection the pool opens now finds no file: it makes none
        with pytest.raises(FileGoneError), project.reading() as session:
            project.engine.dispose()
            session.connection()
    finally:
        project.close()
    assert not path.exists(), "no new (empty) file appeared where the project was"
    assert FileGoneError.exit_code == 4
