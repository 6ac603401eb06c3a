"""Converting between RDF terms (pyoxigraph) and plain Python values, and CURIEs.

Query results come back as Python values: IRIs as ``str``, literals by datatype (``int``,
``Decimal``, ``float``, ``bool``, ``datetime.date``, ``str``). Values given to a query are
turned into RDF terms here, so they are bound, never pasted into the query text.

Example:
    >>> from glutegraph.terms import to_python, to_term
    >>> to_python(to_term(3))
    3
    >>> curie("https://w3id.org/glutegraph/kb/piriformis")
    'kb:piriformis'

"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from glutegraph.errors import QueryError
from glutegraph.namespaces import PREFIXES

XSD = PREFIXES["xsd"]
_INTEGER_TYPES = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOAT_TYPES = {XSD + "double", XSD + "float"}
# Longest namespace first, so that a CURIE uses the most specific prefix.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def to_python(term: Any) -> Any:
    """Return the Python value of an RDF term (``None`` stays ``None``).

    Example:
        >>> to_python(ox.Literal("69.5", datatype=ox.NamedNode(XSD + "decimal")))
        Decimal('69.5')
        >>> to_python(ox.NamedNode("https://w3id.org/glutegraph/kb/piriformis"))
        'https://w3id.org/glutegraph/kb/piriformis'

    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return literal_value(term)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def literal_value(literal: ox.Literal) -> Any:
    """Return a literal's value as the Python type of its datatype (``str`` when unknown)."""
    datatype = literal.datatype.value
    text = literal.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(text)
        if datatype == XSD + "decimal":
            return Decimal(text)
        if datatype in _FLOAT_TYPES:
            return float(text)
        if datatype == XSD + "boolean":
            return text in ("true", "1")
        if datatype == XSD + "date":
            return datetime.date.fromisoformat(text)
    except (ValueError, InvalidOperation):
        return text  # an ill-typed literal keeps its lexical form
    return text


def to_term(value: Any) -> Term:
    """Return the RDF term for a Python value given as a query binding.

    ``str`` becomes a plain literal, so that a user's text is always data. Pass an IRI as
    :func:`iri`, or as a pyoxigraph ``NamedNode``.

    Raises:
        QueryError: the value has no RDF term (a list, say).

    Example:
        >>> to_term("gluteus medius")
        <Literal value=gluteus medius datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
        >>> to_term(iri("kb:piriformis"))
        <NamedNode value=https://w3id.org/glutegraph/kb/piriformis>

    """
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        try:
            digits = str(value)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise QueryError(
                f"cannot bind an int of {value.bit_length():,} bits: it has more digits than "
                "Python turns into text; bind a smaller number or a Decimal"
            ) from None
        return ox.Literal(digits, datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, Decimal):
        return ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, datetime.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, str):
        try:
            return ox.Literal(value)
        except ValueError:  # a lone surrogate: not text that RDF (UTF-8) can hold
            raise QueryError(f"cannot bind {value[:40]!r}: it is not valid Unicode text") from None
    raise QueryError(f"cannot bind a {type(value).__name__} as an RDF term: {value!r}")


def iri(name: str) -> ox.NamedNode:
    """Return the IRI node for a full IRI or a CURIE with one of glutegraph's prefixes.

    Raises:
        QueryError: the text is neither.

    Example:
        >>> iri("gg:Muscle").value
        'https://w3id.org/glutegraph/ontology/Muscle'

    """
    expanded = expand(name)
    if expanded is None:
        raise QueryError(f"{name!r} is not an IRI or a CURIE with a known prefix")
    try:
        return ox.NamedNode(expanded)
    except ValueError as exc:
        raise QueryError(f"{name!r} is not a valid IRI: {exc}") from exc


def expand(name: str) -> str | None:
    """Return the full IRI of a CURIE or IRI, or ``None`` if it is neither.

    Example:
        >>> expand("kb:gluteus_medius")
        'https://w3id.org/glutegraph/kb/gluteus_medius'
        >>> expand("gluteus medius") is None
        True

    """
    if name.startswith(("http://", "https://", "urn:")):
        return name
    prefix, colon, local = name.partition(":")
    if colon and prefix in PREFIXES and " " not in local:
        return PREFIXES[prefix] + local
    return None


def curie(value: str) -> str:
    """Return the shortest CURIE for an IRI, or the IRI itself.

    Example:
        >>> curie("http://purl.org/dc/terms/source")
        'dcterms:source'

    """
    for prefix, namespace in _BY_LENGTH:
        if value.startswith(namespace):
            return f"{prefix}:{value[len(namespace) :]}"
    return value
