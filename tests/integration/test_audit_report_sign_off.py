"""The internal audit report says who signed the audit off and when (or that nobody has)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from isms_desktop.cli import main
from isms_desktop.services import audits
from isms_desktop.storage.project_file import open_project


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(path).pages).split())


def test_a_completed_audit_names_its_sign_off_a_planned_one_says_none(
    demo_path: Path, tmp_path: Path
) -> None:
    done, planned = tmp_path / "au1.pdf", tmp_path / "au3.pdf"
    assert main(["report", str(demo_path), "audit:AU-001", "--pdf", str(done)]) == 0
    assert main(["report", str(demo_path), "audit:AU-003", "--pdf", str(planned)]) == 0
    text = _text(done)
    conclusion = text[text.rindex("Summary and conclusion") :]
    assert "Signed off by Grace Adeyemi" in conclusion
    with open_project(demo_path, read_only=True) as project:
        signed = audits.audit(project, "AU-001").signed_off_on
    assert signed is not None and f"Signed off on {signed.isoformat()}" in conclusion
    assert "Not signed off yet." in _text(planned)
    assert "Signed off by" not in _text(planned)
