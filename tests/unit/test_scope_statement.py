"""The scope statement drafted from known answers."""

from __future__ import annotations

from isms_desktop.domain.scope_statement import ScopeItemFacts, draft_scope_statement


def test_statement_from_known_answers() -> None:
    items = [
        ScopeItemFacts("business_process", "software development"),
        ScopeItemFacts("business_process", "customer support"),
        ScopeItemFacts("organisational_unit", "all staff"),
        ScopeItemFacts("location", "the Berlin office"),
        ScopeItemFacts("technology", "the cloud platform"),
        ScopeItemFacts("interface", "Client uploads", counterpart="Clients"),
        ScopeItemFacts("exclusion", "Payroll", justification="Run by a certified bureau."),
    ]
    text = draft_scope_statement("Acme GmbH", items)
    assert text.splitlines()[0] == (
        "The information security management system of Acme GmbH covers software "
        "development and customer support as performed by all staff, at the Berlin office, "
        "including the cloud platform."
    )
    assert "Client uploads (Clients)" in text
    assert text.endswith("Excluded: Payroll — Run by a certified bureau.")


def test_statement_with_nothing_recorded_still_reads() -> None:
    text = draft_scope_statement("Acme", [])
    assert text == (
        "The information security management system of Acme covers the organisation's activities."
    )
