"""The context chapter of the ISMS manual, read as an auditor reads it: which issues are
climate-related, which requirements the ISMS addresses, who is on the other side of an
interface, and the processes' names beside their codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from isms_desktop.cli import main


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
