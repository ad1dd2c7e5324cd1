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
Rect = tuple[float, float, float, float]  # left, top, right, bottom (y grows downwards)
Curve = tuple[Point, Point, Point]  # start, control point and end of a quadratic curve

PARALLEL_SPACING = 34.0  # between arrows that join the same two boxes
CURVE_SAMPLES = 40  # points along an arrow checked for boxes in its way
# how much further an arrow may bend to go round a box in its way, the least first
DETOURS = (0.0, 40.0, -40.0, 80.0, -80.0, 130.0, -130.0, 190.0, -190.0)
BOX_CLEARANCE = 6.0


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


def layered_layout(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    *,
    column_gap: float = COLUMN_GAP,
    row_gap: float = ROW_GAP,
) -> dict[str, Point]:
    """Top-left corners of the boxes: columns left to right, each centred vertically.

    A long chain of columns is folded into bands that snake (left to right, then right to
    left), so that the diagram of a plan-do-check-act cycle fits a landscape window. The
    printed diagram, whose arrows carry no labels, takes narrower gaps.
    """
    columns = layers(list(nodes), list(edges))
    tallest = max((len(c) for c in columns), default=0)
    bands = 1 if len(columns) <= MAX_BAND_COLUMNS else math.ceil(len(columns) / MAX_BAND_COLUMNS)
    per_band = math.ceil(len(columns) / bands) if columns else 1
    band_height = tallest * (BOX_HEIGHT + row_gap) + BAND_GAP
    positions: dict[str, Point] = {}
    for index, column in enumerate(columns):
        band, slot = divmod(index, per_band)
        if band % 2:
            slot = per_band - 1 - slot
        offset = (tallest - len(column)) * (BOX_HEIGHT + row_gap) / 2
        for y_index, code in enumerate(column):
            positions[code] = (
                slot * (BOX_WIDTH + column_gap),
                band * band_height + offset + y_index * (BOX_HEIGHT + row_gap),
            )
    return positions


# --- arrows ---------------------------------------------------------------------------------
# The window and the printed manual draw an interaction as a quadratic curve from box to box,
# bent sideways where arrows are parallel or a box stands in the way; both use these rules.


def parallel_bends(edges: Sequence[tuple[str, str]]) -> list[float]:
    """How far each arrow's middle stands aside so that arrows joining the same two boxes
    (either way) do not lie on each other; 0 for an arrow of its own."""
    pairs: dict[frozenset[str], list[int]] = {}
    for index, (source, target) in enumerate(edges):
        pairs.setdefault(frozenset((source, target)), []).append(index)
    bends = [0.0] * len(edges)
    for indices in pairs.values():
        for rank, index in enumerate(indices):
            offset = (rank - (len(indices) - 1) / 2) * PARALLEL_SPACING
            source, target = edges[index]
            bends[index] = -offset if source > target else offset  # the normal flips
    return bends


def _centre(rect: Rect) -> Point:
    return ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)


def _clip(rect: Rect, inside: Point, outside: Point) -> Point:
    """Where the segment from ``inside`` (the box centre) towards ``outside`` leaves the box."""
    dx, dy = outside[0] - inside[0], outside[1] - inside[1]
    if dx == 0 and dy == 0:
        return inside
    half_w, half_h = (rect[2] - rect[0]) / 2, (rect[3] - rect[1]) / 2
    scale = min(
        half_w / abs(dx) if dx else math.inf,
        half_h / abs(dy) if dy else math.inf,
    )
    return (inside[0] + dx * scale, inside[1] + dy * scale)


def curve(source: Rect, target: Rect, bend: float) -> Curve:
    """The arrow from box to box with its middle ``bend`` aside, from edge to edge."""
    a, b = _centre(source), _centre(target)
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    middle = ((a[0] + b[0]) / 2 - dy / length * bend, (a[1] + b[1]) / 2 + dx / length * bend)
    start, end = _clip(source, a, middle), _clip(target, b, middle)
    control = (2 * middle[0] - (start[0] + end[0]) / 2, 2 * middle[1] - (start[1] + end[1]) / 2)
    return start, control, end


def boxes_crossed(line: Curve, boxes: Sequence[Rect]) -> int:
    """How many of ``boxes`` the curve runs through."""
    xs = (line[0][0], line[1][0], line[2][0])
    ys = (line[0][1], line[1][1], line[2][1])
    # the curve stays inside the triangle of its three points: only boxes meeting that
    # triangle's bounds are looked at closely
    near = [
        box
        for box in boxes
        if box[2] > min(xs) and box[0] < max(xs) and box[3] > min(ys) and box[1] < max(ys)
    ]
    if not near:
        return 0
    points = []
    for step in range(1, CURVE_SAMPLES):
        t = step / CURVE_SAMPLES
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        points.append((a * xs[0] + b * xs[1] + c * xs[2], a * ys[0] + b * ys[1] + c * ys[2]))
    return sum(
        any(left < x < right and top < y < bottom for x, y in points)
        for left, top, right, bottom in near
    )


def route(
    boxes: Mapping[str, Rect], edges: Sequence[tuple[str, str]], bends: Sequence[float]
) -> list[float]:
    """The bends of the arrows (from ``bends``, see ``parallel_bends``) that take each arrow,
    or the arrows joining the same two boxes together, round the boxes in its way, as little
    as will do: straight, an arrow from one column to a later one ran under the boxes
    between them, which hid where it went."""
    pairs: dict[frozenset[str], list[int]] = {}
    for index, (source, target) in enumerate(edges):
        pairs.setdefault(frozenset((source, target)), []).append(index)
    padded = {
        code: (
            r[0] - BOX_CLEARANCE,
            r[1] - BOX_CLEARANCE,
            r[2] + BOX_CLEARANCE,
            r[3] + BOX_CLEARANCE,
        )
        for code, r in boxes.items()
    }
    routed = list(bends)
    for ends, group in pairs.items():
        others = [rect for code, rect in padded.items() if code not in ends]

        def bent(detour: float, group: list[int] = group) -> list[float]:
            # the sideways direction flips with the arrow's direction: both of a pair move
            # the same way, so they stay apart
            return [bends[i] + (detour if edges[i][0] <= edges[i][1] else -detour) for i in group]

        best, least = DETOURS[0], -1
        for detour in DETOURS:
            cost = sum(
                boxes_crossed(curve(boxes[edges[i][0]], boxes[edges[i][1]], bend), others)
                for i, bend in zip(group, bent(detour), strict=True)
            )
            if least < 0 or cost < least:
                best, least = detour, cost
            if least == 0:
                break
        for i, bend in zip(group, bent(best), strict=True):
            routed[i] = bend
    return routed
