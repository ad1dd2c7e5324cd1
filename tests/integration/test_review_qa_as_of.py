"""A management review recorded after its meeting shows the records as they stood then.

A review held on 2026-10-01 but entered weeks later compiled its inputs (9.3.2) from the
records as they were on the day it was entered: a nonconformity verified in November showed
as verified, a risk treated since as low, an issue added since as an input. Now the inputs
show the records of the meeting: events by the dates on the records, other values (statuses,
levels, progress, targets) as the project's change log had them that day; and the review
and its PDF say as of which day the inputs show the records, and how they were read.

Real project files; the change log's clock is set to past days while the project is kept
(the log is the application's own: entries are only ever appended).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.services import reviews
from isms_desktop.storage import audit_trail
from isms_desktop.storage.models import (
    Action,
    Audit,
    ChangeLog,
    ContextIssue,
    Measurement,
    Metric,
    Nonconformity,
    Objective,
    Person,
    Risk,
)
from isms_desktop.storage.project_file import Project, open_project

D = dt.date
MEETING = D(2026, 10, 1)
START = D(2026, 1, 1)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Set the day the change log writes its entries on (noon UTC of that day)."""
    day: list[dt.datetime] = []
    original = audit_trail._Writer.__init__

    def init(self: audit_trail._Writer, session: object) -> None:
        original(self, session)  # type: ignore[arg-type]
        if day:
            self.now = day[-1]

    monkeypatch.setattr(audit_trail._Writer, "__init__", init)
    return lambda when: day.append(dt.datetime.combine(when, dt.time(12)))


def _set(project: Project, model: type, code: str, **values: object) -> None:
    with project.transaction() as s:
        row = s.query(model).filter_by(code=code).one()
        for name, value in values.items():
            setattr(row, name, value)


@pytest.fixture
def kept(project_path: Path, clock: Callable[[dt.date], None]) -> Iterator[Project]:
    """A project kept in the application through 2026: before, at and after the meeting."""
    with open_project(project_path) as project:
        clock(D(2026, 5, 20))
        with project.transaction() as s:
            s.add(Person(code="P-001", name="Ann Owner", role="ISO"))
            s.add(
                Nonconformity(
                    code="NC-1",
                    description="Backups not tested",
                    raised_on=D(2026, 5, 20),
                    status="open",
                )
            )
            s.add(
                Risk(
                    code="R-1",
                    title="Ransomware on the file server",
                    inherent_level="high",
                    residual_level="high",
                    status="assessed",
                )
            )
            s.add(
                Action(
                    code="TA-1",
                    source="treatment",
                    title="Offline backup copy",
                    due_date=D(2026, 9, 1),
                    status="open",
                )
            )
            s.add(
                Objective(
                    code="OBJ-1",
                    objective="Patch servers within 14 days",
                    status="on_track",
                    progress=40,
                )
            )
            s.add(ContextIssue(code="CI-1", kind="internal", description="Small IT team"))
            metric = Metric(code="M-1", name="Backups tested", unit="%", target=95.0)
            s.add(metric)
            s.flush()
            s.add(Measurement(metric_id=metric.id, date=D(2026, 6, 30), value=92.0))
            s.flush()
        clock(D(2026, 9, 15))
        _set(project, Nonconformity, "NC-1", status="action_planned")
        _set(project, Objective, "OBJ-1", progress=60)
        clock(D(2026, 11, 10))  # after the meeting
        _set(
            project,
            Nonconformity,
            "NC-1",
            status="verified",
            verified_on=D(2026, 11, 5),
            effective=True,
        )
        _set(project, Action, "TA-1", status="done", completed_on=D(2026, 11, 8))
        _set(project, Risk, "R-1", residual_level="low")
        _set(project, Objective, "OBJ-1", status="achieved", progress=100)
        _set(project, Metric, "M-1", target=90.0)
        with project.transaction() as s:
            s.add(ContextIssue(code="CI-2", kind="external", description="New supplier law"))
            s.add(Risk(code="R-2", title="Supplier breach", residual_level="medium"))
            s.flush()  # the audit trail logs records created only once flushed
        yield project


def _items(inputs: dict[str, object], key: str) -> dict[str, dict[str, object]]:
    sections = inputs["sections"]
    assert isinstance(sections, dict)
    return {str(i["ref"]): i for i in sections[key]["items"]}


def _text(inputs: dict[str, object], key: str) -> str:
    sections = inputs["sections"]
    assert isinstance(sections, dict)
    return str(sections[key]["text"])


def test_a_review_entered_after_its_meeting_shows_the_records_of_the_meeting(
    kept: Project, tmp_path: Path
) -> None:
    review = reviews.create_review(kept, "Review 2026", MEETING, period_start=START)
    inputs = review.inputs
    today = dt.date.today().isoformat()
    assert inputs["compiled_on"] == today and inputs["read_on"] == today
    assert inputs["as_of"] == MEETING.isoformat()
    assert "as the records stood on 2026-10-01" in inputs["as_of_note"]

    # d1: the nonconformity was still being worked on at the meeting (verified in November)
    nc = _items(inputs, "d1")["NC-1"]
    assert nc["status"] == "action_planned"
    assert "the effectiveness of none verified yet" in _text(inputs, "d1")
    # f: the risk was high, the second risk not identified yet, the action open and overdue
    f_text = _text(inputs, "f")
    assert f_text.startswith("1 risk assessed (residual: 1 high)"), f_text
    assert "0 of its actions completed in the period, 1 open, 1 overdue" in f_text
    assert _items(inputs, "f")["TA-1"]["kind"] == "treatment_overdue"
    # d4: the objective was on track at 60 %, its target as then
    objective = _items(inputs, "d4")["OBJ-1"]
    assert objective["status"] == "on_track" and ", 60 %" in str(objective["text"])
    # d2: the metric's target was 95 %
    assert "(target ≥ 95 %)" in str(_items(inputs, "d2")["M-1"]["text"])
    # b: the issue added in November was not an input of the October meeting
    assert set(_items(inputs, "b")) == {"CI-1"}
    assert set(inputs["snapshot"]["context"]) == {"CI-1"}

    # the same records read for a meeting today show today's state
    now = reviews.compile_inputs(kept, START, dt.date.today())
    assert "as_of_note" in now and now["as_of_note"] == ""
    assert _items(now, "d1")["NC-1"]["status"] == "verified"
    assert set(_items(now, "b")) == {"CI-1", "CI-2"}
    assert "1 of its actions completed in the period, 0 open, 0 overdue" in _text(now, "f")

    out = tmp_path / "review.pdf"
    make_report(kept, f"management-review:{review.code}", out, options=ReportOptions())
    pdf = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(out, strict=True).pages).split()
    )
    assert (
        "Period reviewed: 2026-01-01 – 2026-10-01; inputs show the records as of "
        f"2026-10-01 (read from the project on {today})." in pdf
    ), pdf[:1500]
    assert "as the records stood on 2026-10-01" in pdf


def test_recompiling_a_held_review_later_keeps_to_the_day_of_the_meeting(
    kept: Project,
) -> None:
    review = reviews.create_review(kept, "Review 2026", MEETING, period_start=START)
    reviews.hold(kept, review.code)
    again = reviews.recompile(kept, review.code)
    assert again.inputs["as_of"] == MEETING.isoformat()
    assert _items(again.inputs, "d1")["NC-1"]["status"] == "action_planned"


def test_a_project_entered_after_the_meeting_uses_the_records_dates_and_says_so(
    project_path: Path,
) -> None:
    """All records entered today: the log says nothing of the meeting day; events dated
    after it are not counted as done then, and the review says the rest is as of today."""
    with open_project(project_path) as project:
        with project.transaction() as s:
            s.add(
                Nonconformity(
                    code="NC-1",
                    description="Backups not tested",
                    raised_on=D(2026, 5, 20),
                    status="closed",
                    verified_on=D(2026, 11, 5),
                    effective=True,
                )
            )
            s.add(
                Action(
                    code="CA-1",
                    source="corrective",
                    title="Test restores monthly",
                    due_date=D(2026, 9, 30),
                    status="done",
                    completed_on=D(2026, 11, 2),
                )
            )
        inputs = reviews.compile_inputs(project, START, MEETING)
        later = reviews.compile_inputs(project, D(2026, 6, 1), MEETING)
    # closed in November, so still open at the meeting; said without guessing what "earlier" is
    assert "1 nonconformity raised before the period is still open." in _text(later, "d1")
    assert _items(inputs, "d1")["NC-1"]["status"] == "implemented"
    action = _items(inputs, "d1")["CA-1"]
    assert action["status"] == "open" and action["date"] == "2026-09-30"
    assert "1 corrective action due or completed, 0 done" in _text(inputs, "d1")
    today = dt.date.today().isoformat()
    note = inputs["as_of_note"]
    assert f"change log begins only on {today}" in note
    assert f"are those of {today}, not necessarily those of 2026-10-01" in note


def test_an_action_due_before_the_meeting_that_decides_it_is_refused(kept: Project) -> None:
    review = reviews.create_review(kept, "Review 2026", MEETING, period_start=START)
    with pytest.raises(RejectedInputError, match="before the meeting of 2026-10-01"):
        reviews.add_action(kept, review.code, "Typo in the year", due_date=D(2025, 12, 1))
    assert reviews.detail(kept, review.code).actions == ()
    code = reviews.add_action(kept, review.code, "Test restores", due_date=D(2026, 12, 1))
    # the action decided is in the audit trail (it was not: never flushed before commit)
    with kept.reading() as s:
        logged = s.query(ChangeLog).filter_by(record_code=code, kind="created").count()
    assert logged == 1


def test_an_audit_still_to_come_is_not_reported_as_taken_place(project_path: Path) -> None:
    soon = dt.date.today() + dt.timedelta(days=10)
    with open_project(project_path) as project:
        with project.transaction() as s:
            s.add(Audit(code="AU-1", title="Access", planned_start=soon, status="planned"))
        inputs = reviews.compile_inputs(project, START, soon + dt.timedelta(days=20))
    assert _text(inputs, "d3") == (
        f"No internal audit took place in the period. 1 audit is planned: AU-1 on "
        f"{soon.isoformat()}."
    )
