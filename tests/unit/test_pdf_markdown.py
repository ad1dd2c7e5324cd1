"""The PDF reports' Markdown: numbered lists print their numbers with a dot, bullets as
bullets (policy texts are written with both)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
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


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_a_number_stands_clear_of_its_item_and_the_numbers_line_up(tmp_path: Path) -> None:
    """A number printed "1.derived from …", touching its text; "10." ran into it."""
    items = "\n".join(f"{n}. Step{n:02d} of the procedure" for n in range(1, 11))
    path = tmp_path / "numbers.pdf"
    markdown_story = markdown.flowables(items.splitlines())
    SimpleDocTemplate(str(path), pagesize=A4).build(markdown_story)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = re.findall(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]*)</word>', html)
    boxes = {word: (float(x0), float(x1)) for x0, x1, word in words}
    for n in range(1, 11):
        number, item = boxes[f"{n}."], boxes[f"Step{n:02d}"]
        assert item[0] - number[1] >= 2.5, n  # a space's width between them
    assert abs(boxes["9."][1] - boxes["10."][1]) < 0.5  # right-aligned
    assert boxes["10."][0] >= boxes["Step01"][0] - 30  # within the list's indent
