"""Benchmark of the command line, whole process, side by side with raw pyoxigraph scripts.

Each row is the median wall time of a fresh process (interpreter start to exit), the commands
interleaved run after run so that a busy machine slows them alike:

- ``python -c "import pyoxigraph"``: the floor of any Python tool on this store;
- a raw pyoxigraph script that does what ``glutegraph muscle NAME`` needs at the least: get
  the graph (load the bundled Turtle files, or open the on-disk store) and run the same
  ``describe`` query for one muscle, reading every row;
- ``glutegraph muscle NAME`` and ``glutegraph muscle NAME --json``, on the bundled graph and
  on an on-disk store (``--store``). The bundled graph comes from the cache file of the derived
  graph (:mod:`glutegraph.cache.bundled`), which a first run writes before the timing; the
  output goes to a pipe (plain text), and once more with ``FORCE_COLOR=1``: the rich card a
  terminal gets.

The ratio column divides by the raw script of the same kind (bundled or on-disk). Each
round runs the commands in another (seeded) order, each in a scratch folder. Every
process may write its bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped from its environment),
as an installed package has it; the footer gives the machine's load average (1 minute) at the
start and at the end of the runs.

Run:  .venv/bin/python benchmarks/bench_cli.py [--runs 15] [--out benchmarks/cli_results.md]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_api import Table

#: Raw pyoxigraph: open a store (argv[1]) or load Turtle files (argv[4:]), then run the query
#: text argv[2] with the prefixes argv[3] (JSON) for one muscle, reading every row.
RAW = """
import json, sys
import pyoxigraph as ox
folder, text, prefixes, files = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4:]
store = ox.Store(folder) if folder else ox.Store()
for path in files:
    store.load(path=path, format=ox.RdfFormat.TURTLE)
focus = ox.NamedNode("https://w3id.org/glutegraph/kb/gluteus_medius")
answer = store.query(text, prefixes=prefixes, substitutions={ox.Variable("focus"): focus})
print(len([tuple(solution) for solution in answer]))
"""


#: This checkout (its glutegraph is the one timed, whatever is installed).
HERE = Path(__file__).resolve().parent.parent


def wall_ms(command: list[str], env: dict[str, str], cwd: str) -> float:
    """Run ``command`` once in ``cwd`` (output discarded); return its wall time in ms.

    Run it in a scratch folder: ``python -m`` puts the working folder first on ``sys.path``, so
    a run from a checkout would import that checkout's glutegraph whatever PYTHONPATH says.
    """
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env, cwd=cwd)
    return (time.perf_counter() - start) * 1e3


#: The commands timed, by the name the table gives them (glutegraph's start with a backquote).
PYOXIGRAPH = '`python -c "import pyoxigraph"`'
RAW_FILES = "raw pyoxigraph: load the files + describe query"
RAW_STORE = "raw pyoxigraph: open the store + describe query"
MUSCLE = '`glutegraph muscle "glute med"`'
TERMINAL = '`glutegraph muscle "glute med"`, drawn for a terminal'


def measure_cli(runs: int, before: Path | None = None) -> dict[str, float]:
    """Return the median wall ms of each command, run ``runs`` times interleaved.

    With ``before`` (another checkout), its ``glutegraph`` commands run beside this one's,
    named with the checkout's folder name in brackets.
    """
    from glutegraph.files import data_files
    from glutegraph.namespaces import PREFIXES
    from glutegraph.sparql import named_query

    query = [named_query("describe"), json.dumps(PREFIXES)]
    files = [str(path) for path in data_files()]
    python, cli = sys.executable, [sys.executable, "-m", "glutegraph.cli"]
    # as installed: bytecode compiled once; this checkout's glutegraph
    here = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    here["PYTHONPATH"] = str(HERE)
    with tempfile.TemporaryDirectory() as tmp:
        folder = str(Path(tmp) / "store")
        for env in [here] + ([{**here, "PYTHONPATH": str(before.resolve())}] if before else []):
            subprocess.run([*cli, "muscle", "gluteus medius"], check=True, env=env,
                           stdout=subprocess.DEVNULL, cwd=tmp)  # writes the cache, if missing
        subprocess.run([*cli, "muscle", "gluteus medius", "--store", folder], check=True,
                       env=here, stdout=subprocess.DEVNULL, cwd=tmp)  # builds the store once
        commands = {
            PYOXIGRAPH: [python, "-c", "import pyoxigraph"],
            RAW_FILES: [python, "-c", RAW, "", *query, *files],
            RAW_STORE: [python, "-c", RAW, folder, *query],
            MUSCLE: [*cli, "muscle", "glute med"],
            '`glutegraph muscle "glute med" --json`': [*cli, "muscle", "glute med", "--json"],
            '`glutegraph muscle "glute med" --store FOLDER`': [*cli, "muscle", "glute med",
                                                               "--store", folder],
            TERMINAL: [*cli, "muscle", "glute med"],
        }
        envs = dict.fromkeys(commands, here)  # (read only)
        envs[TERMINAL] = {**here, "FORCE_COLOR": "1", "COLUMNS": "80"}
        if before is not None:  # the same glutegraph commands, from the other checkout
            for name in [n for n in commands if n.startswith("`glutegraph")]:
                commands[f"{name} ({before.name})"] = commands[name]
                envs[f"{name} ({before.name})"] = {**envs[name],
                                                   "PYTHONPATH": str(before.resolve())}
        times: dict[str, list[float]] = {name: [] for name in commands}
        shuffle = random.Random(16)  # each round in another order: no command always follows
        for _ in range(runs):        # the same other one (a store closing, say)
            for name in shuffle.sample(list(commands), len(commands)):
                times[name].append(wall_ms(commands[name], envs[name], tmp))
    return {name: statistics.median(t) for name, t in times.items()}


def cli_ratio(medians: dict[str, float], name: str) -> float:
    """Return a command's median over the raw pyoxigraph script of the same kind."""
    return medians[name] / medians[RAW_STORE if "store" in name.lower() else RAW_FILES]


def main() -> None:
    """Print (and optionally write) the markdown table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument("--out", type=Path, default=None, help="write the table here too")
    parser.add_argument("--before", type=Path, default=None,
                        help="another checkout of glutegraph: its CLI runs beside this one")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    medians = measure_cli(args.runs, args.before)
    table = Table("command (whole process)", "median ms", "x raw pyoxigraph of the same kind")
    for name, ms in medians.items():
        ratio = "" if name == PYOXIGRAPH else f"{cli_ratio(medians, name):.1f}x"
        table.say(f"| {name} | {ms:.0f} | {ratio} |")
    table.say()
    table.say(f"Median of {args.runs} runs each, interleaved; `{' '.join(sys.argv)}`; load "
              f"average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.")
    if args.before is not None:
        commit = subprocess.run(["git", "-C", str(args.before), "log", "-1", "--format=%h (%cs)"],
                                capture_output=True, text=True).stdout.strip()
        table.say(f"({args.before.name}: a checkout of {commit or 'another version'}.)")
    table.write(args.out)


if __name__ == "__main__":
    main()
