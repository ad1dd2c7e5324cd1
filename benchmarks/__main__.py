"""Run every benchmark and print how our operations compare with their library floors.

    .venv/bin/python -m benchmarks [--sizes 1000,10000] [--repeat 5] [--only NAME]

For each size, the generated project (``benchmarks.generate``, cached) is measured by every
benchmark (``benchmarks/bench_*.py``); each prints rows of: operation, size, our median,
the floor's median measured in the same run, and their ratio. The table, the growth of each
operation from the smallest to the largest size and the machine go to
``benchmarks/RESULTS.md`` (``--out`` to write elsewhere, ``--no-write`` not at all).

``--merge`` keeps the rows of earlier runs (saved in ``benchmarks/.cache/results.json``) that
this run does not measure again, so slow sizes can be run on their own; ``--sizes , --merge``
only rewrites RESULTS.md from the saved rows. What follows the ``KEPT`` marker line in
RESULTS.md (findings written by hand) is kept whenever the tables are rewritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.common import Timing
from benchmarks.generate import CACHE, project_path
from benchmarks.harness import Env, Measurement

# name -> module; the order the table shows them in
BENCHMARKS = {
    "startup": "benchmarks.bench_startup",
    "open": "benchmarks.bench_open",
    "register": "benchmarks.bench_register",
    "search": "benchmarks.bench_search",
    "readiness": "benchmarks.bench_readiness",
    "export": "benchmarks.bench_export",
    "pdf": "benchmarks.bench_pdf",
    "import": "benchmarks.bench_import",
    "edit": "benchmarks.bench_edit",
}
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SAVED = CACHE / "results.json"  # every row measured so far, for --merge
# What follows this line in RESULTS.md is written by hand and kept when the table is rewritten.
KEPT = "<!-- written by hand below: kept when the tables above are regenerated -->"
Runner = Callable[[Env], list[Measurement]]


def runner(name: str) -> Runner:
    module = importlib.import_module(BENCHMARKS[name])
    func: Runner = module.run
    return func


def run_all(
    sizes: Sequence[int],
    repeat: int,
    only: Sequence[str] = (),
    cache: Path | None = None,
    report: Callable[[Measurement], None] | None = None,
) -> list[Measurement]:
    names = [n for n in BENCHMARKS if not only or n in only]
    found: list[Measurement] = []
    for size in sizes:
        path = project_path(size, cache, verbose=True)
        for name in names:
            with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as work:
                env = Env(size=size, project=path, work=Path(work), repeat=repeat)
                for m in runner(name)(env):
                    found.append(m)
                    if report is not None:
                        report(m)
    return found


def _value(seconds_or_mb: float, unit: str) -> str:
    if unit == "MB":
        return f"{seconds_or_mb:.0f} MB"
    if seconds_or_mb < 1:
        return f"{seconds_or_mb * 1000:.1f} ms"
    return f"{seconds_or_mb:.2f} s"


def row_cells(m: Measurement) -> list[str]:
    floor = _value(m.floor.wall, m.unit) if m.floor else "–"
    ratio = f"{m.ratio:.2f}" if m.ratio is not None else "–"
    cpu = f"{m.ours.cpu / m.floor.cpu:.2f}" if m.floor and m.floor.cpu > 0 else "–"
    return [
        m.operation,
        f"{m.size:,}",
        _value(m.ours.wall, m.unit),
        floor,
        ratio,
        cpu,
        m.floor_name,
        m.note,
    ]


HEADERS = ["operation", "size", "ours (median)", "floor (median)", "ratio", "cpu ratio", "floor"]


def print_row(m: Measurement) -> None:
    cells = row_cells(m)
    print(
        f"{cells[0]:<34}{cells[1]:>9}{cells[2]:>12}{cells[3]:>12}{cells[4]:>8}{cells[5]:>8}  "
        f"{cells[6]}",
        flush=True,
    )


def growth(found: Sequence[Measurement]) -> list[list[str]]:
    """Per operation: how our time and the floor's grew from the smallest size to the largest."""
    by_op: dict[str, list[Measurement]] = {}
    for m in found:
        by_op.setdefault(m.operation, []).append(m)
    lines = []
    for op, ms in by_op.items():
        ms = sorted(ms, key=lambda m: m.size)
        if len(ms) < 2 or ms[0].ours.wall <= 0:
            continue
        first, last = ms[0], ms[-1]
        size_x = last.size / first.size
        ours_x = last.ours.wall / first.ours.wall
        floor_x = (
            f"{last.floor.wall / first.floor.wall:.1f}×"
            if first.floor and last.floor and first.floor.wall > 0
            else "–"
        )
        lines.append(
            [op, f"{first.size:,} → {last.size:,} ({size_x:.0f}×)", f"{ours_x:.1f}×", floor_x]
        )
    return lines


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} logical CPUs{memory}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Qt platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}"
    )


def _to_json(m: Measurement, command: str) -> dict[str, object]:
    return {
        "operation": m.operation,
        "size": m.size,
        "ours": [m.ours.wall, m.ours.cpu],
        "floor": [m.floor.wall, m.floor.cpu] if m.floor else None,
        "floor_name": m.floor_name,
        "items": m.items,
        "unit": m.unit,
        "note": m.note,
        "command": command,
    }


def _from_json(d: dict[str, object]) -> tuple[Measurement, str]:
    ours = d["ours"]
    floor = d["floor"]
    assert isinstance(ours, list)
    m = Measurement(
        operation=str(d["operation"]),
        size=int(str(d["size"])),
        ours=Timing(float(ours[0]), float(ours[1])),
        floor=Timing(float(floor[0]), float(floor[1])) if isinstance(floor, list) else None,
        floor_name=str(d["floor_name"]),
        items=int(str(d["items"])),
        unit=str(d["unit"]),
        note=str(d["note"]),
    )
    return m, str(d["command"])


def merged(
    found: Sequence[Measurement], command: str, saved: Path
) -> tuple[list[Measurement], list[str]]:
    """Earlier rows (from ``saved``) with this run's rows replacing those they measured again."""
    rows: dict[tuple[str, int], tuple[Measurement, str]] = {}
    if saved.exists():
        for d in json.loads(saved.read_text(encoding="utf-8")):
            m, cmd = _from_json(d)
            rows[(m.operation, m.size)] = (m, cmd)
    for m in found:
        rows[(m.operation, m.size)] = (m, command)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(
        json.dumps([_to_json(m, cmd) for m, cmd in rows.values()], indent=1), encoding="utf-8"
    )
    ms = sorted(rows.values(), key=lambda mc: (mc[0].size, _place(mc[0].operation)))
    return [m for m, _ in ms], list(dict.fromkeys(cmd for _, cmd in ms))


# The order of the table's rows (by how the operation's name begins).
ORDER = (
    "cold start",
    "peak RSS",
    "open project",
    "open Risks",
    "sort",
    "filter",
    "search",
    "readiness",
    "action list",
    "Excel export",
    "PDF",
    "import",
)


def _place(operation: str) -> int:
    return next((n for n, start in enumerate(ORDER) if operation.startswith(start)), len(ORDER))


def _kept(out: Path) -> str:
    if not out.exists():
        return ""
    text = out.read_text(encoding="utf-8")
    return text[text.index(KEPT) :] if KEPT in text else ""


def markdown(found: Sequence[Measurement], commands: Sequence[str], kept: str = "") -> str:
    head = [*HEADERS, "note"]
    lines = [
        "# Benchmark results",
        "",
        f"Written on {dt.date.today().isoformat()} from: "
        + "; ".join(f"`{c}`" for c in commands)
        + ".",
        "",
        f"Machine: {machine()}.",
        "",
        "Times are medians of the repetitions; ours and the floor take turns in the same run. "
        "The ratio is ours / floor (wall time); the cpu ratio compares CPU time, which a "
        "busy machine disturbs less.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
    ]
    lines += ["| " + " | ".join(row_cells(m)) + " |" for m in found]
    grown = growth(found)
    if grown:
        lines += [
            "",
            "## Growth with size",
            "",
            "| operation | sizes | ours grew | floor grew |",
            "|---|---|---|---|",
        ]
        lines += ["| " + " | ".join(g) + " |" for g in grown]
    if kept:
        lines += ["", kept.rstrip()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(s) for s in text.split(",") if s.strip()],
        default=[1_000, 10_000],
        help="comma-separated numbers of risks (default 1000,10000)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs of each operation (median)")
    parser.add_argument(
        "--only", action="append", default=[], choices=list(BENCHMARKS), help="repeatable"
    )
    parser.add_argument("--cache", type=Path, default=None, help="where generated projects are")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the rows of earlier runs that this run does not measure again",
    )
    args = parser.parse_args(argv)
    print(
        f"{'operation':<34}{'size':>9}{'ours':>12}{'floor':>12}{'ratio':>8}{'cpu':>8}  floor",
        flush=True,
    )
    started = time.perf_counter()
    found = run_all(args.sizes, args.repeat, args.only, args.cache, print_row)
    minutes = (time.perf_counter() - started) / 60
    command = (
        f"python -m benchmarks --sizes {','.join(map(str, args.sizes))} --repeat {args.repeat}"
        + "".join(f" --only {name}" for name in args.only)
        + f" ({minutes:.0f} min)"
    )
    if not args.no_write:
        if not args.merge and SAVED.exists():
            SAVED.unlink()
        rows, commands = merged(found, command, SAVED)
        args.out.write_text(markdown(rows, commands, _kept(args.out)), encoding="utf-8")
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
