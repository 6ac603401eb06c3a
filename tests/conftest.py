"""Shared fixtures: the bundled graph, loaded once, and a SPARQL helper that binds values as terms."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Identifier

import glutegraph
from glutegraph.cli import main
from glutegraph.engines.virtuoso import VirtuosoServer, isql_program, virtuoso_program
from glutegraph.namespaces import KB, sparql_prologue
from glutegraph.server import OxigraphServer


@pytest.fixture(scope="session")
def graph() -> Graph:
    return glutegraph.load_rdflib()


# ---------------------------------------------------------------------- the backends

#: The real SPARQL engines the remote backend is tested against, each on its own server.
ENGINES = ["oxigraph", "virtuoso"]


@dataclass
class Remote:
    """A server holding the glutegraph data: where to query, where to upload, which graph."""

    engine: str
    query_url: str
    store_url: str
    graph: str | None  # None: the default graph (Oxigraph); Virtuoso needs a named graph

    def connect(self, **options: Any) -> glutegraph.KnowledgeGraph:
        return glutegraph.connect(self.query_url, graph=self.graph, **options)

    def upload(self, *files: Any, **options: Any) -> int:
        return glutegraph.upload(self.store_url, files, graph=self.graph, **options)

    @property
    def cli(self) -> list[str]:
        """The command-line options that point a glutegraph command at this server."""
        return ["--endpoint", self.query_url, *(["--graph", self.graph] if self.graph else [])]


def _oxigraph(server: OxigraphServer) -> Remote:
    return Remote("oxigraph", server.query_url, server.store_url, None)


def _virtuoso(server: VirtuosoServer) -> Remote:
    return Remote("virtuoso", server.query_url, server.store_url, server.graph)


def install_virtuoso() -> None:
    """Install Virtuoso's programs from the distribution if they are missing (as .ci/run does)."""
    try:
        virtuoso_program(), isql_program()
        return
    except glutegraph.StoreError:
        pass
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    quiet = {"check": True, "capture_output": True, "timeout": 900}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], **quiet)
    subprocess.run([*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                    "-qq", "--no-install-recommends", "virtuoso-opensource-7-bin"], **quiet)
    virtuoso_program(), isql_program()


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[OxigraphServer]:
    """A real Oxigraph server on a free loopback port, filled by `glutegraph upload`, then stopped."""
    with OxigraphServer() as server:
        assert main(["upload", server.store_url]) == 0
        yield server


@pytest.fixture(scope="session")
def virtuoso_server() -> Iterator[VirtuosoServer]:
    """A real Virtuoso on free loopback ports, its own scratch database, filled by `upload`.

    The server's own time limit is 5 s, so that the slow queries of the timeout tests do not
    keep it busy for long after the client gave up.
    """
    install_virtuoso()
    with VirtuosoServer(timeout_s=5) as server:
        # --replace (HTTP PUT): the way that showed a Virtuoso plan bug (exercise_activation.rq)
        assert main(["upload", server.store_url, "--graph", server.graph, "--replace"]) == 0
        yield server


@pytest.fixture(scope="session")
def scratch_virtuoso() -> Iterator[tuple[VirtuosoServer, set[str]]]:
    """A second, empty Virtuoso for the tests that write, and the system graphs it starts with."""
    install_virtuoso()
    with VirtuosoServer() as server:
        yield server, set(server.graphs())


@pytest.fixture(scope="session", params=ENGINES)
def remote(request: pytest.FixtureRequest) -> Remote:
    """Each engine's server with the bundled data in it (the suites run once per engine)."""
    if request.param == "oxigraph":
        return _oxigraph(request.getfixturevalue("oxigraph_server"))
    return _virtuoso(request.getfixturevalue("virtuoso_server"))


@pytest.fixture(params=ENGINES)
def scratch_remote(request: pytest.FixtureRequest) -> Iterator[Remote]:
    """An empty, writable server of each engine, for one test.

    Oxigraph: a new in-memory server. Virtuoso (seconds to start): the session's scratch
    server, every graph but its own system graphs dropped first.
    """
    if request.param == "oxigraph":
        with OxigraphServer() as server:
            yield _oxigraph(server)
        return
    server, system_graphs = request.getfixturevalue("scratch_virtuoso")
    for graph in set(server.graphs()) - system_graphs:
        server.isql(f"SPARQL CLEAR GRAPH <{graph}>;")
    yield _virtuoso(server)


@pytest.fixture(scope="session")
def embedded_kg() -> glutegraph.KnowledgeGraph:
    return glutegraph.load()


@pytest.fixture(scope="session")
def remote_kg(remote: Remote) -> glutegraph.KnowledgeGraph:
    return remote.connect(timeout=60)


@pytest.fixture(scope="session", params=["embedded", *ENGINES])
def any_kg(request: pytest.FixtureRequest) -> glutegraph.KnowledgeGraph:
    """The same API over the embedded pyoxigraph store and over each engine's server."""
    if request.param == "embedded":
        kg: glutegraph.KnowledgeGraph = request.getfixturevalue("embedded_kg")
        return kg
    server = request.getfixturevalue(f"{request.param}_server")
    wrap = _oxigraph if request.param == "oxigraph" else _virtuoso
    return wrap(server).connect(timeout=60)


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
