"""A readable comparison of two versions of a document's text.

Both texts are reduced to logical lines (one per heading, paragraph, list item and table row,
see ``document_markup.logical_lines``), so that re-wrapping by the editor is not a change.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum

from isms_desktop.domain.document_markup import logical_lines


class Change(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class DiffLine:
    change: Change
    text: str


@dataclass(frozen=True)
class Comparison:
    old_label: str
    new_label: str
    lines: tuple[DiffLine, ...]

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.change is Change.ADDED)

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.change is Change.REMOVED)

    @property
    def identical(self) -> bool:
        return self.added == 0 and self.removed == 0

    def unified(self, context: int = 2) -> str:
        """The changes with ``context`` unchanged lines around each, as text."""
        keep = [False] * len(self.lines)
        for i, line in enumerate(self.lines):
            if line.change is not Change.SAME:
                for j in range(max(0, i - context), min(len(self.lines), i + context + 1)):
                    keep[j] = True
        out = [f"--- {self.old_label}", f"+++ {self.new_label}"]
        skipped = False
        for line, shown in zip(self.lines, keep, strict=True):
            if not shown:
                skipped = True
                continue
            if skipped:
                out.append("…")
                skipped = False
            mark = {Change.SAME: " ", Change.ADDED: "+", Change.REMOVED: "-"}[line.change]
            out.append(f"{mark} {line.text}")
        return "\n".join(out)


def compare_texts(old: str, new: str, old_label: str = "old", new_label: str = "new") -> Comparison:
    """Line-by-line comparison of two Markdown bodies."""
    a, b = logical_lines(old), logical_lines(new)
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine(Change.SAME, text) for text in a[i1:i2])
            continue
        lines.extend(DiffLine(Change.REMOVED, text) for text in a[i1:i2])
        lines.extend(DiffLine(Change.ADDED, text) for text in b[j1:j2])
    return Comparison(old_label, new_label, tuple(lines))
