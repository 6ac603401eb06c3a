"""Writing answers and graphs out: SPARQL 1.1 results formats, RDF formats, and a text table.

The serialisers are pyoxigraph's (SPARQL 1.1 JSON, XML, CSV and TSV results; Turtle,
N-Triples, JSON-LD, RDF/XML); only the human-readable table is made here.

Example:
    >>> from glutegraph.store import open_store
    >>> answer = open_store().query(
    ...     "SELECT ?nerve WHERE { <https://w3id.org/glutegraph/kb/piriformis> "
    ...     "<https://w3id.org/glutegraph/ontology/innervatedBy> ?nerve }")
    >>> print(table(answer))
    nerve
    ----------------------
    kb:nerve_to_piriformis
    (1 row)

"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from glutegraph.errors import QueryError
from glutegraph.namespaces import PREFIXES
from glutegraph.terms import curie

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "serialize_answer", "serialize_graph", "table"]

#: Names accepted for SELECT/ASK answers (``table`` is for people, the others per SPARQL 1.1).
RESULT_FORMATS: dict[str, ox.QueryResultsFormat | None] = {
    "table": None,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}

#: Names accepted for graphs (CONSTRUCT/DESCRIBE answers and ``glutegraph export``).
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
}

_CELL_WIDTH = 60


def serialize_answer(answer: Any, fmt: str) -> bytes:
    """Return a query's answer in ``fmt``: a results format for SELECT/ASK, an RDF one for graphs.

    Raises:
        QueryError: ``fmt`` does not fit the answer (CSV for a CONSTRUCT, say).

    Example:
        >>> from glutegraph.store import open_store
        >>> print(serialize_answer(open_store().query("ASK { ?s ?p ?o }"), "json").decode())
        {"head":{},"boolean":true}

    """
    if isinstance(answer, ox.QuerySolutions | ox.QueryBoolean):
        if fmt not in RESULT_FORMATS:
            raise QueryError(
                f"{fmt!r} is not a format for SELECT or ASK answers; use one of "
                + ", ".join(RESULT_FORMATS)
            )
        results_format = RESULT_FORMATS[fmt]
        if results_format is None:
            return (table(answer) + "\n").encode("utf-8")
        data = answer.serialize(format=results_format)
        assert data is not None  # no output file given: pyoxigraph returns the bytes
        return data
    return serialize_graph(answer, "turtle" if fmt == "table" else fmt)


def serialize_graph(triples: Iterable[Any], fmt: str) -> bytes:
    """Return triples (or quads, whose graph is dropped) in the RDF format named ``fmt``.

    Raises:
        QueryError: ``fmt`` is not an RDF format glutegraph writes.

    Example:
        >>> import pyoxigraph as ox
        >>> t = ox.Triple(ox.NamedNode(PREFIXES["kb"] + "a"), ox.NamedNode(PREFIXES["gg"] + "b"),
        ...               ox.Literal("c"))
        >>> print(serialize_graph([t], "turtle").decode().splitlines()[-1])
        kb:a gg:b "c" .

    """
    if fmt not in GRAPH_FORMATS:
        raise QueryError(
            f"{fmt!r} is not an RDF format; use one of turtle, nt, jsonld, rdfxml"
        )
    rdf_format = GRAPH_FORMATS[fmt]
    plain = (t.triple if isinstance(t, ox.Quad) else t for t in triples)
    prefixes = dict(PREFIXES) if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    data = ox.serialize(plain, format=rdf_format, prefixes=prefixes)
    assert data is not None
    return data if data.endswith(b"\n") else data + b"\n"


def table(answer: ox.QuerySolutions | ox.QueryBoolean) -> str:
    """Return a SELECT or ASK answer as an aligned text table, IRIs shortened to CURIEs."""
    if isinstance(answer, ox.QueryBoolean):
        return "true" if bool(answer) else "false"
    names = [v.value for v in answer.variables]
    rows = [[_cell(term) for term in solution] for solution in answer]
    widths = [
        max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)
    ]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines)


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        text = curie(term.value)
    elif isinstance(term, ox.Literal):
        text = term.value
    else:
        text = str(term)
    text = " ".join(text.split())
    return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 3] + "..."
