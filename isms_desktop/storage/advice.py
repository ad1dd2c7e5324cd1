"""What to do about a project that cannot be opened as asked, in one place for both the window
and the command line.

A refusal of the storage layer states what is wrong (``fact``) in the same words wherever it
is read, then what to do (``advice``). Only the advice may differ, and only where the two can
do different things: a command cannot "open it read-only", nor can the window take
``--password-file``. So each advice is written here once for both, side by side; an error
built from one (``Advised``) reads as the window shows it (``str(error)``, in a message box),
and ``for_command_line`` gives the same fact with the command's advice (one line on stderr,
with the same exit status).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from isms_desktop.domain.errors import DamagedFileError, IsmsError, LockedError, ReadOnlyError

PASSWORD_ENV = "ISMS_PASSWORD"
# (the reading commands, which work on a project another program holds open or that cannot
# be written where it is)
_ONLY_READ = "info, check, export, report and copy only read it, and work meanwhile"


class Advice(NamedTuple):
    """What to do, in the window and on the command line."""

    window: str
    command: str


# Another user or program has the project open for writing (its lock).
IN_USE = Advice(
    window="close it there first or open it read-only",
    command=f"close it there, then run the command again ({_ONLY_READ})",
)
# Nothing can be written beside the project (read-only drive, folder or file; a long name).
NOT_WRITABLE_HERE = Advice(
    window="open it read-only, or save a copy in a writable folder and open that",
    command="make a copy in a writable folder (isms-desktop copy PROJECT.isms COPY.isms) and "
    "work on that",
)
# The backup copy kept before an upgrade cannot be written beside the project.
NO_ROOM_FOR_BACKUP = Advice(
    window="free some space there, or open it read-only",
    command=f"free some space there and run the command again ({_ONLY_READ})",
)
# An encrypted-looking file was opened without a password.
PASSWORD_NEEDED = Advice(
    window="if it is encrypted, open it with File ▸ Open, which asks for its password",
    command=f"if it is encrypted, give its password with --password-file or the {PASSWORD_ENV} "
    "variable",
)


class Advised(IsmsError):
    """An error whose advice depends on where it is read; a mixin before the error class
    that gives it its exit status (``class InUseError(Advised, LockedError)``)."""

    def __init__(self, fact: str, advice: Advice, **details: Any) -> None:
        super().__init__(f"{fact}; {advice.window}", **details)
        self.fact = fact
        self.advice = advice

    def for_command_line(self) -> str:
        return f"{self.fact}; {self.advice.command}"

    def __reduce__(self) -> tuple[Any, ...]:
        # copied (the command line rewords a copy) or pickled with what it was built from
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


def _rebuilt(cls: type[Advised], args: tuple[Any, ...], state: dict[str, Any]) -> Advised:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InUseError(Advised, LockedError):
    """Another user or process holds the write lock (exit 6)."""


class NotWritableHereError(Advised, ReadOnlyError):
    """The project cannot be written where it is (exit 2)."""


class NoRoomForBackupError(Advised):
    """The backup before an upgrade cannot be written (exit 1)."""


class PasswordNeededError(Advised, DamagedFileError):
    """Encrypted or damaged, and no password to tell which (exit 4)."""


def for_command_line(error: IsmsError) -> str:
    """The message of ``error`` as the command line gives it."""
    if isinstance(error, Advised):
        return error.for_command_line()
    return str(error)
