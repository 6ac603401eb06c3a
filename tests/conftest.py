"""Shared fixtures: the bundled graph, loaded once, and a SPARQL helper that binds values as terms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Identifier

import glutegraph
from glutegraph.cli import main
from glutegraph.namespaces import KB, sparql_prologue
from glutegraph.server import OxigraphServer


@pytest.fixture(scope="session")
def graph() -> Graph:
    return glutegraph.load_rdflib()


# ---------------------------------------------------------------------- the two backends

@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[OxigraphServer]:
    """A real Oxigraph server on a free loopback port, filled by `glutegraph upload`, then stopped."""
    with OxigraphServer() as server:
        assert main(["upload", server.store_url]) == 0
        yield server


@pytest.fixture(scope="session")
def embedded_kg() -> glutegraph.KnowledgeGraph:
    return glutegraph.load()


@pytest.fixture(scope="session")
def remote_kg(oxigraph_server: OxigraphServer) -> glutegraph.KnowledgeGraph:
    return glutegraph.connect(oxigraph_server.query_url, timeout=60)


@pytest.fixture(scope="session", params=["embedded", "remote"])
def any_kg(request: pytest.FixtureRequest) -> glutegraph.KnowledgeGraph:
    """The same API over the embedded pyoxigraph store and over the Oxigraph server."""
    kg: glutegraph.KnowledgeGraph = request.getfixturevalue(f"{request.param}_kg")
    return kg


#: Python source for "this process's own peak RSS in MB", for child processes that report it.
#: VmHWM belongs to the process's own memory map; ``ru_maxrss`` keeps the parent's (pytest's)
#: peak across fork and exec, so a child of a large pytest would report pytest's size.
PEAK_MB = "int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) // 1024"


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
