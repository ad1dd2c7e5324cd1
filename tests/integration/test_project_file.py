"""The .isms project file: identity, pragmas, refusals that change nothing, locks, copies."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from isms_desktop.domain.errors import (
    DamagedFileError,
    LockedError,
    NewerVersionError,
    ReadOnlyError,
    TargetExistsError,
)
from isms_desktop.services.projects import create_project, project_info, summary
from isms_desktop.storage import lock as lock_module
from isms_desktop.storage.models import Person
from isms_desktop.storage.project_file import APPLICATION_ID, check_file, open_project


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_project_is_an_identified_sqlite_file(project_path: Path) -> None:
    conn = sqlite3.connect(project_path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()
    assert revision
    assert not project_path.with_name(project_path.name + "-wal").exists()


def test_edits_are_committed_at_once_and_survive_reopening(project_path: Path) -> None:
    project = open_project(project_path)
    with project.transaction() as session:
        session.add(Person(code="P-1", name="Zoë Müller", role="ISO"))
    # Without closing the writer, a separate reader sees the committed row.
    reader = open_project(project_path, read_only=True)
    with reader.reading() as session:
        assert session.scalars(select(Person.name)).all() == ["Zoë Müller"]
    reader.close()
    project.close()


def test_foreign_keys_are_enforced(open_project_rw: object) -> None:
    from sqlalchemy.exc import IntegrityError

    from isms_desktop.storage.models import SoaEntry

    project = open_project_rw
    with pytest.raises(IntegrityError), project.transaction() as session:  # type: ignore[attr-defined]
        session.add(SoaEntry(control_id=999_999))


def test_create_refuses_an_existing_file_and_leaves_it_alone(project_path: Path) -> None:
    before = _digest(project_path)
    with pytest.raises(TargetExistsError):
        create_project(project_path, "Other Org")
    assert _digest(project_path) == before


def test_info_reports_the_catalogue(project_path: Path) -> None:
    with open_project(project_path, read_only=True) as project:
        info = project_info(project)
        assert summary(project).organisation == "Acme Test Ltd"
    assert info["counts"]["controls"] == 93
    assert info["counts"]["soa"] == 93
    assert info["organisation"] == "Acme Test Ltd"


def _bad_files(tmp_path: Path, project_path: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    rnd = tmp_path / "random.isms"
    rnd.write_bytes(os.urandom(64 * 1024))
    files["random bytes"] = rnd
    empty = tmp_path / "empty.isms"
    empty.write_bytes(b"")
    files["empty"] = empty
    truncated = tmp_path / "truncated.isms"
    data = project_path.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    files["truncated"] = truncated
    tiny = tmp_path / "tiny.isms"
    tiny.write_bytes(data[:60])
    files["header only"] = tiny
    other = tmp_path / "other.isms"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    files["another sqlite database"] = other
    trigger = tmp_path / "trigger.isms"
    shutil.copyfile(project_path, trigger)
    conn = sqlite3.connect(trigger)
    conn.execute("CREATE TRIGGER evil AFTER INSERT ON people BEGIN DELETE FROM controls; END")
    conn.commit()
    conn.close()
    files["planted trigger"] = trigger
    garbled = tmp_path / "garbled.isms"
    raw = bytearray(data)
    for offset in range(4096 * 3, len(raw), 4096):
        raw[offset : offset + 512] = os.urandom(512)
    garbled.write_bytes(bytes(raw))
    files["garbled pages"] = garbled
    return files


@pytest.mark.parametrize("read_only", [False, True])
def test_bad_files_are_refused_and_not_modified(
    tmp_path: Path, project_path: Path, read_only: bool
) -> None:
    for name, path in _bad_files(tmp_path, project_path).items():
        before = _digest(path)
        with pytest.raises(DamagedFileError):
            project = open_project(path, read_only=read_only)
            # A file whose damage hides past the header shows it when read.
            try:
                project_info(project)
            finally:
                project.close()
        assert _digest(path) == before, name
        assert not lock_module.lock_path(path).exists(), name


def test_check_reports_damage_inside_the_file(tmp_path: Path, project_path: Path) -> None:
    garbled = _bad_files(tmp_path, project_path)["garbled pages"]
    before = _digest(garbled)
    try:
        report = check_file(garbled)
        assert not report.ok
    except DamagedFileError:
        pass
    assert _digest(garbled) == before
    assert check_file(project_path).ok


def _set_revision(path: Path, revision: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_from_a_newer_version_is_refused_untouched(
    project_path: Path, read_only: bool
) -> None:
    _set_revision(project_path, "9999_from_the_future")
    before = _digest(project_path)
    with pytest.raises(NewerVersionError, match="newer version"):
        open_project(project_path, read_only=read_only)
    assert _digest(project_path) == before


def test_save_a_copy_uses_a_consistent_snapshot(tmp_path: Path, open_project_rw: object) -> None:
    project = open_project_rw
    with project.transaction() as session:  # type: ignore[attr-defined]
        session.add(Person(code="P-9", name="Copy Check"))
    target = tmp_path / "copy.isms"
    project.save_copy(target)  # type: ignore[attr-defined]
    assert check_file(target).ok
    with open_project(target, read_only=True) as copy, copy.reading() as session:
        assert session.scalars(select(Person.name)).all() == ["Copy Check"]


def test_read_only_project_refuses_changes(project_path: Path) -> None:
    with (
        open_project(project_path, read_only=True) as project,
        pytest.raises(ReadOnlyError),
        project.transaction(),
    ):
        pass


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from isms_desktop.storage.project_file import open_project
    project = open_project(Path(sys.argv[1]))
    print("ready", flush=True)
    sys.stdin.readline()
    project.close()
    """
)


def _start_holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_a_second_writer_is_refused_while_readers_still_work(project_path: Path) -> None:
    proc = _start_holder(project_path)
    try:
        with pytest.raises(LockedError, match=r"in use by .+ on .+ since"):
            open_project(project_path)
        with open_project(project_path, read_only=True) as reader:
            assert project_info(reader)["counts"]["controls"] == 93
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.close()
        proc.wait(timeout=30)
    # Released: a writer may open it now.
    open_project(project_path).close()
    assert not lock_module.lock_path(project_path).exists()


def test_the_stale_lock_of_a_killed_process_is_taken_over(project_path: Path) -> None:
    proc = _start_holder(project_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    holder = json.loads(lock_module.lock_path(project_path).read_text())
    assert holder["pid"] == proc.pid
    with open_project(project_path) as project:
        assert not project.read_only
    assert not lock_module.lock_path(project_path).exists()


def test_a_lock_from_another_host_is_respected(project_path: Path) -> None:
    lock_module.lock_path(project_path).write_text(
        json.dumps({"user": "anna", "host": "laptop-anna", "pid": 1, "since": "2026-01-02 09:00"})
    )
    with pytest.raises(LockedError, match="in use by anna on laptop-anna since 2026-01-02 09:00"):
        open_project(project_path)


def test_a_newer_file_names_the_version_that_saved_it(project_path: Path) -> None:
    """The file's header says which version last wrote it: the refusal names the version to
    install, not only a schema revision the user cannot act on."""
    from isms_desktop import __version__
    from isms_desktop.storage import version_mark
    from isms_desktop.storage.sqlite_header import read_header

    conn = sqlite3.connect(project_path)
    conn.execute("PRAGMA user_version = 0")  # a file from before the mark
    conn.commit()
    conn.close()
    before = _digest(project_path)
    with open_project(project_path):
        pass
    assert _digest(project_path) == before  # opened and closed: untouched
    with open_project(project_path) as project, project.transaction() as session:
        session.add(Person(code="P-9", name="Marked"))
    assert read_header(project_path).user_version == version_mark.OURS  # with a change
    _set_revision(project_path, "9999_from_the_future")
    conn = sqlite3.connect(project_path)
    conn.execute(f"PRAGMA user_version = {version_mark.encode('3.2.1')}")
    conn.commit()
    conn.close()
    before = _digest(project_path)
    with pytest.raises(NewerVersionError) as refused:
        open_project(project_path)
    message = str(refused.value)
    assert "isms-desktop 3.2.1, a newer version" in message
    assert f"this is {__version__}" in message and "install version 3.2.1 or later" in message
    assert _digest(project_path) == before
    assert version_mark.decode(version_mark.encode("10.20.30")) == "10.20.30"
    assert version_mark.decode(0) is None
