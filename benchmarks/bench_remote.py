"""Benchmark of the remote backend: the same API questions embedded, on Oxigraph and on Virtuoso.

For each graph, starts an Oxigraph server (the ``oxigraph`` program, same engine as the
embedded store) and a Virtuoso (``virtuoso-t``, a different engine; see
``glutegraph.engines.virtuoso``) on free loopback ports, puts the graph in each with the Graph
Store Protocol (Virtuoso: into a named graph, connected to with ``graph=``), then times every
question of ``bench_api.cases`` through ``glutegraph.load()`` and through ``glutegraph.connect()``
to each server, side by side, interleaved, in one run; each answer is checked to have as many
rows on every backend. Also timed: Virtuoso's start and each upload, ``connect()`` itself (the
data check; the name index is read when first needed) and the floor of one HTTP round trip
(``ASK {}``). Graphs: the bundled one and synthetic copies (see ``bench_api.synthetic_store``).

Run:  .venv/bin/python benchmarks/bench_remote.py [--sizes 1e4] [--out benchmarks/remote_results.md]
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_api import Table, bench_arguments, cases, graph_sizes, median_ms, synthetic_store

import glutegraph as gg
from glutegraph.engines.virtuoso import VirtuosoServer
from glutegraph.graph import KnowledgeGraph
from glutegraph.remote import SparqlEndpoint, upload_store
from glutegraph.server import OxigraphServer
from glutegraph.store import open_store


def main() -> None:
    """Print (and optionally write) the markdown table of remote against embedded latency."""
    args = bench_arguments(__doc__ or "", "1e5")
    table = Table("graph", "triples", "question", "embedded ms", "Oxigraph server ms",
                  "Virtuoso ms", "Oxigraph / embedded", "Virtuoso / embedded", "rows")
    say = table.say
    for label, size in graph_sizes(args.sizes):
        store = open_store() if not size else synthetic_store(int(size))
        started = time.perf_counter()
        with OxigraphServer(timeout_s=None) as oxigraph, VirtuosoServer(timeout_s=0) as virtuoso:
            start_s = time.perf_counter() - started  # both, side by side: Virtuoso's dominates
            upload_s = {}
            for name, url, graph in (("oxigraph", oxigraph.store_url, None),
                                     ("virtuoso", virtuoso.store_url, virtuoso.graph)):
                began = time.perf_counter()
                upload_store(url, store, replace=True, timeout=600, graph=graph)
                upload_s[name] = time.perf_counter() - began
            embedded = KnowledgeGraph(store)
            urls = {"oxigraph": (oxigraph.query_url, None),
                    "virtuoso": (virtuoso.query_url, virtuoso.graph)}
            connect_ms = {name: median_ms(lambda u=u, g=g: gg.connect(u, graph=g), budget_s=3)[0]
                          for name, (u, g) in urls.items()}
            remotes = {name: gg.connect(u, graph=g, timeout=600) for name, (u, g) in urls.items()}
            triples = len(embedded)
            for name, remote in remotes.items():
                if len(remote) != triples:
                    raise SystemExit(f"{label}: {name} holds {len(remote)} triples, not {triples}")
            pings = {name: SparqlEndpoint(u, graph=g) for name, (u, g) in urls.items()}
            floor_ms = {name: median_ms(lambda e=e: bool(e.query("ASK {}")))[0]
                        for name, e in pings.items()}
            for (question, local_call, _), (_, ox_call, _), (_, vt_call, _) in zip(
                cases(embedded), cases(remotes["oxigraph"]), cases(remotes["virtuoso"]), strict=True
            ):
                rows = {"embedded": _count(local_call()), "oxigraph": _count(ox_call()),
                        "virtuoso": _count(vt_call())}
                if len(set(rows.values())) != 1:
                    raise SystemExit(f"{question}: rows differ between backends: {rows}")
                local_ms, _ = median_ms(local_call)
                ox_ms, _ = median_ms(ox_call)
                vt_ms, _ = median_ms(vt_call)
                local_ms = min(local_ms, median_ms(local_call)[0])  # interleave: A B C A
                say(f"| {label} | {triples:,} | `{question}` | {local_ms:.3f} | {ox_ms:.3f} | "
                    f"{vt_ms:.3f} | {ox_ms / local_ms:.2f} | {vt_ms / local_ms:.2f} | "
                    f"{rows['embedded']} |")
            say(f"| {label} | {triples:,} | `connect()` (data check; names read when needed) | | "
                f"{connect_ms['oxigraph']:.1f} | {connect_ms['virtuoso']:.1f} | | | |")
            say(f"| {label} | {triples:,} | one HTTP round trip (`ASK {{}}`) | | "
                f"{floor_ms['oxigraph']:.3f} | {floor_ms['virtuoso']:.3f} | | | |")
            say(f"| {label} | {triples:,} | upload (Graph Store Protocol), s | | "
                f"{upload_s['oxigraph']:.2f} | {upload_s['virtuoso']:.2f} | | | |")
            say(f"| {label} | {triples:,} | start both servers (empty database), s | | | "
                f"{start_s:.2f} | | | |")
        del store, embedded, remotes
        gc.collect()
        time.sleep(0.2)
    table.write(args.out)


def _count(answer: object) -> int:
    return len(answer) if isinstance(answer, list) else 1


if __name__ == "__main__":
    main()
