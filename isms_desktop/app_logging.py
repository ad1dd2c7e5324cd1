"""Logging to a rotating file under the platformdirs log folder.

Users never see a traceback; it goes here, and the message they see names this file.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from isms_desktop.storage.paths import log_file

_configured: Path | None = None


def configure(level: int = logging.INFO) -> Path:
    """Send log records to the rotating log file (once per process); return its path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_file()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = path
    return path
