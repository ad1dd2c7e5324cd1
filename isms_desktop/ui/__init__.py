"""The desktop interface: the only layer that imports PySide6.

Views call ``isms_desktop.services`` functions and show the plain data they return; they
never open a database session themselves.
"""
