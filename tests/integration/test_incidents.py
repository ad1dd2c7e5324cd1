"""Incidents on a real file: handling workflow, the 72-hour deadline, raising improvement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.audit_incidents import IncidentTransitionError
from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import incidents, nonconformities, registers
from isms_desktop.storage.project_file import Project, open_project

DETECTED = dt.datetime(2025, 3, 1, 14, 30)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as opened:
        registers.create(opened, "people", {"code": "P-001", "name": "Dee Pio"})
        yield opened


def _report(project: Project, **values: object) -> str:
    base = {
        "title": "Wrong recipient",
        "detected_at": DETECTED,
        "category": "data_leak",
        "severity": "high",
        "personal_data": True,
        "notification_required": True,
    }
    return incidents.report_incident(project, {**base, **values})


def test_72_hour_deadline_computed_and_shown(project: Project) -> None:
    code = _report(project)
    row = registers.get(project, "incidents", code)
    assert row.values["notify_by"] == dt.datetime(2025, 3, 4, 14, 30)
    assert row.display["notify_by"] == "2025-03-04 14:30"
    state = incidents.follow_up(project, code, now=dt.datetime(2025, 3, 3, 14, 30)).notification
    assert state.state == "due" and round(state.hours_left or 0) == 24
    assert [c for c, _ in incidents.pending_notifications(project, DETECTED)] == [code]
    incidents.record_notification(project, code, dt.datetime(2025, 3, 2, 9, 0))
    assert incidents.follow_up(project, code).notification.state == "on_time"
    assert incidents.pending_notifications(project, DETECTED) == []
    quiet = _report(project, notification_required=False)
    assert registers.get(project, "incidents", quiet).values["notify_by"] is None


def test_handling_cannot_skip_and_closing_needs_lessons(project: Project) -> None:
    code = _report(project)
    with pytest.raises(IncidentTransitionError, match="next step is contained"):
        incidents.transition(project, code, "closed")
    incidents.transition(project, code, "contained")
    incidents.transition(project, code, "resolved")
    with pytest.raises(IncidentTransitionError, match="lessons learned"):
        incidents.transition(project, code, "closed")
    registers.update(project, "incidents", code, "lessons_learned", "Check the address")
    with pytest.raises(IncidentTransitionError, match="notification"):
        incidents.transition(project, code, "closed")
    incidents.record_notification(project, code, DETECTED + dt.timedelta(hours=80))
    incidents.transition(project, code, "closed")
    follow = incidents.follow_up(project, code)
    assert follow.status == "closed" and follow.notification.state == "late"


def test_raise_improvement_links_back(project: Project) -> None:
    code = _report(project, lessons_learned="Auto-complete of addresses is risky")
    nc = incidents.raise_improvement(project, code, requirement="A.5.14", owner="P-001")
    detail = nonconformities.detail(project, nc)
    assert detail.incident == code and detail.source == "incident"
    assert "Auto-complete" in detail.description
    action = incidents.raise_improvement(
        project, code, kind="action", title="Disable auto-complete", owner="P-001"
    )
    row = registers.get(project, "actions", action)
    assert row.values["incident"] == code and row.values["source"] == "incident"
    follow = incidents.follow_up(project, code)
    assert follow.nonconformities == (nc,) and follow.actions == (action,)


def test_demo_incidents_have_lessons(demo_path: Path) -> None:
    with open_project(demo_path, read_only=True) as demo:
        rows = registers.list_rows(demo, "incidents")
        assert 4 <= len(rows) <= 6
        learned = [r for r in rows if r.values["lessons_learned"]]
        assert len(learned) >= 2
        assert any(r.values["notify_by"] for r in rows)
        # each demo incident was assessed: C, I and A each affected or not, none undecided
        for row in rows:
            assessed = [row.values[a] for a in ("confidentiality", "integrity", "availability")]
            assert None not in assessed and any(assessed), row.code


def test_the_status_moves_only_through_the_handling_steps(project: Project) -> None:
    """Set in the register (table, form, import), "closed" skipped the lessons learned and
    the notification that closing asks for: the status is the steps' alone."""
    code = _report(project, notification_required=True)
    with pytest.raises(IsmsError, match="filled in automatically"):
        registers.update(project, "incidents", code, "status", "closed")
    assert registers.get(project, "incidents", code).values["status"] == "open"
    for step in ("contained", "resolved"):
        incidents.transition(project, code, step)
    with pytest.raises(IncidentTransitionError):
        incidents.transition(project, code, "closed")
    # an edited sheet's Status column changes nothing either
    result = registers.upsert_rows(project, "incidents", [(2, {"code": code, "status": "closed"})])
    assert registers.get(project, "incidents", code).values["status"] == "resolved"
    assert result.created == 0
