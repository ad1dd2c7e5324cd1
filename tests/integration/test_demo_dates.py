"""The demo project reads as a believable record: what it says has happened (completed,
closed, verified, approved, occurred, detected, signed off) happened on or before the day
the demo was built, and generated titles keep the capitals of the risks they name."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

# (table, column, condition): dates of things that have happened
PAST_DATES = (
    ("actions", "completed_on", "1"),
    ("nonconformities", "raised_on", "1"),
    ("nonconformities", "verified_on", "1"),
    ("incidents", "occurred_at", "1"),
    ("incidents", "detected_at", "1"),
    ("incidents", "notified_at", "1"),
    ("audits", "signed_off_on", "1"),
    ("audits", "planned_end", "status = 'completed'"),
    ("documents", "approved_on", "1"),
    ("document_versions", "approved_on", "1"),
    ("soa_versions", "approved_on", "1"),
    ("soa_entries", "last_review", "1"),
    ("risks", "accepted_on", "1"),
    ("reviews", "date", "status = 'closed'"),
    ("training_records", "date", "1"),
    ("measurements", "date", "1"),
    ("commitments", "date", "1"),
    ("attachments", "added_at", "1"),
)

# written with capitals of their own in the risk titles and the catalogue
ACRONYMS = ("SaaS", "CRM", "HR", "Wi-Fi", "VPN", "MFA", "API", "AI", "SSO")


@pytest.fixture
def db(template_demo: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{template_demo}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def test_nothing_that_has_happened_is_dated_after_today(db: sqlite3.Connection) -> None:
    today = dt.date.today().isoformat()
    future = []
    for table, column, condition in PAST_DATES:
        rows = db.execute(
            f"SELECT rowid, {column} FROM {table} "
            f"WHERE {column} IS NOT NULL AND substr({column}, 1, 10) > ? AND {condition}",
            (today,),
        ).fetchall()
        future += [(table, column, *row) for row in rows]
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    assert future == []


def test_done_actions_were_completed_by_today_after_what_gave_rise_to_them(
    db: sqlite3.Connection,
) -> None:
    today = dt.date.today().isoformat()
    rows = db.execute(
        "SELECT a.code, a.source, a.progress, a.completed_on, n.raised_on, r.date,"
        " substr(i.detected_at, 1, 10) FROM actions a"
        " LEFT JOIN nonconformities n ON n.id = a.nonconformity_id"
        " LEFT JOIN reviews r ON r.id = a.review_id"
        " LEFT JOIN incidents i ON i.id = a.incident_id"
        " WHERE a.status = 'done'"
    ).fetchall()
    sources = {row[1] for row in rows}
    assert {"treatment", "corrective", "review"} <= sources
    assert sum(1 for row in rows if row[1] == "treatment") >= 15
    for code, _source, progress, completed, raised, review, detected in rows:
        assert progress == 100, code
        assert completed is not None, code
        assert completed <= today, code
        for origin in (raised, review, detected):
            assert origin is None or origin <= completed, code


def test_treatment_actions_keep_the_capitals_of_acronyms(db: sqlite3.Connection) -> None:
    titles = [row[0] for row in db.execute("SELECT title FROM actions")]
    risk_titles = [row[0] for row in db.execute("SELECT title FROM risks")]
    # the generated actions name their risk: these risks have one
    for acronym in ("SaaS", "CRM", "HR", "Wi-Fi"):
        assert any(acronym in t for t in risk_titles), acronym
        assert any(re.search(rf"\b{acronym}\b", t) for t in titles), acronym
    wrong = []
    for title in titles:
        for acronym in ACRONYMS:
            for found in re.findall(rf"\b{re.escape(acronym)}\b", title, flags=re.IGNORECASE):
                if found != acronym:
                    wrong.append((title, found))
    assert wrong == []
    assert all(t[:1].isupper() for t in titles)


def test_the_demo_profile_uses_the_setup_wizards_choices(demo_path: Path) -> None:
    """The organisation's size is one of the choices the wizard and the Scope Statement page
    offer ("50-249" showed as a value of its own beside "50–249 people")."""
    from isms_desktop.services import projects
    from isms_desktop.services.wizard import SIZES
    from isms_desktop.storage.project_file import open_project as open_file

    with open_file(demo_path, read_only=True) as project:
        assert projects.profile(project).size in SIZES
