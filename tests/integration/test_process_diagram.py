"""The process diagram's data and layout (clause 4.4)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.services import process_diagram, registers
from isms_desktop.services.process_diagram import layered_layout, layers
from isms_desktop.storage.project_file import open_project


def test_layers_put_arrows_left_to_right_and_break_loops() -> None:
    columns = layers(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("c", "a"), ("a", "d")])
    where = {n: i for i, column in enumerate(columns) for n in column}
    assert where["a"] < where["b"] < where["c"]
    assert where["a"] < where["d"]


@given(
    st.integers(min_value=0, max_value=12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0)))),
        )
    )
)
def test_every_box_gets_its_own_place(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, pairs = graph
    nodes = [f"P{i}" for i in range(n)]
    edges = [(f"P{s}", f"P{t}") for s, t in pairs if n]
    positions = layered_layout(nodes, edges)
    assert set(positions) == set(nodes)
    assert len(set(positions.values())) == n


def test_the_diagram_of_a_project_and_its_saved_positions(project_path: Path) -> None:
    with open_project(project_path) as project:
        diagram = process_diagram.load(project)
        assert len(diagram.nodes) == registers.count(project, "processes")
        assert len(diagram.edges) == registers.count(project, "interactions")
        assert not diagram.saved
        first = diagram.nodes[0].code
        process_diagram.save_positions(project, {first: (12.34, -50.0)})
        again = process_diagram.load(project)
        assert again.positions[first] == (12.3, -50.0)
        assert again.saved == {first}
        process_diagram.forget_positions(project)
        assert process_diagram.load(project).positions[first] == diagram.positions[first]
