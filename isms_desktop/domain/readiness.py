"""Readiness for certification, computed from facts about a project by explicit rules.

Each rule looks at plain facts (counts gathered by the services layer) and returns how far
its requirement is met (0.0–1.0) and, when unmet, the next step to take. The overall figure
is the mean of the clause part and the control part.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectFacts:
    scope_statement_written: bool = False
    processes: int = 0
    processes_with_owner: int = 0
    people: int = 0
    people_with_role: int = 0
    risk_method_defined: bool = False
    soa_rows: int = 0
    soa_decided: int = 0
    soa_excluded_without_justification: int = 0
    soa_settled: int = 0  # implemented, or excluded with a justification


@dataclass(frozen=True)
class RuleResult:
    clause: str
    title: str
    score: float
    next_step: str = ""


@dataclass(frozen=True)
class Readiness:
    rules: tuple[RuleResult, ...]
    clauses_percent: int
    controls_percent: int

    @property
    def overall_percent(self) -> int:
        return round((self.clauses_percent + self.controls_percent) / 2)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def evaluate(facts: ProjectFacts) -> Readiness:
    rules = (
        RuleResult(
            "4.3",
            "Scope of the ISMS",
            1.0 if facts.scope_statement_written else 0.0,
            "" if facts.scope_statement_written else "Write the scope statement",
        ),
        RuleResult(
            "4.4",
            "ISMS processes",
            _ratio(facts.processes_with_owner, facts.processes),
            ""
            if facts.processes and facts.processes_with_owner == facts.processes
            else f"{facts.processes - facts.processes_with_owner} ISMS processes have no owner",
        ),
        RuleResult(
            "5.3",
            "Roles and responsibilities",
            1.0 if facts.people_with_role else 0.0,
            "" if facts.people_with_role else "Record who holds the ISMS roles",
        ),
        RuleResult(
            "6.1.2",
            "Risk assessment method",
            1.0 if facts.risk_method_defined else 0.0,
            "" if facts.risk_method_defined else "Choose a risk method",
        ),
        RuleResult(
            "6.1.3 d",
            "Statement of Applicability decided",
            _ratio(facts.soa_decided - facts.soa_excluded_without_justification, facts.soa_rows),
            ""
            if facts.soa_rows
            and facts.soa_decided == facts.soa_rows
            and not facts.soa_excluded_without_justification
            else f"{facts.soa_rows - facts.soa_decided} controls are not yet decided in the SoA",
        ),
    )
    clauses = round(100 * sum(r.score for r in rules) / len(rules))
    controls = round(100 * _ratio(facts.soa_settled, facts.soa_rows))
    return Readiness(rules=rules, clauses_percent=clauses, controls_percent=controls)
