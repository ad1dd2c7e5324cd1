"""The training matrix: who needs what, gaps, expiries, the latest record counting."""

from __future__ import annotations

import datetime as dt

from isms_desktop.domain.training_matrix import (
    Cell,
    PersonFact,
    RecordFact,
    Requirement,
    build_matrix,
)

TODAY = dt.date(2026, 6, 30)
PEOPLE = (
    PersonFact("P-1", "Ann", ("RO-ISO",)),
    PersonFact("P-2", "Bob"),
    PersonFact("P-3", "Cem"),
)
REQS = (
    Requirement("RT-1", "Security awareness", None, 12),
    Requirement("RT-2", "Lead Implementer", "RO-ISO", None),
)


def test_gaps_missing_expired_and_expiring() -> None:
    records = [
        RecordFact("P-1", "Security Awareness ", dt.date(2025, 9, 1)),  # valid to 2026-09-01
        RecordFact("P-2", "security awareness", dt.date(2025, 6, 1)),  # expired 2026-06-01
        RecordFact("P-3", "Security awareness", dt.date(2025, 7, 15)),  # expires 2026-07-15
    ]
    m = build_matrix(PEOPLE, REQS, records, TODAY)
    assert m.cell("P-1", "RT-1").status is Cell.VALID
    assert m.cell("P-1", "RT-1").valid_until == dt.date(2026, 9, 1)
    assert m.cell("P-2", "RT-1").status is Cell.EXPIRED
    assert m.cell("P-3", "RT-1").status is Cell.EXPIRING
    assert m.cell("P-1", "RT-2").status is Cell.MISSING
    assert m.cell("P-2", "RT-2").status is Cell.NOT_REQUIRED
    assert m.gaps() == [("P-1", "RT-2", Cell.MISSING), ("P-2", "RT-1", Cell.EXPIRED)]
    assert m.required_cells == 4
    assert m.coverage_percent == 50


def test_latest_record_wins_and_recorded_expiry_beats_refresh() -> None:
    records = [
        RecordFact("P-2", "Security awareness", dt.date(2024, 1, 1)),
        RecordFact("P-2", "Security awareness", dt.date(2026, 3, 1), code="TR-9"),
        RecordFact("P-3", "Security awareness", dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
    ]
    m = build_matrix(PEOPLE, REQS, records, TODAY)
    assert m.cell("P-2", "RT-1").status is Cell.VALID
    assert m.cell("P-2", "RT-1").record_code == "TR-9"
    assert m.cell("P-3", "RT-1").status is Cell.EXPIRED


def test_training_taken_without_being_required_is_extra() -> None:
    records = [RecordFact("P-2", "Lead Implementer", dt.date(2025, 1, 1))]
    m = build_matrix(PEOPLE, REQS, records, TODAY)
    assert m.cell("P-2", "RT-2").status is Cell.EXTRA
    assert ("P-2", "RT-2", Cell.EXTRA) not in m.gaps()


def test_no_requirements_means_full_coverage() -> None:
    m = build_matrix(PEOPLE, (), [], TODAY)
    assert m.coverage_percent == 100
    assert m.gaps() == []
