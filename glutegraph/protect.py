"""Protected knowledge: files you add may extend the bundled graph, never rewrite it.

:func:`protection_violations` is run on every added file before it touches the graph
(:meth:`glutegraph.KnowledgeGraph.add`, :func:`glutegraph.load` with ``extra``,
``glutegraph validate FILE`` and :func:`glutegraph.upload`). A triple of an added file is
refused when it

- has a **schema term** as its subject: a ``gg:`` class, property or vocabulary term, the
  ontology header, or anything else the schema file describes (no new label, definition,
  domain, range, super-property or type for them);
- has a **bundled entity** as its subject (a ``kb:`` muscle, nerve, study, ...): bundled nodes
  are not relabelled, retyped, given a second value for a functional property, or given any
  new statement; or
- links a node of the file to a bundled entity while that node cites **no source of its own**
  (a ``dcterms:source`` that is not one of the bundled sources).

A triple the bundled graph holds already is harmless and passes. A fact about a bundled entity
is added the proper way on a node of your own that cites your own source, e.g. an
``gg:ActionContribution`` whose ``gg:contributor`` is ``kb:gluteus_maximus``: the bundled
entity is then the *object* of your node, and answers and explanations name your file and
your source beside it (see :mod:`glutegraph.explain`).

What is bundled is read once from :func:`glutegraph.files.data_files` and cached.

Example:
    >>> import pyoxigraph as ox
    >>> from glutegraph.namespaces import GG, KB
    >>> lie = ox.Quad(ox.NamedNode(str(KB.gluteus_maximus)), ox.NamedNode(str(GG.innervatedBy)),
    ...               ox.NamedNode(str(KB.superior_gluteal_nerve)))
    >>> print(protection_violations([lie], ox.Store())[0])
    protected knowledge: kb:gluteus_maximus: adds a statement about the bundled entity ...

"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from glutegraph.files import data_files, schema_file
from glutegraph.namespaces import GG
from glutegraph.terms import curie
from glutegraph.validation import Violation

if TYPE_CHECKING:
    from glutegraph.sparql import Backend

__all__ = ["HOW_TO_ADD", "Bundled", "bundled", "protection_violations"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
_OWL_FUNCTIONAL = "http://www.w3.org/2002/07/owl#FunctionalProperty"
#: Properties that name or define a node: a new value on a bundled node relabels it.
_NAMING = frozenset({
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://purl.obolibrary.org/obo/IAO_0000115",
    "http://www.geneontology.org/formats/oboInOwl#hasExactSynonym",
    "http://www.geneontology.org/formats/oboInOwl#hasRelatedSynonym",
    "http://www.w3.org/2000/01/rdf-schema#comment",
})
#: The name of the check in :class:`~glutegraph.validation.Violation` objects.
CHECK = "protected knowledge"

#: How to add a fact about a bundled entity, for error messages.
HOW_TO_ADD = """\
To add a fact about a bundled entity, state it on a node of your own that cites your own
source; the bundled entity is then the object of your node, e.g.:
    lab:my_study_2026 a gg:Study ; rdfs:label "My study 2026"@en ; gg:firstAuthor "Doe J" ;
        gg:year 2026 ; gg:journal "unpublished" ; gg:url "https://example.org/my"^^xsd:anyURI ;
        gg:studyDesign gg:CrossSectionalStudy ; gg:evidenceStatus gg:Primary ;
        dcterms:source lab:my_study_2026 .
    lab:my_finding a gg:Finding ; rdfs:label "my finding about gluteus maximus"@en ;
        gg:about kb:gluteus_maximus ; gg:reportedBy lab:my_study_2026 ;
        gg:finding "what the study found, in a sentence" ;
        gg:evidenceStatus gg:Primary ; dcterms:source lab:my_study_2026 .
(tests/data/lab_extension.ttl is a complete example.) Bundled entities, schema terms and
their labels cannot be changed by an added file."""


@dataclass(frozen=True)
class Bundled:
    """What the bundled files hold, for telling added triples from bundled ones.

    Attributes:
        triples: every bundled triple.
        subjects: the IRIs of every named subject of the bundled files (entities and sources).
        schema: the IRIs the schema file describes, and every ``gg:`` IRI it uses.
        pairs: (subject, predicate) IRIs the bundled graph gives a value.
        functional: the properties the schema declares ``owl:FunctionalProperty``.

    """

    triples: frozenset[ox.Triple]
    subjects: frozenset[str]
    schema: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    functional: frozenset[str]

    def is_schema(self, iri: str) -> bool:
        """Whether ``iri`` is a schema term (any ``gg:`` IRI counts, declared or not)."""
        return iri in self.schema or iri.startswith(str(GG))


@cache
def bundled() -> Bundled:
    """Return what the bundled files hold (read once per process, about 0.1 s).

    Example:
        >>> from glutegraph.namespaces import KB
        >>> str(KB.gluteus_maximus) in bundled().subjects
        True

    """
    triples: set[ox.Triple] = set()
    schema: set[str] = set()
    for path in data_files():
        with path.open("rb") as handle:
            found = [ox.Triple(q.subject, q.predicate, q.object)
                     for q in ox.parse(handle, format=ox.RdfFormat.TURTLE)]
        triples.update(found)
        if path == schema_file():
            schema.update(t.subject.value for t in found if isinstance(t.subject, ox.NamedNode))
            schema.add(str(GG).rstrip("/"))  # the ontology header
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    pairs = {(t.subject.value, t.predicate.value) for t in triples
             if isinstance(t.subject, ox.NamedNode)}
    is_functional = ox.NamedNode(_OWL_FUNCTIONAL)
    functional = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)
                  and t.predicate.value == _RDF_TYPE and t.object == is_functional}
    return Bundled(frozenset(triples), frozenset(subjects), frozenset(schema),
                   frozenset(pairs), frozenset(functional))


def protection_violations(
    quads: Iterable[ox.Quad | ox.Triple], graph: Backend, *, source: str = ""
) -> list[Violation]:
    """Return the triples of an added file that would rewrite the bundled graph (see above).

    Args:
        quads: the added triples (all the files added together).
        graph: the store they are checked against, holding them already or not: a node's own
            sources may be stated there (by a file added earlier) as well as in ``quads``.
        source: the file name, for the messages.

    Returns:
        one :class:`~glutegraph.validation.Violation` per offending triple, naming it and the
        fix (empty: nothing is protected against).

    Example:
        >>> import pyoxigraph as ox
        >>> from glutegraph.namespaces import GG
        >>> relabel = ox.Triple(ox.NamedNode(str(GG.innervatedBy)),
        ...     ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        ...     ox.Literal("is not innervated by", language="en"))
        >>> print(protection_violations([relabel], ox.Store())[0].message)
        relabels the schema term gg:innervatedBy: ...

    """
    known = bundled()
    bundled_sources = {f"<{iri}>" for iri in known.subjects}  # as str() writes IRIs
    added = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    cites = ox.NamedNode(_DCTERMS_SOURCE)
    cited: dict[str, set[str]] = {}
    for t in added:
        if t.predicate == cites:
            cited.setdefault(str(t.subject), set()).add(str(t.object))
    own_sources: dict[str, bool] = {}

    def has_own_source(node: ox.NamedNode | ox.BlankNode) -> bool:
        key = str(node)
        if key not in own_sources:
            found = cited.get(key, set())
            found |= {str(q.object) for q in graph.quads_for_pattern(
                node, cites, None, ox.DefaultGraph())}
            own_sources[key] = any(c not in bundled_sources for c in found)
        return own_sources[key]

    found: list[Violation] = []
    seen: set[ox.Triple] = set()
    for triple in added:
        if triple in known.triples or triple in seen:
            continue
        seen.add(triple)
        problem = _problem(triple, known, has_own_source)
        if problem:
            where = f" (in {source})" if source else ""
            found.append(Violation(CHECK, _show(triple.subject), f"{problem}{where}"))
    return found


def _problem(
    triple: ox.Triple, known: Bundled, has_own_source: Callable[[ox.NamedNode | ox.BlankNode], bool]
) -> str | None:
    s, p, o = triple.subject, triple.predicate.value, triple.object
    said = f"`{_show(s)} {_show(triple.predicate)} {_show(o)}`"
    if isinstance(s, ox.NamedNode) and known.is_schema(s.value):
        verb = ("relabels" if p in _NAMING else "redefines" if p != _RDF_TYPE else "retypes")
        return (f"{verb} the schema term {curie(s.value)}: {said}; schema terms (gg: classes, "
                "properties, vocabularies, the ontology header) cannot be changed by an added "
                "file. Use your own namespace for your own terms")
    if isinstance(s, ox.NamedNode) and s.value in known.subjects:
        if p in _NAMING or p == _RDF_TYPE:
            what = "relabels" if p in _NAMING else "retypes"
            return (f"{what} the bundled entity {curie(s.value)}: {said}; bundled entities "
                    "keep their names and types. Name your own node in your own namespace")
        if p in known.functional and (s.value, p) in known.pairs:
            return (f"contradicts the bundled graph: {said} gives {curie(s.value)} a second "
                    f"{curie(p)}, which takes one value. Bundled facts cannot be replaced; "
                    "state your finding on a node of your own with your own source")
        return (f"adds a statement about the bundled entity {curie(s.value)} without a "
                f"source of its own: {said}. State it on a node of your own that cites your "
                "own source (e.g. a gg:Finding, gg:ActionContribution or "
                "gg:ActivationMeasurement with dcterms:source)")
    if (isinstance(o, ox.NamedNode) and o.value in known.subjects and not known.is_schema(o.value)
            and p not in (_DCTERMS_SOURCE, _RDF_TYPE) and isinstance(s, ox.NamedNode | ox.BlankNode)
            and not has_own_source(s)):
        return (f"links to the bundled entity {curie(o.value)} from a node with no source of "
                f"its own: {said}. Give {_show(s)} a dcterms:source that is your own source "
                "(a gg:Study of yours, not a bundled one)")
    return None


def _show(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        short = curie(term.value)
        return short if short != term.value else f"<{term.value}>"
    if isinstance(term, ox.Literal):
        text = term.value if len(term.value) <= 60 else term.value[:57] + "..."
        return f'"{text}"' + (f"@{term.language}" if term.language else "")
    return str(term)
