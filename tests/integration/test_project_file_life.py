"""The life of a project file outside the program's control: odd names, a file that goes
away while open, read-only media, a full disk, damage, a newer version.

Each scenario works on a real file in a temporary folder; those that need a mount (a
read-only or a tiny file system) skip when mounting is not permitted.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.errors import (
    BadArgumentsError,
    DamagedFileError,
    IsmsError,
    ReadOnlyError,
)
from isms_desktop.services import backups, registers
from isms_desktop.services.projects import check_project, create_project, project_info
from isms_desktop.storage import lock as lock_module
from isms_desktop.storage import project_file
from isms_desktop.storage.lock import lock_path
from isms_desktop.storage.project_file import FileGoneError, longest_name, open_project


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


# -- read-only media, write-protected folders, names too long, a full disk -------------------


def _mount_tmpfs(folder: Path, size: str) -> None:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"a small file system cannot be mounted here ({done.stderr.strip()})")


@pytest.fixture
def read_only_medium(tmp_path: Path, project_path: Path) -> Iterator[Path]:
    """A project on a file system mounted read-only (as a CD or a locked SD card)."""
    mount = tmp_path / "cd"
    mount.mkdir()
    _mount_tmpfs(mount, "8m")
    try:
        shutil.copyfile(project_path, mount / "Acme.isms")
        remounted = subprocess.run(
            ["mount", "-o", "remount,ro", str(mount)], capture_output=True, check=False
        )
        if remounted.returncode != 0:
            pytest.skip("the file system cannot be remounted read-only here")
        yield mount / "Acme.isms"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_project_on_read_only_media_opens_for_reading_only(read_only_medium: Path) -> None:
    path = read_only_medium
    before = _digest(path)

    with pytest.raises(ReadOnlyError, match="read-only drive") as caught:
        open_project(path)
    assert str(path) in str(caught.value)
    with open_project(path, read_only=True) as project:
        assert project_info(project)["counts"]["controls"] == 93
    assert check_project(path).ok
    assert _files(path.parent) == ["Acme.isms"]  # no lock, no journal
    assert _digest(path) == before


def test_a_write_protected_folder_refuses_writing_before_anything_is_written(
    tmp_path: Path, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (root ignores permissions: the folder's answer is simulated, as a user would get it)
    folder = tmp_path / "share"
    folder.mkdir()
    path = folder / "Acme.isms"
    shutil.copyfile(project_path, path)
    real_access = os.access
    monkeypatch.setattr(
        project_file.os, "access", lambda p, mode: Path(p) != folder and real_access(p, mode)
    )

    with pytest.raises(ReadOnlyError, match="folder is read-only"):
        open_project(path)
    assert _files(folder) == ["Acme.isms"]


def test_a_lock_that_cannot_be_written_is_a_clear_refusal_and_leaves_no_lock(
    project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_fd: int, _data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(lock_module.os, "write", full)
    with pytest.raises(IsmsError, match="is full") as caught:
        open_project(project_path)
    assert not isinstance(caught.value, ReadOnlyError)
    monkeypatch.undo()
    assert not lock_path(project_path).exists()
    with open_project(project_path):  # and it opens once there is space
        pass


def test_opening_on_a_completely_full_disk_says_so(tmp_path: Path, project_path: Path) -> None:
    mount = tmp_path / "full"
    mount.mkdir()
    _mount_tmpfs(mount, "2m")
    try:
        path = mount / "Acme.isms"
        shutil.copyfile(project_path, path)
        with contextlib.suppress(OSError), (mount / "filler").open("wb") as handle:
            handle.write(b"\0" * shutil.disk_usage(mount).free)
        before = _digest(path)

        with pytest.raises(IsmsError, match="full"):
            open_project(path)
        assert not lock_path(path).exists()
        assert _digest(path) == before
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_names_too_long_for_the_files_beside_them(tmp_path: Path, project_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    longest = longest_name(folder)
    with pytest.raises(BadArgumentsError, match="too long"):
        create_project(folder / ("N" * (longest - 4) + "x.isms"), "Acme")
    assert _files(folder) == []

    # a file copied here under a long name (from another system) can still be read
    # (248 bytes on most file systems: 8 more, for "-journal", would pass their limit)
    path = folder / ("L" * (longest_name(folder, extra=8) - 4) + ".isms")
    shutil.copyfile(project_path, path)
    with pytest.raises(ReadOnlyError, match="name is too long"):
        open_project(path)
    with open_project(path, read_only=True) as project:
        assert project_info(project)["counts"]["controls"] == 93
    assert check_project(path).ok


# -- damage ----------------------------------------------------------------------------------


def _zero_page(path: Path, page: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(page * 4096)
        handle.write(bytes(4096))


def test_a_damaged_project_is_not_backed_up_over_its_good_backups(
    tmp_path: Path, demo_path: Path
) -> None:
    root = tmp_path / "backups"
    with open_project(demo_path) as project:
        good = backups.make_backup(project, root=root)
    pristine = demo_path.read_bytes()
    for page in range(demo_path.stat().st_size // 4096 - 1, 1, -7):
        # a page the opening does not read, but the integrity check does
        demo_path.write_bytes(pristine)
        _zero_page(demo_path, page)
        if not check_project(demo_path).ok:
            break
    assert not check_project(demo_path).ok

    with open_project(demo_path) as project, pytest.raises(DamagedFileError) as caught:
        backups.BackupKeeper(project, root=root).opened()
    assert "no automatic backup was made" in str(caught.value)
    assert str(backups.backup_folder(demo_path.stem, root)) in str(caught.value)
    assert [b.path for b in backups.list_backups(demo_path.stem, root)] == [good]


def test_a_zeroed_header_is_damage_not_an_encrypted_file(
    tmp_path: Path, project_path: Path
) -> None:
    _zero_page(project_path, 0)
    with pytest.raises(DamagedFileError, match="not an isms-desktop project file"):
        open_project(project_path)


def test_check_points_to_the_automatic_backups(tmp_path: Path, demo_path: Path) -> None:
    with open_project(demo_path) as project:
        backups.make_backup(project)
    with demo_path.open("r+b") as handle:
        handle.truncate(demo_path.stat().st_size // 2)

    done = subprocess.run(
        [sys.executable, "-m", "isms_desktop", "check", str(demo_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 4
    assert "Traceback" not in done.stderr
    assert "cut short" in done.stderr
    assert "automatic backup of it" in done.stderr
    assert str(backups.backup_folder(demo_path.stem)) in done.stderr
