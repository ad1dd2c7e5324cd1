"""Pure audit rules: scope matching, checklist generation, coverage, NC and incident flows."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain.audit_checklist import (
    RESULTS,
    ClauseQuestions,
    ControlInfo,
    generate_checklist,
    parse_result,
    parse_scope,
    within,
)
from isms_desktop.domain.audit_incidents import (
    IncidentFacts,
    IncidentTransitionError,
    check_incident_transition,
    notification_deadline,
    notification_state,
)
from isms_desktop.domain.audit_nonconformity import (
    NC_FLOW,
    ActionFacts,
    NcFacts,
    NcTransitionError,
    allowed_targets,
    check_nc_transition,
    root_cause_from_whys,
)
from isms_desktop.domain.audit_programme import (
    AuditScope,
    AuditTransitionError,
    check_audit_transition,
    coverage,
    cycle_bounds,
)

REQS = (
    ClauseQuestions("6.1.2 a", "6.1.2", "", ("Q1", "Q2")),
    ClauseQuestions("9.2.1 a", "9.2.1", "", ("Q3",)),
    ClauseQuestions("9.2.2", "9.2.2", "", ("Q4",)),
    ClauseQuestions("9.3.1", "9.3.1", "", ("Q5",)),
)
CONTROLS = (
    ControlInfo("5.1", "Policies", True),
    ControlInfo("5.10", "Acceptable use", True),
    ControlInfo("7.4", "Physical monitoring", False),
    ControlInfo("8.13", "Backup", True, "Daily backups"),
    ControlInfo("8.14", "Redundancy", None),
)


def test_scope_matches_whole_dotted_parts() -> None:
    assert within("9.2.1", ["9.2"])
    assert within("5.10", ["5"])
    assert not within("5.10", ["5.1"])
    assert within("5.15", ["A.5.15"])
    assert parse_scope(["A.5.1, A 8.13", "9.2.*"]) == ["5.1", "8.13", "9.2"]


def test_checklist_has_clause_questions_in_scope_only() -> None:
    items = generate_checklist(REQS, CONTROLS, ["9.2"], [])
    assert [i.ref for i in items] == ["9.2.1 a", "9.2.2"]


def test_checklist_has_only_applicable_controls_in_scope() -> None:
    items = generate_checklist(REQS, CONTROLS, [], ["5", "7", "8"])
    refs = [i.ref for i in items]
    # 7.4 is excluded in the SoA and 8.14 undecided: neither is asked about
    assert refs == ["A.5.1", "A.5.10", "A.8.13"]
    assert "Daily backups" in items[-1].question
    assert generate_checklist(REQS, CONTROLS, [], ["5.1"])[0].ref == "A.5.1"
    assert len(generate_checklist(REQS, CONTROLS, [], ["5.1"])) == 1


def test_results_parse_codes_labels_and_shorthands() -> None:
    assert parse_result("Minor nonconformity") == "minor_nc"
    assert parse_result("OFI") == "ofi"
    assert parse_result("n/a") == "not_audited"
    assert parse_result("") == ""
    with pytest.raises(ValueError, match="must be one of"):
        parse_result("great")


@given(st.text(max_size=20))
def test_parse_result_returns_a_result_or_refuses(text: str) -> None:
    try:
        value = parse_result(text)
    except ValueError:
        return
    assert value in (*RESULTS, "")


def test_coverage_marks_audited_planned_and_missing() -> None:
    audits = [
        AuditScope("AU-1", "completed", dt.date(2025, 1, 1), ("9.2",), ("5",)),
        AuditScope("AU-2", "planned", dt.date(2026, 1, 1), ("6",), ()),
        AuditScope("AU-3", "cancelled", dt.date(2026, 1, 1), ("9.3",), ("8",)),
    ]
    cov = coverage(
        [("6.1.2", "Risk"), ("9.2.1", "Audit"), ("9.3.1", "Review")],
        [("5.1", "Policies"), ("8.13", "Backup")],
        audits,
    )
    states = {i.number: i.state for i in cov.items}
    assert states == {
        "6.1.2": "planned",
        "9.2.1": "audited",
        "9.3.1": "not_covered",
        "5.1": "audited",
        "8.13": "not_covered",
    }
    assert cov.missing("clause") == ["9.3.1"]
    assert cov.percent("control") == 50
    assert cov.percent("clause", planned_counts=False) == 33


def test_audit_flow() -> None:
    check_audit_transition("planned", "in_progress")
    with pytest.raises(AuditTransitionError):
        check_audit_transition("planned", "completed")
    with pytest.raises(AuditTransitionError, match="3 checklist item"):
        check_audit_transition("in_progress", "completed", unanswered=3)
    assert cycle_bounds(dt.date(2024, 2, 29)) == (dt.date(2024, 2, 29), dt.date(2027, 2, 27))


def _facts(status: str, **kw: object) -> NcFacts:
    return NcFacts(code="NC-1", status=status, **kw)  # type: ignore[arg-type]


def test_nc_flow_refuses_skipping_and_missing_facts() -> None:
    with pytest.raises(NcTransitionError, match="next step is cause analysed"):
        check_nc_transition(_facts("open", root_cause="x"), "action_planned")
    with pytest.raises(NcTransitionError, match="root cause"):
        check_nc_transition(_facts("open"), "cause_analysed")
    check_nc_transition(_facts("open", root_cause="x"), "cause_analysed")
    with pytest.raises(NcTransitionError, match="at least one"):
        check_nc_transition(_facts("cause_analysed"), "action_planned")
    vague = (ActionFacts("AC-1", "open", None, None),)
    with pytest.raises(NcTransitionError, match="owner"):
        check_nc_transition(_facts("cause_analysed", actions=vague), "action_planned")
    planned = (ActionFacts("AC-1", "open", "P-1", dt.date(2030, 1, 1)),)
    check_nc_transition(_facts("cause_analysed", actions=planned), "action_planned")
    with pytest.raises(NcTransitionError, match="not done"):
        check_nc_transition(_facts("action_planned", actions=planned), "implemented")
    done = (ActionFacts("AC-1", "done", "P-1", dt.date(2030, 1, 1)),)
    check_nc_transition(_facts("action_planned", actions=done), "implemented")
    with pytest.raises(NcTransitionError, match="who verified"):
        check_nc_transition(_facts("implemented", actions=done), "verified")
    verified = {
        "verified_by": "P-2",
        "verified_on": dt.date(2030, 2, 1),
        "verification": "sampled",
        "actions": done,
    }
    with pytest.raises(NcTransitionError, match="not found effective"):
        check_nc_transition(_facts("implemented", effective=False, **verified), "verified")
    check_nc_transition(_facts("implemented", effective=False, **verified), "action_planned")
    check_nc_transition(_facts("implemented", effective=True, **verified), "verified")
    with pytest.raises(NcTransitionError):
        check_nc_transition(_facts("implemented", effective=True, **verified), "action_planned")
    check_nc_transition(_facts("verified"), "closed")
    with pytest.raises(NcTransitionError, match="closed"):
        check_nc_transition(_facts("closed"), "open")


def test_allowed_targets_and_whys() -> None:
    assert allowed_targets(_facts("open", root_cause="because")) == ["cause_analysed"]
    assert allowed_targets(_facts("open")) == []
    assert NC_FLOW[0] == "open" and NC_FLOW[-1] == "closed"
    assert root_cause_from_whys(["a", " b ", "  "]) == "b"


def test_72_hour_deadline() -> None:
    detected = dt.datetime(2025, 3, 1, 14, 30)
    assert notification_deadline(detected, True) == dt.datetime(2025, 3, 4, 14, 30)
    assert notification_deadline(detected, False) is None
    assert notification_deadline(None, True) is None
    soon = notification_state(detected, True, None, dt.datetime(2025, 3, 4, 2, 30))
    assert soon.state == "due" and soon.hours_left == pytest.approx(12)
    assert "2025-03-04 14:30" in soon.text
    late = notification_state(detected, True, None, dt.datetime(2025, 3, 4, 14, 31))
    assert late.state == "overdue"
    assert notification_state(detected, True, detected, detected).state == "on_time"
    notified = dt.datetime(2025, 3, 5)
    assert notification_state(detected, True, notified, notified).state == "late"
    assert notification_state(detected, False, None, detected).state == "not_required"
    assert notification_state(detected, None, None, detected).state == "unknown"


def test_incident_flow() -> None:
    facts = IncidentFacts("INC-1", "open")
    with pytest.raises(IncidentTransitionError, match="next step is contained"):
        check_incident_transition(facts, "resolved")
    check_incident_transition(facts, "contained")
    resolved = IncidentFacts("INC-1", "resolved", notification_required=True)
    with pytest.raises(IncidentTransitionError, match="lessons"):
        check_incident_transition(resolved, "closed")
    with pytest.raises(IncidentTransitionError, match="notification"):
        check_incident_transition(
            IncidentFacts("INC-1", "resolved", "learned", True, None), "closed"
        )
    check_incident_transition(
        IncidentFacts("INC-1", "resolved", "learned", True, dt.datetime(2025, 1, 1)), "closed"
    )
