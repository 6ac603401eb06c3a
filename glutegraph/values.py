r"""Binding values into a query for an endpoint that cannot take bindings: an inline VALUES block.

The SPARQL 1.1 Protocol has no way to send bindings beside the query, so for a remote endpoint
the bound terms go into the query as a ``VALUES`` block at the start of its WHERE clause. Every
value is first made an RDF term and written by pyoxigraph in N-Triples form (which escapes
quotes, backslashes and line breaks), and variable names are checked, so a value can never
change the query's meaning: it is data inside ``VALUES``, never SPARQL text. Blank nodes cannot
be bound this way (SPARQL forbids them in VALUES).

To find where the WHERE clause starts, the text is scanned with comments, strings and IRIs
skipped; nothing else in it is changed and the prologue keeps its line numbers.

Example:
    >>> import pyoxigraph as ox
    >>> print(with_values('SELECT ?x ?n WHERE { ?x rdfs:label ?n }',
    ...                   {"n": ox.Literal('say "hi" }')}))
    SELECT ?x ?n WHERE { VALUES (?n) { ("say \"hi\" }") } ?x rdfs:label ?n }

"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pyoxigraph as ox

from glutegraph.errors import QueryError, QuerySyntaxError

__all__ = ["keywords", "where_clause_start", "with_values"]

_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_NAME_CHARS = re.compile(r"[\w?$:.-]")
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def with_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Return ``sparql`` with ``bindings`` in a VALUES block opening its WHERE clause.

    Raises:
        QueryError: a variable name is not a plain SPARQL name, or a value is not an IRI or
            literal.
        QuerySyntaxError: the text has no WHERE clause to bind into.

    Example:
        >>> import pyoxigraph as ox
        >>> with_values("ASK { ?s ?p ?o }", {"s": ox.NamedNode("http://x/a")})
        'ASK { VALUES (?s) { (<http://x/a>) } ?s ?p ?o }'

    """
    if not bindings:
        return sparql
    names, terms = [], []
    for name, term in bindings.items():
        if not _VARIABLE_NAME.fullmatch(name):
            raise QueryError(f"cannot bind {name!r}: a variable name is letters, digits and _")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise QueryError(
                f"cannot bind ?{name} to {term!r} on a remote endpoint: only IRIs and literals "
                "can be sent in VALUES"
            )
        names.append(f"?{name}")
        terms.append(str(term))
    at = where_clause_start(sparql)
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    return sparql[:at] + block + sparql[at:]


def where_clause_start(sparql: str) -> int:
    """Return the index just after the ``{`` that opens the query's WHERE clause.

    Raises:
        QuerySyntaxError: no WHERE clause was found (an update, or not a query at all).

    Example:
        >>> q = 'CONSTRUCT { ?s a "{" } WHERE { ?s ?p ?o }'
        >>> q[where_clause_start(q):]
        ' ?s ?p ?o }'

    """
    form: str | None = None
    skip_template = False
    depth = 0
    for token, at in _tokens(sparql):
        if token == "{":
            if depth == 0 and not skip_template:
                if form != "CONSTRUCT":
                    return at + 1
                skip_template = True  # the template comes first; the WHERE clause after it
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0 and skip_template:
                skip_template, form = False, "CONSTRUCT-TEMPLATE-DONE"
        elif depth == 0:
            if form is None and token in _FORMS:
                form = token
            elif token == "WHERE" and form == "CONSTRUCT":
                form = "CONSTRUCT-TEMPLATE-DONE"  # CONSTRUCT WHERE { ... }: no template
    raise QuerySyntaxError("no WHERE clause found: only SELECT, ASK, CONSTRUCT and DESCRIBE "
                           "queries with a WHERE clause can take bound values here")


def keywords(sparql: str) -> Iterator[str]:
    r"""Yield the bare words of a query (upper-cased), skipping comments, strings and IRIs.

    Variables (``?service``), prefixed names (``ex:service``) and numbers are not bare words.

    Example:
        >>> list(keywords('SELECT ?service # SERVICE\nWHERE { ?s ex:service "SERVICE" }'))
        ['SELECT', 'WHERE']

    """
    return (token for token, _ in _tokens(sparql) if token not in ("{", "}"))


def _tokens(sparql: str) -> Iterator[tuple[str, int]]:
    """Yield the braces and bare words (upper-cased) of a query with their positions.

    Comments, strings, IRIs, variables, prefixed names and numbers are skipped.
    """
    i = 0
    while i < len(sparql):
        char = sparql[i]
        if char == "#":
            end = sparql.find("\n", i)
            i = len(sparql) if end < 0 else end + 1
        elif char in "\"'":
            i = _string_end(sparql, i)
        elif char == "<" and (iri := _IRI.match(sparql, i)):
            i = iri.end()
        elif char in "{}":
            yield char, i
            i += 1
        elif (word := _WORD.match(sparql, i)) and not _after_name(sparql, i):
            if not sparql.startswith(":", word.end()):  # a prefix, as in ``service:x``
                yield word.group().upper(), i
            i = word.end()
        else:
            i += 1


def _after_name(text: str, i: int) -> bool:
    """Whether position ``i`` continues a variable, prefixed name or number (not a keyword)."""
    return i > 0 and _NAME_CHARS.match(text[i - 1]) is not None


def _string_end(text: str, i: int) -> int:
    """Return the index after the string literal starting at ``i`` (short or long form)."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = i + 3
        while end < len(text):
            if text[end] == "\\":
                end += 2
            elif text.startswith(quote * 3, end):
                return end + 3
            else:
                end += 1
        return len(text)
    end = i + 1
    while end < len(text) and text[end] not in (quote, "\n"):
        end += 2 if text[end] == "\\" else 1
    return end + 1
