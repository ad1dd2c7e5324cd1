"""An audit checklist exported to Excel, filled in offline and imported back."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from isms_desktop.domain.errors import RejectedInputError
from isms_desktop.reports.checklist_import import import_checklist
from isms_desktop.reports.spreadsheet_guard import UnreadableFileError
from isms_desktop.services import audits
from isms_desktop.services.audit_checklist_xlsx import export_checklist
from isms_desktop.storage.project_file import open_project


def test_round_trip(project_path: Path, tmp_path: Path) -> None:
    with open_project(project_path) as project:
        code = audits.create_audit(project, {"title": "Docs", "clauses": ["7.5.2"]})
        target = tmp_path / "checklist.xlsx"
        count = export_checklist(project, code, target)
        assert count == len(audits.checklist(project, code)) > 2
        book = load_workbook(target)
        sheet = book["Checklist"]
        assert [c.value for c in sheet[1]][:5] == ["Item", "No.", "Ref", "Question", "Result"]
        sheet["E2"] = "Minor nonconformity"
        sheet["F2"] = "Owner missing on two procedures"
        sheet["E3"] = "ok"
        book.save(target)
        assert import_checklist(project, code, target) == 2
        items = audits.checklist(project, code)
        assert items[0].result == "minor_nc" and items[0].notes.startswith("Owner missing")
        assert items[1].result == "conforming" and items[2].result == ""
        assert audits.audit(project, code).status == "in_progress"

        sheet["E4"] = "splendid"
        book.save(target)
        with pytest.raises(RejectedInputError, match="row 4, column Result"):
            import_checklist(project, code, target)
        assert audits.checklist(project, code)[2].result == ""  # nothing written


def test_a_hostile_or_foreign_file_is_refused_and_nothing_changes(
    project_path: Path, tmp_path: Path
) -> None:
    with open_project(project_path) as project:
        code = audits.create_audit(project, {"title": "Docs", "clauses": ["7.5.2"]})
        target = tmp_path / "checklist.xlsx"
        export_checklist(project, code, target)
        book = load_workbook(target)
        book["Checklist"]["E2"] = "ok"
        book.save(target)
        # a second reference would make calamine place the cell at XFD1048576 (the guard's)
        with zipfile.ZipFile(target) as zf:
            parts = {name: zf.read(name) for name in zf.namelist()}
        sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
        parts[sheet] = parts[sheet].replace(b'<c r="E2"', b'<c r="E2" r="XFD1048576"')
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data)
        with pytest.raises(UnreadableFileError, match="attribute r twice"):
            import_checklist(project, code, target)
        text = tmp_path / "notes.xlsx"
        text.write_bytes(b"PK\x03\x04 not really a workbook")
        with pytest.raises(UnreadableFileError, match=r"notes\.xlsx"):
            import_checklist(project, code, text)
        assert all(item.result == "" for item in audits.checklist(project, code))
        assert audits.audit(project, code).status == "planned"
