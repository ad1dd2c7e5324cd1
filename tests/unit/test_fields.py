"""Parsing what users type or import into register fields."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain.fields import Field, Kind, display_value, next_code, parse_value
from isms_desktop.domain.register_specs import SPECS

STATUS = Field("status", "Status", Kind.CHOICE, choices=("not_started", "in_progress", "done"))


@pytest.mark.parametrize("raw", ["in_progress", "In progress", " IN-PROGRESS ", "in  progress"])
def test_choices_match_codes_and_labels_loosely(raw: str) -> None:
    assert parse_value(STATUS, raw) == "in_progress"


def test_an_unknown_choice_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="must be one of Not started, In progress, Done"):
        parse_value(STATUS, "finished")


@pytest.mark.parametrize(
    "raw,expected",
    [("2026-03-31", dt.date(2026, 3, 31)), ("31.03.2026", dt.date(2026, 3, 31)),
     ("31/03/2026", dt.date(2026, 3, 31)), (dt.datetime(2026, 3, 31, 9, 0), dt.date(2026, 3, 31)),
     ("31 March 2026", dt.date(2026, 3, 31))],
)  # fmt: skip
def test_dates_in_common_forms(raw: object, expected: dt.date) -> None:
    assert parse_value(Field("d", "Due", Kind.DATE), raw) == expected


@pytest.mark.parametrize("raw,expected", [("Yes", True), ("x", True), ("No", False), (True, True)])
def test_yes_no(raw: object, expected: bool) -> None:
    assert parse_value(Field("b", "Applicable", Kind.BOOL), raw) is expected


def test_required_field_refuses_blank() -> None:
    with pytest.raises(ValueError, match="Name is required"):
        parse_value(Field("name", "Name", required=True), "   ")


def test_lists_split_on_lines_and_semicolons() -> None:
    assert parse_value(Field("l", "Inputs", Kind.LIST), "a\nb; c;;") == ["a", "b", "c"]


def test_next_code() -> None:
    assert next_code("CI-", []) == "CI-001"
    assert next_code("CI-", ["CI-001", "CI-017", "X-99", "CI-abc"]) == "CI-018"


FIELDS = [f for spec in SPECS.values() for f in spec.fields]


@given(
    st.sampled_from(FIELDS),
    st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.dates(), st.none()),
)
def test_parsing_any_input_either_succeeds_or_says_why(field: Field, raw: object) -> None:
    try:
        value = parse_value(field, raw)
    except ValueError as exc:
        assert field.header in str(exc)
    else:
        assert isinstance(display_value(field, value), str)


def test_every_register_starts_with_its_code_and_has_unique_headers() -> None:
    for spec in SPECS.values():
        assert spec.fields[0].name == "code"
        headers = [h.lower() for h in spec.headers]
        assert len(headers) == len(set(headers)), spec.name
        assert spec.fixed_rows or spec.code_prefix.endswith("-")
        for name in spec.search_fields:
            spec.field(name)


WHOLE_NUMBERS = [f for f in FIELDS if f.kind in (Kind.INT, Kind.SCALE)]


@given(
    st.sampled_from(WHOLE_NUMBERS),
    st.from_regex(r"\A *[+-]?[0-9]{1,5000}(\.0{1,3})? *\Z"),
)
def test_a_whole_number_of_any_length_is_read_exactly_or_refused_with_a_reason(
    field: Field, raw: str
) -> None:
    # 400 digits went through float() to infinity: an OverflowError, a traceback of the import
    try:
        value = parse_value(field, raw)
    except ValueError as exc:
        assert field.header in str(exc)
    else:
        assert value == int(raw.strip().split(".")[0])


def test_long_whole_numbers_are_exact_and_never_overflow() -> None:
    f = SPECS["assets"].field("confidentiality")
    with pytest.raises(ValueError, match=r"between 1 and 4, not 12345678901234567891$"):
        parse_value(f, "12345678901234567891")
    with pytest.raises(ValueError, match="between 1 and 4"):
        parse_value(f, "9" * 400)
    with pytest.raises(ValueError, match="must be a whole number"):
        parse_value(f, "9" * 5000)
    assert parse_value(f, " 3.00 ") == 3
