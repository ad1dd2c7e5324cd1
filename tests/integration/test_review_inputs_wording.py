"""Management review inputs (9.3.2) in the registers' words, read back from the review PDF.

A real project file: an audit with findings of every kind and nonconformities in several
states of the corrective-action workflow; the inputs compiled by the service and printed by
the review report must say "Opportunity for improvement" and "2 minor nonconformities", not
the stored "ofi" and "minor_nc", and the nonconformity summary must count every status the
rows beside it show.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import reviews
from isms_desktop.storage.models import Audit, Finding, Nonconformity, Person
from isms_desktop.storage.project_file import Project, open_project

D = dt.date
START, END = D(2026, 1, 1), D(2026, 6, 30)
NC_STATES = (  # code, severity, status, effective
    ("NC-1", "major", "closed", True),
    ("NC-2", "minor", "verified", True),
    ("NC-3", "minor", "implemented", None),
    ("NC-4", "minor", "action_planned", None),
    ("NC-5", "minor", "action_planned", None),
)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as opened:
        with opened.transaction() as s:
            s.add(Person(code="P-001", name="Ann Owner", role="ISO"))
            audit = Audit(
                code="AU-1",
                title="Access and backup",
                planned_start=D(2026, 3, 2),
                planned_end=D(2026, 3, 3),
                status="completed",
            )
            s.add(audit)
            s.flush()
            for code, kind in (
                ("F-1", "major_nc"),
                ("F-2", "minor_nc"),
                ("F-3", "minor_nc"),
                ("F-4", "observation"),
                ("F-5", "ofi"),
            ):
                s.add(
                    Finding(
                        code=code,
                        audit_id=audit.id,
                        kind=kind,
                        requirement="6.1.2 b",
                        description=f"finding {code}",
                    )
                )
            for code, severity, status, effective in NC_STATES:
                s.add(
                    Nonconformity(
                        code=code,
                        source="audit",
                        severity=severity,
                        description=f"nonconformity {code}",
                        raised_on=D(2026, 3, 4),
                        status=status,
                        effective=effective,
                    )
                )
        yield opened


def _pdf_text(project: Project, code: str, out: Path) -> str:
    make_report(project, f"management-review:{code}", out, options=ReportOptions())
    return "\n".join(page.extract_text() or "" for page in PdfReader(out, strict=True).pages)


def test_review_inputs_say_the_registers_labels_and_count_every_status(
    project: Project, tmp_path: Path
) -> None:
    review = reviews.create_review(project, "Review 2026", END, period_start=START)
    raw = _pdf_text(project, review.code, tmp_path / "review.pdf")
    text = " ".join(raw.split())

    # d3: the audit's summary and its findings as the findings register labels them
    assert (
        "1 internal audit in the period, with 1 major nonconformity, 2 minor "
        "nonconformities, 1 observation and 1 opportunity for improvement." in text
    )
    assert (
        "Access and backup (completed): 1 major nonconformity, 2 minor nonconformities, "
        "1 observation, 1 opportunity for improvement" in text
    )
    assert "F-5 Opportunity for improvement (6.1.2 b): finding F-5" in text
    assert "F-2 Minor nonconformity (6.1.2 b): finding F-2" in text
    # g: the opportunity again, by its label
    assert "F-5 Opportunity for improvement: finding F-5" in text
    for code in ("Ofi", "ofi", "minor nc", "major nc", "Minor nc", "Major nc", "minor_nc"):
        assert not re.search(rf"\b{code}\b", text), code

    # d1: the summary counts every status the rows show, and nothing else
    summary = re.search(r"5 nonconformities raised in the period \(([^)]*)\)", text)
    assert summary, text
    assert summary.group(1) == (
        "2 action planned, 1 implemented, 1 verified, 1 closed; the effectiveness of 2 verified"
    )
    # the rows beside it: "NC-4 Minor nonconformity (audit): … — action planned Action planned"
    rows = re.findall(r"^(NC-\d) .* — ([a-z ]+?) ([A-Z][a-z ]+)$", raw, flags=re.MULTILINE)
    assert [(code, shown) for code, _said, shown in rows] == [
        ("NC-1", "Closed"),
        ("NC-2", "Verified"),
        ("NC-3", "Implemented"),
        ("NC-4", "Action planned"),
        ("NC-5", "Action planned"),
    ]
    assert all(said.capitalize() == shown for _code, said, shown in rows)
    # each row with its day (raised on), as the review page shows it
    assert (
        "NC-4 2026-03-04 Minor nonconformity (audit): nonconformity NC-4 — action planned" in text
    )
    assert "action_planned" not in text


def test_an_empty_period_says_so_without_an_empty_status_list(project: Project) -> None:
    inputs = reviews.compile_inputs(project, D(2024, 1, 1), D(2024, 6, 30))
    d1 = inputs["sections"]["d1"]["text"]
    assert d1.startswith("0 nonconformities raised in the period; 0 corrective actions")
    assert inputs["sections"]["d3"]["text"] == "No internal audit took place in the period."
    assert inputs["sections"]["b"]["text"] == "No issues are recorded yet."  # not "all 0 …"


def test_when_no_nonconformity_is_verified_yet_the_summary_says_so(
    project: Project, tmp_path: Path
) -> None:
    with project.transaction() as s:
        for nc in s.query(Nonconformity):
            nc.effective = None
            nc.status = "action_planned"
    review = reviews.create_review(project, "Review 2026", END, period_start=START)
    text = " ".join(_pdf_text(project, review.code, tmp_path / "review.pdf").split())
    assert "5 action planned; the effectiveness of none verified yet" in text
    assert "verified for 0" not in text
