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

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
