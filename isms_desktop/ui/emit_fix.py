"""A work-around for PySide6 6.12.0, whose ``SignalInstance.emit`` and ``disconnect`` return
``True``/``False`` without owning a reference to it.

Each call made from Python then takes one reference from ``True`` or ``False`` away; after
some thousands (minutes of editing, or a test session) the interpreter frees the constant
and aborts with "bool_dealloc: deallocating True or False". A probe checks each method
once; only a faulty one is wrapped, so fixed PySide versions are left alone.
"""

from __future__ import annotations

import ctypes
import sys
import warnings
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 20


class _Probe(QObject):
    fired = Signal()


def _slot() -> None:
    """A slot for the probe."""


def _give_back(value: bool, count: int) -> None:
    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


def _lost(call: Callable[[], Any]) -> tuple[int, int]:
    """References of (True, False) that ``_PROBES`` calls took away (given back at once)."""
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(_PROBES):
        call()
    lost_true = before[0] - sys.getrefcount(True)
    lost_false = before[1] - sys.getrefcount(False)
    _give_back(True, max(lost_true, 0))
    _give_back(False, max(lost_false, 0))
    return lost_true, lost_false


def _probe_emit() -> bool:
    probe = _Probe()
    return max(_lost(probe.fired.emit)) >= _PROBES


def _probe_disconnect() -> bool:
    probe = _Probe()

    def connect_and_disconnect() -> None:
        probe.fired.connect(_slot)
        probe.fired.disconnect(_slot)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return max(_lost(connect_and_disconnect)) >= _PROBES


def _wrap(name: str) -> None:
    original = getattr(SignalInstance, name)

    def wrapper(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            _give_back(result, 1)
        return result

    wrapper._isms_fixed = True  # type: ignore[attr-defined]
    wrapper.__name__ = name
    setattr(SignalInstance, name, wrapper)


def install() -> list[str]:
    """Wrap the faulty methods once; returns the names of those wrapped (now or before)."""
    fixed = []
    for name, faulty in (("emit", _probe_emit), ("disconnect", _probe_disconnect)):
        if getattr(getattr(SignalInstance, name), "_isms_fixed", False):
            fixed.append(name)
        elif faulty():
            _wrap(name)
            fixed.append(name)
    return fixed


install()
