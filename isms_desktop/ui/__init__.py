"""The desktop interface: the only layer that imports PySide6.

Views call ``isms_desktop.services`` functions and show the plain data they return; they
never open a database session themselves.
"""

# Before anything emits a signal: guards against the reference leak of PySide6 6.12.0
# (pyproject.toml excludes that release; this keeps a later faulty one from crashing).
from isms_desktop.ui import emit_fix  # noqa: F401
