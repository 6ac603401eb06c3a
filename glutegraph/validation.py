"""Validating a graph: the SHACL shapes and the SPARQL quality checks.

A graph is valid when pyshacl finds no violation of ``ontology/shapes/*.ttl`` and every
``ontology/checks/*-violation.rq`` query returns no rows.

Example:
    >>> from glutegraph.validation import validate
    >>> report = validate()          # the bundled graph
    >>> report.conforms
    True

"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from glutegraph.files import check_files, shapes_files
from glutegraph.namespaces import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph

    from glutegraph.sparql import Backend


@dataclass(frozen=True)
class Violation:
    """One problem found in the data.

    Attributes:
        check: the SHACL shape or the quality-check file that found it.
        focus: the node at fault (an IRI or blank-node id).
        message: what is wrong.

    """

    check: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.focus}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    Example:
        >>> ValidationReport(violations=()).conforms
        True

    """

    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def conforms(self) -> bool:
        """True when nothing was found."""
        return not self.violations

    def __str__(self) -> str:
        if self.conforms:
            return "conforms: no SHACL violation, every quality check returned no rows"
        lines = [f"does not conform: {len(self.violations)} violation(s)"]
        lines += [f"  - {v}" for v in self.violations]
        return "\n".join(lines)


@cache
def shapes_graph() -> Graph:
    """Return the SHACL shapes as one rdflib graph (read once; pyshacl does not change it)."""
    from glutegraph.rdf import new_graph, parse_file

    graph = new_graph()
    for path in shapes_files():
        parse_file(path, graph)
    return graph


def shacl_violations(data: Graph, focus: list[Any] | None = None) -> list[Violation]:
    """Run the SHACL shapes over ``data`` (no inference) and return what they report.

    ``focus`` (IRIs) limits the shapes to those nodes (the others are context).

    Example:
        >>> from glutegraph.rdf import load_rdflib
        >>> shacl_violations(load_rdflib())
        []

    """
    from pyshacl import validate as pyshacl_validate
    from rdflib.namespace import SH

    if focus is not None and not focus:
        return []
    shapes = shapes_graph()
    conforms, results, _text = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
        focus_nodes=focus,
    )
    if conforms:
        return []
    found = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        shape = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        name = shape_name(shapes, shape)
        where = ""
        if path is not None and not name.endswith(", " + _short(shapes, path)):
            where = f" (path {data.namespace_manager.normalizeUri(path)})"
        found.append(
            Violation(
                check=f"shape {name}",
                focus=_short(data, results.value(result, SH.focusNode)),
                message=f"{message}{where}",
            )
        )
    return sorted(found, key=lambda v: (v.check, v.focus, v.message))


def validate(data: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (default: the bundled graph) with the shapes and the quality checks.

    ``data`` is copied into an embedded store and the rules in ``ontology/rules/`` are applied
    first, as loading does; the checks then run there (much faster than on rdflib).

    Example:
        >>> validate().conforms
        True

    """
    import pyoxigraph as ox

    from glutegraph.store import derive, open_store

    if data is None:
        return validate_store(open_store())
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    derive(store)
    return validate_store(store)


def store_check_violations(store: Backend) -> list[Violation]:
    """Run every SPARQL quality check on a pyoxigraph store (much faster than on rdflib).

    Example:
        >>> from glutegraph.store import open_store
        >>> store_check_violations(open_store())
        []

    """
    from glutegraph.sparql import file_query

    found = []
    for path in check_files():
        found += check_violations(store, path.name, file_query(path))
    return found


def check_violations(store: Backend, check: str, sparql: str) -> list[Violation]:
    """Return the rows of one quality check's query as violations of ``check`` (its file name).

    Example:
        >>> from glutegraph.store import open_store
        >>> check_violations(open_store(), "mine", "SELECT ?m WHERE { ?m a gg:Nothing }")
        []

    """
    import pyoxigraph as ox

    from glutegraph.sparql import iterate
    from glutegraph.terms import curie

    found = []
    for row in iterate(store, sparql):
        values = [
            "" if t is None else curie(t.value) if isinstance(t, ox.NamedNode) else t.value
            for t in row
        ]
        focus, rest = (values[0], values[1:]) if values else ("", [])
        found.append(Violation(check=check, focus=focus, message=" | ".join(rest)))
    return found


def validate_store(store: ox.Store) -> ValidationReport:
    """Validate the default graph of a pyoxigraph store with the shapes and the quality checks.

    Example:
        >>> from glutegraph.store import open_store
        >>> validate_store(open_store()).conforms
        True

    """
    from glutegraph.rdf import graph_from_triples
    from glutegraph.store import graph_quads

    data = graph_from_triples(graph_quads(store))
    found = shacl_violations(data) + store_check_violations(store)
    return ValidationReport(violations=tuple(found))


def validate_addition(store: Backend, added: Iterable[ox.Quad | ox.Triple],
                      checks: list[Violation] | None = None) -> ValidationReport:
    """Validate an addition: the shapes on the nodes it describes, and the quality checks.

    ``store`` holds the graph with the addition (a store, or the graph with an addition
    staged: :mod:`glutegraph.addition`), ``added`` its triples (and what the rules derived
    from them). The shapes run on the nodes the addition describes (and a group it adds a
    member to), in their neighbourhood: their own triples, the blank nodes they use, the
    types of what they point to and the class hierarchy; not on a copy of the whole graph, so
    adding a file costs what the file costs. An addition that types a blank node is checked
    on the whole graph (pyshacl focuses on IRIs only). ``checks`` are the quality checks'
    violations, found already (:func:`glutegraph.addition.addition_violations`, focused on
    the addition); None runs every check on the whole graph.

    Example:
        >>> import pyoxigraph as ox
        >>> from glutegraph.store import open_store
        >>> store = open_store()
        >>> extra = ox.Quad(ox.NamedNode("https://example.org/x"),
        ...                 ox.NamedNode(PREFIXES["rdf"] + "type"),
        ...                 ox.NamedNode(PREFIXES["gg"] + "Exercise"))
        >>> store.add(extra)
        >>> print(validate_addition(store, [extra]).violations[0].focus)
        <https://example.org/x>

    """
    import pyoxigraph as ox

    graph = ox.DefaultGraph()
    part_of = ox.NamedNode(PREFIXES["gg"] + "partOf")
    focus: set[ox.NamedNode | ox.BlankNode] = set()
    for quad in added:
        if isinstance(quad.subject, ox.NamedNode | ox.BlankNode):
            focus.add(quad.subject)
        if quad.predicate == part_of and isinstance(quad.object, ox.NamedNode | ox.BlankNode):
            focus.add(quad.object)  # a group's members are checked on the group
    context: set[ox.Quad] = set()
    pointed: set[ox.NamedNode] = set()
    todo, seen = list(focus), set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in store.quads_for_pattern(node, None, None, graph):
            context.add(quad)
            if isinstance(quad.object, ox.BlankNode):
                todo.append(quad.object)  # a list or a nested node, described in full
            elif isinstance(quad.object, ox.NamedNode):
                pointed.add(quad.object)
        context.update(store.quads_for_pattern(None, part_of, node, graph))
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    if checks is None:
        checks = store_check_violations(store)
    if any(isinstance(n, ox.BlankNode) and next(iter(store.quads_for_pattern(
            n, rdf_type, None, graph)), None) for n in focus):
        from glutegraph.rdf import graph_from_triples
        from glutegraph.store import graph_quads

        # pyshacl focuses on IRIs only: the shapes on the whole graph
        return ValidationReport(violations=tuple(
            shacl_violations(graph_from_triples(graph_quads(store))) + checks))
    for node in pointed:
        context.update(store.quads_for_pattern(node, rdf_type, None, graph))
    context.update(store.quads_for_pattern(
        None, ox.NamedNode(PREFIXES["rdfs"] + "subClassOf"), None, graph))
    data = _rdflib_graph(context)
    found = shacl_violations(data, [n.value for n in focus if isinstance(n, ox.NamedNode)])
    return ValidationReport(violations=tuple(found + checks))


def _rdflib_term(term: Any) -> Any:
    """Return the rdflib term of a pyoxigraph term, keeping blank node labels."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == PREFIXES["xsd"] + "string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _rdflib_graph(quads: Iterable[Any]) -> Graph:
    from glutegraph.rdf import new_graph

    data = new_graph()
    for q in quads:
        data.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    return data


#: The namespace of the shapes in ``ontology/shapes/`` (written ``ggsh:`` there).
SHAPES_IRI = "https://w3id.org/glutegraph/shapes/"


def shape_name(shapes: Graph, shape: object) -> str:
    """Name a SHACL shape for a person, never by a blank-node id.

    A named shape is its CURIE (``ggsh:label``); an unnamed property shape is the node shape
    it belongs to and its path (``ggsh:ExerciseShape, gg:difficulty``).

    Example:
        >>> from rdflib import URIRef
        >>> shape_name(shapes_graph(), URIRef(SHAPES_IRI + "label"))
        'ggsh:label'

    """
    from rdflib import BNode, URIRef
    from rdflib.namespace import SH

    if isinstance(shape, URIRef):
        text = str(shape)
        if text.startswith(SHAPES_IRI):
            return "ggsh:" + text[len(SHAPES_IRI):]
        return _short(shapes, shape)
    if isinstance(shape, BNode):
        owner = next(iter(shapes.subjects(SH.property, shape)), None)
        path = shapes.value(shape, SH.path)
        parts = [shape_name(shapes, owner) if owner is not None else "a property shape"]
        if isinstance(path, URIRef):
            parts.append(shapes.namespace_manager.normalizeUri(path))
        return ", ".join(parts)
    return "" if shape is None else str(shape)


def _short(graph: Graph, node: object) -> str:
    from rdflib import URIRef

    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    return "" if node is None else str(node)
