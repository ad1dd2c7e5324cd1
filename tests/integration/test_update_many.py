"""Many records at once in the services: one field set on many (read, changed and written
500 at a time), all or nothing, every record logged, and its undo, each record's own old
value back in one transaction; many deleted in one transaction up to the first still in
use, and restored with their values, links and evidence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain.errors import BadArgumentsError, IsmsError
from isms_desktop.services import attachments, history, registers
from isms_desktop.services.history import LogFilter
from isms_desktop.services.registers import InvalidValueError
from isms_desktop.storage.project_file import Project, open_project

MANY = 1_203  # more than two chunks of 500


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with open_project(project_path) as opened:
        yield opened


def _new_assets(project: Project, name: str, n: int, located: bool = False) -> list[str]:
    """``n`` new hardware assets "name 0" … (at "Desk 0" … when ``located``); their codes."""
    records = [
        {
            "name": f"{name} {i}",
            "type": "hardware",
            **({"location": f"Desk {i}"} if located else {}),
        }
        for i in range(n)
    ]
    return [c.code for c in registers.create_many(project, "assets", records)]


def _locations(project: Project, codes: list[str]) -> list[str | None]:
    rows = {r.code: r.values["location"] for r in registers.list_rows(project, "assets")}
    return [rows[code] for code in codes]


def test_one_value_set_on_more_than_two_chunks_is_set_and_logged_on_each(
    project: Project,
) -> None:
    codes = _new_assets(project, "Laptop", MANY, located=True)
    logged = history.count(project, LogFilter(register="assets"))

    changes = registers.update_many(project, "assets", codes, "location", "  Vault  ")

    assert [c.code for c in changes] == codes
    assert [(c.old, c.new) for c in changes] == [(f"Desk {n}", "Vault") for n in range(MANY)]
    assert _locations(project, codes) == ["Vault"] * MANY
    assert history.count(project, LogFilter(register="assets")) == logged + MANY
    newest = history.change_log(project, LogFilter(register="assets"), limit=1)[0]
    assert (newest.field, newest.new) == ("location", "Vault")


def test_undo_puts_back_each_records_own_old_value(project: Project) -> None:
    codes = _new_assets(project, "Server", 7)
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
    codes = _new_assets(project, "Phone", 3)
    with pytest.raises(BadArgumentsError, match="there is no record A-999"):
        registers.update_many(project, "assets", [*codes, "A-999"], "location", "Lost")
    assert _locations(project, codes) == ["", "", ""]


def test_fields_filled_in_automatically_cannot_be_set_on_many(project: Project) -> None:
    codes = [registers.create(project, "risks", {"title": "Phishing"}).code]
    with pytest.raises(InvalidValueError, match="cannot be set on many records"):
        registers.update_many(project, "risks", codes, "inherent_level", "high")
    with pytest.raises(InvalidValueError, match="cannot be set on many records"):
        registers.update_many(project, "risks", codes, "code", "R-100")


def _asset_rows(project: Project) -> dict[str, dict[str, object]]:
    return {r.code: r.values for r in registers.list_rows(project, "assets")}


def test_deleting_more_than_two_chunks_is_undone_with_values_links_and_evidence(
    project: Project, tmp_path: Path
) -> None:
    codes = _new_assets(project, "Badge", MANY, located=True)
    registers.update(project, "assets", codes[1], "depends_on", codes[0])
    evidence = tmp_path / "receipt.txt"
    evidence.write_text("bought 2026", encoding="utf-8")
    attachments.add_attachment(project, "assets", codes[700], evidence)
    before = _asset_rows(project)

    done, refused = registers.delete_many(project, "assets", list(reversed(codes)))

    # codes[0] was used only by codes[1], deleted before it
    assert refused is None and len(done) == MANY
    assert _asset_rows(project) == {}
    registers.restore_many(project, "assets", [c.snapshot for c in done])
    assert _asset_rows(project) == before
    assert [a.name for a in attachments.list_attachments(project, "assets", codes[700])] == [
        "receipt.txt"
    ]


def test_a_record_still_in_use_stops_the_delete_there(project: Project) -> None:
    codes = _new_assets(project, "Switch", 600)
    registers.update(project, "assets", codes[0], "depends_on", codes[550])
    order = [*codes[1:], codes[0]]  # codes[550] comes before the asset that depends on it

    with pytest.raises(IsmsError, match=f"{codes[550]} is still used by 1 asset \\(A-001\\)"):
        registers.delete_many(project, "assets", order, partial=False)
    assert len(_asset_rows(project)) == 600  # none deleted

    done, refused = registers.delete_many(project, "assets", order)
    assert refused is not None and refused.startswith(f"{codes[550]} is still used")
    assert [c.code for c in done] == codes[1:550]
    assert sorted(_asset_rows(project)) == sorted([codes[0], *codes[550:]])


@pytest.mark.parametrize("n", [3, 25])  # restored one by one, and in bulk
def test_a_restore_whose_code_was_given_out_again_is_refused_whole(
    project: Project, n: int
) -> None:
    codes = _new_assets(project, "Token", n)
    done, _refused = registers.delete_many(project, "assets", codes)
    registers.create(project, "assets", {"code": codes[1], "name": "New token", "type": "hardware"})
    logged = history.count(project)

    with pytest.raises(InvalidValueError, match=f"the code {codes[1]} is already in use"):
        registers.restore_many(project, "assets", [c.snapshot for c in done])

    assert sorted(_asset_rows(project)) == [codes[1]]  # the new one only: none restored
    assert history.count(project) == logged
    registers.delete(project, "assets", codes[1])
    restored = registers.restore_many(project, "assets", [c.snapshot for c in done])
    assert sorted(c.code for c in restored) == codes
    created = history.change_log(project, LogFilter(register="assets"), limit=n)
    assert sorted((e.record, e.kind) for e in created) == [(c, "created") for c in codes]
    assert all(
        f"Asset: Token {i}" in e.new_label
        for i, e in enumerate(sorted(created, key=lambda e: e.record))
    )
