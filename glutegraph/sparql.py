"""Running SPARQL on the embedded store: bound values, clear errors, rows of Python values.

The project's prefixes are pre-declared (the query text keeps its own line numbers, so an
error's line and column point into what the caller wrote). Values are bound as RDF terms
with SPARQL 1.1 substitution, never pasted into the text. Only queries run here: an UPDATE
is refused with :class:`~glutegraph.errors.ReadOnlyError`.

Example:
    >>> from glutegraph.store import open_store
    >>> rows = select(open_store(), "SELECT ?m ?n WHERE { ?m gg:innervatedBy ?n }",
    ...               n=iri("kb:inferior_gluteal_nerve"))
    >>> [curie(r.m) for r in rows]
    ['kb:gluteus_maximus']

"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyoxigraph as ox

from glutegraph.errors import (
    GluteGraphError,
    NetworkAccessError,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyError,
    ResultTooLargeError,
)
from glutegraph.namespaces import PREFIXES
from glutegraph.terms import curie, iri, to_python, to_term
from glutegraph.values import keywords

T = TypeVar("T")

__all__ = [
    "Backend",
    "Row",
    "Rows",
    "curie",
    "file_query",
    "fill_slots",
    "iri",
    "iterate",
    "keep_lines",
    "named_query",
    "read_only_error",
    "rows_of",
    "run",
    "select",
    "slots",
    "syntax_error",
    "within",
]

#: The stack of the thread each query runs in (see :func:`within`).
QUERY_STACK_BYTES = 16 * 2**20
_STACK_LOCK = threading.Lock()
_ERROR_PLACE = re.compile(r"error at (\d+):(\d+): ")
#: Virtuoso's place of a syntax error: a line, no column.
_VIRTUOSO_PLACE = re.compile(r"SPARQL compiler, line (\d+): ")
_VIRTUOSO_TOKENS = re.compile(r"syntax error at '(.+?)' before '(.+?)'")
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*\n)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


class Backend(Protocol):
    """What glutegraph needs of a store: a ``pyoxigraph.Store`` or a remote ``SparqlEndpoint``."""

    def query(
        self,
        query: str,
        *,
        prefixes: Any = None,
        substitutions: Any = None,
    ) -> Any:
        """Run a SPARQL query; return solutions, a boolean or triples, as pyoxigraph does."""

    def quads_for_pattern(
        self, subject: Any, predicate: Any, object: Any, graph_name: Any
    ) -> Iterator[ox.Quad]:
        """Yield the quads matching a pattern (glutegraph asks only for the whole default graph)."""


class Row(tuple[Any, ...]):
    """One answer row: a tuple of Python values, also readable by variable name.

    Example:
        >>> row = Row(("kb:x", 3), ("thing", "n"))
        >>> row.n, row["thing"], row[1]
        (3, 'kb:x', 3)

    """

    _names: tuple[str, ...]

    def __new__(cls, values: Sequence[Any], names: tuple[str, ...]) -> Row:
        """Make a row of ``values`` named by ``names``."""
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._names.index(name)]
        except ValueError:
            raise AttributeError(f"no variable ?{name} in this row; have {self._names}") from None

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self.__getattr__(key)
        return super().__getitem__(key)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as values and names (rows come back from the query worker this way)."""
        return (Row, (tuple(self), self._names))

    def asdict(self) -> dict[str, Any]:
        """Return the row as ``{variable: value}``."""
        return dict(zip(self._names, self, strict=True))


class Rows(list[Row]):
    """The answer to a SELECT query: a list of :class:`Row` with the variable names.

    Example:
        >>> rows = Rows(["a"], [Row((1,), ("a",))])
        >>> rows.variables, rows[0].a
        (['a'], 1)

    """

    def __init__(self, variables: list[str], rows: Sequence[Row] = ()) -> None:
        super().__init__(rows)
        self.variables = variables

    def to_dataframe(self) -> Any:
        """Return the rows as a pandas DataFrame (needs pandas: ``glutegraph[notebook]``).

        Decimals become floats, so a column of figures is a numeric column; a column of whole
        numbers with gaps (an optional ``?n``) is a nullable integer column.

        Raises:
            QueryError: pandas is not installed.

        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise QueryError("to_dataframe() needs pandas: pip install 'glutegraph[notebook]' "
                             "(or pip install pandas)") from exc
        data = [[float(v) if isinstance(v, Decimal) else v for v in r] for r in self]
        frame = pd.DataFrame(data, columns=self.variables).infer_objects()
        for j, name in enumerate(self.variables):
            values = [r[j] for r in data if r[j] is not None]
            if values and all(type(v) is int for v in values) and len(values) < len(data):
                frame[name] = pd.array([r[j] for r in data], dtype="Int64")
        return frame

    def _repr_html_(self) -> str:
        """Return the rows as an HTML table for Jupyter (IRIs as CURIEs, every value escaped)."""
        from glutegraph.jupyter import rows_html

        return rows_html(self.variables, self)


#: Where a named query takes a value: ``VALUES ?x { UNDEF }`` (valid SPARQL binding nothing).
_SLOT = re.compile(r"VALUES \?([A-Za-z_][A-Za-z0-9_]*) \{ UNDEF \}")
#: A line of a named query kept only when the caller gives ``?x`` (an optional filter).
_ONLY_WITH = re.compile(r"#\s*only with \?([A-Za-z_][A-Za-z0-9_]*)[ \t]*$", re.MULTILINE)


#: The named queries, shipped in the package (a folder in the wheel as in a checkout).
_QUERIES = Path(__file__).resolve().parent / "queries"


@cache
def _query_text(name: str) -> str:
    try:
        return (_QUERIES / f"{name}.rq").read_text("utf-8")
    except FileNotFoundError as exc:
        raise QueryError(f"no named query {name!r}") from exc


@cache
def _query_for(name: str, given: frozenset[str]) -> tuple[str, frozenset[str]]:
    """Return the text of a named query without the lines of filters not given, and its slots."""
    text = keep_lines(_query_text(name), given)
    return text, frozenset(_SLOT.findall(text))


def keep_lines(text: str, given: Iterable[str]) -> str:
    r"""Return ``text`` without its lines ending in ``# only with ?x`` for an ``x`` not given.

    Example:
        >>> keep_lines("SELECT * {\n  ?s ?p ?o .\n  FILTER(?o = ?x)  # only with ?x\n}", [])
        'SELECT * {\n  ?s ?p ?o .\n}'

    """
    given = set(given)
    lines = []
    for line in text.splitlines(keepends=True):
        needs = _ONLY_WITH.search(line)
        if needs is None or needs.group(1) in given:
            lines.append(line)
    return "".join(lines)


@cache
def file_query(path: Path) -> str:
    """Return the query of a rule or check file as it runs on the whole graph.

    The lines that focus it on an addition (``# only with ?x``) are left out; see
    :mod:`glutegraph.addition` for the focused form.

    Example:
        >>> from glutegraph.files import check_files
        >>> "UNDEF" in file_query(check_files()[0])
        False

    """
    return keep_lines(path.read_text(encoding="utf-8"), ())


def slots(text: str) -> frozenset[str]:
    """Return the variables a query takes values for (its ``VALUES ?x { UNDEF }`` slots).

    Example:
        >>> sorted(slots("SELECT * { VALUES ?a { UNDEF } ?a ?p ?o }"))
        ['a']

    """
    return frozenset(_SLOT.findall(text))


def fill_slots(text: str, written: Mapping[str, str]) -> str:
    """Return ``text`` with each slot ``VALUES ?x { UNDEF }`` of ``written`` replaced by its text.

    The replacement is SPARQL that binds ``?x`` (a ``VALUES`` of escaped terms, or a pattern);
    slots not in ``written`` stay as they are (binding nothing).

    Example:
        >>> fill_slots("{ VALUES ?a { UNDEF } }", {"a": "VALUES ?a { 1 }"})
        '{ VALUES ?a { 1 } }'

    """
    return _SLOT.sub(lambda m: written.get(m.group(1), m.group(0)), text)


def named_query(name: str, **values: Any) -> str:
    """Return one of glutegraph's named queries (``glutegraph/queries/NAME.rq``) for ``values``.

    Each named query is written for the plan it needs: it says where each value goes with
    ``VALUES ?x { UNDEF }`` (valid SPARQL that binds nothing), placed where the engine should
    start from it: before a pattern or a property path that uses it, or in each branch of a
    UNION. A filter the caller may leave out is on lines ending in ``# only with ?x``: they are
    dropped when ``?x`` is not given (None), so no query scans a class to compare it with a
    placeholder. A value may be a list (several values for one variable). Values become RDF
    terms written by pyoxigraph in N-Triples form (quotes, backslashes and line breaks
    escaped), so a value is always data, never SPARQL text. The same text runs on the
    embedded store and on any SPARQL 1.1 endpoint.

    Raises:
        QueryError: no such query, or a value for a variable the query has no slot for.

    Example:
        >>> "rdfs:label" in named_query("labels")
        True
        >>> named_query("describe_out", focus=iri("kb:sciatica")).splitlines()[2]
        '  VALUES ?focus { <https://w3id.org/glutegraph/kb/sciatica> }'
        >>> "gg:condition ?condition" in named_query("treatment_evidence")  # a filter not given
        False

    """
    given = {k: v for k, v in values.items() if v is not None}
    text, slots = _query_for(name, frozenset(given))
    if not given:
        return text
    unknown = sorted(set(given) - slots)
    if unknown:
        raise QueryError(f"the named query {name!r} takes no value for ?{', ?'.join(unknown)}")
    terms = {k: " ".join(_written(k, to_term(t)) for t in (v if isinstance(v, list | tuple)
                                                          else [v]))
             for k, v in given.items()}
    return fill_slots(text, {k: f"VALUES ?{k} {{ {v} }}" for k, v in terms.items()})


def _written(name: str, term: Any) -> str:
    """Return a term as SPARQL text (N-Triples form, escaped by pyoxigraph); IRIs and literals."""
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise QueryError(f"cannot bind ?{name} to {term!r}: a named query takes IRIs and literals")
    return str(term)


def run(
    store: Backend,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    allow_network: bool = False,
    inferred: bool = True,
    prefixes: Mapping[str, str] | None = None,
) -> Any:
    """Run a SPARQL query on ``store`` and return pyoxigraph's raw answer.

    A query with ``SERVICE`` (federation: the store would call another endpoint) is refused
    unless ``allow_network`` is true. The graph holds what is asserted and what the rules
    derived; with ``inferred`` False (embedded store) the query sees the asserted triples only.
    ``prefixes`` are declared beside (and over) glutegraph's own.

    Raises:
        QuerySyntaxError: the text is not a valid SPARQL query.
        ReadOnlyError: the text is an update.
        NetworkAccessError: the query has a SERVICE clause and the network is not allowed.
        QueryError: a binding names a variable the query does not return, or cannot be bound.

    """
    if not allow_network and "service" in sparql.lower() and "SERVICE" in keywords(sparql):
        raise NetworkAccessError("SERVICE (a federated query) in the query")
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        _variable(k): to_term(v) for k, v in (bindings or {}).items()
    }
    try:
        if not inferred:
            if not isinstance(store, ox.Store):
                raise QueryError("asserted facts alone (inferred=False) need the embedded "
                                 "store: an endpoint does not tell derived triples apart")
            from glutegraph.store import asserted_view

            store = asserted_view(store)
        declared = {**PREFIXES, **prefixes} if prefixes else PREFIXES
        if isinstance(store, ox.Store):  # an addition being checked is staged: unseen here
            from glutegraph.store import visible_named_graphs

            graphs = visible_named_graphs(store)
            if graphs is not None:
                return store.query(sparql, prefixes=declared, named_graphs=graphs,
                                   substitutions=substitutions or None)
        return store.query(sparql, prefixes=declared, substitutions=substitutions or None)
    except GluteGraphError:
        raise
    except SyntaxError as exc:
        raise read_only_error(sparql) or syntax_error(str(exc)) from exc
    except RuntimeError as exc:
        message = str(exc)
        if "SELECT projection" in message:
            raise QueryError(
                f"{message}: a bound variable must be one the query returns (add it to the "
                "SELECT clause, or use SELECT *)"
            ) from exc
        raise QueryError(message) from exc
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from exc


def _variable(name: str) -> ox.Variable:
    """Return the SPARQL variable ``name`` (without ``?``), or raise QueryError."""
    try:
        return ox.Variable(name)
    except (ValueError, TypeError):
        raise QueryError(
            f"cannot bind {name!r}: a variable name is letters, digits and _ (no ? or spaces)"
        ) from None


def select(store: Backend, sparql: str, **bindings: Any) -> Rows:
    """Run a SELECT query and return its rows as Python values.

    Example:
        >>> from glutegraph.store import open_store
        >>> select(open_store(), "SELECT (COUNT(*) AS ?n) WHERE { ?m a gg:Muscle }")[0].n
        21

    """
    answer = run(store, sparql, bindings)
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError("select() runs SELECT queries; use run() for ASK or CONSTRUCT")
    return rows_of(answer)


def rows_of(answer: ox.QuerySolutions, max_rows: int | None = None) -> Rows:
    """Return pyoxigraph's SELECT solutions as :class:`Rows` of Python values.

    Raises:
        ResultTooLargeError: there are more than ``max_rows`` solutions (reading stops there).

    """
    names = tuple(v.value for v in answer.variables)
    rows = Rows(list(names))
    for solution in answer:
        if max_rows is not None and len(rows) >= max_rows:
            raise ResultTooLargeError(max_rows)
        rows.append(Row([to_python(t) for t in solution], names))
    return rows


def within(seconds: float | None, work: Callable[[], T], where: str) -> T:
    """Return ``work()``, or raise :class:`QueryTimeoutError` once ``seconds`` have passed.

    pyoxigraph cannot cancel a query, so the work runs in a daemon thread that is left to
    finish on its own after a timeout; the caller gets its answer (or error) at once. The
    thread has a stack of :data:`QUERY_STACK_BYTES` (reserved, used only as deep as the query
    needs), twice Linux's usual 8 MB, so the limits of :mod:`glutegraph.guards` hold with room.

    Example:
        >>> within(1.0, lambda: 42, "here")
        42

    """
    if seconds is None:
        return work()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller's thread, without its frames:
            box["error"] = _without_frames(exc)  # pyoxigraph objects must die in this thread

    worker = threading.Thread(target=target, name="glutegraph-query", daemon=True)
    with _STACK_LOCK:  # a known stack, whatever ``ulimit -s`` gives threads (2 MB if unlimited)
        try:
            previous: int | None = threading.stack_size(QUERY_STACK_BYTES)
        except (ValueError, RuntimeError):  # a platform that cannot set it: its default
            previous = None
        try:
            worker.start()
        finally:
            if previous is not None:
                threading.stack_size(previous)
    worker.join(seconds)
    if worker.is_alive():
        raise QueryTimeoutError(where, seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def iterate(store: Backend, sparql: str, **bindings: Any) -> Iterator[ox.QuerySolution]:
    """Yield the raw pyoxigraph solutions of a SELECT query (fastest; for glutegraph's own use)."""
    answer = run(store, sparql, bindings)
    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    yield from answer


def _without_frames(error: BaseException) -> BaseException:
    """Drop the tracebacks of ``error`` and the errors it chains, freeing their frames' locals."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return error


def read_only_error(sparql: str) -> ReadOnlyError | None:
    r"""Return the error for a refused update, or None when ``sparql`` is not an update.

    Example:
        >>> read_only_error("PREFIX x: <urn:x:> DROP ALL")
        ReadOnlyError("glutegraph's query API is read-only: ...")
        >>> read_only_error("# names, with how good a match\nSELECT * { ?s ?p ?o }") is None
        True

    """
    if not _UPDATE.match(sparql):
        return None
    return ReadOnlyError(
        "glutegraph's query API is read-only: SPARQL UPDATE, LOAD, CLEAR and DROP are refused"
    )


def syntax_error(message: str, text: str | None = None) -> QuerySyntaxError:
    r"""Return a :class:`QuerySyntaxError` for a parser message, with its place when it gives one.

    Oxigraph says ``error at L:C: ...``; Virtuoso ``SPARQL compiler, line L: syntax error at
    'TOKEN' before 'NEXT'``, without a column: given the query ``text``, the column is where
    TOKEN then NEXT stand on that line (None if they cannot be found once).

    Example:
        >>> syntax_error("error at 2:5: expected '}'").line
        2
        >>> message = "SPARQL compiler, line 2: syntax error at ')' before '}'"
        >>> error = syntax_error(message, "SELECT * {\n  FILTER(?x >) }")
        >>> error.line, error.column
        (2, 14)

    """
    place = _ERROR_PLACE.search(message) or _VIRTUOSO_PLACE.search(message)
    if place is None:
        return QuerySyntaxError(message)
    problem = message[place.end() :].replace("\n", " ")
    if len(problem) > 200:
        problem = problem[:200] + "..."
    line = int(place.group(1))
    if place.re is _ERROR_PLACE:
        return QuerySyntaxError(problem, line=line, column=int(place.group(2)))
    return QuerySyntaxError(problem, line=line, column=_virtuoso_column(problem, text, line))


def _virtuoso_column(problem: str, text: str | None, line: int) -> int | None:
    """Return the 1-based column of the tokens a Virtuoso syntax error names, if found once."""
    tokens = _VIRTUOSO_TOKENS.match(problem)
    lines = text.split("\n") if text is not None else []
    if tokens is None or not 0 < line <= len(lines):
        return None
    pattern = re.escape(tokens.group(1)) + r"\s*" + re.escape(tokens.group(2))
    found = [m.start() for m in re.finditer(pattern, lines[line - 1])]
    return found[0] + 1 if len(found) == 1 else None
