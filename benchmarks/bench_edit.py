"""Many records at once, as the register view changes them: a multi-select edit (one field
set on the selected rows) and a delete of the selected rows; and every risk at once, when the
risk method changes.

Ours: ``registers.update_many`` sets the status of ``ROWS`` risks (1,000, or all of a
smaller project), two values in turn so that every run changes every row; and
``registers.delete_many`` deletes as many treatment actions (``restore_many`` puts them
back between runs, untimed). Both commit, to a copy of the project.

Floors, on another copy: ``UPDATE risks SET status = ? WHERE code = ?`` and ``DELETE FROM
actions WHERE code = ?`` as one ``executemany`` each, committed (the delete rolled back, so
the rows are there for the next run). Ours also checks the rules, scores the risks, writes
one change-log entry per record (the deleted record's snapshot) and reads the values
before and after, for Undo; the floors write the rows and nothing else.

Changing the risk method: ``risk_method.change_method`` with the project's matrix turned
upside down and back in turn, so that each run moves most risks' levels. Floor: the new
levels (worked out beforehand) written by one ``executemany`` UPDATE by id of the risks
that change, committed. Ours also reads every risk's scores and scores them, checks each
row's version and logs each level that moved.
"""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
from typing import Any

from benchmarks.harness import Env, Measurement, timed
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.services import registers, risk_method
from isms_desktop.storage.project_file import open_project

ROWS = 1_000


def run(env: Env) -> list[Measurement]:
    path, floor_path = env.copy_project("edit"), env.copy_project("edit-floor")
    floor = sqlite3.connect(floor_path, isolation_level=None)
    try:
        with open_project(path) as project:
            risks = registers.codes(project, "risks")[:ROWS]
            actions = registers.codes(project, "treatment")[:ROWS]
            return [
                _edit(env, project, floor, risks),
                _delete(env, project, floor, actions),
                _rescore(env, project, floor),
            ]
    finally:
        floor.close()


def _edit(env: Env, project: Any, floor: sqlite3.Connection, codes: list[str]) -> Measurement:
    ours_values = itertools.cycle(["treated", "assessed"])
    floor_values = itertools.cycle(["treated", "assessed"])
    changed: list[int] = []

    def ours() -> None:
        changed.append(
            len(registers.update_many(project, "risks", codes, "status", next(ours_values)))
        )

    def bare() -> None:
        value = next(floor_values)
        floor.execute("BEGIN")
        floor.executemany(
            "UPDATE risks SET status = ? WHERE code = ?", [(value, code) for code in codes]
        )
        floor.execute("COMMIT")

    ours_t, floor_t = timed([(None, ours), (None, bare)], env.repeat)
    return Measurement(
        "set a field of selected risks",
        env.size,
        ours_t,
        floor_t,
        "sqlite3 executemany UPDATE",
        min(changed),
        note=f"{len(codes):,} rows; ours also logs each change and reads the values for Undo",
    )


def _delete(env: Env, project: Any, floor: sqlite3.Connection, codes: list[str]) -> Measurement:
    deleted: list[registers.Change] = []
    counts: list[int] = []

    def put_back() -> None:
        if deleted:
            registers.restore_many(project, "treatment", [c.snapshot for c in deleted])
            deleted.clear()

    def ours() -> None:
        done, refused = registers.delete_many(project, "treatment", codes, partial=False)
        assert refused is None
        deleted.extend(done)
        counts.append(len(done))

    def bare() -> None:
        floor.execute("BEGIN")
        floor.executemany("DELETE FROM actions WHERE code = ?", [(code,) for code in codes])
        floor.execute("ROLLBACK")

    ours_t, floor_t = timed([(put_back, ours), (None, bare)], env.repeat)
    put_back()
    return Measurement(
        "delete selected treatment actions",
        env.size,
        ours_t,
        floor_t,
        "sqlite3 executemany DELETE",
        min(counts),
        note=f"{len(codes):,} rows; ours also checks who uses each and logs its snapshot",
    )


def _rescore(env: Env, project: Any, floor: sqlite3.Connection) -> Measurement:
    first = risk_method.current_method(project)
    flipped = dataclasses.replace(first, matrix=tuple(reversed(first.matrix)))
    ours_methods = itertools.cycle([flipped, first])
    scores = floor.execute(
        "SELECT id, inherent_likelihood, inherent_impact, residual_likelihood, residual_impact,"
        " inherent_level, residual_level FROM risks"
    ).fetchall()
    # each direction's writes, worked out beforehand: (levels and ranks, id) of the risks
    # whose level moves from the other method's
    writes = [_moved(scores, first, flipped), _moved(scores, flipped, first)]
    floor_writes = itertools.cycle(writes)
    changed: list[int] = []

    def ours() -> None:
        changed.append(risk_method.change_method(project, next(ours_methods)).changed_level)

    def bare() -> None:
        floor.execute("BEGIN")
        floor.executemany(
            "UPDATE risks SET inherent_level = ?, inherent_rank = ?, residual_level = ?,"
            " residual_rank = ?, row_version = row_version + 1 WHERE id = ?",
            next(floor_writes),
        )
        floor.execute("COMMIT")

    ours_t, floor_t = timed([(None, ours), (None, bare)], env.repeat)
    if min(changed) != len(writes[0]):
        raise AssertionError(f"the method change moved {changed} risks, not {len(writes[0])}")
    return Measurement(
        "change the risk method (re-score every risk)",
        env.size,
        ours_t,
        floor_t,
        "sqlite3 executemany UPDATE of the moved",
        min(changed),
        note=f"{min(changed):,} of {len(scores):,} risks change level; ours also reads and "
        "scores every risk and logs each level that moved",
    )


def _moved(
    scores: list[tuple[Any, ...]], old: RiskMethod, new: RiskMethod
) -> list[tuple[Any, ...]]:
    rows = []
    for risk_id, il, ii, rl, ri, *_stored in scores:
        before = (old.level(il, ii), old.level(rl, ri))
        after = (new.level(il, ii), new.level(rl, ri))
        if after != before:
            rows.append((after[0], new.rank(after[0]), after[1], new.rank(after[1]), risk_id))
    return rows
