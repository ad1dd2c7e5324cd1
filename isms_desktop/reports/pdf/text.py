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


class _CharWidths(dict[str, float]):
    """The width of each character of one font at one size, measured on first use."""

    def __init__(self, font: str, size: float) -> None:
        super().__init__()
        self.font = font
        self.size = size

    def __missing__(self, char: str) -> float:
        width: float = stringWidth(char, self.font, self.size)
        self[char] = width
        return width


@lru_cache(maxsize=64)
def _char_widths(font: str, size: float) -> _CharWidths:
    return _CharWidths(font, size)


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points (as ``stringWidth``, from cached glyph widths)."""
    return sum(map(_char_widths(font, size).__getitem__, text))


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` as lines no wider than ``width`` points (at least one line, maybe empty)."""
    return list(_wrap(text, font, size, round(width, 1)))


@lru_cache(maxsize=200_000)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    lines: list[str] = []
    measure = _char_widths(font, size).__getitem__
    for paragraph in text.splitlines() or [""]:
        paragraph = paragraph.rstrip()
        if sum(map(measure, paragraph)) <= width:
            lines.append(paragraph)
            continue
        lines.extend(_wrap_paragraph(paragraph, font, size, width))
    return tuple(lines)


def _wrap_paragraph(paragraph: str, font: str, size: float, width: float) -> list[str]:
    measure = _char_widths(font, size).__getitem__
    space = measure(" ")
    lines: list[str] = []
    line = ""
    line_width = 0.0
    for word in paragraph.split():
        word_width = sum(map(measure, word))
        if word_width > width:
            if line:
                lines.append(line)
            pieces = _break_word(word, font, size, width)
            lines.extend(pieces[:-1])
            line = pieces[-1]
            line_width = sum(map(measure, line))
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
    measure = _char_widths(font, size).__getitem__
    pieces: list[str] = []
    current = ""
    current_width = 0.0
    for char in word:
        char_width = measure(char)
        if current and current_width + char_width > width:
            pieces.append(current)
            current, current_width = char, char_width
        else:
            current += char
            current_width += char_width
    pieces.append(current)
    return pieces


def clip_lines(lines: list[str], limit: int) -> list[str]:
    """At most ``limit`` lines, the last one marked as shortened."""
    if len(lines) <= limit:
        return lines
    return [*lines[: limit - 1], lines[limit - 1].rstrip() + " …"]
