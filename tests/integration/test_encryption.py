"""Encryption at rest: no plaintext on disk, the right exits for missing and wrong
passwords, the password never stored, encrypt/decrypt/copy/migrate keep the records."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from isms_desktop.domain.errors import DamagedFileError, WrongPasswordError
from isms_desktop.services import registers
from isms_desktop.services.projects import create_project, project_info
from isms_desktop.storage import encryption
from isms_desktop.storage.project_file import change_encryption, inspect_file, open_project

PASSWORD = "Kennwort für Brightwave – 2026 €"
SECRET = "Quagga-vault-7731"


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "isms_desktop", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "secret.isms"
    with create_project(path, "Quagga Holdings", password=PASSWORD) as project:
        registers.create(project, "assets", {"name": SECRET, "type": "information"})
    return path


def test_the_file_holds_no_plaintext(encrypted: Path) -> None:
    data = encrypted.read_bytes()
    for text in (SECRET, "Quagga Holdings", "SQLite format 3", "Access control"):
        assert text.encode() not in data
        assert text.encode("utf-16-le") not in data
    assert encryption.looks_encrypted(encrypted)


def test_right_password_opens_and_reports_encrypted(encrypted: Path) -> None:
    with open_project(encrypted, password=PASSWORD) as project:
        assert project.encrypted
        assert project_info(project)["encrypted"] is True
        assert registers.get(project, "assets", "A-001").values["name"] == SECRET


def test_missing_and_wrong_passwords_change_nothing(encrypted: Path) -> None:
    before = hashlib.sha256(encrypted.read_bytes()).hexdigest()
    with pytest.raises(DamagedFileError, match="encrypted"):
        open_project(encrypted)
    with pytest.raises(WrongPasswordError):
        open_project(encrypted, password="not it")
    assert hashlib.sha256(encrypted.read_bytes()).hexdigest() == before
    assert not list(encrypted.parent.glob(".~lock*"))


def test_cli_exit_codes_and_password_file(encrypted: Path, tmp_path: Path) -> None:
    no_password = _cli("info", str(encrypted))
    assert no_password.returncode == 4
    assert "password" in no_password.stderr and "Traceback" not in no_password.stderr
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n", encoding="utf-8")
    assert _cli("info", str(encrypted), "--password-file", str(wrong)).returncode == 7
    right = tmp_path / "right.txt"
    right.write_text(PASSWORD + "\n", encoding="utf-8")
    ok = _cli("info", str(encrypted), "--json", "--password-file", str(right))
    assert ok.returncode == 0, ok.stderr
    assert '"encrypted": true' in ok.stdout
    by_env = _cli("check", str(encrypted), env={"ISMS_PASSWORD": PASSWORD})
    assert by_env.returncode == 0, by_env.stderr


def test_password_is_never_written_anywhere(encrypted: Path, isolated_home: Path) -> None:
    result = _cli(
        "info", str(encrypted), env={"ISMS_PASSWORD": PASSWORD, "HOME": str(isolated_home)}
    )
    assert result.returncode == 0
    needle = PASSWORD.encode()
    for folder in (isolated_home, encrypted.parent):
        for file in folder.rglob("*"):
            if file.is_file():
                assert needle not in file.read_bytes(), file


def test_encrypt_then_decrypt_an_existing_project(demo_path: Path, tmp_path: Path) -> None:
    with open_project(demo_path, read_only=True) as project:
        counts = project_info(project)["counts"]
    assert b"Brightwave" in demo_path.read_bytes()
    new = tmp_path / "new.txt"
    new.write_text(PASSWORD, encoding="utf-8")
    result = _cli("encrypt", str(demo_path), "--new-password-file", str(new))
    assert result.returncode == 0, result.stderr
    data = demo_path.read_bytes()
    assert b"Brightwave" not in data and b"Ransomware" not in data
    with open_project(demo_path, read_only=True, password=PASSWORD) as project:
        assert project_info(project)["counts"] == counts
    change_encryption(demo_path, password=PASSWORD, new_password=None)
    assert b"Brightwave" in demo_path.read_bytes()
    with open_project(demo_path, read_only=True) as project:
        assert not project.encrypted
        assert project_info(project)["counts"] == counts


def test_save_a_copy_stays_encrypted(encrypted: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.isms"
    with open_project(encrypted, password=PASSWORD) as project:
        project.save_copy(copy)
    assert SECRET.encode() not in copy.read_bytes()
    with open_project(copy, read_only=True, password=PASSWORD) as project:
        assert registers.get(project, "assets", "A-001").values["name"] == SECRET


def test_an_older_encrypted_file_migrates(tmp_path: Path) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "rev_0004_soa.isms"
    old = tmp_path / "old.isms"
    key = encryption.new_key(PASSWORD)
    source = encryption.dbapi().connect(str(fixture))
    try:
        encryption.export_to(source, old, key)
    finally:
        source.close()
    before = old.read_bytes()
    status = inspect_file(old, PASSWORD)
    assert status.needs_migration and status.key is not None
    with open_project(old, read_only=True, password=PASSWORD) as project:
        info = project_info(project)
        assert info["counts"]["risks"] > 0
        assert info["schema_revision"] == status.revision and info["upgrade_needed"]
    assert old.read_bytes() == before, "a read-only open never writes"
    with open_project(old, password=PASSWORD) as project:
        assert project_info(project)["schema_revision"] == status.head
    backup = old.with_name(f"{old.name}.bak-{status.revision}")
    assert backup.read_bytes() == before
