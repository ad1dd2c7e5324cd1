"""The installer sources: what the PyInstaller spec bundles, the Linux desktop integration
files, the install and uninstall scripts (into a temporary HOME), the Windows and macOS
recipes. The bundle itself is built by test_linux_bundle.py (slow)."""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from installer_helpers import (
    INSTALLERS,
    LINUX,
    MIME_TYPE,
    ROOT,
    desktop_entry,
    png_size,
    validate_desktop_file,
)

from isms_desktop import __version__

SPEC = INSTALLERS / "isms-desktop.spec"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


class _Recorder(SimpleNamespace):
    pass


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The spec run with PyInstaller's build classes replaced by recorders."""
    calls: dict[str, Any] = {}

    def analysis(scripts: list[str], **kwargs: Any) -> _Recorder:
        calls["analysis"] = {"scripts": scripts, **kwargs}
        return _Recorder(pure=[], scripts=[], binaries=[], datas=[])

    def recorder(name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> _Recorder:
            calls.setdefault(name, []).append(kwargs)
            return _Recorder()

        return record

    namespace = {
        "SPECPATH": str(INSTALLERS),
        "Analysis": analysis,
        "PYZ": recorder("pyz"),
        "EXE": recorder("exe"),
        "COLLECT": recorder("collect"),
        "BUNDLE": recorder("bundle"),
        "__file__": str(SPEC),
    }
    saved_path = list(sys.path)
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.path[:] = saved_path
    return {**calls, "namespace": namespace}


def _destinations(spec: dict[str, Any]) -> set[str]:
    """Every bundled data file as its path inside the bundle."""
    return {f"{dest}/{Path(src).name}" for src, dest in spec["analysis"]["datas"]}


@pytest.mark.parametrize("folder", ["catalog", "templates", "fonts", "demo", "icons"])
def test_spec_bundles_every_file_of_each_resource_folder(spec: dict[str, Any], folder: str) -> None:
    bundled = _destinations(spec)
    files = [p for p in (ROOT / "resources" / folder).rglob("*") if p.is_file()]
    assert files, f"resources/{folder} is empty"
    for path in files:
        assert path.relative_to(ROOT).as_posix() in bundled, f"{path} is not in the bundle"


def test_spec_ships_every_resource_folder_there_is() -> None:
    """A new folder under resources/ must be added to RESOURCE_FOLDERS in the spec."""
    text = SPEC.read_text(encoding="utf-8")
    folders = [p.name for p in (ROOT / "resources").iterdir() if p.is_dir()]
    for name in folders:
        assert f'"{name}"' in text, f"resources/{name} is missing from installers/isms-desktop.spec"


def test_spec_bundles_the_alembic_migrations_as_source(spec: dict[str, Any]) -> None:
    bundled = _destinations(spec)
    migrations = ROOT / "isms_desktop" / "storage" / "migrations"
    versions = sorted((migrations / "versions").glob("*.py"))
    assert len(versions) >= 6
    for path in [migrations / "env.py", *versions]:
        assert path.relative_to(ROOT).as_posix() in bundled, f"{path.name} is not bundled"
    assert not any("__pycache__" in dest for dest in bundled)


def test_spec_imports_the_sqlcipher_binding_and_every_subcommand(spec: dict[str, Any]) -> None:
    hidden = set(spec["analysis"]["hiddenimports"])
    assert {"sqlcipher3", "sqlcipher3.dbapi2"} <= hidden
    from isms_desktop import commands

    for module in commands.MODULES.values():
        assert f"isms_desktop.commands.{module}" in hidden
    assert "isms_desktop.ui.app" in hidden
    assert spec["analysis"]["scripts"] == [str(ROOT / "isms_desktop" / "__main__.py")]


def test_spec_builds_one_folder_named_isms_desktop(spec: dict[str, Any]) -> None:
    (collect,) = spec["collect"]
    assert collect["name"] == "isms-desktop"
    assert all(exe["exclude_binaries"] for exe in spec["exe"])  # one folder, not one file
    assert spec["exe"][0]["name"] == "isms-desktop"


def test_excluded_qt_modules_are_not_used_by_the_application(spec: dict[str, Any]) -> None:
    """Leaving out a Qt module the code imports would break the frozen program."""
    excluded = {name.split(".", 1)[1] for name in spec["analysis"]["excludes"] if "Qt" in name}
    assert {"QtWebEngineCore", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia"} <= excluded
    used: set[str] = set()
    for path in (ROOT / "isms_desktop").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used >= {"QtCore", "QtGui", "QtWidgets"}
    assert not used & excluded, f"used but excluded from the bundle: {used & excluded}"


def test_desktop_file_is_valid() -> None:
    path = LINUX / "isms-desktop.desktop"
    entry = desktop_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "isms-desktop %f"
    assert entry["Icon"] == "isms-desktop"
    assert entry["Terminal"] == "false"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert entry["StartupWMClass"] == "isms-desktop"  # QApplication.setDesktopFileName
    assert entry["Categories"].endswith(";")
    validate_desktop_file(path)


def test_mime_xml_registers_isms_files(template_project: Path) -> None:
    root = ET.parse(LINUX / "isms-desktop-mime.xml").getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.isms"]
    assert mime.find(f"{MIME_NS}comment") is not None
    # the magic rule matches the header of a real project file
    header = template_project.read_bytes()[:100]
    outer = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    assert outer is not None
    inner = outer.find(f"{MIME_NS}match")
    assert inner is not None
    for match in (outer, inner):
        offset, value = int(match.get("offset", "")), match.get("value", "").encode()
        assert header[offset : offset + len(value)] == value, f"magic at {offset} does not match"


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="needs shared-mime-info")
def test_mime_xml_is_accepted_by_update_mime_database(tmp_path: Path) -> None:
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(LINUX / "isms-desktop-mime.xml", packages / "isms-desktop.xml")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_DATA_DIRS": str(tmp_path)}
    result = subprocess.run(
        ["update-mime-database", str(tmp_path / "mime")], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert f"{MIME_TYPE}:*.isms" in (tmp_path / "mime" / "globs2").read_text()
    assert MIME_TYPE in (tmp_path / "mime" / "magic").read_bytes().decode("latin-1")


def test_icons_render_in_every_size(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(INSTALLERS / "render_icons.py"),
            "--png-dir",
            str(tmp_path / "png"),
            "--ico",
            str(tmp_path / "app.ico"),
            "--iconset",
            str(tmp_path / "app.iconset"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for size in (16, 32, 48, 128, 256, 512):
        assert png_size(tmp_path / "png" / f"{size}x{size}.png") == (size, size)
    ico = (tmp_path / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 7)
    sizes = [ico[6 + 16 * i] or 256 for i in range(count)]
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    assert png_size(tmp_path / "app.iconset" / "icon_512x512@2x.png") == (1024, 1024)
    # the shield is drawn, not a blank square: the centre pixel is opaque
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "png" / "64x64.png"))
    assert image.pixelColor(32, 32).alpha() == 255
    assert image.pixelColor(0, 0).alpha() == 0


def _fake_bundle(folder: Path) -> Path:
    """A stand-in for the PyInstaller bundle: a script that answers like the program."""
    bundle = folder / "isms-desktop"
    (bundle / "_internal").mkdir(parents=True)
    program = bundle / "isms-desktop"
    program.write_text(f'#!/bin/sh\necho "isms-desktop {__version__} $*"\n')
    program.chmod(0o755)
    return bundle


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release folder that build.sh assembles, around a fake bundle."""
    work = tmp_path_factory.mktemp("release")
    bundle = _fake_bundle(work / "fake")
    result = subprocess.run(
        [
            "bash",
            str(LINUX / "build.sh"),
            "--bundle",
            str(bundle),
            "--out",
            str(work / "out"),
            "--no-tarball",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": sys.executable, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (stage,) = (work / "out").iterdir()
    assert stage.name.startswith(f"isms-desktop-{__version__}-linux-")
    return stage


def test_release_folder_holds_everything_install_needs(release: Path) -> None:
    for relative in (
        "install.sh",
        "uninstall.sh",
        "README.txt",
        "isms-desktop/isms-desktop",
        "share/applications/isms-desktop.desktop",
        "share/mime/packages/isms-desktop.xml",
        "share/icons/hicolor/scalable/apps/isms-desktop.svg",
    ):
        assert (release / relative).is_file(), relative
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        icon = release / f"share/icons/hicolor/{size}x{size}/apps/isms-desktop.png"
        assert png_size(icon) == (size, size)
    assert os.access(release / "install.sh", os.X_OK)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)


def test_install_and_uninstall_in_the_users_own_folders(release: Path, tmp_path: Path) -> None:
    home = tmp_path / "home dir"  # a space in the path, as on many desktops
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    keep = home / "Documents" / "acme.isms"
    keep.parent.mkdir()
    keep.write_bytes(b"a project of the user")

    result = _run(["sh", str(release / "install.sh")], env)
    assert result.returncode == 0, result.stderr
    local = home / ".local"
    appdir = local / "lib" / "isms-desktop"
    assert (appdir / "isms-desktop").is_file()
    assert (appdir / "uninstall.sh").is_file()
    command = local / "bin" / "isms-desktop"
    assert command.is_symlink()
    assert _run([str(command), "--version"], env).stdout.startswith(f"isms-desktop {__version__}")

    desktop = local / "share" / "applications" / "isms-desktop.desktop"
    entry = desktop_entry(desktop)
    assert entry["Exec"] == f'"{appdir / "isms-desktop"}" %f'
    validate_desktop_file(desktop)
    hicolor = local / "share" / "icons" / "hicolor"
    assert png_size(hicolor / "48x48" / "apps" / "isms-desktop.png") == (48, 48)
    assert png_size(hicolor / "48x48" / "mimetypes" / "application-x-isms-project.png") == (48, 48)
    assert (hicolor / "scalable" / "apps" / "isms-desktop.svg").is_file()
    assert (local / "share" / "mime" / "packages" / "isms-desktop.xml").is_file()
    if shutil.which("update-mime-database"):
        assert "*.isms" in (local / "share" / "mime" / "globs2").read_text()
    outside = [
        p
        for p in home.rglob("*")
        if p.is_file() and ".local" not in p.parts and p.name != "mimeapps.list"
    ]
    assert outside == [keep], f"install.sh wrote outside ~/.local: {outside}"

    # installing again (an update) keeps one working copy
    result = _run(["sh", str(release / "install.sh")], env)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (local / "lib").iterdir()) == ["isms-desktop"]

    result = _run(["sh", str(appdir / "uninstall.sh")], env)
    assert result.returncode == 0, result.stderr
    assert not appdir.exists()
    assert not command.exists() and not command.is_symlink()
    assert not desktop.exists()
    assert not list(hicolor.rglob("isms-desktop.*"))
    assert not list(hicolor.rglob("application-x-isms-project.*"))
    assert not (local / "share" / "mime" / "packages" / "isms-desktop.xml").exists()
    if (local / "share" / "mime" / "globs2").exists():
        assert "*.isms" not in (local / "share" / "mime" / "globs2").read_text()
    assert keep.read_bytes() == b"a project of the user"


def test_install_into_a_prefix(release: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(tmp_path / "user")
    prefix = tmp_path / "opt"
    result = _run(["sh", str(release / "install.sh"), "--prefix", str(prefix)], env)
    assert result.returncode == 0, result.stderr
    assert (prefix / "share" / "applications" / "isms-desktop.desktop").is_file()
    assert not (tmp_path / "user").exists()
    result = _run(["sh", str(prefix / "lib" / "isms-desktop" / "uninstall.sh")], env)
    assert result.returncode == 0, result.stderr
    assert not (prefix / "lib" / "isms-desktop").exists()


def test_uninstall_when_nothing_is_installed_says_so(release: Path, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("XDG_DATA_HOME", None)
    result = _run(["sh", str(release / "uninstall.sh")], env)
    assert result.returncode == 2
    assert "not installed" in result.stderr


def test_windows_installer_script_is_complete() -> None:
    text = (INSTALLERS / "windows" / "isms-desktop.iss").read_text(encoding="utf-8")
    for needed in (
        "AppId={{",  # a fixed GUID: upgrades replace the old version
        "ChangesAssociations=yes",
        "PrivilegesRequiredOverridesAllowed=dialog",
        'Root: HKA; Subkey: "Software\\Classes\\.isms"',
        '"""{app}\\{#AppExe}"" ""%1"""',
        '#define AppExe "isms-desktop.exe"',
        'Name: "{group}\\{#AppName}"; Filename: "{app}\\{#AppExe}"',
        "[UninstallDelete]",
        "UninstallDisplayIcon={app}\\isms-desktop.exe",
        "#ifndef AppVersion",  # the version comes from build.ps1, never hard-coded
        "AppVersion={#AppVersion}",
        "{uninstallexe}",
        'Source: "{#BundleDir}\\*"',
    ):
        assert needed in text, f"isms-desktop.iss lacks {needed}"


def test_macos_info_plist_declares_the_document_type() -> None:
    with (INSTALLERS / "macos" / "Info.plist").open("rb") as handle:
        info = plistlib.load(handle)
    assert info["CFBundleExecutable"] == "isms-desktop"
    assert info["CFBundleIdentifier"].count(".") >= 2
    (doc,) = info["CFBundleDocumentTypes"]
    assert doc["CFBundleTypeRole"] == "Editor"
    assert doc["LSHandlerRank"] == "Owner"
    (uti,) = doc["LSItemContentTypes"]
    (exported,) = info["UTExportedTypeDeclarations"]
    assert exported["UTTypeIdentifier"] == uti
    assert exported["UTTypeTagSpecification"]["public.filename-extension"] == ["isms"]
    assert exported["UTTypeTagSpecification"]["public.mime-type"] == [MIME_TYPE]
    assert info["NSHighResolutionCapable"] is True


def test_readme_documents_every_platform() -> None:
    text = (INSTALLERS / "README.md").read_text(encoding="utf-8")
    for needed in ("linux/build.sh", "install.sh", "uninstall.sh", "iscc", "hdiutil", "MB"):
        assert needed in text, f"installers/README.md does not mention {needed}"
