"""Encryption use cases of an open project: is this its password?"""

from __future__ import annotations

import hmac

from isms_desktop.domain.errors import IsmsError
from isms_desktop.storage import encryption
from isms_desktop.storage.project_file import Project


def is_current_password(project: Project, password: str) -> bool:
    """Whether ``password`` unlocks the open project's file.

    Compared with the key the project was opened with (derived again with the file's salt),
    so the file is neither reopened nor locked: asked before the project is closed to change
    its encryption, a mistyped password leaves the project open.
    """
    if project.key is None or project.path is None or not password:
        return False
    try:
        key = encryption.key_for_file(project.path, password)
    except (OSError, IsmsError):
        return False
    return hmac.compare_digest(key.key, project.key.key)
