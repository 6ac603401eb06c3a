"""The lines of the layered picture: one per pair and meaning, merged from the graph's edges.

An exercise and a muscle get one line: the highest mean %MVIC measured (its width says how
high), else a peak, else the curated primary (or secondary) target. A treatment and a condition
get one line per strength of evidence (a treatment can have moderate evidence for the short
term and evidence against in the long term); an ungraded "ameliorates" only when no evidence
is graded. A muscle and an action get one line, prime mover if it is one in any position.

The focused picture draws only the links that tell its story: nerve supply, regions, actions,
exercise loading (measured, or primary targets), conditions and treatments.

Example:
    >>> import glutegraph as gg
    >>> g = gg.load().to_networkx()
    >>> hip_thrust, lower = str(gg.KB.barbell_hip_thrust), str(gg.KB.gluteus_maximus_lower)
    >>> [link.style.text for link in links(g, {hip_thrust, lower})]
    ['EMG >= 60 %MVIC (very high)']

"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from glutegraph.layered.styles import STYLES, LinkStyle, style_of

__all__ = ["FOCUSED_STYLES", "Link", "links"]

_LOADING = {"activates", "gg:primaryTarget", "gg:secondaryTarget"}

#: The styles a focused picture draws (the others only in the full graph).
FOCUSED_STYLES = frozenset(STYLES[k] for k in (
    "nerve supply", "part of", "prime mover", "secondary mover", "very high", "high",
    "moderate", "low", "peak only", "primary target", "involves", "strong evidence",
    "moderate evidence", "limited evidence", "no trial found", "evidence against",
    "not graded"))


@dataclass(frozen=True)
class Link:
    """One line of the picture: from ``source`` to ``target`` (the edge's direction)."""

    source: str
    target: str
    style: LinkStyle


def _loading(datas: list[dict[str, object]]) -> LinkStyle:
    means = [float(m) for d in datas if isinstance(m := d.get("mean_mvic"), int | float)]
    if means:
        return style_of({"relation": "activates", "mean_mvic": max(means)})
    relations = {d.get("relation") for d in datas}
    if "activates" in relations:
        return STYLES["peak only"]
    return STYLES["primary target" if "gg:primaryTarget" in relations else "secondary target"]


def links(graph: nx.Graph[str], nodes: Iterable[str], *, focused: bool = False) -> list[Link]:
    """Return the lines between ``nodes``, merged per pair (see the module docstring).

    Args:
        graph: a graph of :func:`glutegraph.network.to_networkx` (or a view of it).
        nodes: the nodes drawn.
        focused: draw only the story's links (:data:`FOCUSED_STYLES`).

    """
    shown = set(nodes)
    pairs: dict[tuple[str, str], list[dict[str, object]]] = {}
    for u, v, data in graph.edges(data=True):
        if u in shown and v in shown and u != v:
            pairs.setdefault((u, v), []).append(data)
    found: list[Link] = []
    for (u, v), datas in pairs.items():
        relations = {str(d.get("relation", "")) for d in datas}
        styles: list[LinkStyle] = []
        if relations & _LOADING:
            styles.append(_loading([d for d in datas if d.get("relation") in _LOADING]))
        if "treats" in relations:
            styles += [style_of(d) for d in datas if d.get("relation") == "treats"]
        elif "gg:ameliorates" in relations:
            styles.append(STYLES["not graded"])
        if "produces" in relations:
            roles = [d for d in datas if d.get("relation") == "produces"]
            prime = any(d.get("role") == "prime mover" for d in roles)
            styles.append(STYLES["prime mover" if prime else "secondary mover"])
        for data in datas:
            if data.get("relation") not in _LOADING | {"treats", "gg:ameliorates", "produces"}:
                styles.append(style_of(data))
        for style in dict.fromkeys(styles):  # once each, in order
            if not focused or style in FOCUSED_STYLES:
                found.append(Link(u, v, style))
    return found
