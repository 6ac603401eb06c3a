r"""The API's read-only SPARQL route: the graph's own guards and limits, in the format asked for.

:func:`answer` runs a query exactly as :meth:`KnowledgeGraph.query` does (the same steps, with
the graph's settings): :func:`glutegraph.guards.check_query` before any parser sees the text,
the project's prefixes declared, UPDATE and SERVICE refused, and on the embedded store the work
in a forked child with the graph's ``timeout``, ``max_memory`` and ``max_result_bytes``, and at
most ``max_rows`` rows. It differs in what comes back: ``kg.query`` gives Python values (an IRI
and a string are both ``str``), which cannot be turned back into SPARQL results faithfully, so
here the child writes the answer itself, in the format the client's ``Accept`` header asks for
(:func:`negotiate`): SELECT and ASK as SPARQL 1.1 JSON results (the default), XML, CSV or TSV
(:data:`RESULT_TYPES`); CONSTRUCT and DESCRIBE as N-Triples (the default), Turtle with
glutegraph's prefixes, or JSON-LD (:data:`GRAPH_TYPES`).

Example:
    >>> import glutegraph as gg
    >>> kg = gg.load()
    >>> body, media = answer(kg, "SELECT ?n WHERE { kb:piriformis gg:innervatedBy ?n }")
    >>> media, json.loads(body)["results"]["bindings"][0]["n"]["value"]
    ('application/sparql-results+json', 'https://w3id.org/glutegraph/kb/nerve_to_piriformis')
    >>> answer(kg, "SELECT ?n WHERE { kb:piriformis gg:innervatedBy ?n }", "text/csv")
    (b'n\r\nhttps://w3id.org/glutegraph/kb/nerve_to_piriformis\r\n', 'text/csv')

"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from glutegraph.errors import (
    GluteGraphError,
    NotAcceptableError,
    QueryError,
    ResultTooLargeError,
)
from glutegraph.guards import check_query
from glutegraph.namespaces import PREFIXES
from glutegraph.sparql import run, within
from glutegraph.worker import CAN_FORK, bounded

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

__all__ = ["GRAPH_TYPES", "JSON_LD", "RESULTS_JSON", "RESULT_TYPES", "TRIPLES", "answer",
           "negotiate", "term_json"]

RESULTS_JSON = "application/sparql-results+json"
TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: The formats of SELECT and ASK answers, by media type; the first is the default.
RESULT_TYPES: Mapping[str, ox.QueryResultsFormat] = {
    RESULTS_JSON: ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: The formats of CONSTRUCT and DESCRIBE answers, by media type; the first is the default.
GRAPH_TYPES: Mapping[str, ox.RdfFormat] = {
    TRIPLES: ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    JSON_LD: ox.RdfFormat.JSON_LD,
}
#: The longest Accept header read, in characters (a browser's is under 300).
MAX_ACCEPT_CHARS = 2000


def negotiate(accept: str | None, offered: Mapping[str, Any]) -> str | None:
    """Return the media type of ``offered`` an HTTP ``Accept`` header prefers, or None.

    No header (or ``*/*``) gives the first offered type. Quality values (``q=``) rank the
    ranges; a type the header gives ``q=0`` is never chosen; ties go to the order of
    ``offered``. A range that does not parse is ignored.

    Example:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
        'application/sparql-results+xml'
        >>> negotiate("text/*", RESULT_TYPES), negotiate(None, GRAPH_TYPES)
        ('text/csv', 'application/n-triples')
        >>> negotiate("image/png", RESULT_TYPES) is None
        True

    """
    if accept is None or not accept.strip():
        return next(iter(offered))
    ranges: list[tuple[str, str, float]] = []
    for item in accept[:MAX_ACCEPT_CHARS].split(","):
        kind, *params = (part.strip() for part in item.split(";"))
        main, _, sub = kind.lower().partition("/")
        if not main or not sub:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = -1.0
        if quality >= 0:
            ranges.append((main, sub, quality))
    best, best_quality = None, 0.0
    for media in offered:
        quality = _quality(media, ranges)
        if quality > best_quality:
            best, best_quality = media, quality
    return best


def _quality(media: str, ranges: list[tuple[str, str, float]]) -> float:
    """Return the quality the most specific matching range gives ``media`` (0: none matches)."""
    main, _, sub = media.partition("/")
    for wanted in ((main, sub), (main, "*"), ("*", "*")):
        qualities = [q for m, s, q in ranges if (m, s) == wanted]
        if qualities:
            return max(qualities)
    return 0.0


def answer(kg: KnowledgeGraph, sparql: str, accept: str | None = None) -> tuple[bytes, str]:
    """Return a query's answer as bytes and their media type, as ``accept`` asks.

    ``accept`` is an HTTP ``Accept`` header (None: SPARQL JSON results, or N-Triples).

    Raises:
        NotAcceptableError: ``accept`` asks for no format of this kind of answer (checked
            before the query runs when it fits neither kind).
        QueryError: and its kinds, as :meth:`KnowledgeGraph.query` raises them.

    """
    check_query(sparql)
    max_rows = kg.max_rows
    results_type = negotiate(accept, RESULT_TYPES)
    graph_type = negotiate(accept, GRAPH_TYPES)
    if results_type is None and graph_type is None:
        raise NotAcceptableError(str(accept), "SPARQL answers",
                                 [*RESULT_TYPES, *GRAPH_TYPES])

    def results(document: dict[str, Any]) -> tuple[bytes, str]:
        """Write SELECT or ASK results in the negotiated format (JSON is written here)."""
        if results_type is None:
            raise NotAcceptableError(str(accept), "SELECT and ASK answers", [*RESULT_TYPES])
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        if results_type == RESULTS_JSON:
            return body, RESULTS_JSON
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=RESULT_TYPES[results_type]) or b"", results_type

    def work() -> tuple[bytes, str]:
        raw = run(kg.store, sparql, allow_network=kg.allow_network, inferred=kg.inferred)
        try:
            if isinstance(raw, ox.QueryBoolean):
                return results({"head": {}, "boolean": bool(raw)})
            if isinstance(raw, ox.QuerySolutions):
                names = [v.value for v in raw.variables]
                rows: list[dict[str, Any]] = []
                for solution in raw:
                    if max_rows is not None and len(rows) >= max_rows:
                        raise ResultTooLargeError(max_rows)
                    rows.append({name: term_json(term) for name, term in zip(names, solution,
                                                                               strict=True)
                                 if term is not None})
                return results({"head": {"vars": names}, "results": {"bindings": rows}})
            if graph_type is None:
                raise NotAcceptableError(str(accept), "CONSTRUCT and DESCRIBE answers",
                                         [*GRAPH_TYPES])
            triples: list[Any] = []
            for triple in raw:
                if max_rows is not None and len(triples) >= max_rows:
                    raise ResultTooLargeError(max_rows)
                triples.append(triple)
            fmt = GRAPH_TYPES[graph_type]
            prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
            return ox.serialize(triples, format=fmt, prefixes=prefixes) or b"", graph_type
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
