"""Every scale measure of glutegraph in one run, and the summary table of issue 16 with them.

Runs, one after the other on the same machine:

1. the API questions on every backend (``bench_api.measure_questions``): the typed call
   embedded, the same named queries on raw pyoxigraph and on rdflib (up to ``--rdflib-max``
   triples), and the typed call through ``connect()`` to an Oxigraph server and to Virtuoso on
   loopback, with the HTTP round trips of each call; on the bundled graph and the synthetic ones;
2. opening: reopening an on-disk store and ``connect()`` to an Oxigraph server serving it, in
   fresh processes, against raw ``pyoxigraph.Store(folder)`` (``bench_open.measure_opening``);
3. ``kg.add()`` of a 33-line Turtle file (``tests/data/lab_extension.ttl``) to each synthetic
   graph, in a fresh process: its time and how much it raises the process's peak memory;
4. ``kg.to_networkx()`` beside its own three queries (interleaved medians);
5. the command line, whole processes (``bench_cli.measure_cli``).

With ``--before PATH`` (another checkout, e.g. ``git worktree add --detach /tmp/before e055b47``,
the commit before this work), the same measures run on that checkout too, in the same run, and
the summary gives before / now for every row; without it, "before" is the figure issue 16 was
filed with. The detailed tables and the summary are printed as they come and written to
``--out``.

Run:  .venv/bin/python benchmarks/bench_scale.py [--sizes 1e4,1e5,1e6] [--before PATH]
          [--out benchmarks/scale_results.md]       (``make bench``; about 15 minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_add import LAB, renamed_copy
from bench_add import probe as add_probe
from bench_api import GraphTimes, Table, graph_sizes, measure_questions
from bench_cli import MUSCLE, cli_ratio, measure_cli
from bench_open import measure_opening

HERE = Path(__file__).resolve().parent.parent

#: Run in a fresh interpreter with a checkout on PYTHONPATH (argv: its benchmarks folder, the
#: size, the runs): ``kg.to_networkx()`` and its three queries alone (every term read).
_NETWORK = """
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from bench_api import synthetic_store
from glutegraph.graph import KnowledgeGraph
from glutegraph.network import to_networkx
from glutegraph.sparql import iterate, named_query
kg = KnowledgeGraph(synthetic_store(int(float(sys.argv[2]))))
def queries():
    for name in ("network_nodes", "network_links", "network_evidence"):
        for solution in iterate(kg.store, named_query(name)):
            [t.value for t in solution if t is not None]
def convert():
    to_networkx(kg)
found = {"queries": [], "convert": []}
convert()
for _ in range(int(sys.argv[3])):
    for name, call in (("queries", queries), ("convert", convert)):
        t = time.perf_counter(); call(); found[name].append((time.perf_counter() - t) * 1e3)
print(json.dumps({k: statistics.median(v) for k, v in found.items()}))
"""

#: The summary's question rows: (label in the issue, question in ``bench_api.cases``,
#: growth 1e4 -> 1e6 and time at 1e6 when issue 16 was filed).
QUESTIONS = [
    ("`muscle()`", 'muscle("gluteus medius")', 38, 31.7),
    ("`muscles()`", 'muscles("hip abduction")', 61, 45.0),
    ("`exercises()`", 'exercises(target="gluteus medius")', 71, 105.0),
    ("`measurements()`", 'measurements(muscle="gluteus maximus")', 61, 45.0),
    ("`condition()`", 'condition("piriformis syndrome")', None, None),
    ("`entity()`", 'entity("piriformis")', None, None),
    ("`treatments()`", 'treatments("piriformis syndrome")', None, None),
    ("`conditions(involving=)`", 'conditions(involving="sciatic nerve")', 8925, 26_000.0),
]

#: Issue 16's figures for the other rows (ms, or MB), as filed.
FILED = {"reopen": 5300.0, "connect": 7100.0, "add_ms": 12_500.0, "add_mb": 277.0,
         "cli": 304.0, "networkx": 1037.0, "networkx_queries": 272.0}


def fresh(code: str, checkout: Path, *args: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter with ``checkout`` on PYTHONPATH; return its JSON."""
    done = subprocess.run([sys.executable, "-c", code, str(checkout / "benchmarks"), *args],
                          capture_output=True, text=True, cwd=tempfile.gettempdir(),
                          env={**os.environ, "PYTHONPATH": str(checkout)})
    if done.returncode:
        raise SystemExit(f"a measure failed in {checkout}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def questions_before(checkout: Path, sizes: str) -> dict[tuple[str, str], float]:
    """Run the other checkout's own ``bench_api.py`` (embedded only); return API ms by row."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "before.md")
        command = [sys.executable, str(checkout / "benchmarks" / "bench_api.py"), "--sizes",
                   sizes, "--rdflib-max", "0", "--out", str(out)]
        if (checkout / "benchmarks" / "bench_api.py").read_text().count("--no-servers"):
            command.append("--no-servers")
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=checkout,
                       env={**os.environ, "PYTHONPATH": str(checkout)})
        found = {}
        for line in out.read_text().splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) > 4 and cells[2].startswith("`"):
                try:
                    found[cells[0], cells[2].strip("`")] = float(cells[3])
                except ValueError:
                    continue
        return found


def main() -> None:
    """Run every measure, print the detailed tables and the summary, write them to --out."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="synthetic graph sizes")
    parser.add_argument("--rdflib-max", type=float, default=2e5,
                        help="largest graph to also time in rdflib (it takes minutes above)")
    parser.add_argument("--before", type=Path, help="another checkout, measured beside this one")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per opening measure")
    parser.add_argument("--cli-runs", type=int, default=11, help="runs of each command")
    parser.add_argument("--out", type=Path, help="also write every table here")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    largest, smallest = sizes[-1], sizes[0]
    table = Table()
    say = table.say
    say("## The questions, on every backend")
    say()
    graphs = measure_questions(graph_sizes(args.sizes), args.rdflib_max, True, say)
    before_q = questions_before(args.before, f"{smallest},{largest}") if args.before else {}

    say()
    say("## Opening an on-disk store, and connect() to a server serving it (fresh processes)")
    say()
    checkouts = [("now", HERE)] + ([("before", args.before.resolve())] if args.before else [])
    say("| graph | triples | measure | " + " | ".join(n for n, _ in checkouts) + " | raw |")
    say("|---|---|---|" + "---|" * (len(checkouts) + 1))
    opening: dict[str, dict[tuple[str, str, str], float]] = {}
    with tempfile.TemporaryDirectory(prefix="gg-scale-") as folder:
        for size in sizes:
            triples, med = measure_opening(size, Path(folder), args.runs, checkouts)
            opening[size] = med
            for label, mode, key, raw_key in (
                ("reopen `gg.load(store=folder)`, ms", "reopen", "open", "open"),
                ('then the first `muscle("gluteus medius")`, ms', "reopen", "first", "first"),
                ("peak memory of the process, MB", "reopen", "rss", "rss"),
                ("`gg.connect(url)`, ms", "connect", "open", None),
                ('then the first `muscle("gluteus medius")`, ms', "connect", "first", None),
            ):
                cells = " | ".join(f"{med[n, mode, key]:.1f}" for n, _ in checkouts)
                raw = f"{med['raw', 'raw', raw_key]:.1f}" if raw_key else ""
                say(f"| {size} | {triples:,} | {label} | {cells} | {raw} |")

    say()
    say("## `kg.add()` of a 33-line Turtle file, and `kg.to_networkx()` (fresh processes)")
    say()
    say("| graph | measure | " + " | ".join(n for n, _ in checkouts) + " |")
    say("|---|---|" + "---|" * len(checkouts))
    adds: dict[tuple[str, str], dict[str, float]] = {}
    networks: dict[tuple[str, str], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="gg-scale-") as folder:
        copy = renamed_copy(Path(folder))
        for size in sizes:
            for name, checkout in checkouts:
                adds[size, name] = add_probe(size, LAB, copy, checkout, checkout / "benchmarks")
                networks[size, name] = fresh(_NETWORK, checkout, size, "7")
            say(f"| {size} | `add()` ms | " + " | ".join(
                f"{adds[size, n]['first'] * 1e3:.0f}" for n, _ in checkouts) + " |")
            say(f"| {size} | `add()` raises peak memory by, MB | " + " | ".join(
                f"{adds[size, n]['peak_mb']:.0f}" for n, _ in checkouts) + " |")
            say(f"| {size} | `to_networkx()` ms (its three queries alone) | " + " | ".join(
                f"{networks[size, n]['convert']:.0f} ({networks[size, n]['queries']:.0f})"
                for n, _ in checkouts) + " |")

    say()
    say("## The command line (whole processes, interleaved)")
    say()
    cli = measure_cli(args.cli_runs, args.before)
    say("| command | median ms | x raw pyoxigraph of the same kind |")
    say("|---|---|---|")
    for name, ms in cli.items():
        ratio = f"{cli_ratio(cli, name):.1f}x" if name.startswith(("`g", "raw")) else ""
        say(f"| {name} | {ms:.0f} | {ratio} |")

    say()
    summary(say, graphs, before_q, opening, adds, networks, cli, smallest, largest,
            args.before)
    say()
    say(f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`, "
        f"finished {time.strftime('%Y-%m-%d %H:%M')}, load average "
        f"{os.getloadavg()[0]:.1f}.")
    table.write(args.out)


def summary(
    say: Callable[[str], None], graphs: list[GraphTimes],
    before_q: dict[tuple[str, str], float], opening: dict[str, Any],
    adds: dict[tuple[str, str], dict[str, float]],
    networks: dict[tuple[str, str], dict[str, float]], cli: dict[str, float],
    smallest: str, largest: str, before: Path | None,
) -> None:
    """Print issue 16's table again: each row now, its target, and before / now."""
    api = {(g.graph, q.question): q for g in graphs for q in g.questions}
    source = f"`{before}` in this run" if before else "issue 16 as filed"
    say(f"## Summary (before: {source})")
    say()
    say(f"| measure | {smallest} -> {largest} growth | at {largest} | target | before | "
        "before / now |")
    say("|---|---|---|---|---|---|")
    for label, question, filed_growth, filed_ms in QUESTIONS:
        low, high = api[smallest, question], api[largest, question]
        if before:
            b_low, b_high = before_q.get((smallest, question)), before_q.get((largest, question))
            was = (f"{b_high / b_low:.0f}x, {b_high:.1f} ms" if b_low and b_high else "")
            gain = f"{b_high / high.api_ms:.0f}x" if b_high else ""
        else:
            was = f"{filed_growth}x, {filed_ms:.1f} ms" if filed_growth else ""
            gain = f"{filed_ms / high.api_ms:.0f}x" if filed_ms else ""
        trips = ", ".join(f"{s} {low.trips.get(s)} -> {high.trips.get(s)}"
                          for s in high.trips)
        say(f"| {label} (round trips {trips}) | {high.api_ms / low.api_ms:.2f}x | "
            f"{high.api_ms:.2f} ms (raw {high.raw_ms:.2f}) | <= 2x, < 2 ms | {was} | {gain} |")
    rows: list[tuple[str, str, float, str, float | None]] = []
    med = opening[largest]
    rows.append((f"reopen `gg.load(store=folder)`, {largest}", "ms",
                 med["now", "reopen", "open"], "tens of ms",
                 med.get(("before", "reopen", "open"), None if before else FILED["reopen"])))
    rows.append((f"peak memory of that process over raw pyoxigraph, {largest}", "%",
                 100 * (med["now", "reopen", "rss"] / med["raw", "raw", "rss"] - 1), "<= 10%",
                 100 * (med["before", "reopen", "rss"] / med["raw", "raw", "rss"] - 1)
                 if before else None))
    rows.append((f"`gg.connect(url)`, {largest}", "ms", med["now", "connect", "open"],
                 "tens of ms",
                 med.get(("before", "connect", "open"), None if before else FILED["connect"])))
    for size in dict.fromkeys((smallest, largest)):
        rows.append((f"`kg.add()` of a 33-line file, {size}", "ms",
                     adds[size, "now"]["first"] * 1e3, "what the file costs",
                     adds[size, "before"]["first"] * 1e3 if before else None))
        rows.append((f"... raising peak memory by, {size}", "MB", adds[size, "now"]["peak_mb"],
                     "", adds[size, "before"]["peak_mb"] if before else None))
    rows.append(("`glutegraph muscle NAME` (whole process)", "ms", cli[MUSCLE],
                 f"2x raw: {cli_ratio(cli, MUSCLE):.1f}x now",
                 cli.get(f"{MUSCLE} ({before.name})") if before else FILED["cli"]))
    for size in (s for s in sizes_of(networks) if s != smallest):
        now = networks[size, "now"]
        was = networks.get((size, "before"))
        rows.append((f"`kg.to_networkx()` over its queries, {size}", "x",
                     now["convert"] / now["queries"], "<= 1.5x",
                     was["convert"] / was["queries"] if was else None))
    for label, unit, value, target, was_value in rows:
        gain = f"{was_value / value:.1f}x" if was_value and value > 0 and unit != "%" else ""
        say(f"| {label} | | {_amount(value, unit)} | {target} | "
            f"{'' if was_value is None else _amount(was_value, unit)} | {gain} |")
    if before is None:
        say()
        say(f"Filed: `add()` {FILED['add_ms']:.0f} ms and +{FILED['add_mb']:.0f} MB at 1e5; "
            f"`to_networkx` {FILED['networkx']:.0f} ms over {FILED['networkx_queries']:.0f} ms "
            "of queries at 1e5.")


def _amount(value: float, unit: str) -> str:
    """Return a figure with its unit: "22.0 ms", "+5%", "1.46x"."""
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "%":
        return f"{value:+.0f}%"
    return f"{value:.1f} {unit}"


def sizes_of(found: dict[tuple[str, str], Any]) -> list[str]:
    """Return the sizes measured, in order."""
    return list(dict.fromkeys(size for size, _ in found))


if __name__ == "__main__":
    main()
