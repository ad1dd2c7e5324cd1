"""Multi-select edit in the services: one field set on many records (read, changed and
written 500 at a time), all or nothing, every record logged; and its undo, each record's
own old value back in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.services import history, registers
from isms_desktop.services.history import LogFilter
from isms_desktop.services.registers import InvalidValueError
from isms_desktop.storage.project_file import Project, open_project

MANY = 1_203  # more than two chunks of 500


@pytest.fixture
def project(project_path: Path) -> Project:
    with open_project(project_path) as opened:
        yield opened


def _locations(project: Project, codes: list[str]) -> list[str | None]:
    rows = {r.code: r.values["location"] for r in registers.list_rows(project, "assets")}
    return [rows[code] for code in codes]


def test_one_value_set_on_more_than_two_chunks_is_set_and_logged_on_each(
    project: Project,
) -> None:
    made = registers.create_many(
        project,
        "assets",
        [{"name": f"Laptop {n}", "type": "hardware", "location": f"Desk {n}"} for n in range(MANY)],
    )
    codes = [c.code for c in made]
    logged = history.count(project, LogFilter(register="assets"))

    changes = registers.update_many(project, "assets", codes, "location", "  Vault  ")

    assert [c.code for c in changes] == codes
    assert [(c.old, c.new) for c in changes] == [(f"Desk {n}", "Vault") for n in range(MANY)]
    assert _locations(project, codes) == ["Vault"] * MANY
    assert history.count(project, LogFilter(register="assets")) == logged + MANY
    newest = history.change_log(project, LogFilter(register="assets"), limit=1)[0]
    assert (newest.field, newest.new) == ("location", "Vault")


def test_undo_puts_back_each_records_own_old_value(project: Project) -> None:
    codes = [
        c.code
        for c in registers.create_many(
            project, "assets", [{"name": f"Server {n}", "type": "hardware"} for n in range(7)]
        )
    ]
    registers.update(project, "assets", codes[2], "location", "Rack 2")
    changes = registers.update_many(project, "assets", codes, "location", "Cloud")
    assert _locations(project, codes) == ["Cloud"] * 7

    undone = registers.update_each(project, "assets", "location", {c.code: c.old for c in changes})

    before = ["", "", "Rack 2", "", "", "", ""]  # (a text never typed is empty)
    assert [c.new for c in undone] == before
    assert _locations(project, codes) == before


def test_a_person_is_resolved_once_and_set_on_every_record(project: Project) -> None:
    registers.create(project, "people", {"name": "Ana Lima"})
    codes = [
        c.code
        for c in registers.create_many(
            project, "risks", [{"title": f"Risk {n}"} for n in range(600)]
        )
    ]
    registers.update_many(project, "risks", codes, "owner", "Ana Lima")
    owners = {r.display["owner"] for r in registers.list_rows(project, "risks")}
    assert owners == {"Ana Lima"}


def test_a_record_refused_in_a_later_chunk_names_its_code_and_nothing_is_written(
    project: Project,
) -> None:
    records = [
        {"kind": "location", "name": f"Site {n}", "justification": f"Reason {n}"}
        for n in range(700)
    ]
    records[650] = {"kind": "location", "name": "Site without reason"}
    codes = [c.code for c in registers.create_many(project, "scope", records)]
    logged = history.count(project)

    with pytest.raises(InvalidValueError, match=f"^{codes[650]}: an exclusion needs") as refused:
        registers.update_many(project, "scope", codes, "kind", "exclusion")

    assert refused.value.field_name == "justification"
    kinds = {r.values["kind"] for r in registers.list_rows(project, "scope") if r.code in codes}
    assert kinds == {"location"}
    assert history.count(project) == logged


def test_an_unknown_code_is_refused_and_nothing_is_written(project: Project) -> None:
    codes = [
        c.code
        for c in registers.create_many(
            project, "assets", [{"name": f"Phone {n}", "type": "hardware"} for n in range(3)]
        )
    ]
    with pytest.raises(BadArgumentsError, match="there is no record A-999"):
        registers.update_many(project, "assets", [*codes, "A-999"], "location", "Lost")
    assert _locations(project, codes) == ["", "", ""]


def test_fields_filled_in_automatically_cannot_be_set_on_many(project: Project) -> None:
    codes = [registers.create(project, "risks", {"title": "Phishing"}).code]
    with pytest.raises(InvalidValueError, match="cannot be set on many records"):
        registers.update_many(project, "risks", codes, "inherent_level", "high")
    with pytest.raises(InvalidValueError, match="cannot be set on many records"):
        registers.update_many(project, "risks", codes, "code", "R-100")
