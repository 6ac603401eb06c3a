"""The graph as networkx: entities as nodes, links and evidence as edges, focused views, exports.

:func:`to_networkx` turns a :class:`~glutegraph.graph.KnowledgeGraph` into a
``networkx.MultiDiGraph``:

- **nodes** are the entities (muscles and their regions and groups, joint actions, joints,
  nerves, exercises, equipment, conditions, symptoms, risk factors, treatments, tests, the
  article's claims, and anatomical sites), keyed by IRI, with ``kind``, ``label``, ``iri``,
  ``curie``, ``definition``, ``synonyms`` (the names it is also called by, when it has any) and
  vocabulary attributes such as ``difficulty``;
- **edges** are the direct links between them (``relation`` is the property's CURIE, ``label``
  its name, ``sources`` the subject's sources), plus the evidence nodes turned into edges:
  a muscle *produces* an action (role, hip position), an exercise *activates* a muscle (mean
  %MVIC, SD, peak, n, the ``study`` that reported it and ``quality_concern`` when the figure
  carries one), a treatment *treats* a condition (strength of evidence), a test *detects* a
  condition (sensitivity, specificity), each with its own sources.

Every edge has ``added_from``: the files added with :meth:`~glutegraph.KnowledgeGraph.add`
that stated it (absolute paths; empty for a bundled link), so that an added fact is never
shown with the bundled citations alone.

Studies and reference works are not nodes: they are the ``sources`` of the edges.

Example:
    >>> import glutegraph as gg
    >>> g = to_networkx(gg.load())
    >>> g.nodes[str(gg.KB.gluteus_medius)]["kind"]
    'muscle'
    >>> hit = [d for _, _, d in g.edges(str(gg.KB.barbell_hip_thrust), data=True)
    ...        if d["relation"] == "activates" and d["target_label"] == "lower gluteus maximus"]
    >>> hit[0]["mean_mvic"], hit[0]["source_labels"]
    (86.8, ['Contreras 2015, J Appl Biomech'])

"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from glutegraph.errors import AmbiguousNameError, QueryError, UnknownNameError
from glutegraph.names import normalise
from glutegraph.namespaces import GG, PREFIXES
from glutegraph.sparql import iterate, named_query
from glutegraph.terms import curie

if TYPE_CHECKING:
    from rdflib import Graph

    from glutegraph.graph import KnowledgeGraph

__all__ = [
    "KIND_OF_CLASS",
    "condition_subgraph",
    "edge_detail",
    "exercise_muscle_graph",
    "export",
    "find_node",
    "muscle_action_graph",
    "neighbourhood",
    "to_networkx",
    "to_rdf",
]

#: gg: class (local name) -> the node kind it becomes.
KIND_OF_CLASS: dict[str, str] = {
    "Muscle": "muscle",
    "MuscleRegion": "muscle",
    "MuscleGroup": "muscle",
    "JointAction": "action",
    "Joint": "joint",
    "Nerve": "nerve",
    "SpinalNerveRoot": "nerve",
    "Exercise": "exercise",
    "Equipment": "equipment",
    "Condition": "condition",
    "Symptom": "symptom",
    "RiskFactor": "risk factor",
    "Treatment": "treatment",
    "DiagnosticTest": "test",
    "Claim": "claim",
    "Bone": "anatomy",
    "BonyLandmark": "anatomy",
    "BodyRegion": "anatomy",
    "SoftTissueAttachment": "anatomy",
}

#: The evidence-edge relation -> the gg: class of the evidence node and its two link properties.
EVIDENCE_EDGES: dict[str, tuple[str, str, str]] = {
    "produces": ("ActionContribution", "contributor", "action"),
    "activates": ("ActivationMeasurement", "exercise", "muscle"),
    "treats": ("TreatmentEvidence", "treatment", "condition"),
    "detects (measured accuracy)": ("DiagnosticAccuracy", "test", "condition"),
}

def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph[str]:
    """Return the knowledge graph as a networkx MultiDiGraph (see the module docstring).

    Its three named queries run in this process (they are glutegraph's own text) and their
    solutions are read by position; most of the time goes to the queries themselves
    (``benchmarks/bench_network.py`` prints both).

    Example:
        >>> import glutegraph as gg
        >>> g = to_networkx(gg.load())
        >>> sorted({d["kind"] for _, d in g.nodes(data=True)})[:4]
        ['action', 'anatomy', 'claim', 'condition']

    """
    with _collector_paused():
        return _build(kg)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building (it is restored after).

    Building a graph allocates hundreds of thousands of dicts and lists and no cycles to free;
    each allocation burst would start a collection that walks every object built so far
    (about 15% of ``to_networkx`` at 1e5 triples).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(kg: KnowledgeGraph) -> nx.MultiDiGraph[str]:
    """Build the MultiDiGraph of :func:`to_networkx` from its three named queries."""
    labels = kg.names.labels
    synonyms = kg.names.synonyms
    short = _Curies()
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="glutegraph")
    label_of: dict[str, str] = {}  # node -> label: a plain dict is faster than graph.nodes
    for node_term, class_term, *rest in iterate(kg.store, named_query("network_nodes")):
        node = node_term.value
        klass = class_term.value
        if node in label_of:  # a second class of the same entity
            graph.nodes[node]["classes"].append(short(klass))
            continue
        label_of[node] = rest[0].value
        attributes: dict[str, Any] = {
            "kind": KIND_OF_CLASS[klass.removeprefix(str(GG))], "label": label_of[node],
            "iri": node, "curie": short(node), "classes": [short(klass)],
        }
        for name, term in zip(_NODE_TEXTS, rest[1:], strict=True):
            if term is not None:
                attributes[name] = term.value
        if synonyms.get(node):
            attributes["synonyms"] = list(synonyms[node])
        graph.add_node(node, **attributes)

    origins = kg.origins()
    # a relation and its sources repeat on many links: their CURIEs and labels are read once
    link_texts: dict[tuple[str, str | None], tuple[str, str, tuple[str, ...], tuple[str, ...]]]
    link_texts = {}
    for s_term, p_term, o_term, sources_term in iterate(kg.store, named_query("network_links")):
        s, o = s_term.value, o_term.value
        if s not in label_of or o not in label_of:
            continue
        p = p_term.value
        sources_text = None if sources_term is None else sources_term.value
        texts = link_texts.get((p, sources_text))
        if texts is None:
            sources = sources_text.split() if sources_text is not None else []
            texts = link_texts[p, sources_text] = (
                short(p), labels.get(p) or short(p), tuple(short(x) for x in sources),
                tuple(labels.get(x) or short(x) for x in sources))
        relation, label, source_curies, source_labels = texts
        graph.add_edge(
            s, o, key=relation, relation=relation, label=label, sources=list(source_curies),
            source_labels=list(source_labels), target_label=label_of[o],
            added_from=list(origins.of_triple(s, p, o)),
        )

    for solution in iterate(kg.store, named_query("network_evidence")):
        (evidence_term, relation, from_term, to_term, role, position, mean, sd, peak, n, study,
         flagged, strength, sensitivity, specificity, sources_term) = solution
        source, target = from_term.value, to_term.value
        if source not in label_of or target not in label_of:
            continue
        evidence = evidence_term.value
        sources = sources_term.value.split() if sources_term is not None else []
        attributes = {
            "relation": relation.value, "label": relation.value, "evidence": short(evidence),
            "sources": [short(x) for x in sources],
            "source_labels": [labels.get(x) or short(x) for x in sources],
            "target_label": label_of[target],
            "added_from": list(origins.of_subject(evidence)),
        }
        for name, term in (("mean_mvic", mean), ("sd_mvic", sd), ("peak_mvic", peak),
                           ("sensitivity", sensitivity), ("specificity", specificity)):
            if term is not None:
                attributes[name] = float(term.value)
        for name, term in (("role", role), ("position", position), ("strength", strength)):
            if term is not None:
                attributes[name] = term.value
        if n is not None:
            attributes["n"] = int(n.value)
        if study is not None:
            attributes["study"] = short(study.value)
            attributes["study_label"] = labels.get(study.value) or short(study.value)
        if flagged is not None and flagged.value == "true":
            attributes["quality_concern"] = True
        graph.add_edge(source, target, key=short(evidence), **attributes)
    return graph


#: The optional texts of ``network_nodes.rq`` after ?label, in its SELECT order.
_NODE_TEXTS = ("definition", "difficulty", "laterality", "evidence_status", "verdict")


class _Curies(dict[str, str]):
    """:func:`glutegraph.terms.curie`, remembered per IRI for one conversion (IRIs repeat)."""

    def __call__(self, iri: str) -> str:
        found = self.get(iri)
        if found is None:
            found = self[iri] = curie(iri)
        return found


# ---------------------------------------------------------------------- focused views


def find_node(graph: nx.MultiDiGraph[str], name: str) -> str:
    """Return the node a label, CURIE or IRI names (case-insensitive on labels).

    Raises:
        UnknownNameError: no node has that name (nearest labels suggested).
        AmbiguousNameError: more than one node has that label.

    Example:
        >>> import glutegraph as gg
        >>> find_node(to_networkx(gg.load()), "Gluteus Medius")
        'https://w3id.org/glutegraph/kb/gluteus_medius'

    """
    if name in graph:
        return name
    wanted = normalise(name)  # compared the way the name index compares names
    found = [n for n, d in graph.nodes(data=True)
             if wanted in (normalise(d["label"]), normalise(d["curie"]))]
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousNameError(name, [f"{graph.nodes[n]['label']} ({n})" for n in found])
    import difflib

    labels = [d["label"] for _, d in graph.nodes(data=True)]
    raise UnknownNameError("node", name, difflib.get_close_matches(name, labels, n=2))


def neighbourhood(graph: nx.MultiDiGraph[str], name: str, depth: int = 1) -> nx.MultiDiGraph[str]:
    """Return the entities within ``depth`` links of one entity (links followed both ways).

    Example:
        >>> import glutegraph as gg
        >>> g = neighbourhood(to_networkx(gg.load()), "piriformis syndrome")
        >>> "FAIR test" in {d["label"] for _, d in g.nodes(data=True)}
        True

    """
    if depth < 0:
        raise QueryError(f"depth must be 0 or more, not {depth}")
    centre = find_node(graph, name)
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre,
                                                 cutoff=depth)
    return graph.subgraph(near).copy()


def exercise_muscle_graph(graph: nx.MultiDiGraph[str]) -> nx.Graph[str]:
    """Return the bipartite exercise-muscle graph weighted by measured activation.

    An edge's ``weight`` is the highest mean %MVIC measured for that pair, ``measurements``
    every (mean %MVIC, sources) measured; nodes have ``bipartite`` 0 (exercises) or 1 (muscles).

    Example:
        >>> import glutegraph as gg
        >>> b = exercise_muscle_graph(to_networkx(gg.load()))
        >>> hip_thrust, lower = str(gg.KB.barbell_hip_thrust), str(gg.KB.gluteus_maximus_lower)
        >>> b.edges[hip_thrust, lower]["weight"]
        86.8

    """
    bipartite: nx.Graph[str] = nx.Graph(name="exercise-muscle activation")
    for exercise, muscle, data in graph.edges(data=True):
        if data["relation"] != "activates" or "mean_mvic" not in data:
            continue
        for node, side in ((exercise, 0), (muscle, 1)):
            bipartite.add_node(node, **graph.nodes[node], bipartite=side)
        measured = (data["mean_mvic"], data["source_labels"])
        if bipartite.has_edge(exercise, muscle):
            edge = bipartite.edges[exercise, muscle]
            edge["measurements"].append(measured)
            edge["weight"] = max(edge["weight"], data["mean_mvic"])
        else:
            bipartite.add_edge(exercise, muscle, weight=data["mean_mvic"], measurements=[measured])
    return bipartite


def muscle_action_graph(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """Return muscles and joint actions with the "produces" edges (role, hip position, sources).

    Example:
        >>> import glutegraph as gg
        >>> g = muscle_action_graph(to_networkx(gg.load()))
        >>> sorted({d["kind"] for _, d in g.nodes(data=True)})
        ['action', 'muscle']

    """
    edges = [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
             if d["relation"] == "produces"]
    return graph.edge_subgraph(edges).copy()  # type: ignore[arg-type]  # keyed edges: (u, v, k)


def condition_subgraph(graph: nx.MultiDiGraph[str], name: str) -> nx.MultiDiGraph[str]:
    """Return a condition with what surrounds it: symptoms, tests, treatments, structures.

    Kept: the condition's symptoms, tests, treatments and risk factors, the structures it
    involves, the nerves of those muscles and what the involved nerves supply.

    Example:
        >>> import glutegraph as gg
        >>> g = condition_subgraph(to_networkx(gg.load()), "piriformis syndrome")
        >>> names = {d["label"] for _, d in g.nodes(data=True)}
        >>> {"piriformis", "sciatic nerve", "FAIR test"} <= names
        True

    """
    centre = find_node(graph, name)
    if graph.nodes[centre]["kind"] != "condition":
        raise UnknownNameError("condition", name)
    keep = {centre}
    for u, v in list(graph.in_edges(centre)) + list(graph.out_edges(centre)):
        other = v if u == centre else u
        if graph.nodes[other]["kind"] not in ("claim", "exercise"):
            keep.add(other)
    for node in list(keep):
        if graph.nodes[node]["kind"] in ("muscle", "nerve"):
            keep.update(v for _, v, d in graph.out_edges(node, data=True)
                        if d["relation"] == "gg:innervatedBy")
            keep.update(u for u, _, d in graph.in_edges(node, data=True)
                        if d["relation"] == "gg:innervatedBy")
    return graph.subgraph(keep).copy()


def edge_detail(data: dict[str, Any]) -> str:
    """Return what an evidence edge measured, in words ("86.8 %MVIC mean, n=13").

    A figure with only a peak says so, and a figure with a quality concern is marked (such
    figures rank last, see :mod:`glutegraph.ranking`).

    Example:
        >>> edge_detail({"mean_mvic": 86.8, "n": 13, "sources": []})
        '86.8 %MVIC mean, n=13'
        >>> edge_detail({"mean_mvic": 222.9, "n": 17, "quality_concern": True})
        '222.9 %MVIC mean, n=17, quality concern'
        >>> edge_detail({"peak_mvic": 103.0, "n": 24})
        'peak 103 %MVIC, n=24'

    """
    parts = []
    if "mean_mvic" in data:
        parts.append(f"{data['mean_mvic']:g} %MVIC mean")
    elif "peak_mvic" in data:
        parts.append(f"peak {data['peak_mvic']:g} %MVIC")
    if "n" in data:
        parts.append(f"n={data['n']}")
    for name in ("role", "position", "strength"):
        if name in data:
            parts.append(str(data[name]))
    if "sensitivity" in data and "specificity" in data:
        parts.append(f"sensitivity {data['sensitivity']:g}, specificity {data['specificity']:g}")
    if data.get("quality_concern"):
        parts.append("quality concern")
    return ", ".join(parts)


# ---------------------------------------------------------------------- back to RDF, exports


def to_rdf(graph: nx.MultiDiGraph[str]) -> Graph:
    """Return the RDF a networkx graph made by :func:`to_networkx` stands for (an rdflib graph).

    Nodes give their classes and labels; direct edges give their triple; evidence edges give
    back their evidence node (class, the two links, the figures and the sources). Nodes and
    edges added by hand come back too when they carry ``iri``/``classes``/``label`` and a
    ``relation`` CURIE or IRI.

    Example:
        >>> import glutegraph as gg
        >>> from rdflib import URIRef
        >>> rdf = to_rdf(to_networkx(gg.load()))
        >>> (URIRef(gg.KB.gluteus_maximus), URIRef(gg.GG.innervatedBy),
        ...  URIRef(gg.KB.inferior_gluteal_nerve)) in rdf
        True

    """
    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import DCTERMS, XSD

    from glutegraph.rdf import new_graph
    from glutegraph.terms import expand

    def ref(name: str) -> URIRef:
        return URIRef(expand(name) or name)

    rdf = new_graph()
    for node, data in graph.nodes(data=True):
        for cls in data.get("classes", []):
            rdf.add((URIRef(node), RDF.type, ref(cls)))
        if "label" in data:
            rdf.add((URIRef(node), RDFS.label, Literal(data["label"], lang="en")))
    for u, v, data in graph.edges(data=True):
        relation = data.get("relation")
        if relation in EVIDENCE_EDGES and "evidence" in data:
            cls, from_link, to_link = EVIDENCE_EDGES[relation]
            evidence = ref(data["evidence"])
            rdf.add((evidence, RDF.type, _gg(cls)))
            rdf.add((evidence, _gg(from_link), URIRef(u)))
            rdf.add((evidence, _gg(to_link), URIRef(v)))
            for name, prop in (("mean_mvic", "meanPercentMVIC"), ("sd_mvic", "sdPercentMVIC"),
                               ("peak_mvic", "peakPercentMVIC"), ("sensitivity", "sensitivity"),
                               ("specificity", "specificity")):
                if name in data:
                    rdf.add((evidence, _gg(prop),
                             Literal(Decimal(str(data[name])), datatype=XSD.decimal)))
            if "n" in data:
                rdf.add((evidence, _gg("sampleSize"), Literal(data["n"], datatype=XSD.integer)))
            if "study" in data:
                rdf.add((evidence, _gg("reportedBy"), ref(data["study"])))
            for source in data.get("sources", []):
                rdf.add((evidence, DCTERMS.source, ref(source)))
        elif relation:
            rdf.add((URIRef(u), ref(relation), URIRef(v)))
    return rdf


def _gg(local: str) -> Any:
    """Return an rdflib URIRef in the gg: namespace."""
    from rdflib import URIRef

    return URIRef(PREFIXES["gg"] + local)


def export(graph: nx.Graph[str], path: Path | str, fmt: str | None = None) -> Path:
    """Write a networkx graph as GraphML, GEXF or node-link JSON (by ``fmt`` or the suffix).

    Lists become ``; ``-joined strings in GraphML and GEXF, which hold only plain values;
    Gephi and Cytoscape open all three.

    Example:
        >>> import tempfile, glutegraph as gg
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     written = export(to_networkx(gg.load()), f"{folder}/glutegraph.graphml")
        ...     written.suffix, written.stat().st_size > 10_000
        ('.graphml', True)

    """
    path = Path(path)
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen == "graphml":
        nx.write_graphml(_plain(graph), path)
    elif chosen == "gexf":
        nx.write_gexf(_plain(graph), path)
    elif chosen in ("json", "node-link"):
        data = nx.node_link_data(graph, edges="links")
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    else:
        raise QueryError(f"cannot export to {chosen!r}: use graphml, gexf or json")
    return path


def _plain(graph: nx.Graph[str]) -> nx.Graph[str]:
    """Return a copy whose attribute values are all strings, numbers or booleans."""
    copy = graph.copy()

    def flatten(data: dict[str, Any]) -> None:
        for key, value in list(data.items()):
            if isinstance(value, list | tuple):
                data[key] = "; ".join(_text(v) for v in value)
            elif value is None:
                del data[key]

    copy.graph = {k: _text(v) for k, v in copy.graph.items()}
    for _, data in copy.nodes(data=True):
        flatten(data)
    for *_, data in copy.edges(data=True):
        flatten(data)
    return copy


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)

