"""The risk method of a project (6.1.2 a–b): scales, matrix, acceptance — and scoring.

Pure data and rules: a likelihood and an impact scale of 3 to 6 levels, a matrix mapping
each (likelihood, impact) pair to a risk level, and the highest level that may be accepted.
Changing the method re-scores every risk; when a scale shrinks, old values are mapped to new
ones explicitly so no score is lost silently.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MIN_LEVELS = 3
MAX_LEVELS = 6


@dataclass(frozen=True)
class ScaleLevel:
    value: int
    label: str
    description: str = ""


@dataclass(frozen=True)
class RiskLevel:
    code: str
    label: str
    colour: str


@dataclass(frozen=True)
class RiskMethod:
    name: str
    likelihood: tuple[ScaleLevel, ...]
    impact: tuple[ScaleLevel, ...]
    levels: tuple[RiskLevel, ...]  # lowest first
    matrix: tuple[tuple[str, ...], ...]  # [likelihood - 1][impact - 1] -> level code
    acceptance_level: str
    acceptance_by: str = ""
    code: str = "custom"
    description: str = ""

    def problems(self) -> list[str]:
        """Why this method cannot be used (empty when it is sound)."""
        found = []
        for name, scale in (("likelihood", self.likelihood), ("impact", self.impact)):
            if not MIN_LEVELS <= len(scale) <= MAX_LEVELS:
                found.append(f"the {name} scale needs {MIN_LEVELS} to {MAX_LEVELS} levels")
            if [s.value for s in scale] != list(range(1, len(scale) + 1)):
                found.append(f"the {name} scale must be numbered 1, 2, 3 …")
            if any(not s.label.strip() for s in scale):
                found.append(f"every {name} level needs a label")
        codes = [lv.code for lv in self.levels]
        if len(codes) < 2 or len(set(codes)) != len(codes):
            found.append("the matrix needs at least two distinct risk levels")
        if len(self.matrix) != len(self.likelihood) or any(
            len(row) != len(self.impact) for row in self.matrix
        ):
            found.append("the matrix must have one row per likelihood and one column per impact")
        elif any(cell not in codes for row in self.matrix for cell in row):
            found.append("every matrix cell must name one of the risk levels")
        if self.acceptance_level not in codes:
            found.append("the acceptance level must be one of the risk levels")
        return found

    def level(self, likelihood: int | None, impact: int | None) -> str | None:
        """The risk level of a score, or None while it is not (fully) scored."""
        if likelihood is None or impact is None:
            return None
        if not (1 <= likelihood <= len(self.likelihood) and 1 <= impact <= len(self.impact)):
            return None
        return self.matrix[likelihood - 1][impact - 1]

    def rank(self, level: str | None) -> int:
        """Position of a level, lowest = 0; -1 for none or unknown."""
        for index, lv in enumerate(self.levels):
            if lv.code == level:
                return index
        return -1

    def acceptable(self, level: str | None) -> bool:
        return level is not None and 0 <= self.rank(level) <= self.rank(self.acceptance_level)

    def level_info(self, code: str | None) -> RiskLevel | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def scale(self, name: str) -> tuple[ScaleLevel, ...]:
        return self.likelihood if name == "likelihood" else self.impact

    def value_for(self, name: str, raw: str) -> int | None:
        """A scale value given as its number or its label ("High"); None if neither."""
        text = raw.strip().lower()
        for level in self.scale(name):
            if text in (str(level.value), level.label.lower()):
                return level.value
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "likelihood": [s.__dict__ for s in self.likelihood],
            "impact": [s.__dict__ for s in self.impact],
            "levels": [lv.__dict__ for lv in self.levels],
            "matrix": [list(row) for row in self.matrix],
            "acceptance_level": self.acceptance_level,
            "acceptance_by": self.acceptance_by,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RiskMethod:
        return cls(
            code=str(data.get("code", "custom")),
            name=str(data.get("name", "")),
            description=str(data.get("description", "")),
            likelihood=tuple(
                ScaleLevel(int(s["value"]), str(s["label"]), str(s.get("description", "")))
                for s in data["likelihood"]
            ),
            impact=tuple(
                ScaleLevel(int(s["value"]), str(s["label"]), str(s.get("description", "")))
                for s in data["impact"]
            ),
            levels=tuple(
                RiskLevel(str(lv["code"]), str(lv["label"]), str(lv["colour"]))
                for lv in data["levels"]
            ),
            matrix=tuple(tuple(str(c) for c in row) for row in data["matrix"]),
            acceptance_level=str(data["acceptance_level"]),
            acceptance_by=str(data.get("acceptance_by", "")),
        )


def proportional_map(old_size: int, new_size: int) -> dict[int, int]:
    """A suggested mapping of old scale values onto a scale of another size."""
    if old_size == new_size:
        return {v: v for v in range(1, old_size + 1)}
    return {
        v: max(1, min(new_size, math.floor(1.5 + (v - 1) * (new_size - 1) / (old_size - 1))))
        for v in range(1, old_size + 1)
    }


@dataclass(frozen=True)
class Score:
    likelihood: int | None
    impact: int | None


@dataclass
class Rescoring:
    """The result of moving scored risks onto a new method."""

    scores: dict[int, tuple[Score, Score]] = field(default_factory=dict)  # risk id -> new
    levels: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)
    changed_level: int = 0


class MappingNeeded(ValueError):
    """A scale shrank and old values have no place on it: ask the user how to map them."""

    def __init__(self, scale: str, values: Sequence[int], suggestion: dict[int, int]) -> None:
        super().__init__(
            f"the {scale} scale now has fewer levels; choose where the old values "
            f"{', '.join(map(str, values))} go"
        )
        self.scale = scale
        self.values = tuple(values)
        self.suggestion = suggestion


def rescore(
    new: RiskMethod,
    risks: Mapping[int, tuple[Score, Score, str | None, str | None]],
    *,
    likelihood_map: Mapping[int, int] | None = None,
    impact_map: Mapping[int, int] | None = None,
) -> Rescoring:
    """Re-evaluate (inherent, residual, old inherent level, old residual level) per risk."""

    def mapped(
        value: int | None, mapping: Mapping[int, int] | None, size: int, scale: str
    ) -> int | None:
        if value is None:
            return None
        if mapping is not None and value in mapping:
            return mapping[value]
        if value > size:
            out = sorted(
                {
                    v
                    for s1, s2, _a, _b in risks.values()
                    for v in (
                        (s1.likelihood, s2.likelihood)
                        if scale == "likelihood"
                        else (s1.impact, s2.impact)
                    )
                    if v is not None and v > size
                }
            )
            raise MappingNeeded(scale, out, proportional_map(max(out), size))
        return value

    result = Rescoring()
    size_l, size_i = len(new.likelihood), len(new.impact)
    for risk_id, (inherent, residual, old_inh, old_res) in risks.items():
        new_inh = Score(
            mapped(inherent.likelihood, likelihood_map, size_l, "likelihood"),
            mapped(inherent.impact, impact_map, size_i, "impact"),
        )
        new_res = Score(
            mapped(residual.likelihood, likelihood_map, size_l, "likelihood"),
            mapped(residual.impact, impact_map, size_i, "impact"),
        )
        levels = (
            new.level(new_inh.likelihood, new_inh.impact),
            new.level(new_res.likelihood, new_res.impact),
        )
        result.scores[risk_id] = (new_inh, new_res)
        result.levels[risk_id] = levels
        if levels != (old_inh, old_res):
            result.changed_level += 1
    return result
