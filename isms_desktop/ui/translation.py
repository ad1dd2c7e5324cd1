"""Texts marked for translation where they are defined, and translated where they are shown."""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Marks ``text`` for translation in ``context``; translated when shown (Qt's own
    ``QT_TRANSLATE_NOOP`` is typed as returning an object)."""
    return text
