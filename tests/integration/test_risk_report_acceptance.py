"""The risk assessment PDF names the residual risks above the acceptance level (6.1.3 f).

The "Risk acceptance" section used to list only the acceptances recorded: a risk whose
residual level stayed above what may be accepted, and that nobody accepted, did not appear
in it at all, which is the first thing an auditor asks about. Read back from real files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import registers
from isms_desktop.storage.project_file import open_project


def _acceptance_text(path: Path, out: Path) -> str:
    with open_project(path, read_only=True) as project:
        make_report(project, "risks", out, options=ReportOptions())
    text = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(out, strict=True).pages).split()
    )
    return text[text.rindex("Risk acceptance") :]


def test_the_demos_residual_risk_above_medium_is_listed_as_not_accepted(
    demo_path: Path, tmp_path: Path
) -> None:
    with open_project(demo_path, read_only=True) as project:
        rows = {r.code: r for r in registers.list_rows(project, "risks")}
    assert rows["R-003"].values["residual_level"] == "high"  # above the demo's Medium
    assert not rows["R-003"].values["accepted_by"]

    text = _acceptance_text(demo_path, tmp_path / "risks.pdf")

    assert "Risks up to Medium may be accepted" in text
    assert "Residual risk above Medium" in text
    assert "1 open risk has a residual level above Medium; it is not accepted:" in text
    above = text[text.index("Residual risk above Medium") : text.index("Acceptances recorded")]
    assert "R-003" in above and "Not accepted" in above
    assert "R-001" not in above  # residual Medium: acceptable
    assert "R-011" in text[text.index("Acceptances recorded") :]


def test_an_acceptance_recorded_is_shown_with_the_risk_above_the_level(
    demo_path: Path, tmp_path: Path
) -> None:
    with open_project(demo_path) as project:
        registers.update(project, "risks", "R-003", "accepted_by", "P-003")
        registers.update(project, "risks", "R-003", "accepted_on", dt.date(2026, 11, 30))
        # closed risks are not open risks: not listed above the level
        registers.update(project, "risks", "R-009", "residual_likelihood", 5)
        registers.update(project, "risks", "R-009", "status", "closed")

    text = _acceptance_text(demo_path, tmp_path / "risks.pdf")

    assert "1 open risk has a residual level above Medium; it was accepted explicitly." in text
    above = text[text.index("Residual risk above Medium") : text.index("Acceptances recorded")]
    assert "Priya Nair on 2026-11-30" in above
    assert "Not accepted" not in above and "R-009" not in above


def test_a_project_without_risks_has_nothing_above_the_level(
    project_path: Path, tmp_path: Path
) -> None:
    text = _acceptance_text(project_path, tmp_path / "empty.pdf")
    assert "No open risk has a residual level above" in text
    assert "No risk acceptances recorded." in text


def test_the_count_of_risks_above_the_level_reads_as_a_sentence(
    demo_path: Path, tmp_path: Path
) -> None:
    with open_project(demo_path) as project:
        registers.update(project, "risks", "R-001", "residual_likelihood", 5)
        registers.update(project, "risks", "R-001", "residual_impact", 5)
    text = _acceptance_text(demo_path, tmp_path / "two.pdf")
    assert "2 open risks have a residual level above Medium; none of them is accepted:" in text
    with open_project(demo_path) as project:
        registers.update(project, "risks", "R-001", "accepted_by", "P-003")
        registers.update(project, "risks", "R-001", "accepted_on", dt.date(2026, 11, 30))
    text = _acceptance_text(demo_path, tmp_path / "one.pdf")
    assert "2 open risks have a residual level above Medium; 1 of them is not accepted:" in text
