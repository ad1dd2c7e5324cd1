"""Logging to a rotating file under the platformdirs log folder.

Users never see a traceback; it goes here, and the message they see names this file.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from isms_desktop.storage.paths import log_file

_handler: logging.Handler | None = None
_configured: Path | None = None


def configure(level: int = logging.INFO) -> Path:
    """Send log records to the rotating log file; return its path.

    Called again with another log folder (tests switch homes), the handler follows it.
    """
    global _configured, _handler
    path = log_file()
    if _configured == path:
        return path
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(level)
    _handler = handler
    _configured = path
    return path
