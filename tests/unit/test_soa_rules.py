"""The SoA's consistency warnings name the risks behind an excluded control: a few by
code and how many more, however many there are."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain.soa_rules import NAMED, SoaFacts, soa_warnings, some_codes


def _excluded(risks: list[str]) -> SoaFacts:
    return SoaFacts("5.1", False, risks, "not relevant", "not_applicable", None, 0)


def test_a_control_selected_by_thousands_of_risks_is_one_short_warning() -> None:
    risks = [f"R-{n:06}" for n in range(4_300)]
    (warning,) = [w for w in soa_warnings([_excluded(risks)]) if w.rule == "selected_but_excluded"]
    assert warning.message == (
        f"selected by {', '.join(risks[:NAMED])} and 4,290 more but marked not applicable"
    )


@given(st.lists(st.from_regex(r"R-\d{3}", fullmatch=True), max_size=40))
def test_some_codes_names_all_of_a_few_and_counts_the_rest(codes: list[str]) -> None:
    text = some_codes(codes)
    named = codes[:NAMED]
    assert text.startswith(", ".join(named))
    if len(codes) <= NAMED:
        assert text == ", ".join(codes)
    else:
        assert text.endswith(f" and {len(codes) - NAMED:,} more")
