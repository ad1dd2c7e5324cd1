"""Which table holds each register of CONTRACT.md (registers not built yet count 0)."""

from __future__ import annotations

from typing import Any

from isms_desktop.storage.models import Person, Process, SoaEntry

REGISTER_MODELS: dict[str, type[Any]] = {
    "processes": Process,
    "people": Person,
    "soa": SoaEntry,
}
