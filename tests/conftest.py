"""Shared fixtures: the bundled graph, loaded once, and a SPARQL helper that binds values as terms."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

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


# ---------------------------------------------------------------------- headless Chromium
# The distribution's Chromium (`apt-get install chromium`, done by .ci/run), driven by Playwright.

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]


def chromium_path() -> str:
    path = os.environ.get("GLUTEGRAPH_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("no Chromium found: install it (Debian: apt-get install chromium) or set "
                    "GLUTEGRAPH_CHROMIUM to its path")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Page:
    """A page with everything it logged and every request it made.

    With ``only_loopback``, a request to any host but 127.0.0.1 is aborted (and listed in
    ``blocked``): the page must work with no network but the local server.
    """

    def __init__(self, browser, url, width=1400, height=900, *, only_loopback=False):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.problems, self.requests, self.blocked = [], [], []
        if only_loopback:
            def loopback_only(route):
                if urlsplit(route.request.url).hostname == "127.0.0.1":
                    route.continue_()
                else:
                    self.blocked.append(route.request.url)
                    route.abort("internetdisconnected")

            self.page.route("**/*", loopback_only)
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
