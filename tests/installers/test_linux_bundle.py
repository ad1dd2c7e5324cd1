"""The Linux release built for real: PyInstaller bundle, archive, install into a temporary
HOME, and the installed program run offscreen (command line and main window).

Slow (a PyInstaller build, about two minutes); part of the normal run, like CI's.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from installer_helpers import LINUX, ROOT, isolated_env

from isms_desktop import __version__

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux release"),
]

# Limits recorded in installers/README.md: measured ~190 MB unpacked, ~83 MB archive.
MAX_BUNDLE_MB = 230
MAX_ARCHIVE_MB = 100


@dataclass(frozen=True)
class Installed:
    program: Path  # ~/.local/bin/isms-desktop of the temporary HOME
    home: Path
    env: dict[str, str]
    build_seconds: float
    bundle_mb: float
    archive_mb: float


def _megabytes(folder: Path) -> float:
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 1e6


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the release with linux/build.sh, unpack the archive and run install.sh."""
    if shutil.which("objdump") is None:
        pytest.fail("building the bundle needs objdump (Debian package binutils)")
    work = tmp_path_factory.mktemp("linux-release")
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(LINUX / "build.sh"), "--out", str(work / "out")],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHON": sys.executable,
            "QT_QPA_PLATFORM": "offscreen",
            "PYINSTALLER_CONFIG_DIR": str(work / "pyinstaller-cache"),  # not the user's cache
        },
        timeout=1100,
    )
    build_seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (archive,) = (work / "out").glob("isms-desktop-*.tar.gz")
    assert archive.name == f"isms-desktop-{__version__}-linux-{os.uname().machine}.tar.gz"

    unpacked = work / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="tar")
    (release,) = unpacked.iterdir()
    home = work / "home"
    home.mkdir()
    env = isolated_env(home)
    result = subprocess.run(
        ["sh", str(release / "install.sh")], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    info = Installed(
        program=home / ".local" / "bin" / "isms-desktop",
        home=home,
        env=env,
        build_seconds=build_seconds,
        bundle_mb=_megabytes(release / "isms-desktop"),
        archive_mb=archive.stat().st_size / 1e6,
    )
    print(
        f"\nLinux release: built in {build_seconds:.0f} s, bundle {info.bundle_mb:.0f} MB, "
        f"archive {info.archive_mb:.0f} MB"
    )
    return info


def _run(
    installed: Installed, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(installed.program), *args],
        capture_output=True,
        text=True,
        env=installed.env,
        cwd=cwd,
        timeout=180,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stdout


def test_bundle_and_archive_stay_under_their_size_limits(installed: Installed) -> None:
    assert installed.bundle_mb <= MAX_BUNDLE_MB, f"bundle {installed.bundle_mb:.0f} MB"
    assert installed.archive_mb <= MAX_ARCHIVE_MB, f"archive {installed.archive_mb:.0f} MB"


def test_bundle_leaves_out_unused_qt_modules(installed: Installed) -> None:
    bundle = installed.home / ".local" / "lib" / "isms-desktop" / "_internal"
    names = {p.name for p in bundle.rglob("*")}
    for unwanted in ("libQt6WebEngineCore.so.6", "libQt6Quick.so.6", "libQt6Qml.so.6"):
        assert unwanted not in names
    assert not any(name.startswith(("QtWebEngine", "Qt3D", "QtMultimedia")) for name in names)
    assert "libqgtk3.so" not in names
    assert {"libQt6Svg.so.6", "libqsvgicon.so"} <= names  # the SVG icons
    assert {"libqxcb.so", "libqwayland.so", "libqoffscreen.so"} <= names  # X11, Wayland, tests
    assert "libqeglfs.so" not in names  # embedded devices


def test_version(installed: Installed) -> None:
    assert _ok(_run(installed, "--version")).strip() == f"isms-desktop {__version__}"


def test_new_and_info_json(installed: Installed, tmp_path: Path) -> None:
    project = tmp_path / "müller.isms"
    out = _ok(_run(installed, "new", str(project), "--org", "Müller & Søn GmbH"))
    assert "created" in out
    info = json.loads(_ok(_run(installed, "info", str(project), "--json")))
    assert info["organisation"] == "Müller & Søn GmbH"
    assert info["app_version"] == __version__
    assert info["counts"]["controls"] == 93
    assert info["counts"]["soa"] == 93
    assert info["encrypted"] is False
    # refuses to overwrite, with one line and exit 2
    again = _run(installed, "new", str(project), "--org", "Other")
    assert again.returncode == 2 and "Traceback" not in again.stderr


def test_encrypted_project_uses_the_bundled_sqlcipher(installed: Installed, tmp_path: Path) -> None:
    password = tmp_path / "password.txt"
    password.write_text("correct horse battery staple\n")
    project = tmp_path / "secret.isms"
    _ok(_run(installed, "new", str(project), "--org", "Acme", "--password-file", str(password)))
    assert not project.read_bytes().startswith(b"SQLite format 3")
    info = json.loads(
        _ok(_run(installed, "info", str(project), "--json", "--password-file", str(password)))
    )
    assert info["encrypted"] is True


def test_demo_and_pdf_report_with_the_bundled_fonts(installed: Installed, tmp_path: Path) -> None:
    project = tmp_path / "demo.isms"
    _ok(_run(installed, "demo", str(project)))
    info = json.loads(_ok(_run(installed, "info", str(project), "--json")))
    assert info["counts"]["assets"] >= 30 and info["counts"]["risks"] >= 40
    pdf = tmp_path / "soa.pdf"
    _ok(_run(installed, "report", str(project), "soa", "--pdf", str(pdf)))
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert any("DejaVuSans" in name for name in fonts), fonts
    # (the words as read, whatever the line breaks of the table's cells)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # the first and the last Annex A control
    assert "Policies for information" in text and "8.34" in text


def test_an_old_project_is_migrated_by_the_bundled_alembic(
    installed: Installed, tmp_path: Path
) -> None:
    project = tmp_path / "old.isms"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "rev_0001_initial.isms", project)
    checked = _ok(_run(installed, "check", str(project)))
    assert "0001_initial" in checked and "upgraded" in checked
    _ok(_run(installed, "update-catalogue", str(project)))  # opens it for writing
    info = json.loads(_ok(_run(installed, "info", str(project), "--json")))
    from isms_desktop.storage.migrations_runner import head_revision

    assert info["schema_revision"] == head_revision()
    assert list(tmp_path.glob("old.isms.bak-*")), "no backup copy before the migration"


def test_main_window_opens_the_project_given_and_quits_on_ctrl_c(
    installed: Installed, tmp_path: Path
) -> None:
    """``isms-desktop FILE.isms``, as the desktop's file association runs it."""
    project = tmp_path / "opened.isms"
    _ok(_run(installed, "new", str(project), "--org", "Window Ltd"))
    lock = tmp_path / ".~lock.opened.isms#"
    process = subprocess.Popen(
        [str(installed.program), str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=installed.env,
    )
    try:
        deadline = time.monotonic() + 90
        while not lock.exists():
            assert process.poll() is None, f"the program ended: {process.communicate()}"
            assert time.monotonic() < deadline, "the project was not opened within 90 s"
            time.sleep(0.2)
        time.sleep(2)  # the window stays up on the project
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "internal error" not in err
    assert not lock.exists(), "the project's lock was not released"
    log = installed.home / "state" / "isms-desktop" / "log" / "isms-desktop.log"
    assert " ERROR " not in log.read_text(encoding="utf-8")
