"""Benchmark of opening a large graph: reopening an on-disk store, and connect() to an endpoint.

For each synthetic size (see ``bench_api.synthetic_store``) an on-disk glutegraph store is built
once (``gg.load(store=folder)`` plus the renamed copies), then each measure runs in a fresh
interpreter (glutegraph imported before the clock starts), several times, interleaved, and the
median is reported:

- reopen: ``gg.load(store=folder)``, then the first ``kg.muscle("gluteus medius")`` (which
  reads what that question needs of the name index), then the same question again;
- raw: ``pyoxigraph.Store(folder)`` and the same question's named query, for comparison;
- connect: ``gg.connect(url)`` to an Oxigraph server serving that folder read-only, then the
  first and second ``muscle()``;
- peak memory (VmHWM) of the reopen process against the raw pyoxigraph process.

``--compare PATH`` runs every measure also with glutegraph imported from PATH (e.g. another
checkout), side by side in the same run, so that ratios are not skewed by the machine's load.

Run:  .venv/bin/python benchmarks/bench_open.py [--sizes 1e6] [--compare /path/to/other/checkout]
          [--folder /tmp/gg-bench] [--runs 5] [--out benchmarks/open_results.md]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_api import Table

HERE = Path(__file__).resolve().parent.parent

#: Run in a fresh interpreter: time opening, the first and the second question; print JSON.
_PROBE = """
import json, sys, time
import pyoxigraph as ox
import glutegraph as gg
import glutegraph.graph  # imported before the clock starts: opening is timed, not importing
from glutegraph.namespaces import PREFIXES
mode, where = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if mode == "raw":
    store = ox.Store(where)
    opened = time.perf_counter()
    query = open(sys.argv[3], encoding="utf-8").read()
    def ask():
        return len([[t and t.value for t in r] for r in store.query(query, prefixes=PREFIXES)])
else:
    kg = gg.load(store=where) if mode == "reopen" else gg.connect(where)
    opened = time.perf_counter()
    def ask():
        return kg.muscle("gluteus medius")
ask()
first = time.perf_counter()
ask()
second = time.perf_counter()
# this process's own peak (VmHWM): ru_maxrss would also count a parent's peak, which Linux
# carries over into a program started by it (exec)
peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
print(json.dumps({"open": opened - t0, "first": first - opened, "second": second - first,
                  "rss": peak}))
"""


def build(size: float, folder: Path) -> int:
    """Fill ``folder`` with an on-disk glutegraph store of about ``size`` triples (once)."""
    code = f"""
import sys; sys.path.insert(0, {str(HERE / 'benchmarks')!r})
import pyoxigraph as ox
import glutegraph as gg
from glutegraph.graph import close_store
from bench_api import synthetic_store
kg = gg.load(store={str(folder)!r}); close_store({str(folder)!r}); del kg
extra = synthetic_store({int(size)})
store = ox.Store({str(folder)!r})
have = set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
new = [q for q in extra.quads_for_pattern(None, None, None, ox.DefaultGraph()) if q not in have]
store.bulk_extend(new)
from glutegraph.names import key_quads  # the copies' name keys, as add() writes them
store.bulk_extend(key_quads(new))
store.flush()
store.optimize()
print(sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(HERE)})
    return int(done.stdout.split()[-1])


def probe(mode: str, where: str, code_path: Path, query_file: str = "") -> dict[str, float]:
    """Run one measure in a fresh interpreter with glutegraph from ``code_path``."""
    done = subprocess.run([sys.executable, "-c", _PROBE, mode, where, query_file],
                          capture_output=True, text=True, check=True, cwd=tempfile.gettempdir(),
                          env={**os.environ, "PYTHONPATH": str(code_path)})
    if f"{code_path}/glutegraph" not in done.stderr + _where_from(code_path):
        raise SystemExit(f"glutegraph was not imported from {code_path}")
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@cache
def _where_from(code_path: Path) -> str:
    """Return where a fresh interpreter with PYTHONPATH=code_path imports glutegraph from."""
    done = subprocess.run([sys.executable, "-c", "import glutegraph; print(glutegraph.__file__)"],
                          capture_output=True, text=True, check=True, cwd=tempfile.gettempdir(),
                          env={**os.environ, "PYTHONPATH": str(code_path)})
    return done.stdout


#: The rows of the table: (label, mode, key).
ROWS = [
    ("`gg.load(store=folder)`, reopen (ms)", "reopen", "open"),
    ('then the first `muscle("gluteus medius")` (ms)', "reopen", "first"),
    ("then the second (ms)", "reopen", "second"),
    ("peak memory of that process (MB)", "reopen", "rss"),
    ("`gg.connect(url)` (ms)", "connect", "open"),
    ('then the first `muscle("gluteus medius")` (ms)', "connect", "first"),
    ("then the second (ms)", "connect", "second"),
]


def measure_opening(
    size_text: str, base: Path, runs: int, checkouts: list[tuple[str, Path]]
) -> tuple[int, dict[tuple[str, str, str], float]]:
    """Build (once, under ``base``) the on-disk store of ``size_text`` triples and time opening it.

    Returns its triple count and the medians by (checkout name or "raw", mode, key), in ms
    (times) and MB (``rss``), each checkout and the raw pyoxigraph probe interleaved.
    """
    from glutegraph.server import OxigraphServer
    from glutegraph.sparql import iri, named_query

    folder = base / f"store-{size_text}"
    marker = folder / "triples.txt"
    store_folder = folder / "store"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(build(float(size_text), store_folder)))
    query_file = folder / "describe.rq"
    query_file.write_text(named_query("describe", focus=iri("kb:gluteus_medius")),
                          encoding="utf-8")
    found: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(runs):  # interleaved: each checkout in turn, then raw
        for name, path in checkouts:
            found.setdefault((name, "reopen"), []).append(probe("reopen", str(store_folder), path))
        found.setdefault(("raw", "raw"), []).append(
            probe("raw", str(store_folder), HERE, str(query_file)))
    with OxigraphServer(store_folder, read_only=True, timeout_s=None) as server:
        for _ in range(runs):
            for name, path in checkouts:
                found.setdefault((name, "connect"), []).append(
                    probe("connect", server.query_url, path))
    medians = {}
    for (name, mode), results in found.items():
        for key in results[0]:
            scale = 1 / 1024 if key == "rss" else 1e3
            medians[name, mode, key] = statistics.median(r[key] for r in results) * scale
    return int(marker.read_text()), medians


def main() -> None:
    """Build the stores, run every measure interleaved, print (and write) the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1e6", help="synthetic graph sizes, e.g. 1e5,1e6")
    parser.add_argument("--compare", type=Path, help="another checkout to measure beside this one")
    parser.add_argument("--folder", type=Path, help="where to keep the stores (reused if there)")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measure")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="gg-open-")
    checkouts = [("this checkout", HERE)]
    if args.compare:
        checkouts.append((f"`{args.compare}`", args.compare.resolve()))
    table = Table("graph", "triples", "measure", *(name for name, _ in checkouts))
    for size_text in args.sizes.split(","):
        triples, med = measure_opening(size_text, args.folder or Path(scratch.name), args.runs,
                                       checkouts)
        for label, mode, key in ROWS:
            cells = [f"{med[name, mode, key]:.1f}" for name, _ in checkouts]
            table.say(f"| {size_text} | {triples:,} | {label} | {' | '.join(cells)} |")
        blank = " |" * (len(checkouts) - 1)
        table.say(f"| {size_text} | {triples:,} | raw pyoxigraph: `Store(folder)` ms, then the "
                  f"`describe` query ms, peak memory MB | {med['raw', 'raw', 'open']:.1f}, "
                  f"{med['raw', 'raw', 'first']:.1f}, {med['raw', 'raw', 'rss']:.1f} |{blank}")
    table.write(args.out)
    scratch.cleanup()
    print(f"\nCommand: {' '.join([Path(sys.executable).name, *sys.argv])}")


if __name__ == "__main__":
    main()
