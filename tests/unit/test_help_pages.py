"""The user guide under resources/help: complete (a page for every area of the window, every
page in the contents, every link to an existing page) and found by its search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.catalog import help_pages
from isms_desktop.catalog.help_pages import CONTENTS, FIRST_STEPS

# the area keys of the main window (ui.tabs.areas.AREAS, which imports Qt: listed here and
# compared with it in tests/gui/test_help_window.py)
AREA_KEYS = (
    "dashboard",
    "context",
    "documents",
    "assets",
    "risks",
    "soa",
    "audits",
    "improvement",
    "management_review",
)


def test_the_guide_has_its_contents_first_steps_and_a_page_per_area() -> None:
    names = [page.name for page in help_pages.help_pages()]
    assert names[0] == CONTENTS
    for name in (FIRST_STEPS, *AREA_KEYS):
        assert name in names, f"resources/help/{name}.md is missing"
    for key in AREA_KEYS:
        assert help_pages.page_for_area(key) == key
    assert help_pages.page_for_area("no_such_area") == CONTENTS


def test_every_page_has_a_title_and_is_in_the_contents() -> None:
    pages = help_pages.help_pages()
    contents = help_pages.page_named(CONTENTS)
    assert contents is not None
    listed = {Path(target).stem for target in contents.links()}
    for page in pages:
        assert page.text.startswith("# "), f"{page.file_name} does not start with '# Title'"
        assert page.title and page.title != page.name, page.file_name
        assert len(page.plain().split()) >= 150, f"{page.file_name} is a stub"
        if page.name != CONTENTS:
            assert page.name in listed, f"{page.file_name} is not linked from index.md"
    assert len({page.title for page in pages}) == len(pages), "two pages share a title"


def test_every_link_leads_to_a_page_of_the_guide() -> None:
    names = {page.name for page in help_pages.help_pages()}
    for page in help_pages.help_pages():
        for target in page.links():
            assert not re.match(r"[a-z]+:", target), f"{page.file_name}: outside link {target}"
            assert target.endswith(".md") and "#" not in target, (page.file_name, target)
            assert Path(target).stem in names, f"{page.file_name} links to missing {target}"


def test_the_guide_is_plain_markdown_without_leftovers() -> None:
    for page in help_pages.help_pages():
        for mark in ("TODO", "TBD", "<img", "<div", "lorem"):
            assert mark.lower() not in page.text.lower(), (page.file_name, mark)


# -- order and search, on a guide of our own -------------------------------------------------


def _guide(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    return _guide(
        tmp_path,
        {
            "index": "# Contents\n\n- [Risks](risks.md)\n- [Export](export.md)\n",
            "risks": "# Risks\n\nAssess **risks**; export them with [Export](export.md).\n",
            "export": "# Excel export\n\nThe workbook is exported; risks exported too.\n",
            "zeta": "# Left out\n\nA page the contents do not link.\n",
        },
    )


def test_pages_come_in_the_contents_order(guide: Path) -> None:
    assert [p.name for p in help_pages.help_pages(guide)] == ["index", "risks", "export", "zeta"]
    risks = help_pages.page_named("risks", guide)
    assert risks is not None and risks.title == "Risks"
    assert risks.links() == ["export.md"]
    assert "**" not in risks.plain() and "(export.md)" not in risks.plain()


def test_search_needs_every_word_and_puts_titles_first(guide: Path) -> None:
    assert [p.name for p in help_pages.search("export", guide)] == ["export", "risks"]
    # every word: only the export page has "exported" (a word's start matches longer words)
    assert [p.name for p in help_pages.search("RISKS exported", guide)] == ["export"]
    assert [p.name for p in help_pages.search("assess risk", guide)] == ["risks"]
    assert [p.name for p in help_pages.search("workbook", guide)] == ["export"]
    assert help_pages.search("nothing-like-this", guide) == []
    assert help_pages.search("  ", guide) == []


@given(st.text(max_size=40))
def test_search_takes_any_text(text: str) -> None:
    found = help_pages.search(text)
    assert all(isinstance(page, help_pages.HelpPage) for page in found)
    assert len({page.name for page in found}) == len(found)
