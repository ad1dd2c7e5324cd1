"""The setup wizard's services: suggestions, saving table rows, progress (no Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.services import registers, wizard
from isms_desktop.services.wizard import Progress, RowEntry, RowSaveError
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as p:
        yield p


def test_sector_ideas_come_first_and_others_are_left_out() -> None:
    finance = wizard.issue_ideas("finance")
    texts = [i.text for i in finance]
    assert any("DORA" in t for t in texts)
    assert finance[0].for_sector
    assert not any("research collaboration" in t for t in texts)  # education only
    general = wizard.issue_ideas("other")
    assert general and not any(i.for_sector for i in general)
    assert any(i.climate_related for i in general)
    parties = wizard.party_ideas("healthcare")
    assert any(p.name == "Customers" and p.requirements for p in parties)
    assert ("it_services", "IT services and software") in wizard.sectors()


def test_rows_are_created_updated_and_deleted(project: Project) -> None:
    rows = [
        RowEntry(None, {"kind": "external", "category": "legal", "description": "GDPR"}),
        RowEntry(None, {"kind": "internal", "description": "Small team", "climate_related": False}),
    ]
    first = wizard.save_rows(project, "context", rows)
    assert first.created == 2 and len(first.codes) == 2
    a, b = first.codes
    again = wizard.save_rows(
        project,
        "context",
        [RowEntry(a, {"kind": "external", "category": "legal", "description": "GDPR and NIS2"})],
        removed=[b],
    )
    assert (again.created, again.updated, again.deleted) == (0, 1, 1)
    stored = registers.list_rows(project, "context")
    assert [(r.code, r.values["description"]) for r in stored] == [(a, "GDPR and NIS2")]
    unchanged = wizard.save_rows(
        project, "context", [RowEntry(a, {"description": "GDPR and NIS2"})]
    )
    assert unchanged.updated == 0


def test_a_refused_row_is_named_and_earlier_rows_stay_saved(project: Project) -> None:
    rows = [
        RowEntry(None, {"kind": "location", "name": "Head office"}),
        RowEntry(None, {"kind": "exclusion", "name": "Canteen", "justification": ""}),
    ]
    with pytest.raises(RowSaveError, match="row 2: an exclusion needs a justification") as info:
        wizard.save_rows(project, "scope", rows)
    assert info.value.row == 1 and info.value.field_name == "justification"
    assert [r.values["name"] for r in registers.list_rows(project, "scope")] == ["Head office"]


def test_progress_is_kept_in_the_project(project: Project) -> None:
    assert wizard.progress(project) == Progress()
    wizard.save_progress(project, Progress(page=3, climate_relevant=True, climate_note="floods"))
    assert wizard.progress(project) == Progress(
        completed=False, page=3, climate_relevant=True, climate_note="floods"
    )
    summary = wizard.summary(project)
    assert summary.organisation == "Acme Test Ltd"
    assert summary.counts["processes"] >= 10
    assert summary.climate_relevant is True
