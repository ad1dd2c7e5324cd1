"""When a management review's inputs were compiled (9.3.2), on real project files.

A review recorded after it was prepared states the day its inputs were compiled, on or before
the meeting, and reports no event dated after that day; the demo's past review does so, with
its nonconformities as they stood then. Read back from the review PDF with pypdf.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import registers, reviews
from isms_desktop.storage.models import Nonconformity
from isms_desktop.storage.project_file import open_project

D = dt.date


def _review_pdf(path: Path, code: str, out: Path) -> str:
    with open_project(path, read_only=True) as project:
        make_report(project, f"management-review:{code}", out, options=ReportOptions())
    return "\n".join(page.extract_text() or "" for page in PdfReader(out, strict=True).pages)


def test_a_review_states_the_day_its_inputs_were_compiled(
    project_path: Path, tmp_path: Path
) -> None:
    with open_project(project_path) as project:
        with project.transaction() as s:
            s.add(Nonconformity(code="NC-1", description="known", raised_on=D(2026, 3, 2)))
            s.add(Nonconformity(code="NC-2", description="later", raised_on=D(2026, 3, 20)))
        review = reviews.create_review(
            project,
            "Review",
            D(2026, 3, 31),
            period_start=D(2026, 1, 1),
            compiled_on=D(2026, 3, 10),
        )
        assert review.inputs["compiled_on"] == "2026-03-10"
        with pytest.raises(RejectedInputError, match="still to come"):
            reviews.create_review(
                project,
                "Tomorrow's",
                D(2026, 3, 31),
                compiled_on=dt.date.today() + dt.timedelta(days=1),
            )
        today = reviews.compile_inputs(project, D(2026, 1, 1), D(2026, 3, 31))
        assert today["compiled_on"] == dt.date.today().isoformat()
    text = " ".join(_review_pdf(project_path, review.code, tmp_path / "r.pdf").split())
    assert "Period reviewed: 2026-01-01 – 2026-03-31; inputs compiled on 2026-03-10." in text
    # raised after the inputs were compiled: not known then, so not reported
    assert "NC-1 " in text and "NC-2" not in text
    assert "1 nonconformity raised in the period (1 open;" in text


def test_demo_review_inputs_were_compiled_before_its_meeting(
    demo_path: Path, tmp_path: Path
) -> None:
    with open_project(demo_path, read_only=True) as project:
        (review,) = registers.list_rows(project, "reviews")
        meeting = review.values["date"]
        ncs = registers.list_rows(project, "nonconformities")
        verified = {r.code: r.values["verified_on"] for r in ncs if r.values.get("verified_on")}
        start = review.values["period_start"]
    assert meeting < dt.date.today() and verified
    raw = _review_pdf(demo_path, review.code, tmp_path / "demo.pdf")
    text = " ".join(raw.split())
    found = re.search(r"inputs compiled on (\d{4}-\d\d-\d\d)\.", text)
    assert found, text[:2000]
    compiled = dt.date.fromisoformat(found.group(1))
    assert meeting - dt.timedelta(days=14) <= compiled <= meeting
    # nonconformities verified after the inputs were compiled were not verified then
    assert all(day > compiled for day in verified.values())
    # the demo's own records say which were raised by then (one raised from an incident
    # is raised on the day the demo is built, after the meeting)
    raised = sorted(
        r.code
        for r in ncs
        if r.values.get("raised_on") and start <= r.values["raised_on"] <= compiled
    )
    assert len(raised) >= 3
    d1 = text[text.index("9.3.2 d 1") : text.index("9.3.2 d 2")]
    n = len(raised)
    assert f"{n} nonconformities raised in the period ({n} action planned;" in d1
    assert not re.search(r"\b(Verified|Closed|verified effective)\b", d1)
    assert re.findall(r"NC-00\d", d1) == raised
