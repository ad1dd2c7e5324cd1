"""Objectives, training, metrics and management reviews on real project files."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from isms_desktop.domain.errors import BadArgumentsError, RejectedInputError
from isms_desktop.domain.metrics_rules import Status
from isms_desktop.domain.training_matrix import Cell
from isms_desktop.reports.measurement_import import import_measurements
from isms_desktop.reports.spreadsheet_guard import UnreadableFileError
from isms_desktop.services import metrics, objectives, registers, reviews, training
from isms_desktop.storage.models import (
    Action,
    Audit,
    ContextIssue,
    Finding,
    Incident,
    Measurement,
    Metric,
    Nonconformity,
    Person,
    Review,
    Risk,
)
from isms_desktop.storage.project_file import Project, open_project

D = dt.date
START, END = D(2026, 1, 1), D(2026, 6, 30)
# One record of each kind before, inside and after the review period.
WHEN = {"before": D(2025, 11, 15), "inside": D(2026, 3, 10), "after": D(2026, 8, 20)}


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, template_project: Path) -> Path:
    path = tmp_path_factory.mktemp("perf") / "seeded.isms"
    shutil.copyfile(template_project, path)
    with open_project(path) as project, project.transaction() as s:
        ann = Person(code="P-001", name="Ann Owner", role="ISO")
        s.add(ann)
        s.add(Person(code="P-002", name="Bob Staff"))
        s.flush()
        for tag, day in WHEN.items():
            nc = Nonconformity(
                code=f"NC-{tag}", description=f"NC {tag}", raised_on=day, status="open"
            )
            s.add(nc)
            s.add(
                Nonconformity(
                    code=f"NC-complaint-{tag}",
                    source="complaint",
                    description=f"complaint {tag}",
                    raised_on=day,
                )
            )
            s.flush()
            s.add(
                Action(
                    code=f"CA-{tag}",
                    source="corrective",
                    title=f"fix {tag}",
                    nonconformity_id=nc.id,
                    due_date=day,
                    status="done",
                    completed_on=day,
                )
            )
            audit = Audit(
                code=f"AU-{tag}",
                title=f"Audit {tag}",
                planned_start=day,
                planned_end=day,
                status="completed",
            )
            s.add(audit)
            s.flush()
            s.add(Finding(code=f"F-{tag}", audit_id=audit.id, kind="ofi", description="ofi"))
            s.add(
                Incident(
                    code=f"INC-{tag}",
                    title=f"Incident {tag}",
                    detected_at=dt.datetime.combine(day, dt.time(9)),
                    lessons_learned="lesson",
                )
            )
            s.add(
                Action(
                    code=f"TA-{tag}",
                    source="treatment",
                    title=f"treat {tag}",
                    status="done",
                    completed_on=day,
                    due_date=day,
                )
            )
            s.add(
                Risk(
                    code=f"R-{tag}",
                    title=f"risk {tag}",
                    accepted_on=day,
                    accepted_by_id=ann.id,
                    status="accepted",
                )
            )
        s.add(ContextIssue(code="CI-1", kind="external", description="Ransomware"))
        s.add(ContextIssue(code="CI-2", kind="internal", description="Growth"))
        metric = Metric(
            code="M-001",
            name="Click rate",
            unit="%",
            direction="lower",
            target=5.0,
            threshold=10.0,
            measured_by_id=ann.id,
        )
        s.add(metric)
        s.add(Metric(code="M-002", name="Never measured", frequency="quarterly"))
        s.flush()
        for day, value in ((WHEN["before"], 20.0), (D(2026, 2, 28), 9.0), (D(2026, 4, 30), 4.0)):
            s.add(Measurement(metric_id=metric.id, date=day, value=value))
        s.add(Measurement(metric_id=metric.id, date=WHEN["after"], value=3.0))
    return path


@pytest.fixture
def project(tmp_path: Path, seeded_template: Path) -> Iterator[Project]:
    target = tmp_path / "p.isms"
    shutil.copyfile(seeded_template, target)
    with open_project(target) as opened:
        yield opened


def _refs(inputs: dict[str, object], key: str, kind: str | None = None) -> set[str]:
    sections = inputs["sections"]
    assert isinstance(sections, dict)
    return {i["ref"] for i in sections[key]["items"] if kind is None or i["kind"] == kind}


def test_compiled_inputs_hold_exactly_the_records_of_the_period(project: Project) -> None:
    inputs = reviews.compile_inputs(project, START, END)
    assert _refs(inputs, "d1", "nonconformity") == {"NC-inside", "NC-complaint-inside"}
    assert _refs(inputs, "d1", "corrective_action") == {"CA-inside"}
    assert _refs(inputs, "d3", "audit") == {"AU-inside"}
    assert _refs(inputs, "d3", "finding") == {"F-inside"}
    assert _refs(inputs, "e") == {"NC-complaint-inside"}
    assert _refs(inputs, "f", "risk_accepted") == {"R-inside"}
    assert _refs(inputs, "f", "treatment_done") == {"TA-inside"}
    assert _refs(inputs, "g") == {"F-inside", "INC-inside"}
    (metric_item,) = inputs["sections"]["d2"]["items"]  # type: ignore[index]
    assert metric_item["ref"] == "M-001"
    assert metric_item["count"] == 2  # 2026-02-28 and 2026-04-30, not 2025 or 2026-08
    assert metric_item["status"] == Status.ON_TARGET
    # The older open nonconformity is mentioned, not listed.
    assert "raised before the period" in inputs["sections"]["d1"]["text"]  # type: ignore[index]
    assert inputs["period"] == {"start": "2026-01-01", "end": "2026-06-30"}
    assert _refs(inputs, "b") == {"CI-1", "CI-2"}


def test_period_must_not_end_before_it_starts(project: Project) -> None:
    with pytest.raises(RejectedInputError):
        reviews.compile_inputs(project, END, START)


def test_review_lifecycle_actions_and_second_review(project: Project) -> None:
    first = reviews.create_review(
        project, "Review 2026", END, period_start=START, chair="P-001", attendees="Ann, Bob"
    )
    assert first.code == "MR-001" and first.status == "draft"
    assert first.period_start == START and first.period_end == END
    assert first.completeness_percent == 0
    with pytest.raises(RejectedInputError, match="decisions"):
        reviews.close(project, first.code)
    for key in first.inputs["sections"]:
        reviews.set_input(project, first.code, key, f"checked {key}")
    registers.update(project, "reviews", first.code, "decisions", "Carry on.")
    action = reviews.add_action(
        project, first.code, "Train Bob", owner="P-002", due_date=D(2026, 9, 30)
    )
    with pytest.raises(BadArgumentsError):
        reviews.add_action(project, first.code, "x", owner="P-404")
    closed = reviews.close(project, first.code)
    assert closed.status == "closed" and closed.completeness_percent == 100
    assert [(a.code, a.owner_code, a.status) for a in closed.actions] == [(action, "P-002", "open")]
    with project.reading() as s:
        row = s.scalars(select(Action).where(Action.code == action)).one()
        assert row.source == "review" and row.review_id is not None
    with pytest.raises(BadArgumentsError, match="closed"):
        reviews.set_input(project, first.code, "a", "late edit")
    with pytest.raises(BadArgumentsError, match="closed"):
        reviews.add_action(project, first.code, "A decision made after the meeting")
    assert [a.code for a in reviews.detail(project, first.code).actions] == [action]

    # A context issue changes; the next review sees the change and the open action.
    with project.transaction() as s:
        s.scalars(
            select(ContextIssue).where(ContextIssue.code == "CI-2")
        ).one().description = "Growth slowed"
        s.add(ContextIssue(code="CI-3", kind="external", description="New regulation"))
    second = reviews.create_review(project, "Review 2027", D(2027, 1, 15))
    assert second.period_start == END + dt.timedelta(days=1)
    items = {i["ref"]: i["change"] for i in second.inputs["sections"]["b"]["items"]}
    assert items == {"CI-2": "changed", "CI-3": "added"}
    assert _refs(second.inputs, "a") == {action}
    assert "1 still open" in second.inputs["sections"]["a"]["text"]


def test_recompile_keeps_confirmed_texts(project: Project) -> None:
    review = reviews.create_review(project, "R", END, period_start=START)
    reviews.set_input(project, review.code, "e", "Clients happy.")
    with project.transaction() as s:
        s.add(Nonconformity(code="NC-new", description="new", raised_on=D(2026, 5, 5)))
    again = reviews.recompile(project, review.code)
    assert again.inputs["sections"]["e"]["text"] == "Clients happy."
    assert "NC-new" in _refs(again.inputs, "d1")
    assert not again.inputs["sections"]["d1"]["confirmed"]
    minutes = reviews.minutes(project, review.code)
    assert [s.key for s in minutes.sections][:3] == ["a", "b", "c"]
    assert minutes.metric_codes == ("M-001",)


def test_measurements_status_and_due_actions(project: Project) -> None:
    today = D(2026, 9, 10)
    by_code = {m.code: m for m in metrics.overview(project, today)}
    assert by_code["M-001"].last_value == 3.0 and by_code["M-001"].status is Status.ON_TARGET
    assert by_code["M-001"].next_due == D(2026, 9, 20) and not by_code["M-001"].due
    assert by_code["M-002"].due and by_code["M-002"].status is Status.NO_DATA
    first = metrics.sync_due_actions(project, today)
    assert first.created == (metrics.due_action_code("M-002", today),)
    assert metrics.sync_due_actions(project, today).created == ()  # idempotent
    change = metrics.record_measurement(project, "M-002", today, 7)
    assert change.kind == "created"
    with project.reading() as s:
        action = s.scalars(select(Action).where(Action.code == first.created[0])).one()
        assert action.status == "done" and action.completed_on == today
    replaced = metrics.record_measurement(project, "M-002", today, 8, "corrected")
    assert (replaced.kind, replaced.old, replaced.new) == ("updated", 7.0, 8.0)
    assert metrics.series(project, "M-002").values == [8.0]
    assert metrics.delete_measurement(project, "M-002", today).old == 8.0
    with pytest.raises(RejectedInputError):
        metrics.record_measurement(project, "M-001", today, float("nan"))
    with pytest.raises(BadArgumentsError):
        metrics.series(project, "M-404")


def test_import_measurements_from_xlsx_all_or_none(project: Project, tmp_path: Path) -> None:
    good = tmp_path / "kpi.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Month", "M-001", "Never measured"])
    sheet.append([dt.datetime(2026, 5, 31), 3.5, 10])
    sheet.append([dt.datetime(2026, 4, 30), 4.0, None])  # same as stored: unchanged
    book.save(good)
    dry = import_measurements(project, good, dry_run=True)
    assert (dry.created, dry.unchanged, dry.written) == (2, 1, False)
    assert len(metrics.series(project, "M-001").points) == 4
    result = import_measurements(project, good)
    assert (result.created, result.updated, result.unchanged, result.written) == (2, 0, 1, True)
    assert result.layout == "wide"
    assert metrics.series(project, "M-002").values == [10.0]

    bad = tmp_path / "bad.csv"
    bad.write_text("Metric;Date;Value\nM-001;2026-06-30;2\nM-001;2026-07-31;oops\n")
    refused = import_measurements(project, bad)
    assert not refused.written
    assert [(p.row, p.column) for p in refused.problems] == [(3, "Value")]
    assert D(2026, 6, 30) not in [p.date for p in metrics.series(project, "M-001").points]

    dupes = tmp_path / "dupes.csv"
    dupes.write_text("Metric,Date,Value\nM-001,2026-06-30,2\nM-001,30.06.2026,3\n")
    assert "row 2" in import_measurements(project, dupes).problems[0].reason
    with pytest.raises(BadArgumentsError):
        import_measurements(project, tmp_path / "missing.xlsx")


def test_a_hostile_measurements_workbook_is_refused_and_nothing_imported(
    project: Project, tmp_path: Path
) -> None:
    # The measurements import goes through the register import's guard: a cell placed at
    # XFD1048576 by a second reference would make calamine allocate the whole sheet.
    path = tmp_path / "kpi.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Metric", "Date", "Value"])
    sheet.append(["M-001", dt.datetime(2026, 6, 30), 2])
    book.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = xml.replace(
        '<c r="C2"', '<c r="C2" r="XFD1048576"'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    before = metrics.series(project, "M-001").points
    with pytest.raises(UnreadableFileError, match="attribute r twice"):
        import_measurements(project, path)
    assert metrics.series(project, "M-001").points == before


def test_training_campaign_and_matrix(project: Project) -> None:
    registers.create(project, "roles", {"name": "ISO", "holder": "P-001"})
    registers.create(project, "competences", {"course": "Security awareness", "refresh_months": 12})
    registers.create(project, "competences", {"course": "Lead Implementer", "role": "RO-001"})
    made = training.record_campaign(
        project,
        training.Campaign("Security awareness", D(2025, 1, 10), ("P-001", "P-002")),
    )
    assert len(made) == 2
    again = training.record_campaign(
        project, training.Campaign("Security awareness", D(2025, 1, 10), ("P-001",))
    )
    assert again == []  # already recorded
    row = registers.get(project, "training", made[0])
    assert row.values["expires_on"] == D(2026, 1, 10)  # from the refresh interval
    with pytest.raises(BadArgumentsError):
        training.record_campaign(project, training.Campaign("X", D(2025, 1, 1), ("P-404",)))
    with pytest.raises(RejectedInputError):
        training.record_campaign(project, training.Campaign("X", D(2025, 1, 1), ()))

    result = training.matrix(project, D(2025, 6, 1))
    m = result.matrix
    assert m.cell("P-001", "RT-001").status is Cell.VALID
    assert m.cell("P-001", "RT-002").status is Cell.MISSING
    assert m.cell("P-002", "RT-002").status is Cell.NOT_REQUIRED
    later = training.matrix(project, D(2026, 2, 1)).matrix
    assert set(later.gaps()) == {
        ("P-001", "RT-001", Cell.EXPIRED),
        ("P-001", "RT-002", Cell.MISSING),
        ("P-002", "RT-001", Cell.EXPIRED),
    }
    assert training.gaps_summary(result)["missing"] == 1
    assert "Security awareness" in training.courses(project)


def test_objectives_overview_links_metric_status(project: Project) -> None:
    registers.create(
        project,
        "objectives",
        {
            "objective": "Fewer clicks",
            "owner": "P-001",
            "due_date": D(2026, 1, 1),
            "status": "on_track",
            "metrics": ["M-001"],
        },
    )
    (row,) = objectives.overview(project, D(2026, 9, 1))
    assert row.owner == "Ann Owner" and row.overdue
    assert [m.code for m in row.metrics] == ["M-001"] and row.metrics_on_target == 1


def test_demo_has_believable_performance_records(template_demo: Path) -> None:
    with open_project(template_demo, read_only=True) as demo:
        objs = objectives.overview(demo)
        assert 4 <= len(objs) <= 6 and any(o.metrics for o in objs)
        stats = metrics.overview(demo)
        assert 6 <= len(stats) <= 8
        monthly = [m for m in stats if m.frequency == "monthly"]
        assert len(monthly) >= 4 and all(m.measurements >= 10 for m in monthly)
        assert any(m.due for m in stats)
        gaps = {status for _p, _r, status in training.matrix(demo).matrix.gaps()}
        assert gaps == {Cell.MISSING, Cell.EXPIRED}
        with demo.reading() as s:
            (review,) = s.scalars(select(Review)).all()
            code = review.code
            monitoring = s.scalars(select(Action).where(Action.source == "monitoring")).all()
        assert monitoring
        detail = reviews.detail(demo, code)
        assert detail.status == "closed" and detail.completeness_percent == 100
        assert len(detail.actions) >= 3 and all(a.owner and a.due_date for a in detail.actions)
