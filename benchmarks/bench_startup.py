"""Cold start to a visible main window with the project open, and the memory it then uses.

Each start is a new Python process (``python -m benchmarks.bench_startup app PROJECT``),
timed from launch until it reports its window painted with the project's dashboard, and
until the work deferred past that first paint (the dashboard's action list, the backup made
on opening) is done too. Floor: the same for a bare PySide6 ``QMainWindow``. The
application's process then opens the Risks tab and reports its peak resident memory (RSS),
against the bare window's.

Both run under the platform of ``QT_QPA_PLATFORM`` (offscreen unless set). Our modules'
bytecode is compiled first, as an installed program has it (PyInstaller bundles it; a
checkout writes it on its first start) and as the floor's PySide6 has it: a machine that
sets ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module on every start.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the probes import nothing beyond what they start (the floor stays bare)
    from benchmarks.harness import Env, Measurement

READY = "ready"
IDLE = "idle"


def _peak_rss_mb() -> float:
    """This process's peak RSS since it started its program (``getrusage`` would include
    the parent's, whose peak Linux carries over ``fork`` and ``exec``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _probe_app(project: Path, settings: Path) -> None:
    import gc

    gc.disable()  # as the program's entry does (cli._run_gui); the window turns it back on
    from PySide6.QtCore import QEvent, QObject, QTimer

    from isms_desktop import app_logging
    from isms_desktop.ui.app import create_application, start_main_window
    from isms_desktop.ui.settings import Settings
    from isms_desktop.ui.tabs import DashboardTab

    app_logging.configure()
    app = create_application()
    window = start_main_window(project, Settings(settings))
    dashboard = window.area_tab("dashboard")
    assert isinstance(dashboard, DashboardTab)

    class FirstPaint(QObject):
        """Installed after the window's own filters, so called before them: ``painted``
        runs as soon as this repaint is drawn, before the work deferred past it."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.UpdateRequest and window.project is not None:
                window.removeEventFilter(self)
                QTimer.singleShot(0, painted)
            return False

    first_paint = FirstPaint(window)
    window.installEventFilter(first_paint)

    def painted() -> None:
        if window.project is None or not window.isVisible():
            print("failed", flush=True)
            app.quit()
            return
        print(READY, flush=True)
        wait_until_idle()

    def wait_until_idle() -> None:
        if not dashboard.action_list.loaded or window.history_actions.backing_up:
            QTimer.singleShot(1, wait_until_idle)
            return
        app.processEvents()
        window.repaint()
        print(IDLE, flush=True)
        window.go_to_area("risks")
        app.processEvents()
        window.repaint()
        print(f"rss {_peak_rss_mb():.1f} {window.project and _shown_rows(window)}", flush=True)
        window.close()
        app.quit()

    app.exec()


def _shown_rows(window: Any) -> int:
    tab = window.area_tab("risks")
    return int(tab.views["risks"].model.rowCount())


def _probe_bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 800)
    window.show()

    def shown() -> None:
        app.processEvents()
        window.repaint()
        print(READY, flush=True)
        print(IDLE, flush=True)
        print(f"rss {_peak_rss_mb():.1f} 0", flush=True)
        window.close()
        app.quit()

    _later(shown)
    app.exec()


def _later(func: Any) -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, func)


def launch(args: list[str], home: Path) -> tuple[float, float, float, int]:
    """Start a probe; (seconds until it reported its window painted, seconds until it
    reported the deferred work done, its peak RSS in MB, rows shown)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(home / var.lower())
    root = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")]))
    errors = home / "probe-stderr.txt"
    started = time.perf_counter()
    with (
        errors.open("w", encoding="utf-8") as stderr,
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_startup", *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
            cwd=root,
        ) as process,
    ):
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        ready = time.perf_counter() - started
        second = process.stdout.readline().strip() if first == READY else ""
        idle = time.perf_counter() - started
        rest = process.stdout.read().split()
        process.wait(timeout=600)
    if first != READY or second != IDLE or len(rest) < 3:
        tail = errors.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise AssertionError(f"the start-up probe {args[0]} reported {first!r} {rest}:\n{tail}")
    return ready, idle, float(rest[1]), int(rest[2])


def compile_bytecode() -> None:
    """Write the bytecode of our package (and the probes'), where imports would not."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("isms_desktop", "benchmarks"):
        compileall.compile_dir(root / package, quiet=2)


def run(env: Env) -> list[Measurement]:
    from benchmarks.common import Timing
    from benchmarks.harness import Measurement

    compile_bytecode()
    path = env.copy_project("startup")
    times: dict[str, list[float]] = {"app": [], "bare": []}
    idle: dict[str, list[float]] = {"app": [], "bare": []}
    rss: dict[str, list[float]] = {"app": [], "bare": []}
    shown: list[int] = []
    with tempfile.TemporaryDirectory(dir=env.work) as home:
        for _ in range(env.repeat):  # taking turns, as ``timed`` does
            for probe, args in (
                ("app", ["app", str(path), str(Path(home) / "s.ini")]),
                ("bare", ["bare"]),
            ):
                ready, done, mb, rows = launch(args, Path(home))
                times[probe].append(ready)
                idle[probe].append(done)
                rss[probe].append(mb)
                if probe == "app":
                    shown.append(rows)
    if set(shown) != {env.size}:
        raise AssertionError(f"the started application showed {shown} risks, not {env.size}")

    def start(name: str, samples: dict[str, list[float]], note: str) -> Measurement:
        return Measurement(
            name,
            env.size,
            Timing(statistics.median(samples["app"]), 0.0),
            Timing(statistics.median(samples["bare"]), 0.0),
            "bare PySide6 window",
            env.size,
            note=note,
        )

    return [
        start(
            "cold start to main window",
            times,
            "subprocess, our bytecode compiled; time until the window is shown and painted",
        ),
        start(
            "cold start, deferred work done",
            idle,
            "… until the action list is filled and the backup on opening is made",
        ),
        Measurement(
            "peak RSS, Risks tab shown",
            env.size,
            Timing(max(rss["app"]), 0.0),
            Timing(max(rss["bare"]), 0.0),
            "bare PySide6 window",
            env.size,
            unit="MB",
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1] == "app":
        _probe_app(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        _probe_bare()
