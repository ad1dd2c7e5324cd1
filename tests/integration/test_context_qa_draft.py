"""The scope statement drafted from the demo's records reads as a sentence: names written
as titles in the register are not capitalised mid-sentence, a name with its own "and"
stays apart from the next, and an outside party is named once."""

from __future__ import annotations

import shutil
from pathlib import Path

from isms_desktop.domain.scope_statement import ScopeItemFacts, draft_scope_statement
from isms_desktop.services import projects
from isms_desktop.storage.project_file import open_project


def test_the_demos_draft_reads_as_a_sentence(tmp_path: Path, template_demo: Path) -> None:
    path = tmp_path / "demo.isms"
    shutil.copyfile(template_demo, path)
    with open_project(path, read_only=True) as project:
        text = projects.draft_scope(project)
    first = text.splitlines()[0]
    assert first.startswith(
        "The information security management system of Brightwave Analytics Ltd covers "
        "development and operation of the analytics platform, and client onboarding and "
        "support as performed by all departments, at Leeds head office,"
    )
    assert "office IT and laptops." in first  # the acronym stays
    assert "Cloud hosting provider (Cloud hosting provider)" not in text
    assert "Cloud hosting provider and Office building services (Landlord)." in text
    assert "Client data uploads with Clients (enterprise)" in text  # no nested brackets


def test_proper_names_and_acronyms_keep_their_capitals() -> None:
    items = [
        ScopeItemFacts("organisational_unit", "Brightwave Engineering"),
        ScopeItemFacts("organisational_unit", "IT operations"),
        ScopeItemFacts("organisational_unit", "Finance"),
        ScopeItemFacts("business_process", "Payroll"),
        ScopeItemFacts("technology", "Microsoft Teams"),
    ]
    first = draft_scope_statement("Acme", items).splitlines()[0]
    assert "covers Payroll as performed by Brightwave Engineering, IT operations and Finance" in (
        first
    )
    assert first.endswith("including Microsoft Teams.")


def test_three_names_with_their_own_and_are_set_apart_by_semicolons() -> None:
    items = [
        ScopeItemFacts("business_process", "sales and marketing"),
        ScopeItemFacts("business_process", "design"),
        ScopeItemFacts("business_process", "support"),
    ]
    text = draft_scope_statement("Acme", items)
    assert "covers sales and marketing; design; and support." in text
