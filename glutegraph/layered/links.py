"""The lines of the layered picture: one per pair and meaning, merged from the graph's edges.

An exercise and a muscle get one line: the highest mean %MVIC measured (its width says how
high), else a peak, else the curated primary (or secondary) target. A treatment and a condition
get one line per strength of evidence (a treatment can have moderate evidence for the short
term and evidence against in the long term); an ungraded "ameliorates" only when no evidence
is graded. A muscle and an action get one line, prime mover if it is one in any position.

The focused picture leaves out the links that would only crowd it: an exercise trains an
action (its muscles' lines say it), secondary targets, and links within one column (variants,
progressions, related conditions, opposed actions, nerve branches).

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

__all__ = ["UNFOCUSED_STYLES", "Link", "links"]

_LOADING = {"activates", "gg:primaryTarget", "gg:secondaryTarget"}

#: The styles a focused picture leaves out (the full graph draws them): links that are
#: redundant there (an exercise trains the action its muscles produce) or between two nodes
#: of one column.
UNFOCUSED_STYLES = frozenset(STYLES[k] for k in (
    "trains action", "secondary target", "exercise to exercise", "opposes", "branch of",
    "related condition"))


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
        focused: leave out the links :data:`UNFOCUSED_STYLES` names.

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
            if not focused or style not in UNFOCUSED_STYLES:
                found.append(Link(u, v, style))
    return found
