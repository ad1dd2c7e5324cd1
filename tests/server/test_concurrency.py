"""Two users on one server project: a save over a record someone else changed meanwhile is
detected (row versions), never silently overwriting; views learn that others changed things."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from isms_desktop.domain.errors import ConflictError
from isms_desktop.services import history, registers, risk_method, team
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.models import Risk
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def two_users(
    pg_template_project: str, new_pg_database: Callable[[str | None], str]
) -> Iterator[tuple[Project, Project]]:
    url = new_pg_database(pg_template_project)
    first, second = open_project(url), open_project(url)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _risk(project: Project) -> str:
    return registers.create(
        project, "risks", {"title": "Phishing", "inherent_likelihood": 3, "inherent_impact": 3}
    ).code


def test_the_second_save_of_one_record_is_a_conflict(two_users: tuple[Project, Project]) -> None:
    alice, bob = two_users
    code = _risk(alice)
    seen_by_alice = registers.get(alice, "risks", code)
    seen_by_bob = registers.get(bob, "risks", code)
    start = seen_by_alice.version
    assert seen_by_bob.version == start >= 1

    saved = registers.update(
        alice, "risks", code, "title", "Phishing of staff", expected_version=seen_by_alice.version
    )
    assert saved.version == start + 1
    with pytest.raises(ConflictError) as caught:
        registers.update(
            bob, "risks", code, "title", "Spear phishing", expected_version=seen_by_bob.version
        )
    conflict = caught.value
    assert conflict.exit_code == 2
    assert (conflict.register, conflict.code, conflict.field) == ("risks", code, "title")
    assert conflict.mine == "Spear phishing"
    assert conflict.current["title"] == "Phishing of staff"  # theirs, as it is now
    assert conflict.version == start + 1
    assert registers.get(alice, "risks", code).values["title"] == "Phishing of staff"

    # Bob compared and chose to overwrite: he saves against the version he was shown.
    registers.update(
        bob, "risks", code, "title", "Spear phishing", expected_version=conflict.version
    )
    row = registers.get(alice, "risks", code)
    assert (row.values["title"], row.version) == ("Spear phishing", start + 2)


def test_edits_in_sequence_carry_the_version_on(two_users: tuple[Project, Project]) -> None:
    alice, _bob = two_users
    code = _risk(alice)
    version = start = registers.get(alice, "risks", code).version
    for field, value in (("title", "T1"), ("inherent_impact", 5), ("description", "why")):
        version = registers.update(
            alice, "risks", code, field, value, expected_version=version
        ).version
    assert registers.get(alice, "risks", code).version == version == start + 3


def test_a_stale_object_in_an_open_transaction_is_refused(
    two_users: tuple[Project, Project],
) -> None:
    """The race between reading and writing inside one transaction: the row version in the
    UPDATE's WHERE clause catches it (READ COMMITTED, two real connections)."""
    alice, bob = two_users
    code = _risk(alice)
    with pytest.raises(StaleDataError), bob.transaction() as session:
        risk = session.scalars(select(Risk).where(Risk.code == code)).one()
        registers.update(alice, "risks", code, "title", "changed by Alice")
        risk.title = "changed by Bob"
        session.flush()
    assert registers.get(bob, "risks", code).values["title"] == "changed by Alice"


def test_deleting_a_record_someone_changed_is_refused(two_users: tuple[Project, Project]) -> None:
    alice, bob = two_users
    code = registers.create(alice, "people", {"name": "Ann"}).code
    with pytest.raises(StaleDataError), bob.transaction() as session:
        from isms_desktop.storage.models import Person

        person = session.scalars(select(Person).where(Person.code == code)).one()
        registers.update(alice, "people", code, "role", "CISO")
        session.delete(person)
        session.flush()
    assert registers.get(bob, "people", code).values["role"] == "CISO"


def test_a_view_notices_what_others_changed(two_users: tuple[Project, Project]) -> None:
    alice, bob = two_users
    mark = team.change_mark(bob)
    assert team.change_mark(bob) == mark  # nothing happened: nothing to refresh
    _risk(alice)
    registers.create(alice, "assets", {"name": "CRM", "type": "software"})
    later = team.change_mark(bob)
    assert later != mark
    assert team.changed_since(bob, mark) == ["assets", "risks"]
    assert team.changed_since(bob, later) == []


def test_the_change_log_only_grows_on_the_server(two_users: tuple[Project, Project]) -> None:
    alice, _bob = two_users
    registers.create(alice, "people", {"name": "Ann"})
    with pytest.raises(DBAPIError, match="cannot be edited"), alice.engine.begin() as conn:
        conn.execute(text("UPDATE change_log SET user_name = 'someone else'"))
    with pytest.raises(DBAPIError, match="cannot be edited"), alice.engine.begin() as conn:
        conn.execute(text("DELETE FROM change_log"))


def test_a_risk_saved_by_someone_else_during_a_method_change_stops_it(
    two_users: tuple[Project, Project],
) -> None:
    """Re-scoring writes a risk only at the version it read: when a colleague saves one
    of them between two chunks, the change of method stops and nothing of it is kept."""
    alice, bob = two_users
    registers.create_many(
        alice,
        "risks",
        [
            # likelihood 1 or 5: every risk changes level when the matrix is flipped
            {"title": f"Risk {n}", "inherent_likelihood": 1 + 4 * (n % 2), "inherent_impact": 5}
            for n in range(1_100)  # two chunks of re-scoring
        ],
    )
    old = risk_method.current_method(alice)
    flipped = dataclasses.replace(old, matrix=tuple(reversed(old.matrix)))
    before = {r.code: (r.version, r.values["inherent_level"]) for r in _risks(alice)}
    with alice.reading() as session:  # written in the second chunk (re-scored in id order)
        last = session.scalars(select(Risk.code).order_by(Risk.id.desc()).limit(1)).one()
    logged = history.count(alice)

    def bob_saves_the_last_risk(done: int, total: int) -> None:
        if done < total:
            registers.update(bob, "risks", last, "title", "Changed by Bob")

    with pytest.raises(ConflictError) as caught:
        risk_method.change_method(alice, flipped, progress=bob_saves_the_last_risk)

    assert "someone else saved 1 of the risks" in str(caught.value)
    assert risk_method.current_method(alice) == old
    after = {r.code: (r.version, r.values["inherent_level"]) for r in _risks(alice)}
    assert after == {**before, last: (before[last][0] + 1, before[last][1])}
    assert registers.get(alice, "risks", last).values["title"] == "Changed by Bob"
    assert history.count(alice) == logged + 1  # Bob's edit only


def _risks(project: Project) -> list[RecordRow]:
    return registers.list_rows(project, "risks")


def test_a_record_saved_by_someone_else_during_a_multi_record_edit_stops_it(
    two_users: tuple[Project, Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A multi-record edit writes each record only at the version it read: when a colleague
    saves one of the second chunk after it was read, the edit stops, nothing of it is kept,
    and the message does not pretend the records were deleted."""
    alice, bob = two_users
    codes = [
        c.code
        for c in registers.create_many(
            alice,
            "risks",
            [
                {"title": f"Risk {n}", "inherent_likelihood": 2, "inherent_impact": 2}
                for n in range(700)  # two chunks of 500
            ],
        )
    ]
    before = {r.code: (r.version, r.values["status"]) for r in _risks(alice)}
    logged = history.count(alice)
    read = registers._values_by_id
    calls: list[int] = []

    def bob_saves_the_last_risk(session: object, register: str, ids: list[int]) -> object:
        calls.append(len(ids))
        if len(calls) == 2:  # the second chunk's versions are read: Bob saves one of them
            registers.update(bob, "risks", codes[-1], "title", "Changed by Bob")
        return read(session, register, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(registers, "_values_by_id", bob_saves_the_last_risk)
    with pytest.raises(ConflictError) as caught:
        registers.update_many(alice, "risks", codes, "status", "treated")

    assert "someone else saved one or more of" in str(caught.value)
    assert "deleted" not in str(caught.value)
    after = {r.code: (r.version, r.values["status"]) for r in _risks(alice)}
    assert after == {**before, codes[-1]: (before[codes[-1]][0] + 1, before[codes[-1]][1])}
    assert history.count(alice) == logged + 1  # Bob's edit only
