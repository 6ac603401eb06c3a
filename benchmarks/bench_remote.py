"""Benchmark of the remote backend: the same API questions over loopback HTTP and embedded.

Starts an Oxigraph server (the ``oxigraph`` program, same engine as the embedded store) on a
free loopback port for each graph, puts the graph in it with the Graph Store Protocol, then
times every question of ``bench_api.cases`` through ``glutegraph.connect()`` and through
``glutegraph.load()`` side by side, interleaved, in one run. Also timed: ``connect()`` itself
(the data check; the name index is read when first needed) and the floor of one HTTP round trip
(``ASK {}``). Graphs: the bundled one and synthetic copies (see ``bench_api.synthetic_store``).

Run:  .venv/bin/python benchmarks/bench_remote.py [--sizes 1e5] [--out benchmarks/remote_results.md]
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_api import Table, bench_arguments, cases, graph_sizes, median_ms, synthetic_store

import glutegraph as gg
from glutegraph.graph import KnowledgeGraph
from glutegraph.remote import SparqlEndpoint, upload_store
from glutegraph.server import OxigraphServer
from glutegraph.store import open_store


def main() -> None:
    """Print (and optionally write) the markdown table of remote against embedded latency."""
    args = bench_arguments(__doc__ or "", "1e5")
    table = Table("graph", "triples", "question", "embedded ms", "remote ms",
                  "remote / embedded", "rows")
    say = table.say
    for label, size in graph_sizes(args.sizes):
        store = open_store() if not size else synthetic_store(int(size))
        with OxigraphServer(timeout_s=None) as server:
            upload_store(server.store_url, store, replace=True, timeout=600)
            embedded = KnowledgeGraph(store)
            connect_ms, _ = median_ms(lambda url=server.query_url: gg.connect(url), budget_s=3)
            remote = gg.connect(server.query_url)
            triples = len(embedded)
            if len(remote) != triples:
                raise SystemExit(f"{label}: the server holds {len(remote)} triples, not {triples}")
            ping = SparqlEndpoint(server.query_url)
            floor_ms, _ = median_ms(lambda ping=ping: bool(ping.query("ASK {}")))
            for (name, local_call, _), (_, remote_call, _) in zip(
                cases(embedded), cases(remote), strict=True
            ):
                local_rows, remote_rows = _count(local_call()), _count(remote_call())
                if local_rows != remote_rows:
                    raise SystemExit(f"{name}: {remote_rows} rows remote, {local_rows} embedded")
                local_ms, _ = median_ms(local_call)
                remote_ms, _ = median_ms(remote_call)
                local_ms = min(local_ms, median_ms(local_call)[0])  # interleave: A B A
                say(f"| {label} | {triples:,} | `{name}` | {local_ms:.3f} | {remote_ms:.3f} | "
                    f"{remote_ms / local_ms:.2f} | {local_rows} |")
            say(f"| {label} | {triples:,} | `connect()` (the data check; names are read when "
                f"first needed) | | {connect_ms:.1f} | | |")
            say(f"| {label} | {triples:,} | one HTTP round trip (`ASK {{}}`) | | "
                f"{floor_ms:.3f} | | |")
        del store, embedded, remote
        gc.collect()
        time.sleep(0.2)
    table.write(args.out)


def _count(answer: object) -> int:
    return len(answer) if isinstance(answer, list) else 1


if __name__ == "__main__":
    main()
