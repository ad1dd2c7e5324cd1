"""What every benchmark shares: its environment, its result, untimed set-up, SQL replay.

A benchmark is a function ``run(env) -> list[Measurement]``: it times our operation and its
floor (the bare library doing the same work) in the same run, taking turns, and checks that
both did the work (``items``), so the smoke test can prove benchmarks still work.
"""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from benchmarks.common import Timing


@dataclass(frozen=True)
class Env:
    """Where and how a benchmark runs: the cached project of ``size`` risks (never written:
    copy it with ``copy_project`` first), a scratch folder and the number of repetitions."""

    size: int
    project: Path
    work: Path
    repeat: int

    def copy_project(self, name: str) -> Path:
        target = self.work / f"{name}.isms"
        if target.exists():
            target.unlink()
        shutil.copyfile(self.project, target)
        return target


@dataclass(frozen=True)
class Measurement:
    """One row of the results table (``unit`` "s" for times, "MB" for memory)."""

    operation: str
    size: int
    ours: Timing
    floor: Timing | None
    floor_name: str
    items: int  # records the operation handled (the floor handled as many)
    unit: str = "s"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor.wall <= 0:
            return None
        return self.ours.wall / self.floor.wall


Step = Callable[[], Any]


def timed(cases: Sequence[tuple[Step | None, Step]], repeat: int) -> list[Timing]:
    """Like ``common.interleaved`` but each case may have an untimed set-up step."""
    walls: list[list[float]] = [[] for _ in cases]
    cpus: list[list[float]] = [[] for _ in cases]
    for _ in range(repeat):
        for index, (setup, func) in enumerate(cases):
            if setup is not None:
                setup()
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            func()
            walls[index].append(time.perf_counter() - wall)
            cpus[index].append(time.process_time() - cpu)
    return [
        Timing(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)
    ]


# --- "the same SQL": what our code sent to SQLite, replayed with the bare driver ----------

Statement = tuple[str, Any]
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


@contextmanager
def captured_sql(engine: Engine) -> Iterator[list[Statement]]:
    """Collect the statements (with their parameters) sent through ``engine`` meanwhile."""
    found: list[Statement] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            found.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", before)


def read_only_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True)


def replay(conn: sqlite3.Connection, statements: Sequence[Statement]) -> int:
    """Run the statements with the bare driver, reading every row; returns rows read."""
    rows = 0
    for sql, params in statements:
        rows += len(conn.execute(sql, params or ()).fetchall())
    return rows


def qt_application() -> Any:
    """The one QApplication of the benchmark process (offscreen unless told otherwise)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return app if app is not None else QApplication([])
