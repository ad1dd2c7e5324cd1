"""The stored text of documents: a small Markdown dialect, parsed into blocks for output.

Document bodies are stored as **Markdown** (CommonMark with GitHub pipe tables), the format
the policy templates are written in and the one Qt's rich-text editor reads and writes
(``QTextEdit.setMarkdown``/``toMarkdown``). Markdown keeps the text readable in the project
file, in exports and in a version comparison.

This parser understands what templates and the editor produce — ATX headings (``#``..``######``),
paragraphs (wrapped lines are joined), bullet and numbered lists (nested by indentation),
pipe tables, horizontal rules, block quotes, and inline ``**bold**``, ``*italic*``,
``` `code` ```, links and backslash escapes — and turns it into plain blocks that the Word and
PDF writers lay out. Anything else is kept as paragraph text, never lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- inline text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str = ""  # the address the text links to ("https://…", "mailto:…")


_ESCAPABLE = "\\`*_{}[]()#+-.!|~<>"
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+|[^@\s>]+@[^>\s]+)>")


def _link_text(match: re.Match[str]) -> str:
    text, target = match.group(1), match.group(2).strip()
    address = target.removeprefix("mailto:")
    if not target or address == text or target == text:
        return text or address
    return f"{text} ({address})"


_LINK_START, _LINK_END = "\ue000", "\ue001"  # (private-use characters: never typed)


_ANY_LINK = re.compile(rf"{_LINK.pattern}|{_AUTOLINK.pattern}")


def _marked_links(text: str, targets: list[str]) -> str:
    """Each link's text between two markers, its address appended to ``targets`` (in the
    order of the text)."""

    def mark(match: re.Match[str]) -> str:
        if match.group(3) is not None:  # <https://…> or <a@b.example>
            shown = address = match.group(3)
        else:
            shown, address = match.group(1), match.group(2).strip()
            if match.group(0).startswith("!") or not address:
                return shown  # an image: its description only
        if "@" in address and not address.startswith(("mailto:", "http")):
            address = f"mailto:{address}"
        targets.append(address)
        return f"{_LINK_START}{shown}{_LINK_END}"

    return _ANY_LINK.sub(mark, text)


def parse_inline(text: str) -> tuple[Run, ...]:
    """Split one line of Markdown into runs of bold, italic, code and linked text."""
    targets: list[str] = []
    text = _marked_links(text, targets)
    runs: list[Run] = []
    buffer: list[str] = []
    bold = italic = False
    link = ""

    def flush() -> None:
        if buffer:
            runs.append(Run("".join(buffer), bold=bold, italic=italic, link=link))
            buffer.clear()

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in (_LINK_START, _LINK_END):
            flush()
            link = targets.pop(0) if ch == _LINK_START and targets else ""
            i += 1
            continue
        if ch == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            buffer.append(text[i + 1])
            i += 2
            continue
        if ch == "`":
            end = text.find("`", i + 1)
            if end > i:
                flush()
                runs.append(Run(text[i + 1 : end], bold=bold, italic=italic, code=True, link=link))
                i = end + 1
                continue
        if ch in "*_":
            j = i
            while j < n and text[j] == ch:
                j += 1
            count = j - i
            before = text[i - 1] if i > 0 else " "
            after = text[j] if j < n else " "
            # An underscore inside a word (snake_case) is not emphasis.
            intraword = ch == "_" and before.isalnum() and after.isalnum()
            opening = not after.isspace()
            closing = not before.isspace()
            if not intraword and count <= 3 and (opening or closing):
                flush()
                if count >= 2 and (bold or opening):
                    bold = not bold
                if count in (1, 3) and (italic or opening):
                    italic = not italic
                i = j
                continue
            buffer.append(text[i:j])
            i = j
            continue
        buffer.append(ch)
        i += 1
    flush()
    return tuple(_merge(runs))


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        last = merged[-1] if merged else None
        same = (last.bold, last.italic, last.code, last.link) if last else None
        if last and same == (run.bold, run.italic, run.code, run.link):
            merged[-1] = Run(last.text + run.text, run.bold, run.italic, run.code, run.link)
        else:
            merged.append(run)
    return merged


def plain(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


# --- blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    quote: bool = False


@dataclass(frozen=True)
class ListItem:
    runs: tuple[Run, ...]
    level: int = 0  # nesting depth, 0 for the outermost list
    ordered: bool = False
    number: int = 1


@dataclass(frozen=True)
class ListBlock:
    items: tuple[ListItem, ...]

    @property
    def ordered(self) -> bool:
        return bool(self.items) and self.items[0].ordered


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]


@dataclass(frozen=True)
class Rule:
    pass


Block = Heading | Paragraph | ListBlock | Table | Rule

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)([-*+])\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,9})[.)]\s+(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] == "|":
            current.append("\\|")
            i += 2
            continue
        if text[i] == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(text[i])
        i += 1
    cells.append("".join(current).strip())
    return cells


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _starts_block(line: str) -> bool:
    return bool(
        _HEADING.match(line)
        or _BULLET.match(line)
        or _NUMBERED.match(line)
        or _RULE.match(line)
        or line.lstrip().startswith("|")
        or line.lstrip().startswith(">")
    )


def parse_blocks(markdown: str) -> list[Block]:
    """The blocks of a document body, in order."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").split("\n")
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if heading := _HEADING.match(line):
            blocks.append(Heading(len(heading.group(1)), parse_inline(heading.group(2))))
            i += 1
            continue
        if _RULE.match(line):
            blocks.append(Rule())
            i += 1
            continue
        if (
            line.lstrip().startswith("|")
            and i + 1 < n
            and _TABLE_SEPARATOR.match(lines[i + 1])
            and "-" in lines[i + 1]
        ):
            header = tuple(parse_inline(c) for c in _cells(line))
            rows: list[tuple[tuple[Run, ...], ...]] = []
            i += 2
            while i < n and lines[i].strip() and "|" in lines[i]:
                cells = [parse_inline(c) for c in _cells(lines[i])]
                cells += [()] * (len(header) - len(cells))
                rows.append(tuple(cells[: len(header)]))
                i += 1
            blocks.append(Table(header, tuple(rows)))
            continue
        if _BULLET.match(line) or _NUMBERED.match(line):
            i = _parse_list(lines, i, blocks)
            continue
        if line.lstrip().startswith(">"):
            parts: list[str] = []
            while i < n and lines[i].lstrip().startswith(">"):
                parts.append(lines[i].lstrip()[1:].strip())
                i += 1
            blocks.append(Paragraph(parse_inline(" ".join(p for p in parts if p)), quote=True))
            continue
        parts = [line.strip()]
        i += 1
        while i < n and lines[i].strip() and not _starts_block(lines[i]):
            parts.append(lines[i].strip())
            i += 1
        blocks.append(Paragraph(parse_inline(_join_lines(parts))))
    return blocks


def _join_lines(parts: list[str]) -> str:
    # A line ending in two spaces or a backslash is a hard break; a space is close enough.
    return " ".join(p.rstrip("\\").strip() for p in parts)


def _parse_list(lines: list[str], i: int, blocks: list[Block]) -> int:
    items: list[ListItem] = []
    indents: list[int] = []  # the indentation of each open nesting level
    n = len(lines)
    while i < n:
        line = lines[i]
        match = _BULLET.match(line) or _NUMBERED.match(line)
        if match is None:
            break
        if _RULE.match(line):
            break
        indent = _indent(match.group(1))
        while indents and indent < indents[-1]:
            indents.pop()
        if not indents or indent > indents[-1]:
            indents.append(indent)
        level = len(indents) - 1
        ordered = match.re is _NUMBERED
        if items and level == 0 and ordered != items[0].ordered:
            break  # a bulleted list followed by a numbered one: two lists
        number = int(match.group(2)) if ordered else 1
        # the text starts after the marker; continuation lines are indented at least that far
        parts = [match.group(3).strip()]
        i += 1
        while i < n and lines[i].strip():
            nxt = lines[i]
            if _BULLET.match(nxt) or _NUMBERED.match(nxt) or _HEADING.match(nxt):
                break
            if nxt.lstrip().startswith("|"):
                break
            parts.append(nxt.strip())
            i += 1
        items.append(ListItem(parse_inline(_join_lines(parts)), level, ordered, number))
        # a blank line between items keeps the list going (a "loose" list)
        j = i
        while j < n and not lines[j].strip():
            j += 1
        if j < n and j > i and (_BULLET.match(lines[j]) or _NUMBERED.match(lines[j])):
            i = j
    blocks.append(ListBlock(tuple(items)))
    return i


# --- text views --------------------------------------------------------------------------------


def block_text(block: Block) -> list[str]:
    """The logical lines of a block: one per heading, paragraph, list item and table row."""
    match block:
        case Heading(level=level, runs=runs):
            return [f"{'#' * level} {plain(runs)}"]
        case Paragraph(runs=runs, quote=quote):
            return [("> " if quote else "") + plain(runs)]
        case ListBlock(items=items):
            return [
                "  " * item.level
                + (f"{item.number}. " if item.ordered else "- ")
                + plain(item.runs)
                for item in items
            ]
        case Table(header=header, rows=rows):
            return ["| " + " | ".join(plain(c) for c in row) + " |" for row in (header, *rows)]
        case Rule():
            return ["---"]
    return []


def logical_lines(markdown: str) -> list[str]:
    """The text as logical lines, independent of how the editor wrapped it."""
    out: list[str] = []
    for block in parse_blocks(markdown):
        for line in block_text(block):
            indent = len(line) - len(line.lstrip(" "))
            out.append(" " * indent + " ".join(line.split()))
    return out


def plain_text(markdown: str) -> str:
    """The text without markup, one logical line per paragraph (search, previews)."""
    lines = []
    for block in parse_blocks(markdown):
        for line in block_text(block):
            lines.append(line.lstrip("#> ").strip())
    return "\n".join(lines)


def first_heading(markdown: str) -> str:
    for block in parse_blocks(markdown):
        if isinstance(block, Heading):
            return plain(block.runs)
    return ""


# --- for renderers that read only the plainest Markdown -------------------------------------

# Escapes Qt's editor writes that a renderer knowing no escapes would print as they are
# ("## 1\. Purpose", "\<tag>", "\[x]"); "\*" and "\`" stay, being markup there unescaped.
_PLAIN_ESCAPES = re.compile(r"\\([.<>\[\](){}_!~#\\+-])")
# an escape that keeps a line from starting a list, a heading or a quote ("1\. ", "\- ")
_ESCAPED_START = re.compile(r"^\s*(\d{1,9})?\\.")


def printable_markdown(markdown: str) -> str:
    """The same text for a renderer that knows no escapes and no links.

    Links keep their address ("[the intranet](https://…)" → "the intranet (https://…)",
    "<https://…>" → the address); backslash escapes are dropped where what they escaped
    is plain text there. An escape that stops a line starting a list, a heading or a quote,
    and the escapes of a table row, are kept.
    """
    out: list[str] = []
    for line in markdown.replace("\r\n", "\n").split("\n"):
        line = _AUTOLINK.sub(lambda m: m.group(1), line)
        line = _LINK.sub(_link_text, line)
        if line.lstrip().startswith("|"):
            out.append(line)  # a table row: "\|" is a cell's own bar
            continue
        head = ""
        if keep := _ESCAPED_START.match(line):
            head, line = line[: keep.end()], line[keep.end() :]
        out.append(head + _PLAIN_ESCAPES.sub(r"\1", line))
    return "\n".join(out)
