"""Benchmark of the Python API on every backend, side by side in one run.

Measures ``import glutegraph`` against ``import rdflib`` (fresh interpreters, interleaved),
``glutegraph.load()``, and the median latency of each API question on the bundled graph and on
synthetic graphs of about 10^4, 10^5 and 10^6 triples. A synthetic graph is the bundled
knowledge base copied N times with every kb: IRI and name renamed per copy (the schema is
shared), so it has the same shape and the answers for the original names stay the same size.

Columns, for each question on each graph, measured one after the other:

- "API": the typed call on the embedded store (``KnowledgeGraph(store)``);
- "raw pyoxigraph": the same named queries (the same text, values bound in it by
  ``named_query``) on the same store, every term read into Python;
- "rdflib": that same text on an rdflib graph of the same triples (graphs up to
  ``--rdflib-max``; the run stops if rdflib and pyoxigraph return different numbers of rows);
- "Oxigraph server" and "Virtuoso": the typed call through ``glutegraph.connect()`` to an
  Oxigraph server and to Virtuoso (``virtuoso-t``, a different engine; see
  ``glutegraph.engines.virtuoso``) on loopback ports, the graph put in each with the Graph Store
  Protocol (Virtuoso: into a named graph, connected to with ``graph=``); each answer checked to
  have as many rows as embedded; "round trips" counts the HTTP requests of one call (Oxigraph /
  Virtuoso). Also timed per graph: opening it, ``connect()``, one round trip, each upload.

"rows" is the number of answers (models) the API returned.

Run:  .venv/bin/python benchmarks/bench_api.py [--sizes 1e4,1e5,1e6] [--rdflib-max 2e5]
          [--no-servers] [--out benchmarks/results.md]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import glutegraph as gg
from glutegraph.errors import StoreError
from glutegraph.graph import KnowledgeGraph
from glutegraph.models import Condition, Entity, MuscularStructure
from glutegraph.names import index_names
from glutegraph.namespaces import KB, PREFIXES, sparql_prologue
from glutegraph.questions import describe_query
from glutegraph.rdf import graph_from_triples
from glutegraph.sparql import named_query
from glutegraph.store import open_store

NAME_PREDICATES = {PREFIXES["rdfs"] + "label", PREFIXES["oboInOwl"] + "hasExactSynonym",
                   PREFIXES["oboInOwl"] + "hasRelatedSynonym", PREFIXES["oboInOwl"] + "hasDbXref"}


def median_ms(
    fn: Callable[[], Any], budget_s: float = 1.0, max_runs: int = 200
) -> tuple[float, int]:
    """Return the median wall time of ``fn`` in ms, over up to ``max_runs`` runs in ``budget_s``."""
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < max_runs and (len(times) < 3 or time.perf_counter() - start < budget_s):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if times[-1] > budget_s:  # one slow run is enough
            break
    return statistics.median(times) * 1e3, len(times)


class Table:
    """A markdown table printed row by row as it is measured, and written to a file at the end."""

    def __init__(self, *columns: str) -> None:
        self.lines: list[str] = []
        if columns:  # none: the caller prints its own headers (several tables in one file)
            self.say("| " + " | ".join(columns) + " |")
            self.say("|" + "---|" * len(columns))

    def say(self, text: str = "") -> None:
        """Print one line and keep it."""
        print(text, flush=True)
        self.lines.append(text)

    def write(self, path: Path | None) -> None:
        """Write every line to ``path`` (nothing when None)."""
        if path is not None:
            path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def bench_arguments(doc: str, sizes: str) -> argparse.Namespace:
    """Parse --sizes (synthetic graph sizes, "" for the bundled graph only) and --out."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--sizes", default=sizes, help="synthetic graph sizes, e.g. 1e4,1e5")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    return parser.parse_known_args()[0]


def graph_sizes(sizes: str) -> list[tuple[str, float]]:
    """Return (label, triples) for the bundled graph and each synthetic size in ``sizes``."""
    return [("bundled", 0.0)] + [(s, float(s)) for s in sizes.split(",") if s]


def import_times(runs: int = 15) -> dict[str, float]:
    """Median ms of importing a module in a fresh interpreter, glutegraph and rdflib interleaved."""
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"
    found: dict[str, list[float]] = {"glutegraph": [], "rdflib": [], "pyoxigraph": []}
    for _ in range(runs):
        for module, times in found.items():
            out = subprocess.run([sys.executable, "-c", code.format(module)],
                                 capture_output=True, text=True, check=True)
            times.append(float(out.stdout) * 1e3)
    return {m: statistics.median(t) for m, t in found.items()}


def synthetic_store(target: int) -> ox.Store:
    """Return a store of about ``target`` triples: the bundled graph plus renamed copies."""
    base = open_store()
    quads = list(base.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    kb = str(KB)
    own = [q for q in quads if any(isinstance(t, ox.NamedNode) and t.value.startswith(kb)
                                   for t in (q.subject, q.object))]
    copies = max(0, round((target - len(quads)) / len(own)))
    store = ox.Store()
    store.bulk_extend(quads)

    def rename(term: Any, i: int, name: bool) -> Any:
        if isinstance(term, ox.NamedNode) and term.value.startswith(kb):
            return ox.NamedNode(f"{term.value}__c{i}")
        if name and isinstance(term, ox.Literal):
            return ox.Literal(f"{term.value} #{i}", language=term.language) if term.language \
                else ox.Literal(f"{term.value} #{i}")
        return term

    for i in range(1, copies + 1):
        store.bulk_extend(
            ox.Quad(rename(q.subject, i, False), q.predicate,
                    rename(q.object, i, q.predicate.value in NAME_PREDICATES), ox.DefaultGraph())
            for q in own
        )
    index_names(store)  # the name keys glutegraph writes with the data (a named graph)
    return store


Plan = list[tuple[str, dict[str, Any]]]


def cases(kg: KnowledgeGraph) -> list[tuple[str, Callable[[], Any], Plan]]:
    """Return (label, API call, [(named query, bindings)] that the call runs) per question."""
    def iri(name: str, kind: str | None = None) -> ox.NamedNode:
        return ox.NamedNode(kg.resolve(name, kind).iri)

    gg_ = PREFIXES["gg"]
    return [
        ('muscle("gluteus medius")', lambda: kg.muscle("gluteus medius"),
         [describe_query(MuscularStructure, [kg.resolve("gluteus medius").iri])]),
        ('muscles("hip abduction")', lambda: kg.muscles("hip abduction"),
         [("muscles_for_action", {"action": iri("hip abduction")})]),
        ('exercises(target="gluteus medius")', lambda: kg.exercises(target="gluteus medius"),
         [("exercise_activation", {"target": iri("gluteus medius")})]),
        ('measurements(muscle="gluteus maximus")',
         lambda: kg.measurements(muscle="gluteus maximus"),
         [("measurements", {"muscle": iri("gluteus maximus")})]),
        ('condition("piriformis syndrome")', lambda: kg.condition("piriformis syndrome"),
         [describe_query(Condition, [kg.resolve("piriformis syndrome").iri])]),
        ('entity("piriformis")', lambda: kg.entity("piriformis"),
         [describe_query(Entity, [kg.resolve("piriformis").iri])]),
        ('treatments("piriformis syndrome")', lambda: kg.treatments("piriformis syndrome"),
         [("treatment_evidence", {"condition": iri("piriformis syndrome")})]),
        ('claims("corrected")', lambda: kg.claims("corrected"),
         [("claims", {"verdict": ox.NamedNode(gg_ + "Corrected")})]),
        ('conditions(involving="sciatic nerve")', lambda: kg.conditions(involving="sciatic nerve"),
         [("conditions_involving", {"involved": iri("sciatic nerve")}),
          describe_query(Condition, [c.iri for c in kg.conditions(involving="sciatic nerve")])]),
    ]


def run_raw(store: ox.Store, plan: Plan) -> int:
    """Run a plan's queries on raw pyoxigraph, reading every term; return the row count."""
    rows = 0
    for name, bindings in plan:
        answer = store.query(named_query(name, **bindings), prefixes=PREFIXES)
        rows += len([[None if t is None else t.value for t in row] for row in answer])
    return rows


def run_rdflib(graph: Any, plan: Plan) -> int:
    """Run a plan's queries (the same text, values bound in it) on rdflib; return the row count."""
    rows = 0
    for name, bindings in plan:
        rows += len(list(graph.query(sparql_prologue() + named_query(name, **bindings))))
    return rows


@dataclass
class QuestionTimes:
    """One question on one graph, timed on every backend side by side."""

    graph: str
    triples: int
    question: str
    api_ms: float
    raw_ms: float
    rows: int
    rdflib_ms: float | None = None
    rdflib_run: bool = False  # tried on rdflib (rdflib_ms None then: past the time limit)
    #: per server ("Oxigraph", "Virtuoso"): the API call through ``connect()``, ms
    remote_ms: dict[str, float] = field(default_factory=dict)
    #: per server: the HTTP requests one call sends (after the first call)
    trips: dict[str, int] = field(default_factory=dict)


@dataclass
class GraphTimes:
    """What was timed on one graph: its questions, and opening it and reaching it."""

    graph: str
    triples: int
    questions: list[QuestionTimes] = field(default_factory=list)
    open_ms: float = 0.0  # KnowledgeGraph(store)
    first_ms: float = 0.0  # the first muscle() after opening (its name looked up)
    connect_ms: dict[str, float] = field(default_factory=dict)
    floor_ms: dict[str, float] = field(default_factory=dict)  # one round trip (ASK {})
    upload_s: dict[str, float] = field(default_factory=dict)


def count_requests() -> Callable[[], int]:
    """Count every HTTP request glutegraph's client sends from now on; return the counter."""
    from glutegraph import client

    sent = [0]
    exchange = client._exchange

    def counted(*args: Any, **kwargs: Any) -> Any:
        sent[0] += 1
        return exchange(*args, **kwargs)

    client._exchange = counted  # type: ignore[assignment]
    return lambda: sent[0]


def measure_questions(
    sizes: list[tuple[str, float]], rdflib_max: float, servers: bool, say: Callable[[str], None]
) -> list[GraphTimes]:
    """Time every question of :func:`cases` on each graph, on every backend, interleaved.

    Backends: the API embedded, the same named queries on raw pyoxigraph, on rdflib (graphs up
    to ``rdflib_max`` triples) and, with ``servers``, the API through ``connect()`` to an
    Oxigraph server and to Virtuoso on loopback (each answer checked to have as many rows).
    Prints a table row per measure with ``say``.
    """
    requests = count_requests()
    say("| graph | triples | question | API ms | raw pyoxigraph ms | API / raw | rdflib ms | "
        "Oxigraph server ms | Virtuoso ms | round trips | rows |")
    say("|---|---|---|---|---|---|---|---|---|---|---|")
    found = []
    for label, size in sizes:
        store = open_store() if not size else synthetic_store(int(size))
        t = time.perf_counter()
        kg = KnowledgeGraph(store)
        open_ms = (time.perf_counter() - t) * 1e3
        t = time.perf_counter()
        kg.muscle("gluteus medius")  # the first name looked up (the name index is lazy)
        times = GraphTimes(label, len(kg), open_ms=open_ms,
                           first_ms=(time.perf_counter() - t) * 1e3)
        default = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        graph = graph_from_triples(default) if times.triples <= rdflib_max else None
        with contextlib.ExitStack() as stack:
            remotes = _remote_graphs(stack, store, times) if servers else {}
            remote_cases = {name: cases(remote) for name, remote in remotes.items()}
            for i, (name, api, plan) in enumerate(cases(kg)):
                rows = len(_rows(api()))
                q = QuestionTimes(label, times.triples, name, median_ms(api)[0],
                                  median_ms(lambda p=plan, s=store: run_raw(s, p))[0], rows)
                if graph is not None:
                    q.rdflib_ms = rdflib_ms(graph, plan, run_raw(store, plan), name)
                    q.rdflib_run = True
                for server, calls in remote_cases.items():
                    call = calls[i][1]
                    if len(_rows(call())) != rows:
                        raise SystemExit(f"{name}: {server} answers {len(_rows(call()))} rows,"
                                         f" embedded {rows}")
                    before = requests()
                    call()
                    q.trips[server] = requests() - before
                    q.remote_ms[server] = median_ms(call)[0]
                q.api_ms = min(q.api_ms, median_ms(api)[0])  # interleaved: A B C D A
                times.questions.append(q)
                say(_question_row(q))
        blank = "| " * 7
        say(f"| {label} | {times.triples:,} | opening the graph (`KnowledgeGraph(store)`) | "
            f"{times.open_ms:.1f} {blank}|")
        say(f"| {label} | {times.triples:,} | the first `muscle()` after opening (its name "
            f"looked up) | {times.first_ms:.1f} {blank}|")
        if servers:
            say(f"| {label} | {times.triples:,} | `connect()` (data check; names read when "
                f"needed) | | | | | {_cells(times.connect_ms, '.1f')} | | |")
            say(f"| {label} | {times.triples:,} | one HTTP round trip (`ASK {{}}`) | | | | | "
                f"{_cells(times.floor_ms, '.2f')} | | |")
            how = ("Graph Store Protocol; Virtuoso's bulk loader" if times.triples > BULK_ABOVE
                   else "Graph Store Protocol")
            say(f"| {label} | {times.triples:,} | upload ({how}), s | | | | | "
                f"{_cells(times.upload_s, '.2f')} | | |")
        found.append(times)
        del kg, store, graph
        gc.collect()
    return found


#: Virtuoso takes graphs larger than this through its bulk loader, not one Graph Store upload
#: (a million triples in one upload held its locks for over ten minutes without finishing).
BULK_ABOVE = 2e5

#: The servers of the remote columns, in column order.
SERVERS = ("Oxigraph", "Virtuoso")


#: The longest one rdflib call may take (s): past it the table says "> N s", not a median.
RDFLIB_LIMIT_S = 20


def rdflib_ms(graph: Any, plan: Plan, rows: int, name: str) -> float | None:
    """Return the median ms of a plan on rdflib (its rows checked), None past the time limit.

    rdflib is pure Python, so an alarm signal stops a call that runs past
    :data:`RDFLIB_LIMIT_S`; a first call slower than the usual budget is the measure itself.
    """
    def stop(_signum: int, _frame: Any) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(RDFLIB_LIMIT_S)
    try:
        began = time.perf_counter()
        found = run_rdflib(graph, plan)
        first_ms = (time.perf_counter() - began) * 1e3
        if found != rows:
            raise SystemExit(f"{name}: rdflib {found} rows, pyoxigraph {rows}")
        if first_ms > 2000:
            return first_ms
        return median_ms(lambda: run_rdflib(graph, plan), budget_s=2)[0]
    except TimeoutError:
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _cells(values: dict[str, float], spec: str) -> str:
    return " | ".join(format(values[s], spec) if s in values else "not run" for s in SERVERS)


def _question_row(q: QuestionTimes) -> str:
    rdf = (f"> {RDFLIB_LIMIT_S} s" if q.rdflib_ms is None and q.rdflib_run else "not run"
           if q.rdflib_ms is None else f"{q.rdflib_ms:.2f}")
    trips = " / ".join(str(q.trips[s]) for s in SERVERS if s in q.trips)
    return (f"| {q.graph} | {q.triples:,} | `{q.question}` | {q.api_ms:.3f} | {q.raw_ms:.3f} | "
            f"{q.api_ms / q.raw_ms:.2f} | {rdf} | {_cells(q.remote_ms, '.3f')} | {trips} | "
            f"{q.rows} |")


def _remote_graphs(
    stack: contextlib.ExitStack, store: ox.Store, times: GraphTimes
) -> dict[str, KnowledgeGraph]:
    """Start the servers on loopback, put ``store``'s graph in each; return a graph per server.

    Virtuoso is left out when ``virtuoso-t`` is not installed (its column says "not run").
    """
    from glutegraph.engines.virtuoso import VirtuosoServer, virtuoso_program
    from glutegraph.remote import SparqlEndpoint, upload_store
    from glutegraph.server import OxigraphServer

    places: dict[str, tuple[str, str, str | None]] = {}
    oxigraph = stack.enter_context(OxigraphServer(timeout_s=None))
    places["Oxigraph"] = (oxigraph.store_url, oxigraph.query_url, None)
    try:
        virtuoso_program()
    except StoreError:
        pass
    else:
        virtuoso = stack.enter_context(VirtuosoServer(timeout_s=0))
        places["Virtuoso"] = (virtuoso.store_url, virtuoso.query_url, virtuoso.graph)
    graphs = {}
    for name, (store_url, query_url, graph) in places.items():
        began = time.perf_counter()
        if name == "Virtuoso" and times.triples > BULK_ABOVE:
            virtuoso.bulk_load(store, graph=virtuoso.graph)
        else:
            upload_store(store_url, store, replace=True, timeout=900, graph=graph)
        times.upload_s[name] = time.perf_counter() - began
        times.connect_ms[name] = median_ms(
            lambda u=query_url, g=graph: gg.connect(u, graph=g), budget_s=3)[0]
        graphs[name] = gg.connect(query_url, graph=graph, timeout=900)
        if len(graphs[name]) != times.triples:
            raise SystemExit(f"{name} holds {len(graphs[name])} triples, not {times.triples}")
        endpoint = SparqlEndpoint(query_url, graph=graph)
        times.floor_ms[name] = median_ms(lambda e=endpoint: bool(e.query("ASK {}")))[0]
    return graphs


def main() -> None:
    """Run every measurement and print (and optionally write) the markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="synthetic graph sizes")
    parser.add_argument("--rdflib-max", type=float, default=2e5,
                        help="largest graph to also time in rdflib (it takes minutes above)")
    parser.add_argument("--no-servers", action="store_true",
                        help="leave out the Oxigraph server and Virtuoso columns")
    parser.add_argument("--out", type=Path, help="also write the markdown tables here")
    args = parser.parse_args()
    table = Table("measure", "glutegraph", "comparison")
    imports = import_times()
    load_ms, _ = median_ms(gg.load, budget_s=3)
    table.say(f"| import (fresh interpreter, median of 15) | {imports['glutegraph']:.1f} ms | "
              f"`import rdflib` {imports['rdflib']:.1f} ms "
              f"({imports['glutegraph'] / imports['rdflib']:.2f}x); `import pyoxigraph` "
              f"{imports['pyoxigraph']:.1f} ms |")
    table.say(f"| `glutegraph.load()` (bundled graph, median) | {load_ms:.1f} ms | |")
    table.say()
    measure_questions(graph_sizes(args.sizes), args.rdflib_max, not args.no_servers, table.say)
    table.write(args.out)


def _rows(answer: Any) -> list[Any]:
    return answer if isinstance(answer, list) else [answer]


if __name__ == "__main__":
    main()
