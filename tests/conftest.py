"""Shared fixtures: the bundled graph, loaded once, and a SPARQL helper that binds values as terms."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Identifier

import glutegraph
from glutegraph.namespaces import KB, sparql_prologue


@pytest.fixture(scope="session")
def graph() -> Graph:
    return glutegraph.load_rdflib()


def kb(name: str) -> URIRef:
    return URIRef(KB.term(name))


def ask(graph: Graph, query: str, **bindings: Any) -> list[tuple[Any, ...]]:
    """Run ``query`` with the project's prefixes; return rows of Python values (IRIs as kb: names)."""
    init = {Variable(k): v if isinstance(v, Identifier) else Literal(v) for k, v in bindings.items()}
    rows = []
    for row in graph.query(sparql_prologue() + query, initBindings=init):
        rows.append(tuple(_py(v) for v in row))  # type: ignore[union-attr]
    return rows


def _py(value: Any) -> Any:
    if isinstance(value, URIRef):
        return value.removeprefix(KB) if value.startswith(KB) else str(value)
    return None if value is None else value.toPython()
