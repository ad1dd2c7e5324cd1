"""The generic register use cases, on a real project file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.services import registers
from isms_desktop.services.registers import InvalidValueError
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def project(project_path: Path) -> Project:
    p = open_project(project_path)
    yield p  # type: ignore[misc]
    p.close()


def test_create_update_delete_restore(project: Project) -> None:
    person = registers.create(project, "people", {"name": "Ana Ruiz", "role": "ISO"})
    assert person.code == "P-001"
    change = registers.update(project, "people", "P-001", "email", "ana@example.org")
    assert (change.old, change.new) == ("", "ana@example.org")
    deleted = registers.delete(project, "people", "P-001")
    assert registers.codes(project, "people") == []
    registers.restore(project, "people", deleted.snapshot)
    row = registers.get(project, "people", "P-001")
    assert row.values["email"] == "ana@example.org"
    assert row.values["name"] == "Ana Ruiz"


def test_references_by_code_or_name_and_their_display(project: Project) -> None:
    registers.create(project, "people", {"name": "Ana Ruiz"})
    change = registers.update(project, "processes", "PR-01", "owner", "ana ruiz")
    assert change.new == "P-001"
    row = registers.get(project, "processes", "PR-01")
    assert row.values["owner"] == "P-001"
    assert row.display["owner"] == "Ana Ruiz"
    with pytest.raises(InvalidValueError, match="no people record 'Nobody'"):
        registers.update(project, "processes", "PR-01", "owner", "Nobody")


def test_a_referenced_record_cannot_be_deleted(project: Project) -> None:
    registers.create(project, "people", {"name": "Ana Ruiz"})
    registers.update(project, "processes", "PR-01", "owner", "P-001")
    with pytest.raises(IsmsError, match=r"still used by 1 process \(PR-01\); change those first"):
        registers.delete(project, "people", "P-001")
    assert registers.codes(project, "people") == ["P-001"]


def test_invalid_values_change_nothing(project: Project) -> None:
    registers.create(project, "scope", {"kind": "location", "name": "HQ"})
    with pytest.raises(InvalidValueError, match="exclusion needs a justification"):
        registers.update(project, "scope", "SC-001", "kind", "exclusion")
    assert registers.get(project, "scope", "SC-001").values["kind"] == "location"
    with pytest.raises(InvalidValueError, match="Kind must be one of"):
        registers.create(project, "scope", {"kind": "planet", "name": "Mars"})
    with pytest.raises(InvalidValueError, match="already in use"):
        registers.create(project, "scope", {"code": "SC-001", "kind": "location", "name": "B"})
    assert registers.codes(project, "scope") == ["SC-001"]


def test_an_interaction_cannot_be_made_twice(project: Project) -> None:
    # (source, target, flow) is unique in the table: a clear refusal, not an IntegrityError
    first = registers.get(project, "interactions", "IX-001").values
    same = {"source": first["source"], "target": first["target"], "flow": first["flow"]}
    twice = "IX-001 already has the same From, To and What flows"
    count = registers.count(project, "interactions")
    with pytest.raises(InvalidValueError, match=twice):
        registers.create(project, "interactions", same)
    other = registers.create(project, "interactions", {**same, "flow": "Something else"}).code
    with pytest.raises(InvalidValueError, match=twice) as refused:
        registers.update(project, "interactions", other, "flow", first["flow"])
    assert refused.value.field_name == "flow"
    with pytest.raises(InvalidValueError, match=twice):
        registers.update_many(project, "interactions", [other], "flow", first["flow"])
    assert registers.get(project, "interactions", other).values["flow"] == "Something else"
    assert registers.count(project, "interactions") == count + 1
    registers.update(project, "interactions", other, "flow", "Something else again")


def test_an_import_that_repeats_an_interaction_is_refused_by_row(project: Project) -> None:
    first = registers.get(project, "interactions", "IX-001").values
    same = {"source": first["source"], "target": first["target"], "flow": first["flow"]}
    new = {**same, "flow": "A new flow"}
    rows = [(2, same), (3, new), (4, new), (5, {"code": "IX-002", **new})]
    result = registers.upsert_rows(project, "interactions", rows)
    assert not result.written
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (2, "What flows", first["flow"]),
        (4, "What flows", "A new flow"),
        (5, "What flows", "A new flow"),
    ]
    assert "IX-001 already has the same" in result.problems[0].reason
    assert "(added by this import) already has the same" in result.problems[1].reason
    assert registers.get(project, "interactions", "IX-002").values["flow"] != "A new flow"
    assert not registers.list_rows(project, "interactions", text="A new flow")


@pytest.mark.parametrize(
    ("register", "values", "state"),
    [
        ("audits", {"title": "Supplier audit"}, "planned"),
        ("risks", {"title": "Stolen laptop"}, "identified"),
        ("treatment", {"title": "Encrypt the laptops"}, "open"),
        ("assets", {"name": "Laptop", "type": "hardware"}, "in_use"),
    ],
)
def test_a_new_record_without_a_state_starts_in_the_first(
    project: Project, register: str, values: dict[str, str], state: str
) -> None:
    """Left empty in the form or the sheet, a status (an asset's lifecycle) is the first
    state, not none: an action without one was counted neither open nor done."""
    field = "lifecycle" if register == "assets" else "status"
    made = registers.create(project, register, values).code
    assert registers.get(project, register, made).values[field] == state
    typed = registers.create(project, register, {**values, field: ""}).code
    assert registers.get(project, register, typed).values[field] == state
    result = registers.upsert_rows(project, register, [(2, {**values, field: ""})])
    assert result.written and result.created == 1
    imported = registers.list_rows(project, register)[-1]
    assert imported.values[field] == state
    other = next(c for c in SPECS[register].field(field).choices if c != state)
    chosen = registers.create(project, register, {**values, field: other}).code
    assert registers.get(project, register, chosen).values[field] == other


def test_read_only_project_refuses_edits(project_path: Path) -> None:
    with open_project(project_path, read_only=True) as reader, pytest.raises(IsmsError):
        registers.create(reader, "people", {"name": "X"})


def test_sort_and_filter_match_a_python_reference(project: Project) -> None:
    rng = random.Random(7)
    words = ["backup", "cloud", "Phishing", "flood", "supplier", "100%_sure", "ransom"]
    for _ in range(60):
        registers.create(
            project,
            "context",
            {
                "kind": rng.choice(["internal", "external"]),
                "category": rng.choice(["legal", "economic", "social"]),
                "description": " ".join(rng.sample(words, 2)),
            },
        )
    rows = registers.list_rows(project, "context")
    for text in ("cloud", "PHISH", "100%", "_sure", "zzz"):
        ids = registers.query_ids(project, "context", text=text)
        expected = [
            r.id
            for r in rows
            if text.lower() in r.code.lower() + "|" + r.values["description"].lower()
            or text.lower() in r.values["effect"].lower()
        ]
        assert sorted(ids) == sorted(expected), text
    ids = registers.query_ids(project, "context", sort="description", descending=True)
    by_id = {r.id: r for r in rows}
    got = [by_id[i].values["description"] for i in ids]
    assert got == sorted(got, reverse=True)
    ids = registers.query_ids(project, "context", equals={"kind": "internal"})
    assert sorted(ids) == sorted(r.id for r in rows if r.values["kind"] == "internal")


def test_sorting_by_a_person_sorts_by_name(project: Project) -> None:
    for name in ("Zoe", "Adam", "Mia"):
        registers.create(project, "people", {"name": name})
    registers.update(project, "processes", "PR-01", "owner", "Zoe")
    registers.update(project, "processes", "PR-02", "owner", "Adam")
    registers.update(project, "processes", "PR-03", "owner", "Mia")
    ids = registers.query_ids(project, "processes", sort="owner")
    owners = [r.display["owner"] for r in registers.fetch(project, "processes", ids)]
    named = [o for o in owners if o]
    assert named == ["Adam", "Mia", "Zoe"]


def test_demo_has_the_context_registers(demo_path: Path) -> None:
    with open_project(demo_path, read_only=True) as demo:
        assert registers.count(demo, "context") >= 8
        assert registers.count(demo, "parties") >= 5
        assert registers.count(demo, "requirements") >= 8
        assert registers.count(demo, "roles") >= 4
        assert registers.count(demo, "commitments") >= 3
        scope = registers.list_rows(demo, "scope")
        kinds = {r.values["kind"] for r in scope}
        assert {"location", "interface", "dependency", "exclusion"} <= kinds
        climate = registers.list_rows(demo, "context", equals={"climate_related": True})
        assert climate


def test_upsert_is_all_or_nothing_and_reports_every_problem(project: Project) -> None:
    registers.create(project, "context", {"kind": "internal", "description": "Old text"})
    rows = [
        (2, {"code": "CI-001", "description": "New text"}),
        (3, {"kind": "external", "description": "Brand new"}),
        (4, {"kind": "sideways", "description": "Bad kind"}),
        (5, {"kind": "internal", "description": ""}),
    ]
    result = registers.upsert_rows(project, "context", rows)
    assert not result.written
    assert [(p.row, p.column) for p in result.problems] == [
        (4, "Internal/External"),
        (5, "Issue"),
    ]
    assert registers.codes(project, "context") == ["CI-001"]
    assert registers.get(project, "context", "CI-001").values["description"] == "Old text"

    good = rows[:2]
    dry = registers.upsert_rows(project, "context", good, dry_run=True)
    assert (dry.created, dry.updated, dry.written) == (1, 1, False)
    assert registers.codes(project, "context") == ["CI-001"]

    done = registers.upsert_rows(project, "context", good)
    assert (done.created, done.updated, done.written) == (1, 1, True)
    assert registers.codes(project, "context") == ["CI-001", "CI-002"]
    assert registers.get(project, "context", "CI-001").values["description"] == "New text"
    again = registers.upsert_rows(
        project, "context", [(2, {"code": "CI-001", "description": "New text"})]
    )
    assert (again.updated, again.unchanged) == (0, 1)


def test_upsert_can_create_missing_people(project: Project) -> None:
    rows = [(2, {"code": "RO-001", "name": "ISO", "holder": "Jane Doe"})]
    refused = registers.upsert_rows(project, "roles", rows)
    assert refused.problems and "no people record 'Jane Doe'" in refused.problems[0].reason
    made = registers.upsert_rows(project, "roles", rows, create_missing=True)
    assert made.written and made.people_created == 1
    assert registers.get(project, "roles", "RO-001").display["holder"] == "Jane Doe"


def test_profile_and_drafted_scope(project: Project) -> None:
    from isms_desktop.services import projects

    assert projects.update_profile(project, "sector", "healthcare") == ("", "healthcare")
    assert projects.profile(project).sector == "healthcare"
    with pytest.raises(IsmsError):
        projects.update_profile(project, "organisation", " ")
    registers.create(project, "scope", {"kind": "location", "name": "HQ"})
    assert "at HQ" in projects.draft_scope(project)
    projects.set_logo(project, b"\x89PNG...", "image/png")
    assert projects.logo(project) == (b"\x89PNG...", "image/png")
    assert projects.profile(project).has_logo


def test_undoing_a_delete_gives_the_attachments_back(project: Project, tmp_path: Path) -> None:
    from isms_desktop.services import attachments

    evidence = tmp_path / "contract.pdf"
    evidence.write_bytes(b"%PDF-1.4 signed supplier contract")
    change = registers.create(
        project, "assets", {"name": "Supplier contract", "type": "information"}
    )
    attachments.add_attachment(project, "assets", change.code, evidence)
    deleted = registers.delete(project, "assets", change.code)
    restored = registers.restore(project, "assets", deleted.snapshot)
    files = attachments.list_attachments(project, "assets", restored.code)
    assert [f.name for f in files] == ["contract.pdf"]

    deleted = registers.delete(project, "assets", restored.code)
    assert attachments.purge_orphans(project) == 1
    again = registers.restore(project, "assets", deleted.snapshot)
    assert attachments.list_attachments(project, "assets", again.code) == []


def test_a_refused_delete_names_its_users_once_each(demo_path: Path) -> None:
    """A process used as From in one interaction and To in others is one count of
    interactions, in the right number, with their codes; many users are named up to five."""
    with open_project(demo_path) as demo:
        rows = registers.list_rows(demo, "interactions")
        uses: dict[str, set[str]] = {}
        for row in rows:
            for end in ("source", "target"):
                uses.setdefault(str(row.values[end]), set()).add(row.code)
        process, users = max(uses.items(), key=lambda item: len(item[1]))
        assert len(users) > 1
        with pytest.raises(IsmsError) as refused:
            registers.delete(demo, "processes", process)
        message = str(refused.value)
        assert message.count("process interaction") == 1, message
        assert f"{len(users)} process interactions (" in message
        named = sorted(users)[:5]
        assert ", ".join(named) in message
        if len(users) > 5:
            assert f"and {len(users) - 5} more" in message
        assert process in registers.codes(demo, "processes")


def test_a_refusal_names_one_soa_entry_in_the_singular(demo_path: Path) -> None:
    """One SoA entry using a record reads "1 SoA entry (5.1)" (it read "1 SoA entrie")."""
    with open_project(demo_path) as demo:
        requirement = registers.codes(demo, "requirements")[0]
        users = [
            row.code
            for row in registers.list_rows(demo, "soa")
            if requirement in (row.values["requirements"] or [])
        ]
        for code in users:
            registers.update(demo, "soa", code, "requirements", [])
        registers.update(demo, "soa", "5.1", "requirements", [requirement])
        with pytest.raises(IsmsError, match=r"still used by 1 SoA entry \(5\.1\)"):
            registers.delete(demo, "requirements", requirement)
