"""One policy (or any controlled document) as a PDF (5.2, 7.5): its control data and text.

The document's own Markdown headings become the sections, the contents and the bookmarks,
so a 20-page policy is as easy to navigate as the manual. The document's classification
and version, not the report defaults, go on every page.
"""

from __future__ import annotations

import re

from reportlab.platypus import Flowable

from isms_desktop.domain import document_workflow as wf
from isms_desktop.reports.pdf import markdown, sources
from isms_desktop.reports.pdf.blocks import facts, none_recorded, note, sub
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import Column, RegisterTable
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import Project

CONTROL_FIELDS = (
    ("code", "Document code"),
    ("title", "Title"),
    ("type", "Type"),
    ("version", "Version"),
    ("status", "Status"),
    ("classification", "Classification"),
    ("owner", "Owner"),
    ("approver", "Approved by"),
    ("approved_on", "Approved on"),
    ("review_months", "Review every (months)"),
    ("next_review", "Next review"),
    ("clauses", "Clauses"),
    ("controls", "Annex A controls"),
    ("location", "Kept at"),
)


def control_body(row: RecordRow, history: sources.DocumentText) -> list[Flowable]:
    body: list[Flowable] = [facts(row, CONTROL_FIELDS), sub("Version history")]
    if history.versions:
        body.append(
            RegisterTable(
                (
                    Column("Version", 8, bold=True),
                    Column("Status", 10),
                    Column("Approved on", 11),
                    Column("Approved by", 16),
                    Column("Change", 40),
                ),
                [
                    [version, wf.STATUS_LABELS.get(status, status), *rest]
                    for version, status, *rest in history.versions
                ],
                font_size=8,
            )
        )
    else:
        body.append(none_recorded("approved versions"))
    return body


_OWN_NUMBER = re.compile(r"^\d+(\.\d+)*\.?\s+")


def text_sections(body: str, *, level: int = 0, numbered: bool = False) -> list[Section]:
    """The document's text as sections by its ``##`` headings; ``numbered``: the report
    numbers its sections itself, so the document's own "3. Scope" becomes "Scope"."""
    _, preface, parts = markdown.split_sections(body)
    found: list[Section] = []
    intro = markdown.flowables(preface)
    if intro and not parts:
        return [Section("Text", intro, level=level)]
    if intro:
        found.append(Section("Introduction", intro, level=level))
    for part in parts:
        content = markdown.flowables(part.lines) or [note("(no text under this heading)")]
        title = _OWN_NUMBER.sub("", part.title) if numbered else part.title
        found.append(Section(title or part.title, content, level=level + min(part.level, 1)))
    if not found:
        found.append(Section("Text", [none_recorded("text")], level=level))
    return found


def document_sections(project: Project, row: RecordRow, *, level: int = 0) -> list[Section]:
    history = sources.document_text(project, row.id)
    return [
        Section("Document control", control_body(row, history), level=level),
        *text_sections(history.body, level=level),
    ]


def build(project: Project, options: sources.ReportOptions, tracker: Tracker, code: str) -> Report:
    brand = sources.branding(project)
    row = sources.find(project, "documents", code, "document")
    tracker.loaded(0.5)
    sections = document_sections(project, row)
    tracker.loaded(1.0)
    approved = sources.text(row, "approved_on")
    details: tuple[tuple[str, str], ...] = (
        ("Document code", row.code),
        ("Status", sources.text(row, "status") or "Draft"),
    )
    if approved:
        details += (("Approved by", sources.text(row, "approver")), ("Approved on", approved))
    info = DocumentInfo(
        title=sources.text(row, "title") or row.code,
        subtitle=f"{sources.text(row, 'type') or 'Document'} {row.code}",
        subject=f"{sources.text(row, 'title')} of {brand.organisation}",
        organisation=brand.organisation,
        classification=sources.text(row, "classification") or options.classification,
        version=sources.text(row, "version") or "Draft",
        date=options.date,
        logo=brand.logo,
        details=details,
        keywords=("ISO/IEC 27001", "policy", row.code),
    )
    return Report(info, sections)
