"""A work-around for PySide6 6.12.0, whose ``SignalInstance.emit`` returns ``True`` without
owning a reference to it.

Each ``signal.emit()`` made from Python then takes one reference from ``True`` away; after
some thousands of emits (a few minutes of editing) ``True`` is freed and the interpreter
aborts with "bool_dealloc: deallocating True or False". The fix is applied only when a
probe shows the fault, so fixed PySide versions are left alone.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 20


class _Probe(QObject):
    fired = Signal()


def emit_loses_references() -> bool:
    """True when ``emit`` returns a reference it does not own (the fault is present)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:
        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))  # give back what the probe took
    return lost >= _PROBES


def install() -> bool:
    """Wrap ``SignalInstance.emit`` once if needed; returns whether it is (now) wrapped."""
    current = SignalInstance.emit
    if getattr(current, "_isms_fixed", False):
        return True
    if not emit_loses_references():
        return False
    original = current

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return result

    emit._isms_fixed = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    return True


install()
