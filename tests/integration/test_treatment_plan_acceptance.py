"""The risk treatment plan PDF says what the risks record of acceptance (6.1.3 f), no more.

It used to state "the risk owners approved the plan and accepted the residual risks" whatever
the project held. Now it counts the risks whose owner accepted the residual risk (who and when
recorded), names those still awaiting acceptance by owner, and prints who accepted each risk
when; read back from real project files with pypdf.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import registers
from isms_desktop.storage.project_file import open_project


def _report_text(path: Path, out: Path) -> str:
    with open_project(path, read_only=True) as project:
        make_report(project, "treatment-plan", out, options=ReportOptions())
    pages = PdfReader(out, strict=True).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def test_plan_counts_the_accepted_residual_risks_and_names_those_awaiting(
    project_path: Path, tmp_path: Path
) -> None:
    with open_project(project_path) as project:
        registers.create(project, "people", {"code": "P-001", "name": "Ann Owner"})
        registers.create(project, "people", {"code": "P-002", "name": "Bob Owner"})
        for code, owner, by, on, status in (
            ("R-001", "P-001", "P-001", dt.date(2026, 5, 4), "accepted"),
            ("R-002", "P-001", None, None, "treatment_planned"),
            ("R-003", "P-002", None, None, "treated"),
            ("R-004", "P-002", "P-002", None, "treated"),  # who, but not when: not recorded
            ("R-005", None, None, None, "assessed"),
            ("R-006", "P-002", None, None, "closed"),
        ):
            registers.create(
                project,
                "risks",
                {
                    "code": code,
                    "title": f"Risk {code}",
                    "owner": owner,
                    "accepted_by": by,
                    "accepted_on": on,
                    "status": status,
                },
            )
    text = _report_text(project_path, tmp_path / "plan.pdf")

    assert "approved the plan" not in text
    assert (
        "the owners of 1 of the 5 current risks accepted the residual risk; 4 await "
        "acceptance (Ann Owner: R-002; Bob Owner: R-003, R-004; no risk owner: R-005). "
        "1 closed risk is not counted. Approval of the plan itself by the risk owners is not "
        "recorded here." in text
    )
    # the table of risks shows who accepted when, and the others as awaiting
    assert "Accepted" in text and "Ann Owner Ann Owner 2026-05-04" in text
    assert text.count("Awaiting") == 5  # R-002 … R-006 (closed risks are listed too)


def test_plan_of_a_project_without_risks_claims_no_acceptance(
    project_path: Path, tmp_path: Path
) -> None:
    text = _report_text(project_path, tmp_path / "empty.pdf")
    assert "No current risks are recorded, so no residual risk awaits acceptance." in text
    assert "approved" not in text and "accepted the residual" not in text


def test_demo_plan_names_its_risks_awaiting_acceptance(demo_path: Path, tmp_path: Path) -> None:
    with open_project(demo_path, read_only=True) as project:
        risks = registers.list_rows(project, "risks")
    done = [r.code for r in risks if r.values.get("accepted_by") and r.values.get("accepted_on")]
    text = _report_text(demo_path, tmp_path / "demo.pdf")
    assert done and len(done) < len(risks)
    assert (
        f"the owners of {len(done)} of the {len(risks)} current risks accepted the residual "
        f"risk; {len(risks) - len(done)} await acceptance (" in text
    )
    summary = text[text.index("await acceptance (") : text.index("Approval of the plan")]
    waiting = {r.code for r in risks} - set(done)
    assert {code for code in waiting if code in summary} == waiting
    assert not [code for code in done if f"{code}," in summary or f"{code})" in summary]
