"""``isms-desktop copy SOURCE TARGET``: a whole project (records, attachments, history) into
a new project file. The source is only read; an older source is copied at the current
schema; an encrypted source gives an encrypted copy with the same password."""

from __future__ import annotations

import argparse
from pathlib import Path

from isms_desktop.domain.errors import TargetExistsError
from isms_desktop.storage.project_file import open_project

NAME = "copy"
HELP = "copy a whole project to a new file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE")
    parser.add_argument("target", metavar="TARGET")


def run(args: argparse.Namespace) -> int:
    source = Path(args.source)
    target = Path(args.target)
    if target.exists():
        raise TargetExistsError(
            f"{target} already exists; choose another name (nothing was changed)"
        )
    with open_project(source, read_only=True) as project:
        project.save_copy(target)
    print(f"copied {source} to {target}")
    return 0
