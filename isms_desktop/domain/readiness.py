"""Readiness for certification, computed from facts about a project by explicit rules.

The services layer gathers plain counts about a project (``ProjectFacts``); the rules below
turn them into one result per clause of ISO/IEC 27001 (4.1 … 10.2) and per Annex A theme.

How the figures are computed (these rules are the documentation users see in the dashboard):

- A clause rule consists of *checks*. A check is either an **existence** check ("at least one
  internal issue is recorded": met or not) or a **coverage** check ("every relevant party has
  a requirement": the share of items that meet it). A coverage check with no items to cover
  is *not applicable*: it asks for nothing and is left out of its rule's figure, so that an
  empty register does not count as done ("every risk has an owner" when there are no risks).
- A clause's score is the mean of its applicable checks (a rule with none applicable is
  complete); a top-level clause's (4 … 10) the mean of its rules; ``clauses_percent`` the mean
  over all clause rules.
- An Annex A control counts as *settled* when it is applicable and implemented (1), applicable
  and partially implemented (½), or excluded with a justification (1); anything else counts 0.
  A theme's figure is the mean over its controls, ``controls_percent`` the mean over all.
- ``overall_percent`` is the mean of ``clauses_percent`` and ``controls_percent``.

Every unmet check carries a concrete next step and a ``Target`` — the area and register, with
filters, where the user fixes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from isms_desktop.domain.register_specs import THEME_CHOICES as THEMES


@dataclass(frozen=True)
class ProjectFacts:
    """Counts about one project, gathered by ``services.readiness``."""

    # 4.1 – 4.4
    internal_issues: int = 0
    external_issues: int = 0
    climate_answered: bool = False
    parties: int = 0
    parties_decided: int = 0
    relevant_parties: int = 0
    relevant_parties_with_requirement: int = 0
    requirements: int = 0
    requirements_decided: int = 0
    scope_statement_written: bool = False
    scope_items: int = 0
    exclusions: int = 0
    exclusions_justified: int = 0
    processes: int = 0
    processes_with_owner: int = 0
    interactions: int = 0
    # 5.1 – 5.3
    commitments: int = 0
    policy_approved: bool = False
    roles: int = 0
    roles_with_holder: int = 0
    # 6.1 – 6.2
    risk_method_defined: bool = False
    assets_in_scope: int = 0
    assets_assessed: int = 0
    risks: int = 0
    risks_scored: int = 0
    risks_above_acceptance: int = 0
    risks_above_acceptance_treated: int = 0
    risks_above_acceptance_with_owner: int = 0
    risks_to_modify: int = 0
    risks_to_modify_with_action: int = 0
    risks_retained: int = 0
    risks_retained_accepted: int = 0
    soa_rows: int = 0
    soa_decided: int = 0
    soa_excluded: int = 0
    soa_excluded_justified: int = 0
    objectives: int = 0
    objectives_planned: int = 0  # with owner and due date
    # 7.1 – 7.5
    resource_commitments: int = 0
    required_trainings: int = 0
    active_people: int = 0
    people_trained: int = 0
    people_aware: int = 0
    documents: int = 0
    documents_with_owner: int = 0
    documents_due_for_review: int = 0
    # 8.1 – 8.3
    actions: int = 0  # every action not cancelled, whatever its source
    open_actions: int = 0
    overdue_actions: int = 0
    risks_review_overdue: int = 0
    treatment_actions: int = 0
    treatment_actions_done: int = 0
    treated_risks: int = 0
    treated_risks_with_residual: int = 0
    # 9.1 – 9.3
    metrics: int = 0
    metrics_measured: int = 0
    audits: int = 0
    audits_completed: int = 0
    reviews_held: int = 0
    # 10.1 – 10.2
    improvement_actions: int = 0
    overdue_corrective_actions: int = 0
    nonconformities: int = 0
    nonconformities_with_cause: int = 0
    nonconformities_with_action: int = 0
    nonconformities_closed: int = 0
    nonconformities_closed_verified: int = 0
    # Annex A, per theme: (rows, settled × 2) so that "partially" counts one half exactly
    theme_rows: Mapping[str, int] = field(default_factory=dict)
    theme_settled_halves: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """Where the user fixes an unmet check: an area tab, and optionally a filtered register."""

    area: str
    register: str = ""
    filters: tuple[tuple[str, str], ...] = ()


OVERDUE = "overdue"  # the register views' filter of what is overdue (``services.overdue``)
_OVERDUE_ONLY = ((OVERDUE, "yes"),)


@dataclass(frozen=True)
class Check:
    requirement: str
    done: int
    total: int
    next_step: str
    target: Target
    existence: bool = False

    @property
    def applicable(self) -> bool:
        """False for a coverage check with nothing to cover: it asks for nothing yet."""
        return self.existence or self.total > 0

    @property
    def ratio(self) -> float:
        if self.total <= 0:
            return 0.0 if self.existence else 1.0
        return min(1.0, self.done / self.total)

    @property
    def met(self) -> bool:
        return self.ratio >= 1.0


@dataclass(frozen=True)
class RuleResult:
    clause: str
    title: str
    checks: tuple[Check, ...]

    @property
    def score(self) -> float:
        """The mean of the applicable checks; 1.0 when none applies."""
        ratios = [c.ratio for c in self.checks if c.applicable]
        return sum(ratios) / len(ratios) if ratios else 1.0

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def next_steps(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.met)

    @property
    def next_step(self) -> str:
        """The first unmet check's next step ('' when the clause is complete)."""
        steps = self.next_steps
        return steps[0].next_step if steps else ""


@dataclass(frozen=True)
class ThemeResult:
    theme: str
    rows: int
    settled_halves: int

    @property
    def percent(self) -> int:
        return round(100 * self.settled_halves / (2 * self.rows)) if self.rows else 0


@dataclass(frozen=True)
class Readiness:
    rules: tuple[RuleResult, ...]
    themes: tuple[ThemeResult, ...]
    clauses_percent: int
    controls_percent: int

    @property
    def overall_percent(self) -> int:
        return round((self.clauses_percent + self.controls_percent) / 2)

    def clause_percent(self, top: str) -> int:
        """The figure of a top-level clause (``"4"`` … ``"10"``): the mean of its rules."""
        mine = [r.score for r in self.rules if r.clause.split(".")[0] == top]
        return round(100 * sum(mine) / len(mine)) if mine else 0

    def next_steps(self) -> list[tuple[RuleResult, Check]]:
        return [(rule, check) for rule in self.rules for check in rule.next_steps]


def _exists(requirement: str, present: int | bool, step: str, target: Target) -> Check:
    return Check(requirement, 1 if present else 0, 1, step, target, existence=True)


def _cover(requirement: str, done: int, total: int, step: tuple[str, str], target: Target) -> Check:
    """``step`` says what is missing: (the sentence for one item, the one for ``{n}``)."""
    missing = max(0, total - done)
    one, many = step
    return Check(requirement, done, total, one if missing == 1 else many.format(n=missing), target)


def _context_rules(f: ProjectFacts) -> list[RuleResult]:
    issues = Target("context", "context")
    parties = Target("context", "parties")
    reqs = Target("context", "requirements")
    scope = Target("context", "scope")
    procs = Target("context", "processes")
    return [
        RuleResult(
            "4.1",
            "Understanding the organisation and its context",
            (
                _exists(
                    "At least one internal issue is recorded",
                    f.internal_issues,
                    "Record the internal issues that affect the ISMS",
                    Target("context", "context", (("kind", "internal"),)),
                ),
                _exists(
                    "At least one external issue is recorded",
                    f.external_issues,
                    "Record the external issues that affect the ISMS",
                    Target("context", "context", (("kind", "external"),)),
                ),
                _exists(
                    "Whether climate change is a relevant issue has been decided",
                    f.climate_answered,
                    "Decide whether climate change is a relevant issue (2024 amendment)",
                    issues,
                ),
            ),
        ),
        RuleResult(
            "4.2",
            "Interested parties and their requirements",
            (
                _exists(
                    "At least one interested party is recorded",
                    f.parties,
                    "Record the interested parties",
                    parties,
                ),
                _cover(
                    "Every party is marked relevant or not",
                    f.parties_decided,
                    f.parties,
                    (
                        "1 interested party is not yet marked relevant or not",
                        "{n} interested parties are not yet marked relevant or not",
                    ),
                    parties,
                ),
                _cover(
                    "Every relevant party has at least one requirement",
                    f.relevant_parties_with_requirement,
                    f.relevant_parties,
                    (
                        "1 relevant party has no requirement recorded",
                        "{n} relevant parties have no requirement recorded",
                    ),
                    reqs,
                ),
                _cover(
                    "Every requirement says whether the ISMS addresses it",
                    f.requirements_decided,
                    f.requirements,
                    (
                        "1 requirement does not yet say whether the ISMS addresses it",
                        "{n} requirements do not yet say whether the ISMS addresses them",
                    ),
                    reqs,
                ),
            ),
        ),
        RuleResult(
            "4.3",
            "Scope of the ISMS",
            (
                _exists(
                    "The scope statement is written",
                    f.scope_statement_written,
                    "Write the scope statement",
                    Target("context"),
                ),
                _exists(
                    "Scope elements (locations, units, processes, …) are listed",
                    f.scope_items,
                    "List the locations, units, processes and technology in scope",
                    scope,
                ),
                _cover(
                    "Every exclusion has a justification",
                    f.exclusions_justified,
                    f.exclusions,
                    (
                        "1 scope exclusion has no justification",
                        "{n} scope exclusions have no justification",
                    ),
                    Target("context", "scope", (("kind", "exclusion"),)),
                ),
            ),
        ),
        RuleResult(
            "4.4",
            "The ISMS processes and their interactions",
            (
                _exists(
                    "ISMS processes are defined", f.processes, "Define the ISMS processes", procs
                ),
                _cover(
                    "Every process has an owner",
                    f.processes_with_owner,
                    f.processes,
                    ("1 ISMS process has no owner", "{n} ISMS processes have no owner"),
                    procs,
                ),
                _exists(
                    "The interactions between processes are described",
                    f.interactions,
                    "Describe how the ISMS processes interact",
                    Target("context", "interactions"),
                ),
            ),
        ),
    ]


def _leadership_rules(f: ProjectFacts) -> list[RuleResult]:
    roles = Target("context", "roles")
    return [
        RuleResult(
            "5.1",
            "Leadership and commitment",
            (
                _exists(
                    "Top management's commitment is evidenced",
                    f.commitments,
                    "Record how top management shows its commitment",
                    Target("context", "commitments"),
                ),
            ),
        ),
        RuleResult(
            "5.2",
            "Information security policy",
            (
                _exists(
                    "An information security policy is approved",
                    f.policy_approved,
                    "Draft the information security policy and have it approved",
                    Target("documents", "documents", (("type", "policy"),)),
                ),
            ),
        ),
        RuleResult(
            "5.3",
            "Roles, responsibilities and authorities",
            (
                _exists("ISMS roles are defined", f.roles, "Define the ISMS roles", roles),
                _cover(
                    "Every role has a holder",
                    f.roles_with_holder,
                    f.roles,
                    ("1 ISMS role has nobody assigned", "{n} ISMS roles have nobody assigned"),
                    roles,
                ),
            ),
        ),
    ]


def _planning_rules(f: ProjectFacts) -> list[RuleResult]:
    risks = Target("risks", "risks")
    return [
        RuleResult(
            "6.1.2",
            "Information security risk assessment",
            (
                _exists(
                    "A risk method with acceptance criteria is defined",
                    f.risk_method_defined,
                    "Choose a risk method",
                    Target("risks"),
                ),
                _exists("Risks are identified", f.risks, "Identify the risks", risks),
                _cover(
                    "Every asset in use is covered by the risk assessment",
                    f.assets_assessed,
                    f.assets_in_scope,
                    (
                        "1 asset in use is not linked to any risk",
                        "{n} assets in use are not linked to any risk",
                    ),
                    Target("assets", "assets"),
                ),
                _cover(
                    "Every risk has likelihood and impact",
                    f.risks_scored,
                    f.risks,
                    (
                        "1 risk has no likelihood or impact yet",
                        "{n} risks have no likelihood or impact yet",
                    ),
                    risks,
                ),
            ),
        ),
        RuleResult(
            "6.1.3",
            "Information security risk treatment",
            (
                _cover(
                    "Every risk above the acceptance level has a treatment",
                    f.risks_above_acceptance_treated,
                    f.risks_above_acceptance,
                    (
                        "1 risk above the acceptance level has no treatment",
                        "{n} risks above the acceptance level have no treatment",
                    ),
                    Target("risks", "risks", (("treatment", ""),)),
                ),
                _cover(
                    "Every risk above the acceptance level has an owner",
                    f.risks_above_acceptance_with_owner,
                    f.risks_above_acceptance,
                    (
                        "1 risk above the acceptance level has no owner",
                        "{n} risks above the acceptance level have no owner",
                    ),
                    Target("risks", "risks", (("owner", ""),)),
                ),
                _cover(
                    "Every risk to be modified has a treatment action",
                    f.risks_to_modify_with_action,
                    f.risks_to_modify,
                    (
                        "1 risk to be modified has no treatment action",
                        "{n} risks to be modified have no treatment action",
                    ),
                    Target("risks", "treatment"),
                ),
                _cover(
                    "Every retained risk is accepted by its owner",
                    f.risks_retained_accepted,
                    f.risks_retained,
                    (
                        "1 retained risk is not yet accepted by its owner",
                        "{n} retained risks are not yet accepted by their owner",
                    ),
                    Target("risks", "risks", (("treatment", "retain"),)),
                ),
                _cover(
                    "Every Annex A control is decided in the SoA",
                    f.soa_decided,
                    f.soa_rows,
                    (
                        "1 control is not yet decided in the Statement of Applicability",
                        "{n} controls are not yet decided in the Statement of Applicability",
                    ),
                    Target("soa", "soa", (("applicable", ""),)),
                ),
                _cover(
                    "Every excluded control has a justification",
                    f.soa_excluded_justified,
                    f.soa_excluded,
                    (
                        "1 excluded control has no justification",
                        "{n} excluded controls have no justification",
                    ),
                    Target("soa", "soa", (("applicable", "no"),)),
                ),
            ),
        ),
        RuleResult(
            "6.2",
            "Information security objectives",
            (
                _exists(
                    "Objectives are set",
                    f.objectives,
                    "Set measurable information security objectives",
                    Target("management_review", "objectives"),
                ),
                _cover(
                    "Every objective has an owner and a due date",
                    f.objectives_planned,
                    f.objectives,
                    (
                        "1 objective has no owner or due date",
                        "{n} objectives have no owner or due date",
                    ),
                    Target("management_review", "objectives"),
                ),
            ),
        ),
    ]


def _support_rules(f: ProjectFacts) -> list[RuleResult]:
    docs = Target("documents", "documents")
    training = Target("management_review", "training")
    return [
        RuleResult(
            "7.1",
            "Resources",
            (
                _exists(
                    "The resources for the ISMS are committed",
                    f.resource_commitments,
                    "Record the resources management provides for the ISMS",
                    Target("context", "commitments", (("kind", "resources"),)),
                ),
            ),
        ),
        RuleResult(
            "7.2",
            "Competence",
            (
                _exists(
                    "Required competences are defined",
                    f.required_trainings,
                    "Define the competences and trainings each role needs",
                    Target("management_review", "competences"),
                ),
                _cover(
                    "Every active person has a training record",
                    f.people_trained,
                    f.active_people,
                    ("1 person has no training record", "{n} people have no training record"),
                    training,
                ),
            ),
        ),
        RuleResult(
            "7.3",
            "Awareness",
            (
                _exists(
                    "Awareness sessions are recorded",
                    f.people_aware,
                    "Record the awareness sessions people attended",
                    training,
                ),
                _cover(
                    "Every active person attended an awareness session",
                    f.people_aware,
                    f.active_people,
                    ("1 person has no awareness record", "{n} people have no awareness record"),
                    training,
                ),
            ),
        ),
        RuleResult(
            "7.5",
            "Documented information",
            (
                _exists("Documents are registered", f.documents, "Register your documents", docs),
                _cover(
                    "Every document has an owner",
                    f.documents_with_owner,
                    f.documents,
                    ("1 document has no owner", "{n} documents have no owner"),
                    docs,
                ),
                _cover(
                    "No document is overdue for review",
                    f.documents - f.documents_due_for_review,
                    f.documents,
                    ("1 document is overdue for review", "{n} documents are overdue for review"),
                    docs,
                ),
            ),
        ),
    ]


def _operation_rules(f: ProjectFacts) -> list[RuleResult]:
    return [
        RuleResult(
            "8.1",
            "Operational planning and control",
            (
                _exists(
                    "The actions decided in planning are scheduled",
                    f.actions,
                    "Plan the actions that treat the risks, with owners and due dates",
                    Target("risks", "treatment"),
                ),
                _cover(
                    "No open action is overdue",
                    f.open_actions - f.overdue_actions,
                    f.open_actions,
                    ("1 open action is overdue", "{n} open actions are overdue"),
                    Target("improvement", "actions", _OVERDUE_ONLY),
                ),
            ),
        ),
        RuleResult(
            "8.2",
            "Information security risk assessment (performed)",
            (
                _exists("Risks are assessed", f.risks_scored, "Assess the risks", Target("risks")),
                _cover(
                    "No risk is overdue for review",
                    f.risks - f.risks_review_overdue,
                    f.risks,
                    ("1 risk is overdue for review", "{n} risks are overdue for review"),
                    Target("risks", "risks", _OVERDUE_ONLY),
                ),
            ),
        ),
        RuleResult(
            "8.3",
            "Information security risk treatment (performed)",
            (
                _exists(
                    "A risk treatment plan exists",
                    f.treatment_actions,
                    "Plan the actions that treat the risks",
                    Target("risks", "treatment"),
                ),
                _cover(
                    "Treatment actions are completed",
                    f.treatment_actions_done,
                    f.treatment_actions,
                    (
                        "1 treatment action is not yet done",
                        "{n} treatment actions are not yet done",
                    ),
                    Target("risks", "treatment"),
                ),
                _cover(
                    "Every treated risk has a residual rating",
                    f.treated_risks_with_residual,
                    f.treated_risks,
                    (
                        "1 treated risk has no residual likelihood and impact",
                        "{n} treated risks have no residual likelihood and impact",
                    ),
                    Target("risks", "risks"),
                ),
            ),
        ),
    ]


def _evaluation_rules(f: ProjectFacts) -> list[RuleResult]:
    metrics = Target("management_review", "metrics")
    return [
        RuleResult(
            "9.1",
            "Monitoring, measurement, analysis and evaluation",
            (
                _exists("Metrics are defined", f.metrics, "Define what you measure", metrics),
                _cover(
                    "Every metric is measured on time",
                    f.metrics_measured,
                    f.metrics,
                    (
                        "1 metric is due for a new measurement",
                        "{n} metrics are due for a new measurement",
                    ),
                    metrics,
                ),
            ),
        ),
        RuleResult(
            "9.2",
            "Internal audit",
            (
                _exists(
                    "An audit programme is planned",
                    f.audits,
                    "Plan the internal audit programme",
                    Target("audits", "audits"),
                ),
                _exists(
                    "An internal audit has been completed",
                    f.audits_completed,
                    "Carry out the first internal audit",
                    Target("audits", "audits"),
                ),
            ),
        ),
        RuleResult(
            "9.3",
            "Management review",
            (
                _exists(
                    "A management review has been held",
                    f.reviews_held,
                    "Hold the management review",
                    Target("management_review", "reviews"),
                ),
            ),
        ),
    ]


def _improvement_rules(f: ProjectFacts) -> list[RuleResult]:
    ncs = Target("improvement", "nonconformities")
    return [
        RuleResult(
            "10.1",
            "Continual improvement",
            (
                _exists(
                    "Improvements are being pursued",
                    f.improvement_actions,
                    "Record improvement actions (from audits, reviews, incidents)",
                    Target("improvement", "actions"),
                ),
                _cover(
                    "No corrective action is overdue",
                    f.improvement_actions - f.overdue_corrective_actions,
                    f.improvement_actions,
                    ("1 improvement action is overdue", "{n} improvement actions are overdue"),
                    Target("improvement", "actions", _OVERDUE_ONLY),
                ),
            ),
        ),
        RuleResult(
            "10.2",
            "Nonconformity and corrective action",
            (
                _cover(
                    "Every nonconformity has a root cause",
                    f.nonconformities_with_cause,
                    f.nonconformities,
                    (
                        "1 nonconformity has no root cause analysis",
                        "{n} nonconformities have no root cause analysis",
                    ),
                    ncs,
                ),
                _cover(
                    "Every nonconformity has a corrective action",
                    f.nonconformities_with_action,
                    f.nonconformities,
                    (
                        "1 nonconformity has no corrective action",
                        "{n} nonconformities have no corrective action",
                    ),
                    ncs,
                ),
                _cover(
                    "Every closed nonconformity was verified effective",
                    f.nonconformities_closed_verified,
                    f.nonconformities_closed,
                    (
                        "1 closed nonconformity was not verified effective",
                        "{n} closed nonconformities were not verified effective",
                    ),
                    ncs,
                ),
            ),
        ),
    ]


def evaluate(facts: ProjectFacts) -> Readiness:
    rules = tuple(
        _context_rules(facts)
        + _leadership_rules(facts)
        + _planning_rules(facts)
        + _support_rules(facts)
        + _operation_rules(facts)
        + _evaluation_rules(facts)
        + _improvement_rules(facts)
    )
    themes = tuple(
        ThemeResult(t, facts.theme_rows.get(t, 0), facts.theme_settled_halves.get(t, 0))
        for t in THEMES
    )
    clauses = round(100 * sum(r.score for r in rules) / len(rules))
    rows = sum(t.rows for t in themes)
    halves = sum(t.settled_halves for t in themes)
    controls = round(100 * halves / (2 * rows)) if rows else 0
    return Readiness(rules=rules, themes=themes, clauses_percent=clauses, controls_percent=controls)


__all__ = [
    "THEMES",
    "Check",
    "ProjectFacts",
    "Readiness",
    "RuleResult",
    "Target",
    "ThemeResult",
    "evaluate",
]
