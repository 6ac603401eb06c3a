r"""Guards on what callers hand to glutegraph: query text before any parser sees it, and arguments.

**Query text.** pyoxigraph's SPARQL parser and evaluator recurse once per level of nesting and
once per link of an operator chain; a few kilobytes of ``{{{...}}}`` or ``!!!...`` overflow the
stack and end the Python process with a segmentation fault (no exception can catch that). So
:func:`check_query` scans the text first, in one linear pass that skips strings and comments
the way the SPARQL grammar does, and refuses with :class:`~glutegraph.errors.QueryTooComplexError`:

- text longer than :data:`MAX_QUERY_CHARS` characters;
- brackets ``{ ( [`` nested deeper than :data:`MAX_NESTING` (counted together, brackets inside
  IRIs too, so that no reading of ``<`` can hide them);
- more than :data:`MAX_OPERATORS` expression operators (``! && || = < > + - * / | ^``), or more
  than :data:`MAX_CLAUSES` clauses and separators (``. ; ,`` and ``UNION OPTIONAL MINUS BIND
  FILTER GRAPH SERVICE``; a comma inside parentheses, as in ``IN (1, 2)``, is not counted):
  these are the links of the chains the parser and the evaluator recurse on.

Text that is not a ``str``, or holds characters UTF-8 cannot encode (a lone surrogate), is a
:class:`~glutegraph.errors.QueryError`. Real queries are far inside these limits (the named
queries of glutegraph nest at most 4 deep, with at most 33 operators and clauses together); the
crash points measured with pyoxigraph 0.5 on an 8 MB stack are in the README's Security section.

**Arguments.** :func:`positive_int`, :func:`angle`, :func:`text` and :func:`choice` check
public arguments and raise :class:`~glutegraph.errors.InvalidArgumentError` naming the argument
and what it accepts.

Example:
    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    'SELECT * WHERE { ?s ?p ?o }'
    >>> check_query("SELECT * WHERE " + "{" * 100 + "}" * 100)
    Traceback (most recent call last):
    ...
    glutegraph.errors.QueryTooComplexError: the query nests brackets more than 64 deep ...
    >>> positive_int(-1, "limit")
    Traceback (most recent call last):
    ...
    glutegraph.errors.InvalidArgumentError: limit must be a positive whole number ..., not -1

"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NoReturn

from glutegraph.errors import InvalidArgumentError, QueryError, QueryTooComplexError

__all__ = [
    "MAX_CLAUSES",
    "MAX_NESTING",
    "MAX_OPERATORS",
    "MAX_QUERY_CHARS",
    "angle",
    "check_query",
    "choice",
    "positive_int",
    "seconds",
    "text",
    "texts",
]

#: The longest query text accepted, in characters.
MAX_QUERY_CHARS = 100_000
#: The deepest nesting of ``{ ( [`` accepted (together). pyoxigraph crashes past about 2,200.
MAX_NESTING = 64
#: The most expression operators accepted. pyoxigraph crashes past about 6,900 (``1+1+...``).
MAX_OPERATORS = 2_000
#: The most clauses and separators accepted. pyoxigraph crashes past about 2,500 (``BIND`` or
#: ``MINUS`` one after another, evaluated on a store with data).
MAX_CLAUSES = 500

_ECHAR = r"\\[tbnrf\\\"']"
_TOKENS = re.compile(  # most frequent first; the first and third alternatives count nothing
    r"[^\w#\"'<\\{}()\[\]&|!=>+*/^.;,-]+"  # spaces, ?, $, :, ...: a run at a time
    r"|(?P<op>&&|\|\||[!=>+*/|^-])"
    r"|(?P<clause>[.;,]|(?i:(?:UNION|OPTIONAL|MINUS|BIND|FILTER|GRAPH|SERVICE)(?!\w)))"
    r"|\w+"
    r"|(?P<open>[{(\[])"
    r"|(?P<close>[})\]])"
    r"|(?P<comment>\#[^\r\n]*)"
    rf"|(?P<string>\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}))*\"\"\""
    rf"|'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"
    rf"|\"(?:[^\"\\\r\n]|{_ECHAR})*\"|'(?:[^'\\\r\n]|{_ECHAR})*')"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<lt><)"  # not an IRI: "less than"
    r"|(?P<escape>\\.)",  # an escape in a local name (ex:a\#b, ex:a\(b): no comment, no bracket
    re.DOTALL,
)
_ANGLE_STEP = Decimal("0.000001")
_IRI_BRACKETS = re.compile(r"[()\[\]]")


def check_query(sparql: Any, what: str = "the query") -> str:
    """Return ``sparql`` if it is text glutegraph may hand to a SPARQL parser; raise otherwise.

    Raises:
        QueryError: ``sparql`` is not a ``str``, or holds text UTF-8 cannot encode.
        QueryTooComplexError: it is longer, deeper or has more operators than the limits.

    Example:
        >>> check_query(None)
        Traceback (most recent call last):
        ...
        glutegraph.errors.QueryError: the query must be SPARQL text (a str), not NoneType
        >>> check_query("SELECT * { FILTER(" + "!" * 5000 + "true) }")
        Traceback (most recent call last):
        ...
        glutegraph.errors.QueryTooComplexError: the query has more than 2,000 operators ...

    """
    if not isinstance(sparql, str):
        raise QueryError(f"{what} must be SPARQL text (a str), not {type(sparql).__name__}")
    if len(sparql) > MAX_QUERY_CHARS:
        raise QueryTooComplexError(
            f"{what} is {len(sparql):,} characters long, more than the {MAX_QUERY_CHARS:,} "
            "allowed (glutegraph.guards.MAX_QUERY_CHARS); bind large value lists in smaller "
            "queries"
        )
    try:
        sparql.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QueryError(
            f"{what} holds {sparql[exc.start:exc.end]!r} at {_place(sparql, exc.start)}, "
            "which is not valid Unicode text (a lone surrogate); SPARQL text must be UTF-8"
        ) from None
    open_brackets: list[str] = []  # innermost last; never longer than MAX_NESTING + 1
    operators = clauses = 0
    for token in _TOKENS.finditer(sparql):
        kind = token.lastgroup
        if kind is None or kind in ("comment", "string", "escape"):
            continue
        if kind in ("op", "lt"):
            operators += 1
            if operators > MAX_OPERATORS:
                _too_many(sparql, token.start(), what, "operators (such as && || ! + < =)",
                          MAX_OPERATORS, "MAX_OPERATORS")
        elif kind == "clause":
            if token.group() == "," and open_brackets[-1:] == ["("]:
                continue  # arguments and IN lists are flat: not a chain
            clauses += 1
            if clauses > MAX_CLAUSES:
                _too_many(sparql, token.start(), what, "clauses and separators (such as . ; , "
                          "UNION OPTIONAL MINUS BIND FILTER)", MAX_CLAUSES, "MAX_CLAUSES")
        else:  # brackets, or an IRI: "<" may also be read as "less than", so count its own
            brackets = _IRI_BRACKETS.findall(token.group()) if kind == "iri" else [token.group()]
            for bracket in brackets:
                if bracket in "{([":
                    open_brackets.append(bracket)
                    _check_depth(len(open_brackets), sparql, token.start(), what)
                elif open_brackets:
                    open_brackets.pop()
    return sparql


def _too_many(sparql: str, at: int, what: str, things: str, limit: int, name: str) -> NoReturn:
    raise QueryTooComplexError(
        f"{what} has more than {limit:,} {things}: number {limit + 1:,} is at "
        f"{_place(sparql, at)}; pyoxigraph recurses on each, so glutegraph refuses more "
        f"(glutegraph.guards.{name}): split the query"
    )


def _check_depth(depth: int, sparql: str, at: int, what: str) -> None:
    if depth > MAX_NESTING:
        raise QueryTooComplexError(
            f"{what} nests brackets more than {MAX_NESTING} deep ({{ ( [ together), at "
            f"{_place(sparql, at)}; pyoxigraph recurses on each level, so glutegraph refuses "
            "deeper queries (glutegraph.guards.MAX_NESTING): flatten the query"
        )


def _place(text: str, at: int) -> str:
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return f"line {line}, column {column}"


# ---------------------------------------------------------------------- arguments


def positive_int(value: Any, name: str, *, maximum: int | None = None) -> int:
    """Return ``value`` if it is a whole number from 1 to ``maximum``; raise otherwise.

    ``bool`` and ``float`` (even ``2.0``) are refused: a limit is a count.

    Example:
        >>> positive_int(3, "limit")
        3
        >>> positive_int(2.0, "limit")
        Traceback (most recent call last):
        ...
        glutegraph.errors.InvalidArgumentError: limit must be a positive whole number ..., not 2.0

    """
    upper = f" up to {maximum:,}" if maximum is not None else ""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (
        maximum is not None and value > maximum
    ):
        raise InvalidArgumentError(
            f"{name} must be a positive whole number (an int from 1{upper}), not {_show(value)}"
        )
    return value


def angle(value: Any, name: str, low: float = -30, high: float = 140) -> Decimal:
    """Return a finite angle in degrees from ``low`` to ``high`` as a Decimal; raise otherwise.

    The default range is the shapes' range for hip positions (``gg:hipFlexionMin``/``Max``).
    The angle is rounded to a millionth of a degree, which a SPARQL decimal holds exactly.

    Example:
        >>> angle(90, "hip_flexion"), angle(1e-320, "hip_flexion")
        (Decimal('90.000000'), Decimal('0.000000'))
        >>> angle(float("nan"), "hip_flexion")
        Traceback (most recent call last):
        ...
        glutegraph.errors.InvalidArgumentError: hip_flexion must be ... degrees ..., not nan

    """
    wanted = f"{name} must be a finite number of degrees from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidArgumentError(f"{wanted} (an int, float or Decimal), not {_show(value)}")
    if isinstance(value, int):
        finite = True
    else:
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite or not low <= value <= high:
        raise InvalidArgumentError(f"{wanted}, not {_show(value)}")
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(_ANGLE_STEP)  # 1e-320 is 0: SPARQL decimals hold 18 digits after "."


def seconds(value: Any, name: str, maximum: float = 86_400) -> float:
    """Return ``value`` if it is a finite number of seconds above 0, up to ``maximum`` (a day).

    Example:
        >>> seconds(float("nan"), "timeout")
        Traceback (most recent call last):
        ...
        glutegraph.errors.InvalidArgumentError: timeout must be a finite number of seconds ...

    """
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or not 0 < value <= maximum:
        raise InvalidArgumentError(
            f"{name} must be a finite number of seconds above 0 and up to {maximum:g}, "
            f"not {_show(value, typed=isinstance(value, bool))}"
        )
    return float(value)


def text(value: Any, name: str) -> str:
    """Return ``value`` if it is a ``str``; raise otherwise.

    Example:
        >>> text(1, "role")
        Traceback (most recent call last):
        ...
        glutegraph.errors.InvalidArgumentError: role must be text (a str), not int 1

    """
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be text (a str), not {_show(value, typed=True)}")
    return value


def texts(value: Any, name: str) -> list[str]:
    """Return ``value`` as a list of ``str``: one ``str``, or an iterable of them; raise otherwise.

    Example:
        >>> texts("hip thrust", "exercises"), texts(("a", "b"), "muscles")
        (['hip thrust'], ['a', 'b'])
        >>> texts(5, "muscles")
        Traceback (most recent call last):
        ...
        glutegraph.errors.InvalidArgumentError: muscles must be a name or a list of names, not int 5

    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | dict):
        items = list(value)
        if all(isinstance(item, str) for item in items):
            return items
    raise InvalidArgumentError(
        f"{name} must be a name or a list of names, not {_show(value, typed=True)}"
    )


def choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; raise with the choices (and the nearest).

    Example:
        >>> choice("musle", "kind", ["muscle", "nerve"])
        Traceback (most recent call last):
        ...
        glutegraph.errors.InvalidArgumentError: kind must be one of muscle, nerve, not 'musle'; ...

    """
    options = list(choices)
    if isinstance(value, str) and value in options:
        return value
    message = f"{name} must be one of {', '.join(options)}, not {_show(value, typed=True)}"
    if isinstance(value, str):
        import difflib

        close = difflib.get_close_matches(value, options, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
    raise InvalidArgumentError(message)


def _show(value: Any, typed: bool = False) -> str:
    """Return a short description of a value for a message (safe for huge ints and odd text).

    Numbers are shown bare unless ``typed``; other values but ``str`` with their type.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an int of {value.bit_length():,} bits"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and not typed:
        return repr(value) if not isinstance(value, Decimal) else str(value)
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    if isinstance(value, str):
        return shown
    return f"{type(value).__name__} {shown}"
