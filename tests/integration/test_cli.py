"""The command line of CONTRACT.md: outputs, exit statuses, one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from isms_desktop import __version__
from isms_desktop.cli import main
from isms_desktop.domain.registers import REGISTER_NAMES
from isms_desktop.storage.migrations_runner import head_revision


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "isms_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_version_as_a_separate_process() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"isms-desktop {__version__}"


def test_new_then_info_json_prints_the_contract_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.isms"
    assert main(["new", str(path), "--org", "Acme"]) == 0
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info) >= {
        "format", "app_version", "schema_revision", "organisation", "standard",
        "encrypted", "counts", "readiness",
    }  # fmt: skip
    assert info["format"] == "isms-desktop project"
    assert info["app_version"] == __version__
    assert info["organisation"] == "Acme"
    assert info["standard"] == "ISO/IEC 27001:2022"
    assert info["encrypted"] is False
    assert set(info["counts"]) == {*REGISTER_NAMES, "controls"}
    assert info["counts"]["controls"] == 93
    assert info["counts"]["soa"] == 93
    assert {"overall_percent", "clauses_percent", "controls_percent"} <= set(info["readiness"])


def test_second_new_on_the_same_path_exits_2(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", str(project_path), "--org", "Acme"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", ["info", "check"])
def test_random_and_truncated_files_exit_4_unchanged(
    tmp_path: Path, project_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rnd = tmp_path / "rnd.isms"
    rnd.write_bytes(os.urandom(20_000))
    cut = tmp_path / "cut.isms"
    cut.write_bytes(project_path.read_bytes()[:100_000])
    for path in (rnd, cut):
        before = _digest(path)
        assert main([command, str(path)]) == 4
        err = capsys.readouterr().err
        assert str(path) in err and "Traceback" not in err
        assert err.count("\n") == 1
        assert _digest(path) == before


def test_newer_file_exits_5(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    conn = sqlite3.connect(project_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    assert main(["info", str(project_path), "--json"]) == 5
    assert "newer version" in capsys.readouterr().err


def test_check_on_a_good_file(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(project_path)]) == 0
    assert "ok" in capsys.readouterr().out


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tmp_path / "nope.isms")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_copy_writes_a_whole_project_and_refuses_to_overwrite(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.isms"
    assert main(["copy", str(demo_path), str(target)]) == 0
    capsys.readouterr()
    assert main(["info", str(target), "--json"]) == 0
    copied = json.loads(capsys.readouterr().out)
    assert main(["info", str(demo_path), "--json"]) == 0
    original = json.loads(capsys.readouterr().out)
    assert copied["counts"] == original["counts"]
    before = target.read_bytes()
    assert main(["copy", str(demo_path), str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_copy_of_an_old_file_is_at_the_current_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "rev_0002_context.isms"
    before = fixture.read_bytes()
    target = tmp_path / "new.isms"
    assert main(["copy", str(fixture), str(target)]) == 0
    assert fixture.read_bytes() == before
    capsys.readouterr()
    assert main(["info", str(target), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["schema_revision"] == head_revision()


def test_demo_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.isms"
    assert main(["demo", str(path)]) == 0
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["counts"]["people"] >= 5
    assert info["counts"]["processes"] >= 10
    assert main(["demo", str(path)]) == 2


def test_an_internal_error_shows_one_line_and_logs_the_traceback(
    project_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from isms_desktop.services import projects

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(projects, "project_info", broken)
    assert main(["info", str(project_path)]) == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err
    log_path = Path(err.rsplit(" in ", 1)[1].strip())
    assert "RuntimeError: boom" in log_path.read_text()


def test_exports_get_the_users_usual_permissions(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Written under a private temporary name, then given 0666 minus the umask."""
    old = os.umask(0o022)
    try:
        pdf, xlsx = tmp_path / "soa.pdf", tmp_path / "all.xlsx"
        assert main(["report", str(demo_path), "soa", "--pdf", str(pdf)]) == 0
        assert main(["export", str(demo_path), "--xlsx", str(xlsx)]) == 0
    finally:
        os.umask(old)
    for path in (pdf, xlsx):
        assert path.stat().st_mode & 0o777 == 0o644, path


def test_import_from_a_folder_says_it_is_a_folder(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sheets.xlsx"
    folder.mkdir()
    before = hashlib.sha256(project_path.read_bytes()).hexdigest()
    code = main(["import", str(project_path), "--register", "assets", "--from", str(folder)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{folder} is a folder" in err and "no such file" not in err
    assert "Traceback" not in err
    assert hashlib.sha256(project_path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("fixture", ["rev_0002_context.isms", "rev_0005_records.isms"])
def test_info_of_an_older_file_reports_its_own_revision_as_check_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fixture: str
) -> None:
    """info gave the newest revision (that of the copy upgraded in memory to be read)."""
    path = tmp_path / "old.isms"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / fixture, path)
    before = path.read_bytes()
    assert main(["check", str(path)]) == 0
    checked = capsys.readouterr().out
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    revision = fixture.removeprefix("rev_").removesuffix(".isms")
    assert info["schema_revision"] == revision != head_revision()
    assert f"(schema {revision})" in checked
    assert info["schema_head"] == head_revision()
    assert info["upgrade_needed"] is True
    assert main(["info", str(path)]) == 0
    assert (
        f"schema     {revision} (upgraded to {head_revision()} when opened for writing)"
        in capsys.readouterr().out
    )
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak-*"))


def test_info_of_a_current_file_needs_no_upgrade(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", str(project_path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["schema_revision"] == info["schema_head"] == head_revision()
    assert info["upgrade_needed"] is False
    assert main(["info", str(project_path)]) == 0
    assert f"schema     {head_revision()}\n" in capsys.readouterr().out
