"""Changing the risk method of a project with many risks: every risk re-scored (in chunks,
only the ones that change loaded), each level change logged (not the sort ranks),
progress told, and a cancel that leaves everything as it was."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.errors import CancelledError
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services import history, registers
from isms_desktop.services.history import LogFilter
from isms_desktop.services.risk_method import change_method, current_method
from isms_desktop.storage.project_file import Project, open_project

RISKS = 2_345  # more than two chunks of re-scoring


@pytest.fixture(scope="module")
def many_risks(tmp_path_factory: pytest.TempPathFactory, template_project: Path) -> Path:
    """A project with ``RISKS`` scored risks, built once for the module."""
    path = tmp_path_factory.mktemp("method") / "many.isms"
    shutil.copyfile(template_project, path)
    with open_project(path) as opened:
        registers.create_many(
            opened,
            "risks",
            [
                {
                    "title": f"Risk {n}",
                    "inherent_likelihood": 1 + n % 5,
                    "inherent_impact": 1 + (n // 5) % 5,
                    "residual_likelihood": 1 + (n // 25) % 5 if n % 3 else None,
                    "residual_impact": 1 + n % 4 if n % 3 else None,
                }
                for n in range(RISKS)
            ],
        )
    return path


@pytest.fixture
def project(many_risks: Path, tmp_path: Path) -> Iterator[Project]:
    path = tmp_path / "project.isms"
    shutil.copyfile(many_risks, path)
    with open_project(path) as opened:
        yield opened


def _flipped(method: RiskMethod) -> RiskMethod:
    """The same method with its matrix upside down (most cells change level)."""
    return dataclasses.replace(method, matrix=tuple(reversed(method.matrix)))


def _levels(project: Project) -> dict[str, tuple[object, object]]:
    return {
        r.code: (r.values["inherent_level"], r.values["residual_level"])
        for r in registers.list_rows(project, "risks")
    }


def test_every_risk_is_rescored_and_each_level_change_logged(project: Project) -> None:
    old = current_method(project)
    new = _flipped(old)
    scores = {
        r.code: r.values for r in registers.list_rows(project, "risks")
    }  # the scores stay as they are
    before = _levels(project)
    versions = {r.code: r.version for r in registers.list_rows(project, "risks")}
    logged = history.count(project, LogFilter(register="risks"))
    told: list[tuple[int, int]] = []

    result = change_method(project, new, progress=lambda done, total: told.append((done, total)))

    expected = {
        code: (
            new.level(v["inherent_likelihood"], v["inherent_impact"]),
            new.level(v["residual_likelihood"], v["residual_impact"]),
        )
        for code, v in scores.items()
    }
    assert _levels(project) == expected
    changed = [code for code in expected if expected[code] != before[code]]
    assert result.risks == RISKS and result.changed_level == len(changed) > 1_000
    moved = sum(
        (before[code][0] != expected[code][0]) + (before[code][1] != expected[code][1])
        for code in expected
    )
    added = history.count(project, LogFilter(register="risks")) - logged
    entries = history.change_log(project, LogFilter(register="risks"), limit=added)
    assert added == moved  # one entry per level that moved, none for the sort ranks
    assert {e.field for e in entries} == {"inherent_level", "residual_level"}
    assert told and told[-1][0] == told[-1][1] == len(changed)
    # a re-scored risk is a new version of it (team mode: others' copies are out of date)
    now = {r.code: r.version for r in registers.list_rows(project, "risks")}
    assert {code for code in now if now[code] == versions[code] + 1} == set(changed)
    assert all(now[code] == versions[code] for code in now if code not in changed)
    assert [done for done, _total in told] == sorted(done for done, _total in told)


def test_a_cancelled_change_leaves_method_levels_and_log_as_they_were(project: Project) -> None:
    old = current_method(project)
    before = _levels(project)
    logged = history.count(project)
    asked: list[int] = []

    def cancel_on_the_second_chunk() -> bool:
        asked.append(1)
        return len(asked) == 2

    with pytest.raises(CancelledError):
        change_method(project, _flipped(old), cancelled=cancel_on_the_second_chunk)

    assert current_method(project) == old
    assert _levels(project) == before
    assert history.count(project) == logged
