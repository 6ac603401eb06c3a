"""Benchmark of the networkx bridge and the pictures on the bundled and synthetic graphs.

Times, per graph: ``kg.to_networkx()`` (three SPARQL queries and the graph build) beside
those three queries alone (every term of every solution read, nothing built),
``explain()`` for one pair, ``draw()`` (the layered figure, default kinds; focused on the
glutes, and the whole graph) with and without saving a PNG at 100 dpi,
``activation_heatmap()`` and ``interactive()`` (the HTML page). The synthetic graphs are
``bench_api.synthetic_store``'s renamed copies. ``draw`` refuses graphs whose longest column
exceeds ``max_rows`` (300), which the table says instead of a time.

Run:  .venv/bin/python benchmarks/bench_network.py [--sizes 1e4,1e5]
          [--out benchmarks/network_results.md]
"""

from __future__ import annotations

import gc
import io
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_api import Table, bench_arguments, graph_sizes, median_ms, synthetic_store

import glutegraph as gg
from glutegraph.graph import KnowledgeGraph
from glutegraph.sparql import iterate, named_query
from glutegraph.store import open_store


def main() -> None:
    """Print (and optionally write) the markdown table."""
    args = bench_arguments(__doc__ or "", "1e4,1e5")
    table = Table("graph", "triples", "nodes", "edges", "measure", "median ms")
    for label, size in graph_sizes(args.sizes):
        kg = KnowledgeGraph(open_store() if not size else synthetic_store(int(size)))
        graph = kg.to_networkx()
        size_of = f"{graph.number_of_nodes():,} | {graph.number_of_edges():,}"
        head = f"| {label} | {len(kg):,} | {size_of}"

        def png(figure: Any) -> None:
            figure.savefig(io.BytesIO(), format="png", dpi=100)

        def its_queries(kg: KnowledgeGraph = kg) -> None:
            for name in ("network_nodes", "network_links", "network_evidence"):
                for solution in iterate(kg.store, named_query(name)):
                    tuple(solution)

        measures: list[tuple[str, Any]] = [
            ("its three queries alone (raw pyoxigraph, every term read)", its_queries),
            ("`kg.to_networkx()` (uncached)", lambda kg=kg: gg.to_networkx(kg)),
            ('`kg.explain("piriformis", "sciatica")`',
             lambda kg=kg: kg.explain("piriformis", "sciatica")),
            ("`draw(kg)` (the glutes, build the figure)", lambda kg=kg: gg.draw(kg)),
            ("`draw(kg)` + save PNG", lambda kg=kg: png(gg.draw(kg))),
            ("`draw(kg, focus=None)` (whole graph, build)",
             lambda g=graph: gg.draw(g, focus=None)),
            ("`draw(kg, focus=None)` + save PNG", lambda g=graph: png(gg.draw(g, focus=None))),
            ("`activation_heatmap(kg)` + save PNG", lambda g=graph: png(gg.activation_heatmap(g))),
            ("`interactive(kg)` (HTML page)", lambda g=graph: gg.interactive(g)),
        ]
        for name, call in measures:
            try:
                ms, _ = median_ms(call, budget_s=3, max_runs=15)
                table.say(f"{head} | {name} | {ms:.1f} |")
            except gg.QueryError as exc:
                table.say(f"{head} | {name} | refused: {str(exc).split(';')[0]} |")
        del kg, graph
        gc.collect()
    table.write(args.out)


if __name__ == "__main__":
    main()
