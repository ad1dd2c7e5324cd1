"""Rolling backups of open projects, and restoring one.

A backup is a consistent copy made with SQLite's backup API (``Project.save_copy``) into
``<user data dir>/backups/<project name>/<name> <UTC time>.isms``: when a project is opened
and every few minutes while it is being edited. Backups older than the configured number of
days are removed (the newest is always kept). Restoring never overwrites silently: it writes
a new file, or replaces the project only when asked to, keeping a copy of what it replaces.

Settings (``[backups]`` in the settings file): ``enabled`` (true), ``keep_days`` (14),
``interval_minutes`` (10).
"""

from __future__ import annotations

import configparser
import contextlib
import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from isms_desktop.domain.errors import (
    BadArgumentsError,
    DamagedFileError,
    IsmsError,
    TargetExistsError,
)
from isms_desktop.domain.filenames import safe_filename
from isms_desktop.storage.lock import ProjectLock
from isms_desktop.storage.paths import data_dir, settings_file
from isms_desktop.storage.project_file import SUFFIX, Project, check_file, quick_check

_STAMP = "%Y-%m-%d %H%M%S"
_NAME = re.compile(r"^(?P<stem>.*) (?P<stamp>\d{4}-\d\d-\d\d \d{6})(?P<note>[ \w-]*)\.isms$")


@dataclass(frozen=True)
class BackupSettings:
    enabled: bool = True
    keep_days: int = 14
    interval_minutes: int = 10


def load_settings(path: Path | None = None) -> BackupSettings:
    """The ``[backups]`` section of the settings file; defaults for anything missing or bad."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    default = BackupSettings()
    try:
        parser.read(path or settings_file(), encoding="utf-8")
        enabled = parser.get("backups", "enabled", fallback="true").strip().lower()
        keep = parser.getint("backups", "keep_days", fallback=default.keep_days)
        every = parser.getint("backups", "interval_minutes", fallback=default.interval_minutes)
    except (configparser.Error, OSError, UnicodeError, ValueError):
        return default
    return BackupSettings(
        enabled=enabled not in ("false", "0", "no", "off"),
        keep_days=max(1, keep),
        interval_minutes=max(1, every),
    )


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime  # UTC
    size: int
    note: str


def backup_folder(project_name: str, root: Path | None = None) -> Path:
    """Where the backups of the project named ``project_name`` are kept."""
    base = root if root is not None else data_dir() / "backups"
    return base / safe_filename(project_name, default="project")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def make_backup(
    project: Project,
    *,
    root: Path | None = None,
    now: dt.datetime | None = None,
    note: str = "",
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write a backup of the open project now; returns its path. ``cancelled`` is asked
    while the file is copied (see ``Project.save_copy``)."""
    now = now or _utcnow()
    folder = backup_folder(project.display_name, root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IsmsError(f"the backup folder {folder} cannot be created ({exc.strerror})") from exc
    stem = safe_filename(project.display_name, default="project")[:80]
    suffix = f" {safe_filename(note)}" if note else ""
    target = folder / f"{stem} {now.strftime(_STAMP)}{suffix}{SUFFIX}"
    # copied under a name of its own, checked, and only then given its name
    checking = folder / f".{target.name}.checking"  # (not listed: it does not end in .isms)
    try:
        project.save_copy(checking, cancelled=cancelled)
        problems = quick_check(checking, project.key)
        if not problems:
            os.replace(checking, target)
            return target
    finally:
        with contextlib.suppress(OSError):
            checking.unlink()
    # A copy of a damaged file is no backup; and the good ones must not be pruned for it.
    raise DamagedFileError(
        f"{project.location} is damaged ({problems[0]}); no automatic backup was made of "
        f"it, so the earlier ones stay — {restore_advice(project.display_name, root)}"
    )


def restore_advice(project_name: str, root: Path | None = None) -> str:
    """Where the automatic backups of a project are, and what to do with them (one line)."""
    folder = backup_folder(project_name, root)
    found = list_backups(project_name, root)
    if not found:
        return f"no automatic backup of it was found (they are kept in {folder})"
    newest = found[0].taken_at.strftime("%Y-%m-%d %H:%M")
    count = (
        "1 automatic backup of it is"
        if len(found) == 1
        else f"{len(found)} automatic backups of it are"
    )
    return (
        f"{count} in {folder} "
        f"(the newest from {newest} UTC); restore one with File ▸ Restore from Backup in "
        "the window, or copy it"
    )


def list_backups(project_name: str, root: Path | None = None) -> list[BackupInfo]:
    """The backups of a project, newest first."""
    folder = backup_folder(project_name, root)
    found = []
    for path in folder.glob(f"*{SUFFIX}"):
        match = _NAME.match(path.name)
        if match is None:
            continue
        try:
            taken = dt.datetime.strptime(match["stamp"], _STAMP)
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(path, taken, size, match["note"].strip()))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def prune(
    project_name: str, keep_days: int, *, root: Path | None = None, now: dt.datetime | None = None
) -> list[Path]:
    """Remove backups older than ``keep_days`` (never the newest); returns what was removed."""
    now = now or _utcnow()
    backups = list_backups(project_name, root)
    limit = now - dt.timedelta(days=keep_days)
    removed = []
    for backup in backups[1:]:
        if backup.taken_at < limit:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    return removed


class BackupKeeper:
    """The rolling backups of one open project: on open, then every N minutes of editing.

    The GUI calls ``opened()`` once and ``tick()`` from a timer; ``tick`` backs up only when
    ``due``: the project changed (its ``generation``) and the interval has passed since the
    last one. Both may run on a worker thread, one at a time, copying from ``source`` (a
    reader of the same file, see ``open_reader``), with a ``cancelled`` check that stops
    the copy (the project is being closed).
    """

    def __init__(
        self, project: Project, settings: BackupSettings | None = None, root: Path | None = None
    ) -> None:
        self.project = project
        self.settings = settings or load_settings()
        self.root = root
        self.last_at: dt.datetime | None = None
        self.last_generation = -1

    @property
    def enabled(self) -> bool:
        return self.settings.enabled and not self.project.read_only

    def _backup(
        self, now: dt.datetime, cancelled: Callable[[], bool] | None, source: Project | None
    ) -> Path:
        generation = self.project.generation  # edits made while copying make the next one due
        path = make_backup(source or self.project, root=self.root, now=now, cancelled=cancelled)
        self.last_at = now
        self.last_generation = generation
        prune(self.project.display_name, self.settings.keep_days, root=self.root, now=now)
        return path

    def opened(
        self,
        now: dt.datetime | None = None,
        cancelled: Callable[[], bool] | None = None,
        source: Project | None = None,
    ) -> Path | None:
        if not self.enabled:
            return None
        return self._backup(now or _utcnow(), cancelled, source)

    def due(self, now: dt.datetime | None = None) -> bool:
        """Whether ``tick`` would back up now."""
        if not self.enabled or self.project.generation == self.last_generation:
            return False
        interval = dt.timedelta(minutes=self.settings.interval_minutes)
        return self.last_at is None or (now or _utcnow()) - self.last_at >= interval

    def tick(
        self,
        now: dt.datetime | None = None,
        cancelled: Callable[[], bool] | None = None,
        source: Project | None = None,
    ) -> Path | None:
        now = now or _utcnow()
        if not self.due(now):
            return None
        return self._backup(now, cancelled, source)


def restore_backup(backup: Path, target: Path, *, replace: bool = False) -> Path | None:
    """Copy a backup to ``target``; returns the safety copy of a replaced file, if any.

    The backup is checked first (a damaged one is refused). A new file is written unless
    ``replace`` is given; then the target must not be open anywhere (its lock is taken while
    it is replaced) and a copy of it is kept beside the backups first.
    """
    backup, target = Path(backup), Path(target)
    report = check_file(backup)
    if not report.ok:
        raise IsmsError(
            f"the backup {backup.name} is damaged ({report.problems[0]}); choose another"
        )
    if target.exists() and not replace:
        raise TargetExistsError(
            f"{target} already exists; choose another name (nothing was changed)"
        )
    if target.resolve() == backup.resolve():
        raise BadArgumentsError("choose another file than the backup itself")
    lock = ProjectLock(target)
    lock.acquire()
    try:
        safety = None
        if target.exists():
            stamp = _utcnow().strftime(_STAMP)
            safety = backup.parent / f"{target.stem} {stamp} before-restore{SUFFIX}"
            shutil.copy2(target, safety)
        tmp = target.with_name(f".restore-{target.name}")
        try:
            shutil.copyfile(backup, tmp)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            raise IsmsError(
                f"{target} could not be written ({exc.strerror or exc}); nothing was changed"
            ) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return safety
    finally:
        lock.release()
