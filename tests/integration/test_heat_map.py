"""Risk heat map counts against a Python reference, and the register filter of a cell.

The rule: risks not closed; inherent by inherent likelihood × impact; residual by residual
likelihood × impact, an unassessed residual falling back to the inherent position; a risk
with no position is not placed.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.register_specs import RISK_STATUSES
from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import dashboard, heat_map, registers, risk_method
from isms_desktop.services.registers import Query
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as opened:
        yield opened


def _generate(project: Project, n: int, seed: int) -> None:
    method = heat_map.heat_map(project).method
    rows, columns = len(method.likelihood), len(method.impact)
    rng = random.Random(seed)

    def maybe(top: int) -> int | None:
        return None if rng.random() < 0.2 else rng.randint(1, top)

    records: list[dict[str, Any]] = []
    for i in range(n):
        records.append(
            {
                "code": f"GEN-{i:04d}",
                "title": f"Generated risk {i}",
                "status": rng.choice(RISK_STATUSES),
                "inherent_likelihood": maybe(rows),
                "inherent_impact": maybe(columns),
                "residual_likelihood": maybe(rows),
                "residual_impact": maybe(columns),
            }
        )
    registers.create_many(project, "risks", records)


def _reference(rows: list[registers.RecordRow]) -> dict[str, Counter[tuple[int, int]]]:
    """Where each open risk sits, by the rule, in plain Python."""
    expected: dict[str, Counter[tuple[int, int]]] = {"inherent": Counter(), "residual": Counter()}
    for row in rows:
        v = row.values
        if v["status"] == "closed":
            continue
        inherent = (v["inherent_likelihood"], v["inherent_impact"])
        residual = (v["residual_likelihood"], v["residual_impact"])
        placed = residual if None not in residual else inherent  # unassessed: at inherent
        if None not in inherent:
            expected["inherent"][inherent] += 1
        if None not in placed:
            expected["residual"][placed] += 1
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_follow_the_rule_on_generated_risks(project: Project, seed: int) -> None:
    _generate(project, 300, seed)
    rows = registers.list_rows(project, "risks")
    expected = _reference(rows)
    result = heat_map.heat_map(project)
    live = [r for r in rows if r.values["status"] != "closed"]
    assert result.closed == len(rows) - len(live) > 0
    assert result.open_risks == len(live)
    for stage in heat_map.STAGES:
        assert result.counts[stage] == dict(expected[stage])
        assert result.unplaced[stage] == len(live) - result.total(stage) > 0
    fallback = [
        r
        for r in live
        if None in (r.values["residual_likelihood"], r.values["residual_impact"])
        and None not in (r.values["inherent_likelihood"], r.values["inherent_impact"])
    ]
    assert result.fallback == len(fallback) > 0
    # the dashboard shows the very same map
    assert dashboard.tiles(project).heat_map == result


def test_the_register_filter_of_a_cell_lists_exactly_its_risks(project: Project) -> None:
    _generate(project, 300, 7)
    rows = {r.code: r.values for r in registers.list_rows(project, "risks")}
    result = heat_map.heat_map(project)
    checked_fallback = False
    for stage in heat_map.STAGES:
        for (lk, im), n in result.counts[stage].items():
            equals = heat_map.cell_filter(stage, lk, im)
            ids = registers.query_ids(project, "risks", equals=equals)
            assert registers.query_count(project, "risks", Query(equals=equals)) == n
            codes = heat_map.risk_codes(project, stage, lk, im)
            assert len(ids) == len(codes) == n
            assert codes == sorted(codes)
            listed = {row.code for row in registers.fetch(project, "risks", ids)}
            assert listed == set(codes)
            for code in codes:
                values = rows[code]
                assert values["status"] != "closed"
                if stage == "residual" and values["residual_likelihood"] is None:
                    assert (values["inherent_likelihood"], values["inherent_impact"]) == (lk, im)
                    checked_fallback = True
    assert checked_fallback
    # the filter combines with the others, as any field filter does
    (lk, im), n = max(result.counts["residual"].items(), key=lambda kv: kv[1])
    equals = {**heat_map.cell_filter("residual", lk, im), "status": "treated"}
    treated = registers.query_ids(project, "risks", equals=equals)
    assert 0 < len(treated) <= n


def test_the_risks_pdf_prints_the_same_maps(project: Project, tmp_path: Path) -> None:
    _generate(project, 200, 11)
    result = heat_map.heat_map(project)
    out = tmp_path / "risks.pdf"
    make_report(project, "risks", out, options=ReportOptions(date=dt.date(2026, 12, 1)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(out).pages)
    for stage, title in (("inherent", "Inherent"), ("residual", "Residual")):
        assert f"{title} ({result.total(stage)} risks)" in text
        by_level = result.by_level(stage)
        assert sum(by_level.values()) == result.total(stage)
    assert " ".join(result.summary().split()) in text
    assert result.closed and f"({result.closed:,} closed, not counted)" in text


def test_a_cell_filter_that_is_not_a_cell_is_refused(project: Project) -> None:
    with pytest.raises(BadArgumentsError):
        heat_map.cell_filter("planned", 1, 1)  # type: ignore[arg-type]
    for wrong in ("residual:x:1", "somewhere:1:1", "residual:1"):
        with pytest.raises(BadArgumentsError):
            registers.query_ids(project, "risks", equals={heat_map.CELL_FILTER: wrong})
    assert heat_map.parse_cell("residual:3:4") == ("residual", 3, 4)
    assert "unassessed" in heat_map.describe_cell("residual:3:4")
    method = risk_method.current_method(project)
    named = heat_map.describe_cell("inherent:1:5", method)
    first, last = method.likelihood[0].label, method.impact[-1].label
    assert f"likelihood 1 {first} × impact 5 {last}" in named


def test_the_demo_map_counts_every_open_risk(demo_path: Path) -> None:
    with open_project(demo_path) as project:
        rows = registers.list_rows(project, "risks")
        result = heat_map.heat_map(project)
        assert result.counts == {
            stage: dict(counter) for stage, counter in _reference(rows).items()
        }
        assert result.total("inherent") == result.total("residual") == len(rows) > 30


def test_the_heat_map_and_the_readiness_counts_read_risks_from_the_summary_index(
    project: Project, project_path: Path
) -> None:
    # Covered by ix_risks_summary, 100,000 risks are counted from a few MB instead of the
    # whole table: a column added to these queries must be added to the index too.
    from sqlalchemy import event

    from isms_desktop.services import readiness

    _generate(project, 50, seed=3)
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(project.engine, "before_cursor_execute", before)
    try:
        heat_map.heat_map(project)
        with project.reading() as session:
            readiness.compute(session)
    finally:
        event.remove(project.engine, "before_cursor_execute", before)
    scans = [s for s in statements if re.search(r"\bFROM risks\b", s) and "count(" in s]
    assert len(scans) >= 4  # the heat map's three, readiness's counts
    conn = sqlite3.connect(project_path)
    try:
        for sql in scans:
            rows = conn.execute("EXPLAIN QUERY PLAN " + sql, _nulls(sql))
            plan = " ".join(str(row[3]) for row in rows)
            assert "SCAN risks" not in plan or "COVERING INDEX" in plan, (sql, plan)
    finally:
        conn.close()


def _nulls(sql: str) -> list[None]:
    """Parameters for a statement's placeholders (a query plan does not depend on them)."""
    return [None] * sql.count("?")
