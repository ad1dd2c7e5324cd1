"""Which version of isms-desktop last wrote a project file, kept in SQLite's header.

``PRAGMA user_version`` (a 32-bit integer in the file header, unused by SQLite and by our
migrations) holds the newest program version that opened the file for writing, as
major * 1,000,000 + minor * 1,000 + patch. An older program that finds a schema it does not
know can then say which version to install, not only the schema revision; 0 means a file
from before the mark (2026-12-07). A project on a server keeps the same mark in a table of
its own (``storage.server``); the refusal is worded here for both.
"""

from __future__ import annotations

import re

from isms_desktop import __version__


def encode(version: str) -> int:
    """``"1.2.3"`` → 1002003 (parts beyond the third and pre-release tags ignored)."""
    parts = [int(p) for p in re.findall(r"\d+", version)[:3]]
    parts += [0] * (3 - len(parts))
    major, minor, patch = (min(p, 999) for p in parts)
    return major * 1_000_000 + minor * 1_000 + patch if major < 2_000 else 0


def decode(mark: int) -> str | None:
    """The version a mark stands for (None for no mark)."""
    if mark <= 0:
        return None
    return f"{mark // 1_000_000}.{mark // 1_000 % 1_000}.{mark % 1_000}"


OURS = encode(__version__)


def newer_refusal(where: str, revision: str, saved_by: str | None, *, done: str = "saved") -> str:
    """Why a project at an unknown (newer) schema ``revision`` is refused: naming the version
    that wrote it (``saved_by``, from its mark) when known. ``done``: what that version did
    ("saved" a file, "set up" a server database). The words of files and servers alike."""
    if saved_by is None or encode(saved_by) <= OURS:  # no mark (or one that says nothing)
        return (
            f"{where} was {done} by a newer version of isms-desktop (schema {revision}); "
            "install the latest version to open it"
        )
    return (
        f"{where} was {done} by isms-desktop {saved_by}, a newer version (schema "
        f"{revision}; this is {__version__}); install version {saved_by} or later to open it"
    )
