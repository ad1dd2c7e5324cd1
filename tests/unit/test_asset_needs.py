"""Protection needs inherited along asset dependencies (the maximum principle)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain.assets import Needs, effective_needs


def test_a_server_inherits_the_needs_of_the_application_on_it() -> None:
    own = {1: Needs(4, 3, 2), 2: Needs(1, 1, 4), 3: Needs(2, 2, 2)}
    # 1 (data) depends on 2 (application), which depends on 3 (server)
    result = effective_needs(own, {1: [2], 2: [3]})
    assert result[1].effective == Needs(4, 3, 2) and not result[1].inherited
    assert result[2].effective == Needs(4, 3, 4) and result[2].inherited_from == (1,)
    assert result[3].effective == Needs(4, 3, 4) and result[3].inherited_from == (2,)


def test_cycles_end() -> None:
    own = {1: Needs(1, 2, 3), 2: Needs(3, 2, 1)}
    result = effective_needs(own, {1: [2], 2: [1]})
    assert result[1].effective == result[2].effective == Needs(3, 2, 3)


@given(
    st.dictionaries(
        st.integers(0, 9),
        st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4)),
        min_size=1,
    ),
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9))),
)
def test_effective_needs_are_at_least_own_and_at_least_every_user(
    own_raw: dict[int, tuple[int, int, int]], edges: list[tuple[int, int]]
) -> None:
    own = {k: Needs(*v) for k, v in own_raw.items()}
    depends: dict[int, list[int]] = {}
    for a, b in edges:
        depends.setdefault(a, []).append(b)
    result = effective_needs(own, depends)
    for needs in result.values():
        assert needs.effective.merge(needs.own) == needs.effective
    for a, b in edges:
        if a in own and b in own:
            assert result[b].effective.merge(result[a].effective) == result[b].effective
