"""The PDF reports' Markdown: numbered lists print their numbers with a dot, bullets as
bullets (policy texts are written with both)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from isms_desktop.reports.pdf import markdown


def _printed(text: str, path: Path) -> list[str]:
    story = markdown.flowables(text.splitlines())
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    printed = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return [line.strip() for line in printed.splitlines() if line.strip()]


def test_numbered_lists_have_a_dot_and_bullets_stay_bullets(tmp_path: Path) -> None:
    lines = _printed(
        "Steps:\n\n1. Report the incident\n2. Contain it\n3. Learn from it\n\n"
        "- Confidentiality\n- Integrity\n",
        tmp_path / "list.pdf",
    )
    # (the number and its item are extracted as lines of their own)
    for number, item in (("1.", "Report the incident"), ("2.", "Contain it"), ("3.", "Learn")):
        at = next(i for i, line in enumerate(lines) if line.startswith(item))
        assert lines[at - 1] == number or lines[at].startswith(number), lines
    assert "1" not in lines and "2" not in lines
    assert "•" in " ".join(lines) and "Confidentiality" in " ".join(lines)
