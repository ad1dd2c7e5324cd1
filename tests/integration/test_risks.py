"""Assets, risks and treatment through the services, on a real project file."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.risk_method import MappingNeeded, proportional_map
from isms_desktop.services import registers, risk_method
from isms_desktop.services.registers import InvalidValueError
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as p:
        yield p


def _asset(project: Project, name: str = "CRM", kind: str = "software") -> str:
    return registers.create(project, "assets", {"name": name, "type": kind}).code


def test_levels_are_computed_from_the_scores(project: Project) -> None:
    method = risk_method.current_method(project)
    code = registers.create(
        project, "risks",
        {"title": "Phishing", "inherent_likelihood": 4, "inherent_impact": 5},
    ).code  # fmt: skip
    row = registers.get(project, "risks", code)
    assert row.values["inherent_level"] == method.level(4, 5)
    assert row.display["inherent_level"] == method.level_info(method.level(4, 5)).label  # type: ignore[union-attr]
    registers.update(project, "risks", code, "inherent_impact", 1)
    assert registers.get(project, "risks", code).values["inherent_level"] == method.level(4, 1)
    with pytest.raises(InvalidValueError, match="filled in automatically"):
        registers.update(project, "risks", code, "inherent_level", "low")


def test_scale_values_by_label_and_out_of_range(project: Project) -> None:
    method = risk_method.current_method(project)
    label = method.likelihood[1].label
    code = registers.create(project, "risks", {"title": "X", "inherent_likelihood": label}).code
    assert registers.get(project, "risks", code).values["inherent_likelihood"] == 2
    with pytest.raises(InvalidValueError, match="Likelihood must be one of"):
        registers.update(project, "risks", code, "inherent_likelihood", 9)


def test_links_to_assets_and_controls_in_any_spelling(project: Project) -> None:
    a1, a2 = _asset(project, "CRM"), _asset(project, "Laptops", "hardware")
    code = registers.create(
        project, "risks",
        {"title": "Theft", "assets": f"{a1}, {a2}", "controls": "A.8.5 / A 5.17; 8.24"},
    ).code  # fmt: skip
    row = registers.get(project, "risks", code)
    assert row.values["assets"] == [a1, a2]
    assert row.values["controls"] == ["5.17", "8.5", "8.24"]
    assert registers.query_ids(project, "risks", equals={"assets": a2}) == [row.id]
    with pytest.raises(InvalidValueError, match=r"no controls record 9\.99"):
        registers.update(project, "risks", code, "controls", "9.99")
    with pytest.raises(IsmsError, match=f"still used by 1 risk \\({code}\\)"):
        registers.delete(project, "assets", a1)
    registers.update(project, "risks", code, "assets", a2)
    registers.delete(project, "assets", a1)


def test_treatment_plan_is_the_treatment_slice_of_all_actions(project: Project) -> None:
    risk = registers.create(project, "risks", {"title": "R"}).code
    plan = registers.create(
        project, "treatment",
        {"title": "Enable MFA", "risks": risk, "due_date": "2026-01-31", "status": "open"},
    )  # fmt: skip
    other = registers.create(project, "actions", {"title": "Fix audit finding", "source": "audit"})
    assert plan.code == "TA-001" and other.code == "AC-001"
    assert registers.codes(project, "treatment") == ["TA-001"]
    assert sorted(registers.codes(project, "actions")) == ["AC-001", "TA-001"]
    assert registers.get(project, "actions", "TA-001").values["source"] == "treatment"


def test_changing_the_method_re_evaluates_every_risk(project: Project) -> None:
    old = risk_method.current_method(project)
    for lik, imp in ((1, 1), (5, 5), (3, 4), (5, 1)):
        registers.create(
            project,
            "risks",
            {"title": f"{lik}/{imp}", "inherent_likelihood": lik, "inherent_impact": imp},
        )
    strict = dataclasses.replace(
        old, matrix=tuple(tuple(old.levels[-1].code for _ in row) for row in old.matrix)
    )
    change = risk_method.change_method(project, strict)
    assert change.risks == 4
    assert change.changed_level == sum(
        1
        for lik, imp in ((1, 1), (5, 5), (3, 4), (5, 1))
        if old.level(lik, imp) != old.levels[-1].code
    )
    levels = {r.values["inherent_level"] for r in registers.list_rows(project, "risks")}
    assert levels == {old.levels[-1].code}


def test_a_shrinking_scale_changes_nothing_until_mapped(project: Project) -> None:
    registers.create(
        project, "risks", {"title": "high", "inherent_likelihood": 5, "inherent_impact": 4}
    )
    small = risk_method.template_method("3x3")
    with pytest.raises(MappingNeeded):
        risk_method.change_method(project, small)
    assert risk_method.current_method(project).code == "5x5"
    mapping = proportional_map(5, 3)
    risk_method.change_method(project, small, likelihood_map=mapping, impact_map=mapping)
    row = registers.list_rows(project, "risks")[0]
    assert (row.values["inherent_likelihood"], row.values["inherent_impact"]) == (3, 3)
    assert row.values["inherent_level"] == small.level(3, 3)


def test_sort_by_level_uses_the_method_order(project: Project) -> None:
    rng = random.Random(3)
    method = risk_method.current_method(project)
    for n in range(40):
        registers.create(
            project,
            "risks",
            {
                "title": f"risk {n}",
                "inherent_likelihood": rng.randint(1, 5),
                "inherent_impact": rng.randint(1, 5),
            },
        )
    ids = registers.query_ids(project, "risks", sort="inherent_level", descending=True)
    ranks = [
        method.rank(r.values["inherent_level"]) for r in registers.fetch(project, "risks", ids)
    ]
    assert ranks == sorted(ranks, reverse=True)


def test_multi_select_edit_sets_the_owner_of_many(project: Project) -> None:
    registers.create(project, "people", {"name": "Ana"})
    codes = [registers.create(project, "risks", {"title": f"r{n}"}).code for n in range(5)]
    changes = registers.update_many(project, "risks", codes[:3], "owner", "Ana")
    assert len(changes) == 3
    owners = [registers.get(project, "risks", c).display["owner"] for c in codes]
    assert owners == ["Ana", "Ana", "Ana", "", ""]


def test_the_demo_register(demo_path: Path) -> None:
    with open_project(demo_path, read_only=True) as demo:
        assert registers.count(demo, "assets") >= 30
        risks = registers.list_rows(demo, "risks")
        assert len(risks) >= 40
        assert {r.values["treatment"] for r in risks} == {"modify", "retain", "avoid", "share"}
        assert all(r.values["inherent_level"] for r in risks)
        accepted = [r for r in risks if r.values["treatment"] == "retain"]
        assert all(r.values["accepted_by"] and r.values["accepted_on"] for r in accepted)
        plan = registers.list_rows(demo, "treatment")
        statuses = {r.values["status"] for r in plan}
        assert {"open", "done", "in_progress"} <= statuses
        import datetime as dt

        overdue = [
            r
            for r in plan
            if r.values["status"] in ("open", "in_progress")
            and r.values["due_date"] < dt.date.today()
        ]
        assert overdue
