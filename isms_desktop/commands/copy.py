"""``isms-desktop copy SOURCE TARGET``: a whole project (records, attachments, history) into
a new project file or an empty server database. SOURCE and TARGET are each a project file
or a ``postgresql://`` URL. The source is only read; an older source is copied at the
current schema; an encrypted file gives an encrypted file copy with the same password."""

from __future__ import annotations

import argparse

from isms_desktop.storage.server import location_argument
from isms_desktop.storage.transfer import copy_project

NAME = "copy"
HELP = "copy a whole project to a new file or an empty server database"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE", help="a project file or postgresql:// URL")
    parser.add_argument("target", metavar="TARGET", help="a new file or an empty database URL")


def run(args: argparse.Namespace) -> int:
    print(copy_project(location_argument(args.source), location_argument(args.target)))
    return 0
