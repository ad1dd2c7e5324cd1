"""Breaking text into lines that fit a width, fast enough for 100,000 table cells.

Register tables hold their cells as plain strings with line breaks rather than as
platypus Paragraphs: a Paragraph per cell costs several times more to lay out, which a
10,000-row register cannot afford, and register cells need no inline markup. Lines are
measured with the embedded font's real glyph widths, so the result is what a Paragraph
would give for plain text; words longer than the width are broken between characters, so
nothing ever runs out of its cell.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` as lines no wider than ``width`` points (at least one line, maybe empty)."""
    return list(_wrap(text, font, size, round(width, 1)))


@lru_cache(maxsize=200_000)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        paragraph = paragraph.rstrip()
        if stringWidth(paragraph, font, size) <= width:
            lines.append(paragraph)
            continue
        lines.extend(_wrap_paragraph(paragraph, font, size, width))
    return tuple(lines)


def _wrap_paragraph(paragraph: str, font: str, size: float, width: float) -> list[str]:
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    line = ""
    line_width = 0.0
    for word in paragraph.split():
        word_width = stringWidth(word, font, size)
        if word_width > width:
            if line:
                lines.append(line)
            pieces = _break_word(word, font, size, width)
            lines.extend(pieces[:-1])
            line = pieces[-1]
            line_width = stringWidth(line, font, size)
        elif not line:
            line, line_width = word, word_width
        elif line_width + space + word_width <= width:
            line = f"{line} {word}"
            line_width += space + word_width
        else:
            lines.append(line)
            line, line_width = word, word_width
    lines.append(line)
    return lines


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the column (a URL, a long file name) in pieces that fit."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


def clip_lines(lines: list[str], limit: int) -> list[str]:
    """At most ``limit`` lines, the last one marked as shortened."""
    if len(lines) <= limit:
        return lines
    return [*lines[: limit - 1], lines[limit - 1].rstrip() + " …"]
