"""Paging a register in SQL: pages, counts and positions agree with the full ordered list,
for every kind of order (text, person, level rank, date with blanks) and with filters."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.services import registers
from isms_desktop.services.registers import Query
from isms_desktop.storage.project_file import Project, open_project

pytestmark = pytest.mark.timeout(120)

TITLES = ["Data leak", "Phishing", "data loss", "Ransomware", "Power cut", "Theft"]


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory, template_demo: Path) -> Iterator[Project]:
    """The demo's risks and 120 more, with equal titles, blank owners, dates and scores."""
    path = tmp_path_factory.mktemp("paging") / "paging.isms"
    path.write_bytes(template_demo.read_bytes())
    project = open_project(path)
    people = registers.codes(project, "people")
    rng = random.Random(7)
    for n in range(120):
        values: dict[str, object] = {"title": rng.choice(TITLES)}
        if rng.random() < 0.7:
            values["owner"] = rng.choice(people)
        if rng.random() < 0.6:
            values["residual_likelihood"] = rng.randint(1, 5)
            values["residual_impact"] = rng.randint(1, 5)
        if rng.random() < 0.5:
            values["next_review"] = f"2027-0{rng.randint(1, 9)}-1{n % 10}"
        registers.create(project, "risks", values)
    try:
        yield project
    finally:
        project.close()


QUERIES = [
    Query(sort, descending, text, equals)
    for sort, descending, text, equals in itertools.product(
        [None, "title", "owner", "residual_level", "next_review", "code"],
        [False, True],
        [None, "DATA"],
        [None, {"status": "open"}],
    )
    if not (sort is None and descending)
]


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_pages_counts_and_positions_agree_with_the_full_list(paged: Project, query: Query) -> None:
    everything = registers.query_ids(
        paged,
        "risks",
        sort=query.sort,
        descending=query.descending,
        text=query.text,
        equals=query.equals,
    )
    assert registers.query_count(paged, "risks", query) == len(everything)
    if query.text is None and query.equals is None:
        assert len(everything) == registers.count(paged, "risks") > 150

    pages: list[int] = []
    for offset in range(0, len(everything) + 1, 17):
        pages += [row.id for row in registers.query_page(paged, "risks", query, offset, 17)]
    assert pages == everything

    codes = registers.query_codes(paged, "risks", query, 5, 30)
    assert [i for i, _code in codes] == everything[5:35]
    by_id = {row.id: row.code for row in registers.fetch(paged, "risks", everything[5:35])}
    assert [code for _i, code in codes] == [by_id[i] for i in everything[5:35]]

    sample = everything[:: max(1, len(everything) // 12)] + everything[-1:]
    positions = registers.query_positions(paged, "risks", query, sample)
    assert positions == {i: everything.index(i) for i in sample}


def test_a_record_the_filters_leave_out_has_no_position(paged: Project) -> None:
    query = Query(sort="title", text="phishing")
    shown = set(registers.query_ids(paged, "risks", sort="title", text="phishing"))
    hidden = [i for i in registers.query_ids(paged, "risks") if i not in shown][:5]
    assert hidden
    assert registers.query_positions(paged, "risks", query, hidden) == {}


def test_the_text_filter_ignores_case_like_python_does_for_ascii(paged: Project) -> None:
    rows = registers.list_rows(paged, "risks")
    for needle in ("DATA", "data", "dAtA lo", "ransom", "%", "_"):
        expected = {
            row.id
            for row in rows
            if any(
                needle.lower() in str(row.values.get(name) or "").lower()
                for name in ("code", "title", "description", "threat", "vulnerability")
            )
        }
        found = registers.query_ids(paged, "risks", text=needle)
        assert set(found) == expected, needle
        assert registers.query_count(paged, "risks", Query(text=needle)) == len(expected)


@pytest.mark.parametrize("register", ["soa", "risks", "assets", "treatment"])
def test_a_page_of_rows_is_read_in_a_fixed_number_of_statements(
    paged: Project, register: str
) -> None:
    """Not one query per row (an ORM property read for every row would be)."""
    from sqlalchemy import event

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(paged.engine, "before_cursor_execute", count)
    try:
        rows = registers.query_page(paged, register, Query(), 0, 200)
    finally:
        event.remove(paged.engine, "before_cursor_execute", count)
    assert len(rows) > 20
    assert len(statements) <= 8, statements
