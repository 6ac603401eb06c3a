"""What the layered picture shows: a readable view focused on some muscles, and its counts.

:func:`focus_nodes` keeps the focus muscles with their regions (and, for a region, the muscle
it is part of), their nerves and spinal roots, the actions they produce, the ``top`` exercises
per muscle or region (highest mean %MVIC first, filled up with curated primary targets when
fewer were measured), the conditions that involve them and the treatments of those conditions.
:func:`counts` counts nodes by class as the tour does (``glutegraph tour``: "21 muscles, 7
muscle regions, ...").

Example:
    >>> import glutegraph as gg
    >>> g = gg.load().to_networkx()
    >>> kept = focus_nodes(g, [str(gg.KB.gluteus_medius)], top=2)
    >>> sorted(g.nodes[n]["label"][:6] for n in kept if g.nodes[n]["kind"] == "nerve")
    ['L4 spi', 'L5 spi', 'S1 spi', 'superi']

"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

__all__ = ["COUNTED", "DEFAULT_FOCUS", "count_phrase", "counts", "focus_nodes", "parts_of"]

#: The muscles the default picture is about: the gluteal group and the TFL, which shares the
#: superior gluteal nerve and the abductor work of the gluteus medius and minimus.
DEFAULT_FOCUS: tuple[str, ...] = ("gluteal muscles", "tensor fasciae latae")

#: Node classes counted in titles, with the words the tour uses for them, in reading order.
COUNTED: tuple[tuple[str, str, str], ...] = (
    ("gg:SpinalNerveRoot", "spinal nerve root", "spinal nerve roots"),
    ("gg:Nerve", "nerve", "nerves"),
    ("gg:MuscleGroup", "muscle group", "muscle groups"),
    ("gg:Muscle", "muscle", "muscles"),
    ("gg:MuscleRegion", "muscle region", "muscle regions"),
    ("gg:JointAction", "joint action", "joint actions"),
    ("gg:Joint", "joint", "joints"),
    ("gg:Exercise", "exercise", "exercises"),
    ("gg:Equipment", "piece of equipment", "pieces of equipment"),
    ("gg:Condition", "condition", "conditions"),
    ("gg:Symptom", "symptom", "symptoms"),
    ("gg:RiskFactor", "risk factor", "risk factors"),
    ("gg:DiagnosticTest", "diagnostic test", "diagnostic tests"),
    ("gg:Treatment", "treatment", "treatments"),
    ("gg:Claim", "article claim", "article claims"),
)
_ANATOMY = ("gg:Bone", "gg:BonyLandmark", "gg:BodyRegion", "gg:SoftTissueAttachment")


def parts_of(graph: nx.Graph[str], node: str) -> set[str]:
    """Return ``node`` and everything part of it at any depth (a group's muscles, regions)."""
    members, todo = {node}, [node]
    while todo:
        whole = todo.pop()
        for part, _, data in graph.in_edges(whole, data=True):  # type: ignore[attr-defined]
            if data.get("relation") == "gg:partOf" and part not in members:
                members.add(part)
                todo.append(part)
    return members


def _linked(graph: nx.Graph[str], nodes: Iterable[str], relations: set[str],
            out: bool) -> set[str]:
    """Return the nodes joined to ``nodes`` by one of ``relations`` (out- or in-edges)."""
    found: set[str] = set()
    for node in nodes:
        edges = (graph.out_edges(node, data=True) if out  # type: ignore[attr-defined]
                 else graph.in_edges(node, data=True))  # type: ignore[attr-defined]
        for u, v, data in edges:
            if data.get("relation") in relations:
                found.add(v if out else u)
    return found


def _top_exercises(graph: nx.Graph[str], muscle: str, top: int) -> list[str]:
    """Return up to ``top`` exercises for ``muscle``: highest mean %MVIC, then curated ones."""
    best: dict[str, float] = {}
    curated: set[str] = set()
    for exercise, _, data in graph.in_edges(muscle, data=True):  # type: ignore[attr-defined]
        mean = data.get("mean_mvic")
        if data.get("relation") == "activates" and isinstance(mean, int | float):
            best[exercise] = max(best.get(exercise, 0.0), float(mean))
        elif data.get("relation") == "gg:primaryTarget":
            curated.add(exercise)

    def label(node: str) -> str:
        return str(graph.nodes[node]["label"])

    chosen = sorted(best, key=lambda e: (-best[e], label(e)))[:top]
    chosen += sorted(curated - set(chosen), key=label)[: top - len(chosen)]
    return chosen


def focus_nodes(graph: nx.Graph[str], focus: Sequence[str], *, top: int = 4) -> set[str]:
    """Return the nodes of the view focused on the ``focus`` nodes (see the module docstring).

    Nodes of other kinds (symptoms, tests, bones, equipment, ...) are kept when they are
    linked to a kept node.
    """
    core: set[str] = set()
    for node in focus:
        core |= parts_of(graph, node)
    wholes: set[str] = set()  # what a focus region is part of: its nerves are the region's
    todo = list(focus)
    while todo:
        for whole in _linked(graph, [todo.pop()], {"gg:partOf"}, out=True) - wholes - core:
            wholes.add(whole)
            todo.append(whole)
    nerves = _linked(graph, core | wholes, {"gg:innervatedBy"}, out=True)
    nerves |= _linked(graph, nerves, {"gg:hasSpinalRoot"}, out=True)
    actions = _linked(graph, core, {"produces"}, out=True)
    exercises = {e for muscle in core for e in _top_exercises(graph, muscle, top)}
    conditions = _linked(graph, core | nerves, {"gg:involves"}, out=False)
    treatments = _linked(graph, conditions, {"treats", "gg:ameliorates"}, out=False)
    kept = core | wholes | nerves | actions | exercises | conditions | treatments
    pipeline = {"muscle", "nerve", "action", "exercise", "condition", "treatment"}
    undirected = graph.to_undirected(as_view=True)
    kept |= {m for n in list(kept) for m in undirected[n]
             if graph.nodes[m]["kind"] not in pipeline}
    return kept


def counts(graph: nx.Graph[str], nodes: Iterable[str] | None = None) -> dict[str, int]:
    """Return how many of ``nodes`` (all by default) are of each class of :data:`COUNTED`.

    A class counts a node the way ``?x a gg:Muscle`` does: every class it has.
    """
    found = {cls: 0 for cls, *_ in COUNTED}
    found["anatomy"] = 0
    for node in graph if nodes is None else nodes:
        classes = graph.nodes[node].get("classes", [])
        for cls in classes:
            if cls in found:
                found[cls] += 1
        if any(cls in _ANATOMY for cls in classes):
            found["anatomy"] += 1
    return found


def count_phrase(shown: dict[str, int], total: dict[str, int] | None = None) -> str:
    """Say the counts in words: "4 of 21 muscles, 4 of 7 muscle regions" (zero counts left out).

    Example:
        >>> count_phrase({"gg:Muscle": 4, "gg:MuscleRegion": 1}, {"gg:Muscle": 21,
        ...              "gg:MuscleRegion": 7})
        '4 of 21 muscles, 1 of 7 muscle regions'

    """
    words = []
    for cls, one, many in COUNTED:
        n = shown.get(cls, 0)
        if not n:
            continue
        whole = total.get(cls, n) if total is not None else n
        noun = one if whole == 1 else many
        words.append(f"{n} of {whole} {noun}" if total is not None and whole != n
                     else f"{n} {noun}" if total is None else f"all {n} {noun}"
                     if n > 1 else f"{n} {noun}")
    if shown.get("anatomy"):
        sites = shown["anatomy"]
        words.append(f"{sites} anatomical site{'' if sites == 1 else 's'}")
    return ", ".join(words)
