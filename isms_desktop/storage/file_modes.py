"""File permissions of what the application writes for the user to keep or send."""

from __future__ import annotations

import os
from pathlib import Path


def as_user_file(path: Path | str) -> None:
    """Give a file written via ``tempfile.mkstemp`` (always 0600) the permissions any new
    file of the user gets (0666 minus the umask), as an exported report should have."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)
