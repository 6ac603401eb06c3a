"""Reading the bundled RDF into an rdflib graph.

Nothing here touches the network: files are parsed from disk and ``owl:imports`` are not
followed.

Example:
    >>> from glutegraph.rdf import load_rdflib
    >>> from glutegraph.namespaces import KB
    >>> from rdflib import URIRef
    >>> (URIRef(KB.gluteus_medius), None, None) in load_rdflib()
    True

"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glutegraph.errors import DataFileError
from glutegraph.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph


def new_graph() -> Graph:
    """Return an empty rdflib graph with glutegraph's prefixes bound.

    Example:
        >>> dict(new_graph().namespaces())["kb"]
        rdflib.term.URIRef('https://w3id.org/glutegraph/kb/')

    """
    from rdflib import Graph

    graph = Graph(bind_namespaces="core")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def graph_from_triples(triples: Iterable[Any]) -> Graph:
    """Return an rdflib graph of pyoxigraph triples or quads (graph names are dropped).

    Example:
        >>> import pyoxigraph as ox
        >>> t = ox.Triple(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c"))
        >>> len(graph_from_triples([t]))
        1

    """
    import pyoxigraph as ox

    graph = new_graph()
    data = ox.serialize(
        (ox.Triple(t.subject, t.predicate, t.object) for t in triples),
        format=ox.RdfFormat.N_TRIPLES,
    )
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def parse_file(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file (format from its suffix) into ``graph`` or a new graph.

    Raises:
        DataFileError: the file is missing or not valid RDF; the message names the file
            and, where the parser says it, the line.

    Example:
        >>> from glutegraph.files import schema_file
        >>> len(parse_file(schema_file())) > 100
        True

    """
    from rdflib.util import guess_format

    target = new_graph() if graph is None else graph
    fmt = guess_format(str(path)) or "turtle"
    try:
        # Parse into a scratch graph first so that a file that fails half-way adds nothing.
        scratch = new_graph()
        scratch.parse(path, format=fmt)
    except FileNotFoundError as exc:
        raise DataFileError(str(path), "no such file") from exc
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        raise DataFileError(str(path), _describe_parse_error(exc), line=_error_line(exc)) from exc
    for triple in scratch:
        target.add(triple)
    return target


def load_rdflib(extra: Iterable[Path | str] = ()) -> Graph:
    """Return the whole bundled graph (schema, knowledge base, derived facts) as one rdflib graph.

    Args:
        extra: further RDF files to merge in after the bundled ones. They are read by
            :func:`glutegraph.store.read_triples` (pyoxigraph, nothing fetched, XML entity
            bombs refused), not by rdflib's parsers, which would fetch remote JSON-LD contexts.

    Example:
        >>> g = load_rdflib()
        >>> len(g) > 4000
        True

    """
    from glutegraph.store import derive, graph_quads, open_store, read_triples

    store = open_store()  # the bundled graph with what its rules derive
    for extra_file in extra:  # your files go through the guarded reader of load() and add()
        store.extend(read_triples(extra_file))
    if extra:
        derive(store)
    return graph_from_triples(graph_quads(store))


def _error_line(exc: Exception) -> int | None:
    line = getattr(exc, "lines", None) or getattr(exc, "line", None)
    if isinstance(line, int):
        return line
    return getattr(exc, "getLineNumber", lambda: None)()


def _describe_parse_error(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__
