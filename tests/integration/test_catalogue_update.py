"""A newer catalogue is applied to an existing project without touching the user's data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from isms_desktop.catalog import loader
from isms_desktop.catalog.resources import resources_dir
from isms_desktop.services import catalogue as catalogue_service
from isms_desktop.services.catalogue_sync import stored_versions
from isms_desktop.storage.models import Control, SoaEntry, Threat
from isms_desktop.storage.project_file import open_project


@pytest.fixture
def newer_resources(tmp_path: Path) -> Path:
    """A copy of the bundled resources with one title changed and one control added."""
    root = tmp_path / "resources"
    shutil.copytree(resources_dir(), root)
    annex = root / "catalog" / "annex_a.yaml"
    data = yaml.safe_load(annex.read_text(encoding="utf-8"))
    data["version"] = "2099.1"
    data["controls"][0]["title"] = "Policies for information security (revised)"
    extra = dict(data["controls"][-1])
    extra.update(number="8.35", title="A control from a future amendment", new_in_2022=False)
    data["controls"].append(extra)
    annex.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def test_update_adds_and_updates_but_keeps_user_entries(
    project_path: Path, newer_resources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_project(project_path) as project, project.transaction() as session:
        soa = session.scalars(select(SoaEntry).join(Control).where(Control.number == "5.1")).one()
        soa.applicable = True
        soa.implementation = "Policy approved by the board in March."
        session.add(
            Control(number="X.1", title="Our own control", theme="organizational", is_custom=True)
        )
        session.add(Threat(code="T-OWN", title="Our own threat", is_custom=True))

    newer = loader.load_catalogue_from(newer_resources)
    monkeypatch.setattr(catalogue_service, "load_catalogue", lambda: newer)
    result = catalogue_service.update_catalogue(project_path)
    assert result.added == {"controls": 1}
    assert result.updated == {"controls": 1}

    with open_project(project_path, read_only=True) as project, project.reading() as session:
        titles = dict(session.execute(select(Control.number, Control.title)).all())
        assert titles["5.1"] == "Policies for information security (revised)"
        assert titles["8.35"] == "A control from a future amendment"
        assert titles["X.1"] == "Our own control"
        soa = session.scalars(select(SoaEntry).join(Control).where(Control.number == "5.1")).one()
        assert soa.applicable is True
        assert soa.implementation == "Policy approved by the board in March."
        new_soa = session.scalars(
            select(SoaEntry).join(Control).where(Control.number == "8.35")
        ).one()
        assert new_soa.applicable is None
        assert session.scalars(select(Threat.title).where(Threat.code == "T-OWN")).one()
        assert stored_versions(session)["annex_a"] == "2099.1"

    # Applying the same catalogue again changes nothing.
    again = catalogue_service.update_catalogue(project_path)
    assert not again.changed_anything


def test_every_clause_of_4_to_10_is_in_the_audit_checklist_export(
    project_path: Path, tmp_path: Path
) -> None:
    """A full-scope audit's checklist, exported to Excel, asks about every clause 4.1–10.2."""
    import openpyxl

    from isms_desktop.catalog.loader import load_catalogue
    from isms_desktop.services import audits
    from isms_desktop.services.audit_checklist_xlsx import export_checklist

    clauses = [c.number for c in load_catalogue().clauses]
    with open_project(project_path) as project:
        code = audits.create_audit(
            project, {"title": "Full ISMS audit", "clauses": [str(n) for n in range(4, 11)]}
        )
        target = tmp_path / "checklist.xlsx"
        export_checklist(project, code, target)
    sheet = openpyxl.load_workbook(target, read_only=True).worksheets[0]
    text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    missing = [number for number in clauses if number not in text]
    assert not missing, f"clauses without a question in the checklist: {missing}"
    assert len(clauses) == 30
