"""One policy (or any controlled document) as a PDF (5.2, 7.5): its control data and text.

The document's own Markdown headings become the sections, the contents and the bookmarks,
so a 20-page policy is as easy to navigate as the manual. The document's classification
and version, not the report defaults, go on every page.

It prints the same version as the Word file (``services.documents.output_document``): the
version in force, else the working draft. While a new version is being drafted, a receiver
gets the policy in force, not the unapproved draft.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from isms_desktop.domain import document_workflow as wf
from isms_desktop.domain.document_markup import printable_markdown
from isms_desktop.reports.pdf import markdown, sources, theme
from isms_desktop.reports.pdf.blocks import none_recorded, note, sub
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import Column, RegisterTable, key_values
from isms_desktop.services import documents
from isms_desktop.services.documents import OutputDocument
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import Project

_OWN_NUMBER = re.compile(r"^\d+(\.\d+)*\.?\s+")


def text_sections(body: str, *, level: int = 0, numbered: bool = False) -> list[Section]:
    """The document's text as sections by its ``##`` headings; ``numbered``: the report
    numbers its sections itself, so the document's own "3. Scope" becomes "Scope".

    The text saved by the editor has escapes ("## 1\\. Purpose") and may have links, which
    the PDF's Markdown reader printed as they are; they are made plain text first."""
    _, preface, parts = markdown.split_sections(printable_markdown(body))
    found: list[Section] = []
    intro = markdown.flowables(preface)
    if intro and not parts:
        return [Section("Text", intro, level=level)]
    if intro:
        found.append(Section("Introduction", intro, level=level))
    for index, part in enumerate(parts):
        content = markdown.flowables(part.lines)
        following = parts[index + 1] if index + 1 < len(parts) else None
        if not content and (following is None or following.level <= part.level):
            # a heading with subsections says what it has in them; an empty one says so
            content = [note("(no text under this heading)")]
        title = _OWN_NUMBER.sub("", part.title) if numbered else part.title
        found.append(Section(title or part.title, content, level=level + min(part.level, 1)))
    if not found:
        found.append(Section("Text", [none_recorded("text")], level=level))
    return found


def notice(status: str) -> list[Flowable]:
    """A framed line saying that the document is not in force (nothing for one that is)."""
    text = wf.NOT_IN_FORCE_NOTICES.get(status)
    if not text:
        return []
    style = ParagraphStyle(
        "notice",
        parent=theme.styles().body,
        fontName=theme.styles().fonts.bold,
        textColor=colors.HexColor("#7F6000"),
        backColor=colors.HexColor("#FFF2CC"),
        borderColor=colors.HexColor("#BF9000"),
        borderWidth=0.6,
        borderPadding=5,
        spaceBefore=4,
        spaceAfter=10,
    )
    return [Paragraph(escape(text), style)]


def output_control_body(data: OutputDocument) -> list[Flowable]:
    """The document control of the version printed, and its version history."""
    body: list[Flowable] = [
        *notice(data.status),
        key_values([(label, value) for label, value in documents.control_rows(data) if value]),
        sub("Version history"),
    ]
    if not data.history:
        body.append(note("No earlier versions."))
        return body
    statuses = wf.version_statuses([(v.version, v.status) for v in data.history])
    body.append(
        RegisterTable(
            (
                Column("Version", 7, bold=True),
                Column("Status", 10),
                Column("Date", 10),
                Column("Author", 13),
                Column("Approved by", 13),
                Column("Change", 36),
            ),
            [
                [
                    v.version,
                    wf.VERSION_STATUS_LABELS.get(status, status),
                    (v.approved_on or v.created_at.date()).isoformat(),
                    v.author,
                    v.approver,
                    v.change_note,
                ]
                for v, status in zip(data.history, statuses, strict=True)
            ],
            font_size=8,
        )
    )
    return body


def document_sections(project: Project, row: RecordRow, *, level: int = 0) -> list[Section]:
    data = documents.output_document(project, row.code)
    return [
        Section("Document control", output_control_body(data), level=level),
        *text_sections(data.body, level=level),
    ]


def build(project: Project, options: sources.ReportOptions, tracker: Tracker, code: str) -> Report:
    brand = sources.branding(project)
    row = sources.find(project, "documents", code, "document")
    data = documents.output_document(project, row.code)
    tracker.loaded(0.5)
    sections = [
        Section("Document control", output_control_body(data)),
        *text_sections(data.body),
    ]
    tracker.loaded(1.0)
    status = wf.STATUS_LABELS.get(data.status, data.status)
    details: tuple[tuple[str, str], ...] = (("Document code", data.code), ("Status", status))
    if data.approved_on:
        details += (
            ("Approved by", data.approver),
            ("Approved on", data.approved_on.isoformat()),
        )
    kind = documents.type_label(data.type) or "Document"
    info = DocumentInfo(
        title=data.title or data.code,
        subtitle=f"{kind} {data.code}",
        subject=f"{data.title} of {brand.organisation}",
        organisation=brand.organisation,
        classification=documents.classification_label(data.classification)
        or options.classification,
        version=data.version or "Draft",
        date=options.date,
        logo=brand.logo,
        details=details,
        keywords=("ISO/IEC 27001", "policy", data.code),
    )
    return Report(info, sections)
