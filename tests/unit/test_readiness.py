"""Readiness rules on crafted facts: an empty project, a half-done one, a complete one."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain.readiness import THEMES, ProjectFacts, evaluate

COMPLETE = ProjectFacts(
    internal_issues=3,
    external_issues=4,
    climate_answered=True,
    parties=5,
    parties_decided=5,
    relevant_parties=4,
    relevant_parties_with_requirement=4,
    requirements=6,
    requirements_decided=6,
    scope_statement_written=True,
    scope_items=8,
    exclusions=1,
    exclusions_justified=1,
    processes=10,
    processes_with_owner=10,
    interactions=12,
    commitments=2,
    policy_approved=True,
    roles=4,
    roles_with_holder=4,
    risk_method_defined=True,
    assets_in_scope=20,
    assets_assessed=20,
    risks=30,
    risks_scored=30,
    risks_above_acceptance=10,
    risks_above_acceptance_treated=10,
    risks_above_acceptance_with_owner=10,
    risks_to_modify=8,
    risks_to_modify_with_action=8,
    risks_retained=2,
    risks_retained_accepted=2,
    soa_rows=93,
    soa_decided=93,
    soa_excluded=2,
    soa_excluded_justified=2,
    objectives=3,
    objectives_planned=3,
    resource_commitments=1,
    required_trainings=4,
    active_people=9,
    people_trained=9,
    people_aware=9,
    documents=12,
    documents_with_owner=12,
    documents_due_for_review=0,
    actions=13,
    open_actions=5,
    overdue_actions=0,
    risks_review_overdue=0,
    treatment_actions=8,
    treatment_actions_done=8,
    treated_risks=8,
    treated_risks_with_residual=8,
    metrics=4,
    metrics_measured=4,
    audits=3,
    audits_completed=1,
    reviews_held=1,
    improvement_actions=3,
    overdue_corrective_actions=0,
    nonconformities=2,
    nonconformities_with_cause=2,
    nonconformities_with_action=2,
    nonconformities_closed=1,
    nonconformities_closed_verified=1,
    theme_rows={"organizational": 37, "people": 8, "physical": 14, "technological": 34},
    theme_settled_halves={"organizational": 74, "people": 16, "physical": 28, "technological": 68},
)


def test_empty_project_is_not_ready_and_says_what_to_do() -> None:
    result = evaluate(ProjectFacts(soa_rows=93, theme_rows={"organizational": 37}))
    assert result.controls_percent == 0
    # coverage checks over nothing ask for nothing and are left out; existence checks are
    # not met: only 10.2, which asks nothing of a project without nonconformities, is complete
    complete = {rule.clause for rule in result.rules if rule.percent == 100}
    assert complete == {"10.2"}
    # an empty register does not count as done: a rule with an unmet existence check and
    # coverage checks over nothing scores nothing (it read 75 % for "4.2" with no party)
    assert all(
        rule.percent == 0
        for rule in result.rules
        if rule.clause != "10.2" and not any(c.existence and c.met for c in rule.checks)
    )
    covering = {c.requirement for r in result.rules for c in r.checks if not c.existence}
    applicable = {c.requirement for r in result.rules for c in r.checks if c.applicable}
    # the only coverage check with something to cover: the 93 controls waiting in the SoA
    assert covering & applicable == {"Every Annex A control is decided in the SoA"}
    assert result.clauses_percent == round(100 / len(result.rules))
    steps = result.next_steps()
    assert steps and all(check.next_step and check.target.area for _, check in steps)
    assert result.overall_percent == round(result.clauses_percent / 2)


def test_a_coverage_check_counts_once_there_is_something_to_cover() -> None:
    """8.1 on a project with actions, none overdue; then with every action overdue."""
    facts = dataclasses.replace(COMPLETE, actions=4, open_actions=4, overdue_actions=0)
    rule = {r.clause: r for r in evaluate(facts).rules}["8.1"]
    assert all(c.applicable for c in rule.checks) and rule.percent == 100
    late = {r.clause: r for r in evaluate(dataclasses.replace(facts, overdue_actions=4)).rules}
    assert late["8.1"].percent == 50  # scheduled (1) and none of 4 on time (0)
    assert late["8.1"].next_step == "4 open actions are overdue"
    none = dataclasses.replace(facts, actions=0, open_actions=0)
    nothing = {r.clause: r for r in evaluate(none).rules}["8.1"]
    assert nothing.percent == 0  # no action is late because there is none: not done
    assert nothing.next_step.startswith("Plan the actions that treat the risks")


def test_complete_project_is_fully_ready() -> None:
    result = evaluate(COMPLETE)
    assert result.clauses_percent == 100
    assert result.controls_percent == 100
    assert result.overall_percent == 100
    assert result.next_steps() == []
    assert [t.percent for t in result.themes] == [100, 100, 100, 100]
    for top in ("4", "5", "6", "7", "8", "9", "10"):
        assert result.clause_percent(top) == 100


def test_half_done_parts_count_by_their_share() -> None:
    facts = dataclasses.replace(
        COMPLETE,
        processes_with_owner=5,  # 4.4: (1 + 0.5 + 1) / 3
        risks_above_acceptance_treated=8,  # 6.1.3: one check at 0.8 of six
        theme_settled_halves={
            "organizational": 37,
            "people": 16,
            "physical": 28,
            "technological": 68,
        },
    )
    result = evaluate(facts)
    rules = {r.clause: r for r in result.rules}
    assert rules["4.4"].percent == round(100 * 2.5 / 3)
    assert rules["6.1.3"].score == (5 + 0.8) / 6
    step = rules["6.1.3"].next_steps[0]
    assert step.next_step == "2 risks above the acceptance level have no treatment"
    assert step.target.register == "risks"
    expected_clauses = round(100 * (len(result.rules) - 2 + 2.5 / 3 + 5.8 / 6) / len(result.rules))
    assert result.clauses_percent == expected_clauses
    organizational = next(t for t in result.themes if t.theme == "organizational")
    assert organizational.percent == 50
    assert result.controls_percent == round(100 * (37 + 16 + 28 + 68) / (2 * 93))


def test_partially_implemented_controls_count_one_half() -> None:
    facts = dataclasses.replace(
        COMPLETE, theme_rows={"people": 2}, theme_settled_halves={"people": 1}
    )
    assert evaluate(facts).controls_percent == 25


@given(
    done=st.integers(min_value=0, max_value=500),
    extra=st.integers(min_value=0, max_value=500),
)
def test_figures_stay_between_0_and_100(done: int, extra: int) -> None:
    facts = dataclasses.replace(
        COMPLETE,
        risks=done + extra,
        risks_scored=done,
        documents=done + extra,
        documents_due_for_review=extra,
        theme_rows=dict.fromkeys(THEMES, done + extra),
        theme_settled_halves=dict.fromkeys(THEMES, done),
    )
    result = evaluate(facts)
    for figure in (result.overall_percent, result.clauses_percent, result.controls_percent):
        assert 0 <= figure <= 100
    assert all(0.0 <= r.score <= 1.0 for r in result.rules)
