"""Word and PDF output of documents as a receiver sees them: page furniture that stays on
its line, a history that says which version is in force, drafts marked as such, short
descriptions on the first page. Read back with python-docx, pypdf and pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from isms_desktop.domain import document_workflow as wf
from isms_desktop.reports.docx_export import write_document_docx
from isms_desktop.services import documents
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def demo(tmp_path: Path, template_demo: Path) -> Iterator[Project]:
    target = tmp_path / "demo.isms"
    shutil.copyfile(template_demo, target)
    project = open_project(target)
    try:
        yield project
    finally:
        project.close()


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def _tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in r.cells] for r in t.rows] for t in docx.Document(str(path)).tables]


def _control(path: Path) -> dict[str, str]:
    table = next(t for t in _tables(path) if t[0][0] == "Document code")
    return {row[0]: row[1] for row in table}


def _page_breaks(path: Path) -> int:
    body = docx.Document(str(path)).element.body
    return sum(1 for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page")


def test_header_and_footer_have_one_right_tab_at_the_text_edge(
    demo: Project, tmp_path: Path
) -> None:
    """The styles' centre tab is cleared: with it, a title longer than half the line sent
    'Page 1 of 2' onto a line of its own."""
    out = write_document_docx(demo, "EXT-001", tmp_path / "ext.docx")
    section = docx.Document(str(out)).sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    for part in (section.header, section.footer):
        paragraph = part.paragraphs[0]
        stops = [(t.alignment, t.position) for t in paragraph.paragraph_format.tab_stops]
        kinds = {str(a).split(".")[-1].split(" ")[0] for a, _ in stops}
        assert "RIGHT" in kinds and "CENTER" not in kinds
        right = next(p for a, p in stops if "RIGHT" in str(a))
        assert abs(right - width) < 20000  # EMU: within 0.06 cm of the right margin
        assert paragraph.text.count("\t") == 1
    footer = section.footer.paragraphs[0].text
    assert footer.startswith("ISO/IEC 27001:2022") and "— Published\tPage " in footer


def test_a_very_long_title_is_shortened_in_the_footer_but_keeps_its_status(
    demo: Project, tmp_path: Path
) -> None:
    title = "Information classification, labelling and handling of " + "records " * 12
    code = documents.create_document(demo, title, body="## 1. Purpose\n\nText.\n")
    out = write_document_docx(demo, code, tmp_path / "long.docx")
    footer = docx.Document(str(out)).sections[0].footer.paragraphs[0].text
    left = footer.split("\t")[0]
    assert len(left) <= 80 and left.endswith("… — Draft")
    assert _control(out)["Title"] == " ".join(title.split())  # whole in the table


def test_the_history_says_which_versions_are_superseded(demo: Project, tmp_path: Path) -> None:
    out = write_document_docx(demo, "POL-001", tmp_path / "isp.docx")
    history = next(t for t in _tables(out) if t[0][0] == "Version")
    assert history[0] == ["Version", "Status", "Date", "Author", "Approved by", "Change"]
    assert {row[0]: row[1] for row in history[1:]} == {
        "0.1": "Draft",
        "1.0": "Superseded",
        "2.0": "Published",
    }
    header_row = docx.Document(str(out)).tables[2].rows[0]._tr
    assert header_row.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None  # repeats


def test_a_draft_and_a_document_in_review_say_they_are_not_in_force(
    demo: Project, tmp_path: Path
) -> None:
    def notice(path: Path) -> str:
        return next((t for style, t in _paragraphs(path) if style == "Intense Quote"), "")

    draft = write_document_docx(demo, "POL-009", tmp_path / "draft.docx")
    assert notice(draft) == "Draft — not approved. This text is not in force and may still change."
    texts = [t for _, t in _paragraphs(draft)]
    assert texts.index(notice(draft)) < texts.index("Document control")  # on top
    review = write_document_docx(demo, "POL-008", tmp_path / "review.docx")
    assert notice(review).startswith("In review — not yet approved.")
    published = write_document_docx(demo, "POL-001", tmp_path / "published.docx")
    assert notice(published) == ""  # in force: nothing to warn about
    documents.step(demo, "POL-002", wf.Step.WITHDRAW)
    withdrawn = write_document_docx(demo, "POL-002", tmp_path / "withdrawn.docx")
    assert notice(withdrawn).startswith("Withdrawn — no longer in force.")


def test_a_short_description_stays_on_the_first_page_with_where_it_is_kept(
    demo: Project, tmp_path: Path
) -> None:
    """An external document's one line of description was alone on a second page."""
    out = write_document_docx(demo, "EXT-001", tmp_path / "ext.docx")
    assert _page_breaks(out) == 0
    paragraphs = _paragraphs(out)
    heading = paragraphs.index(("Heading 1", "Description"))
    assert paragraphs[heading + 1][1].startswith("The standard the ISMS is built to")
    assert _control(out)["Kept at"].startswith("Licensed copy in the ISMS library")
    # a policy with sections still starts its text on a page of its own
    assert _page_breaks(write_document_docx(demo, "POL-001", tmp_path / "isp.docx")) == 1
    assert "Kept at" not in _control(tmp_path / "isp.docx")  # nothing recorded: no row


def test_a_document_without_text_says_so(demo: Project, tmp_path: Path) -> None:
    code = documents.create_document(demo, "Visitor Rules", body="# Visitor Rules\n")
    out = write_document_docx(demo, code, tmp_path / "empty.docx")
    assert ("Normal", "No text has been written yet.") in _paragraphs(out)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
@pytest.mark.timeout(120)
def test_rendered_footer_keeps_the_page_number_on_the_titles_line(
    demo: Project, tmp_path: Path
) -> None:
    out = write_document_docx(demo, "REC-002", tmp_path / "rec.docx")
    converted = subprocess.run(
        [
            "soffice",
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
    pdf = tmp_path / "rec.pdf"
    if not pdf.exists():  # LibreOffice without Writer (calc only)
        pytest.skip(f"LibreOffice could not convert a Word file: {converted.stderr!r}")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    day = documents.versions(demo, "REC-002")[-1].approved_on
    approved = day.isoformat() if day else "?"  # (the demo's dates follow today's)
    lines = [line for line in text.splitlines() if "Page 1 of" in line]
    assert lines and "Training and awareness attendance records — Approved" in lines[0]
    # the history's cells hold a version, a status and a date on one line each
    assert any(
        "1.0" in line and "Approved" in line and approved in line for line in text.splitlines()
    ), text
    assert "Description" in text and text.count("\f") <= 1  # one page


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_policy_pdf_prints_the_version_in_force_like_word(
    demo: Project, tmp_path: Path
) -> None:
    """While a new version was drafted, the PDF printed the unapproved draft as 'Draft 1.1'
    where the Word file gave the procedure in force."""
    from isms_desktop.reports.pdf.kinds import make_report

    documents.step(demo, "PRO-002", wf.Step.REVISE)
    documents.save_draft(demo, "PRO-002", "# Backup and Restore Procedure\n\nRewritten.\n")
    out = tmp_path / "pro.pdf"
    make_report(demo, "policy:PRO-002", out)
    text = " ".join(_pdf_text(out).split())
    assert "Version 1.0 Status Published" in text and "Approved by Daniel Okafor" in text
    assert "2. Daily checks" in text and "Rewritten." not in text
    assert "not in force" not in text
    assert "Kept at ISMS library" in text and "Annex A controls A.8.13" in text
    word = write_document_docx(demo, "PRO-002", tmp_path / "pro.docx")
    assert _control(word)["Version"] == "1.0"


def test_the_policy_pdf_marks_a_draft_and_superseded_versions(
    demo: Project, tmp_path: Path
) -> None:
    from isms_desktop.reports.pdf.kinds import make_report

    draft = tmp_path / "draft.pdf"
    make_report(demo, "policy:POL-009", draft)
    text = " ".join(_pdf_text(draft).split())
    assert "Draft — not approved. This text is not in force" in text
    control = text[text.index("not in force") :]
    assert "Document code POL-009 Title Cryptography Policy" in control  # the notice on top
    isp = tmp_path / "isp.pdf"
    make_report(demo, "policy:POL-001", isp)
    text = " ".join(_pdf_text(isp).split())
    history = text[text.index("Version history") :]
    assert "Version Status Date Author Approved by Change" in history
    days = {
        v.version: v.approved_on.isoformat()
        for v in documents.versions(demo, "POL-001")
        if v.approved_on
    }
    assert f"1.0 Superseded {days['1.0']} Daniel Okafor Helen Marsh" in history
    assert f"2.0 Published {days['2.0']} Daniel Okafor Helen Marsh" in history
    assert "not in force" not in text


def test_policies_name_roles_and_who_holds_them_not_people_alone(demo: Project) -> None:
    """'| Priya Nair | Configures logging …' made a person the role: when she leaves, the
    policy needs a new version, and a reader cannot tell which role the policy means."""
    from isms_desktop.services.projects import people

    names = [name for _id, name, _role in people(demo)]
    for template in documents.templates(demo):
        answers = documents.template_answers(demo, template.code)
        body = documents.render_draft(demo, template.code, answers)
        assert "{{" not in body and "}}" not in body, template.code
        for line in body.splitlines():
            for name in names:
                assert not line.startswith((f"| {name} |", f"- **{name}**")), line
                assert not line.startswith(f"{name} commits"), line
    log = documents.render_draft(demo, "POL-LOG", documents.template_answers(demo, "POL-LOG"))
    assert "| IT manager (Priya Nair) | Configures logging" in log
    isp = documents.render_draft(demo, "POL-ISP", documents.template_answers(demo, "POL-ISP"))
    assert "Top management (Helen Marsh) commits to:" in isp
    # an answer that is the role itself is not said twice
    answers = {**documents.template_answers(demo, "POL-CRY"), "it_manager": "IT Manager"}
    crypto = documents.render_draft(demo, "POL-CRY", answers)
    assert "- **IT manager** selects and configures" in crypto and "(IT Manager)" not in crypto


def test_a_renamed_document_does_not_print_its_old_title_as_a_section(
    demo: Project, tmp_path: Path
) -> None:
    """The title changed in the wizard or the register, not in the text: Word printed the
    text's old top heading as a first section, the real sections a level below it."""
    from isms_desktop.services import registers

    registers.update(demo, "documents", "POL-009", "title", "Encryption Policy")
    out = write_document_docx(demo, "POL-009", tmp_path / "renamed.docx")
    paragraphs = _paragraphs(out)
    assert ("Title", "Encryption Policy") in paragraphs
    assert all(text != "Cryptography Policy" for _style, text in paragraphs)
    assert ("Heading 1", "1. Purpose") in paragraphs
    # a text whose sections are all of level 1 keeps its first one
    code = documents.create_document(
        demo, "Visitors", body="# 1. Arriving\n\nSign in.\n\n# 2. Leaving\n\nSign out.\n"
    )
    paragraphs = _paragraphs(write_document_docx(demo, code, tmp_path / "visitors.docx"))
    assert ("Heading 1", "1. Arriving") in paragraphs and ("Heading 1", "2. Leaving") in paragraphs


def test_the_review_interval_answered_is_the_one_the_dates_follow(demo: Project) -> None:
    """The text said 'reviewed at least every 6 months' while the document kept the
    template's 12, and its next review was set a year after approval."""
    import datetime as dt

    from isms_desktop.domain.errors import BadArgumentsError

    answers = {**documents.template_answers(demo, "POL-CDS"), "review_cycle": "6 months"}
    body = documents.render_draft(demo, "POL-CDS", answers)
    assert "at least every 6 months" in body
    code = documents.create_from_template(demo, "POL-CDS", answers, body=body)
    assert documents.get_document(demo, code).review_months == 6
    documents.step(demo, code, wf.Step.SUBMIT)
    approved = documents.step(
        demo, code, wf.Step.APPROVE, approver="Helen Marsh", on=dt.date(2027, 1, 31)
    )
    assert approved.next_review == dt.date(2027, 7, 31)
    for answer, months in (("2 years", 24), ("annually", 12), ("twice a year", 6)):
        code = documents.create_from_template(demo, "POL-CDS", {**answers, "review_cycle": answer})
        assert documents.get_document(demo, code).review_months == months, answer
    before = len(documents.list_documents(demo))
    with pytest.raises(BadArgumentsError, match="'whenever needed' names no period"):
        documents.create_from_template(
            demo, "POL-CDS", {**answers, "review_cycle": "whenever needed"}
        )
    assert len(documents.list_documents(demo)) == before  # nothing saved


def test_no_demo_document_is_approved_by_its_own_owner(demo: Project) -> None:
    """An auditor reading the register asks who checked a record its owner approved."""
    approved = [d for d in documents.list_documents(demo) if d.approver]
    assert approved
    assert not [d.code for d in approved if d.approver == d.owner]


# What Qt's editor writes for a heading "1. Purpose" and for "<tag>" and "[x]" typed as text.
EDITED = (
    "# Visitor Rules\n\n## 1\\. Purpose\n\nSign in with \\<your name> and badge \\[B]; "
    "file\\_names stay. See [the intranet](https://intranet.example/visitors) or write to "
    "[reception](mailto:reception@brightwave.example) or <https://maps.example/hq>.\n\n"
    "1\\. This line is not a list.\n"
)


def test_text_saved_by_the_editor_prints_without_its_escapes(demo: Project, tmp_path: Path) -> None:
    """The PDF printed '1\\. Purpose' in the headings, the contents and the bookmarks, and
    '\\<your name>' in the text, once a document had been saved in the editor."""
    from pypdf import PdfReader

    from isms_desktop.reports.pdf.kinds import make_report

    code = documents.create_document(demo, "Visitor Rules", body=EDITED)
    out = tmp_path / "visitors.pdf"
    make_report(demo, f"policy:{code}", out)
    reader = PdfReader(out)
    text = " ".join(_pdf_text(out).split())
    assert "\\" not in text.replace("1\\. This line", "")  # the one escape that matters
    assert "1. Purpose" in text and "Sign in with <your name> and badge [B]; file_names" in text
    assert "the intranet (https://intranet.example/visitors)" in text
    assert "reception (reception@brightwave.example)" in text
    assert "https://maps.example/hq" in text and "<https" not in text
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "1. Purpose" in titles
    # Word: the same text, the links clickable
    word = docx.Document(str(write_document_docx(demo, code, tmp_path / "visitors.docx")))
    paragraph = next(p for p in word.paragraphs if p.text.startswith("Sign in"))
    assert "with <your name> and badge [B]; file_names stay. See the intranet or" in (
        paragraph.text
    )
    assert [(h.text, h.address) for h in paragraph.hyperlinks] == [
        ("the intranet", "https://intranet.example/visitors"),
        ("reception", "mailto:reception@brightwave.example"),
        ("https://maps.example/hq", "https://maps.example/hq"),
    ]
    assert ("Heading 1", "1. Purpose") in _paragraphs(tmp_path / "visitors.docx")
