"""The risk wizard's "make them applicable in the SoA as well": the risk and the SoA entries
it includes are written in one transaction, logged in the change log, and nothing is
written when the risk is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import registers, risk_wizard
from isms_desktop.services.history import record_history
from isms_desktop.storage.project_file import open_project


def _draft(**changes: object) -> risk_wizard.RiskDraft:
    draft = risk_wizard.RiskDraft(
        assets=["A-024"],
        threat="Theft of equipment",
        vulnerability="Unattended equipment",
        inherent_likelihood=3,
        inherent_impact=3,
        treatment="modify",
        controls=["8.30", "8.1", "7.4"],
        residual_likelihood=2,
        residual_impact=2,
    )
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


@pytest.mark.parametrize(
    ("status", "justification", "expected"),
    [
        (
            "not_applicable",
            "No office of our own",
            {"applicable": True, "status": "planned", "justification": ""},
        ),
        ("", "", {"applicable": True, "status": "planned"}),
        (None, "  ", {"applicable": True, "status": "planned"}),
        ("implemented", "Covered by the landlord", {"applicable": True, "justification": ""}),
        ("partially_implemented", "", {"applicable": True}),
    ],
)
def test_what_including_an_excluded_control_sets(
    status: str | None, justification: str, expected: dict[str, object]
) -> None:
    assert risk_wizard.soa_inclusion(status, justification) == expected


def test_the_risk_and_the_included_controls_are_one_logged_change(demo_path: Path) -> None:
    project = open_project(demo_path)
    try:
        before = {c: registers.get(project, "soa", c).values for c in ("7.4", "8.30", "8.1")}
        assert before["8.1"]["applicable"] is True

        recorded = risk_wizard.create_risk(project, _draft(), include=["8.30", "7.4", "8.1"])

        risk = registers.get(project, "risks", recorded.risk.code)
        assert risk.values["controls"] == ["7.4", "8.1", "8.30"]
        # only the excluded ones change, in the order given; 8.1 (applicable) is untouched
        assert [(c.code, c.field, c.new) for c in recorded.included] == [
            ("8.30", "applicable", True),
            ("8.30", "status", "planned"),
            ("8.30", "justification", ""),
            ("7.4", "applicable", True),
            ("7.4", "status", "planned"),
            ("7.4", "justification", ""),
        ]
        after = registers.get(project, "soa", "8.1").values
        assert after["risks"] == [*before["8.1"]["risks"], recorded.risk.code]
        assert {**after, "risks": None} == {**before["8.1"], "risks": None}
        for code in ("7.4", "8.30"):
            now = registers.get(project, "soa", code).values
            assert (now["applicable"], now["status"], now["justification"]) == (
                True,
                "planned",
                "",
            )
            assert recorded.risk.code in now["risks"]
            logged = {(e.field, e.old, e.new) for e in record_history(project, "soa", code)}
            assert ("justification", before[code]["justification"], "") in logged
            assert any(field == "applicable" for field, _old, _new in logged)
    finally:
        project.close()


def test_a_refused_risk_leaves_the_soa_as_it_was(demo_path: Path) -> None:
    project = open_project(demo_path)
    try:
        soa_before = {row.code: row.values for row in registers.list_rows(project, "soa")}
        risks_before = registers.count(project, "risks")
        with pytest.raises(IsmsError, match="A-999"):
            risk_wizard.create_risk(project, _draft(assets=["A-999"]), include=["7.4", "8.30"])
        assert registers.count(project, "risks") == risks_before
        soa_after = {row.code: row.values for row in registers.list_rows(project, "soa")}
        assert soa_after == soa_before
    finally:
        project.close()


def test_without_include_the_soa_is_not_changed(demo_path: Path) -> None:
    project = open_project(demo_path)
    try:
        recorded = risk_wizard.create_risk(project, _draft())
        assert recorded.included == ()
        assert registers.get(project, "soa", "7.4").values["applicable"] is False
    finally:
        project.close()
