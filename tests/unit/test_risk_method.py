"""Scoring against the matrix, method validation and re-scoring when the method changes."""

from __future__ import annotations

import dataclasses

import pytest

from isms_desktop.domain.risk_method import (
    MappingNeeded,
    RiskLevel,
    RiskMethod,
    ScaleLevel,
    Score,
    proportional_map,
    rescore,
)
from isms_desktop.services.risk_method import template_method


def _custom_4x6() -> RiskMethod:
    levels = (RiskLevel("low", "Low", "#0a0"), RiskLevel("medium", "Medium", "#fa0"),
              RiskLevel("high", "High", "#f00"))  # fmt: skip
    matrix = tuple(
        tuple("low" if l_ + i < 5 else "medium" if l_ + i < 8 else "high" for i in range(1, 7))
        for l_ in range(1, 5)
    )
    return RiskMethod(
        name="4 × 6",
        likelihood=tuple(ScaleLevel(v, f"L{v}") for v in range(1, 5)),
        impact=tuple(ScaleLevel(v, f"I{v}") for v in range(1, 7)),
        levels=levels,
        matrix=matrix,
        acceptance_level="medium",
    )


METHODS = {
    "5x5": template_method("5x5"),
    "3x3": template_method("3x3"),
    "4x6": _custom_4x6(),
}


@pytest.mark.parametrize("name", METHODS)
def test_every_cell_scores_as_the_matrix_says(name: str) -> None:
    method = METHODS[name]
    assert method.problems() == []
    for likelihood in range(1, len(method.likelihood) + 1):
        for impact in range(1, len(method.impact) + 1):
            expected = method.matrix[likelihood - 1][impact - 1]
            assert method.level(likelihood, impact) == expected
            assert method.acceptable(expected) == (
                method.rank(expected) <= method.rank(method.acceptance_level)
            )
    assert method.level(None, 2) is None
    assert method.level(len(method.likelihood) + 1, 1) is None


def test_the_4x6_method_corners() -> None:
    method = METHODS["4x6"]
    assert method.level(1, 1) == "low"
    assert method.level(4, 6) == "high"
    assert method.level(2, 4) == "medium"


def test_scale_labels_resolve_to_values() -> None:
    method = METHODS["5x5"]
    label = method.likelihood[2].label
    assert method.value_for("likelihood", label.upper()) == 3
    assert method.value_for("likelihood", "3") == 3
    assert method.value_for("likelihood", "nonsense") is None


def test_unsound_methods_are_described() -> None:
    method = METHODS["3x3"]
    too_small = dataclasses.replace(
        method, likelihood=method.likelihood[:2], matrix=method.matrix[:2]
    )
    assert any("3 to 6 levels" in p for p in too_small.problems())
    bad_cell = dataclasses.replace(method, matrix=(("low", "low", "purple"), *method.matrix[1:]))
    assert any("matrix cell" in p for p in bad_cell.problems())
    assert any(
        "acceptance" in p for p in dataclasses.replace(method, acceptance_level="none").problems()
    )


def test_rescoring_counts_changed_levels() -> None:
    old, new = METHODS["5x5"], METHODS["5x5"]
    stricter = dataclasses.replace(
        new, matrix=tuple(tuple("critical" for _ in row) for row in new.matrix)
    )
    risks = {
        1: (Score(1, 1), Score(1, 1), old.level(1, 1), old.level(1, 1)),
        2: (Score(5, 5), Score(None, None), old.level(5, 5), None),
    }
    same = rescore(new, risks)
    assert same.changed_level == 0
    result = rescore(stricter, risks)
    assert result.changed_level == 1  # risk 2 was critical already
    assert result.levels[1] == ("critical", "critical")
    assert result.levels[2] == ("critical", None)


def test_a_shrinking_scale_asks_for_a_mapping_and_never_drops_scores() -> None:
    old, small = METHODS["5x5"], METHODS["3x3"]
    risks = {7: (Score(5, 4), Score(2, 1), old.level(5, 4), old.level(2, 1))}
    with pytest.raises(MappingNeeded) as info:
        rescore(small, risks)
    assert info.value.scale == "likelihood"
    assert info.value.suggestion == proportional_map(5, 3)
    mapping = proportional_map(5, 3)
    result = rescore(small, risks, likelihood_map=mapping, impact_map=mapping)
    assert result.scores[7][0] == Score(3, 3)
    assert result.scores[7][1] == Score(2, 1)


def test_proportional_map_keeps_the_ends() -> None:
    assert proportional_map(5, 3) == {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
    assert proportional_map(3, 6)[1] == 1 and proportional_map(3, 6)[3] == 6
