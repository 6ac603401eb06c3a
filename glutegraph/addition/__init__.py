"""Checking an addition at the cost of the addition: no copy of the graph.

:meth:`glutegraph.KnowledgeGraph.add` reads the files, then, before anything is added:

1. **stages** their triples in a named graph of the store itself
   (:func:`~glutegraph.addition.staging.staged`): queries read the graph and the staged
   triples together as one default graph, nothing is copied, and nobody else sees them;
2. runs the **rules** only where the new triples can make them fire
   (:func:`~glutegraph.addition.focus.derive_addition`), round after round, to the fixpoint
   that :func:`glutegraph.store.derive_triples` reaches on the whole graph;
3. runs each **quality check** only on the nodes the addition and its derived triples touch,
   on the graph with them and without them (:func:`~glutegraph.addition.focus.addition_violations`):
   a file is refused for the violations it brings, not for ones the graph had before.

Each rule and check file says where a focus binds it: its lines ending in
``# only with ?x`` hold ``VALUES ?x { UNDEF }`` slots (see :func:`glutegraph.sparql.keep_lines`).
On the whole graph those lines are left out; focused, every slot is bound to the focus nodes.

Example:
    >>> import pyoxigraph as ox
    >>> from glutegraph.addition import derive_addition, staged
    >>> from glutegraph.store import open_store
    >>> store, gg = open_store(), "https://w3id.org/glutegraph/ontology/"
    >>> figure = ox.Quad(ox.NamedNode("https://example.org/m"),
    ...                  ox.NamedNode(gg + "meanPercentMVIC"), ox.Literal(75.0))
    >>> with staged(store) as staging:
    ...     [level] = derive_addition(staging, staging.stage([figure]))
    >>> level.object.value.removeprefix(gg)
    'VeryHighActivation'

"""

from glutegraph.addition.focus import addition_violations, derive_addition, focused
from glutegraph.addition.staging import GraphView, Staging, staged

__all__ = ["GraphView", "Staging", "addition_violations", "derive_addition", "focused", "staged"]
