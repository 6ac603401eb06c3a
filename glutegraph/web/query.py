"""The API's read-only SPARQL route: the graph's own guards and limits, answered as JSON.

:func:`answer` runs a query exactly as :meth:`KnowledgeGraph.query` does (the same steps, with
the graph's settings): :func:`glutegraph.guards.check_query` before any parser sees the text,
the project's prefixes declared, UPDATE and SERVICE refused, and on the embedded store the work
in a forked child with the graph's ``timeout``, ``max_memory`` and ``max_result_bytes``, and at
most ``max_rows`` rows. It differs in what comes back: ``kg.query`` gives Python values (an IRI
and a string are both ``str``), which cannot be turned back into SPARQL results faithfully, so
here the child writes the SPARQL 1.1 JSON results itself (IRIs, literals with their datatype or
language), or N-Triples for CONSTRUCT and DESCRIBE.

Example:
    >>> import glutegraph as gg
    >>> body, media = answer(gg.load(), "SELECT ?n WHERE { kb:piriformis gg:innervatedBy ?n }")
    >>> media, json.loads(body)["results"]["bindings"][0]["n"]["value"]
    ('application/sparql-results+json', 'https://w3id.org/glutegraph/kb/nerve_to_piriformis')

"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from glutegraph.errors import GluteGraphError, QueryError, ResultTooLargeError
from glutegraph.guards import check_query
from glutegraph.sparql import run, within
from glutegraph.worker import CAN_FORK, bounded

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

__all__ = ["RESULTS_JSON", "TRIPLES", "answer", "term_json"]

RESULTS_JSON = "application/sparql-results+json"
TRIPLES = "application/n-triples"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def answer(kg: KnowledgeGraph, sparql: str) -> tuple[bytes, str]:
    """Return a query's answer as bytes and their media type (SPARQL JSON, or N-Triples).

    Raises:
        QueryError: and its kinds, as :meth:`KnowledgeGraph.query` raises them.

    """
    check_query(sparql)
    max_rows = kg.max_rows

    def work() -> tuple[bytes, str]:
        raw = run(kg.store, sparql, allow_network=kg.allow_network, inferred=kg.inferred)
        try:
            if isinstance(raw, ox.QueryBoolean):
                return json.dumps({"head": {}, "boolean": bool(raw)}).encode(), RESULTS_JSON
            if isinstance(raw, ox.QuerySolutions):
                names = [v.value for v in raw.variables]
                rows: list[dict[str, Any]] = []
                for solution in raw:
                    if max_rows is not None and len(rows) >= max_rows:
                        raise ResultTooLargeError(max_rows)
                    rows.append({name: term_json(term) for name, term in zip(names, solution,
                                                                               strict=True)
                                 if term is not None})
                document = {"head": {"vars": names}, "results": {"bindings": rows}}
                return json.dumps(document, ensure_ascii=False).encode("utf-8"), RESULTS_JSON
            triples: list[Any] = []
            for triple in raw:
                if max_rows is not None and len(triples) >= max_rows:
                    raise ResultTooLargeError(max_rows)
                triples.append(triple)
            return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", TRIPLES
        except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
            if isinstance(exc, GluteGraphError):
                raise
            raise QueryError(f"the query failed while it ran: {exc}") from None

    limited = kg.timeout is not None or kg.max_memory is not None
    where = str(getattr(kg.store, "url", "the embedded store"))
    if not (isinstance(kg.store, ox.Store) and CAN_FORK and limited):
        return within(kg.timeout, work, where)
    return bounded(work, seconds=kg.timeout, max_memory=kg.max_memory,
                   max_bytes=kg.max_result_bytes, where=where)


def term_json(term: Any) -> dict[str, Any]:
    """Return an RDF term in the SPARQL 1.1 JSON results form.

    Example:
        >>> term_json(ox.Literal("piriformis", language="en"))
        {'type': 'literal', 'value': 'piriformis', 'xml:lang': 'en'}
        >>> term_json(ox.NamedNode("https://w3id.org/glutegraph/kb/piriformis"))["type"]
        'uri'

    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    return {"type": "triple", "value": {"subject": term_json(term.subject),
                                        "predicate": term_json(term.predicate),
                                        "object": term_json(term.object)}}
