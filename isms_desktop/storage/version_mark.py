"""Which version of isms-desktop last wrote a project file, kept in SQLite's header.

``PRAGMA user_version`` (a 32-bit integer in the file header, unused by SQLite and by our
migrations) holds the newest program version that opened the file for writing, as
major * 1,000,000 + minor * 1,000 + patch. An older program that finds a schema it does not
know can then say which version to install, not only the schema revision; 0 means a file
from before the mark (2026-12-07).
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
