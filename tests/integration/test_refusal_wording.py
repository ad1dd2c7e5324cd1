"""The refusals of a project in use, one that cannot be written where it is, one whose backup
before an upgrade cannot be written, one that needs a password, and of password files, are
worded once (``storage.advice``, ``storage.encryption``): the window shows the storage error
as it is, and the command line states the same fact with advice a command can follow, on one
line with the same exit status."""

from __future__ import annotations

import copy
import errno
import json
import pickle
import shutil
from pathlib import Path

import pytest

from isms_desktop.cli import main
from isms_desktop.domain.errors import DamagedFileError, LockedError, ReadOnlyError
from isms_desktop.storage import advice, lock, project_file
from isms_desktop.storage.advice import PASSWORD_ENV, Advised
from isms_desktop.storage.project_file import change_encryption, open_project

ADVICE = [
    advice.IN_USE,
    advice.NOT_WRITABLE_HERE,
    advice.NO_ROOM_FOR_BACKUP,
    advice.PASSWORD_NEEDED,
]


def _held_by_anna(project: Path) -> None:
    lock.lock_path(project).write_text(
        json.dumps({"user": "anna", "host": "laptop-anna", "pid": 1, "since": "2026-01-02 09:00"})
    )


def _refusal(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("isms-desktop: "), err
    return err.removeprefix("isms-desktop: ").rstrip("\n")


@pytest.mark.parametrize("words", ADVICE)
def test_each_advice_is_written_for_both_and_differs_only_where_they_can_do_different_things(
    words: advice.Advice,
) -> None:
    assert words.window and words.command and words.window != words.command
    assert "--password-file" not in words.window and "read-only" not in words.command


def test_a_project_in_use_says_who_holds_it_in_the_same_words_in_both(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _held_by_anna(project_path)
    with pytest.raises(LockedError) as refused:  # what the window shows
        open_project(project_path)
    error = refused.value
    assert isinstance(error, Advised) and error.exit_code == 6
    fact = f"{project_path} is in use by anna on laptop-anna since 2026-01-02 09:00"
    assert str(error) == f"{fact}; {advice.IN_USE.window}"
    assert (error.user, error.host, error.since) == ("anna", "laptop-anna", "2026-01-02 09:00")
    assert main(["update-catalogue", str(project_path)]) == 6
    assert _refusal(capsys) == f"{fact}; {advice.IN_USE.command}"


def test_a_reworded_copy_keeps_its_class_and_details() -> None:
    error = advice.InUseError("x.isms is in use", advice.IN_USE, user="anna", host="h", since="s")
    for again in (copy.copy(error), pickle.loads(pickle.dumps(error))):
        assert type(again) is advice.InUseError and str(again) == str(error)
        assert (again.user, again.fact, again.advice) == ("anna", error.fact, advice.IN_USE)
    assert advice.for_command_line(error) == f"x.isms is in use; {advice.IN_USE.command}"
    assert advice.for_command_line(LockedError("busy")) == "busy"


def test_a_project_that_cannot_be_written_where_it_is(
    project_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # (as a read-only drive says it: simulated, since root may write anywhere)
    why = "the file is write-protected, or on a read-only drive"
    monkeypatch.setattr(project_file, "write_refusal", lambda *_args: why)
    with pytest.raises(ReadOnlyError) as refused:
        open_project(project_path)
    error = refused.value
    assert isinstance(error, Advised) and error.exit_code == 2
    assert error.fact == f"{project_path} cannot be changed here: {why}"
    assert str(error) == f"{error.fact}; {advice.NOT_WRITABLE_HERE.window}"
    assert main(["update-catalogue", str(project_path)]) == 2
    assert _refusal(capsys) == f"{error.fact}; {advice.NOT_WRITABLE_HERE.command}"


def test_no_room_for_the_backup_before_an_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.isms"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "rev_0005_records.isms", path)
    before = path.read_bytes()

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copy2", full)
    with pytest.raises(Advised) as refused:
        open_project(path)
    error = refused.value
    assert error.exit_code == 1 and "backup copy kept before that could not be written" in str(
        error
    )
    assert str(error) == f"{error.fact}; {advice.NO_ROOM_FOR_BACKUP.window}"
    assert main(["update-catalogue", str(path)]) == 1
    assert _refusal(capsys) == f"{error.fact}; {advice.NO_ROOM_FOR_BACKUP.command}"
    assert path.read_bytes() == before


def test_an_encrypted_project_without_its_password(
    project_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    change_encryption(project_path, password=None, new_password="correct horse battery")
    with pytest.raises(DamagedFileError) as refused:
        open_project(project_path, read_only=True)
    error = refused.value
    assert isinstance(error, Advised) and error.exit_code == 4
    assert error.fact == (
        f"{project_path} is not a readable isms-desktop project: it is either encrypted or damaged"
    )
    assert str(error).endswith("open it with File ▸ Open, which asks for its password")
    assert main(["info", str(project_path)]) == 4
    assert _refusal(capsys) == (
        f"{error.fact}; if it is encrypted, give its password with --password-file or the "
        f"{PASSWORD_ENV} variable"
    )


@pytest.mark.parametrize(
    ("content", "option", "status", "said"),
    [
        (None, "--password-file", 2, "is a folder; give the file holding the password"),
        (b"\xff\xfe\x00x", "--password-file", 2, "is not a text file (UTF-8)"),
        (b"", "--password-file", 7, "is empty: an empty password opens nothing"),
        (b"", "--new-password-file", 2, "is empty; put the new password on its first line"),
        (b"missing", "--new-password-file", 2, "cannot be read ("),
    ],
)
def test_a_password_file_is_refused_naming_its_option(
    project_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | None,
    option: str,
    status: int,
    said: str,
) -> None:
    secret = tmp_path / "pw.txt"
    if content is None:
        secret.mkdir()
    elif content != b"missing":
        secret.write_bytes(content)
    before = project_path.read_bytes()
    args = ["encrypt", str(project_path), "--new-password-file", str(secret)]
    if option == "--password-file":
        args = ["info", str(project_path), "--password-file", str(secret)]
    assert main(args) == status
    err = _refusal(capsys)
    assert err.startswith(f"{option} {secret} ") and said in err, err
    assert project_path.read_bytes() == before
