"""The child process of tests/test_store_faults.py: one change to a store folder, killable.

    python store_fault_child.py OP FOLDER KILL_AT [FILE]

OP is ``add`` (``glutegraph.store.add_extensions``, the write that ``KnowledgeGraph.add``
makes after validating), ``kg.add`` (the whole ``KnowledgeGraph.add``), ``rebuild``
(``open_store(rebuild=True)``) or ``fill`` (``open_store`` of a new folder). Everything the
change needs is prepared first; then the child prints ``ready`` (the parent may kill it from
then on) and makes the change. With KILL_AT >= 0 it kills itself with SIGKILL just before its
write step number KILL_AT. If it finishes, it prints the steps it went through as JSON.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import warnings

import glutegraph as gg
from glutegraph import store as gs


def main(op: str, folder: str, kill_at: int, extension: str) -> None:
    steps: list[str] = []

    def step(name: str) -> None:
        if len(steps) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        steps.append(name)

    warnings.simplefilter("ignore", gs.StoreWarning)
    if op == "add":
        store = gs.open_store(folder)
        files = [gs.read_extension(extension)]
    elif op == "kg.add":
        kg = gg.load(store=folder)
    gs.write_step_hook = step
    print("ready", flush=True)
    start = time.perf_counter()
    if op == "add":
        gs.add_extensions(store, files, persistent=True)
    elif op == "kg.add":
        kg.add(extension)
    elif op in ("rebuild", "fill"):
        gs.open_store(folder, rebuild=op == "rebuild")
    else:
        raise SystemExit(f"unknown change {op!r}")
    seconds = time.perf_counter() - start
    print(json.dumps({"steps": steps, "seconds": seconds}), flush=True)


if __name__ == "__main__":  # pytest's doctest collection imports this file too
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
