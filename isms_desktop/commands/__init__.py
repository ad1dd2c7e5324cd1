"""Sub-commands of the command line beyond the basic ones in ``cli.py``.

Each module here defines ``NAME`` (the sub-command), ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``, and may define ``DESCRIPTION`` and
``EPILOG`` (examples) for its ``--help``; ``cli.py`` registers every module listed in
``MODULES`` and shows the others as "not yet available". ``_common`` holds the checks of
arguments they share (register names, output files).
"""

from __future__ import annotations

import importlib
from types import ModuleType

# module name (under isms_desktop.commands) for each sub-command that exists
MODULES: dict[str, str] = {
    "export": "export",
    "import": "import_",
    "report": "report",
    "copy": "copy",
}


def load(command: str) -> ModuleType | None:
    name = MODULES.get(command)
    if name is None:
        return None
    return importlib.import_module(f"isms_desktop.commands.{name}")
