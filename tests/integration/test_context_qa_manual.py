"""The context chapter of the ISMS manual, read as an auditor reads it: which issues are
climate-related, which requirements the ISMS addresses, who is on the other side of an
interface, and the processes' names beside their codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, String

from isms_desktop.cli import main
from isms_desktop.reports.pdf.manual_report import BODY_WIDTH, process_drawing
from isms_desktop.services import process_diagram, registers
from isms_desktop.storage.project_file import open_project


@pytest.fixture(scope="module")
def chapter(tmp_path_factory: pytest.TempPathFactory, template_demo: Path) -> str:
    """The text of chapter 2 (context) of the demo's manual, whitespace collapsed."""
    folder = tmp_path_factory.mktemp("manual")
    demo, out = folder / "demo.isms", folder / "manual.pdf"
    shutil.copyfile(template_demo, demo)
    assert main(["report", str(demo), "manual", "--pdf", str(out)]) == 0
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    text = " ".join(text.split())
    start = text.index("2 Context of the organisation What")
    return text[start : text.index("3 Leadership How")]


def test_issues_say_whether_climate_change_is_relevant(chapter: str) -> None:
    """ISO/IEC 27001 Amd 1:2024 asks whether climate change is a relevant issue: the
    register records it, and the manual now prints it."""
    issues = chapter[: chapter.index("2.2 Interested parties")]
    assert "Climate" in issues
    assert "Flooding risk near the Leeds office" in issues
    assert issues.count(" Yes") == 2  # the demo's two climate-related issues


def test_requirements_name_the_party_and_whether_they_are_addressed(chapter: str) -> None:
    """Clause 4.2 c: which requirements the ISMS addresses. The payroll bureau's is not,
    and the manual said nothing of it; the party was a bare code."""
    requirements = chapter[chapter.index("Requirements Req.") : chapter.index("2.3 Scope")]
    assert "Addressed" in requirements
    assert "IP-006 Payroll bureau Timely and correct employee data each month Contractual No" in (
        requirements
    )
    assert "IP-002 Information Commissioner's Office" in requirements


def test_scope_items_name_the_party_outside(chapter: str) -> None:
    scope = chapter[chapter.index("Boundaries, interfaces and exclusions") :]
    assert "Outside party" in scope
    assert "Access control and CCTV run by the landlord Landlord" in scope


def test_interactions_name_the_processes(chapter: str) -> None:
    interactions = chapter[chapter.index("Interactions Ref") :]
    assert "IX-025 PR-12 Internal audit PR-13 Management review Internal audit results" in (
        interactions
    )


def _strings(drawing: Drawing) -> list[String]:
    return [item for item in drawing.contents if isinstance(item, String)]


def test_the_printed_diagram_has_every_process_whole(tmp_path: Path, template_demo: Path) -> None:
    """The printed diagram follows the window's columns (it was a ring of boxes whose
    straight arrows ran under other boxes) and prints every name in full."""
    path = tmp_path / "demo.isms"
    shutil.copyfile(template_demo, path)
    with open_project(path) as project:
        drawing = process_drawing(project, BODY_WIDTH)
        assert drawing is not None and drawing.width == BODY_WIDTH
        texts = [s.text for s in _strings(drawing)]
        codes = registers.codes(project, "processes")
        assert all(code in texts for code in codes)
        assert not any(text.endswith("…") for text in texts)
        assert "Operational control and change management" in " ".join(texts)
        # the process the flow starts from stands left of the review it leads to
        x = {s.text: s.x for s in _strings(drawing) if s.text in codes}
        assert x["PR-01"] < x["PR-13"] or x["PR-01"] < x["PR-03"]

        # arranged by hand in the window (every box), it is printed as arranged
        diagram = process_diagram.load(project)
        moved = {code: (-(i * 250.0), 0.0) for i, code in enumerate(codes)}  # right to left
        process_diagram.save_positions(project, moved)
        assert process_diagram.load(project).saved == set(codes) != diagram.saved
        arranged = process_drawing(project, BODY_WIDTH)
        assert arranged is not None
        x = {s.text: s.x for s in _strings(arranged) if s.text in codes}
        assert [code for code, _ in sorted(x.items(), key=lambda kv: -kv[1])] == codes


def test_without_processes_the_manual_says_so(tmp_path: Path, project_path: Path) -> None:
    with open_project(project_path) as project:
        for code in registers.codes(project, "interactions"):
            registers.delete(project, "interactions", code)
        for code in registers.codes(project, "processes"):
            registers.delete(project, "processes", code)
        assert process_drawing(project, BODY_WIDTH) is None
    out = tmp_path / "manual.pdf"
    assert main(["report", str(project_path), "manual", "--pdf", str(out)]) == 0
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    # the chapter's own heading, not its line in the contents
    section = text[text.rindex("2.4 ISMS processes and their interactions (4.4)") :]
    section = section[: section.index("3 Leadership How")]
    assert section.count("No ISMS processes recorded") == 1
    assert "No processes recorded" in section or "No interactions recorded" in section
