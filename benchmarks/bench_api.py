"""Benchmark of the Python API, side by side with plain rdflib and raw pyoxigraph, in one run.

Measures ``import glutegraph`` against ``import rdflib`` (fresh interpreters, interleaved),
``glutegraph.load()``, and the median latency of each API question on the bundled graph and on
synthetic graphs of about 10^4, 10^5 and 10^6 triples. A synthetic graph is the bundled
knowledge base copied N times with every kb: IRI and name renamed per copy (the schema is
shared), so it has the same shape and the answers for the original names stay the same size.

For each question, "raw pyoxigraph" runs the same named query (the same text, values bound in it
by ``named_query``) on the same store and reads every term into Python; "rdflib" runs that same
text on an rdflib graph of the same triples; the run stops if rdflib and pyoxigraph
return different numbers of rows. "rows" is the number of answers (models) the API returned.

Run:  .venv/bin/python benchmarks/bench_api.py [--sizes 1e4,1e5,1e6] [--out benchmarks/results.md]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import glutegraph as gg
from glutegraph.graph import KnowledgeGraph
from glutegraph.models import Condition, MuscularStructure
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


def main() -> None:
    """Run every measurement and print (and optionally write) the markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="synthetic graph sizes")
    parser.add_argument("--rdflib-max", type=float, default=2e5,
                        help="largest graph to also time in rdflib (it takes minutes above)")
    parser.add_argument("--out", type=Path, help="also write the markdown tables here")
    args = parser.parse_args()
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    imports = import_times()
    load_ms, _ = median_ms(gg.load, budget_s=3)
    say("| measure | glutegraph | comparison |")
    say("|---|---|---|")
    say(f"| import (fresh interpreter, median of 15) | {imports['glutegraph']:.1f} ms | "
        f"`import rdflib` {imports['rdflib']:.1f} ms "
        f"({imports['glutegraph'] / imports['rdflib']:.2f}x); `import pyoxigraph` "
        f"{imports['pyoxigraph']:.1f} ms |")
    say(f"| `glutegraph.load()` (bundled graph, median) | {load_ms:.1f} ms | |")
    say()
    say("| graph | triples | question | API ms | raw pyoxigraph ms | API / raw | rdflib ms "
        "| rows |")
    say("|---|---|---|---|---|---|---|---|")
    sizes = [("bundled", 0.0)] + [(s, float(s)) for s in args.sizes.split(",") if s]
    for label, size in sizes:
        store = open_store() if not size else synthetic_store(int(size))
        t = time.perf_counter()
        kg = KnowledgeGraph(store)
        open_ms = (time.perf_counter() - t) * 1e3
        t = time.perf_counter()
        kg.muscle("gluteus medius")  # the first name looked up (the name index is lazy)
        first_ms = (time.perf_counter() - t) * 1e3
        triples = len(kg)
        default = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        graph = graph_from_triples(default) if triples <= args.rdflib_max else None
        for name, api, plan in cases(kg):
            api_rows, raw_rows = len(_rows(api())), run_raw(store, plan)
            api_ms, _ = median_ms(api)
            raw_ms, _ = median_ms(lambda plan=plan, store=store: run_raw(store, plan))
            if graph is not None:
                rdflib_rows = run_rdflib(graph, plan)
                if rdflib_rows != raw_rows:
                    raise SystemExit(f"{name}: rdflib {rdflib_rows} rows, pyoxigraph {raw_rows}")
                rdf_ms, _ = median_ms(lambda plan=plan, g=graph: run_rdflib(g, plan), budget_s=2)
                rdf = f"{rdf_ms:.2f}"
            else:
                rdf = "not run"
            say(f"| {label} | {triples:,} | `{name}` | {api_ms:.3f} | {raw_ms:.3f} | "
                f"{api_ms / raw_ms:.2f} | {rdf} | {api_rows} |")
        say(f"| {label} | {triples:,} | opening the graph (`KnowledgeGraph(store)`) | "
            f"{open_ms:.1f} | | | | |")
        say(f"| {label} | {triples:,} | the first `muscle()` after opening (its name looked "
            f"up) | {first_ms:.1f} | | | | |")
        del kg, store, graph
        gc.collect()
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(answer: Any) -> list[Any]:
    return answer if isinstance(answer, list) else [answer]


if __name__ == "__main__":
    main()
