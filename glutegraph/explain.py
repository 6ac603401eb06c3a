"""Why are two entities linked? The paths between them, told as sentences with their sources.

Each step of a path is one edge of the networkx graph (see :mod:`glutegraph.network`), said in
the direction it is stored ("piriformis syndrome involves sciatic nerve"), with the figures an
evidence edge carries (%MVIC, n, role, strength of evidence) and the sources behind it. Paths
run through any entity but the article's claims, shortest first; a step through an anatomical
site (a bone, a region such as the buttock) counts as one and a half. A step that a file
added with :meth:`~glutegraph.KnowledgeGraph.add` stated ends with ``{added from FILE}``
(:attr:`Step.added_from`), beside the sources that file cites.

Example:
    >>> import glutegraph as gg
    >>> why = gg.load().explain("barbell hip thrust", "lower gluteus maximus")
    >>> print(why[0])
    barbell hip thrust activates lower gluteus maximus (86.8 %MVIC mean, n=13) [Contreras 2015, ...]

"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice, pairwise, product
from pathlib import Path

import networkx as nx

from glutegraph.errors import UnknownNameError
from glutegraph.guards import positive_int
from glutegraph.network import edge_detail
from glutegraph.ranking import edge_rank

__all__ = ["MAX_CANDIDATES", "MAX_LENGTH", "MAX_PATHS", "Explanation", "Step", "explain_paths"]

#: Kinds a path may not pass through (their links say little about why two things connect).
SKIPPED_KINDS = frozenset({"claim"})
#: The cost of one step between two anatomical sites (any other step costs 1).
_MAX_STEP_COST = 2.0
#: The most explanations one call returns (``max_paths``).
MAX_PATHS = 50
#: The longest path, in links, one call searches (``max_length``).
MAX_LENGTH = 8
#: The most candidate paths one call examines, cheapest first (about a second on the bundled
#: graph; the search grows faster than linearly, 2,000 candidates take 4 to 9 s).
MAX_CANDIDATES = 300


@dataclass(frozen=True)
class Step:
    """One link of a path: subject, relation, object, what the evidence measured, and sources."""

    subject: str
    relation: str
    object: str
    detail: str = ""
    sources: tuple[str, ...] = ()
    #: The added files that stated this link (absolute paths); empty for a bundled link.
    added_from: tuple[str, ...] = ()

    def __str__(self) -> str:
        """Say the step; a link from an added file ends with ``{added from FILE}``.

        Example:
            >>> print(Step("hip thrust", "activates", "gluteus medius", sources=("My study",),
            ...            added_from=("/home/me/mine.ttl",)))
            hip thrust activates gluteus medius [My study] {added from mine.ttl}

        """
        text = f"{self.subject} {self.relation} {self.object}"
        if self.detail:
            text += f" ({self.detail})"
        if self.sources:
            text += f" [{'; '.join(self.sources)}]"
        if self.added_from:
            names = ", ".join(Path(f).name for f in self.added_from)
            text += f" {{added from {names}}}"
        return text


@dataclass(frozen=True)
class Explanation:
    """A path between two entities, as steps; ``str()`` gives one sentence per step."""

    steps: tuple[Step, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        return "\n".join(str(step) for step in self.steps)

    def __len__(self) -> int:
        return len(self.steps)


def explain_paths(
    graph: nx.MultiDiGraph[str], start: str, end: str, *, max_paths: int = 3, max_length: int = 4
) -> list[Explanation]:
    """Return up to ``max_paths`` explanations of how node ``start`` links to node ``end``.

    Paths are shortest first, at most ``max_length`` links long; between two nodes joined by
    several edges, each kind of link gives its own explanation (a measured activation and a
    "primary target" are two reasons; several studies' figures are one, told by the highest).
    An empty list means no path within ``max_length``. The search
    looks at the :data:`MAX_CANDIDATES` cheapest paths at most, so that it ends within about
    a second whatever it is asked: ``max_paths`` up to :data:`MAX_PATHS`, ``max_length`` up to
    :data:`MAX_LENGTH`.

    Raises:
        UnknownNameError: ``start`` or ``end`` is not a node of ``graph``.
        InvalidArgumentError: ``max_paths`` or ``max_length`` is not a whole number in range.

    Example:
        >>> explain_paths(nx.MultiDiGraph(), "a", "b", max_paths=0)
        Traceback (most recent call last):
        ...
        glutegraph.errors.InvalidArgumentError: max_paths must be a positive whole number ...

    """
    positive_int(max_paths, "max_paths", maximum=MAX_PATHS)
    positive_int(max_length, "max_length", maximum=MAX_LENGTH)
    for node in (start, end):
        if node not in graph:
            raise UnknownNameError("entity", node)
    usable = [n for n, d in graph.nodes(data=True)
              if d["kind"] not in SKIPPED_KINDS or n in (start, end)]
    simple = nx.Graph(graph.subgraph(usable).to_undirected(as_view=True))
    for u, v, data in simple.edges(data=True):  # a path through a body region says little
        vague = sum(graph.nodes[n]["kind"] == "anatomy" for n in (u, v) if n not in (start, end))
        data["cost"] = 1 + (_MAX_STEP_COST - 1) / 2 * vague
    found: list[Explanation] = []
    try:
        candidates = nx.shortest_simple_paths(simple, start, end, weight="cost")
        for path in islice(candidates, MAX_CANDIDATES):
            cost = sum(simple.edges[u, v]["cost"] for u, v in pairwise(path))
            if cost > _MAX_STEP_COST * max_length:
                break  # paths come cheapest first: none after this one is short enough
            if len(path) - 1 > max_length:
                continue  # a longer but cheaper path can come before a shorter, costlier one
            for explanation in islice(_explanations(graph, path), max_paths - len(found)):
                found.append(explanation)
            if len(found) >= max_paths:
                break
    except nx.NetworkXNoPath:
        return []
    return found


def _explanations(graph: nx.MultiDiGraph[str], path: list[str]) -> Iterator[Explanation]:
    """Yield one explanation per choice of edge at each step, evidence edges first."""
    choices = [_steps_between(graph, a, b) for a, b in pairwise(path)]
    for steps in product(*choices):
        yield Explanation(tuple(steps))


def _steps_between(graph: nx.MultiDiGraph[str], a: str, b: str) -> list[Step]:
    """Return the ways ``a`` and ``b`` are linked; of several figures of one link, the best.

    Several studies' figures for one exercise and muscle are one reason, not several: the
    step keeps the figure ``kg.exercises`` would rank first (:mod:`glutegraph.ranking`: a
    flagged figure last, whatever its value) and says how many figures there are
    (``kg.measurements`` lists them all), so two explanations never tell the same path twice.
    """
    steps = []
    for u, v in ((a, b), (b, a)):
        edges = list((graph.get_edge_data(u, v) or {}).values())
        figures = [d for d in edges if "mean_mvic" in d]
        by_relation: dict[str, list[dict[str, object]]] = {}
        for data in figures:
            by_relation.setdefault(data["label"], []).append(data)
        kept = [d for d in edges if "mean_mvic" not in d]
        counts: dict[int, int] = {}
        for group in by_relation.values():
            best = max(group, key=edge_rank)
            kept.append(best)
            counts[id(best)] = len(group)
        for data in kept:
            detail = edge_detail(data)
            if counts.get(id(data), 1) > 1:
                detail += f"; the best-ranked of {counts[id(data)]} figures"
            steps.append(Step(
                subject=graph.nodes[u]["label"], relation=data["label"],
                object=graph.nodes[v]["label"], detail=detail,
                sources=tuple(data.get("source_labels", ())),
                added_from=tuple(data.get("added_from", ())),
            ))
    steps.sort(key=lambda s: (not s.detail, s.relation))  # measured links first
    return steps
