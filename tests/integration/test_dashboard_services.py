"""Readiness from real projects, the one action list, and search across every register."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from isms_desktop.domain.errors import CancelledError
from isms_desktop.domain.fields import Kind
from isms_desktop.domain.readiness import OVERDUE, THEMES, ProjectFacts, evaluate
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import action_list, readiness, registers, search
from isms_desktop.storage.models import Risk
from isms_desktop.storage.project_file import open_project

TODAY = dt.date(2026, 11, 29)


def _info(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "isms_desktop", "info", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout))


def test_new_project_readiness_is_what_its_records_say(project_path: Path) -> None:
    # a new project holds the catalogue, the default risk method, undecided SoA rows and the
    # suggested ISMS processes (without owners) with their interactions
    expected = evaluate(
        ProjectFacts(
            processes=14,
            interactions=31,
            risk_method_defined=True,
            soa_rows=93,
            theme_rows={"organizational": 37, "people": 8, "physical": 14, "technological": 34},
            theme_settled_halves=dict.fromkeys(THEMES, 0),
        )
    )
    with open_project(project_path, read_only=True) as project:
        result = readiness.report(project)
    assert result == expected
    assert result.controls_percent == 0
    info = _info(project_path)["readiness"]
    assert info["overall_percent"] == expected.overall_percent
    assert info["clauses_percent"] == expected.clauses_percent
    assert info["controls_percent"] == 0
    assert set(info["clauses"]) == {"4", "5", "6", "7", "8", "9", "10"}
    assert info["themes"] == {"organizational": 0, "people": 0, "physical": 0, "technological": 0}


def test_an_unmet_check_names_the_filtered_register(project_path: Path) -> None:
    with open_project(project_path) as project:
        registers.create(
            project,
            "risks",
            {"title": "Laptop theft", "inherent_likelihood": "5", "inherent_impact": "5"},
        )
        result = readiness.report(project, TODAY)
    rules = {r.clause: r for r in result.rules}
    step = rules["6.1.3"].next_steps[0]
    assert step.next_step == "1 risk above the acceptance level has no treatment"
    assert (step.target.area, step.target.register) == ("risks", "risks")


def test_the_overdue_steps_open_registers_filtered_to_exactly_what_they_count(
    demo_path: Path, tmp_path: Path
) -> None:
    """ "7 open actions are overdue" opens the actions filtered to those 7; the filter of
    each register keeps the rows a Python reference says are late (a closed risk past its
    review date is not late)."""
    path = tmp_path / "demo.isms"
    path.write_bytes(demo_path.read_bytes())
    today = dt.date.today()
    with open_project(path) as project:
        late = str(today - dt.timedelta(days=3))
        risk, due = (r.code for r in registers.list_rows(project, "risks")[:2])
        registers.update(project, "risks", risk, "next_review", late)
        registers.update(project, "risks", risk, "status", "Closed")
        registers.update(project, "risks", due, "next_review", late)
        result = readiness.report(project)
        steps = {check.next_step: check.target for _rule, check in result.next_steps()}
        rows = {name: registers.list_rows(project, name) for name in ("actions", "risks")}
        shown = {
            name: registers.query_ids(project, name, equals={OVERDUE: "yes"})
            for name in ("actions", "treatment", "risks")
        }
        treatment = {r.id for r in registers.list_rows(project, "treatment")}

    def action_late(r: Any) -> bool:
        due = r.values["due_date"]
        return due is not None and due < today and r.values["status"] in ("open", "in_progress")

    def review_late(r: Any) -> bool:
        due = r.values["next_review"]
        return due is not None and due < today and r.values["status"] != "closed"

    late_actions = {r.id for r in rows["actions"] if action_late(r)}
    late_risks = {r.id for r in rows["risks"] if review_late(r)}
    assert late_actions and set(shown["actions"]) == late_actions
    assert set(shown["treatment"]) == late_actions & treatment != set()
    assert set(shown["risks"]) == late_risks
    assert risk not in {r.code for r in rows["risks"] if r.id in late_risks}
    n = len(late_actions)
    target = steps[f"{n} open actions are overdue" if n > 1 else "1 open action is overdue"]
    assert (target.register, dict(target.filters)) == ("actions", {OVERDUE: "yes"})
    assert registers.view_filter_text("actions", OVERDUE, "yes") == (
        "Overdue: due date passed, not done or cancelled"
    )
    assert due in {r.code for r in rows["risks"] if r.id in late_risks}
    n = len(late_risks)
    target = steps[f"{n} risks are overdue for review" if n > 1 else "1 risk is overdue for review"]
    assert (target.register, dict(target.filters)) == ("risks", {OVERDUE: "yes"})


def test_action_list_gathers_open_items_from_all_sources(demo_path: Path) -> None:
    with open_project(demo_path) as project:
        registers.create(
            project,
            "documents",
            {
                "title": "Backup procedure",
                "type": "procedure",
                "next_review": "2026-12-10",
                "owner": "P-003",
            },
        )
        items = action_list.action_items(project, today=TODAY)
        soon = action_list.action_items(project, within_days=14, today=TODAY)
        owned = action_list.action_items(project, owner="Priya Nair", today=TODAY)
        only_docs = action_list.action_items(project, sources=["document_review"], today=TODAY)
    sources = {i.source for i in items}
    assert {"treatment", "evidence_expiry", "risk_review", "document_review"} <= sources
    assert [i.due for i in items] == sorted(i.due for i in items)
    assert any(i.overdue(TODAY) for i in items)
    assert soon and all(i.days_left(TODAY) <= 14 for i in soon)
    assert owned and all(i.owner == "Priya Nair" for i in owned)
    assert any(i.title.startswith("Review") and "Backup procedure" in i.title for i in only_docs)
    assert all(i.register and i.code for i in items if i.source != "evidence_expiry")


def _generated_items(project: Any, n: int, seed: int) -> None:
    """Risks with reviews and treatment actions spread over a year, owners and statuses."""
    rng = random.Random(seed)
    people = registers.codes(project, "people")
    risks = [
        {
            "code": f"GR-{i:04d}",
            "title": f"Generated risk {i}",
            "owner": rng.choice([*people, None]),
            "status": rng.choice(["identified", "assessed", "treated", "closed"]),
            "next_review": str(TODAY + dt.timedelta(days=rng.randint(-60, 200)))
            if rng.random() < 0.9
            else None,
        }
        for i in range(n)
    ]
    registers.create_many(project, "risks", risks)
    actions = [
        {
            "title": f"Generated action {i}",
            "owner": rng.choice([*people, None]),
            "status": rng.choice(["open", "in_progress", "done", "cancelled"]),
            "due_date": str(TODAY + dt.timedelta(days=rng.randint(-90, 120))),
        }
        for i in range(n // 2)
    ]
    registers.create_many(project, "treatment", actions)


def test_the_action_list_filters_counts_and_cuts_in_sql_as_python_would(demo_path: Path) -> None:
    with open_project(demo_path) as project:
        _generated_items(project, 600, seed=7)
        every = action_list.action_items(project, today=TODAY)
        with project.reading() as session:
            rows = session.execute(select(Risk.status, Risk.next_review)).all()
        page = action_list.action_page(project, today=TODAY, limit=40, choices=True)
        owners = sorted({i.owner for i in every if i.owner})
        cases: list[dict[str, Any]] = [
            {},
            {"owner": owners[0]},
            {"owner": owners[-1], "within_days": 30},
            {"sources": ["risk_review"]},
            {"sources": ["treatment"], "within_days": -1},
            {"sources": ["document_review", "risk_review"], "within_days": 7},
            {"within_days": 0},
        ]
        pages = [
            (case, action_list.action_page(project, today=TODAY, limit=25, **case))
            for case in cases
        ]
    horizon = TODAY + dt.timedelta(days=action_list.RISK_REVIEW_HORIZON_DAYS)
    reviews = [d for status, d in rows if status != "closed" and d is not None and d <= horizon]
    assert sum(1 for i in every if i.source == "risk_review") == len(reviews) > 40
    assert [(i.due, i.source, i.code) for i in every] == sorted(
        (i.due, i.source, i.code) for i in every
    )
    assert page.items == every[:40] and page.total == len(every)
    assert page.overdue == sum(1 for i in every if i.overdue(TODAY))
    assert page.owners == owners and page.sources == sorted({i.source for i in every})
    for case, got in pages:
        latest = case.get("within_days")
        expected = [
            i
            for i in every
            if (not case.get("owner") or i.owner == case["owner"])
            and (not case.get("sources") or i.source in case["sources"])
            and (latest is None or i.days_left(TODAY) <= latest)
        ]
        assert got.items == expected[:25], case
        assert (got.total, got.overdue) == (
            len(expected),
            sum(1 for i in expected if i.overdue(TODAY)),
        ), case


def _values_for(project: Any, register: str, word: str) -> dict[str, Any]:
    spec = SPECS[register]
    title = search._title_field(register)
    values: dict[str, Any] = {}
    for f in spec.fields:
        if f.computed or f.name == "code":
            continue
        if f.name == title:
            values[f.name] = f"{word} record"
        elif not f.required:
            continue
        elif f.kind in (Kind.TEXT, Kind.LONGTEXT):
            values[f.name] = "something"
        elif f.kind == Kind.CHOICE:
            values[f.name] = f.choices[0]
        elif f.kind == Kind.DATE:
            values[f.name] = "2026-03-01"
        elif f.kind == Kind.PERSON:
            values[f.name] = "P-001"
        elif f.kind == Kind.REF:
            assert f.ref is not None
            # distinct records for distinct references (an interaction joins two processes)
            taken = sum(1 for other in spec.fields if other.ref == f.ref and other.name in values)
            values[f.name] = registers.codes(project, f.ref)[taken]
    return values


def test_search_finds_records_created_in_every_register(demo_path: Path) -> None:
    with open_project(demo_path) as project:
        if not registers.codes(project, "audits"):
            registers.create(project, "audits", {"title": "Internal audit 2026"})
        created: dict[str, str] = {}
        for register in search.SEARCHED:
            if register == "soa":
                registers.update(project, "soa", "5.1", "implementation", "Zanzibarquokka soa")
                created[register] = "5.1"
                continue
            word = f"Zanzibar{register}"
            change = registers.create(project, register, _values_for(project, register, word))
            created[register] = change.code
        for register, code in created.items():
            word = "Zanzibarquokka" if register == "soa" else f"Zanzibar{register}"
            hits = search.search(project, word.lower()[:-2])  # a prefix, lower case
            assert (register, code) in {(h.register, h.code) for h in hits}, register
            by_code = search.search(project, code)
            assert (by_code[0].register, by_code[0].code) == (register, code) or any(
                h.code == code for h in by_code
            )


def test_search_index_follows_changes(demo_path: Path) -> None:
    with open_project(demo_path) as project:
        assert search.search(project, "Kumquatstorage") == []
        change = registers.create(project, "assets", {"name": "Kumquatstorage", "type": "hardware"})
        assert [h.code for h in search.search(project, "kumquat")] == [change.code]
        registers.delete(project, "assets", change.code)
        assert search.search(project, "kumquat") == []
        assert search.search(project, "   ") == []
        assert search.search(project, '"*") (') == []


def test_the_index_read_in_small_chunks_holds_every_record_once(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_project(demo_path) as project:
        whole = sorted(search._documents(project))
        monkeypatch.setattr(search, "CHUNK", 7)  # many chunks per register, some partial
        chunked = sorted(search._documents(project))
        expected = {name: len(registers.codes(project, name)) for name in search.SEARCHED}
    assert chunked == whole
    assert len({(r, code) for r, code, _t, _b in chunked}) == len(chunked)
    # every record once; treatment actions are found under "treatment", not again in actions
    expected["actions"] -= expected["treatment"]
    assert Counter(register for register, *_ in chunked) == {
        name: n for name, n in expected.items() if n
    }


def test_a_search_closed_while_its_index_is_built_stops_and_leaves_it_out_of_date(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CHUNK", 5)
    asked: list[int] = []

    def closed_after_three_chunks() -> bool:
        asked.append(1)
        return len(asked) > 3

    with open_project(demo_path) as project:
        with pytest.raises(CancelledError):
            search.search(project, "backup", cancelled=closed_after_three_chunks)
        assert len(asked) == 4 and not search.index_ready(project)
        hits = search.search(project, "backup")  # built whole the next time
        assert hits and search.index_ready(project)
        assert len(hits) == len(search.search(project, "backup"))


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_any_typed_text_is_a_valid_search(text: str) -> None:
    index = _small_index()
    hits = index.search(text)
    assert all(h.register == "assets" for h in hits)


def _small_index() -> search.SearchIndex:
    global _INDEX
    if _INDEX is None:
        _INDEX = search.SearchIndex()
        _INDEX._db.executemany(
            "INSERT INTO docs (register, code, title, keys, body) VALUES (?, ?, ?, ?, ?)",
            [
                ("assets", f"A-{i:03}", f"Asset {i}", f"A-{i:03}", "Laptop “ß” café")
                for i in range(5)
            ],
        )
    return _INDEX


_INDEX: search.SearchIndex | None = None


def test_the_demo_projects_readiness_is_the_hand_computed_one(demo_path: Path) -> None:
    """The demo's unmet checks, worked out by hand from its records (all other checks met):

    7.5  18 of 20 documents not overdue           (1 + 1 + 18/20) / 3 = 0.9667
    8.1  11 of 18 open actions not overdue         (1 + 11/18) / 2   = 0.8056
    8.3  22 of 33 treatment actions done           (1 + 22/33 + 1) / 3 = 0.8889
    9.1  6 of 7 metrics measured on time           (1 + 6/7) / 2     = 0.9286
    10.1 10 of 12 improvement actions not overdue  (1 + 10/12) / 2   = 0.9167
    10.2 5 of 6 NCs with a root cause, 4 of 6 with an action, 1 of 1 closed verified
                                                   (5/6 + 4/6 + 1) / 3 = 0.8333
    22 rules: (22 - 0.6603) / 22 = 97 %; controls 176 of 186 halves = 95 %; overall 96 %.
    """
    with open_project(demo_path, read_only=True) as project:
        result = readiness.report(project)
    assert (result.clauses_percent, result.controls_percent, result.overall_percent) == (97, 95, 96)
    clauses = {top: result.clause_percent(top) for top in ("4", "5", "6", "7", "8", "9", "10")}
    assert clauses == {"4": 100, "5": 100, "6": 100, "7": 99, "8": 90, "9": 98, "10": 88}
    unmet = {(rule.clause, check.done, check.total) for rule, check in result.next_steps()}
    assert unmet == {
        ("7.5", 18, 20),
        ("8.1", 11, 18),
        ("8.3", 22, 33),
        ("9.1", 6, 7),
        ("10.1", 10, 12),
        ("10.2", 5, 6),
        ("10.2", 4, 6),
    }
    assert [t.percent for t in result.themes] == [95, 94, 100, 93]


def test_each_source_of_the_action_list_has_a_label_of_its_own() -> None:
    """The dashboard's Source filter lists the labels: two sources named alike ("Measurement
    due" twice, once for the metrics' computed due dates and once for monitoring actions)
    made two entries that looked the same and filtered differently."""
    labels = list(action_list.SOURCE_LABELS.values())
    assert len(set(labels)) == len(labels), sorted(labels)
