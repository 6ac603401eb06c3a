"""The staging graph: an addition seen together with the graph, inside the store, unseen by others.

While an addition is checked, its triples (and what the rules derive from them) sit in the
named graph ``urn:glutegraph:staging``, and the nodes they touch in ``urn:glutegraph:focus``
(:data:`glutegraph.store.STAGING_GRAPHS`). :attr:`Staging.graph` reads the store's default
graph and the staging graph as one; :attr:`Staging.before` the default graph alone. No copy
of the graph is made.

Nobody else sees the staged triples: they are not in the default graph, which is what
every query, export and server reads; :func:`glutegraph.sparql.run` and the rdflib view
leave both graphs out of the named graphs they list; the graphs are removed when the check
ends, whatever happens (:func:`staged`); and :func:`glutegraph.store.open_store` removes
them if a killed process left them in a folder.

Example:
    >>> import pyoxigraph as ox
    >>> from glutegraph.store import open_store
    >>> store = open_store()
    >>> x = ox.Quad(ox.NamedNode("https://example.org/x"),
    ...             ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("x"))
    >>> with staged(store) as staging:
    ...     added = staging.stage([x])
    ...     x in staging.graph.quads_for_pattern(None, None, None, ox.DefaultGraph()), x in store
    (True, False)
    >>> store.contains_named_graph(STAGING)
    False

"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyoxigraph as ox

from glutegraph.store import STAGING_GRAPHS, drop_staging, write_step

__all__ = ["FOCUS", "STAGING", "GraphView", "Staging", "focus_pattern", "staged"]

#: The named graph of the staged triples.
STAGING = STAGING_GRAPHS[0]
#: The named graph of the focus nodes, each stated as ``node FOCUS node``.
FOCUS = STAGING_GRAPHS[1]
#: One staged addition per process at a time: the staging graphs have one name.
_ONE_AT_A_TIME = threading.Lock()

Triple = ox.Quad | ox.Triple


def focus_pattern(variable: str) -> str:
    """Return the SPARQL pattern that binds ``?variable`` to each focus node (blank nodes too).

    Example:
        >>> focus_pattern("m")
        'GRAPH <urn:glutegraph:focus> { ?m <urn:glutegraph:focus> ?m }'

    """
    return f"GRAPH {FOCUS} {{ ?{variable} {FOCUS} ?{variable} }}"


class GraphView:
    """A store read with another default graph (a :class:`~glutegraph.sparql.Backend`).

    Example:
        >>> from glutegraph.store import open_store
        >>> view = GraphView(open_store(), [ox.DefaultGraph()])
        >>> bool(view.query("ASK { ?m a <https://w3id.org/glutegraph/ontology/Muscle> }"))
        True

    """

    def __init__(self, store: ox.Store,
                 default: Sequence[ox.DefaultGraph | ox.NamedNode | ox.BlankNode]) -> None:
        self.store = store
        self.default: list[ox.DefaultGraph | ox.NamedNode | ox.BlankNode] = list(default)

    def query(self, query: str, *, prefixes: Any = None, substitutions: Any = None) -> Any:
        """Run a SPARQL query with this view's default graph (the named graphs all visible)."""
        return self.store.query(query, prefixes=prefixes, substitutions=substitutions,
                                default_graph=self.default)

    def quads_for_pattern(self, subject: Any, predicate: Any, object: Any,
                          graph_name: Any) -> Iterator[ox.Quad]:
        """Yield the quads matching a pattern; those of this view's default graph as default."""
        if not isinstance(graph_name, ox.DefaultGraph):
            yield from self.store.quads_for_pattern(subject, predicate, object, graph_name)
            return
        for graph in self.default:
            for q in self.store.quads_for_pattern(subject, predicate, object, graph):
                yield q if graph == ox.DefaultGraph() else ox.Quad(
                    q.subject, q.predicate, q.object, ox.DefaultGraph())


class Staging:
    """An addition being checked in ``store`` (made by :func:`staged`)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        #: The graph with the addition (its default graph and the staged triples, as one).
        self.graph = GraphView(store, [ox.DefaultGraph(), STAGING])
        #: The graph without it (the default graph alone).
        self.before = GraphView(store, [ox.DefaultGraph()])
        self._staged = 0  # triples staged so far

    def stage(self, triples: Iterable[Triple]) -> list[ox.Triple]:
        """Stage the triples that the graph with the addition does not hold yet; return them.

        Each is staged once, so a query over :attr:`graph` never counts a triple twice.
        """
        new: dict[ox.Triple, None] = {}
        store, default, staged = self.store, ox.DefaultGraph(), self._staged
        for t in triples:
            s, p, o = t.subject, t.predicate, t.object
            triple = ox.Triple(s, p, o)
            if triple in new or ox.Quad(s, p, o, default) in store or (
                    staged and ox.Quad(s, p, o, STAGING) in store):
                continue
            new[triple] = None
        if new:
            write_step("stage")
            store.extend([ox.Quad(t.subject, t.predicate, t.object, STAGING) for t in new])
            self._staged += len(new)
        return list(new)

    def focus_on(self, triples: Iterable[Triple]) -> int:
        """Make the subjects of ``triples`` the focus nodes (each rule and check binds a subject).

        Returns:
            how many nodes are in focus.

        """
        nodes: dict[ox.NamedNode | ox.BlankNode, None] = {}
        for t in triples:
            if isinstance(t.subject, ox.NamedNode | ox.BlankNode):
                nodes[t.subject] = None
        write_step("focus")
        self.store.remove_graph(FOCUS)
        self.store.extend(ox.Quad(n, FOCUS, n, FOCUS) for n in nodes)
        return len(nodes)


@contextlib.contextmanager
def staged(store: ox.Store) -> Iterator[Staging]:
    """Stage an addition in ``store`` for the ``with`` block; the staging graphs go at its end.

    They go whatever happens in the block (a refusal, an error); only a killed process
    leaves them, and the next :func:`~glutegraph.store.open_store` of the folder removes them.
    """
    with _ONE_AT_A_TIME:
        drop_staging(store)
        try:
            yield Staging(store)
        finally:
            drop_staging(store)
