"""Importing registers from spreadsheets: our own exports round trip; foreign sheets work."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.registers import REGISTER_NAMES, sheet_name
from isms_desktop.reports.spreadsheet_reader import open_spreadsheet
from isms_desktop.reports.xlsx_export import export_workbook
from isms_desktop.reports.xlsx_import import import_file, plan_import, run_import
from isms_desktop.services import history, registers
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture(scope="module")
def demo_workbook(template_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("import") / "demo.xlsx"
    with open_project(template_demo, read_only=True) as project:
        export_workbook(project, out)
    return out


def sheet_values(path: Path) -> dict[str, list[list[Any]]]:
    """Every register sheet's cells as python-calamine reads them (the Cover has today's date)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python() for n in book.sheet_names if n != "Cover"}


def write_sheet(path: Path, rows: list[list[Any]], title: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "isms_desktop", *args], capture_output=True, text=True, timeout=120
    )


def test_every_register_of_our_export_imports_back_unchanged(
    demo_path: Path, demo_workbook: Path, tmp_path: Path
) -> None:
    with open_project(demo_path) as project:
        for name in SPECS:
            result = import_file(project, name, demo_workbook)
            assert result.problems == (), (name, result.problems[:3])
            assert result.plan.sheet == sheet_name(name)
            assert result.created == 0 and result.updated == 0, name
            assert result.unchanged == registers.count(project, name), name
        again = tmp_path / "again.xlsx"
        export_workbook(project, again)
    assert sheet_values(again) == sheet_values(demo_workbook)


def test_an_edited_export_updates_its_rows_and_adds_new_ones(
    demo_path: Path, demo_workbook: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(demo_workbook)
    ws = wb["Risks"]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    ws.cell(2, col["Risk"], "Ransomware encrypts everything")
    ws.cell(2, col["Likelihood"], "Almost certain")  # a label, as the drop-down offers
    ws.cell(2, col["Treatment"], "Retain (accept)")
    new_row = [None] * len(headers)
    new_row[col["Risk"] - 1] = "Courier loses backup tapes"
    new_row[col["Assets"] - 1] = "A-001, A-002"
    new_row[col["Controls"] - 1] = "A.8.5 / A.5.17"
    ws.append(new_row)
    wb.save(edited)
    with open_project(demo_path) as project:
        before = registers.count(project, "risks")
        result = import_file(project, "risks", edited)
        assert result.problems == ()
        assert (result.created, result.updated) == (1, 1)
        first = registers.get(project, "risks", "R-001")
        assert first.values["title"] == "Ransomware encrypts everything"
        assert first.values["inherent_likelihood"] == 5
        assert first.values["treatment"] == "retain"
        assert registers.count(project, "risks") == before + 1
        new = registers.list_rows(project, "risks", text="Courier")[0]
        assert new.values["assets"] == ["A-001", "A-002"]
        assert sorted(new.values["controls"]) == ["5.17", "8.5"]
        out = tmp_path / "after.xlsx"
        export_workbook(project, out, ["risks"])
    risks = openpyxl.load_workbook(out)["Risks"]
    assert risks.cell(2, col["Risk"]).value == "Ransomware encrypts everything"


def test_an_imported_update_is_one_row_version_and_one_log_entry_per_field(
    demo_path: Path, demo_workbook: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(demo_workbook)
    ws = wb["Risks"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    ws.cell(2, col["Risk"], "Ransomware encrypts everything")
    ws.cell(2, col["Likelihood"], "Almost certain")
    for n in range(3):
        new_row = [None] * len(col)
        new_row[col["Risk"] - 1] = f"New risk {n}"
        new_row[col["Assets"] - 1] = "A-001, A-002"
        ws.append(new_row)
    wb.save(edited)
    with open_project(demo_path) as project:
        version = registers.get(project, "risks", "R-001").version
        before = history.count(project)
        old_entries = len(history.record_history(project, "risks", "R-001"))
        result = import_file(project, "risks", edited)
        assert (result.created, result.updated) == (3, 1)
        assert registers.get(project, "risks", "R-001").version == version + 1
        fields = {e.field for e in history.record_history(project, "risks", "R-001")[:4]}
        assert {"title", "inherent_likelihood", "inherent_level"} <= fields
        made = [e for e in history.change_log(project, limit=50) if e.kind == "created"]
        assert len({e.record for e in made if e.register == "risks"}) == 3
        changed = len(history.record_history(project, "risks", "R-001")) - old_entries
        assert changed == 3  # title, likelihood and level (not its sort rank): one each
        assert "inherent_rank" not in fields
        # per new risk: created, and its assets [] -> [A-001, A-002]
        assert history.count(project) == before + 3 * 2 + changed


def _log(path: Path) -> list[tuple[Any, ...]]:
    """The change log, times of the changes left out."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT register, table_name, record_id, record_code, field, old_value, new_value,"
            " kind FROM change_log ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    when = re.compile(r'"updated_at": "[^"]*"')
    return [tuple(when.sub("", v) if isinstance(v, str) else v for v in row) for row in rows]


def test_new_records_are_logged_from_their_inserted_values_as_if_read_back(
    template_demo: Path, demo_workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log entries of imported records are built from the values inserted (no read of
    the new rows at commit): the same entries as when every new row is read back."""
    new_codes = tmp_path / "new.xlsx"
    wb = openpyxl.load_workbook(demo_workbook)
    # every register but the SoA (fixed rows) and the interactions (unique in other columns)
    names = [n for n, spec in SPECS.items() if not spec.fixed_rows and n != "interactions"]
    for name in names:
        ws = wb[sheet_name(name)]
        for n, row in enumerate(ws.iter_rows(min_row=2), start=1):
            row[0].value = None if n % 4 == 0 else f"NEW-{n:04d}"  # 1 in 4: the next code
    wb.save(new_codes)
    logs = []
    for read_back in (False, True):
        path = tmp_path / f"demo-{read_back}.isms"
        shutil.copyfile(template_demo, path)
        if read_back:
            from isms_desktop.storage import audit_trail

            monkeypatch.setattr(
                registers, "note_created", lambda s, t, ids, _v: audit_trail.note_created(s, t, ids)
            )
        with open_project(path) as project:
            for name in names:
                result = import_file(project, name, new_codes, create_missing=True)
                assert result.written, (name, result.problems[:3])
        logs.append(_log(path))
    # (updates of one flush come in the order of the session's set of changed objects)
    assert sorted(logs[0], key=repr) == sorted(logs[1], key=repr)
    created = [[e for e in log if e[7] == "created"] for log in logs]
    assert created[0] == created[1] and len(created[0]) > 250


def test_one_bad_row_rejects_the_import_and_every_problem_is_listed(
    demo_path: Path, demo_workbook: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(demo_workbook)
    ws = wb["Risks"]
    ws["B2"] = "A change that must not be written"
    ws["L3"] = "Often"  # not a likelihood
    ws["Y4"] = "next Tuesday"  # not a date
    ws["B5"] = None  # the risk's title is required
    wb.save(edited)
    done = cli("import", str(demo_path), "--register", "risks", "--from", str(edited))
    assert done.returncode == 3
    lines = [line for line in done.stderr.splitlines() if "row " in line]
    assert any("row 3, column L (Likelihood)" in line and "Often" in line for line in lines)
    assert any("row 4, column Y (Next review)" in line for line in lines)
    assert any("row 5" in line and "Risk is required" in line for line in lines)
    assert "Traceback" not in done.stderr and "nothing was imported" in done.stderr
    assert f"{len(lines)} problems in {edited}" in done.stderr  # not "problem(s)"
    with open_project(demo_path, read_only=True) as project:
        assert registers.get(project, "risks", "R-001").values["title"] != ws["B2"].value


def test_a_dry_run_reports_without_writing(demo_path: Path, demo_workbook: Path) -> None:
    wb = openpyxl.load_workbook(demo_workbook)
    wb["Assets"].append([None, "Brand-new asset", "Hardware"])
    edited = demo_path.with_name("dry.xlsx")
    wb.save(edited)
    done = cli("import", str(demo_path), "--register", "assets", "--from", str(edited), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "would import" in done.stdout and "1 new" in done.stdout
    assert "rows into Assets:" in done.stdout  # the register's name, not its code
    with open_project(demo_path, read_only=True) as project:
        assert not registers.list_rows(project, "assets", text="Brand-new")


def patch_sheet(path: Path, change: Callable[[str], str]) -> None:
    """Edit the XML of the first sheet of a workbook (what openpyxl cannot write)."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = change(parts[name].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)


def with_cached_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells a cached result, as Excel saves them (openpyxl writes none)."""

    def change(xml: str) -> str:
        for ref, text in values.items():
            xml = re.sub(
                rf'<c r="{ref}"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?',
                rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{text}</v>',
                xml,
            )
        return xml

    patch_sheet(path, change)


def foreign_risk_register(path: Path) -> Path:
    """A risk register as consultants' templates look: title rows, odd headers, merges."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risk Register"
    ws["A1"] = "ACME Ltd — Information Security Risk Register"
    ws.merge_cells("A1:H1")
    ws["A2"] = "Version 3, approved by the board"
    ws.append([])
    ws.append(
        [
            "Risk ID",
            "Asset / Area",
            "Risk\nDescription",
            "Likelihood (1–5)",
            "Impact (1-5)",
            "Risk Owner",
            "Control Ref",
            "Review date",
            "Treatment option",
            "Comments",
        ]
    )
    ws.append(
        [
            "R-101",
            "A-001–A-003",
            "Laptop theft",
            "High",
            4,
            "Helen Marsh",
            "A.8.1 / A.7.9",
            "31/03/2027",
            "Mitigate",
            "x",
        ]
    )
    ws.append(
        [
            "R-102",
            "Client datasets",
            "Insider leak",
            "=2+1",
            "Major",
            "P-002",
            "A.5.15, A.8.3",
            dt.date(2027, 4, 30),
            "Tolerate",
            None,
        ]
    )
    ws.append(["R-103", "A-004", "Power cut", 2, "3 - Moderate", None, "8.14", 46000, None, None])
    ws.merge_cells("F6:F7")  # the owner of R-102 also owns R-103
    wb.save(path)
    with_cached_values(path, {"D6": "3"})
    return path


def test_a_foreign_risk_register_imports_with_no_help(demo_path: Path, tmp_path: Path) -> None:
    path = foreign_risk_register(tmp_path / "foreign.xlsx")
    with open_project(demo_path) as project:
        result = import_file(project, "risks", path)
        assert result.problems == (), result.problems
        assert result.plan.header_row == 4
        assert [c.header for c in result.plan.ignored] == ["Comments"]
        assert result.created == 3
        r101 = registers.get(project, "risks", "R-101").values
        assert r101["assets"] == ["A-001", "A-002", "A-003"]
        assert r101["inherent_likelihood"] == 4  # "High" on a five-level scale
        assert r101["owner"] == "P-001"  # by name
        assert sorted(r101["controls"]) == ["7.9", "8.1"]
        assert r101["next_review"] == dt.date(2027, 3, 31)
        assert r101["treatment"] == "modify"
        r102 = registers.get(project, "risks", "R-102").values
        assert r102["assets"] == ["A-001"]  # by the asset's name
        assert r102["inherent_likelihood"] == 3  # the formula's cached value
        assert r102["inherent_impact"] == 4  # the project's own label
        assert r102["treatment"] == "retain"
        r103 = registers.get(project, "risks", "R-103").values
        assert r103["owner"] == "P-002"  # merged cell filled
        assert r103["inherent_impact"] == 3
        assert r103["next_review"] == dt.date(2025, 12, 9)  # an Excel serial number


def test_sheet_header_row_and_map_options(demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "two-sheets.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["nothing to see"])
    ws = wb.create_sheet("Inventory")
    ws.append(["Ref No.", "Bezeichnung", "Art", "Bemerkung"])
    ws.append(["A-900", "Firewall", "Hardware", "ignored"])
    wb.save(path)
    with open_project(demo_path) as project:
        with pytest.raises(BadArgumentsError, match="no header row"):
            import_file(project, "assets", path)
        result = import_file(
            project,
            "assets",
            path,
            sheet="inventory",
            header_row=1,
            mapping=["Ref No.=code", "Bezeichnung=name", "Art=Type", "Bemerkung="],
        )
        assert result.problems == () and result.created == 1
        assert registers.get(project, "assets", "A-900").values["type"] == "hardware"


def test_unknown_references_are_reported_or_created(demo_path: Path, tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "refs.xlsx",
        [
            ["Risk", "Assets", "Risk owner", "Controls"],
            ["Van stolen", "Delivery van", "Nina Newcomer", "A.7.9"],
            ["Van crashes", "Delivery van", "Nina Newcomer", "9.99"],
        ],
    )
    with open_project(demo_path) as project:
        people = registers.count(project, "people")
        result = import_file(project, "risks", path)
        reasons = [(p.row, p.column, p.reason) for p in result.problems]
        assert (
            2,
            "B (Assets)",
            "Assets: there is no assets record 'Delivery van' (--create-missing creates it)",
        ) in reasons
        assert any(r == 2 and c == "C (Risk owner)" for r, c, _ in reasons)
        assert any(r == 3 and c == "D (Controls)" and "9.99" in m for r, c, m in reasons)
        assert not result.written
        result = import_file(project, "risks", path, create_missing=True)
        assert [p.row for p in result.problems] == [3]  # controls are never invented
        assert registers.count(project, "people") == people
        path = write_sheet(
            path,
            [
                ["Risk", "Assets", "Risk owner"],
                ["Van stolen", "Delivery van", "Nina Newcomer"],
                ["Van crashes", "Delivery van; A-001", "Nina Newcomer"],
            ],
        )
        result = import_file(project, "risks", path, create_missing=True)
        assert result.problems == () and result.records_created == {"assets": 1, "people": 1}
        summary = result.summary()
        assert "1 new record in Assets" in summary and "1 new record in People" in summary
        van = registers.list_rows(project, "assets", text="Delivery van")
        assert len(van) == 1 and van[0].values["type"] == "information"
        crash = registers.list_rows(project, "risks", text="Van crashes")[0].values
        assert crash["assets"] == sorted([van[0].code, "A-001"])
        assert registers.count(project, "people") == people + 1


def test_a_whole_number_too_long_for_a_float_is_a_problem_of_its_cell(
    demo_path: Path, tmp_path: Path
) -> None:
    # 400 digits went through float() to infinity and int() raised OverflowError: the
    # import ended in "internal error" instead of naming the row and column
    path = write_sheet(
        tmp_path / "digits.xlsx",
        [
            ["Asset", "Type", "Confidentiality"],
            ["Huge", "Hardware", "9" * 400],
            ["Exact", "Hardware", "12345678901234567891"],
        ],
    )
    with open_project(demo_path) as project:
        assets = registers.count(project, "assets")
        result = import_file(project, "assets", path)
        reasons = [(p.row, p.column, p.reason) for p in result.problems]
        assert [(r, c) for r, c, _ in reasons] == [
            (2, "C (Confidentiality)"),
            (3, "C (Confidentiality)"),
        ]
        assert reasons[1][2].endswith("not 12345678901234567891")  # the digits, not a float's
        assert not result.written and registers.count(project, "assets") == assets


def test_csv_with_semicolons_and_windows_encoding(demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        "Full name;Job title;E-mail\r\nJosé Müller;Auditor;j@m.eu\r\n".encode("cp1252")
    )
    done = cli("import", str(demo_path), "--register", "people", "--from", str(path))
    assert done.returncode == 0, done.stderr
    with open_project(demo_path, read_only=True) as project:
        person = registers.list_rows(project, "people", text="Müller")[0].values
    assert person["role"] == "Auditor" and person["email"] == "j@m.eu"


def test_hostile_files_give_one_clear_line(demo_path: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    done = cli("import", str(demo_path), "--register", "risks", "--from", str(fake))
    assert done.returncode == 4
    assert done.stderr.count("\n") == 1 and "not a spreadsheet" in done.stderr
    huge = write_sheet(
        tmp_path / "huge.xlsx", [["Code", "Issue", "Kind", "Effect"], ["CI-1", "y", "Internal"]]
    )
    wb = openpyxl.load_workbook(huge)
    wb.active["D2"] = "z" * 32_767  # openpyxl cuts longer text; the XML is made longer below
    wb.save(huge)
    patch_sheet(huge, lambda xml: xml.replace("z" * 32_767, "z" * 100_000))
    with open_project(demo_path) as project:
        result = import_file(project, "context", huge)
    assert [(p.row, p.column) for p in result.problems] == [(2, "D (Effect)")]
    assert "32,767" in result.problems[0].reason and len(result.problems[0].value) <= 60


def test_a_repeated_interaction_is_a_problem_of_its_row(demo_path: Path, tmp_path: Path) -> None:
    # (From, To, What flows) is unique: repeating one, or a row above, was an IntegrityError
    with open_project(demo_path, read_only=True) as project:
        first = registers.get(project, "interactions", "IX-001").values
        before = registers.count(project, "interactions")
    path = write_sheet(
        tmp_path / "interactions.xlsx",
        [
            ["Code", "From", "To", "What flows"],
            [None, first["source"], first["target"], first["flow"]],
            [None, first["source"], first["target"], "A new flow"],
            [None, first["source"], first["target"], "A new flow"],
        ],
    )
    done = cli("import", str(demo_path), "--register", "interactions", "--from", str(path))
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "nothing was imported" in done.stderr
    lines = [line for line in done.stderr.splitlines() if "row " in line]
    assert len(lines) == 2
    assert "row 2, column D (What flows): IX-001 already has the same From, To" in lines[0]
    assert "row 4, column D (What flows): IX-" in lines[1] and "added by this import" in lines[1]
    with open_project(demo_path, read_only=True) as project:
        assert registers.count(project, "interactions") == before


def twice_xlsx(path: Path) -> None:
    """A cell with two references: calamine takes the last, and would allocate the whole sheet
    to place it."""
    write_sheet(path, [["Code", "Issue", "Kind"], ["CI-901", "Hostile", "Internal"]])
    patch_sheet(path, lambda xml: xml.replace('<c r="C2"', '<c r="C2" r="XFD1048576"'))


def counted_ods(path: Path) -> None:
    """A row 90 cells wide repeated a million times, the count written "&#49;&#48;...":
    calamine reads it so and would fill 90 million cells (~3 GB, below its own limit of 100
    million); the scan once read it as 1."""
    cell = '<table:table-cell office:value-type="string"{}><text:p>{}</text:p></table:table-cell>'
    header = "".join(cell.format("", v) for v in ("Code", "Issue", "Kind"))
    row = "".join(cell.format("", v) for v in ("CI-901", "Hostile"))
    row += cell.format(' table:number-columns-repeated="88"', "Internal")
    count = "".join(f"&#{ord(digit)};" for digit in "1000000")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:'
            'oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:'
            'opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:'
            'text:1.0"><office:body><office:spreadsheet><table:table table:name="Sheet1">'
            f"<table:table-row>{header}</table:table-row>"
            f'<table:table-row table:number-rows-repeated="{count}">{row}</table:table-row>'
            "</table:table></office:spreadsheet></office:body></office:document-content>",
        )
        zf.writestr("META-INF/manifest.xml", "<manifest:manifest/>")


@pytest.mark.parametrize(
    ("name", "write", "said"),
    [
        (
            "twice.xlsx",
            twice_xlsx,
            ["its sheet xl/worksheets/sheet1.xml", 'tag <c r="C2" r="XFD1048576"', "r twice"],
        ),
        (
            "counted.ods",
            counted_ods,
            [
                "its content.xml cannot be read safely (sheet 'Sheet1', row 2: the tag "
                '<table:table-row table:number-rows-repeated="&#49;&#48;',
                "gives table:number-rows-repeated a value that is not a count); open it in "
                "LibreOffice and save it again",
            ],
        ),
    ],
)
def test_a_hostile_sheet_is_refused_and_nothing_imported(
    demo_path: Path, tmp_path: Path, name: str, write: Callable[[Path], None], said: list[str]
) -> None:
    path = tmp_path / name
    write(path)
    done = cli("import", str(demo_path), "--register", "context", "--from", str(path))
    assert done.returncode == 4 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"isms-desktop: {path} is not imported: "), done.stderr
    assert all(part in done.stderr for part in said), done.stderr
    with open_project(demo_path, read_only=True) as project:
        assert not registers.list_rows(project, "context", text="Hostile")


def test_an_import_can_be_cancelled_and_writes_nothing(
    demo_path: Path, demo_workbook: Path
) -> None:
    from isms_desktop.reports.progress import CancelledError

    book = open_spreadsheet(demo_workbook)
    plan = plan_import(book, "soa")
    with open_project(demo_path) as project, pytest.raises(CancelledError):
        run_import(project, plan, cancelled=lambda: True)


def test_the_import_command_refuses_bad_arguments(demo_path: Path, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "x.xlsx", [["Code"]])
    done = cli("import", str(demo_path), "--register", "bogus", "--from", str(path))
    assert done.returncode == 2 and "bogus" in done.stderr
    done = cli("import", str(demo_path), "--register", "risks", "--from", str(tmp_path / "no.xlsx"))
    assert done.returncode == 2 and "no such file" in done.stderr
    done = cli("import", str(demo_path), "--register", "risks", "--from", str(path), "--map", "X")
    assert done.returncode == 2 and "Header=field" in done.stderr


# --- messy input: never a crash, never a partial write ---------------------------------------

HEADERS = [*SPECS["context"].headers, "Kind", "Description", "Notes", "", "Climate", "Type"]
cells = st.one_of(
    st.none(),
    st.sampled_from(["Internal", "external", "Legal", "yes", "No", "CI-001", "=1", "  "]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.integers(-5, 50),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.booleans(),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1)),
)


@pytest.fixture(scope="module")
def fuzz_project(template_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.isms"
    shutil.copyfile(template_project, path)
    return path


def _snapshot(project: Project) -> list[tuple[Any, ...]]:
    return [
        (r.code, *sorted((k, str(v)) for k, v in r.values.items()))
        for r in registers.list_rows(project, "context")
    ]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7),
    body=st.lists(st.lists(cells, max_size=8), max_size=8),
    title_rows=st.integers(0, 2),
)
def test_random_sheets_never_crash_and_never_write_partially(
    fuzz_project: Path, tmp_path: Path, headers: list[str], body: list[list[Any]], title_rows: int
) -> None:
    rows: list[list[Any]] = [["Some title"] for _ in range(title_rows)]
    rows.append(headers)
    rows.extend(body)
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append([None if isinstance(v, str) and v.startswith("=") else v for v in row])
    path = tmp_path / "fuzz.xlsx"
    wb.save(path)
    with open_project(fuzz_project) as project:
        before = _snapshot(project)
        try:
            result = import_file(project, "context", path)
        except BadArgumentsError:
            assert _snapshot(project) == before  # no header: refused before anything
            return
        after = _snapshot(project)
        if not result.written:
            assert result.problems or not result.plan.rows
            assert after == before
        else:
            assert not result.problems
            assert len(after) == len(before) + result.created


def test_all_contract_registers_have_sheets_the_importer_finds(demo_workbook: Path) -> None:
    book = open_spreadsheet(demo_workbook)
    for name in REGISTER_NAMES:
        assert plan_import(book, name).sheet == sheet_name(name)
