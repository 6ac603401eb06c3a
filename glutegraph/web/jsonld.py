"""Compact JSON-LD: the ``@context`` shipped with glutegraph, and entities written with it.

The context (``ontology/context.jsonld``, shipped in the wheel as ``glutegraph/ontology``)
declares the project's prefixes, ``id``/``type`` for ``@id``/``@type``, and one term per
predicate the typed models use (:mod:`glutegraph.models`), named by the predicate's local name
(``innervatedBy``, ``meanPercentMVIC``, ``label``) and coerced as the models read it: links are
``@id``, figures ``xsd:decimal``, counts ``xsd:integer``, labels and definitions English text.
:func:`build_context` makes it from the models, and a test checks the shipped file matches.

:func:`compact` writes triples with that context: one node object per subject, IRIs as CURIEs,
values plain wherever the term's coercion says what they are (and value objects where not),
so a muscle is a few kilobytes instead of the expanded form's long IRIs.

Example:
    >>> import glutegraph as gg
    >>> doc = compact(gg.load().entity("piriformis").to_triples(), "/context.jsonld")
    >>> node = [n for n in doc["@graph"] if n["id"] == "kb:piriformis"][0]
    >>> node["type"], node["label"], node["innervatedBy"]
    ('gg:Muscle', 'piriformis', ['kb:nerve_to_piriformis'])

"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from glutegraph.models import _MODELS, _slots
from glutegraph.namespaces import PREFIXES
from glutegraph.terms import curie, expand

__all__ = ["build_context", "compact", "context", "context_file"]

XSD = PREFIXES["xsd"]
#: Terms whose predicate's local name says little.
_NAMED = {"obo:IAO_0000115": "definition"}
RDF_TYPE = PREFIXES["rdf"] + "type"
_KIND_TYPES = {"decimal": "xsd:decimal", "int": "xsd:integer"}


def context_file() -> Path:
    """Return the shipped ``context.jsonld`` (in ``ontology/``)."""
    from glutegraph.files import ontology_dir

    return ontology_dir() / "context.jsonld"


@cache
def context() -> dict[str, Any]:
    """Return the shipped context document (``{"@context": {...}}``)."""
    loaded: dict[str, Any] = json.loads(context_file().read_text("utf-8"))
    return loaded


def build_context() -> dict[str, Any]:
    """Return the context document made from the models' predicates (what the file holds).

    Example:
        >>> terms = build_context()["@context"]
        >>> terms["innervatedBy"], terms["label"]
        ({'@id': 'gg:innervatedBy', '@type': '@id'}, {'@id': 'rdfs:label', '@language': 'en'})

    """
    terms: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}
    terms.update(PREFIXES)
    found: dict[str, dict[str, Any]] = {}
    for model in _MODELS:
        for slot in _slots(model):
            short = curie(slot.predicate)
            if short in found:
                continue
            definition: dict[str, Any] = {"@id": short}
            if slot.kind in ("ref", "model"):
                definition["@type"] = "@id"
            elif slot.kind in _KIND_TYPES:
                definition["@type"] = _KIND_TYPES[slot.kind]
            elif slot.datatype:
                definition["@type"] = curie(slot.datatype)
            elif slot.lang:
                definition["@language"] = slot.lang
            found[short] = definition
    names: dict[str, int] = defaultdict(int)
    for short in found:
        names[_NAMED.get(short, short.partition(":")[2])] += 1
    for short, definition in sorted(found.items()):
        prefix, _, local = short.partition(":")
        local = _NAMED.get(short, local)
        name = local if names[local] == 1 and local not in terms else f"{prefix}_{local}"
        terms[name] = definition
    return {"@context": terms}


@cache
def _by_predicate() -> dict[str, tuple[str, dict[str, Any]]]:
    """Return full predicate IRI -> (term, definition) for the shipped context's terms."""
    found = {}
    for name, definition in context()["@context"].items():
        if isinstance(definition, dict) and "@id" in definition:
            full = expand(definition["@id"])
            if full:
                found[full] = (name, definition)
    return found


def compact(triples: Iterable[ox.Triple | ox.Quad], context_url: str) -> dict[str, Any]:
    """Return triples as compact JSON-LD using the shipped context (referred to by URL).

    Nodes are sorted by IRI and values within a property by their text, so the same triples
    always give the same document. Blank nodes keep their ``_:`` names.
    """
    by_subject: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    single: set[str] = set()
    types: dict[str, list[str]] = defaultdict(list)
    terms = _by_predicate()
    for item in triples:
        triple = item.triple if isinstance(item, ox.Quad) else item
        subject = _node(triple.subject)
        predicate = triple.predicate.value
        if predicate == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            types[subject].append(curie(triple.object.value))
            by_subject[subject]  # a node with only a type is still a node
            continue
        name, definition = terms.get(predicate, (curie(predicate), {}))
        if predicate in _single():
            single.add(name)
        by_subject[subject][name].append(_value(triple.object, definition))
    graph = []
    for subject in sorted(by_subject):
        node: dict[str, Any] = {"id": subject}
        if types[subject]:
            node["type"] = sorted(types[subject]) if len(types[subject]) > 1 else types[subject][0]
        for name in sorted(by_subject[subject]):
            values = sorted(by_subject[subject][name], key=_sort_key)
            one = name in single and len(values) == 1
            node[name] = values[0] if one else values
        graph.append(node)
    return {"@context": context_url, "@graph": graph}


@cache
def _single() -> frozenset[str]:
    """Return the full IRIs of predicates no model reads as a list (written as one value)."""
    many = {s.predicate for m in _MODELS for s in _slots(m) if s.many or s.inverse}
    return frozenset(s.predicate for m in _MODELS for s in _slots(m) if s.predicate not in many)


def _node(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return curie(term.value)


def _value(term: Any, definition: dict[str, Any]) -> Any:
    coerced = definition.get("@type")
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        node = _node(term)
        return node if coerced == "@id" else {"id": node}
    if isinstance(term, ox.Triple):  # RDF-star: not in glutegraph's data; kept readable
        return {"@value": str(term)}
    datatype = term.datatype.value
    language = term.language
    if language is not None:
        if definition.get("@language") == language and coerced is None:
            return term.value
        return {"@value": term.value, "@language": language}
    if coerced is not None and coerced != "@id" and expand(coerced) == datatype:
        return term.value
    if datatype == XSD + "string":
        plain = coerced is None and "@language" not in definition
        return term.value if plain else {"@value": term.value}
    return {"@value": term.value, "@type": curie(datatype)}


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
