"""Shared by the installer tests: paths, the environment for the built program, small checks."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ROOT / "installers"
LINUX = INSTALLERS / "linux"
MIME_TYPE = "application/x-isms-project"


def isolated_env(home: Path) -> dict[str, str]:
    """An environment whose HOME and XDG folders are under ``home``; Qt offscreen."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ISMS_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    for sub in ("config", "state", "cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG file's IHDR chunk."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def desktop_entry(path: Path) -> dict[str, str]:
    """The keys of the [Desktop Entry] group (the format is stricter than configparser's)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]", f"{path}: the first group must be [Desktop Entry]"
    entry: dict[str, str] = {}
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        assert not line.startswith("["), f"{path}: unexpected group {line}"
        key, sep, value = line.partition("=")
        assert sep and key == key.strip(), f"{path}: bad line {line!r}"
        assert key not in entry, f"{path}: duplicate key {key}"
        entry[key] = value
    return entry


def validate_desktop_file(path: Path) -> None:
    """Run desktop-file-validate (Debian package desktop-file-utils) when it is installed."""
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        return
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
