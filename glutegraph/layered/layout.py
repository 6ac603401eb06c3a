"""Where the layered picture puts each node: columns, anatomical order, few crossings.

The columns, left to right (only those with something to show are kept):

0. spinal nerve roots (and joints),
1. nerves, then joint actions, then anatomical sites (labels left of the dots),
2. muscles: a group, its muscles indented under it, each muscle's regions under the muscle,
3. exercises, then conditions (labels right of the dots, as in the columns after it),
4. equipment, treatments, tests, symptoms, risk factors,
5. the article's claims.

Each column holds blocks of one kind under a heading. Some orders are anatomy and never
change: spinal roots in segment order (L1 ... L5, S1 ... S4), muscles in
:data:`glutegraph.figures.ANATOMICAL_ORDER` with each region directly under its muscle (a
muscle and its parts move as one), joint actions grouped by joint and plane (hip extension and
flexion, abduction and adduction, external and internal rotation, pelvic stabilisation, knee).
Within those constraints the barycentre heuristic orders the rest: sweeps left to right and back
put each node at the mean height of its neighbours, then an isotonic regression (pool adjacent
violators) places the nodes as near those heights as their spacing allows. The sweep with the
fewest crossings wins; everything is sorted with labels as tie-breaks, so the layout is
deterministic.

Example:
    >>> import glutegraph as gg
    >>> from glutegraph.layered.focus import focus_nodes
    >>> from glutegraph.layered.links import links
    >>> g = gg.load().to_networkx()
    >>> kept = focus_nodes(g, [str(gg.KB.gluteus_medius)])
    >>> layout = arrange(g, kept, links(g, kept, focused=True))
    >>> [g.nodes[n]["label"][:2] for n in layout.blocks["root"]]
    ['L4', 'L5', 'S1']

"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import networkx as nx

from glutegraph.layered.links import Link

__all__ = ["BLOCKS", "HEADINGS", "ROW", "Layout", "arrange", "block_kind", "text_inches"]

#: Block kind -> (column, place in the column). "root" is a nerve that is a spinal nerve root.
BLOCKS: dict[str, tuple[int, int]] = {
    "root": (0, 0), "joint": (0, 1),
    "nerve": (1, 0), "action": (1, 1), "anatomy": (1, 2),
    "muscle": (2, 0),
    "exercise": (3, 0), "condition": (3, 1),
    "equipment": (4, 0), "treatment": (4, 1), "test": (4, 2), "symptom": (4, 3),
    "risk factor": (4, 4),
    "claim": (5, 0),
}
#: The heading over each block.
HEADINGS: dict[str, str] = {
    "root": "spinal nerve roots", "joint": "joints", "nerve": "nerves",
    "action": "joint actions", "anatomy": "anatomical sites", "muscle": "muscles",
    "exercise": "exercises", "condition": "conditions", "equipment": "equipment",
    "treatment": "treatments", "test": "diagnostic tests", "symptom": "symptoms",
    "risk factor": "risk factors", "claim": "article claims",
}
#: Joint actions by joint and plane: each group stays together, in this order inside.
ACTION_GROUPS: tuple[tuple[str, ...], ...] = (
    ("hip extension", "hip flexion"),
    ("hip abduction", "hip adduction"),
    ("hip external rotation", "hip internal rotation"),
    ("pelvic stabilisation",),
    ("knee extension", "knee flexion"),
)
ROW = 0.2  #: inches between two rows of a column
LABEL_SIZE = 7.5  #: points
LABEL_GAP = 0.07  #: inches between a dot and its label
INDENT = 0.17  #: inches a part is indented under its whole
_BLOCK_GAP = 2.8  # rows between two blocks of one column (room for the heading)
_MAX_PITCH = 2.2  # rows between two muscles at the most
_SEGMENTS = "CTLS"  # cervical, thoracic, lumbar, sacral; coccygeal after


def text_inches(text: str, size: float = LABEL_SIZE, bold: bool = False) -> float:
    """Return the width of ``text`` drawn at ``size`` points, in inches.

    The sum of its characters' advances in matplotlib's default font: within a few per cent
    of the drawn width, and fast enough for thousands of labels.
    """
    return sum(_advance(char, bold) for char in text) * size / 72


@cache
def _advance(char: str, bold: bool) -> float:
    """Return how far one character advances the pen at 1 point, in points."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(weight="bold" if bold else "normal")))
    font.set_size(100, 72)
    glyph = font.load_char(ord(char))
    return float(glyph.linearHoriAdvance) / 65536 / 100


def block_kind(graph: nx.Graph[str], node: str) -> str:
    """Return the block a node goes in: its kind, or "root" for a spinal nerve root."""
    if "gg:SpinalNerveRoot" in graph.nodes[node].get("classes", ()):
        return "root"
    return str(graph.nodes[node]["kind"])


def _segment(label: str) -> tuple[int, int, str]:
    """Sort key of a spinal root by its segment: L4 < L5 < S1 < S2 < S3 < S4."""
    found = re.match(r"\s*([CTLS]|Co)(\d+)\b", label)
    if not found:
        return (len(_SEGMENTS) + 1, 0, label)
    region = _SEGMENTS.index(found[1]) if found[1] in _SEGMENTS else len(_SEGMENTS)
    return (region, int(found[2]), label)


@dataclass
class Layout:
    """Where the nodes are (inches, y down is negative) and how the columns are made."""

    positions: dict[str, tuple[float, float]]
    #: block kind -> its nodes, top to bottom
    blocks: dict[str, list[str]]
    #: the x of each column's dots, and the side its labels are on ("left" or "right")
    columns: list[tuple[float, str]]
    #: node -> its column
    column_of: dict[str, int]
    #: node -> how many levels it is indented under its whole (muscles)
    depth: dict[str, int]
    #: node -> the whole it is drawn under
    parent: dict[str, str]
    width: float = 0.0
    height: float = 0.0
    crossings: int = 0
    headings: list[tuple[float, float, str, str, str]] = field(default_factory=list)
    #: the x from and to which each column's dots and labels reach
    extents: list[tuple[float, float]] = field(default_factory=list)

    def side(self, node: str) -> str:
        """Return the side of the dot its label is on."""
        return self.columns[self.column_of[node]][1]

    def label_x(self, node: str) -> float:
        """Return where the label starts (right side) or ends (left side)."""
        x, _ = self.positions[node]
        return x + LABEL_GAP if self.side(node) == "right" else x - LABEL_GAP


def _muscle_units(graph: nx.Graph[str], nodes: list[str]) -> tuple[list[list[str]],
                                                                    dict[str, int],
                                                                    dict[str, str]]:
    """Return the muscles as trees in anatomical order: [whole, its parts, ...] per unit."""
    from glutegraph.pictures.kit import anatomical_key

    shown = set(nodes)
    keys = {n: anatomical_key(graph, n) for n in nodes}
    nodes = sorted(nodes, key=keys.__getitem__)
    parent: dict[str, str] = {}
    for node in nodes:
        wholes = [w for _, w, d in graph.out_edges(node, data=True)  # type: ignore[attr-defined]
                  if d.get("relation") == "gg:partOf" and w in shown and w != node]
        if wholes:
            parent[node] = min(wholes, key=keys.__getitem__)
    children: dict[str, list[str]] = {}
    for node in nodes:
        if node in parent:
            children.setdefault(parent[node], []).append(node)
    depth: dict[str, int] = {}

    def walk(node: str, level: int, into: list[str]) -> None:
        if node in depth:  # a cycle of partOf: drawn once
            return
        depth[node] = level
        into.append(node)
        for child in children.get(node, []):
            walk(child, level + 1, into)

    units = []
    for node in nodes:
        if node not in parent:
            unit: list[str] = []
            walk(node, 0, unit)
            units.append(unit)
    for node in nodes:  # any left over (a partOf cycle) stands alone
        if node not in depth:
            depth[node] = 0
            parent.pop(node, None)
            units.append([node])
    return units, depth, parent


def _action_units(graph: nx.Graph[str], nodes: list[str]) -> list[list[str]]:
    """Return the actions grouped by joint and plane (see :data:`ACTION_GROUPS`)."""
    by_label = {str(graph.nodes[n]["label"]): n for n in nodes}
    units = [[by_label[a] for a in group if a in by_label] for group in ACTION_GROUPS]
    grouped = {n for unit in units for n in unit}
    rest: dict[str, list[str]] = {}
    for node in sorted(set(nodes) - grouped, key=lambda n: str(graph.nodes[n]["label"])):
        rest.setdefault(str(graph.nodes[node]["label"]).split(" ")[0], []).append(node)
    return [unit for unit in units if unit] + list(rest.values())


def _isotonic(targets: list[float], weights: list[float]) -> list[float]:
    """Return the non-decreasing sequence nearest ``targets`` (weighted least squares, PAVA)."""
    pools: list[list[float]] = []  # [mean, weight, count]
    for target, weight in zip(targets, weights, strict=True):
        pools.append([target, weight, 1])
        while len(pools) > 1 and pools[-2][0] > pools[-1][0]:
            mean_b, weight_b, count_b = pools.pop()
            mean_a, weight_a, count_a = pools[-1]
            total = weight_a + weight_b
            pools[-1] = [(mean_a * weight_a + mean_b * weight_b) / total, total,
                         count_a + count_b]
    return [mean for mean, _, count in pools for _ in range(int(count))]


@dataclass
class _Column:
    units: list[list[str]]  # in order; each unit's nodes sit on consecutive rows
    block_of_unit: list[str]
    movable: dict[str, bool]  # block kind -> may its units be reordered?
    pitch: float = 1.0  # rows from one node to the next

    def gaps(self) -> list[float]:
        """Rows between each unit's top and the previous unit's top, at the least."""
        found = [0.0]
        for j in range(1, len(self.units)):
            same = self.block_of_unit[j] == self.block_of_unit[j - 1]
            grouped = same and len(self.units[j]) + len(self.units[j - 1]) > 2 \
                and self.block_of_unit[j] == "action"  # a little air between joint groups
            found.append((len(self.units[j - 1]) - 1) * self.pitch
                         + (self.pitch + 0.5 * grouped if same else _BLOCK_GAP))
        return found

    def span(self) -> float:
        return sum(self.gaps()) + (len(self.units[-1]) - 1) * self.pitch


def arrange(graph: nx.Graph[str], nodes: Iterable[str], drawn: Sequence[Link],
            *, sweeps: int = 12) -> Layout:
    """Return the layout of ``nodes`` with the lines ``drawn`` (see the module docstring)."""
    shown = sorted(set(nodes), key=lambda n: (str(graph.nodes[n]["label"]), n))

    def label(node: str) -> str:
        return str(graph.nodes[node]["label"])

    blocks: dict[str, list[str]] = {}
    for node in shown:
        blocks.setdefault(block_kind(graph, node), []).append(node)
    depth: dict[str, int] = {}
    parent: dict[str, str] = {}
    used_columns = sorted({BLOCKS.get(kind, (5, 9))[0] for kind in blocks})
    columns: list[_Column] = [_Column([], [], {}) for _ in used_columns]
    for kind in sorted(blocks, key=lambda k: BLOCKS.get(k, (5, 9))):
        column = columns[used_columns.index(BLOCKS.get(kind, (5, 9))[0])]
        members = blocks[kind]
        if kind == "muscle":
            units, depth, parent = _muscle_units(graph, members)
        elif kind == "action":
            units = _action_units(graph, members)
        elif kind == "root":
            units = [[n] for n in sorted(members, key=lambda n: _segment(label(n)))]
        else:
            units = [[n] for n in members]
        column.units += units
        column.block_of_unit += [kind] * len(units)
        column.movable[kind] = kind not in ("muscle", "root")
    column_of = {n: i for i, c in enumerate(columns) for unit in c.units for n in unit}
    neighbours: dict[str, list[str]] = {n: [] for n in shown}
    for link in drawn:
        if column_of[link.source] != column_of[link.target]:
            neighbours[link.source].append(link.target)
            neighbours[link.target].append(link.source)
    height = max(c.span() for c in columns)
    for column in columns:  # a short column of muscles spreads out, so its fans open
        if "muscle" in column.movable and column.span() > 0:
            column.pitch = min(_MAX_PITCH, max(1.0, 0.8 * height / column.span()))
    height = max(c.span() for c in columns)

    y: dict[str, float] = {}
    for column in columns:  # start packed and centred
        _place(column, {}, y, height)

    def crossings() -> int:
        ends: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for link in drawn:
            a, b = column_of[link.source], column_of[link.target]
            if a != b:
                first, second = (link.source, link.target) if a < b else (link.target,
                                                                          link.source)
                ends.setdefault((min(a, b), max(a, b)), []).append((y[first], y[second]))
        total = 0
        for pairs in ends.values():  # inversions of the far ends, in order of the near ends
            seen: list[float] = []
            for _, far in sorted(pairs):
                total += len(seen) - bisect.bisect_right(seen, far)
                bisect.insort(seen, far)
        return total

    best = (crossings(), dict(y), [list(c.units) for c in columns])
    for sweep in range(sweeps):
        order = range(len(columns)) if sweep % 2 == 0 else range(len(columns) - 1, -1, -1)
        for i in order:
            column = columns[i]
            wanted = {n: (sum(y[m] for m in neighbours[n]) / len(neighbours[n])
                          if neighbours[n] else y[n]) for unit in column.units for n in unit}
            _reorder(column, wanted)
            _place(column, wanted, y, height)
        found = crossings()
        if found < best[0]:
            best = (found, dict(y), [list(c.units) for c in columns])
    count, y, units_of = best
    for column, units in zip(columns, units_of, strict=True):
        column.units = units

    # x: each column as wide as its labels (and headings), with room for the lines between
    between: dict[int, int] = {}
    for link in drawn:
        a, b = sorted((column_of[link.source], column_of[link.target]))
        if a != b:
            between[a] = between.get(a, 0) + 1
    xs: list[tuple[float, str]] = []
    extents: list[tuple[float, float]] = []
    headings: list[tuple[float, float, str, str, str]] = []
    cursor = 0.0
    for i, column in enumerate(columns):
        members = [n for unit in column.units for n in unit]
        kinds = list(dict.fromkeys(column.block_of_unit))
        side = ("left" if (used_columns[i] <= 1 or i == 0) and i < len(columns) - 1
                else "right")
        if side == "left":
            for n in members:  # parts are indented only where labels run to the right
                depth[n] = 0
        label_width = max(INDENT * depth.get(n, 0) + LABEL_GAP + text_inches(label(n))
                          for n in members)
        heading_width = max(text_inches(_heading(k, blocks), 8.0, bold=True) for k in kinds)
        extent = max(label_width, heading_width)
        x = cursor + extent if side == "left" else cursor
        xs.append((x, side))
        extents.append((cursor, cursor + extent))
        for j, unit in enumerate(column.units):
            if j == 0 or column.block_of_unit[j] != column.block_of_unit[j - 1]:
                kind = column.block_of_unit[j]
                headings.append((x, -(y[unit[0]] - 1.35) * ROW, _heading(kind, blocks),
                                 "right" if side == "left" else "left", kind))
        cursor = (x if side == "left" else x + extent) + min(2.0, 0.8 + 0.01 * between.get(
            i, 0))
    positions = {}
    for i, column in enumerate(columns):
        x, _ = xs[i]
        for unit in column.units:
            for node in unit:
                positions[node] = (x + INDENT * depth.get(node, 0), -y[node] * ROW)
    ordered = {kind: sorted(members, key=lambda n: y[n]) for kind, members in blocks.items()}
    return Layout(positions, ordered, xs, column_of, depth, parent,
                  width=cursor - min(2.0, 0.8 + 0.01 * between.get(len(columns) - 1, 0)),
                  height=height * ROW, crossings=count, headings=headings, extents=extents)


def _heading(kind: str, blocks: dict[str, list[str]]) -> str:
    return f"{HEADINGS.get(kind, kind + 's')} ({len(blocks[kind])})".upper()


def _reorder(column: _Column, wanted: dict[str, float]) -> None:
    """Sort the movable units of each block by the mean wanted height of their nodes."""
    start = 0
    units = column.units
    while start < len(units):
        kind = column.block_of_unit[start]
        end = start
        while end < len(units) and column.block_of_unit[end] == kind:
            end += 1
        if column.movable.get(kind, True):
            ranked = sorted(enumerate(units[start:end]), key=lambda iu: (
                sum(wanted[n] for n in iu[1]) / len(iu[1]), iu[0]))
            units[start:end] = [unit for _, unit in ranked]
        start = end


def _place(column: _Column, wanted: dict[str, float], y: dict[str, float], height: float
           ) -> None:
    """Put the column's units as near their wanted heights as the spacing allows (rows)."""
    offsets = []
    total = 0.0
    for gap in column.gaps():
        total += gap
        offsets.append(total)
    span = column.span()
    targets, weights = [], []
    for unit, offset in zip(column.units, offsets, strict=True):
        if wanted:
            mean = sum(wanted[n] - k * column.pitch for k, n in enumerate(unit)) / len(unit)
        else:
            mean = (height - span) / 2 + offset
        targets.append(mean - offset)
        weights.append(float(len(unit)))
    shifts = [min(max(s, 0.0), height - span) for s in _isotonic(targets, weights)]
    for unit, offset, shift in zip(column.units, offsets, shifts, strict=True):
        for k, node in enumerate(unit):
            y[node] = shift + offset + k * column.pitch
