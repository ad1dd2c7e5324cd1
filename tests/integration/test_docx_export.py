"""Word output of documents, read back with python-docx (and rendered, when LibreOffice is)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from isms_desktop import __version__
from isms_desktop.domain import document_workflow as wf
from isms_desktop.domain.errors import BadArgumentsError, IsmsError
from isms_desktop.reports.docx_export import write_document_docx
from isms_desktop.services import documents
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory, template_demo: Path) -> Iterator[Project]:
    target = tmp_path_factory.mktemp("docx") / "demo.isms"
    shutil.copyfile(template_demo, target)
    project = open_project(target)
    try:
        yield project
    finally:
        project.close()


def _texts(path: Path) -> tuple[list[tuple[str, str]], list[list[list[str]]]]:
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def test_file_properties_are_the_documents_not_the_templates(
    demo_copy: Project, tmp_path: Path
) -> None:
    """Dates, application and preview: not python-docx's template (saved 2013 on a Mac)."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = write_document_docx(demo_copy, "POL-001", tmp_path / "policy.docx")
    core = docx.Document(str(out)).core_properties
    for stamp in (core.created, core.modified):
        assert stamp is not None
        assert before <= stamp.replace(tzinfo=dt.UTC) <= dt.datetime.now(dt.UTC)
    assert core.last_modified_by == "Daniel Okafor"
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode()
        types = package.read("[Content_Types].xml").decode()
    assert not [n for n in names if "thumbnail" in n] and "thumbnail" not in types
    assert f"<Application>isms-desktop {__version__}</Application>" in app
    assert "<Company>Brightwave Analytics Ltd</Company>" in app
    assert "Macintosh" not in app


def test_the_published_policy_as_word(demo_copy: Project, tmp_path: Path) -> None:
    out = write_document_docx(demo_copy, "POL-001", tmp_path / "policy.docx")
    paragraphs, tables = _texts(out)
    styles = dict((text, style) for style, text in paragraphs)
    assert styles["Information Security Policy"] == "Title"
    assert styles["Document control"] == "Heading 1"
    assert styles["1. Purpose"] == "Heading 1"  # "## 1. Purpose" under the title
    control = {row[0]: row[1] for row in tables[0]}
    assert control["Document code"] == "POL-001"
    assert control["Version"] == "2.0"
    assert control["Status"] == "Published"
    assert control["Approved by"] == "Helen Marsh"
    assert control["Classification"] == "Internal"
    assert control["Author"] == "Daniel Okafor"
    assert control["Annex A controls"].startswith("A.5.1")
    history = tables[1]
    assert history[0] == ["Version", "Status", "Date", "Author", "Approved by", "Change"]
    assert [row[0] for row in history[1:]] == ["0.1", "1.0", "2.0"]
    # 1.0 is no longer in force once 2.0 was approved
    assert [row[1] for row in history[1:]] == ["Draft", "Superseded", "Published"]
    # headings and body text in the order of the document
    texts = [text for _, text in paragraphs]
    order = [
        texts.index("1. Purpose"),
        texts.index("2. Scope"),
        next(i for i, t in enumerate(texts) if t.startswith("Information is one of")),
        texts.index("11. Related controls"),
    ]
    assert order[0] < order[2] < order[1] < order[3]
    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert any(t.startswith("Meeting requirements") for t in bullets)
    numbered = [text for style, text in paragraphs if style == "List Number"]
    assert numbered[0].startswith("derived from this policy")
    roles = next(t for t in tables if t[0] == ["Role", "Responsibilities"])
    assert roles[1][0] == "Top management (Helen Marsh)"
    document = docx.Document(str(out))
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "Meeting requirements" in bold
    header = document.sections[0].header.paragraphs[0].text
    assert "Brightwave Analytics Ltd" in header and "POL-001" in header and "2.0" in header
    footer_xml = document.sections[0].footer._element.xml
    assert "NUMPAGES" in footer_xml and " PAGE " in footer_xml
    assert document.core_properties.title == "Information Security Policy"


def test_a_draft_prints_its_working_text_and_draft_status(
    demo_copy: Project, tmp_path: Path
) -> None:
    out = write_document_docx(demo_copy, "POL-010", tmp_path / "draft.docx")
    _, tables = _texts(out)
    control = {row[0]: row[1] for row in tables[0]}
    assert control["Status"] == "Draft" and control["Version"] == "0.1"
    assert control["Approved by"] == "—" and control["Approved on"] == "Not yet approved"


def test_a_revision_in_progress_prints_the_version_in_force(
    demo_copy: Project, tmp_path: Path
) -> None:
    documents.step(demo_copy, "PRO-002", wf.Step.REVISE)
    documents.save_draft(demo_copy, "PRO-002", "# Backup and Restore Procedure\n\nRewritten.\n")
    paragraphs, tables = _texts(write_document_docx(demo_copy, "PRO-002", tmp_path / "p.docx"))
    assert {row[0]: row[1] for row in tables[0]}["Version"] == "1.0"
    assert "2. Daily checks" in [t for _, t in paragraphs]
    paragraphs, _ = _texts(
        write_document_docx(demo_copy, "PRO-002", tmp_path / "p2.docx", version="current")
    )
    assert "Rewritten." in [t for _, t in paragraphs]


def test_errors_are_clear_and_leave_nothing_behind(demo_copy: Project, tmp_path: Path) -> None:
    with pytest.raises(BadArgumentsError, match="no document"):
        write_document_docx(demo_copy, "POL-404", tmp_path / "x.docx")
    with pytest.raises(IsmsError, match="cannot be written"):
        write_document_docx(demo_copy, "POL-001", tmp_path / "missing" / "x.docx")
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob(".docx-*"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.timeout(120)
def test_word_file_renders_with_page_numbers(demo_copy: Project, tmp_path: Path) -> None:
    out = write_document_docx(demo_copy, "POL-002", tmp_path / "acc.docx")
    converted = subprocess.run(
        [
            "soffice",
            # a profile of its own: never handed to another LibreOffice already running
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=100,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    if not (tmp_path / "acc.pdf").exists():  # LibreOffice without Writer (calc only)
        pytest.skip(f"LibreOffice could not convert a Word file: {converted.stderr!r}")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "acc.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Access Control Policy" in text and "Page 1 of" in text
    assert text.index("Document control") < text.index("1. Purpose")


def test_a_table_of_the_text_gives_its_columns_the_width_of_their_texts(
    demo_copy: Project, tmp_path: Path
) -> None:
    """The roles of a policy: a column of names is narrower than the responsibilities beside
    it (in equal columns, the responsibilities were wrapped to a few words a line), and the
    table spans the width of the text."""
    out = write_document_docx(demo_copy, "POL-001", tmp_path / "widths.docx")
    document = docx.Document(str(out))
    roles = next(t for t in document.tables if t.rows[0].cells[0].text == "Role")
    role, responsibilities = (column.width for column in roles.columns)
    assert role < 0.45 * (role + responsibilities)
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs((role + responsibilities) - text_width) < text_width * 0.01
