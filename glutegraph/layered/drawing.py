"""The layered picture of the graph: :func:`draw`.

Lines run from dot to dot. Labels sit beside their dots, on the side away from the lines; where
a node has lines on its label side too (a muscle's exercises, a condition's treatments), they
leave the dot along a stem under the label and fan out past its end, so no line crosses a
label of its own column. The layout is :func:`glutegraph.layered.layout.arrange`'s, the line
styles :mod:`glutegraph.layered.styles`' (one colour per family, width for the strength of
the evidence, red for evidence against), the default view :func:`focus_nodes`'.

Example:
    >>> import glutegraph as gg
    >>> fig = draw(gg.load())
    >>> "gluteus medius" in [t.get_text() for t in fig.axes[0].texts]
    True
    >>> fig.axes[0].get_title()[:50]  # counted as the tour counts
    '4 of 9 spinal nerve roots, 2 of 11 nerves, 1 of 5 '

"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

import networkx as nx

from glutegraph.errors import InvalidArgumentError, QueryError
from glutegraph.layered.focus import DEFAULT_FOCUS, count_phrase, counts, focus_nodes
from glutegraph.layered.layout import (
    BLOCKS,
    HEADINGS,
    LABEL_SIZE,
    ROW,
    Layout,
    arrange,
    block_kind,
    text_inches,
)
from glutegraph.layered.links import Link, links
from glutegraph.layered.styles import FAMILIES, STYLES
from glutegraph.pictures.kit import DEFAULT_KINDS, KIND_COLOURS, as_graph, select_kinds

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

    from glutegraph.graph import KnowledgeGraph

__all__ = ["AUTO", "draw", "layered_layout"]

#: ``focus=AUTO``: the gluteal muscles for a whole KnowledgeGraph, everything in a view.
AUTO = "auto"
_STEM_PAD = 0.03  # inches past the end of a label where its stem ends


def _focus_of(source: KnowledgeGraph | nx.Graph[str], graph: nx.Graph[str],
              focus: str | Sequence[str] | None) -> list[str] | None:
    """Return the focus nodes ``focus`` names, or None to draw everything."""
    from glutegraph.errors import UnknownNameError
    from glutegraph.network import find_node

    if focus == AUTO:
        if isinstance(source, nx.Graph):
            return None
        focus = DEFAULT_FOCUS
    if focus is None:
        return None
    names = [focus] if isinstance(focus, str) else list(focus)
    found = []
    for name in names:
        try:
            found.append(find_node(graph, name))  # type: ignore[arg-type]
        except UnknownNameError:
            if isinstance(source, nx.Graph):
                raise
            found.append(source.resolve(name).iri)  # a synonym ("glute med")
        if graph.nodes[found[-1]]["kind"] != "muscle":
            raise InvalidArgumentError(
                f"focus on muscles: {name!r} is a {graph.nodes[found[-1]]['kind']}; name a "
                "muscle or group, or pass focus=None for the whole graph")
    return found


def draw(
    source: KnowledgeGraph | nx.Graph[str],
    *,
    kinds: Iterable[str] | None = DEFAULT_KINDS,
    title: str | None = None,
    max_rows: int = 300,
    focus: str | Sequence[str] | None = AUTO,
    top: int = 4,
) -> Figure:
    """Draw the graph (or any networkx view of it) in layers: nerves, muscles, exercises, ...

    Args:
        source: a KnowledgeGraph, or a graph from :mod:`glutegraph.network`.
        kinds: the kinds to show (default: nerves, muscles, actions, exercises, conditions,
            treatments, :data:`glutegraph.figures.DEFAULT_KINDS`); None shows every kind
            present. Each kind has its column (see :mod:`glutegraph.layered.layout`).
        title: the figure title (default: what is shown, with counts as the tour counts).
        max_rows: refuse (QueryError) to draw a block longer than this.
        focus: the muscles (or groups) the picture is about, with their nerves, actions,
            the ``top`` exercises per muscle or region, their conditions and treatments.
            The default, ``"auto"``, focuses a KnowledgeGraph on the gluteal muscles and the
            TFL (:data:`DEFAULT_FOCUS`) and draws a networkx view whole; None draws
            everything (the full graph: every node of the kinds, every link).
        top: exercises kept per focus muscle or region: the highest mean %MVIC first, then
            curated primary targets when fewer were measured.

    Example:
        >>> import glutegraph as gg
        >>> from glutegraph.network import neighbourhood
        >>> view = neighbourhood(gg.load().to_networkx(), "piriformis syndrome")
        >>> fig = draw(view, kinds=None)
        >>> "piriformis syndrome" in [t.get_text() for t in fig.axes[0].texts]
        True

    """
    wanted = None if kinds is None else list(kinds)
    unknown = set(wanted or ()) - set(KIND_COLOURS)
    if unknown:
        raise QueryError(f"no kind {sorted(unknown)}; kinds are {', '.join(KIND_COLOURS)}")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InvalidArgumentError(f"top must be a whole number, 1 or more, not {top!r}")
    graph = as_graph(source)
    _, shown = select_kinds(graph, wanted)
    focused = _focus_of(source, graph, focus)
    nodes = set(shown)
    if focused is not None:
        nodes &= focus_nodes(graph, focused, top=top)
    if not nodes:
        raise QueryError("nothing to draw: no node of the kinds asked for")
    blocks: dict[str, int] = {}
    for node in nodes:
        kind = block_kind(graph, node)
        blocks[kind] = blocks.get(kind, 0) + 1
    longest = max(blocks, key=lambda k: blocks[k])
    if blocks[longest] > max_rows:
        raise QueryError(
            f"{blocks[longest]} {longest} nodes in one column is more than a picture can show "
            f"(max_rows={max_rows}); draw a view instead, such as "
            "glutegraph.network.neighbourhood(graph, name, depth), or focus=[muscle, ...]")
    drawn = links(graph, nodes, focused=focused is not None)
    layout = arrange(graph, nodes, drawn)
    return _render(graph, layout, drawn, _title(source, graph, nodes, focused, top, title),
                   KIND_COLOURS)


def _title(source: KnowledgeGraph | nx.Graph[str], graph: nx.Graph[str], nodes: set[str],
           focused: list[str] | None, top: int, title: str | None) -> tuple[str, str]:
    """Return the headline and the counts line (totals as the tour counts them)."""
    whole = None if isinstance(source, nx.Graph) and focused is None else counts(graph)
    shown = counts(graph, nodes)
    if focused is not None:
        names = " and ".join(str(graph.nodes[n]["label"]) for n in focused)
        headline = (f"The {names}: nerve supply, actions, the {top} exercises that load each "
                    "muscle or region most, conditions and treatments")
    elif isinstance(source, nx.Graph):
        headline = "A view of glutegraph in layers"
    else:
        headline = "The whole of glutegraph in layers"
    phrase = count_phrase(shown, whole if focused is not None else None)
    if focused is not None:
        phrase += ". The whole graph: draw(kg, focus=None)."
    return (title or headline), phrase


def _stem_ends(graph: nx.Graph[str], layout: Layout) -> dict[str, float]:
    """Return where the stem under each label ends: past every label of its block.

    So the lines fanning out from it never cross a longer label above or below it.
    """
    ends: dict[str, float] = {}
    for members in layout.blocks.values():
        reach = [layout.label_x(n) + (1 if layout.side(n) == "right" else -1)
                 * text_inches(str(graph.nodes[n]["label"])) for n in members]
        right = layout.side(members[0]) == "right"
        edge = max(reach) + _STEM_PAD if right else min(reach) - _STEM_PAD
        ends.update(dict.fromkeys(members, edge))
    return ends


def _link_path(layout: Layout, link: Link, bend: float, gaps: dict[int, list[tuple[float, float]]],
               stems: dict[str, float]) -> tuple[list[tuple[float, float]], list[Any]]:
    """Return the vertices and codes of one line, from the source's dot to the target's."""
    from matplotlib.path import Path

    start, end = layout.positions[link.source], layout.positions[link.target]
    a, b = layout.column_of[link.source], layout.column_of[link.target]
    if a == b:
        child, whole = link.source, link.target
        if link.style == STYLES["part of"] and layout.parent.get(child) == whole \
                and layout.depth.get(child, 0) > 0:  # the tree: down from the whole, across
            return [end, (end[0], start[1]), start], [Path.MOVETO, Path.LINETO, Path.LINETO]
        out = -1 if layout.side(link.source) == "right" else 1  # bulge away from the labels
        reach = 0.2 + 0.04 * abs(start[1] - end[1]) / ROW
        return ([start, (start[0] + out * reach, start[1]), (end[0] + out * reach, end[1]), end],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
    vertices: list[tuple[float, float]] = [start]
    codes: list[Any] = [Path.MOVETO]
    rightward = b > a
    first, last = start, end
    if (layout.side(link.source) == "right") == rightward:  # leaves on its label side
        first = (stems[link.source], start[1])
        vertices.append(first)
        codes.append(Path.LINETO)
    if (layout.side(link.target) == "left") == rightward:  # arrives on its label side
        last = (stems[link.target], end[1])
    # a line that skips columns goes through a gap between their labels, never over one
    stops = [first]
    skipped = range(a + 1, b) if rightward else range(a - 1, b, -1)
    for column in skipped:
        low, high = layout.extents[column]
        share = (layout.extents[column][0] - first[0]) / ((last[0] - first[0]) or 1.0)
        gap = _gap(layout, gaps, column, first[1] + (last[1] - first[1]) * share)
        ends = [(low - 0.05, gap), (high + 0.05, gap)]
        stops += ends if rightward else ends[::-1]
    stops.append(last)
    for k, (p, q) in enumerate(itertools.pairwise(stops)):
        if k % 2 == 1:  # across a skipped column
            vertices.append(q)
            codes.append(Path.LINETO)
            continue
        reach = (q[0] - p[0]) * 0.5
        vertices += [(p[0] + reach, p[1] + bend), (q[0] - reach, q[1] + bend), q]
        codes += [Path.CURVE4] * 3
    if last != end:
        vertices.append(end)
        codes.append(Path.LINETO)
    return vertices, codes


def _render(graph: nx.Graph[str], layout: Layout, drawn: list[Link], title: tuple[str, str],
            kind_colours: dict[str, str]) -> Figure:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    from glutegraph.pictures.kit import new_figure

    legend_rows, legend_columns = _legend_entries(graph, layout, drawn, kind_colours)
    legend_height = 0.35 + len(legend_rows[0]) * 0.165 if legend_rows else 0.3
    margin, top_room, bottom_room = 0.35, 0.5, 0.25
    graph_width = layout.width + 2 * margin
    width = max(graph_width, 2.5 * legend_columns + 0.6, 7.0)
    counts_lines = textwrap.wrap(title[1], int((width - 0.6) / (8.0 * 0.5 / 72)))
    headline = textwrap.wrap(title[0], int((width - 0.6) / (10.5 * 0.62 / 72)))
    title_height = 0.25 + 0.2 * len(headline) + 0.17 * len(counts_lines)
    graph_height = layout.height + top_room + bottom_room
    height = title_height + graph_height + legend_height
    figure = new_figure(width, height, layout=None)
    left = (width - graph_width) / 2
    ax = figure.add_axes((left / width, legend_height / height, graph_width / width,
                          graph_height / height))
    ax.set_axis_off()
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlim(-margin, layout.width + margin)
    ax.set_ylim(-layout.height - bottom_room, top_room)

    stemmed = {link.source for link in drawn if _leaves_on_label_side(layout, link.source,
                                                                      link.target)}
    stemmed |= {link.target for link in drawn if _leaves_on_label_side(layout, link.target,
                                                                       link.source)}
    raised = {n for members in layout.blocks.values() if stemmed & set(members)
              for n in members}  # a block with stems: all its labels sit on the line
    gaps = _free_bands(layout, raised)
    stems = _stem_ends(graph, layout)
    seen: dict[tuple[str, str], int] = {}
    for link in sorted(drawn, key=lambda k: -k.style.width):  # thin lines over thick
        pair = (link.source, link.target)
        seen[pair] = seen.get(pair, -1) + 1
        bend = 0.05 * seen[pair] * (1 if seen[pair] % 2 else -1)
        vertices, codes = _link_path(layout, link, bend, gaps, stems)
        patch = PathPatch(Path(vertices, codes), fill=False, edgecolor=link.style.drawn_colour,
                          linewidth=link.style.width, linestyle=link.style.linestyle,
                          alpha=link.style.alpha, zorder=1, capstyle="round")
        patch.set_gid(f"link {link.source} {link.target}")
        ax.add_patch(patch)
    by_kind: dict[str, list[str]] = {}
    for members in layout.blocks.values():
        by_kind.setdefault(str(graph.nodes[members[0]]["kind"]), []).extend(members)
    for kind, members in by_kind.items():
        ax.scatter([layout.positions[n][0] for n in members],
                   [layout.positions[n][1] for n in members], s=30,
                   color=kind_colours.get(kind, "#777777"), edgecolors="white",
                   linewidths=0.6, zorder=3, label=kind)
    for node, (_, y) in layout.positions.items():
        stem = node in raised  # the label sits on its stem, like text on a line
        ax.text(layout.label_x(node), y + (0.012 if stem else 0.0),
                str(graph.nodes[node]["label"]), fontsize=LABEL_SIZE,
                va="bottom" if stem else "center_baseline",
                ha="left" if layout.side(node) == "right" else "right", zorder=4,
                bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none",
                      "alpha": 0.85})
    for x, y, text, align, kind in layout.headings:
        colour = kind_colours.get("nerve" if kind == "root" else kind, "#333333")
        ax.text(x, y, text, fontsize=8, fontweight="bold", va="bottom", ha=align,
                color=colour, zorder=4, bbox={"boxstyle": "square,pad=0.1", "fc": "white",
                                              "ec": "none", "alpha": 0.85})
    figure.suptitle("\n".join(headline), y=1 - 0.1 / height, va="top", fontsize=10.5,
                    fontweight="bold", linespacing=1.3)
    ax.set_title("\n".join(counts_lines), fontsize=8.0, linespacing=1.45, loc="center", pad=6)
    _legend(figure, legend_rows, legend_columns, legend_height / height)
    return figure


def _free_bands(layout: Layout, raised: set[str]) -> dict[int, list[tuple[float, float]]]:
    """Return, per column, the bands of y (inches) free of labels and dots, top to bottom."""
    height = LABEL_SIZE * 1.45 / 72  # a label's box, with its padding
    taken: dict[int, list[tuple[float, float]]] = {}
    for node, (_, y) in layout.positions.items():
        low, high = (y, y + height + 0.01) if node in raised else (y - height / 2,
                                                                    y + height / 2)
        taken.setdefault(layout.column_of[node], []).append((min(low, y - 0.05),
                                                             max(high, y + 0.05)))
    free: dict[int, list[tuple[float, float]]] = {}
    for column, bands in taken.items():
        bands.sort(reverse=True)  # top (highest y) first
        found = [(bands[0][1] + 0.08, bands[0][1] + 0.08)]  # above the column
        for (low_a, _), (_, high_b) in itertools.pairwise(bands):
            if low_a - high_b > 0.03:
                found.append((low_a, high_b))
        found.append((bands[-1][0] - 0.08, bands[-1][0] - 0.08))  # below it
        free[column] = found
    return free


def _gap(layout: Layout, gaps: dict[int, list[tuple[float, float]]], column: int,
         wanted: float) -> float:
    """Return the y of the free band in ``column`` nearest ``wanted`` (its middle)."""
    bands = gaps.get(column, [(wanted, wanted)])
    top, bottom = min(bands, key=lambda band: abs((band[0] + band[1]) / 2 - wanted))
    return (top + bottom) / 2


def _leaves_on_label_side(layout: Layout, node: str, other: str) -> bool:
    a, b = layout.column_of[node], layout.column_of[other]
    if a == b:
        return False
    return (layout.side(node) == "right") == (b > a)


def _legend_entries(graph: nx.Graph[str], layout: Layout, drawn: list[Link],
                    kind_colours: dict[str, str]) -> tuple[list[list[tuple[Artist, str]]], int]:
    """Return the legend's columns (a heading, then its entries), as (handle, text) pairs."""
    from matplotlib.lines import Line2D

    def blank(text: str = "") -> tuple[Artist, str]:
        return Line2D([], [], linestyle="none"), text

    used = {link.style for link in drawn}
    columns: list[list[tuple[Artist, str]]] = []
    dots: list[tuple[Artist, str]] = [blank("Dots: what each node is")]
    for kind in sorted(layout.blocks, key=lambda k: BLOCKS.get(k, (9, 9))):
        members = layout.blocks[kind]
        colour = kind_colours.get("nerve" if kind == "root" else str(
            graph.nodes[members[0]]["kind"]), "#777777")
        dots.append((Line2D([], [], marker="o", linestyle="none", markersize=5,
                            color=colour), f"{HEADINGS.get(kind, kind)} ({len(members)})"))
    columns.append(dots)
    order = list(STYLES.values())
    for family, (_, heading) in FAMILIES.items():
        styles = sorted((s for s in used if s.family == family),
                        key=lambda s: order.index(s) if s in order else len(order))
        if not styles:
            continue
        column: list[tuple[Artist, str]] = [blank(heading)]
        column += [(Line2D([], [], color=s.drawn_colour, linewidth=s.width,
                           linestyle=cast(Any, s.linestyle), alpha=s.alpha), s.text)
                   for s in styles]
        if family == "loading":
            column.append(blank("(the highest mean any stored study measured)"))
        columns.append(column)
    rows = max(len(c) for c in columns)
    for column in columns:
        column += [blank() for _ in range(rows - len(column))]
    return [list(c) for c in columns], len(columns)


def _legend(figure: Figure, columns: list[list[tuple[Artist, str]]], count: int,
            top: float) -> None:
    """Draw the legend: one column per family, each under its heading in bold."""
    if not columns:
        return
    handles = [h for column in columns for h, _ in column]
    texts = [t for column in columns for _, t in column]
    legend = figure.legend(handles, texts, loc="upper center", bbox_to_anchor=(0.5, top),
                           ncol=count, fontsize=7.5, frameon=False, handlelength=3.2,
                           columnspacing=2.2, borderaxespad=0.2)
    headings = {column[0][1] for column in columns}
    for text in legend.get_texts():
        if text.get_text() in headings:
            text.set_fontweight("bold")
        if text.get_text().startswith("(the highest"):
            text.set_fontstyle("italic")


def layered_layout(
    graph: nx.Graph[str], kinds: Sequence[str]
) -> tuple[dict[str, tuple[float, float]], list[list[str]], list[float]]:
    """Return the full layout of ``graph``'s nodes as one layer per kind (the HTML view's).

    Returns:
        positions in inches (x, y), the layers (nodes of one kind, top to bottom, spinal roots
        before the nerves) and the x of each layer's first node.

    """
    drawn = links(graph, graph.nodes)
    layout = arrange(graph, graph.nodes, drawn)
    layers = []
    for kind in kinds:
        members = [n for n in graph if graph.nodes[n]["kind"] == kind]
        if members:
            layers.append(sorted(members, key=lambda n: (layout.column_of[n],
                                                          -layout.positions[n][1], n)))
    xs = [layout.positions[layer[0]][0] for layer in layers]
    return layout.positions, layers, xs

