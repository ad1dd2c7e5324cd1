"""An action set to Done in a table is completed today (it was "done" with no completion
date, which the review and the audit trail then could not place); Undo the same day takes
the date back; an earlier completion date is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    opened = open_project(project_path)
    yield opened
    opened.close()


def _completed(project: Project, register: str, code: str) -> object:
    return registers.get(project, register, code).values["completed_on"]


def test_done_is_dated_today_and_undone_the_same_day(project: Project) -> None:
    today = dt.date.today()
    code = registers.create(project, "actions", {"title": "Renew the TLS certificate"}).code
    assert _completed(project, "actions", code) is None
    change = registers.update(project, "actions", code, "status", "done")
    assert _completed(project, "actions", code) == today
    registers.update(project, "actions", code, "status", change.old)  # Undo
    assert _completed(project, "actions", code) is None
    assert registers.get(project, "actions", code).values["status"] == change.old


def test_a_given_or_earlier_completion_date_is_kept(project: Project) -> None:
    earlier = dt.date(2026, 10, 1)
    code = registers.create(
        project, "treatment", {"title": "Encrypt laptops", "completed_on": earlier}
    ).code
    registers.update(project, "treatment", code, "status", "done")
    assert _completed(project, "treatment", code) == earlier
    registers.update(project, "treatment", code, "status", "in_progress")  # reopened
    assert _completed(project, "treatment", code) == earlier
    other = registers.create(project, "actions", {"title": "Other field"}).code
    registers.update(project, "actions", other, "title", "Another title")
    assert _completed(project, "actions", other) is None  # only the status dates


@pytest.mark.parametrize("count", [3, 40])  # one by one, and as many as a bulk edit
def test_many_set_to_done_are_dated_and_their_undo_undates(project: Project, count: int) -> None:
    today = dt.date.today()
    codes = [
        registers.create(project, "actions", {"title": f"Action {n}"}).code for n in range(count)
    ]
    changes = registers.update_each(project, "actions", "status", dict.fromkeys(codes, "done"))
    assert {_completed(project, "actions", code) for code in codes} == {today}
    registers.update_each(project, "actions", "status", {c.code: c.old for c in changes})
    assert {_completed(project, "actions", code) for code in codes} == {None}
