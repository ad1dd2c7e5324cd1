"""The PDF report engine: branded pages, cover, contents, outline, page x of y — one pass.

A report module describes a document as :class:`DocumentInfo` (what goes on the cover and
in the running header and footer) and a list of :class:`Section` (a heading and its
flowables). The engine lays it out with reportlab's platypus and writes it atomically.

Layout happens exactly once. Platypus' own table of contents needs two or three full
layout passes to learn the page numbers, which would triple the time of a 10,000-risk
register. Here the contents lines have a fixed height (the sections are known before
layout), and every number that is only known at the end — the page number behind each
contents line and the "of y" of each footer — is drawn through a PDF form XObject that is
referenced while the page is written and defined after the last page. PDF allows a form to
be defined after its use, and reportlab supports it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    ListFlowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import _ktAllow
from reportlab.platypus.paragraph import ParagraphStyle

from isms_desktop import __version__
from isms_desktop.domain.errors import BadArgumentsError, IsmsError
from isms_desktop.reports.pdf import theme
from isms_desktop.reports.pdf.tables import RegisterTable
from isms_desktop.reports.pdf.text import wrap_lines
from isms_desktop.reports.progress import (
    Cancelled,
    CancelledError,
    Progress,
    never_cancelled,
    no_progress,
)
from isms_desktop.storage.file_modes import as_user_file

log = logging.getLogger(__name__)

TOC_DEPTH = 1  # headings of level 0 and 1 are listed in the contents; all are in the outline
MIN_CONTENTS = 3  # sections (of the contents' depth) a report needs for a contents page


@dataclass(frozen=True)
class DocumentInfo:
    """What the cover, the running header/footer and the PDF metadata say."""

    title: str
    subject: str
    organisation: str
    subtitle: str = ""
    classification: str = "Internal"
    version: str = "Draft"  # "": a report of the records as they are, dated but unversioned
    # what ``version`` is: a record that has no versions (an audit, a review) shows its status
    version_label: str = "Version"
    date: dt.date = field(default_factory=dt.date.today)
    logo: bytes | None = None
    details: tuple[tuple[str, str], ...] = ()  # extra cover lines, e.g. the approval
    landscape: bool = False  # orientation of the cover and the contents
    keywords: tuple[str, ...] = ()


@dataclass
class Section:
    """A heading with its content; ``level`` 0 is a chapter, 1 a section, 2 a subsection."""

    title: str
    body: list[Flowable]
    level: int = 0
    landscape: bool | None = None  # switch orientation before this section; None: keep
    new_page: bool = False
    room: float = 0.0  # points of the page it needs to start on it, else on the next page


@dataclass
class Report:
    info: DocumentInfo
    sections: list[Section]
    numbered: bool = False  # "2.1 Title" headings, for the long manual


@dataclass(frozen=True)
class RenderResult:
    path: Path
    pages: int


# --- progress ------------------------------------------------------------------------------


class Tracker:
    """Turns work done into ``progress(done, total)`` calls and polls ``cancelled()``.

    Progress is reported in thousandths: loading data takes the first part, layout the
    middle, writing the file the end; calls are throttled so a GUI is not flooded.
    """

    TOTAL = 1000

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self._progress = progress or no_progress
        self._cancelled = cancelled or never_cancelled
        self._last = -1
        self._last_poll = 0.0
        self.layout_total = 1
        self.layout_done = 0

    def check(self) -> None:
        if self._cancelled():
            raise CancelledError("the report was cancelled; nothing was written")

    def report(self, fraction: float) -> None:
        value = max(0, min(self.TOTAL, int(fraction * self.TOTAL)))
        if value != self._last:
            self._last = value
            self._progress(value, self.TOTAL)

    def loaded(self, fraction: float) -> None:
        """Data loading: 0 … 15 %."""
        self.check()
        self.report(0.15 * fraction)

    def laid_out(self, units: int) -> None:
        """Layout: 15 … 97 %; polls for cancellation at most every 50 ms."""
        self.layout_done += units
        now = time.monotonic()
        if now - self._last_poll >= 0.05:
            self._last_poll = now
            self.check()
        self.report(0.15 + 0.82 * min(1.0, self.layout_done / self.layout_total))

    def finished(self) -> None:
        self.report(1.0)


def work_units(flowable: Flowable) -> int:
    """How much a flowable weighs in the progress bar (register tables: one per row)."""
    return int(getattr(flowable, "work_units", 1))


# --- headings, contents lines ------------------------------------------------------------


class Heading(Paragraph):  # type: ignore[misc]
    """A section heading that places its bookmark, outline entry and page number."""

    def __init__(
        self, text: str, style: ParagraphStyle, key: str, level: int, pages: dict[str, int]
    ) -> None:
        super().__init__(escape(text), style)
        self.key = key
        self.level = level
        self.outline_title = text
        self._pages = pages

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # a heading moves to the next page whole, never half

    def draw(self) -> None:
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + 4)
        canv.addOutlineEntry(self.outline_title, self.key, level=self.level, closed=self.level > 0)
        self._pages[self.key] = canv.getPageNumber()
        super().draw()


class TocLine(Flowable):  # type: ignore[misc]
    """One line of the contents: title, dot leader, page number; the whole line is a link.

    The page number is a form defined when layout is complete (see the module docstring).
    """

    def __init__(self, title: str, key: str, level: int, style: ParagraphStyle) -> None:
        super().__init__()
        self.title = title
        self.key = key
        self.level = level
        self.style = style
        self.lines: list[str] = []
        self.width = 0.0
        self.height = 0.0

    @property
    def form_name(self) -> str:
        return f"tocpage_{self.key}"

    def _font(self) -> tuple[str, float]:
        fonts = theme.styles().fonts
        return (fonts.bold if self.level == 0 else fonts.regular), (10 if self.level == 0 else 9.5)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        font, size = self._font()
        indent = self.level * 7 * mm
        self.lines = wrap_lines(self.title, font, size, avail_width - indent - 16 * mm)
        self.width = avail_width
        self.height = len(self.lines) * size * 1.3 + (6 if self.level == 0 else 2.5)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        font, size = self._font()
        indent = self.level * 7 * mm
        leading = size * 1.3
        y = self.height - size - (4 if self.level == 0 else 1.5)
        canv.setFillColor(theme.INK)
        canv.setFont(font, size)
        for line in self.lines:
            canv.drawString(indent, y, line)
            y -= leading
        y += leading  # baseline of the last line carries the leader and the number
        last = self.lines[-1] if self.lines else ""
        start = indent + canv.stringWidth(last, font, size) + 2 * mm
        end = self.width - 10 * mm
        if end > start:
            canv.setFont(theme.styles().fonts.regular, size)
            canv.setFillColor(theme.MUTED)
            dot = canv.stringWidth(". ", theme.styles().fonts.regular, size)
            count = int((end - start) / dot)
            canv.drawRightString(end, y, ". " * count)
        canv.saveState()
        canv.translate(self.width, y)
        canv.doForm(self.form_name)
        canv.restoreState()
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


# --- keeping a heading with what follows --------------------------------------------------

MIN_KEPT = 36.0  # points of a table or text a heading needs under it: a header and two rows


class KeepWithFirstRows(KeepTogether):  # type: ignore[misc]
    """A heading (or a run of headings) kept with the start of what follows it.

    Platypus groups a ``keepWithNext`` heading and the next flowable in a ``KeepTogether``
    that moves to the next page whole whenever it does not fit: a heading over a long
    table left most of a page blank. Here, if what follows can be split so that at least
    :data:`MIN_KEPT` points of it (a table's header row and first rows, three lines of
    text, the first items of a list) fit under the headings, everything stays on this page
    and the frame splits the rest over the next pages (a register table repeating its
    header row). Only when that much does not fit, or the last flowable cannot be split (a
    drawing), does the group move to the next page, as before.
    """

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        if avail_height < self._H and self._starts_here(avail_width, avail_height):
            return list(self._content)  # the frame places the headings, then splits the rest
        return list(super().split(avail_width, avail_height))

    def _starts_here(self, avail_width: float, avail_height: float) -> bool:
        """Whether the headings and at least MIN_KEPT points of the last flowable fit."""
        *heads, last = self._content
        if not heads or any(hasattr(f, "frameAction") for f in self._content):
            return False
        overlap = getattr(getattr(self, "_frame", None), "_oASpace", 1)
        room = avail_height - 1.0  # a point to spare for rounding
        after = 0.0
        # the frame has taken the space before the first heading off avail_height already
        for index, flowable in enumerate(heads):
            room -= _space_before(flowable, after, overlap) if index else 0.0
            room -= flowable.wrapOn(self.canv, avail_width, room)[1]
            after = flowable.getSpaceAfter()
            room -= after
        room -= _space_before(last, after, overlap)
        if room < MIN_KEPT:
            return False
        pieces = _with_canvas(last, self.canv, lambda: last.split(avail_width, room))
        # the pieces that fit in order: a table's first rows, a list's first items
        kept = 0.0
        after = 0.0
        for index, piece in enumerate(pieces):
            if hasattr(piece, "frameAction"):
                continue
            needed = _space_before(piece, after, overlap) if index else 0.0
            needed += piece.wrapOn(self.canv, avail_width, room - kept)[1]
            if kept + needed > room:
                break
            after = piece.getSpaceAfter()
            kept += needed + after
        return kept >= MIN_KEPT


def _space_before(flowable: Flowable, after: float, overlap: object) -> float:
    """The space a frame leaves before ``flowable`` when the one above left ``after``."""
    before = float(flowable.getSpaceBefore())
    return max(before - after, 0.0) if overlap else before


def _with_canvas(
    flowable: Flowable, canv: Canvas, call: Callable[[], list[Flowable]]
) -> list[Flowable]:
    """``call()`` with ``flowable.canv`` set, as a frame sets it for a split."""
    flowable.canv = canv
    try:
        return list(call() or [])
    finally:
        with contextlib.suppress(AttributeError):
            del flowable.canv


# --- the document template -----------------------------------------------------------------


class ReportDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Page templates (cover, portrait, landscape) with the branded header and footer."""

    def __init__(self, filename: str, info: DocumentInfo, tracker: Tracker) -> None:
        cover_size = theme.LANDSCAPE if info.landscape else theme.PORTRAIT
        super().__init__(
            filename,
            pagesize=cover_size,
            leftMargin=theme.MARGIN_X,
            rightMargin=theme.MARGIN_X,
            topMargin=theme.MARGIN_TOP,
            bottomMargin=theme.MARGIN_BOTTOM,
            title=info.title,
            author=info.organisation,
            subject=info.subject,
            creator=f"isms-desktop {__version__}",
            keywords=list(info.keywords),
            displayDocTitle=1,
            lang="en",
            # the canvas' default font would put an unembedded Helvetica on every page
            initialFontName=theme.styles().fonts.regular,
            initialFontSize=9.5,
        )
        self.info = info
        self.tracker = tracker
        self.logo = _logo_reader(info.logo)
        self.toc_lines: list[TocLine] = []
        self._doSave = 0  # forms are defined after the build, then the file is saved
        self.addPageTemplates(
            [
                PageTemplate(
                    "cover",
                    [_frame(cover_size, cover=True)],
                    onPage=self._cover_page,
                    pagesize=cover_size,
                ),
                PageTemplate(
                    "portrait", [_frame(theme.PORTRAIT)], onPage=self._page, pagesize=theme.PORTRAIT
                ),
                PageTemplate(
                    "landscape",
                    [_frame(theme.LANDSCAPE)],
                    onPage=self._page,
                    pagesize=theme.LANDSCAPE,
                ),
            ]
        )

    def afterFlowable(self, flowable: Flowable) -> None:
        self.tracker.laid_out(work_units(flowable))

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:
        """Platypus' grouping of ``keepWithNext`` headings with what follows them, except
        that a list is kept too: platypus leaves a list out of the group, so the heading of
        a policy section of bullet points could stand alone at the foot of a page."""
        count = 0
        while (
            count < len(flowables)
            and flowables[count].getKeepWithNext()
            and _ktAllow(flowables[count])
        ):
            count += 1
        if not count:
            return
        if count < len(flowables) and (
            _ktAllow(flowables[count]) or isinstance(flowables[count], ListFlowable)
        ):
            count += 1
        group = KeepWithFirstRows(flowables[:count])
        for flowable in group._content[:-1]:
            flowable.__dict__["keepWithNext"] = 0  # as platypus does: grouped once
        del flowables[:count]
        flowables.insert(0, group)

    # page decoration
    def _cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.showOutline()
        width, height = canv._pagesize
        canv.saveState()
        canv.setFillColor(theme.BRAND)
        canv.rect(0, height - 14 * mm, width, 14 * mm, stroke=0, fill=1)
        canv.rect(0, 0, width, 6 * mm, stroke=0, fill=1)
        canv.restoreState()

    def _page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        fonts = theme.styles().fonts
        width, height = canv._pagesize
        left, right = theme.MARGIN_X, width - theme.MARGIN_X
        top = height - 11 * mm
        canv.saveState()
        text_left = left
        if self.logo is not None:
            logo_h = 8 * mm
            iw, ih = self.logo.getSize()
            logo_w = min(30 * mm, logo_h * iw / max(ih, 1))
            canv.drawImage(
                self.logo,
                left,
                top - 2.2 * mm,
                logo_w,
                logo_h,
                preserveAspectRatio=True,
                anchor="sw",
                mask="auto",
            )
            text_left = left + logo_w + 3 * mm
        canv.setFillColor(theme.BRAND)
        canv.setFont(fonts.bold, 9)
        half = (right - text_left) / 2 - 4 * mm
        org = _fit(self.info.organisation, fonts.bold, 9, half)
        canv.drawString(text_left, top, org)
        canv.setFillColor(theme.MUTED)
        canv.setFont(fonts.regular, 8.5)
        canv.drawRightString(right, top, _fit(self.info.title, fonts.regular, 8.5, half))
        canv.setStrokeColor(theme.BRAND)
        canv.setLineWidth(0.8)
        canv.line(left, top - 3.5 * mm, right, top - 3.5 * mm)

        bottom = 10 * mm
        canv.setStrokeColor(theme.GRID)
        canv.setLineWidth(0.5)
        canv.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
        canv.setFont(fonts.regular, 7.5)
        canv.setFillColor(theme.MUTED)
        parts = [f"Classification: {self.info.classification}"]
        if self.info.version:
            parts.append(f"{self.info.version_label}: {self.info.version}")
        footer = "   ·   ".join([*parts, self.info.date.isoformat()])
        canv.drawString(left, bottom, _fit(footer, fonts.regular, 7.5, right - left - 35 * mm))
        canv.restoreState()
        self._page_number_form(canv, width, bottom)

    def _page_number_form(self, canv: Canvas, x: float, y: float) -> None:
        canv.saveState()
        canv.translate(x - theme.MARGIN_X, y)
        canv.doForm(f"pageno_{canv.getPageNumber()}")
        canv.restoreState()

    def define_late_forms(self, pages: dict[str, int]) -> None:
        """Define the forms referenced during layout, now that all numbers are known."""
        canv = self.canv
        fonts = theme.styles().fonts
        total = canv.getPageNumber() - 1  # the page after the last one has been begun
        for number in range(1, total + 1):
            canv.beginForm(
                f"pageno_{number}", lowerx=-80 * mm, lowery=-3 * mm, upperx=1, uppery=5 * mm
            )
            canv.setFont(fonts.regular, 7.5)
            canv.setFillColor(theme.MUTED)
            canv.drawRightString(0, 0, f"Page {number} of {total}")
            canv.endForm()
        for line in self.toc_lines:
            canv.beginForm(line.form_name, lowerx=-30 * mm, lowery=-3 * mm, upperx=1, uppery=5 * mm)
            font, size = line._font()
            canv.setFont(font, size)
            canv.setFillColor(theme.INK)
            page = pages.get(line.key)
            canv.drawRightString(0, 0, str(page) if page else "")
            canv.endForm()
        self.page_count = total


def _frame(size: tuple[float, float], *, cover: bool = False) -> Frame:
    width, height = size
    top = 30 * mm if cover else theme.MARGIN_TOP
    bottom = 20 * mm if cover else theme.MARGIN_BOTTOM
    return Frame(
        theme.MARGIN_X,
        bottom,
        width - 2 * theme.MARGIN_X,
        height - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="cover" if cover else "body",
    )


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten a header/footer text with an ellipsis so it never runs into its neighbour."""
    lines = wrap_lines(text, font, size, width)
    if len(lines) <= 1:
        return text
    return lines[0].rstrip() + "…"


def _logo_reader(data: bytes | None) -> ImageReader | None:
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        reader.getSize()
        return reader
    except Exception:  # an unreadable logo must not stop the report
        log.warning("the project's logo could not be read; the report is made without it")
        return None


# --- the cover and the contents --------------------------------------------------------------


def _cover(info: DocumentInfo, logo: ImageReader | None) -> list[Flowable]:
    st = theme.styles()
    story: list[Flowable] = []
    if logo is not None:
        iw, ih = logo.getSize()
        h = 22 * mm
        w = min(70 * mm, h * iw / max(ih, 1))
        story.append(_Logo(logo, w, h))
        story.append(Spacer(1, 8 * mm))
    org_style = ParagraphStyle(
        "CoverOrg",
        parent=st.subtitle,
        fontName=st.fonts.bold,
        textColor=theme.BRAND,
        fontSize=14,
        leading=19,
    )
    story.append(Paragraph(escape(info.organisation), org_style))
    story.append(Spacer(1, 14 * mm if not info.landscape else 8 * mm))
    story.append(Paragraph(escape(info.title), st.title))
    if info.subtitle:
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(escape(info.subtitle), st.subtitle))
    story.append(Spacer(1, 14 * mm if not info.landscape else 8 * mm))
    rows = [
        ("Organisation", info.organisation),
        ("Document", info.title),
        *([(info.version_label, info.version)] if info.version else []),
        *info.details,
        ("Date", info.date.isoformat()),
        ("Classification", info.classification),
        ("Standard", "ISO/IEC 27001:2022"),
        ("Prepared with", f"isms-desktop {__version__}"),
    ]
    label = ParagraphStyle(
        "CoverLabel",
        parent=st.body,
        fontName=st.fonts.bold,
        textColor=theme.MUTED,
        fontSize=9,
        spaceAfter=0,
    )
    value = ParagraphStyle("CoverValue", parent=st.body, spaceAfter=0)
    data = [[Paragraph(escape(k), label), Paragraph(escape(v), value)] for k, v in rows]
    table = Table(data, colWidths=[40 * mm, 110 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st.fonts.regular, 9),  # not the default Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, theme.BRAND),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, theme.GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(table)
    return story


class _Logo(Flowable):  # type: ignore[misc]
    def __init__(self, image: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.image = image
        self.width = width
        self.height = height

    def draw(self) -> None:
        self.canv.drawImage(
            self.image,
            0,
            0,
            self.width,
            self.height,
            preserveAspectRatio=True,
            anchor="sw",
            mask="auto",
        )


# --- assembling and writing ----------------------------------------------------------------


def _numbering(sections: Sequence[Section]) -> list[str]:
    counters = [0, 0, 0, 0]
    numbers = []
    for section in sections:
        level = min(section.level, 3)
        counters[level] += 1
        for deeper in range(level + 1, 4):
            counters[deeper] = 0
        numbers.append(".".join(str(c) for c in counters[: level + 1]))
    return numbers


def _story(report: Report, doc: ReportDocTemplate, pages: dict[str, int]) -> list[Flowable]:
    st = theme.styles()
    info = report.info
    story: list[Flowable] = _cover(info, doc.logo)
    orientation = "landscape" if info.landscape else "portrait"
    story += [NextPageTemplate(orientation), PageBreak()]

    numbers = _numbering(report.sections)
    titles = [
        f"{number}  {section.title}" if report.numbered else section.title
        for number, section in zip(numbers, report.sections, strict=True)
    ]
    listed = [i for i, section in enumerate(report.sections) if section.level <= TOC_DEPTH]
    # a page of contents for a document of one or two sections is a page of nothing
    with_contents = len(listed) >= MIN_CONTENTS
    if with_contents:
        story.append(_ContentsHeading("Contents", st.toc_title, "contents", 0, pages))
        for index in listed:
            line = TocLine(titles[index], f"s{index}", report.sections[index].level, st.body)
            doc.toc_lines.append(line)
            story.append(line)
        # a chapter's line goes with its first section's, and the last line of the contents
        # does not go alone onto a page of its own
        toc = doc.toc_lines
        for line, after in itertools.pairwise(toc):
            line.keepWithNext = int(line.level < after.level or after is toc[-1])
    first = with_contents  # (without contents the text starts on the page after the cover)
    breaks: list[list[Flowable]] = []  # what goes before each section's heading
    for index, section in enumerate(report.sections):
        wanted = orientation
        if section.landscape is not None:
            wanted = "landscape" if section.landscape else "portrait"
        if wanted != orientation:
            breaks.append([NextPageTemplate(wanted), PageBreak()])
            orientation = wanted
        elif first or (section.new_page and index > 0):
            breaks.append([PageBreak()])
        elif section.room > 0:
            breaks.append([CondPageBreak(section.room)])
        else:
            breaks.append([])
        first = False
    for index, (title, section) in enumerate(zip(titles, report.sections, strict=True)):
        story += breaks[index]
        story.append(Heading(title, st.heading(section.level), f"s{index}", section.level, pages))
        following = report.sections[index + 1] if index + 1 < len(report.sections) else None
        if (
            following is not None
            and following.level > section.level
            and not breaks[index + 1]
            and _only_an_introduction(section.body)
        ):
            # a heading with a sentence of introduction stays with its first subsection,
            # not at the foot of a page with the subsection's table on the next
            for flowable in section.body:
                flowable.keepWithNext = 1
        _keep_text_with_what_follows(section.body)
        story += section.body
    return story


SHORT_TEXT = 400  # characters: a paragraph this short introduces or explains what follows


def _short_text(flowable: Flowable, limit: int = SHORT_TEXT) -> bool:
    return (
        isinstance(flowable, Paragraph)
        and not isinstance(flowable, Heading)
        and len(flowable.getPlainText()) <= limit
    )


def _only_an_introduction(body: Sequence[Flowable]) -> bool:
    """Whether a section says no more than a short paragraph or two before its subsections."""
    return 0 < len(body) <= 2 and all(_short_text(f) for f in body)


def _keep_text_with_what_follows(body: Sequence[Flowable]) -> None:
    """Short text stays on the page of what it introduces or explains:

    - a section's opening sentence or two, when a minor heading follows (the section's
      heading and its introduction alone at the foot of a page, the rest on the next);
    - a line over a table ("Overdue actions are marked in red.");
    - the text leading into a drawing (a chart, the risk matrix), which cannot be split
      and moves to the next page whole when it does not fit, and the line under it.

    The headings themselves keep with what follows through their style; platypus then
    groups them with the flowables marked here (see :class:`KeepWithFirstRows`)."""
    if len(body) > 1 and _short_text(body[0]) and body[1].getKeepWithNext():
        body[0].keepWithNext = 1
    for index, flowable in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        if _short_text(flowable, 300) and isinstance(following, Table | RegisterTable):
            flowable.keepWithNext = 1
        if not isinstance(flowable, Drawing | Image):
            continue
        before = index - 1
        while before >= 0 and index - before <= 2 and _short_text(body[before]):
            body[before].keepWithNext = 1
            before -= 1
        if following is not None and _short_text(following, 200):
            flowable.__dict__["keepWithNext"] = 1  # (a Drawing refuses unknown attributes)


class _ContentsHeading(Heading):
    """The "Contents" heading: in the outline, but not numbered or listed in itself."""


def render(
    report: Report,
    out: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    tracker: Tracker | None = None,
) -> RenderResult:
    """Lay the report out and write it to ``out`` (atomically: a temporary file in the
    same folder is renamed over the target only when complete)."""
    out = Path(out)
    tracker = tracker or Tracker(progress, cancelled)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise BadArgumentsError(f"cannot write {out}: the folder {folder} does not exist")
    if out.is_dir():
        raise BadArgumentsError(f"cannot write {out}: it is a folder")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise BadArgumentsError(f"cannot write into {folder}: {exc.strerror}") from None
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        pages: dict[str, int] = {}
        doc = ReportDocTemplate(str(tmp), report.info, tracker)
        story = _story(report, doc, pages)
        tracker.layout_total = max(1, sum(work_units(f) for f in story))
        tracker.check()
        with _binary_streams():
            doc.build(story)
            doc.define_late_forms(pages)
            tracker.check()
            doc.canv.save()
        as_user_file(tmp)
        os.replace(tmp, out)
    except (IsmsError, CancelledError):
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise IsmsError(f"cannot write {out}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise
    tracker.finished()
    return RenderResult(out, doc.page_count)


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Write compressed streams as binary, without reportlab's default ASCII85 layer: it
    makes the file a quarter larger and its pure-Python encoder costs about a fifth of the
    time of a large report. Every PDF reader takes binary streams."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
