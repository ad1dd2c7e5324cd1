"""Progress and cancellation for long exports and imports run off the GUI thread.

The GUI passes two plain callables, so reports stay free of Qt: ``progress(done, total)``
is called now and then from the worker thread, and ``cancelled()`` is polled between chunks
of work. A cancelled job raises :class:`CancelledError` after undoing what it had started.
"""

from __future__ import annotations

from collections.abc import Callable

from isms_desktop.domain.errors import CancelledError

__all__ = [
    "Cancelled",
    "CancelledError",
    "Progress",
    "check_cancelled",
    "never_cancelled",
    "no_progress",
]

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def no_progress(done: int, total: int) -> None:
    """The default progress callback: report nothing."""


def never_cancelled() -> bool:
    """The default cancellation check: the job runs to its end."""
    return False


def check_cancelled(cancelled: Cancelled, what: str) -> None:
    """Raise :class:`CancelledError` if the user asked to stop."""
    if cancelled():
        raise CancelledError(f"{what} was cancelled; nothing was written")
