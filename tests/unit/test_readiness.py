"""Readiness rules on crafted facts: empty, half done, complete."""

from __future__ import annotations

from isms_desktop.domain.readiness import ProjectFacts, evaluate


def test_empty_project_is_not_ready() -> None:
    result = evaluate(ProjectFacts(soa_rows=93))
    assert result.clauses_percent == 0
    assert result.controls_percent == 0
    assert result.overall_percent == 0
    assert all(rule.next_step for rule in result.rules)


def test_half_done_project() -> None:
    facts = ProjectFacts(
        scope_statement_written=True,
        processes=10,
        processes_with_owner=5,
        people=3,
        people_with_role=0,
        risk_method_defined=True,
        soa_rows=100,
        soa_decided=50,
        soa_excluded_without_justification=0,
        soa_settled=40,
    )
    result = evaluate(facts)
    # 4.3: 1, 4.4: 0.5, 5.3: 0, 6.1.2: 1, 6.1.3 d: 0.5 -> 3/5
    assert result.clauses_percent == 60
    assert result.controls_percent == 40
    assert result.overall_percent == 50
    steps = {rule.clause: rule.next_step for rule in result.rules}
    assert steps["4.4"] == "5 ISMS processes have no owner"
    assert steps["4.3"] == ""


def test_complete_project() -> None:
    facts = ProjectFacts(
        scope_statement_written=True,
        processes=4,
        processes_with_owner=4,
        people=2,
        people_with_role=2,
        risk_method_defined=True,
        soa_rows=93,
        soa_decided=93,
        soa_settled=93,
    )
    result = evaluate(facts)
    assert result.overall_percent == 100
    assert all(rule.next_step == "" for rule in result.rules)
