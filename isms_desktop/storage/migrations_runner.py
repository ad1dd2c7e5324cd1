"""Alembic, driven from code: the schema's head revision, and upgrading a connection to it.

Alembic itself is imported only when a project needs upgrading or an unknown revision is
checked: opening a project at the head revision (every start of the program) compares the
stored revision with ``HEAD_REVISION``, which a test keeps equal to Alembic's own head.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration in migrations/versions (tests/integration/test_migrations.py checks).
HEAD_REVISION = "0008_risk_indexes"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@functools.cache
def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return HEAD_REVISION


def alembic_head() -> str:
    """The head revision as Alembic reads it from the migration scripts."""
    head = _script().get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def known_revisions() -> list[str]:
    """Every revision id from the first to the head, oldest first."""
    return [rev.revision for rev in reversed(list(_script().walk_revisions()))]


def is_known(revision: str) -> bool:
    if revision == HEAD_REVISION:
        return True
    from alembic.util.exc import CommandError

    try:
        return _script().get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade the database behind ``connection``; the caller owns the transaction."""
    from alembic import command

    command.upgrade(alembic_config(connection), target)
