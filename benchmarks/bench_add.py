"""Benchmark of ``kg.add()`` on a large graph: it should cost what the file costs, not the graph.

For each synthetic size (see ``bench_api.synthetic_store``) a fresh interpreter builds the
graph in memory, imports what a first check needs (pyshacl, the shapes, the bundled triples)
before the clock starts, then adds ``tests/data/lab_extension.ttl`` (33 lines: a study, an
exercise, a measurement) and a renamed copy of it, timing each, and reports the peak memory
the first addition added (in a forked child, so the building of the graph does not hide it).

``--compare PATH`` runs the same measures also with glutegraph imported from PATH (e.g. a
checkout of main), interleaved in the same run, so that the ratio is not skewed by the load.

Run:  .venv/bin/python benchmarks/bench_add.py [--sizes 1e5,1e6] [--compare /path/to/checkout]
          [--runs 1] [--out benchmarks/add_results.md]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_api import Table

HERE = Path(__file__).resolve().parent.parent
LAB = HERE / "tests" / "data" / "lab_extension.ttl"

#: Run in a fresh interpreter with PYTHONPATH set to a checkout; prints JSON.
_PROBE = """
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[4])
import glutegraph
from bench_api import synthetic_store
from glutegraph.graph import KnowledgeGraph
import glutegraph.protect, glutegraph.validation, pyshacl  # imported before the clock starts
glutegraph.protect.bundled(); glutegraph.validation.shapes_graph()
store = synthetic_store(int(float(sys.argv[1])))
kg = KnowledgeGraph(store)
triples = len(kg)

def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024

read, write = os.pipe()
if os.fork() == 0:  # the child's peak starts at what it holds now: the growth is the add's
    before = rss_kb()
    t = time.perf_counter()
    added = kg.add(sys.argv[2])
    first = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    t = time.perf_counter()
    kg.add(sys.argv[3])
    second = time.perf_counter() - t
    os.write(write, json.dumps({"triples": triples, "added": added, "first": first,
                                "second": second, "peak_mb": peak / 1024,
                                "from": glutegraph.__file__}).encode())
    os._exit(0)
os.close(write)
os.wait()
print(os.read(read, 100000).decode())
"""


def renamed_copy(folder: Path) -> Path:
    """Write the lab file about other nodes (``/mylab2/``) into ``folder``: new to a graph again."""
    copy = folder / "lab_copy.ttl"
    copy.write_text(LAB.read_text(encoding="utf-8").replace("/mylab/", "/mylab2/"),
                    encoding="utf-8")
    return copy


def probe(size: str, lab: Path, copy: Path, code_path: Path,
          benchmarks: Path = HERE / "benchmarks") -> dict[str, float]:
    """Build a graph of ``size`` triples and add the two files, with glutegraph from code_path.

    The graph is built by ``synthetic_store`` of the ``bench_api`` in ``benchmarks`` (give the
    other checkout's own for a checkout whose glutegraph lacks what this one's needs).
    """
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, size, str(lab), str(copy), str(benchmarks)],
        capture_output=True, text=True, cwd=tempfile.gettempdir(),
        env={**os.environ, "PYTHONPATH": str(code_path)}, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"the probe failed with {code_path}:\n{done.stderr[-3000:]}")
    found: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    if not str(found.pop("from")).startswith(str(code_path)):
        raise SystemExit(f"glutegraph was not imported from {code_path}")
    return found


def main() -> None:
    """Run every measure interleaved, print (and write) the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1e5,1e6", help="synthetic graph sizes, e.g. 1e5,1e6")
    parser.add_argument("--compare", type=Path, help="another checkout to measure beside this one")
    parser.add_argument("--runs", type=int, default=1, help="fresh processes per measure")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="gg-add-")
    copy = renamed_copy(Path(scratch.name))
    checkouts = [("this checkout", HERE)]
    if args.compare:
        checkouts.append((f"`{args.compare}`", args.compare.resolve()))
    table = Table("graph", "triples", "measure", *(name for name, _ in checkouts))
    for size in args.sizes.split(","):
        found: dict[str, list[dict[str, float]]] = {}
        for _ in range(args.runs):  # interleaved: each checkout in turn
            for name, path in checkouts:
                found.setdefault(name, []).append(probe(size, LAB, copy, path))

        def med(name: str, key: str, found: dict[str, list[dict[str, float]]] = found) -> float:
            return statistics.median(r[key] for r in found[name])

        triples = int(med(checkouts[0][0], "triples"))
        rows = [("`kg.add(lab_extension.ttl)` (s)", "first", "{:.2f}"),
                ("new triples it reports", "added", "{:.0f}"),
                ("peak memory that add() added (MB)", "peak_mb", "{:.0f}"),
                ("then `kg.add()` of a renamed copy (s)", "second", "{:.2f}")]
        for label, key, form in rows:
            cells = [form.format(med(name, key)) for name, _ in checkouts]
            table.say(f"| {size} | {triples:,} | {label} | {' | '.join(cells)} |")
    table.write(args.out)
    scratch.cleanup()
    print(f"\nCommand: {' '.join([Path(sys.executable).name, *sys.argv])}")


if __name__ == "__main__":
    main()
