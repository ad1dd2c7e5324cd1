"""Small building blocks the reports share: text, notes, register tables from records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from isms_desktop.reports.pdf import sources, theme
from isms_desktop.reports.pdf.tables import CellStyle, Column, RegisterTable, table_or_none
from isms_desktop.services.registers import RecordRow

FieldColumn = tuple[str, str, float]  # field name, header, weight


def para(text: str) -> Paragraph:
    return Paragraph(escape(text), theme.styles().body)


def paras(text: str) -> list[Flowable]:
    """Plain text as paragraphs, one per line (blank lines dropped)."""
    return [para(line.strip()) for line in text.splitlines() if line.strip()]


def note(text: str) -> Paragraph:
    return Paragraph(escape(text), theme.styles().note)


def none_recorded(what: str = "") -> Paragraph:
    return note(f"No {what} recorded." if what else theme.NONE_RECORDED)


def sub(title: str) -> Paragraph:
    """A minor heading inside a section (not in the contents)."""
    return Paragraph(escape(title), theme.styles().h3)


def records_table(
    rows: Sequence[RecordRow],
    columns: Sequence[FieldColumn],
    *,
    what: str = "",
    styler: Callable[[RecordRow], Sequence[CellStyle]] | None = None,
    font_size: float = 7.5,
) -> Flowable:
    """A register table of some fields of ``rows`` (or "No … recorded.")."""
    if not rows:
        return none_recorded(what)
    cols = [
        Column(header, weight, bold=index == 0) for index, (_, header, weight) in enumerate(columns)
    ]
    cells = [[sources.text(row, name) for name, _, _ in columns] for row in rows]
    styles: dict[int, Sequence[CellStyle]] = {}
    if styler is not None:
        for index, row in enumerate(rows):
            found = styler(row)
            if found:
                styles[index] = found
    return table_or_none(cols, cells, row_styles=styles, font_size=font_size)


def facts(row: RecordRow, fields: Sequence[tuple[str, str]]) -> Flowable:
    """Label/value lines of one record, leaving out empty values."""
    from isms_desktop.reports.pdf.tables import key_values

    pairs = [(label, sources.text(row, name)) for name, label in fields]
    pairs = [(label, value) for label, value in pairs if value]
    if not pairs:
        return none_recorded()
    return key_values(pairs)


__all__ = ["RegisterTable", "facts", "note", "para", "paras", "records_table", "sub"]
