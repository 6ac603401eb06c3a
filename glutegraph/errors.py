"""The exception hierarchy: every error glutegraph raises on purpose is a GluteGraphError.

Example:
    >>> from glutegraph.errors import DataFileError, GluteGraphError
    >>> issubclass(DataFileError, GluteGraphError)
    True

"""

from __future__ import annotations


class GluteGraphError(Exception):
    """Base class of glutegraph's own errors."""


class DataFileError(GluteGraphError):
    """An RDF file could not be read or parsed; the message names the file and the place.

    Example:
        >>> str(DataFileError("kb/muscles.ttl", "bad syntax", line=3))
        'kb/muscles.ttl, line 3: bad syntax'

    """

    def __init__(
        self, path: str, problem: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        self.column = column
        where = f"{path}, line {line}" if line is not None else path
        if line is not None and column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}")


class TableError(DataFileError):
    r"""Rows of a table (CSV) are wrong; nothing was added. Each problem names row and column.

    ``problems`` holds ``(row, column, reason)``; row 1 is the header.

    Example:
        >>> print(TableError("mine.csv", [(3, "level", "'expart' is not beginner, "
        ...                                "intermediate or expert")]))
        mine.csv: 1 bad row; nothing was added (fix it, or add the good rows with partial=True)
          row 3, column level: 'expart' is not beginner, intermediate or expert

    """

    def __init__(self, path: str, problems: list[tuple[int, str, str]]) -> None:
        self.problems = problems
        rows = len({row for row, _, _ in problems})
        lines = [f"{rows} bad row{'s' if rows != 1 else ''}; nothing was added (fix "
                 f"{'them' if rows != 1 else 'it'}, or add the good rows with partial=True)"]
        lines += [f"  row {row}, column {column}: {why}" for row, column, why in problems[:50]]
        if len(problems) > 50:
            lines.append(f"  ... and {len(problems) - 50} more")
        super().__init__(path, "\n".join(lines))


class SkippedRowsWarning(UserWarning):
    """A table was added with ``partial=True`` and some rows were left out (each listed)."""


class UnknownNameError(GluteGraphError, LookupError):
    """No entity of the wanted kind has this label, synonym, CURIE or IRI.

    Example:
        >>> str(UnknownNameError("muscle", "gluteus medus", ["gluteus medius"]))
        "no muscle 'gluteus medus'; did you mean 'gluteus medius'?"

    """

    def __init__(self, kind: str, name: str, suggestions: list[str] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions or [])
        message = f"no {kind} {name!r}"
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)


class AmbiguousNameError(GluteGraphError, LookupError):
    """A name matches more than one entity equally well; the message lists them.

    Example:
        >>> str(AmbiguousNameError("bridge", ["glute bridge (kb:glute_bridge)", "x (kb:x)"]))
        "'bridge' is ambiguous: glute bridge (kb:glute_bridge), x (kb:x); pass the CURIE or IRI"

    """

    def __init__(self, name: str, candidates: list[str]) -> None:
        self.name = name
        self.candidates = candidates
        super().__init__(
            f"{name!r} is ambiguous: {', '.join(candidates)}; pass the CURIE or IRI"
        )


class QueryError(GluteGraphError, ValueError):
    """A SPARQL query could not be run (bad syntax, a bad binding, a refused operation)."""


class QuerySyntaxError(QueryError):
    """A SPARQL query is not valid; ``line`` and ``column`` point at the problem (1-based).

    Example:
        >>> str(QuerySyntaxError("expected '}'", line=3, column=17))
        "SPARQL syntax error at line 3, column 17: expected '}'"

    """

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        self.problem = problem
        self.line = line
        self.column = column
        where = "" if line is None else f" at line {line}" + (
            f", column {column}" if column is not None else "")
        super().__init__(f"SPARQL syntax error{where}: {problem}")


class ReadOnlyError(QueryError):
    """A SPARQL UPDATE (or LOAD, CLEAR, DROP...) was sent to the read-only query API."""


class ShapeViolationError(GluteGraphError):
    r"""Data to be added breaks the project's SHACL shapes or quality checks; nothing was added.

    ``violations`` holds each problem found (see :class:`glutegraph.validation.Violation`).

    Example:
        >>> str(ShapeViolationError("my.ttl", ["shape gg:ExerciseShape: ex:x: needs a label"]))
        'my.ttl was not added: 1 violation(s)\n  - shape gg:ExerciseShape: ex:x: needs a label'

    """

    def __init__(self, source: str, violations: list[object]) -> None:
        self.source = source
        self.violations = violations
        lines = [f"{source} was not added: {len(violations)} violation(s)"]
        lines += [f"  - {v}" for v in violations]
        super().__init__("\n".join(lines))


class ProtectedKnowledgeError(ShapeViolationError):
    r"""Data to be added would rewrite the bundled graph; nothing was added.

    Added files may extend the graph but not relabel, redefine or contradict its schema terms
    and bundled statements, and a new fact about a bundled entity must sit on a node of the
    file's own that cites its own source (see :mod:`glutegraph.protect`). ``violations`` names
    each offending triple; the message ends with how to add such a fact properly.

    Example:
        >>> err = ProtectedKnowledgeError("my.ttl", ["kb:gluteus_maximus: relabels it"])
        >>> str(err).splitlines()[:2]
        ['my.ttl was not added: 1 violation(s)', '  - kb:gluteus_maximus: relabels it']
        >>> isinstance(err, ShapeViolationError)
        True

    """

    def __init__(self, source: str, violations: list[object]) -> None:
        from glutegraph.protect import HOW_TO_ADD

        super().__init__(source, violations)
        self.args = (f"{self.args[0]}\n{HOW_TO_ADD}",)

    def __str__(self) -> str:
        return str(self.args[0])


class StoreError(GluteGraphError):
    """The on-disk store could not be opened or is not a glutegraph store."""


class QueryTimeoutError(QueryError, TimeoutError):
    """A query took longer than the time allowed (the endpoint's or the caller's timeout).

    Example:
        >>> str(QueryTimeoutError("http://127.0.0.1:7878/query", 2.0)).split(";")[0]
        'http://127.0.0.1:7878/query gave no answer within 2.0 s'

    """

    def __init__(self, endpoint: str, seconds: float | None) -> None:
        self.endpoint = endpoint
        self.seconds = seconds
        if seconds is None:
            message = (
                f"{endpoint} cancelled the query at its own time limit; simplify the query or "
                "raise the server's limit (glutegraph serve --timeout-s)"
            )
        else:
            message = (
                f"{endpoint} gave no answer within {seconds} s; simplify the query or allow "
                "it more time (KnowledgeGraph.timeout; connect(timeout=) for an endpoint)"
            )
        super().__init__(message)


class EndpointError(GluteGraphError, ConnectionError):
    """A remote SPARQL endpoint could not be reached or did not answer as the protocol says.

    Example:
        >>> str(EndpointError("http://127.0.0.1:9/query", "connection refused"))
        'http://127.0.0.1:9/query: connection refused'

    """

    def __init__(self, endpoint: str, problem: str) -> None:
        self.endpoint = endpoint
        self.problem = problem
        super().__init__(f"{endpoint}: {problem}")


class MissingDataError(EndpointError):
    """The endpoint answers, but does not hold the glutegraph data (load it with ``upload``)."""


class NetworkAccessError(GluteGraphError, PermissionError):
    """A query or a file would reach the network, which glutegraph refuses unless asked.

    Example:
        >>> str(NetworkAccessError("SERVICE in a query")).split(";")[0]
        'refused: SERVICE in a query would reach the network'

    """

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"refused: {what} would reach the network; glutegraph only does that when asked "
            "(KnowledgeGraph.allow_network = True)"
        )


class ResultTooLargeError(QueryError):
    """A query returned more rows (or triples) than the graph's ``max_rows`` allows.

    Example:
        >>> str(ResultTooLargeError(10)).split(";")[0]
        'the answer has more than 10 rows'

    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the answer has more than {limit} rows; add a LIMIT, or raise the graph's max_rows"
        )


class NotAcceptableError(GluteGraphError, ValueError):
    """A client asked (HTTP ``Accept``) for no format the answer can be written in.

    ``acceptable`` lists the media types that answer comes in; the web API answers 406.

    Example:
        >>> error = NotAcceptableError("image/png", "SELECT results", ["text/csv"])
        >>> str(error)
        'Accept: image/png asks for no format of SELECT results; send one of: text/csv'

    """

    def __init__(self, accept: str, answer: str, acceptable: list[str]) -> None:
        self.accept = accept
        self.acceptable = acceptable
        super().__init__(f"Accept: {accept} asks for no format of {answer}; send one of: "
                         + ", ".join(acceptable))


class StoreWarning(UserWarning):
    """Something about an on-disk store that you should know, though it opened as it should.

    Example:
        >>> import warnings
        >>> warnings.simplefilter("ignore", StoreWarning)  # silence them all
        >>> warnings.resetwarnings()

    """


class QueryTooComplexError(QueryError):
    """A query is longer, more deeply nested or has more operators than glutegraph's limits.

    Refused before any parser sees it (see :mod:`glutegraph.guards`): deeper nesting crashes the
    SPARQL parser. The message names the limit and where the text passes it.

    Example:
        >>> issubclass(QueryTooComplexError, QueryError)
        True

    """


class ExtensionFileWarning(StoreWarning):
    """An extension file added to an on-disk store has moved or changed since it was added.

    The store still opens with what it holds (it keeps a copy of every file added to it);
    the message says what to do. ``path`` is the file as recorded.

    Example:
        >>> str(ExtensionFileWarning("/data/mine.ttl", "has moved or been removed"))
        'extension file /data/mine.ttl has moved or been removed'

    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"extension file {path} {problem}")


class InvalidArgumentError(GluteGraphError, ValueError):
    """A public argument has the wrong type or is out of range; the message names it and the fix.

    Example:
        >>> str(InvalidArgumentError("limit must be a positive whole number, not -1"))
        'limit must be a positive whole number, not -1'

    """


class QueryResourceError(QueryError, MemoryError):
    """A query needed more memory, or gave a larger answer, than the graph's limits allow.

    User queries run in a child process with a memory limit (see :mod:`glutegraph.worker`), so
    the query fails and the process lives. ``setting`` names the limit to raise.

    Example:
        >>> error = QueryResourceError("the query needed more than 1024 MB of memory",
        ...                            "KnowledgeGraph.max_memory")
        >>> str(error).split(";")[0]
        'the query needed more than 1024 MB of memory'

    """

    def __init__(self, problem: str, setting: str) -> None:
        self.problem = problem
        self.setting = setting
        super().__init__(
            f"{problem}; simplify the query (a LIMIT, fewer joins, no ORDER BY over a cross "
            f"product), or raise {setting}"
        )
