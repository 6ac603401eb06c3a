"""Benchmark of the enlarged graph: the bundled graph against the bundled graph + both data sets.

Every measure is taken for (a) ``glutegraph.load()`` and (b) ``glutegraph.load(datasets=
["free-exercise-db", "wger"])``, side by side in one run, interleaved where it matters:

- loading in memory, in this process (median of --runs, the two graphs alternating);
- loading in a fresh process (a subprocess per run, so no in-process cache helps): in memory,
  the first fill of an on-disk store (``load(store=folder, ...)`` on an empty folder), its
  first reopening by another process and a later one (the first replays the write-ahead log
  the fill left); with the peak resident memory of that process (VmHWM from
  /proc/self/status) and the size of the store folder;
- the importers alone (``import_free_exercise_db()``, ``import_wger()``);
- ``kg.add(table)`` of a 20-row exercises table (a new file each run) on each graph, and the
  parts of the validation it runs on the whole graph (rdflib copy, pyshacl, SPARQL checks);
- the API questions, each with "raw pyoxigraph" (the same named queries with the same
  bindings, every term read, as in ``bench_api.py``) and the rows the API returned;
- ``kg.to_networkx()`` (uncached) and ``kg.explain()`` (cached network, as ``bench_network.py``).

Run:  .venv/bin/python benchmarks/bench_datasets.py [--runs 5] [--add-runs 3]
          [--out benchmarks/datasets_results.md]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import pyoxigraph as ox
from bench_api import median_ms, run_raw

import glutegraph as gg
from glutegraph.graph import KnowledgeGraph
from glutegraph.models import Condition, Exercise
from glutegraph.questions import describe_query

DATASETS = ["free-exercise-db", "wger"]
GRAPHS: list[tuple[str, list[str]]] = [("bundled", []), ("bundled + data sets", DATASETS)]

#: Run in a fresh interpreter: load one graph, print what it cost as JSON.
CHILD = r"""
import json, sys, time
start = time.perf_counter()
import glutegraph as gg

def peak_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")

store, datasets = sys.argv[1] or None, [d for d in sys.argv[2].split(",") if d]
t = time.perf_counter()
kg = gg.load(store=store, datasets=datasets)
load_s = time.perf_counter() - t
print(json.dumps({"load_ms": load_s * 1e3, "triples": len(kg), "peak_mb": peak_mb(),
                  "process_ms": (time.perf_counter() - start) * 1e3}))
"""

BASELINE = r"""
import glutegraph, pyoxigraph, glutegraph.graph, glutegraph.importers
with open("/proc/self/status") as status:
    print([int(l.split()[1]) / 1024 for l in status if l.startswith("VmHWM:")][0])
"""


class Report:
    """Markdown lines printed as they are measured, and written to a file at the end."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def say(self, text: str = "") -> None:
        """Print one line and keep it."""
        print(text, flush=True)
        self.lines.append(text)

    def table(self, *columns: str) -> None:
        """Start a table: a blank line, the header and its rule."""
        self.say()
        self.say("| " + " | ".join(columns) + " |")
        self.say("|" + "---|" * len(columns))

    def write(self, path: Path | None) -> None:
        """Write every line to ``path`` (nothing when None)."""
        if path is not None:
            path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def median_of(values: list[float]) -> float:
    """Return the median of ``values``."""
    return statistics.median(values)


def fmt_ms(ms: float) -> str:
    """Format milliseconds with as many digits as they deserve."""
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 1 else f"{ms:.3f}"


# ---------------------------------------------------------------------- loading


def in_process_loads(runs: int) -> dict[str, tuple[float, int]]:
    """Median ms and triples of ``gg.load(datasets=...)`` per graph, the graphs alternating."""
    times: dict[str, list[float]] = {label: [] for label, _ in GRAPHS}
    triples: dict[str, int] = {}
    for label, datasets in GRAPHS:  # warm up: modules imported, SSSOM tables read
        triples[label] = len(gg.load(datasets=datasets))
    for _ in range(runs):
        for label, datasets in GRAPHS:
            t = time.perf_counter()
            kg = gg.load(datasets=datasets)
            times[label].append((time.perf_counter() - t) * 1e3)
            del kg
            gc.collect()
    return {label: (median_of(times[label]), triples[label]) for label in times}


def child(store: str, datasets: list[str]) -> dict[str, float]:
    """Run :data:`CHILD` in a fresh interpreter; return its figures and its wall time."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, store, ",".join(datasets)],
                         capture_output=True, text=True, check=False)
    wall = (time.perf_counter() - t) * 1e3
    if out.returncode:
        raise SystemExit(f"child failed ({store or 'in memory'}, {datasets}):\n{out.stderr}")
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    figures["wall_ms"] = wall
    return figures


def folder_mb(folder: Path) -> float:
    """Return the size of the files under ``folder`` in MB."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def fresh_process_loads(runs: int) -> dict[tuple[str, str], dict[str, float]]:
    """Per (graph, mode): median of each figure over ``runs`` fresh processes, interleaved."""
    found: dict[tuple[str, str], dict[str, list[float]]] = {}

    def keep(key: tuple[str, str], figures: dict[str, float]) -> None:
        for name, value in figures.items():
            found.setdefault(key, {}).setdefault(name, []).append(value)

    for _ in range(runs):
        for label, datasets in GRAPHS:
            keep((label, "in memory"), child("", datasets))
            folder = Path(tempfile.mkdtemp(prefix="gg-bench-store-"))
            try:
                first = child(str(folder), datasets)
                first["folder_mb"] = folder_mb(folder)
                keep((label, "on disk, first fill"), first)
                again = child(str(folder), datasets)  # replays what the fill left in the WAL
                again["folder_mb"] = folder_mb(folder)
                keep((label, "on disk, first reopening"), again)
                keep((label, "on disk, later reopening"), child(str(folder), datasets))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    return {key: {n: median_of(v) for n, v in figures.items()} for key, figures in found.items()}


def baseline_peak_mb(runs: int = 3) -> float:
    """Peak RSS of a process that imports glutegraph's modules and loads nothing."""
    peaks = [float(subprocess.run([sys.executable, "-c", BASELINE], capture_output=True,
                                  text=True, check=True).stdout) for _ in range(runs)]
    return median_of(peaks)


# ---------------------------------------------------------------------- adding a table


def write_table(folder: Path, tag: str) -> Path:
    """Write a 20-row exercises table whose rows name muscles and equipment by glutegraph names."""
    equipment = ["barbell", "body weight", "dumbbell", "elastic band"]
    lines = ["name,id,level,equipment,primary_muscles,secondary_muscles"]
    for i in range(20):
        lines.append(f"Bench move {tag} {i},bench-{tag}-{i},beginner,{equipment[i % 4]},"
                     f"glute med,gluteus maximus;hamstrings")
    path = folder / f"bench-{tag}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def time_add(kg: KnowledgeGraph, path: Path) -> tuple[float, str]:
    """Return the ms ``kg.add(path)`` took and what it did (triples added, or why refused)."""
    t = time.perf_counter()
    try:
        added = kg.add(path)
        outcome = f"{added} triples added"
    except gg.ShapeViolationError as exc:
        lines = str(exc).splitlines()
        outcome = f"refused: {lines[-1].strip() if len(lines) > 1 else lines[0]}"
    return (time.perf_counter() - t) * 1e3, outcome


def validation_parts(kg: KnowledgeGraph) -> dict[str, float]:
    """Time the parts of ``validate_store`` on a copy of the graph (one run)."""
    from glutegraph.rdf import graph_from_triples
    from glutegraph.validation import shacl_violations, store_check_violations

    parts: dict[str, float] = {}
    t = time.perf_counter()
    trial = ox.Store()
    trial.extend(kg.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    parts["copy"] = time.perf_counter() - t
    t = time.perf_counter()
    data = graph_from_triples(trial.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    parts["rdflib"] = time.perf_counter() - t
    t = time.perf_counter()
    shacl_violations(data)
    parts["shacl"] = time.perf_counter() - t
    t = time.perf_counter()
    store_check_violations(trial)
    parts["checks"] = time.perf_counter() - t
    return {k: v * 1e3 for k, v in parts.items()}


# ---------------------------------------------------------------------- questions

Plan = list[tuple[str, dict[str, Any]]]


def cases(kg: KnowledgeGraph) -> list[tuple[str, Callable[[], Any], Plan | None]]:
    """Return (label, API call, the named queries it runs with their bindings) per question."""
    def iri(name: str, kind: str | None = None) -> ox.NamedNode:
        return ox.NamedNode(kg.resolve(name, kind).iri)

    def exercises(target: str) -> Plan:
        return [("exercise_activation", {"target": iri(target, "muscle")}),
                ("exercise_tags", {"target": iri(target, "muscle")})]

    involving = [c.iri for c in kg.conditions(involving="gluteus medius")]
    return [
        ('exercises(target="gluteus maximus")', lambda: kg.exercises(target="gluteus maximus"),
         exercises("gluteus maximus")),
        ('exercises(target="gluteus medius")', lambda: kg.exercises(target="gluteus medius"),
         exercises("gluteus medius")),
        ('exercise("hip thrust")', lambda: kg.exercise("hip thrust"),
         [describe_query(Exercise, [kg.resolve("hip thrust", "exercise").iri])]),
        ("muscles()", lambda: kg.muscles(), [("muscles_for_action", {})]),
        ("measurements()", lambda: kg.measurements(),
         [("measurements", {})]),
        ('conditions(involving="gluteus medius")',
         lambda: kg.conditions(involving="gluteus medius"),
         [("conditions_involving", {"involved": iri("gluteus medius")}),
          describe_query(Condition, involving)]),
        ('explain("piriformis", "sciatica") (cached network)',
         lambda: kg.explain("piriformis", "sciatica"), None),
    ]


def count(answer: Any) -> int:
    """Return the number of answers (1 for a single model)."""
    return len(answer) if isinstance(answer, list) else 1


# ---------------------------------------------------------------------- main


def main() -> None:
    """Run every measurement; print the markdown and write it to --out."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5,
                        help="runs of each load (in this process and in fresh processes)")
    parser.add_argument("--add-runs", type=int, default=3, help="runs of each kg.add(table)")
    parser.add_argument("--out", type=Path, help="also write the markdown here")
    args = parser.parse_args()
    started = time.perf_counter()
    report = Report()
    say = report.say
    command = " ".join([".venv/bin/python", "benchmarks/bench_datasets.py", *sys.argv[1:]])
    say(f"Command: `{command}`  ")
    say(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pyoxigraph {ox.__version__}, glutegraph {gg.__version__}. Graphs: (a) `gg.load()`, "
        f"(b) `gg.load(datasets={DATASETS!r})`.")

    # -- loading in this process
    loads = in_process_loads(args.runs)
    (a_ms, a_n), (b_ms, b_n) = loads[GRAPHS[0][0]], loads[GRAPHS[1][0]]
    say()
    say(f"### Loading (median of {args.runs}; fresh processes interleaved run by run)")
    report.table("graph", "how", "triples", "load ms", "whole process ms",
                 "peak RSS MB (VmHWM)", "store folder MB")
    for label, _ in GRAPHS:
        ms, n = loads[label]
        say(f"| {label} | in memory, in this process (`gg.load(...)`) | {n:,} | {fmt_ms(ms)} "
            "| | | |")
    fresh = fresh_process_loads(args.runs)
    for (label, mode), f in fresh.items():
        on_disk = f"{f['folder_mb']:.0f}" if "folder_mb" in f else ""
        say(f"| {label} | {mode}, fresh process | {int(f['triples']):,} | {fmt_ms(f['load_ms'])} "
            f"| {fmt_ms(f['wall_ms'])} | {f['peak_mb']:.0f} | {on_disk} |")
    say(f"| (none) | `import glutegraph` and its modules, nothing loaded, fresh process | | "
        f"| | {baseline_peak_mb():.0f} | |")
    say()
    say(f"In this process, the data sets make `load()` {b_ms / a_ms:.2f}x as slow "
        f"({b_n / a_n:.2f}x the triples). \"load ms\" in a fresh process includes importing "
        "glutegraph's modules on first use; \"whole process\" is interpreter start to exit.")

    # -- importers alone
    from glutegraph.importers import import_free_exercise_db, import_wger

    say()
    say("### Importers alone (in this process, SSSOM tables already read)")
    report.table("importer", "triples", "records imported", "median ms", "runs")
    for name, importer in (("import_free_exercise_db()", import_free_exercise_db),
                           ("import_wger()", import_wger)):
        done = importer()
        ms, runs = median_ms(importer, budget_s=3, max_runs=15)
        say(f"| `{name}` | {len(done.quads):,} | {done.report.imported:,} | {fmt_ms(ms)} "
            f"| {runs} |")

    graphs = {label: gg.load(datasets=datasets) for label, datasets in GRAPHS}

    # -- adding a table
    say()
    say(f"### `kg.add(table)`: a 20-row exercises CSV (median of {args.add_runs}, a new "
        "file each run, graphs alternating)")
    report.table("graph", "triples", "`kg.add(table)` ms", "outcome", "for comparison, a check "
                 "of the whole graph, ms: copy store / to rdflib / pyshacl / SPARQL checks")
    folder = Path(tempfile.mkdtemp(prefix="gg-bench-tables-"))
    add_ms: dict[str, list[float]] = {label: [] for label in graphs}
    outcome: dict[str, str] = {}
    parts: dict[str, list[dict[str, float]]] = {label: [] for label in graphs}
    triples_before = {label: len(kg) for label, kg in graphs.items()}
    try:
        for run in range(args.add_runs):
            for i, (label, kg) in enumerate(graphs.items()):
                ms, outcome[label] = time_add(kg, write_table(folder, f"{i}-{run}"))
                add_ms[label].append(ms)
                parts[label].append(validation_parts(kg))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for label in graphs:
        p = {k: median_of([x[k] for x in parts[label]]) for k in parts[label][0]}
        say(f"| {label} | {triples_before[label]:,} | {fmt_ms(median_of(add_ms[label]))} | "
            f"{outcome[label]} | {fmt_ms(p['copy'])} / {fmt_ms(p['rdflib'])} / "
            f"{fmt_ms(p['shacl'])} / {fmt_ms(p['checks'])} |")

    # -- questions (fresh graphs: the tables above are not in them)
    del graphs
    gc.collect()
    graphs = {label: gg.load(datasets=datasets) for label, datasets in GRAPHS}
    a, b = (graphs[label] for label, _ in GRAPHS)
    say()
    say("### API questions (median ms; graphs measured one after the other per question)")
    report.table("question", "(a) API ms", "(a) raw ms", "(a) API / raw", "(a) rows",
                 "(b) API ms", "(b) raw ms", "(b) API / raw", "(b) rows", "(b) / (a) API")
    for (name, call_a, plan_a), (_, call_b, plan_b) in zip(cases(a), cases(b), strict=True):
        row: list[str] = []
        api: list[float] = []
        for kg, call, plan in ((a, call_a, plan_a), (b, call_b, plan_b)):
            rows = count(call())
            ms, _ = median_ms(call, budget_s=2, max_runs=100)
            api.append(ms)
            if plan is not None:
                store = kg.store
                assert isinstance(store, ox.Store)

                def raw_call(store: ox.Store = store, plan: Plan = plan) -> int:
                    return run_raw(store, plan)

                raw_call()
                raw, _ = median_ms(raw_call, budget_s=2, max_runs=100)
                row += [fmt_ms(ms), fmt_ms(raw), f"{ms / raw:.2f}", str(rows)]
            else:
                row += [fmt_ms(ms), "", "", str(rows)]
        say(f"| `{name}` | " + " | ".join(row) + f" | {api[1] / api[0]:.2f} |")

    # -- networkx
    say()
    say("### networkx (median of up to 15 runs)")
    report.table("graph", "triples", "nodes", "edges", "`gg.to_networkx(kg)` (uncached) ms")
    for label, kg in graphs.items():
        g = kg.to_networkx()
        ms, _ = median_ms(partial(gg.to_networkx, kg), budget_s=4, max_runs=15)
        say(f"| {label} | {len(kg):,} | {g.number_of_nodes():,} | {g.number_of_edges():,} "
            f"| {fmt_ms(ms)} |")
    say()
    say(f"Whole run: {time.perf_counter() - started:.0f} s.")
    report.write(args.out)


if __name__ == "__main__":
    main()
