"""The write lock of a project file, as office programs keep it.

A lock file ``.~lock.NAME#`` beside the project records who holds it (user, host, process,
since when). It is created atomically; a second writer is refused with a message naming the
holder. A lock left by a process that no longer runs on this same host is stale and taken
over. Readers never need the lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import getpass
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from isms_desktop.domain.errors import IsmsError, LockedError
from isms_desktop.storage.advice import IN_USE, NOT_WRITABLE_HERE, InUseError, NotWritableHereError


@dataclass(frozen=True)
class LockOwner:
    user: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        return f"in use by {self.user} on {self.host} since {self.since}"


def lock_path(project: Path) -> Path:
    return project.with_name(f".~lock.{project.name}#")


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _me() -> LockOwner:
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    return LockOwner(current_user(), socket.gethostname(), os.getpid(), now.isoformat(sep=" "))


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def read_lock(project: Path) -> LockOwner | None:
    """Who holds the lock of a project, or None. A garbled lock file reads as a dead owner."""
    try:
        data = json.loads(lock_path(project).read_text(encoding="utf-8"))
        return LockOwner(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return LockOwner("unknown", socket.gethostname(), -1, "an unknown time")


def is_stale(owner: LockOwner) -> bool:
    return owner.host == socket.gethostname() and not _pid_alive(owner.pid)


def _cannot_write(project: Path, exc: OSError) -> IsmsError:
    """The error of a lock file that could not be written beside ``project``."""
    why = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        return IsmsError(
            f"the disk holding {project} is full ({why}); nothing was changed — free some "
            "space on it and try again"
        )
    if isinstance(exc, PermissionError) or exc.errno in (errno.EROFS, errno.ENAMETOOLONG):
        return NotWritableHereError(
            f"{project} cannot be changed here: its lock file cannot be written beside it ({why})",
            NOT_WRITABLE_HERE,
        )
    return IsmsError(f"cannot write the lock file beside {project} ({why}); nothing was changed")


class ProjectLock:
    """Held by the one process that may write a project file."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.path = lock_path(project)
        self.owner: LockOwner | None = None

    def acquire(self) -> None:
        me = _me()
        payload = json.dumps(me.__dict__).encode("utf-8")
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = read_lock(self.project)
                if holder is None:
                    continue
                if holder.pid == me.pid and holder.host == me.host:
                    raise LockedError(
                        f"{self.project.name} is already open in this window", user=holder.user
                    ) from None
                if is_stale(holder):
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    continue
                raise InUseError(
                    f"{self.project} is {holder.describe()}",
                    IN_USE,
                    user=holder.user,
                    host=holder.host,
                    since=holder.since,
                ) from None
            except OSError as exc:
                raise _cannot_write(self.project, exc) from exc
            try:
                try:
                    os.write(fd, payload)
                finally:
                    os.close(fd)
            except OSError as exc:  # e.g. a full disk: leave no empty lock behind
                with contextlib.suppress(OSError):
                    self.path.unlink()
                raise _cannot_write(self.project, exc) from exc
            self.owner = me
            return
        raise LockedError(f"{self.project}: its lock file keeps changing; try again")

    def release(self) -> None:
        if self.owner is None:
            return
        holder = read_lock(self.project)
        if holder is not None and holder.pid == self.owner.pid and holder.host == self.owner.host:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.owner = None
