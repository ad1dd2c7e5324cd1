"""The benchmarks still work: a tiny generated project, and every benchmark run once on it.

No timing is asserted (timings belong to ``python -m benchmarks``); what is asserted is that
the generator builds what it promises and each benchmark did its work and its floor's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import __main__ as bench_main  # noqa: E402
from benchmarks.generate import Shape, cache_path, project_path  # noqa: E402
from benchmarks.harness import Env, Measurement  # noqa: E402
from isms_desktop.services import projects, registers  # noqa: E402
from isms_desktop.services.risk_method import current_method  # noqa: E402
from isms_desktop.storage.project_file import open_project  # noqa: E402

SIZE = 50


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_path(SIZE, tmp_path_factory.mktemp("bench-cache"))


@pytest.fixture
def env(tiny: Path, tmp_path: Path) -> Iterator[Env]:
    yield Env(size=SIZE, project=tiny, work=tmp_path, repeat=1)


def test_generator_builds_the_promised_project(tiny: Path) -> None:
    shape = Shape(SIZE)
    assert tiny == cache_path(SIZE, tiny.parent)
    with open_project(tiny, read_only=True) as project:
        counts = projects.project_info(project)["counts"]
        assert counts["risks"] == SIZE
        assert counts["assets"] == shape.assets
        assert counts["treatment"] == shape.actions
        assert counts["people"] == shape.people
        method = current_method(project)
        rows = registers.list_rows(project, "risks")
        levels = {r.values["inherent_level"] for r in rows}
        assert len(levels) > 1, "scores are spread over the matrix"
        for r in rows:
            expected = method.level(r.values["inherent_likelihood"], r.values["inherent_impact"])
            assert r.values["inherent_level"] == expected
            assert len(r.values["assets"]) == 2 and len(r.values["controls"]) == 2
        soa = registers.list_rows(project, "soa")
        assert all(row.values["applicable"] is not None for row in soa)
    # a second call reuses the cached file
    assert project_path(SIZE, tiny.parent).stat().st_mtime == tiny.stat().st_mtime


@pytest.mark.parametrize("name", list(bench_main.BENCHMARKS))
def test_benchmark_runs_once(name: str, env: Env) -> None:
    found = bench_main.runner(name)(env)
    assert found
    for m in found:
        assert isinstance(m, Measurement)
        assert m.size == SIZE
        assert m.items > 0
        assert m.ours.wall > 0
        assert m.floor is not None and m.floor.wall > 0
        assert bench_main.row_cells(m)[0] == m.operation


def test_results_table_and_growth(tmp_path: Path) -> None:
    from benchmarks.common import Timing

    found = [
        Measurement("open project", size, Timing(0.01 * k, 0.01), Timing(0.001, 0.001), "x", size)
        for k, size in ((1, 1000), (3, 10000))
    ]
    saved = tmp_path / "results.json"
    rows, commands = bench_main.merged(found[:1], "first", saved)
    assert commands == ["first"]
    rows, commands = bench_main.merged(found[1:], "second", saved)
    assert [m.size for m in rows] == [1000, 10000] and commands == ["first", "second"]
    text = bench_main.markdown(rows, commands, bench_main.KEPT + "\nBy hand.")
    assert "| open project | 1,000 | 10.0 ms | 1.0 ms | 10.00 |" in text
    assert "| open project | 1,000 → 10,000 (10×) | 3.0× | 1.0× |" in text
    assert text.rstrip().endswith("By hand.")
