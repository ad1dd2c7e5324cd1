"""Completeness of a management review's inputs (9.3.2 a–g) and closing rules (9.3.3)."""

from __future__ import annotations

import datetime as dt

from isms_desktop.domain import review_inputs as ri


def _inputs(texts: dict[str, str], confirmed: bool = True) -> dict[str, object]:
    return {
        "sections": {k: {"text": t, "items": [], "confirmed": confirmed} for k, t in texts.items()}
    }


def test_sections_cover_every_input_of_9_3_2() -> None:
    clauses = [s.clause for s in ri.SECTIONS]
    for letter in "abcdefg":
        assert any(c.startswith(f"9.3.2 {letter}") for c in clauses), letter
    assert [s.key for s in ri.SECTIONS if s.key.startswith("d")] == ["d1", "d2", "d3", "d4"]


def test_missing_and_confirmed_sections() -> None:
    empty: dict[str, object] = {}
    assert len(ri.missing_sections(empty)) == len(ri.SECTIONS)
    assert ri.completeness_percent(empty) == 0
    all_texts = {k: "ok" for k in ri.SECTION_KEYS}
    assert ri.missing_sections(_inputs(all_texts)) == []
    assert ri.completeness_percent(_inputs(all_texts)) == 100
    assert ri.completeness_percent(_inputs(all_texts, confirmed=False)) == 0
    partial = dict(all_texts, e="  ")
    assert [s.key for s in ri.missing_sections(_inputs(partial))] == ["e"]
    assert ri.completeness_percent(_inputs(partial)) == 90


def test_closing_needs_inputs_meeting_facts_and_decisions() -> None:
    inputs = _inputs({k: "ok" for k in ri.SECTION_KEYS})
    complete = {
        "date": dt.date(2026, 3, 1),
        "chair": "P-001",
        "attendees": "CEO, ISO",
        "decisions": "Continue.",
    }
    assert ri.closing_problems(complete, inputs) == []
    problems = ri.closing_problems({}, _inputs({"a": "x"}))
    assert any("9.3.2 b" in p for p in problems)
    assert any("decisions" in p for p in problems)
    assert any("date" in p for p in problems)
    assert any("attendees" in p for p in problems)


def test_in_period_includes_both_ends() -> None:
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert ri.in_period(start, start, end)
    assert ri.in_period(end, start, end)
    assert not ri.in_period(dt.date(2025, 12, 31), start, end)
    assert not ri.in_period(None, start, end)
    assert ri.in_period(dt.date(1990, 1, 1), None, end)


def test_malformed_inputs_read_as_empty() -> None:
    bad: dict[str, object] = {"sections": {"a": "not a dict", "b": {"items": "nope"}}}
    assert ri.section_text(bad, "a") == ""
    assert ri.section_items(bad, "b") == []
