"""Per-user folders (settings, logs, backups) from platformdirs."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from isms_desktop import APP_NAME

_AUTHOR = "isms-desktop"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, _AUTHOR, ensure_exists=True))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, _AUTHOR, ensure_exists=True))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, _AUTHOR, ensure_exists=True))


def settings_file() -> Path:
    return config_dir() / "settings.ini"


def log_file() -> Path:
    return log_dir() / "isms-desktop.log"
