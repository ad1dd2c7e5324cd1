"""The Markdown of policy texts as platypus flowables: headings, paragraphs, lists, tables.

Policies are drafted from the templates in ``resources/templates`` and edited by users in
plain Markdown. Only what those texts use is understood: ``#`` headings, paragraphs, ``-``
and ``1.`` lists, pipe tables, ``**bold**``, ``*italic*`` and ``code``. Everything else
prints as the text it is, so nothing a user wrote is ever lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Spacer

from isms_desktop.reports.pdf import theme
from isms_desktop.reports.pdf.tables import Column, RegisterTable

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def inline(text: str) -> str:
    """Paragraph markup for one line of Markdown (escaped first, so no user text is markup)."""
    out = escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    out = re.sub(r"`([^`]+)`", r'<font face="DejaVuSans-Oblique">\1</font>', out)
    return out


def plain(text: str) -> str:
    """The text of a line without its Markdown marks (for headings and table cells)."""
    return re.sub(
        r"\*\*(.+?)\*\*|\*(.+?)\*|`([^`]+)`", lambda m: next(g for g in m.groups() if g), text
    )


@dataclass
class MarkdownSection:
    title: str
    level: int  # 0 for "##", 1 for "###", …
    lines: list[str] = field(default_factory=list)


def split_sections(text: str) -> tuple[str, list[str], list[MarkdownSection]]:
    """The ``#`` title, the lines before the first ``##`` and the ``##``/``###`` sections."""
    title = ""
    preface: list[str] = []
    sections: list[MarkdownSection] = []
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1 and not title and not sections:
            title = plain(match.group(2))
            continue
        if match and len(match.group(1)) in (2, 3):
            sections.append(MarkdownSection(plain(match.group(2)), len(match.group(1)) - 2))
            continue
        (sections[-1].lines if sections else preface).append(line)
    return title, preface, sections


def flowables(lines: list[str]) -> list[Flowable]:
    """Paragraphs, lists, tables and minor headings of some Markdown lines."""
    st = theme.styles()
    story: list[Flowable] = []
    paragraph: list[str] = []
    items: list[str] = []
    numbered = False
    table: list[list[str]] = []

    def flush() -> None:
        nonlocal paragraph, items, table
        if paragraph:
            story.append(Paragraph(inline(" ".join(paragraph)), st.body))
            paragraph = []
        if items:
            story.append(_list(items, numbered))
            items = []
        if table:
            story.append(_table(table))
            story.append(Spacer(1, 2 * mm))
            table = []

    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            story.append(Paragraph(escape(plain(heading.group(2))), st.h3))
            continue
        if line.lstrip().startswith("|"):
            if paragraph or items:
                flush()
            if not _TABLE_RULE.match(line):
                table.append([plain(c.strip()) for c in line.strip().strip("|").split("|")])
            continue
        bullet = _BULLET.match(line)
        number = _NUMBERED.match(line)
        if bullet or number:
            if paragraph or table or (items and numbered != bool(number)):
                flush()
            numbered = bool(number)
            items.append((bullet or number).group(1))  # type: ignore[union-attr]
            continue
        if items and raw.startswith((" ", "\t")):
            items[-1] += " " + line.strip()  # a list item continued on the next line
            continue
        if table:
            flush()
        paragraph.append(line.strip())
    flush()
    return story


def _list(items: list[str], numbered: bool) -> Flowable:
    st = theme.styles()
    # a number is set right-aligned a few points before its text ("9." and "10." line up,
    # and "1." does not touch the word after it); a bullet sits in the indent of 12 points
    indent = 20 if numbered else 12
    return ListFlowable(
        [ListItem(Paragraph(inline(item), st.body), leftIndent=indent) for item in items],
        bulletType="1" if numbered else "bullet",
        bulletFormat="%s." if numbered else None,  # "1. Purpose", not "1 Purpose"
        start=None if numbered else "•",
        bulletFontName=st.fonts.regular,
        bulletFontSize=8 if not numbered else st.body.fontSize,
        bulletAlign="right" if numbered else "left",
        leftIndent=indent,
        bulletDedent=4 if numbered else 10,
    )


def _table(rows: list[list[str]]) -> Flowable:
    header, *body = rows
    width = max(len(r) for r in rows)
    header = header + [""] * (width - len(header))
    lengths = [1.0] * width
    for row in rows:
        for index, cell in enumerate(row[:width]):
            lengths[index] = max(lengths[index], min(len(cell), 60))
    columns = [Column(h, w) for h, w in zip(header, lengths, strict=True)]
    cells = [(r + [""] * width)[:width] for r in body]
    return RegisterTable(columns, cells, font_size=8, zebra=True)
