"""A short summary of the bundled graph: sizes by kind, and a few answers.

Example:
    >>> from glutegraph.summary import graph_counts
    >>> counts = graph_counts()
    >>> counts["muscles"] >= 10
    True

"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glutegraph.namespaces import sparql_prologue

if TYPE_CHECKING:
    from rdflib import Graph

#: Kind shown in the summary -> the gg: class counted (with its subclasses).
COUNTED_CLASSES: dict[str, str] = {
    "muscles": "gg:Muscle",
    "muscle regions": "gg:MuscleRegion",
    "muscle groups": "gg:MuscleGroup",
    "nerves": "gg:Nerve",
    "joint actions": "gg:JointAction",
    "action contributions": "gg:ActionContribution",
    "exercises": "gg:Exercise",
    "conditions": "gg:Condition",
    "diagnostic tests": "gg:DiagnosticTest",
    "treatments": "gg:Treatment",
    "studies": "gg:Study",
    "activation measurements": "gg:ActivationMeasurement",
    "other findings": "gg:Finding",
    "claims": "gg:Claim",
}


def graph_counts(graph: Graph | None = None) -> dict[str, int]:
    """Return the number of triples and of entities of each kind in ``graph`` (default: bundled).

    Example:
        >>> graph_counts()["triples"] > 4000
        True

    """
    from rdflib import Variable

    from glutegraph.rdf import load_rdflib

    graph = load_rdflib() if graph is None else graph
    counts = {"triples": len(graph)}
    query = sparql_prologue() + (
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* ?cls }"
    )
    for kind, curie in COUNTED_CLASSES.items():
        cls = graph.namespace_manager.expand_curie(curie)
        row = next(iter(graph.query(query, initBindings={Variable("cls"): cls})))
        counts[kind] = int(row[0])  # type: ignore[index,arg-type]
    return counts


def format_summary(graph: Graph | None = None) -> str:
    """Return the tour text: graph size and three sample answers."""
    from glutegraph.rdf import load_rdflib

    graph = load_rdflib() if graph is None else graph
    lines = ["glutegraph: a knowledge graph of the gluteal muscles", ""]
    lines += [f"  {kind:<24}{n:>6}" for kind, n in graph_counts(graph).items()]
    lines += ["", "Which exercises activate the upper gluteus maximus most (mean %MVIC)?"]
    for row in graph.query(sparql_prologue() + _TOP_UPPER_GLUTES):
        lines.append(f"  {row.exercise:<28} {float(row.mean):6.1f}  ({row.study}, {row.load})")  # type: ignore[union-attr]
    lines += ["", "Which article claims does the evidence correct or not support?"]
    for row in graph.query(sparql_prologue() + _CORRECTED_CLAIMS):
        lines.append(f"  [{row.verdict}] {row.claim}")  # type: ignore[union-attr]
    return "\n".join(lines)


_TOP_UPPER_GLUTES = """
SELECT ?exercise ?mean ?study ?load WHERE {
  ?m a gg:ActivationMeasurement ; gg:muscle kb:gluteus_maximus_upper ; gg:meanPercentMVIC ?mean ;
     gg:exercise/rdfs:label ?exercise ; gg:reportedBy/rdfs:label ?study ; gg:load ?load .
} ORDER BY DESC(?mean)
"""

_CORRECTED_CLAIMS = """
SELECT ?claim ?verdict WHERE {
  ?c a gg:Claim ; rdfs:label ?claim ; gg:verdict/rdfs:label ?verdict .
  FILTER EXISTS { ?c gg:verdict ?v . FILTER(?v IN (gg:Corrected, gg:NotSupported)) }
} ORDER BY ?verdict ?claim
"""
