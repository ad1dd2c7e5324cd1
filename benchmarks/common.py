"""Helpers shared by the benchmarks: timing medians and projects filled with many rows.

Projects are filled through the services (``registers.upsert_rows`` in large batches), so
the data is what the application itself would store; as that takes a while for 100,000 rows,
a filled project is kept in a cache folder and reused by later runs.
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from isms_desktop.domain.fields import Field, Kind, RegisterSpec
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import registers
from isms_desktop.services.projects import create_project
from isms_desktop.services.risk_method import current_method
from isms_desktop.storage.project_file import Project, open_project

BATCH = 10_000
SUPPORT_ROWS = 50  # people, assets … that generated rows refer to
_WORDS = [
    "backup",
    "cloud",
    "supplier",
    "phishing",
    "ransomware",
    "access",
    "laptop",
    "office",
    "server",
    "payroll",
    "contract",
    "client",
    "network",
    "patch",
    "audit",
    "training",
    "policy",
    "incident",
    "vendor",
    "storage",
]


def default_cache() -> Path:
    return Path(tempfile.gettempdir()) / "isms-desktop-bench"


@dataclass(frozen=True)
class Timing:
    """Median wall and CPU seconds of several runs (the median resists one slow outlier)."""

    wall: float
    cpu: float


def interleaved(funcs: Sequence[Callable[[], Any]], repeat: int) -> list[Timing]:
    """Time each function ``repeat`` times, taking turns, so that a busy moment of the
    machine slows all of them alike rather than one; returns one Timing per function."""
    walls: list[list[float]] = [[] for _ in funcs]
    cpus: list[list[float]] = [[] for _ in funcs]
    for _ in range(repeat):
        for index, func in enumerate(funcs):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            func()
            walls[index].append(time.perf_counter() - wall)
            cpus[index].append(time.process_time() - cpu)
    return [
        Timing(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)
    ]


def _sentence(i: int, words: int) -> str:
    return " ".join(_WORDS[(i * 7 + k * 3) % len(_WORDS)] for k in range(words)).capitalize()


def _value(f: Field, i: int, pools: Mapping[str, list[str]], scale_size: int) -> Any:
    """A valid raw value of one field for generated row ``i`` (None: leave it out)."""
    match f.kind:
        case Kind.TEXT:
            return f"{_sentence(i, 5)} {i}"
        case Kind.LONGTEXT:
            return f"{_sentence(i, 12)}.\n{_sentence(i + 1, 8)}."
        case Kind.INT:
            low = f.minimum if f.minimum is not None else 0
            high = f.maximum if f.maximum is not None else 1000
            return low + i % (high - low + 1)
        case Kind.SCALE:
            return 1 + i % scale_size
        case Kind.BOOL:
            return i % 3 == 0
        case Kind.DATE:
            return dt.date(2026, 1, 1) + dt.timedelta(days=i % 700)
        case Kind.CHOICE:
            return f.choices[i % len(f.choices)] if f.choices else None
        case Kind.PERSON:
            people = pools.get("people", [])
            return people[i % len(people)] if people else None
        case Kind.REF:
            codes = pools.get(str(f.ref), [])
            return codes[i % len(codes)] if codes else None
        case Kind.REFS:
            codes = pools.get(str(f.ref), [])
            return [codes[i % len(codes)], codes[(i + 1) % len(codes)]] if len(codes) > 1 else []
        case Kind.LIST:
            return [_sentence(i, 3), _sentence(i + 2, 3)]
    return None


def generated_rows(
    spec: RegisterSpec,
    start: int,
    count: int,
    pools: Mapping[str, list[str]],
    scale_size: int = 3,
) -> list[tuple[int, dict[str, Any]]]:
    """``count`` valid rows for ``spec`` with codes PREFIX000001 …, as for ``upsert_rows``."""
    rows = []
    for i in range(start, start + count):
        values: dict[str, Any] = {"code": f"{spec.code_prefix}{i + 1:06d}"}
        for f in spec.fields[1:]:
            if f.computed:
                continue
            value = _value(f, i, pools, scale_size)
            if value is not None:
                values[f.name] = value
        if spec.name == "scope" and values.get("kind") == "exclusion":
            values["justification"] = "Not used by the organisation"
        if spec.name == "interactions" and values.get("source") == values.get("target"):
            values["target"] = pools["processes"][(i + 1) % len(pools["processes"])]
        rows.append((i + 2, values))
    return rows


def _targets(spec: RegisterSpec) -> list[str]:
    found = []
    for f in spec.fields:
        if f.computed:
            continue
        if f.kind is Kind.PERSON:
            found.append("people")
        elif f.kind in (Kind.REF, Kind.REFS) and f.ref:
            found.append(f.ref)
    return [t for t in dict.fromkeys(found) if t != spec.name]


def _fill(project: Project, register: str, size: int, pools: dict[str, list[str]]) -> None:
    spec = SPECS[register]
    method = current_method(project)
    scale_size = min(len(method.likelihood), len(method.impact))
    for start in range(0, size, BATCH):
        rows = generated_rows(spec, start, min(BATCH, size - start), pools, scale_size)
        result = registers.upsert_rows(project, register, rows)
        if not result.written:
            problems = "; ".join(p.reason for p in result.problems[:3])
            raise RuntimeError(f"generating {register} failed: {problems}")


def _pools(project: Project, spec: RegisterSpec, depth: int = 0) -> dict[str, list[str]]:
    """Codes of the records generated rows may refer to, making some where there are none."""
    pools: dict[str, list[str]] = {}
    for target in _targets(spec):
        codes = registers.codes(project, target) if target in registers_with_codes() else []
        if not codes and target in SPECS and depth < 2 and not SPECS[target].fixed_rows:
            _fill(project, target, SUPPORT_ROWS, _pools(project, SPECS[target], depth + 1))
            codes = registers.codes(project, target)
        pools[target] = codes
    return pools


def registers_with_codes() -> set[str]:
    return {*SPECS, "controls"}


def filled_project(register: str, size: int, cache: Path | None = None) -> Path:
    """A project file whose ``register`` holds ``size`` generated rows (cached between runs)."""
    cache = cache or default_cache()
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{register}-{size}.isms"
    if path.exists():
        with open_project(path, read_only=True) as project:
            if registers.count(project, register) >= size:
                return path
        path.unlink()
    work = cache / f".{register}-{size}.building.isms"
    if work.exists():
        work.unlink()
    with create_project(work, "Benchmark Ltd") as project:
        pools = _pools(project, SPECS[register])
        existing = registers.count(project, register)
        _fill(project, register, size - existing, pools)
    shutil.move(work, path)
    return path
