"""The same API over any SPARQL 1.1 endpoint: :func:`connect` to it, :func:`upload` data into it.

:class:`SparqlEndpoint` speaks the SPARQL 1.1 Protocol (queries as an HTML form POST, answers
as SPARQL JSON results or N-Triples) with the standard library's HTTP client, and offers the
part of ``pyoxigraph.Store`` that glutegraph's questions use, so a
:class:`~glutegraph.graph.KnowledgeGraph` runs unchanged on it. Bound values travel as a
``VALUES`` block (see :mod:`glutegraph.values`): the protocol has no other way to send them.

:func:`upload` writes the bundled data (plus your validated files) with the SPARQL 1.1 Graph
Store HTTP Protocol, which Oxigraph, Apache Jena Fuseki, GraphDB and Virtuoso all implement.
The query URL (for ``connect``) and graph store URL (for ``upload``) of each:

- Oxigraph: ``http://HOST:7878/query`` and ``http://HOST:7878/store``
- Fuseki: ``http://HOST:3030/DATASET/sparql`` and ``http://HOST:3030/DATASET/data``
- GraphDB: ``http://HOST:7200/repositories/REPO`` and
  ``http://HOST:7200/repositories/REPO/rdf-graphs/service``
- Virtuoso: ``http://HOST:8890/sparql`` and ``http://HOST:8890/sparql-graph-crud``, always
  with ``graph=`` (see :mod:`glutegraph.engines.virtuoso`)

An endpoint whose default graph is the union of all its graphs (Virtuoso; GraphDB and Fuseki
can be set up so) would mix glutegraph's bookkeeping graphs and the server's own into the
answers: there, put the data in a named graph and give it to ``connect(graph=)``, which sends
it as the protocol's ``default-graph-uri``, with the bookkeeping graphs as
``named-graph-uri``. :func:`connect` refuses such an endpoint without ``graph=``.

Example:
    >>> from glutegraph.server import OxigraphServer
    >>> with OxigraphServer() as server:             # an empty, writable server on loopback
    ...     triples = upload(server.store_url)
    ...     kg = connect(server.query_url)
    ...     kg.muscle("glute med").innervated_by[0].label
    'superior gluteal nerve'

"""

from __future__ import annotations

import json
import re
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from glutegraph.client import MAX_RESPONSE_BYTES, Reply, check_limits, check_url, send
from glutegraph.errors import EndpointError, MissingDataError, QuerySyntaxError, QueryTimeoutError
from glutegraph.guards import check_query
from glutegraph.namespaces import PREFIXES, sparql_prologue
from glutegraph.sparql import read_only_error, syntax_error
from glutegraph.values import keywords, with_values

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

T = TypeVar("T")

__all__ = [
    "DataVersionWarning",
    "SparqlEndpoint",
    "connect",
    "dataset_parameters",
    "upload",
    "upload_store",
]

#: What the answers may come as: SPARQL JSON results for SELECT/ASK, N-Triples for graphs.
#: Each form asks only for its own kinds: Virtuoso answers in the first type listed whatever
#: the form (a CONSTRUCT as a JSON table, a SELECT as N-Triples of a result-set vocabulary).
_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.5"
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_HAS_DATA = "ASK { kb:gluteus_maximus a gg:Muscle ; gg:innervatedBy kb:inferior_gluteal_nerve }"
#: The server cut the answer at this many rows (Virtuoso's ``ResultSetMaxRows``).
_CUT_HEADER = "x-sparql-maxrows"
#: A blank node label every SPARQL results parser reads (a subset of N-Triples' labels).
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)")


class DataVersionWarning(UserWarning):
    """The endpoint holds glutegraph data from another release than this library's."""


class SparqlEndpoint:
    """A SPARQL 1.1 Protocol query endpoint, queried like a ``pyoxigraph.Store``.

    Args:
        url: the query endpoint (``http://`` or ``https://``).
        graph: the IRI of the graph holding the data, when it is not the default graph
            (sent as the protocol's ``default-graph-uri``; glutegraph's bookkeeping graphs
            ``urn:glutegraph:meta`` and ``urn:glutegraph:derived`` go as ``named-graph-uri``).
        timeout: seconds each query may take in all: connecting, sending, and reading the
            whole answer (see :mod:`glutegraph.client`).
        headers: extra HTTP headers, e.g. ``{"Authorization": "Basic ..."}``. They go only to
            this URL's host: a redirect elsewhere is refused.
        max_bytes: the longest answer read, in bytes (256 MB by default).

    Example:
        >>> from glutegraph.server import OxigraphServer
        >>> with OxigraphServer() as server:
        ...     answer = SparqlEndpoint(server.query_url).query("ASK { ?s ?p ?o }")
        ...     bool(answer)
        False

    """

    def __init__(
        self,
        url: str,
        *,
        graph: str | None = None,
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        check_url(url)
        self.url = url
        self.graph = graph
        self.timeout, self.max_bytes = check_limits(timeout, max_bytes)
        self.headers = dict(headers or {})
        self._dataset = dataset_parameters(graph)

    def __repr__(self) -> str:
        return f"<SparqlEndpoint {self.url}>"

    def query(
        self,
        query: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        substitutions: Mapping[ox.Variable, Any] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]:
        """Run ``query`` on the endpoint and return the answer as pyoxigraph would.

        ``prefixes`` are declared on one line before the text (error lines are given back in
        the caller's numbering); ``substitutions`` become a VALUES block.

        Raises:
            QuerySyntaxError: the endpoint rejected the text (with line and column when the
                server reports them the way Oxigraph does).
            QueryTooComplexError: the text passes :mod:`glutegraph.guards`' limits (never sent).
            ReadOnlyError: the text is an update.
            QueryTimeoutError: no answer within the timeout.
            EndpointError: the endpoint cannot be reached, answered with an HTTP error, sent
                more than ``max_bytes``, cut the answer at its own row limit, or sent
                something that is not a SPARQL answer.

        """
        check_query(query)
        if (refused := read_only_error(query)) is not None:
            raise refused  # never sent: the endpoint might be a writable one
        bindings = {v.value: t for v, t in (substitutions or {}).items()}
        text = with_values(query, bindings)
        if prefixes:
            text = sparql_prologue(prefixes).replace("\n", " ") + "\n" + text
        try:
            reply = self._post([("query", text), *self._dataset], _accept(query))
        except _ServerRejectedError as rejected:
            raise _rejection(rejected.message, text, shift=1 if prefixes else 0) from None
        if (cut := reply.headers.get(_CUT_HEADER)) is not None:
            raise EndpointError(
                self.url, f"cut the answer at {cut} rows, its own limit on an answer (Virtuoso: "
                "ResultSetMaxRows in virtuoso.ini); ask for less (a LIMIT) or raise that limit"
            )
        content_type, body = reply.media_type, reply.body
        if content_type == "application/sparql-results+json":
            body = _portable_blank_nodes(_check_complete_json(body, self.url), body)
        if content_type in _RESULT_FORMATS:
            answer_format = _RESULT_FORMATS[content_type]
            self._check_answer(lambda: _read_all(ox.parse_query_results(body, answer_format)))
            return ox.parse_query_results(body, answer_format)  # read once to check it, above
        if content_type in _GRAPH_FORMATS:
            graph_format = _GRAPH_FORMATS[content_type]
            triples = self._check_answer(lambda: [q.triple for q in ox.parse(body, graph_format)])
            return iter(triples)
        raise EndpointError(self.url, f"answered with {content_type or 'no content type'}, "
                            "which is not a SPARQL results or RDF format")

    def _check_answer(self, read: Callable[[], T]) -> T:
        """Return ``read()``, or raise EndpointError if the server's answer cannot be read.

        A server may say ``application/sparql-results+json`` and send other JSON: that is the
        server's fault, never a syntax error in the caller's query.
        """
        try:
            return read()
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            problem = str(exc).replace("\n", " ")[:300]
            raise EndpointError(
                self.url, f"the server's answer is not a SPARQL result it says it is: {problem}"
            ) from None

    def quads_for_pattern(
        self, subject: None, predicate: None, object: None, graph_name: ox.DefaultGraph
    ) -> Iterator[ox.Quad]:
        """Yield every triple of the data as a quad in the default graph.

        One CONSTRUCT, then a COUNT to check it is whole: Virtuoso cuts a CONSTRUCT answer at
        ``ResultSetMaxRows`` without saying so (a SELECT it cuts with a header).

        Raises:
            EndpointError: the server sent fewer triples than the graph holds.

        """
        answer = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert not isinstance(answer, ox.QuerySolutions | ox.QueryBoolean)
        triples = list(answer)
        count = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(count, ox.QuerySolutions)
        expected = int(next(iter(count))[0].value)
        if len(triples) < expected:
            raise EndpointError(
                self.url, f"sent {len(triples):,} of the {expected:,} triples of the graph: it "
                "cut the answer at its own limit (Virtuoso: ResultSetMaxRows in virtuoso.ini); "
                "raise that limit above the size of the graph"
            )
        for triple in triples:
            yield ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph())

    def _post(self, form: list[tuple[str, str]], accept: str) -> Reply:
        headers = {
            **self.headers,
            "Accept": accept,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        data = urllib.parse.urlencode(form).encode("utf-8")
        return _send("POST", self.url, data, headers, self.timeout, self.max_bytes)


def connect(
    endpoint: str,
    *,
    graph: str | None = None,
    timeout: float = 30.0,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = MAX_RESPONSE_BYTES,
) -> KnowledgeGraph:
    """Return the knowledge graph held by a SPARQL 1.1 endpoint, with the same API as :func:`load`.

    The endpoint is checked first: it must answer, and hold the glutegraph data (put it there
    with :func:`upload` or ``glutegraph upload``). If its data is from another glutegraph
    release, a :class:`DataVersionWarning` says so. The graph is read-only from here.

    Args:
        endpoint: the query URL, e.g. ``http://127.0.0.1:7878/query`` (Oxigraph),
            ``http://localhost:3030/glutegraph/sparql`` (Fuseki),
            ``http://localhost:8890/sparql`` (Virtuoso, with ``graph=``).
        graph: the named graph holding the data, if it is not in the default graph; needed
            where the default graph is the union of all graphs (Virtuoso).
        timeout: seconds each query may take in all (connecting, sending, reading the whole
            answer) before :class:`QueryTimeoutError`.
        headers: extra HTTP headers (authentication); sent to this host only (a redirect to
            another host is refused).
        max_bytes: the longest answer read, in bytes; a longer one is an EndpointError.

    Raises:
        EndpointError: the endpoint cannot be reached, does not speak the protocol, redirects
            to another host, or sends an answer over ``max_bytes``.
        InvalidArgumentError: ``timeout`` or ``max_bytes`` is not a positive finite number.
        MissingDataError: it answers, but the glutegraph data is not there.
        EndpointError: ``graph`` is None but the endpoint's default graph is the union of all
            its graphs (Virtuoso): the message says to upload into a named graph and pass it.

    Example:
        >>> from glutegraph.server import OxigraphServer
        >>> with OxigraphServer() as server:
        ...     _ = upload(server.store_url)
        ...     print(connect(server.query_url).exercises(target="glute med", limit=1))
         1. side-lying hip abduction: gluteus medius 99.9 %MVIC mean ...

    """
    from glutegraph.graph import KnowledgeGraph
    from glutegraph.store import data_version, version_query

    store = SparqlEndpoint(endpoint, graph=graph, timeout=timeout, headers=headers,
                           max_bytes=max_bytes)
    if not bool(store.query(_HAS_DATA, prefixes=PREFIXES)):
        where = f"graph <{graph}> of {endpoint}" if graph else endpoint
        raise MissingDataError(
            where,
            "holds no glutegraph data (kb:gluteus_maximus is not there); load it with "
            "`glutegraph upload STORE_URL` (the server's graph store endpoint, e.g. "
            "http://HOST:7878/store for Oxigraph)",
        )
    if graph is None and bool(store.query(version_query(in_default_graph=True))):
        raise EndpointError(
            endpoint,
            "its default graph is the union of all its graphs (Virtuoso works so; GraphDB and "
            "Fuseki can), so glutegraph's bookkeeping and the server's own graphs would mix "
            "into every answer: upload the data into a named graph (`glutegraph upload "
            "STORE_URL --graph IRI`) and connect to it: connect(url, graph=IRI), or "
            "--graph IRI on the command line",
        )
    answer = store.query(version_query())
    versions = {str(row[0].value) for row in answer} if isinstance(answer, ox.QuerySolutions) \
        else set()
    if versions and data_version() not in versions:
        warnings.warn(
            f"{endpoint} holds glutegraph data version {', '.join(sorted(versions))}; this "
            f"library's is {data_version()}. Answers may differ: run `glutegraph upload "
            "--replace` to bring it up to date",
            DataVersionWarning,
            stacklevel=2,
        )
    return KnowledgeGraph(store)


def upload(
    store_url: str,
    files: Iterable[Path | str] = (),
    *,
    graph: str | None = None,
    replace: bool = False,
    timeout: float = 120.0,
    headers: Mapping[str, str] | None = None,
) -> int:
    """Write the glutegraph data into a triple store with the SPARQL 1.1 Graph Store Protocol.

    The bundled graph and your ``files`` are first loaded and validated here (a file that
    breaks a shape stops the upload before anything is sent). The data goes to the default
    graph, or to ``graph``; the data version goes to the named graph ``urn:glutegraph:meta``
    so that :func:`connect` can tell a stale copy.

    Args:
        store_url: the graph store endpoint, e.g. ``http://127.0.0.1:7878/store``.
        files: your own RDF files to add to the bundled data.
        graph: a named graph to hold the data instead of the default graph.
        replace: replace what the graph holds (HTTP PUT) instead of adding to it (POST).
        timeout: seconds to wait for the server.
        headers: extra HTTP headers (authentication).

    Returns:
        the number of triples sent.

    Raises:
        EndpointError: the store cannot be reached or refused the data.
        DataFileError, ShapeViolationError: one of ``files`` is not valid (nothing is sent).

    Example:
        >>> from glutegraph.server import OxigraphServer
        >>> with OxigraphServer() as server:
        ...     upload(server.store_url) > 4000
        True

    """
    from glutegraph.graph import load

    check_url(store_url)
    check_limits(timeout, 1)
    files = list(files)
    kg = load(files)
    assert isinstance(kg.store, ox.Store)
    return upload_store(store_url, kg.store, [str(Path(f).resolve()) for f in files],
                        graph=graph, replace=replace, timeout=timeout, headers=headers)


def upload_store(
    store_url: str,
    store: ox.Store,
    extensions: Iterable[str] = (),
    *,
    graph: str | None = None,
    replace: bool = False,
    timeout: float = 120.0,
    headers: Mapping[str, str] | None = None,
) -> int:
    """Send a store's default graph, its data version and its record of derived triples.

    :func:`upload` calls this after loading and validating; use it directly for a store you
    built yourself (the benchmarks do). ``store``'s bookkeeping graph is rewritten to record
    the data version and ``extensions``; the named graph ``urn:glutegraph:derived`` goes too,
    so that queries on the endpoint can tell derived triples apart, and the names' keys are
    added to ``urn:glutegraph:names`` (see :func:`glutegraph.names.uploaded_keys`), so that a
    name is found by its key there. The arguments are :func:`upload`'s.

    Returns:
        the number of triples sent.

    """
    from glutegraph.names import KEYS_GRAPH

    check_url(store_url)
    (_, data), *rest = upload_parts(store, extensions, graph)
    target = {"graph": graph} if graph else {"default": ""}
    try:
        _put_graph(store_url, target, data, "PUT" if replace else "POST", timeout, headers)
    except EndpointError as refused:
        if graph is None and "default graph" in refused.problem:
            raise EndpointError(store_url, (
                f"{refused.problem}; this store has no default graph to write to (Virtuoso): "
                "upload into a named graph (graph=IRI, or --graph IRI) and connect to it with "
                "the same graph="
            )) from None
        raise
    for name, triples in rest:
        assert name is not None
        # the names' keys are added (POST) to the keys graph every graph of the store shares:
        # a key of another graph's entity finds nothing here (names are read from the data)
        method = "POST" if name == KEYS_GRAPH.value else "PUT"
        _put_graph(store_url, {"graph": name}, triples, method, timeout, headers)
    return len(data)


def upload_parts(
    store: ox.Store, extensions: Iterable[str] = (), graph: str | None = None
) -> list[tuple[str | None, list[ox.Triple]]]:
    """Return what an upload of ``store`` sends, graph by graph: (graph IRI, triples).

    First the data (into ``graph``; None: the default graph), then glutegraph's bookkeeping
    (the data version and ``extensions``), the record of derived triples and the names' keys
    (see :func:`upload_store`). A bulk loader can take the same parts
    (:meth:`glutegraph.engines.virtuoso.VirtuosoServer.bulk_load`).

    Example:
        >>> from glutegraph.store import open_store
        >>> [(g, len(t) > 100) for g, t in upload_parts(open_store(), graph="urn:x:data")][:3]
        [('urn:x:data', True), ('urn:glutegraph:meta', False), ('urn:glutegraph:derived', True)]

    """
    from glutegraph.names import KEYS_GRAPH, uploaded_keys
    from glutegraph.store import DERIVED_GRAPH, META_GRAPH, graph_quads, record

    record(store, extensions)
    return [
        (graph, [q.triple for q in graph_quads(store)]),
        (META_GRAPH.value, [q.triple for q in store.quads_for_pattern(None, None, None,
                                                                       META_GRAPH)]),
        (DERIVED_GRAPH.value, [q.triple for q in store.quads_for_pattern(None, None, None,
                                                                          DERIVED_GRAPH)]),
        (KEYS_GRAPH.value, uploaded_keys(store, graph)),
    ]


# ---------------------------------------------------------------------- HTTP


class _ServerRejectedError(Exception):
    """The server answered 400: it refused the query; ``message`` is what it said."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _send(
    method: str,
    url: str,
    data: bytes | None,
    headers: Mapping[str, str],
    timeout: float,
    max_bytes: int,
) -> Reply:
    """Send a request; return the 2xx reply or raise glutegraph's error for the failure."""
    reply = send(method, url, data=data, headers=headers, timeout=timeout, max_bytes=max_bytes)
    if 200 <= reply.status < 300:
        return reply
    message = _plain_text(reply.body.decode("utf-8", "replace").split("\n\nSPARQL query:")[0])
    if reply.status == 400:
        raise _ServerRejectedError(message)
    if "timed out" in message.lower() or "S1T00" in message:  # Virtuoso's own time limit
        raise QueryTimeoutError(url, None)
    if "timeout" in message.lower() or reply.status == 504:
        raise QueryTimeoutError(url, timeout)
    raise EndpointError(url, f"HTTP {reply.status} {reply.reason}: {message[:300]}")


def _accept(query: str) -> str:
    """Return the Accept header for the answer to ``query``: a graph or a results table.

    Example:
        >>> _accept("PREFIX ex: <http://example.org/select#> DESCRIBE ex:a") == _ACCEPT_GRAPH
        True

    """
    graph = next((k for k in keywords(query) if k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")),
                 None) in ("CONSTRUCT", "DESCRIBE")
    return _ACCEPT_GRAPH if graph else _ACCEPT_RESULTS


def _plain_text(message: str) -> str:
    """Return a server's error message without HTML markup, on one line.

    Example:
        >>> _plain_text("<html><h1>Failed</h1> <xmp>no default graph</xmp></html>")
        'Failed no default graph'
        >>> _plain_text("syntax error at 'x' in <urn:a> x")
        "syntax error at 'x' in <urn:a> x"

    """
    if re.match(r"\s*<(!doctype html|html)", message, re.IGNORECASE):
        message = re.sub(r"<title>.*?</title>|<[^>]*>", " ", message, flags=re.S)
    return " ".join(message.split())


def _put_graph(
    store_url: str,
    target: Mapping[str, str],
    triples: list[ox.Triple],
    method: str,
    timeout: float,
    headers: Mapping[str, str] | None,
) -> None:
    query = urllib.parse.urlencode(target).replace("default=", "default")
    url = f"{store_url}{'&' if '?' in store_url else '?'}{query}"
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    sent = {**(headers or {}), "Content-Type": "application/n-triples"}
    try:
        _send(method, url, data, sent, timeout, MAX_RESPONSE_BYTES)
    except _ServerRejectedError as rejected:
        raise EndpointError(store_url, f"refused the data: {rejected.message[:300]}") from None


def _check_complete_json(body: bytes, url: str) -> Any:
    """Return ``body`` read as JSON; raise unless it is whole JSON.

    A server that streams its answer reports a timeout or failure after the head has gone
    out: Oxigraph writes "The SPARQL operation has been cancelled" into the body.
    """
    try:
        return json.loads(body)
    except ValueError:
        tail = body[-300:].decode("utf-8", "replace")
        if "cancelled" in tail or "timeout" in tail.lower():
            raise QueryTimeoutError(url, None) from None
        raise EndpointError(url, f"sent an answer that is not valid JSON: ...{tail}") from None


def _portable_blank_nodes(answer: Any, body: bytes) -> bytes:
    """Return ``body`` with blank node labels that are not N-Triples labels made into ones.

    Virtuoso labels blank nodes ``nodeID://b10003``, which no SPARQL results parser reads as a
    blank node. Each such label becomes ``b`` + its UTF-8 in hex: the same node keeps the same
    label within the answer, and different nodes stay different.

    Example:
        >>> answer = {"results": {"bindings": [{"x": {"type": "bnode", "value": "nodeID://b1"}}]}}
        >>> _portable_blank_nodes(answer, b'... "bnode" ...')
        b'{"results": {"bindings": [{"x": {"type": "bnode", "value": "b6e6f646549443a2f2f6231"}}]}}'

    """
    if b'"bnode"' not in body:
        return body
    renamed = False
    bindings = answer.get("results", {}).get("bindings", []) if isinstance(answer, dict) else []
    for row in bindings if isinstance(bindings, list) else []:
        for term in row.values() if isinstance(row, dict) else []:
            if isinstance(term, dict) and term.get("type") == "bnode" and isinstance(
                    term.get("value"), str) and not _BLANK_LABEL.fullmatch(term["value"]):
                term["value"] = "b" + term["value"].encode().hex()
                renamed = True
    return json.dumps(answer).encode() if renamed else body


def _read_all(answer: Any) -> Any:
    """Read every solution of a SELECT answer (so that a bad one raises now); return the rest."""
    if isinstance(answer, ox.QuerySolutions):
        for solution in answer:
            for _term in solution:
                pass
    return answer


def _rejection(message: str, text: str, shift: int) -> QuerySyntaxError:
    """Turn a server's 400 answer to ``text`` into glutegraph's error, in the caller's lines."""
    error = syntax_error(message, text)
    if error.line is not None and shift:
        return type(error)(error.problem, line=max(error.line - shift, 1), column=error.column)
    return error



def dataset_parameters(graph: str | None) -> list[tuple[str, str]]:
    """Return the protocol's dataset parameters for the data in ``graph`` (none for None).

    The data graph becomes the default graph; glutegraph's bookkeeping graphs stay reachable
    with ``GRAPH``: without ``named-graph-uri`` a query with ``default-graph-uri`` has no named
    graphs at all (Oxigraph, Virtuoso), and the data version and derived triples would vanish.

    Example:
        >>> [name for name, _ in dataset_parameters("https://example.org/g")]
        ['default-graph-uri', 'named-graph-uri', 'named-graph-uri', 'named-graph-uri']

    """
    if graph is None:
        return []
    from glutegraph.names import KEYS_GRAPH
    from glutegraph.store import DERIVED_GRAPH, META_GRAPH

    return [("default-graph-uri", graph), ("named-graph-uri", META_GRAPH.value),
            ("named-graph-uri", DERIVED_GRAPH.value), ("named-graph-uri", KEYS_GRAPH.value)]
