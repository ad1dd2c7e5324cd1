"""The Markdown subset of document bodies, prefilled answers and the version comparison."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain.document_answers import (
    TemplateFacts,
    controls_markdown,
    prefilled_answers,
    review_cycle_text,
    scope_phrase,
    without_control_table,
)
from isms_desktop.domain.document_diff import Change, compare_texts
from isms_desktop.domain.document_markup import (
    Heading,
    ListBlock,
    Paragraph,
    Rule,
    Run,
    Table,
    first_heading,
    logical_lines,
    parse_blocks,
    parse_inline,
    plain,
)

SAMPLE = """# Backup Policy

## 1. Purpose

Backups protect **us** from *loss* and
keep the \\*business\\* running.

- first point
  continues here
- second point
  - nested point

1.  one
2.  two

| Backup | Kept for |
|--------|----------|
| Daily  | 30 days  |
| Weekly | 13 weeks |

---

> quoted text
"""


def test_blocks_of_a_typical_body() -> None:
    blocks = parse_blocks(SAMPLE)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == [
        "Heading",
        "Heading",
        "Paragraph",
        "ListBlock",
        "ListBlock",
        "Table",
        "Rule",
        "Paragraph",
    ]
    assert isinstance(blocks[0], Heading) and blocks[0].level == 1
    para = blocks[2]
    assert isinstance(para, Paragraph)
    assert plain(para.runs) == "Backups protect us from loss and keep the *business* running."
    assert Run("us", bold=True) in para.runs and Run("loss", italic=True) in para.runs
    bullets = blocks[3]
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert [plain(i.runs) for i in bullets.items] == [
        "first point continues here",
        "second point",
        "nested point",
    ]
    assert [i.level for i in bullets.items] == [0, 0, 1]
    numbers = blocks[4]
    assert isinstance(numbers, ListBlock) and numbers.ordered
    table = blocks[5]
    assert isinstance(table, Table)
    assert [plain(c) for c in table.header] == ["Backup", "Kept for"]
    assert [[plain(c) for c in row] for row in table.rows] == [
        ["Daily", "30 days"],
        ["Weekly", "13 weeks"],
    ]
    assert isinstance(blocks[6], Rule)
    assert isinstance(blocks[7], Paragraph) and blocks[7].quote
    assert first_heading(SAMPLE) == "Backup Policy"


def test_inline_formatting() -> None:
    assert parse_inline("a ***b*** c") == (Run("a "), Run("b", bold=True, italic=True), Run(" c"))
    assert parse_inline("use `snake_case` and my_var") == (
        Run("use "),
        Run("snake_case", code=True),
        Run(" and my_var"),
    )
    assert plain(parse_inline("see [the site](https://x.example) now")) == "see the site now"
    assert plain(parse_inline("2 * 3 = 6")) == "2 * 3 = 6"


@given(st.text(alphabet=st.characters(categories=("L", "N", "Zs")), max_size=60))
def test_inline_parsing_keeps_all_words(text: str) -> None:
    assert plain(parse_inline(text)) == text


def test_logical_lines_ignore_wrapping() -> None:
    wrapped = "Some long\nparagraph text\nhere.\n\n- item\n  one\n"
    flat = "Some long paragraph text here.\n\n- item one\n"
    assert logical_lines(wrapped) == logical_lines(flat)


def test_comparison_shows_added_and_removed_lines() -> None:
    old = "# T\n\nKeep this.\n\nRemove this.\n"
    new = "# T\n\nKeep this.\n\nAdd that.\n"
    result = compare_texts(old, new, "1.0", "1.1")
    assert (result.added, result.removed) == (1, 1)
    assert [(line.change, line.text) for line in result.lines if line.change != Change.SAME] == [
        (Change.REMOVED, "Remove this."),
        (Change.ADDED, "Add that."),
    ]
    text = result.unified()
    assert text.startswith("--- 1.0\n+++ 1.1")
    assert "- Remove this." in text and "+ Add that." in text
    assert compare_texts(old, old).identical


def test_prefilled_answers_and_scope() -> None:
    statement = (
        "The information security management system of Acme covers the hosting of client "
        "websites at the Leeds office. Payroll is excluded."
    )
    assert scope_phrase(statement, "Acme") == "the hosting of client websites at the Leeds office"
    assert "Acme" in scope_phrase("", "Acme")
    assert review_cycle_text(12) == "12 months" and review_cycle_text(1) == "month"
    assert controls_markdown([("5.1", "Policies")]) == "- **A.5.1** Policies"
    answers = prefilled_answers(TemplateFacts("Acme", statement, isms_manager="Jo"))
    assert answers["organisation"] == "Acme" and answers["isms_manager"] == "Jo"
    assert answers["top_management"] == ""  # the user answers what the project does not know


def test_the_templates_own_control_table_is_left_out() -> None:
    body = (
        "# Policy\n\n| Document code | Version |\n|---|---|\n| {{document_code}} | {{version}} |"
        "\n\n## 1. Purpose\n\n| A | B |\n|---|---|\n| x | y |\n"
    )
    result = without_control_table(body)
    assert "{{document_code}}" not in result
    assert "| x | y |" in result and "## 1. Purpose" in result


def test_links_keep_their_address() -> None:
    from isms_desktop.domain.document_markup import parse_inline, printable_markdown

    runs = parse_inline("see [the site](https://x.example) or <a@b.example>, **[B](http://b.x)**")
    assert [(r.text, r.link) for r in runs if r.link] == [
        ("the site", "https://x.example"),
        ("a@b.example", "mailto:a@b.example"),
        ("B", "http://b.x"),
    ]
    assert next(r for r in runs if r.text == "B").bold
    assert [r.text for r in parse_inline("![logo](x.png) text")] == ["logo text"]
    assert printable_markdown(
        "## 1\\. Aim\n\\- not a list, \\<x>\n[s](https://s.x) <https://t.x>"
    ) == ("## 1. Aim\n\\- not a list, <x>\ns (https://s.x) https://t.x")
    assert printable_markdown("| a \\| b | [c](https://c.x) |") == "| a \\| b | c (https://c.x) |"
