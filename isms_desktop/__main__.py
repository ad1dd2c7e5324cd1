"""Entry point for ``python -m isms_desktop``."""

import sys

from isms_desktop.cli import main

sys.exit(main())
