"""The document status workflow, version numbering and review dates (domain, no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain import document_workflow as wf


def test_the_happy_path_from_draft_to_withdrawn() -> None:
    status = wf.DRAFT
    for step, expected in (
        (wf.Step.SUBMIT, wf.IN_REVIEW),
        (wf.Step.APPROVE, wf.APPROVED),
        (wf.Step.PUBLISH, wf.PUBLISHED),
        (wf.Step.WITHDRAW, wf.WITHDRAWN),
    ):
        status = wf.next_status(status, step)
        assert status == expected


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (wf.DRAFT, wf.Step.APPROVE),
        (wf.DRAFT, wf.Step.PUBLISH),
        (wf.IN_REVIEW, wf.Step.PUBLISH),
        (wf.APPROVED, wf.Step.APPROVE),
        (wf.PUBLISHED, wf.Step.SUBMIT),
        (wf.WITHDRAWN, wf.Step.PUBLISH),
        (wf.DRAFT, wf.Step.WITHDRAW),
    ],
)
def test_illegal_transitions_are_refused_with_what_is_possible(status: str, step: wf.Step) -> None:
    with pytest.raises(wf.WorkflowError, match="possible now"):
        wf.next_status(status, step)


def test_every_status_has_exactly_the_steps_of_the_table() -> None:
    for status in wf.STATUSES:
        for step in wf.Step:
            allowed = step in wf.allowed_steps(status)
            if allowed:
                assert wf.next_status(status, step) in wf.STATUSES
            else:
                with pytest.raises(wf.WorkflowError):
                    wf.next_status(status, step)
    assert wf.allowed_steps(wf.PUBLISHED) == [wf.Step.REVISE, wf.Step.WITHDRAW]


def test_an_unknown_step_is_refused() -> None:
    with pytest.raises(wf.WorkflowError, match="no document step"):
        wf.next_status(wf.DRAFT, "burn")


def test_version_numbers() -> None:
    assert wf.next_draft_version("0.1") == "0.2"
    assert wf.next_draft_version("0.9") == "0.10"
    assert wf.approved_version("0.3") == "1.0"
    assert wf.approved_version("1.2") == "2.0"
    assert wf.next_draft_version("1.0") == "1.1"
    assert wf.Version.parse("1.0").is_release
    assert not wf.Version.parse("0.4").is_release
    assert sorted(["1.10", "0.2", "1.2", "10.0"], key=wf.version_sort_key) == [
        "0.2",
        "1.2",
        "1.10",
        "10.0",
    ]
    with pytest.raises(wf.BadArgumentsError):
        wf.Version.parse("v1")


def test_next_review_dates() -> None:
    assert wf.next_review_date(dt.date(2024, 3, 15), 12) == dt.date(2025, 3, 15)
    assert wf.next_review_date(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert wf.next_review_date(dt.date(2024, 11, 30), 6) == dt.date(2025, 5, 30)
    assert wf.next_review_date(None, 12) is None
    assert wf.next_review_date(dt.date(2024, 1, 1), None) is None


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 1, 1)), st.integers(1, 60))
def test_add_months_moves_whole_months(day: dt.date, months: int) -> None:
    later = wf.add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day


def test_review_state() -> None:
    today = dt.date(2025, 6, 1)
    assert wf.review_state(wf.PUBLISHED, dt.date(2025, 5, 31), today) is wf.ReviewState.OVERDUE
    assert wf.review_state(wf.PUBLISHED, dt.date(2025, 6, 20), today) is wf.ReviewState.DUE
    assert wf.review_state(wf.PUBLISHED, dt.date(2025, 8, 1), today) is wf.ReviewState.OK
    assert wf.review_state(wf.WITHDRAWN, dt.date(2025, 5, 1), today) is wf.ReviewState.NONE
    assert wf.review_state(wf.DRAFT, None, today) is wf.ReviewState.NONE


def test_codes_by_type() -> None:
    assert wf.code_prefix("policy") == "POL-"
    assert wf.code_prefix("procedure") == "PRO-"
    assert wf.code_prefix("unknown") == "DOC-"


def test_earlier_versions_in_force_are_shown_as_superseded() -> None:
    rows = [("0.1", wf.DRAFT), ("1.0", wf.PUBLISHED), ("1.1", wf.DRAFT), ("2.0", wf.APPROVED)]
    assert wf.version_statuses(rows) == [wf.DRAFT, wf.SUPERSEDED, wf.DRAFT, wf.APPROVED]
    assert wf.VERSION_STATUS_LABELS[wf.SUPERSEDED] == "Superseded"
    # a withdrawn newest version: the ones before it no longer applied either
    assert wf.version_statuses([("1.0", wf.PUBLISHED), ("2.0", wf.WITHDRAWN)]) == [
        wf.SUPERSEDED,
        wf.WITHDRAWN,
    ]
    assert wf.version_statuses([("0.1", wf.DRAFT), ("0.2", wf.DRAFT)]) == [wf.DRAFT, wf.DRAFT]
    assert wf.version_statuses([]) == []
