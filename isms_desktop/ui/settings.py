"""The user's settings: window layout, recent projects and the last project.

Stored with QSettings in INI format at ``storage.paths.settings_file()`` so that the file
sits beside the log in the platformdirs folders on every system, and tests can redirect it
through the XDG variables.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from isms_desktop.storage.paths import settings_file

MAX_RECENT_FILES = 10

_RECENT = "recent/files"
_LAST = "project/last"
_GEOMETRY = "window/geometry"
_STATE = "window/state"
_STATUS_BAR = "window/status_bar_visible"
_LAST_SERVER = "team/last_server"  # a URL without its password


def _as_strings(value: object) -> list[str]:
    """QSettings returns a one-element list as a plain string in INI files; undo that."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    return []


def _normalise(path: Path) -> Path:
    # The same file reached through "..", a symlink or a relative path is one entry.
    try:
        return path.expanduser().resolve()
    except OSError:
        return path.expanduser().absolute()


class Settings:
    """Typed access to the settings file; every write is flushed at once."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else settings_file()
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)

    def recent_files(self) -> list[Path]:
        """Recent projects, most recent first, without duplicates."""
        seen: set[Path] = set()
        result: list[Path] = []
        for text in _as_strings(self._store.value(_RECENT, [])):
            path = _normalise(Path(text))
            if path not in seen:
                seen.add(path)
                result.append(path)
        return result[:MAX_RECENT_FILES]

    def add_recent_file(self, path: Path) -> None:
        path = _normalise(path)
        files = [path] + [p for p in self.recent_files() if p != path]
        self._write_recent(files[:MAX_RECENT_FILES])

    def remove_recent_file(self, path: Path) -> None:
        path = _normalise(path)
        self._write_recent([p for p in self.recent_files() if p != path])

    def clear_recent_files(self) -> None:
        self._write_recent([])

    def _write_recent(self, files: list[Path]) -> None:
        self._store.setValue(_RECENT, [str(p) for p in files])
        self._store.sync()

    def last_project(self) -> Path | None:
        value = self._store.value(_LAST, "")
        return Path(value) if isinstance(value, str) and value else None

    def set_last_project(self, path: Path | None) -> None:
        if path is None:
            self._store.remove(_LAST)
        else:
            self._store.setValue(_LAST, str(_normalise(path)))
        self._store.sync()

    def last_server(self) -> str:
        """Where the last server project was opened (its URL, never with a password)."""
        value = self._store.value(_LAST_SERVER, "")
        return value if isinstance(value, str) else ""

    def set_last_server(self, location: str) -> None:
        self._store.setValue(_LAST_SERVER, location)
        self._store.sync()

    def window_geometry(self) -> QByteArray | None:
        return self._bytes(_GEOMETRY)

    def window_state(self) -> QByteArray | None:
        return self._bytes(_STATE)

    def set_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue(_GEOMETRY, geometry)
        self._store.setValue(_STATE, state)
        self._store.sync()

    def status_bar_visible(self) -> bool:
        value = self._store.value(_STATUS_BAR, True)
        # INI files hand booleans back as the strings "true"/"false".
        return value not in (False, "false", "0", 0)

    def set_status_bar_visible(self, visible: bool) -> None:
        self._store.setValue(_STATUS_BAR, visible)
        self._store.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, bytes) and value:
            return QByteArray(value)
        return None
