"""The rdflib store behind the live view: oxrdflib's Oxigraph store, read-only and exact.

:class:`LiveStore` is `oxrdflib <https://github.com/oxigraph/oxrdflib>`_'s ``OxigraphStore``
(the rdflib store plugin "Oxigraph") over the knowledge graph's own ``pyoxigraph.Store``:
nothing is copied, and what :meth:`~glutegraph.graph.KnowledgeGraph.add` writes is seen at
once. It differs from oxrdflib's in four ways:

- **Read-only.** Adding, removing, SPARQL UPDATE, parsing into it: each raises
  :class:`~glutegraph.errors.ReadOnlyError` naming the fix (``kg.add``), because a triple
  written past :meth:`~glutegraph.graph.KnowledgeGraph.add` would skip the shapes, the
  protection of the bundled facts, the rules and the name index.
- **Plain strings stay plain.** Oxigraph gives every simple literal the datatype
  ``xsd:string``; rdflib keeps ``Literal("x")`` and ``Literal("x", datatype=XSD.string)``
  apart (rdflib issue 2123), so SHACL ``sh:in ("mean" "sd")`` failed on oxrdflib's terms.
  Here a simple literal is ``Literal("x")``, as rdflib's own parsers make it.
- **SPARQL as** :meth:`~glutegraph.graph.KnowledgeGraph.query` **reads it**: glutegraph's
  prefixes are declared, SERVICE is refused unless the graph's ``allow_network`` is set, and
  errors are glutegraph's typed ones (:class:`~glutegraph.errors.QuerySyntaxError`, ...).
- **A fast** ``len()``. oxrdflib counts distinct triples with SPARQL each time (20 ms on the
  bundled graph); pyshacl asks thousands of times, which made a validation take 100 s.
  Here the count is kept until the knowledge graph changes.

Example:
    >>> import glutegraph as gg
    >>> kg = gg.load()
    >>> store = LiveStore(kg)
    >>> store.pyoxigraph_store is kg.store
    True

"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import to_ox, to_ox_quad_pattern
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from glutegraph.errors import QueryError, ReadOnlyError
from glutegraph.guards import check_query
from glutegraph.sparql import run
from glutegraph.store import STAGING_GRAPHS

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: What a write through the view raises; the message says how to add data instead.
READ_ONLY = (
    "the rdflib view of the knowledge graph is read-only: add data with kg.add(...) (RDF "
    "files, tables, imports or models), which checks it against the shapes and the protected "
    "facts, derives what the rules derive and updates the names; for a graph of your own to "
    "change freely, take a copy with kg.to_rdflib()"
)


def from_ox(term: Any) -> Any:
    """Return the rdflib term of a pyoxigraph term; a simple literal has no datatype.

    Example:
        >>> from_ox(ox.Literal("mean")) == Literal("mean")
        True
        >>> from_ox(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
        rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))

    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):  # RDF-star, as oxrdflib gives it
        return from_ox(term.subject), from_ox(term.predicate), from_ox(term.object)
    if term is None:
        return None
    raise TypeError(f"unexpected pyoxigraph term {term!r}")


def _graph_name(name: Any, store: LiveStore) -> Graph:
    """Return the rdflib graph (of ``store``) a pyoxigraph graph name stands for."""
    if isinstance(name, ox.DefaultGraph):
        return Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID)
    identifier = URIRef(name.value) if isinstance(name, ox.NamedNode) else BNode(name.value)
    return Graph(store=store, identifier=identifier)


class LiveStore(OxigraphStore):
    """oxrdflib's Oxigraph store over a knowledge graph's own pyoxigraph store, read-only.

    See the module's documentation for how it differs from oxrdflib's store.
    """

    def __init__(self, kg: KnowledgeGraph) -> None:
        if not isinstance(kg.store, ox.Store):
            raise QueryError("a live rdflib store needs the embedded pyoxigraph store, and this "
                             "graph is on a SPARQL endpoint: see kg.rdflib_view() for what to "
                             "use instead")
        super().__init__(store=kg.store)
        self._kg = kg
        self._counts: dict[Any, tuple[int, int]] = {}  # graph -> (changes when counted, n)

    @property
    def pyoxigraph_store(self) -> ox.Store:
        """The knowledge graph's pyoxigraph store this view reads (the same object, no copy)."""
        store = self._inner
        assert isinstance(store, ox.Store)
        return store

    # ---------------------------------------------------------------- writes: refused

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        """Refuse: add data with ``kg.add`` (see :data:`READ_ONLY`)."""
        raise ReadOnlyError(READ_ONLY)

    def addN(self, quads: Iterable[Any]) -> None:  # noqa: N802  (rdflib's name)
        """Refuse: add data with ``kg.add`` (see :data:`READ_ONLY`)."""
        raise ReadOnlyError(READ_ONLY)

    def remove(self, triple: Any, context: Any = None) -> None:
        """Refuse: the knowledge graph never loses facts through a view."""
        raise ReadOnlyError(READ_ONLY)

    def update(self, update: Any, initNs: Any, initBindings: Any,  # noqa: N803
               queryGraph: Any, **kwargs: object) -> None:  # noqa: N803
        """Refuse SPARQL UPDATE, as :meth:`~glutegraph.graph.KnowledgeGraph.query` does."""
        raise ReadOnlyError(READ_ONLY)

    def add_graph(self, graph: Any) -> None:
        """Refuse: named graphs are the store's bookkeeping."""
        raise ReadOnlyError(READ_ONLY)

    def remove_graph(self, graph: Any) -> None:
        """Refuse: named graphs are the store's bookkeeping."""
        raise ReadOnlyError(READ_ONLY)

    def destroy(self, configuration: str) -> None:
        """Refuse: the store's folder belongs to the knowledge graph."""
        raise ReadOnlyError(READ_ONLY)

    def close(self, commit_pending_transaction: bool = False) -> None:
        """Do nothing: the store stays open for the knowledge graph (oxrdflib's would drop it)."""

    # ---------------------------------------------------------------- reads

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        """Yield the triples matching a pattern, each with the graph it is in."""
        try:
            pattern = to_ox_quad_pattern(triple_pattern, context)
        except (TypeError, ValueError):  # a term Oxigraph cannot hold matches nothing
            return iter(())
        return (
            ((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)),
             iter((_graph_name(q.graph_name, self),)))
            for q in self.pyoxigraph_store.quads_for_pattern(*pattern)
            if q.graph_name not in STAGING_GRAPHS  # an addition being checked: not yet added
        )

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        """Yield the graphs (of ``triple``), without an addition being checked (not added yet)."""
        yield from (g for g in super().contexts(triple)
                    if to_ox(g.identifier) not in STAGING_GRAPHS)

    def __len__(self, context: Any = None) -> int:
        """Return the number of triples in ``context`` (all graphs' distinct triples if None)."""
        key = None if context is None else to_ox(context)
        assert isinstance(key, ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None)
        changes = self._kg._changes
        known = self._counts.get(key)
        if known is not None and known[0] == changes:
            return known[1]
        if key is None:
            answer = self.pyoxigraph_store.query(
                "SELECT (COUNT(DISTINCT TRIPLE(?s, ?p, ?o)) AS ?c) { ?s ?p ?o }",
                use_default_graph_as_union=True)
        else:  # the triples of one graph are distinct already
            answer = self.pyoxigraph_store.query("SELECT (COUNT(*) AS ?c) { ?s ?p ?o }",
                                                 default_graph=key)
        assert isinstance(answer, ox.QuerySolutions)
        count = int(next(answer)[0].value)
        self._counts[key] = (changes, count)
        return count

    def query(self, query: Any, initNs: Mapping[str, Any],  # noqa: N803  (rdflib's names)
              initBindings: Mapping[Any, Any], queryGraph: Any,  # noqa: N803
              **kwargs: object) -> Result:
        """Run SPARQL on the default graph with Oxigraph, as ``kg.query`` reads it.

        The text is held to :func:`glutegraph.guards.check_query`'s limits first (length,
        nesting, operators: :class:`~glutegraph.errors.QueryTooComplexError`). A parsed
        query, extra arguments, another query graph (a ``Dataset`` with its default
        union) or ``initBindings`` for a variable the query does not return (Oxigraph binds
        only those) raise ``NotImplementedError``, which makes rdflib run its own SPARQL
        engine over :meth:`triples`: slower, with the same answer.
        """
        if isinstance(query, str):  # the limits of kg.query: deep nesting would overflow
            check_query(query)        # the parser's stack and end the process
        default = queryGraph == DATASET_DEFAULT_GRAPH_ID or (
            isinstance(queryGraph, Graph) and queryGraph.identifier == DATASET_DEFAULT_GRAPH_ID)
        if not isinstance(query, str) or kwargs or not default:
            raise NotImplementedError("answered by rdflib's engine")
        try:
            raw = run(self.pyoxigraph_store, query,
                      {str(k): to_ox(v) for k, v in initBindings.items()},
                      allow_network=self._kg.allow_network,
                      prefixes={p: str(ns) for p, ns in initNs.items()})
        except QueryError as exc:
            # Oxigraph binds only variables the query returns; rdflib binds any (as VALUES)
            if initBindings and "SELECT projection" in str(exc):
                raise NotImplementedError("answered by rdflib's engine") from exc
            raise
        if isinstance(raw, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(raw)
        elif isinstance(raw, ox.QuerySolutions):
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in raw.variables]
            out.bindings = [_row(out.vars, solution) for solution in raw]
        else:
            out = Result("CONSTRUCT")
            out.graph = Graph()
            for triple in raw:
                out.graph.add((from_ox(triple.subject), from_ox(triple.predicate),
                               from_ox(triple.object)))
        return out


def _row(variables: list[Variable], solution: ox.QuerySolution) -> dict[Variable, Identifier]:
    """Return one solution as rdflib binds it: {variable: term} for the bound variables."""
    return {v: from_ox(t) for v, t in zip(variables, solution, strict=True) if t is not None}
