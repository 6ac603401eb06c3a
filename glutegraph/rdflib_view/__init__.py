"""rdflib on the live graph: an rdflib ``Graph`` over the knowledge graph's own store, no copy.

:func:`rdflib_view` (also :meth:`KnowledgeGraph.rdflib_view
<glutegraph.graph.KnowledgeGraph.rdflib_view>`) gives an rdflib graph whose store is the
knowledge graph's pyoxigraph store, through oxrdflib's Oxigraph store plugin
(:class:`~glutegraph.rdflib_view.store.LiveStore`). rdflib code, its SPARQL and SHACL tools
such as pyshacl run on the live graph, and what ``kg.add`` adds later is in the view at once.

What it holds: the store's default graph, which is what :meth:`KnowledgeGraph.query
<glutegraph.graph.KnowledgeGraph.query>` reads: the asserted facts and what the rules derived.
A derived fact also has a copy in the named graph ``urn:glutegraph:derived``
(:data:`glutegraph.store.DERIVED_GRAPH`), so SPARQL on the view can leave the derived facts
out with ``FILTER NOT EXISTS { GRAPH <urn:glutegraph:derived> { ?s ?p ?o } }``.

What it refuses: every write. Data goes in through ``kg.add``, which checks it; a write through
the view raises :class:`~glutegraph.errors.ReadOnlyError` saying so.

Its SPARQL runs in this process, with glutegraph's prefixes and no SERVICE unless
``kg.allow_network``, but without ``kg.query``'s time and memory limits: use ``kg.query`` for
queries you did not write.

Example:
    >>> import glutegraph as gg
    >>> kg = gg.load()
    >>> view = rdflib_view(kg)
    >>> [str(row.n) for row in view.query(
    ...     "SELECT ?n WHERE { kb:gluteus_maximus gg:innervatedBy ?n }")]
    ['https://w3id.org/glutegraph/kb/inferior_gluteal_nerve']
    >>> view.store.pyoxigraph_store is kg.store      # the same store: nothing was copied
    True

"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from glutegraph.errors import QueryError
from glutegraph.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

    from glutegraph.graph import KnowledgeGraph

__all__ = ["rdflib_view"]


def rdflib_view(kg: KnowledgeGraph) -> Graph:
    """Return a read-only rdflib ``Graph`` over ``kg``'s own store: live, nothing copied.

    Raises:
        QueryError: ``kg`` is on a remote endpoint (the view needs the embedded store), or
            ``kg.inferred`` is False (the view holds the derived facts, as ``kg.query`` sees
            them by default).

    Example:
        >>> import glutegraph as gg
        >>> len(rdflib_view(gg.load())) > 4000
        True

    """
    if not isinstance(kg.store, ox.Store):
        raise QueryError(
            "the live rdflib view needs the embedded store, and this graph is on a SPARQL "
            "endpoint: query it with kg.query(...), take a copy with kg.to_rdflib(), or give "
            "rdflib the endpoint itself: rdflib.Graph(rdflib.plugins.stores.sparqlstore."
            "SPARQLStore(URL))"
        )
    if not kg.inferred:
        raise QueryError(
            "the live rdflib view holds the derived facts too (the store's default graph, "
            "which kg.query reads with kg.inferred = True), but kg.inferred is False: set it "
            "back to True and leave the derived facts out in SPARQL with FILTER NOT EXISTS "
            "{ GRAPH <urn:glutegraph:derived> { ?s ?p ?o } }, or query with kg.query(...)"
        )
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from glutegraph.rdflib_view.store import LiveStore

    graph = Graph(store=LiveStore(kg), identifier=DATASET_DEFAULT_GRAPH_ID,
                  bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph
