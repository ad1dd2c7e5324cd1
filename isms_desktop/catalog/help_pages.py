"""The user guide shipped under ``resources/help/``: its pages, their order, and search.

Each page is a Markdown file whose first line is ``# Title``; ``index.md`` is the contents
and links the others (relative links to their files). An area of the main window has the
page named by its key (``risks.md``): F1 opens it. The window that shows the pages is
``ui.help_window``; this module knows nothing of Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from isms_desktop.catalog.resources import resources_dir

CONTENTS = "index"
FIRST_STEPS = "getting_started"

# [text](page.md): the links between pages
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_WORD = re.compile(r"\w+")


def help_dir() -> Path:
    return resources_dir() / "help"


@dataclass(frozen=True)
class HelpPage:
    name: str  # the file's stem: "risks"
    title: str  # its first line without the "# "
    text: str  # the whole Markdown text

    @property
    def file_name(self) -> str:
        return f"{self.name}.md"

    def links(self) -> list[str]:
        """The targets of the page's links, as written (``risks.md``)."""
        return [target for _text, target in _LINK.findall(self.text)]

    def plain(self) -> str:
        """The text without Markdown's marks: what a search looks in."""
        text = _LINK.sub(r"\1", self.text)
        return re.sub(r"[#*_`|>]+", " ", text)


def _read(path: Path) -> HelpPage:
    text = path.read_text(encoding="utf-8")
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    title = first.lstrip("#").strip() if first.startswith("#") else path.stem
    return HelpPage(path.stem, title, text)


@cache
def _pages_in(folder: Path) -> tuple[HelpPage, ...]:
    found = {path.stem: _read(path) for path in sorted(folder.glob("*.md"))}
    if not found:
        return ()
    # the contents first, then the pages in the order it links them, then any it leaves out
    order = [CONTENTS] if CONTENTS in found else []
    if CONTENTS in found:
        for target in found[CONTENTS].links():
            stem = Path(target).stem
            if stem in found and stem not in order:
                order.append(stem)
    order += [stem for stem in found if stem not in order]
    return tuple(found[stem] for stem in order)


def help_pages(folder: Path | None = None) -> list[HelpPage]:
    """Every page of the guide: the contents first, then in the contents' order."""
    return list(_pages_in(folder or help_dir()))


def page_named(name: str, folder: Path | None = None) -> HelpPage | None:
    return next((page for page in help_pages(folder) if page.name == name), None)


def page_for_area(area_key: str, folder: Path | None = None) -> str:
    """The page F1 opens on an area's tab: the area's own, else the contents."""
    return area_key if page_named(area_key, folder) is not None else CONTENTS


def _words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


def search(text: str, folder: Path | None = None) -> list[HelpPage]:
    """The pages that contain every word of ``text`` (ignoring case; a word may be the start
    of a longer one: "export" finds "exported"), those with the words in their title first,
    then by how often the words occur. The contents page, which names them all, is left out."""
    wanted = _words(text)
    if not wanted:
        return []
    ranked: list[tuple[int, int, int, HelpPage]] = []
    for position, page in enumerate(help_pages(folder)):
        if page.name == CONTENTS:
            continue
        words = _words(page.plain())
        hits = [sum(1 for word in words if word.startswith(w)) for w in wanted]
        if all(hits):
            in_title = all(any(t.startswith(w) for t in _words(page.title)) for w in wanted)
            ranked.append((0 if in_title else 1, -sum(hits), position, page))
    return [page for *_key, page in sorted(ranked, key=lambda item: item[:3])]
