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
    Finding,
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


# --- the trend charts of 9.3.2 d 2: the target of the meeting day ----------------------------


def _pdf_words(path: Path) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(path, strict=True).pages).split()
    )


def test_the_trend_charts_draw_the_target_of_the_meeting_day(kept: Project, tmp_path: Path) -> None:
    """M-1's target was 95 % at the meeting and lowered to 90 % in November: the charts
    (page and PDF, one service) drew today's 90 % beside an input saying 'target ≥ 95 %',
    and the PDF said so as a caveat."""
    review = reviews.create_review(kept, "Review 2026", MEETING, period_start=START)
    (item,) = review.inputs["sections"]["d2"]["items"]
    assert (item["target"], item["limits_on"]) == (95.0, MEETING.isoformat())
    found = reviews.metric_trends(kept, review.inputs)
    (series,) = found.series
    assert (series.code, series.target, series.direction) == ("M-1", 95.0, "higher")
    assert [p.value for p in series.points] == [92.0]
    assert found.as_of == MEETING
    assert found.note == (
        "Trend of each metric over the measurements reported above, with the target and "
        "alert threshold as they stood on 2026-10-01."
    )

    # inputs compiled before the limits were kept: read back from the change log
    older = {**review.inputs}
    sections = {**older["sections"]}
    sections["d2"] = {
        **sections["d2"],
        "items": [
            {k: v for k, v in i.items() if k not in ("target", "threshold", "direction")}
            for i in sections["d2"]["items"]
        ],
    }
    older["sections"] = sections
    assert reviews.metric_trends(kept, older).series[0].target == 95.0

    out = tmp_path / "review.pdf"
    make_report(kept, f"management-review:{review.code}", out, options=ReportOptions())
    pdf = _pdf_words(out)
    d2 = pdf[pdf.index("9.3.2 d 2") : pdf.index("9.3.2 d 3")]
    assert "with the target and alert threshold as they stood on 2026-10-01" in d2
    assert "target 95 %" in d2 and "target 90 %" not in d2
    assert "recorded today" not in pdf and "not necessarily" not in d2


def test_without_a_change_log_of_the_meeting_day_the_charts_say_whose_target_they_draw(
    project_path: Path,
) -> None:
    with open_project(project_path) as project:
        with project.transaction() as s:
            metric = Metric(code="M-1", name="Backups tested", unit="%", target=90.0)
            s.add(metric)
            s.flush()
            s.add(Measurement(metric_id=metric.id, date=D(2026, 6, 30), value=92.0))
        review = reviews.create_review(project, "Review 2026", MEETING, period_start=START)
        found = reviews.metric_trends(project, review.inputs)
    today = dt.date.today().isoformat()
    assert found.series[0].target == 90.0
    assert found.note == (
        "Trend of each metric over the measurements reported above. The project's change "
        "log does not go back to 2026-10-01, so the target and alert threshold drawn are "
        f"those recorded on {today}, not necessarily those of 2026-10-01."
    )


# --- 9.3.2 d 3: cancelled audits are no results ------------------------------------------------


@pytest.fixture
def audited(project_path: Path, clock: Callable[[dt.date], None]) -> Iterator[Project]:
    """AU-1 held in April; AU-2 cancelled in June, before the meeting; AU-3 under way at
    the meeting (one finding) and cancelled in November, after it."""
    with open_project(project_path) as project:
        clock(D(2026, 3, 1))
        with project.transaction() as s:
            s.add(
                Audit(
                    code="AU-1",
                    title="Access control",
                    planned_start=D(2026, 4, 10),
                    status="planned",
                )
            )
            s.add(Audit(code="AU-2", title="Suppliers", planned_start=D(2026, 6, 15)))
            s.add(Audit(code="AU-3", title="Backups", planned_start=D(2026, 9, 20)))
            s.flush()
        clock(D(2026, 4, 12))
        _set(project, Audit, "AU-1", status="completed", signed_off_on=D(2026, 4, 12))
        clock(D(2026, 6, 1))
        _set(project, Audit, "AU-2", status="cancelled")
        clock(D(2026, 9, 20))
        _set(project, Audit, "AU-3", status="in_progress")
        with project.transaction() as s:
            au3 = s.query(Audit).filter_by(code="AU-3").one()
            s.add(
                Finding(
                    code="F-1",
                    audit_id=au3.id,
                    kind="minor_nc",
                    description="No restore test this year",
                )
            )
            s.flush()
        clock(D(2026, 11, 10))
        _set(project, Audit, "AU-3", status="cancelled")
        yield project


def test_a_cancelled_audit_is_no_result_and_is_named_apart(
    audited: Project, tmp_path: Path
) -> None:
    review = reviews.create_review(audited, "Review 2026", MEETING, period_start=START)
    inputs = review.inputs
    # at the meeting AU-3 was under way (cancelled only in November), AU-2 cancelled
    assert _text(inputs, "d3") == (
        "2 internal audits in the period, with 0 major nonconformities, 1 minor "
        "nonconformity, 0 observations and 0 opportunities for improvement. 1 audit of the "
        "audit programme was cancelled and not held: AU-2 (planned for 2026-06-15)."
    )
    items = inputs["sections"]["d3"]["items"]
    assert [(i["ref"], i["status"]) for i in items] == [
        ("AU-1", "completed"),
        ("AU-3", "in_progress"),
        ("F-1", "minor_nc"),
        ("AU-2", "cancelled"),  # after the results, not among them
    ]
    assert items[-1]["text"] == "Suppliers: cancelled, not held (planned for 2026-06-15)"

    # read for a review today, both are cancelled: AU-3's finding is no result any more
    now = reviews.compile_inputs(audited, START, dt.date.today())
    assert _text(now, "d3") == (
        "1 internal audit in the period, with 0 major nonconformities, 0 minor "
        "nonconformities, 0 observations and 0 opportunities for improvement. 2 audits of "
        "the audit programme were cancelled and not held: AU-2 (planned for 2026-06-15), "
        "AU-3 (planned for 2026-09-20)."
    )
    assert _items(now, "d3")["AU-3"]["text"] == (
        "Backups: cancelled, not held (planned for 2026-09-20); 1 finding recorded before "
        "it was cancelled, not counted as results"
    )
    assert "F-1" not in _items(now, "d3") and "F-1" not in _items(now, "g")

    out = tmp_path / "review.pdf"
    make_report(audited, f"management-review:{review.code}", out, options=ReportOptions())
    pdf = _pdf_words(out)
    d3 = pdf[pdf.index("9.3.2 d 3") : pdf.index("9.3.2 d 4")]
    assert "1 audit of the audit programme was cancelled and not held: AU-2" in d3
    assert "AU-2 2026-06-15 Suppliers: cancelled, not held (planned for 2026-06-15) Cancelled" in d3
    assert "AU-3 2026-09-20 Backups (in progress): 1 minor nonconformity In progress" in d3
