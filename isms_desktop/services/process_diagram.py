"""The diagram of the ISMS processes and their interactions (clause 4.4).

Processes are boxes, interactions labelled arrows. Boxes are placed by a layered layout
(cycles broken, longest-path layers as columns, barycentre ordering within a column) until the
user drags them; dragged positions are kept in the project's settings table, by process code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from isms_desktop.storage.models import Person, Process, ProcessInteraction, Setting
from isms_desktop.storage.project_file import Project

SETTING_KEY = "process_diagram"
BOX_WIDTH = 180.0
BOX_HEIGHT = 64.0
COLUMN_GAP = 150.0  # room for the arrows' labels between columns
ROW_GAP = 44.0
BAND_GAP = 70.0
MAX_BAND_COLUMNS = 5

Point = tuple[float, float]


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    owner: str  # the owner's name, else the owner role


@dataclass(frozen=True)
class Edge:
    code: str
    source: str
    target: str
    flow: str


@dataclass(frozen=True)
class Diagram:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    positions: dict[str, Point]  # top-left corner of each box
    saved: frozenset[str]  # codes whose position the user chose


def _stored_positions(project: Project) -> dict[str, Point]:
    with project.reading() as session:
        row = session.get(Setting, SETTING_KEY)
        raw: Mapping[str, Any] = row.value.get("positions", {}) if row is not None else {}
    found: dict[str, Point] = {}
    for code, value in raw.items():
        try:
            found[str(code)] = (float(value[0]), float(value[1]))
        except (TypeError, ValueError, IndexError):
            continue  # a damaged entry only loses its position, never the diagram
    return found


def load(project: Project) -> Diagram:
    """The processes, their interactions and where to draw each box."""
    with project.reading() as session:
        owner = aliased(Person)
        rows = session.execute(
            select(Process.id, Process.code, Process.name, Process.owner_role, owner.name)
            .outerjoin(owner, owner.id == Process.owner_id)
            .order_by(Process.sort_key, Process.code)
        ).all()
        codes = {row[0]: row[1] for row in rows}
        nodes = tuple(
            Node(code, name, person or role or "") for _id, code, name, role, person in rows
        )
        edges = tuple(
            Edge(ix.code, codes[ix.source_id], codes[ix.target_id], ix.flow)
            for ix in session.scalars(select(ProcessInteraction).order_by(ProcessInteraction.code))
            if ix.source_id in codes and ix.target_id in codes
        )
    stored = _stored_positions(project)
    auto = layered_layout([n.code for n in nodes], [(e.source, e.target) for e in edges])
    positions = {n.code: stored.get(n.code, auto[n.code]) for n in nodes}
    saved = frozenset(code for code in stored if code in positions)
    return Diagram(nodes, edges, positions, saved)


def save_positions(project: Project, positions: Mapping[str, Point]) -> None:
    """Remember where the user put these boxes (others keep theirs)."""
    with project.transaction() as session:
        row = session.get(Setting, SETTING_KEY)
        value = dict(row.value) if row is not None else {}
        stored = dict(value.get("positions", {}))
        stored.update({code: [round(x, 1), round(y, 1)] for code, (x, y) in positions.items()})
        value["positions"] = stored
        if row is None:
            session.add(Setting(key=SETTING_KEY, value=value))
        else:
            row.value = value


def forget_positions(project: Project) -> None:
    """Go back to the automatic layout."""
    with project.transaction() as session:
        row = session.get(Setting, SETTING_KEY)
        if row is not None:
            row.value = {**row.value, "positions": {}}


# --- layout ---------------------------------------------------------------------------------


def _acyclic(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The edges with every back edge of a depth-first search reversed (no cycles left)."""
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in edges:
        if s != t and s in out and t in out:
            out[s].append(t)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[tuple[str, str]] = set()
    for root in nodes:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            if index < len(out[node]):
                stack[-1] = (node, index + 1)
                nxt = out[node][index]
                if state.get(nxt) == 1:
                    back.add((node, nxt))
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    result = []
    for s, t in edges:
        if s == t or s not in out or t not in out:
            continue
        result.append((t, s) if (s, t) in back else (s, t))
    return result


def layers(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Nodes grouped into columns so that arrows point right (except those closing a loop)."""
    dag = sorted(set(_acyclic(nodes, edges)), key=lambda e: (nodes.index(e[0]), nodes.index(e[1])))
    incoming: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in dag:
        incoming[t].append(s)
    layer: dict[str, int] = {}

    def depth(node: str) -> int:
        # Iterative longest path from a source; the graph is acyclic now.
        pending = [node]
        while pending:
            current = pending[-1]
            todo = [p for p in incoming[current] if p not in layer]
            if todo:
                pending.extend(todo)
                continue
            pending.pop()
            layer[current] = max((layer[p] + 1 for p in incoming[current]), default=0)
        return layer[node]

    for n in nodes:
        depth(n)
    _pull_towards_successors(nodes, dag, layer)
    columns: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for n in nodes:
        columns[layer[n]].append(n)
    columns = [column for column in columns if column]
    _order(columns, dag)
    return columns


def _pull_towards_successors(
    nodes: Sequence[str], dag: Sequence[tuple[str, str]], layer: dict[str, int]
) -> None:
    """Move each process that feeds only later columns up to the column before the first
    of them: the longest path puts a process as early as its inputs allow, so one with a
    single early input (internal audit, fed by document control) stood columns away from
    the reviews it feeds, and its arrows crossed the whole diagram."""
    successors: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in dag:
        successors[s].append(t)
    for _ in range(3):
        for node in sorted(nodes, key=lambda n: -layer[n]):
            if successors[node]:
                latest = min(layer[t] for t in successors[node]) - 1
                if latest > layer[node]:
                    layer[node] = latest


def _order(columns: list[list[str]], dag: Sequence[tuple[str, str]]) -> None:
    """Reduce crossings: sort each column by the mean row of its neighbours, sweeping both ways."""
    neighbours: dict[str, list[str]] = {}
    for s, t in dag:
        neighbours.setdefault(s, []).append(t)
        neighbours.setdefault(t, []).append(s)
    row = {n: float(i) for column in columns for i, n in enumerate(column)}
    forward = list(range(1, len(columns)))
    for sweep in range(6):
        for index in forward if sweep % 2 == 0 else reversed(range(len(columns) - 1)):
            column = columns[index]

            def key(node: str) -> float:
                found = [row[m] for m in neighbours.get(node, [])]
                return sum(found) / len(found) if found else row[node]

            column.sort(key=key)
            row.update({n: float(i) for i, n in enumerate(column)})


def layered_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, Point]:
    """Top-left corners of the boxes: columns left to right, each centred vertically.

    A long chain of columns is folded into bands that snake (left to right, then right to
    left), so that the diagram of a plan-do-check-act cycle fits a landscape window.
    """
    columns = layers(list(nodes), list(edges))
    tallest = max((len(c) for c in columns), default=0)
    bands = 1 if len(columns) <= MAX_BAND_COLUMNS else math.ceil(len(columns) / MAX_BAND_COLUMNS)
    per_band = math.ceil(len(columns) / bands) if columns else 1
    band_height = tallest * (BOX_HEIGHT + ROW_GAP) + BAND_GAP
    positions: dict[str, Point] = {}
    for index, column in enumerate(columns):
        band, slot = divmod(index, per_band)
        if band % 2:
            slot = per_band - 1 - slot
        offset = (tallest - len(column)) * (BOX_HEIGHT + ROW_GAP) / 2
        for y_index, code in enumerate(column):
            positions[code] = (
                slot * (BOX_WIDTH + COLUMN_GAP),
                band * band_height + offset + y_index * (BOX_HEIGHT + ROW_GAP),
            )
    return positions
