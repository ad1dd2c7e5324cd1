"""The Excel export: one sheet per register, formatted for sharing, read back by two readers."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from isms_desktop import __version__
from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.domain.fields import Kind
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.registers import REGISTER_NAMES, sheet_name
from isms_desktop.reports import xlsx_export
from isms_desktop.reports.progress import CancelledError
from isms_desktop.reports.xlsx_export import export_workbook
from isms_desktop.services import registers
from isms_desktop.services.risk_method import current_method
from isms_desktop.storage.project_file import open_project


@pytest.fixture(scope="module")
def demo_workbook(template_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "demo.xlsx"
    with open_project(template_demo, read_only=True) as project:
        export_workbook(project, out)
    return out


@pytest.fixture(scope="module")
def loaded(demo_workbook: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(demo_workbook)


def test_one_sheet_per_register_named_as_the_contract_says(loaded: openpyxl.Workbook) -> None:
    assert loaded.sheetnames[0] == "Cover"
    for name in REGISTER_NAMES:
        assert sheet_name(name) in loaded.sheetnames, name
        ws = loaded[sheet_name(name)]
        headers = [c.value for c in ws[1]]
        assert headers == list(SPECS[name].headers), name  # even for an empty register


def test_every_sheet_is_formatted_for_sharing(loaded: openpyxl.Workbook) -> None:
    for name in REGISTER_NAMES:
        ws = loaded[sheet_name(name)]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
        assert all(c.font.bold for c in ws[1])
        for index in range(1, ws.max_column + 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(index)].width
            assert xlsx_export.MIN_WIDTH <= width <= xlsx_export.MAX_WIDTH


def test_values_are_typed_dates_numbers_and_codes(loaded: openpyxl.Workbook) -> None:
    ws = loaded["Risks"]
    headers = [c.value for c in ws[1]]
    first = {h: c for h, c in zip(headers, ws[2], strict=True)}
    assert isinstance(first["Likelihood"].value, int)
    assert isinstance(first["Next review"].value, dt.datetime)  # a real Excel date
    assert first["Next review"].number_format == "yyyy-mm-dd"
    assert first["Risk level"].value in {"Low", "Medium", "High", "Critical"}
    assert first["Assets"].value.startswith("A-")  # cross-references as codes
    assert first["C"].value in ("Yes", "No")
    treatment = loaded["Treatment"]
    progress = [r[8].value for r in treatment.iter_rows(min_row=2)]
    assert progress and all(isinstance(v, int) for v in progress if v is not None)


def test_enumerated_columns_have_drop_downs_and_levels_their_colours(
    loaded: openpyxl.Workbook, template_demo: Path
) -> None:
    ws = loaded["Risks"]
    headers = [c.value for c in ws[1]]
    letter = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(headers, start=1)}
    validated = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            validated[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    treatment = validated[letter["Treatment"]]
    assert treatment.type == "list" and "Modify (mitigate)" in treatment.formula1
    assert validated[letter["Status"]].type == "list"
    assert validated[letter["Likelihood"]].type == "whole"
    assert validated[letter["C"]].formula1 == '"Yes,No"'
    with open_project(template_demo, read_only=True) as project:
        method = current_method(project)
    rules = {
        rule.formula[0].strip('"'): rule.dxf.fill.fgColor.rgb
        for cf in ws.conditional_formatting
        if str(cf.sqref).startswith(letter["Risk level"])
        for rule in cf.rules
    }
    for level in method.levels:
        assert rules[level.label].endswith(level.colour.lstrip("#").upper())


def test_the_cover_names_the_organisation_and_links_every_sheet(
    loaded: openpyxl.Workbook,
) -> None:
    cover = loaded["Cover"]
    values = {r[0].value: r[1].value for r in cover.iter_rows() if r[0].value}
    assert values["Organisation"] == "Brightwave Analytics Ltd"
    assert isinstance(values["Exported on"], dt.datetime)
    assert "isms-desktop" in values["Exported with"]
    links = {c.value: c.hyperlink.location for c in cover["A"] if c.hyperlink is not None}
    for name in REGISTER_NAMES:
        assert links[sheet_name(name)].replace("'", "") == f"{sheet_name(name)}!A1"


def test_the_file_properties_name_the_application_and_the_organisation(
    loaded: openpyxl.Workbook,
) -> None:
    """A receiver's file properties show who made the file, not the library ("openpyxl")."""
    props = loaded.properties
    assert props.creator == props.lastModifiedBy == f"isms-desktop {__version__}"
    assert props.title == "ISMS registers — Brightwave Analytics Ltd"
    assert props.subject == "ISO/IEC 27001:2022"


def test_calamine_reads_what_openpyxl_reads(demo_workbook: Path, loaded: openpyxl.Workbook) -> None:
    book = python_calamine.CalamineWorkbook.from_path(str(demo_workbook))
    for name in ("Risks", "Soa", "Assets", "Treatment"):
        fast = book.get_sheet_by_name(name).to_python()
        slow = [list(r) for r in loaded[name].iter_rows(values_only=True)]
        assert len(fast) == len(slow)
        for a, b in zip(fast, slow, strict=True):
            normalised = ["" if v is None else _day(v) for v in b]
            assert [v if not isinstance(v, float) else int(v) for v in a] == normalised


def _day(value: object) -> object:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def test_text_that_looks_like_a_formula_stays_text(project_path: Path, tmp_path: Path) -> None:
    risky = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "#N/A", "=1\n+2"]
    with open_project(project_path) as project:
        for text in risky:
            registers.create(project, "context", {"kind": "internal", "description": text})
        out = tmp_path / "risky.xlsx"
        export_workbook(project, out, ["context"])
    with zipfile.ZipFile(out) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    ws = openpyxl.load_workbook(out)["Context"]
    column = [c.value for c in ws["D"][1:]]
    assert sorted(column) == sorted(risky)
    for cell in ws["D"][1:]:
        assert cell.data_type == "s"
        if cell.value[0] in "=+-@":
            assert cell.quotePrefix  # stays text when edited in Excel


@pytest.mark.parametrize("text", ["\tcmd", "\rcmd", "=cmd|' /C calc'!A0", "-1", "#REF!"])
def test_the_cell_writer_never_writes_a_formula(text: str) -> None:
    wb = openpyxl.Workbook(write_only=True)
    builder = xlsx_export._WorkbookBuilder(wb, None)
    ws = wb.create_sheet("S")
    cell = builder.text(ws, text, 60)
    assert isinstance(cell, openpyxl.cell.cell.Cell)
    assert cell.data_type == "s" and cell.value == text and cell.quotePrefix


def test_long_text_is_cut_to_excel_limit_and_reported(project_path: Path, tmp_path: Path) -> None:
    with open_project(project_path) as project:
        registers.create(
            project, "context", {"kind": "internal", "description": "x", "effect": "y" * 40_000}
        )
        result = export_workbook(project, tmp_path / "long.xlsx", ["context"])
    assert result.truncated == ("Context CI-001 Effect on the ISMS",)
    ws = openpyxl.load_workbook(tmp_path / "long.xlsx")["Context"]
    assert len(ws["E2"].value) == 32_767
    assert ws["E2"].alignment.wrap_text


def test_long_choice_lists_live_in_a_hidden_sheet(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_export, "INLINE_LIST_LIMIT", 10)
    with open_project(project_path, read_only=True) as project:
        export_workbook(project, tmp_path / "lists.xlsx", ["context"])
    wb = openpyxl.load_workbook(tmp_path / "lists.xlsx")
    assert wb["Lists"].sheet_state == "hidden"
    formulas = [dv.formula1 for dv in wb["Context"].data_validations.dataValidation]
    assert any(f.replace("'", "").startswith("Lists!$") for f in formulas)
    assert wb["Lists"]["B1"].value == "Context: Category"


def test_a_cancelled_export_leaves_no_file(template_demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "out.xlsx"
    calls: list[tuple[int, int]] = []
    with open_project(template_demo, read_only=True) as project, pytest.raises(CancelledError):
        export_workbook(
            project,
            target,
            progress=lambda done, total: calls.append((done, total)),
            cancelled=lambda: len(calls) >= 3,
        )
    assert not target.exists()
    assert list(folder.iterdir()) == []  # no temporary file left behind either


def test_a_failed_export_keeps_the_previous_file(
    template_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "out.xlsx"
    target.write_bytes(b"previous")

    def broken(*_args: object, **_kw: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(xlsx_export, "_write_cover", broken)
    with open_project(template_demo, read_only=True) as project, pytest.raises(OSError):
        export_workbook(project, target, ["context"])
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in folder.iterdir()) == ["out.xlsx"]


def test_registers_can_be_chosen_and_unknown_ones_are_refused(
    template_demo: Path, tmp_path: Path
) -> None:
    with open_project(template_demo, read_only=True) as project:
        result = export_workbook(project, tmp_path / "two.xlsx", ["risks", "assets"])
        assert result.sheets == ("Assets", "Risks")
        with pytest.raises(BadArgumentsError, match="no register named 'bogus'"):
            export_workbook(project, tmp_path / "x.xlsx", ["bogus"])
        with pytest.raises(BadArgumentsError, match="no such folder"):
            export_workbook(project, tmp_path / "missing" / "x.xlsx")
    assert openpyxl.load_workbook(tmp_path / "two.xlsx").sheetnames == ["Cover", "Assets", "Risks"]


def test_every_kind_of_field_exports(loaded: openpyxl.Workbook) -> None:
    kinds = {f.kind for spec in SPECS.values() for f in spec.fields}
    assert Kind.NUMBER in kinds and Kind.DATETIME in kinds  # covered by metrics and incidents
    assert loaded["Metrics"]["A1"].value == "Code"
    assert loaded["Incidents"]["A1"].value == "Code"


def test_the_command_line_exports(template_demo: Path, tmp_path: Path) -> None:
    project = tmp_path / "demo.isms"
    shutil.copyfile(template_demo, project)
    out = tmp_path / "cli.xlsx"
    cmd = [sys.executable, "-m", "isms_desktop", "export", str(project), "--xlsx", str(out)]
    done = subprocess.run([*cmd, "--register", "risks"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(out).sheetnames == ["Cover", "Risks"]
    bad = subprocess.run([*cmd, "--register", "nonsense"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "nonsense" in bad.stderr and "Traceback" not in bad.stderr
