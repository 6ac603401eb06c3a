"""Errors as RFC 9457 problem responses (``application/problem+json``), never a bare 500.

Each of glutegraph's typed errors has a status and a problem type (a relative URI under
``/problems/``, which the API serves with a description):

=====================================  ======  ==========================================
error                                  status  extension members
=====================================  ======  ==========================================
UnknownNameError                       404     ``kind``, ``name``, ``suggestions``
AmbiguousNameError                     400     ``name``, ``candidates``
InvalidArgumentError, a bad parameter  400     ``errors`` (for parameters)
QuerySyntaxError                       400     ``line``, ``column``
QueryTooComplexError, other QueryError 400
ResultTooLargeError                    400     ``limit``
QueryResourceError                     400
ReadOnlyError, NetworkAccessError      403
QueryTimeoutError                      503     ``seconds`` (and a ``Retry-After`` header)
too many queries at once               503     (and a ``Retry-After`` header)
EndpointError                          502
=====================================  ======  ==========================================

Example:
    >>> from glutegraph.errors import UnknownNameError
    >>> problem = problem_for(UnknownNameError("muscle", "glute medus", ["gluteus medius"]))
    >>> problem.status, problem.type, problem.suggestions
    (404, '/problems/unknown-name', ['gluteus medius'])

"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from glutegraph.errors import (
    AmbiguousNameError,
    EndpointError,
    GluteGraphError,
    InvalidArgumentError,
    NetworkAccessError,
    NotAcceptableError,
    QueryError,
    QueryResourceError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooComplexError,
    ReadOnlyError,
    ResultTooLargeError,
    UnknownNameError,
)

__all__ = ["PROBLEM_TYPES", "Problem", "problem_for"]

MEDIA_TYPE = "application/problem+json"

#: Problem type (the last part of its URI) -> (title, what it means and what to do).
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    "unknown-name": ("No such entity", "No entity of the wanted kind has this label, synonym, "
                     "CURIE or IRI; 'suggestions' lists the nearest names."),
    "ambiguous-name": ("Ambiguous name", "The name matches several entities equally well; "
                       "'candidates' lists them: pass a CURIE instead."),
    "invalid-argument": ("Invalid argument", "A parameter has the wrong type or is out of "
                         "range; the detail (and 'errors') name it and what it accepts."),
    "query-syntax": ("SPARQL syntax error", "The query is not valid SPARQL; 'line' and "
                     "'column' point at the problem."),
    "query-too-complex": ("Query too complex", "The query is longer, nests deeper or has more "
                          "operators than glutegraph.guards allows (checked before parsing)."),
    "result-too-large": ("Answer too large", "The answer has more rows than allowed: add a "
                         "LIMIT."),
    "query-resources": ("Query too heavy", "The query needed more memory, or gave a larger "
                        "answer, than allowed: simplify it or add a LIMIT."),
    "query-refused": ("Query refused", "The query could not be run as written."),
    "read-only": ("Read-only", "This API only reads: SPARQL UPDATE, LOAD, CLEAR, DROP and "
                  "SERVICE are refused."),
    "timeout": ("Query timed out", "No answer within the time allowed; simplify the query "
                "or retry later."),
    "not-acceptable": ("Not acceptable", "The Accept header asks for no format this answer "
                       "comes in; 'acceptable' lists those it does."),
    "busy": ("Busy", "Too many SPARQL queries are running; retry after the Retry-After "
             "seconds."),
    "endpoint": ("Upstream endpoint failed", "The SPARQL endpoint behind the graph could not "
                 "be reached."),
    "not-found": ("Not found", "No such resource: see /docs for the routes."),
    "method-not-allowed": ("Method not allowed", "This route does not take that method."),
    "internal": ("Internal error", "An unexpected error; it is a bug, please report it."),
}


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, for people (``detail``) and programs (``type``)."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    suggestions: list[str] | None = None


def problem(problem_type: str, status: int, detail: str | None, **extra: Any) -> Problem:
    """Return a problem of type ``problem_type`` (a key of :data:`PROBLEM_TYPES`)."""
    title = PROBLEM_TYPES[problem_type][0]
    return Problem(type=f"/problems/{problem_type}", title=title, status=status, detail=detail,
                   **extra)


def problem_for(error: GluteGraphError) -> Problem:
    """Return the problem response for one of glutegraph's errors."""
    detail = str(error)
    if isinstance(error, UnknownNameError):
        return problem("unknown-name", 404, detail, kind=error.kind, name=error.name,
                       suggestions=error.suggestions)
    if isinstance(error, AmbiguousNameError):
        return problem("ambiguous-name", 400, detail, name=error.name,
                       candidates=list(error.candidates))
    if isinstance(error, QueryTimeoutError):
        return problem("timeout", 503, detail, seconds=error.seconds)
    if isinstance(error, ReadOnlyError | NetworkAccessError):
        return problem("read-only", 403, detail)
    if isinstance(error, QuerySyntaxError):
        return problem("query-syntax", 400, detail, line=error.line, column=error.column)
    if isinstance(error, QueryTooComplexError):
        return problem("query-too-complex", 400, detail)
    if isinstance(error, ResultTooLargeError):
        return problem("result-too-large", 400, detail, limit=error.limit)
    if isinstance(error, QueryResourceError):
        return problem("query-resources", 400, detail)
    if isinstance(error, QueryError):
        return problem("query-refused", 400, detail)
    if isinstance(error, NotAcceptableError):
        return problem("not-acceptable", 406, detail, acceptable=error.acceptable)
    if isinstance(error, EndpointError):
        return problem("endpoint", 502, detail)
    if isinstance(error, InvalidArgumentError):
        return problem("invalid-argument", 400, detail)
    return problem("invalid-argument", 400, detail)  # the rest: a request the graph refused
