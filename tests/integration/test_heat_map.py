"""Risk heat map counts against a Python reference."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from isms_desktop.services import heat_map, registers
from isms_desktop.storage.project_file import open_project


def test_counts_match_the_register(demo_path: Path) -> None:
    with open_project(demo_path) as project:
        rows = registers.list_rows(project, "risks")
        result = heat_map.heat_map(project)
        for stage in heat_map.STAGES:
            expected = Counter(
                (r.values[f"{stage}_likelihood"], r.values[f"{stage}_impact"])
                for r in rows
                if r.values[f"{stage}_likelihood"] and r.values[f"{stage}_impact"]
            )
            assert result.counts[stage] == dict(expected)
            assert result.total(stage) + result.unscored[stage] == len(rows)
        (lk, im), n = Counter(
            (r.values["inherent_likelihood"], r.values["inherent_impact"]) for r in rows
        ).most_common(1)[0]
        codes = heat_map.risk_codes(project, "inherent", lk, im)
        assert len(codes) == n == result.count("inherent", lk, im)
        assert codes == sorted(codes)
