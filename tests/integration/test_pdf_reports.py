"""PDF reports built from real project files and read back with pypdf (and qpdf, pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from sqlalchemy import select

from isms_desktop.cli import main
from isms_desktop.domain.audit_checklist import RESULT_LABELS
from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.reports.pdf import sources
from isms_desktop.reports.pdf.engine import RenderResult
from isms_desktop.reports.pdf.kinds import make_report, parse_kind
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.reports.progress import CancelledError
from isms_desktop.services import registers, soa
from isms_desktop.storage import models
from isms_desktop.storage.project_file import open_project

UNICODE_TITLE = "Zugriffsrichtlinie – Müller & Søn “Zugang” 100 €"
POLICY_BODY = """# Zugriffsrichtlinie

Geltungsbereich für alle Standorte.

## 1. Zweck

Die Richtlinie gilt für **alle** Mitarbeitenden – auch „Externe“.

- Zugang nur nach Freigabe
- Prüfung *jedes* Quartal

## 2. Rollen

| Rolle | Aufgabe |
|---|---|
| ISB | Prüft das Budget von 5 000 € |
"""
WHOLE_KINDS = ("soa", "risks", "treatment-plan", "manual")
RECORD_KINDS = ("policy:POL-TST", "audit:AU-TST", "management-review:MR-TST")
DEMO_RECORD_KINDS = ("audit:AU-001", "management-review:MR-001", "policy:POL-001")  # the demo's
OPTIONS = ReportOptions(classification="Confidential")


def _add_records(path: Path) -> None:
    """A policy with German text, an audit with a finding and a review (the demo lacks them)."""
    project = open_project(path)
    try:
        registers.create(
            project, "documents", {"code": "POL-TST", "title": UNICODE_TITLE, "type": "policy"}
        )
        registers.create(
            project,
            "audits",
            {"code": "AU-TST", "title": "Internal audit 2026", "status": "completed"},
        )
        registers.create(
            project,
            "findings",
            {
                "code": "F-TST",
                "audit": "AU-TST",
                "kind": "minor_nc",
                "requirement": "5.18",
                "description": "The access review of the second quarter is missing",
            },
        )
        registers.create(
            project,
            "reviews",
            {
                "code": "MR-TST",
                "title": "Management review 2026",
                "status": "held",
                "minutes": "The audit results were discussed.",
                "decisions": "The treatment plan is approved.",
            },
        )
        with project.transaction() as session:
            doc = session.scalars(
                select(models.Document).where(models.Document.code == "POL-TST")
            ).one()
            doc.body = POLICY_BODY
    finally:
        project.close()


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, template_demo: Path, template_project: Path
) -> dict[tuple[str, str], tuple[Path, RenderResult]]:
    """Every report kind for the demo (with added records) and for an empty project."""
    folder = tmp_path_factory.mktemp("pdf")
    demo = folder / "demo.isms"
    shutil.copyfile(template_demo, demo)
    _add_records(demo)
    empty = folder / "empty.isms"
    shutil.copyfile(template_project, empty)
    results: dict[tuple[str, str], tuple[Path, RenderResult]] = {}
    for name, path, kinds in (
        ("demo", demo, (*WHOLE_KINDS, *RECORD_KINDS, *DEMO_RECORD_KINDS, "soa:1")),
        ("empty", empty, WHOLE_KINDS),
    ):
        project = open_project(path, read_only=True)
        try:
            for kind in kinds:
                out = folder / f"{name}-{kind.replace(':', '_')}.pdf"
                results[(name, kind)] = (out, make_report(project, kind, out, options=OPTIONS))
        finally:
            project.close()
    return results


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path, strict=True).pages)


def _outline_titles(path: Path) -> list[str]:
    reader = PdfReader(path)
    titles: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))  # type: ignore[attr-defined]

    walk(reader.outline)
    return titles


@pytest.mark.parametrize("kind", WHOLE_KINDS + RECORD_KINDS)
def test_every_kind_builds_for_the_demo_and_reads_back(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], kind: str
) -> None:
    path, result = built[("demo", kind)]
    reader = PdfReader(path, strict=True)
    assert len(reader.pages) == result.pages >= 3
    meta = reader.metadata
    assert meta is not None
    assert meta.author == "Brightwave Analytics Ltd"
    assert meta.title and meta.subject and "Brightwave" in meta.subject
    assert meta.creator.startswith("isms-desktop")
    text = _text(path)
    assert "Contents" in text
    assert "Classification: Confidential" in text
    assert f"Page 1 of {result.pages}" not in text  # the cover has no footer
    assert f"Page 2 of {result.pages}" in text
    assert "Contents" in _outline_titles(path)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
@pytest.mark.parametrize("kind", WHOLE_KINDS + RECORD_KINDS)
def test_qpdf_finds_no_error(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], kind: str
) -> None:
    path, _ = built[("demo", kind)]
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_soa_lists_themes_in_order_with_every_control(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    path, _ = built[("demo", "soa")]
    text = _text(path)
    positions = [
        text.index(f"{title} (")
        for title in (
            "5 Organizational controls",
            "6 People controls",
            "7 Physical controls",
            "8 Technological controls",
        )
    ]
    body = text[text.index("About this Statement of Applicability", text.index("Contents") + 200) :]
    assert positions == sorted(positions)
    for code in ("5.1", "5.37", "6.8", "7.14", "8.34"):
        assert f"\n{code} " in body or f"\n{code}\n" in body
    outline = _outline_titles(path)
    assert outline[:2] == ["Contents", "About this Statement of Applicability"]
    assert sum(1 for t in outline if t.endswith("controls (37)") or "controls (" in t) == 4


def test_register_table_repeats_its_header_on_every_page(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    path, _ = built[("demo", "soa")]
    reader = PdfReader(path)
    table_pages = [
        page.extract_text()
        for page in reader.pages[3:]
        if "How it is implemented" in page.extract_text()
    ]
    assert len(table_pages) >= 8
    for page in table_pages:  # narrow columns wrap their headers
        assert "Justification of exclusion" in " ".join(page.split())
        assert "Evidence" in page


def test_risks_report_has_method_heat_maps_and_register(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    path, _ = built[("demo", "risks")]
    text = _text(path)
    order = ["Risk assessment method", "Risk matrix", "Inherent (44 risks)", "R-001", "R-044"]
    body = text[text.index("Risk assessment method", text.index("Contents") + 100) :]
    positions = [body.index(x) for x in order]
    assert positions == sorted(positions)
    assert _outline_titles(path) == [
        "Contents",
        "Risk assessment method",
        "Risk heat maps",
        "Risk register",
        "Risk acceptance",
    ]


def _pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


APPROVED = re.compile(r"changed since version 1 \(approved (\d{4}-\d{2}-\d{2})\)")


def test_demo_soa_names_its_approved_version_and_the_change_since(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    """The cover and every footer name version 1 and say the SoA changed since; the summary
    lists the change (the demo approved it at the management review, 8.16 moved on)."""
    pages = _pages(built[("demo", "soa")][0])
    cover = pages[0]
    found = APPROVED.search(cover)
    assert found, cover
    on = found.group(1)
    assert "Current — changed since version 1" in cover
    for line in ("Approved by\nHelen Marsh", f"Approved on\n{on}", "(8.16)"):
        assert line in cover, line
    assert "Management review" not in cover and "MR-001" in cover  # the approval note
    for page in pages[1:]:
        assert f"Version: Current — changed since version 1 (approved {on})" in page
    text = "\n".join(pages)
    assert "Not yet approved" not in text and "Draft" not in text
    summary = next(
        p for p in pages if p.count("About this Statement of Applicability") and "93" in p
    )
    changes = summary[summary.index(f"Changes since version 1 (approved {on})") :]
    assert "8.16" in changes and "Planned" in changes and "Partially implemented" in changes


def test_a_frozen_version_prints_as_approved_without_todays_evidence(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    pages = _pages(built[("demo", "soa:1")][0])
    assert "1 (approved version as frozen)" in pages[0] and "Changed since" not in pages[0]
    assert all("Version: 1 (approved version as frozen)" in page for page in pages[1:])
    tables = [page for page in pages if "How it is implemented" in page]
    assert tables and not any("Evidence" in page for page in tables)


def test_soa_approved_again_prints_the_new_version(demo_path: Path, tmp_path: Path) -> None:
    with open_project(demo_path) as project:
        version = soa.approve(project, "Helen Marsh", "after the stage 1 audit")
        out = tmp_path / "soa.pdf"
        make_report(project, "soa", out, options=OPTIONS)
    pages = _pages(out)
    on = version.approved_on.isoformat()
    assert f"Version\n2 (approved {on})" in pages[0]
    assert "Approval note\nafter the stage 1 audit" in pages[0]
    assert "changed since" not in "\n".join(pages).lower()
    assert all(f"Version: 2 (approved {on})" in page for page in pages[1:])


def _summary_figures(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """The label/number pairs of the SoA summary: the decisions, then the statuses."""
    head, _, rest = text.partition("Implementation of the ")
    statuses = rest.split("\n", 1)[1].split("Changes since")[0]

    def pairs(part: str) -> dict[str, int]:
        found = re.findall(r"^ ?([A-Za-z][^\n]*)\n(\d+)$", part, flags=re.M)
        return {label.strip(): int(n) for label, n in found}

    return pairs(head), pairs(statuses)


def test_soa_summary_counts_every_control_once(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    """Excluded controls are counted as excluded, not again as "Not applicable"; the
    implementation figures are those of the applicable controls and add up to them."""
    pages = _pages(built[("demo", "soa")][0])
    summary = next(p for p in pages if "Implementation of the " in p)
    decisions, statuses = _summary_figures(summary)
    assert decisions["Controls"] == 93
    assert decisions["Applicable"] + decisions["Excluded (not applicable)"] == 93
    assert decisions == {"Controls": 93, "Applicable": 91, "Excluded (not applicable)": 2}
    assert f"Implementation of the {decisions['Applicable']} applicable controls" in summary
    assert sum(statuses.values()) == decisions["Applicable"]
    assert statuses == {
        "Not started": 0,
        "Planned": 3,
        "Partially implemented": 4,
        "Implemented": 84,
    }


def _word_x(path: Path, page: int, words: tuple[str, ...]) -> dict[str, float]:
    """Where each word first starts on a page (points from the left), by pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, float] = {}
    for x, word in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', html):
        if word in words:
            found.setdefault(word, float(x))
    return found


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_soa_columns_are_narrow_for_yes_no_and_show_the_evidence(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    path = built[("demo", "soa")][0]
    page = next(
        i
        for i, p in enumerate(_pages(path), 1)
        if "Physical controls (14)" in p and "How it is implemented" in p
    )
    x = _word_x(
        path, page, ("Applicable", "Reasons", "Justification", "Implementation", "How", "Evidence")
    )
    assert len(x) == 6, x
    assert x["Reasons"] - x["Applicable"] < 18 * mm  # "Yes"/"No": as wide as its header
    assert x["Implementation"] - x["Justification"] < 26 * mm  # filled for 2 controls only
    assert x["Evidence"] - x["How"] > 70 * mm  # the long text keeps its room
    text = " ".join(_text(path).split())
    assert "• Physical security procedure v1.1.pdf" in text  # 7.6's evidence, by name
    assert "(expired " in text  # an expired certificate or report is marked


def test_treatment_plan_lists_actions(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    text = _text(built[("demo", "treatment-plan")][0])
    assert "TA-001" in text and "Move backups to a separate" in text
    assert "Overdue" in text


def test_unicode_text_survives_in_the_embedded_fonts(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    path, _ = built[("demo", "policy:POL-TST")]
    text = _text(path)
    for piece in ("Müller", "Søn", "–", "€", "“Zugang”", "„Externe“", "5 000 €"):
        assert piece in text, piece
    reader = PdfReader(path)
    fonts = set()
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][
                0
            ].get_object().get("/FontDescriptor")
            if descriptor is not None:
                assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    assert any("DejaVuSans" in f for f in fonts)
    assert not any("Helvetica" in f for f in fonts)
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        assert "Müller & Søn “Zugang” 100 €" in out.stdout.replace("\n", " ")


def test_policy_headings_become_sections_and_bookmarks(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    path, _ = built[("demo", "policy:POL-TST")]
    assert _outline_titles(path) == [
        "Contents",
        "Document control",
        "Introduction",
        "1. Zweck",
        "2. Rollen",
    ]
    assert PdfReader(path).metadata.title == UNICODE_TITLE  # type: ignore[union-attr]


def test_audit_and_review_reports(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    audit = _text(built[("demo", "audit:AU-TST")][0])
    assert "F-TST" in audit and "The access review of the second quarter" in audit
    assert "Minor" in audit and "nonconformity" in audit
    assert "No checklist questions recorded." in audit
    review = _text(built[("demo", "management-review:MR-TST")][0])
    assert review.index("Minutes") < review.index("The audit results were discussed.")
    assert "The treatment plan is approved." in review


def test_short_cells_keep_their_words_whole(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], template_demo: Path
) -> None:
    """A checklist's results and refs, a nonconformity's status: never "Conformin / g" or
    "A.5.1 / 7" (which reads as another control) because the column was too narrow."""
    project = open_project(template_demo, read_only=True)
    try:
        audit = sources.find(project, "audits", "AU-001", "audit")
        lines = sources.checklist(project, audit.id)
        statuses = [
            sources.text(n, "status")
            for n in sources.rows(project, "nonconformities")
            if n.values.get("finding")
        ]
    finally:
        project.close()
    cells = [RESULT_LABELS[line.result] for line in lines] + [line.ref for line in lines]
    cells += statuses
    assert "Minor nonconformity" in cells and "A.5.17" in cells and "Implemented" in cells
    words = _text(built[("demo", "audit:AU-001")][0]).split()
    for word, needed in Counter(w for cell in cells for w in cell.split()).items():
        assert words.count(word) >= needed, word
    assert "Conformin" not in words and "Implemente" not in words


@pytest.mark.parametrize(
    ("kind", "status"), [("audit:AU-001", "Completed"), ("management-review:MR-001", "Closed")]
)
def test_audit_and_review_print_their_status_as_status_not_as_version(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], kind: str, status: str
) -> None:
    """An audit or a review has no versions: "Version: Completed" misleads a reader."""
    pages = _pages(built[("demo", kind)][0])
    cover = " ".join(pages[0].split())
    assert f"Status {status}" in cover and "Version" not in cover
    for page in pages[1:]:
        assert f"Status: {status}" in page and "Version:" not in page


def test_review_inputs_show_statuses_as_the_registers_do(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    """The status column of the 9.3.2 inputs says "Minor nonconformity" and "Below target",
    not the stored "minor nc" and "warning"."""
    path = built[("demo", "management-review:MR-001")][0]
    text = " ".join(_text(path).split())
    for label in (
        "Minor nonconformity",
        "Major nonconformity",
        "Opportunity for improvement",
        "Below target",
        "On target",
        "Action planned",
        "On track",
        "At risk",
        "In progress",
        "Current",
    ):
        assert label in text, label
    # a status cell beside a record of several lines is a line of its own
    lines = {line.strip() for line in _text(path).splitlines()}
    codes = {"minor nc", "major nc", "ofi", "warning", "alert", "on track", "at risk", "current"}
    assert not lines & codes


def test_sector_and_document_statuses_are_printed_as_labels(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], template_demo: Path
) -> None:
    """The manual's sector and a policy's version history as a reader says them, not as
    they are stored ("it_services", "draft", "published")."""
    manual = " ".join(_text(built[("demo", "manual")][0]).split())
    assert "Sector IT services and software" in manual and "it_services" not in manual
    policy = _pages(built[("demo", "policy:POL-001")][0])
    history = next(" ".join(p.split()) for p in policy if "Version history" in p)
    # (the demo's dates are counted back from the day it is made)
    with open_project(template_demo, read_only=True) as project:
        approved = registers.get(project, "documents", "POL-001").values["approved_on"]
    assert "0.1 Draft" in history and f"2.0 Published {approved.isoformat()}" in history
    assert "0.1 draft" not in history and "2.0 published" not in history


def test_audit_report_lists_the_corrective_actions_of_its_nonconformities(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], template_demo: Path
) -> None:
    """10.2 d–g: beside correction and root cause, the actions taken, by whom and when."""
    pages = _pages(built[("demo", "audit:AU-001")][0])
    page = next(" ".join(p.split()) for p in pages if "Corrective actions" in p)
    actions = page[page.index("Corrective actions") :]
    assert "AC-001 NC-001 Assign restore tests to IT operations" in actions
    assert "AC-005 NC-003 Add 'record training and competence'" in actions
    # (the demo's dates are counted back from the day it is made)
    with open_project(template_demo, read_only=True) as project:
        done = registers.get(project, "actions", "AC-005").values
    due, completed = done["due_date"].isoformat(), done["completed_on"].isoformat()
    assert f"Tom Lindqvist {due} Done {completed}" in actions
    assert "AC-006" not in actions  # an incident's action, not this audit's
    assert "Corrective actions" not in _text(built[("demo", "audit:AU-TST")][0])


def test_manual_has_every_chapter_in_order_with_links(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    path, result = built[("demo", "manual")]
    outline = _outline_titles(path)
    chapters = [
        "2  Context of the organisation",
        "3  Leadership",
        "4  Policies and documented information",
        "5  Planning: risks, treatment and controls",
        "6  Support: competence and awareness",
        "7  Performance evaluation",
        "8  Improvement",
    ]
    assert [t for t in outline if t in chapters] == chapters
    for section in (
        "2.4  ISMS processes and their interactions (4.4)",
        "5.3  Risk register",
        "5.9  Statement of Applicability",
    ):
        assert section in outline
    assert any(t.endswith("POL-TST " + UNICODE_TITLE) for t in outline)
    reader = PdfReader(path)
    links = [
        annot.get_object()
        for page in reader.pages[1:3]
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) >= len(chapters)  # the contents lines are clickable
    assert result.pages > 20


@pytest.mark.parametrize("kind", ("risks", "treatment-plan", "manual"))
def test_register_reports_print_their_date_once(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], kind: str
) -> None:
    """A report of the registers as they are has a date but no version: the cover and the
    footers say the date once (they said "Version: 2026-12-07 · 2026-12-07")."""
    pages = _pages(built[("demo", kind)][0])
    day = OPTIONS.date.isoformat()
    cover = pages[0]
    assert f"Date\n{day}" in cover and cover.count(day) == 1 and "Version" not in cover
    for page in pages[1:]:
        footer = next(line for line in page.splitlines() if "Classification:" in line)
        assert footer.split() == ["Classification:", "Confidential", "·", day]


def test_heat_maps_label_every_impact_level_the_same_way(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    """Each map names every impact level by number and label (the narrow cells dropped
    "Negligible" and "Moderate" and kept the others)."""
    pages = _pages(built[("demo", "risks")][0])
    page = next(p for p in pages if "Inherent (44 risks)" in p)  # the text says "1 Negligible,"
    maps = page[page.index("Risk heat maps") :]  # (the risk matrix may be above them)
    for number, label in enumerate(("Negligible", "Minor", "Moderate", "Major", "Severe"), 1):
        assert maps.count(f"{number}\n{label}") == 2, label  # once under each map
    for number, label in enumerate(("Rare", "Unlikely", "Possible", "Likely"), 1):
        assert maps.count(f"{number} {label}\n") == 2, label


@pytest.mark.parametrize("kind", WHOLE_KINDS)
def test_empty_project_says_none_recorded(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], kind: str
) -> None:
    path, _ = built[("empty", kind)]
    text = _text(path)
    assert "Acme Test Ltd" in text
    if kind != "soa":
        assert "recorded" in text  # "No risks recorded." and the like


def test_unknown_kind_and_code_are_refused() -> None:
    with pytest.raises(BadArgumentsError, match="unknown report kind"):
        parse_kind("minutes")
    with pytest.raises(BadArgumentsError, match="needs the code"):
        parse_kind("policy")
    assert str(parse_kind("Audit:AU-1")) == "audit:AU-1"


def test_cli_writes_pdf_and_refuses_unknown_code(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "soa.pdf"
    assert main(["report", str(demo_path), "soa", "--pdf", str(out)]) == 0
    assert PdfReader(out).metadata.title == "Statement of Applicability"  # type: ignore[union-attr]
    capsys.readouterr()
    assert main(["report", str(demo_path), "audit:NOPE", "--pdf", str(tmp_path / "a.pdf")]) == 2
    err = capsys.readouterr().err
    assert "no audit with the code 'NOPE'" in err and "Traceback" not in err
    assert not (tmp_path / "a.pdf").exists()
    assert main(["report", str(demo_path), "soa", "--pdf", str(tmp_path / "no" / "x.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cancel_leaves_no_file(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "manual.pdf"
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    project = open_project(demo_path, read_only=True)
    try:
        with pytest.raises(CancelledError):
            make_report(project, "manual", out, progress=progress, cancelled=lambda: len(calls) > 3)
        result = make_report(project, "treatment-plan", out, progress=progress)
    finally:
        project.close()
    assert list(tmp_path.glob("*.part")) == []
    assert result.path == out and out.is_file()
    assert calls[-1] == (1000, 1000)


def test_the_manual_prints_a_policy_in_force_not_its_new_draft(
    demo_path: Path, tmp_path: Path
) -> None:
    """While a new version of a published policy is drafted, the ISMS manual prints the
    version in force, as its Word file and its own PDF do (it printed the working draft
    under the register's row)."""
    from isms_desktop.domain import document_workflow as wf
    from isms_desktop.services import documents

    with open_project(demo_path) as project:
        detail = documents.get_document(project, "POL-002")
        assert detail.status == "published"
        in_force = documents.output_document(project, "POL-002")
        documents.step(project, "POL-002", wf.Step.REVISE)
        documents.save_draft(
            project, "POL-002", in_force.body + "\n\nUNAPPROVED SENTENCE OF THE NEW DRAFT.\n"
        )
        out = tmp_path / "manual.pdf"
        make_report(project, "manual", out)
    text = " ".join(_text(out).split())
    assert "UNAPPROVED SENTENCE" not in text
    assert f"Version {in_force.version}, published" in text


def test_a_short_document_has_no_page_of_contents(demo_path: Path, tmp_path: Path) -> None:
    """A document of two sections (its control block and a few lines) is not given a page of
    contents listing them: the text follows the cover."""
    out = tmp_path / "ext.pdf"
    with open_project(demo_path) as project:
        result = make_report(project, "policy:EXT-001", out)
    outline = _outline_titles(out)
    assert "Contents" not in outline
    assert outline[0] == "Document control"
    assert result.pages == len(PdfReader(out).pages) == 2
    assert "Document control" in (PdfReader(out).pages[1].extract_text() or "")


def test_the_manual_lists_corrective_actions_and_what_is_overdue(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], template_demo: Path
) -> None:
    """Chapter 8 says, beside each nonconformity, who checked its effectiveness and when,
    lists the corrective actions (10.2 d-g), and puts the overdue open actions first under a
    heading of their own."""
    import datetime as dt

    text = " ".join(_text(built[("demo", "manual")][0]).split())
    chapter = text[text.rindex("Nonconformities and corrective action (10.2)") :]
    # who checked the effectiveness and when, in one column (in three, the text was cut to
    # two or three words a line)
    assert "Effectiveness checked" in chapter
    assert re.search(r"Effective Checked by \w[\w ]+ on \d{4}-\d{2}-\d{2}", chapter)
    corrective = chapter[chapter.index("Corrective actions") :]
    assert "AC-001 NC-001" in corrective
    with open_project(template_demo, read_only=True) as project:
        actions = registers.list_rows(project, "actions")
    today = dt.date.today()
    late = [
        a.code
        for a in actions
        if a.values["status"] in ("open", "in_progress")
        and a.values["due_date"] is not None
        and a.values["due_date"] < today
    ]
    assert late, "the demo has overdue actions"
    heading = f"Overdue on {today.isoformat()} ({len(late)})"
    assert heading in chapter
    overdue = chapter[chapter.index(heading) : chapter.index("Open, not yet due")]
    assert all(code in overdue for code in late)


MM = 72 / 25.4


def _body_lines(page: object) -> list[tuple[float, float, str, str]]:
    """The text of a page between the running header and footer: (baseline, size, font,
    text) of each piece, read with pypdf."""
    found: list[tuple[float, float, str, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            y = tm[5] * cm[3] + cm[5]
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            found.append((y, abs(size * (tm[3] or 1) * cm[3]), name, text.strip()))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    top = float(page.mediabox.height) - 22 * MM  # type: ignore[attr-defined]
    return [line for line in found if 18 * MM < line[0] < top + 2]


@pytest.mark.parametrize(
    "kind", (*WHOLE_KINDS, *DEMO_RECORD_KINDS, "policy:POL-TST", "audit:AU-TST")
)
def test_no_page_is_blank_or_ends_with_a_heading(
    built: dict[tuple[str, str], tuple[Path, RenderResult]], kind: str
) -> None:
    """Every page after the cover has text, and none has a heading as its last line: a
    heading stays with the start of its text, table, list or chart (the manual's headings
    over a long table went to the next page with the whole table, leaving most of a page
    blank; a policy's heading over a bullet list could stand alone at a page's foot)."""
    reader = PdfReader(built[("demo", kind)][0])
    for number, page in enumerate(reader.pages[1:], start=2):
        lines = _body_lines(page)
        assert lines, f"{kind}: page {number} is blank"
        lowest = min(y for y, *_ in lines)
        last = [line for line in lines if line[0] - lowest < 2]
        # the headings are bold and larger than 10 points (text, tables, contents: ≤ 10)
        headings = [text for _, size, font, text in last if size > 10.2 and "Bold" in font]
        assert not headings, f"{kind}: page {number} ends with the heading {headings}"


def test_the_manual_starts_each_soa_theme_under_its_heading(
    built: dict[tuple[str, str], tuple[Path, RenderResult]],
) -> None:
    """The heading of the first theme of controls, and the sentence of the section above
    it, share their page with the first control, not a page before it."""
    pages = [" ".join(text.split()) for text in _pages(built[("demo", "manual")][0])]
    body = [index for index, page in enumerate(pages) if "Contents" not in page]
    start = next(i for i in body if "Organizational controls (37)" in pages[i])
    assert "Every control with its applicability" in pages[start]
    assert "Policies for information security" in pages[start]  # control 5.1
    # the treatment plan's summary follows the risk acceptance (it had a page of its own)
    about = next(i for i in body if "About the treatment plan" in pages[i])
    assert "Acceptances recorded" in pages[about] or "Treatment actions" in pages[about]
