"""``isms-desktop copy SOURCE TARGET``: a whole project (records, attachments, history) into
a new project file or an empty server database. SOURCE and TARGET are each a project file
or a ``postgresql://`` URL. The source is only read; an older source is copied at the
current schema; an encrypted file gives an encrypted file copy with the same password."""

from __future__ import annotations

import argparse

NAME = "copy"
HELP = "copy a whole project to a new file or an empty server database"
DESCRIPTION = (
    "Copy a whole project -- records, attachments and history -- from a file or server "
    "to a new file or an empty server database, at this version's schema. The source is "
    "only read; an encrypted file is copied encrypted with the same password. An "
    "existing target file, or a database that is not empty, is refused (exit 2)."
)
EPILOG = """\
examples:
  isms-desktop copy acme.isms "Backup/acme 2026-03-31.isms"
  isms-desktop copy acme.isms postgresql://isms_owner@db.example.org/isms   # publish
  isms-desktop copy postgresql://alice@db.example.org/isms acme-copy.isms
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE", help="a project file or postgresql:// URL")
    parser.add_argument("target", metavar="TARGET", help="a new file or an empty database URL")


def run(args: argparse.Namespace) -> int:
    # imported here, not when the parser is built: --help and --version stay quick
    from isms_desktop.commands._common import new_project_file
    from isms_desktop.storage.server import location_argument
    from isms_desktop.storage.transfer import copy_project

    target = location_argument(args.target)
    if not isinstance(target, str):
        new_project_file(args.target)
    print(copy_project(location_argument(args.source), target))
    return 0
