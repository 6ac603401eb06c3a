"""Benchmark of the web API: answers per second on loopback beside the same questions in-process.

Starts ``glutegraph api`` (uvicorn, one process) on a free loopback port, then for each question
counts the answers one keep-alive HTTP client gets in ``--seconds`` (requests one after another,
and from ``--clients`` threads at once), and the answers the library gives in-process in the
same time: the typed call alone, and the call plus the JSON the API sends. The machine's two
cores are shared by the server and the client. Bounded: every loop stops after ``--seconds``.

Run:  .venv/bin/python benchmarks/bench_web.py [--seconds 3] [--out benchmarks/web_results.md]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

import glutegraph as gg
from glutegraph.server import free_port
from glutegraph.web.query import answer

ROOT = Path(__file__).resolve().parent.parent


def rate(work: Callable[[], Any], seconds: float) -> float:
    """Return calls of ``work`` per second, over ``seconds`` (after one warm-up call)."""
    work()
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        work()
        count += 1
    return count / elapsed


def concurrent_rate(url: str, path: str, params: dict[str, str], clients: int,
                    seconds: float) -> float:
    """Return answers per second from ``clients`` threads, each with its own connection."""
    counts = [0] * clients
    stop = time.perf_counter() + seconds

    def client(i: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            while time.perf_counter() < stop:
                http.get(path, params=params).raise_for_status()
                counts[i] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - start)


def main() -> None:
    """Print (and optionally write) the table of answers per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--clients", type=int, default=4, help="threads for the concurrent run")
    parser.add_argument("--out", type=Path, help="write the markdown table here")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    kg = gg.load()
    sparql = "SELECT ?muscle ?nerve WHERE { ?muscle gg:innervatedBy ?nerve }"
    questions: list[tuple[str, str, dict[str, str], Callable[[], Any], Callable[[], Any]]] = [
        ("exercises for a target", "/exercises", {"target": "gluteus medius", "limit": "1000"},
         lambda: kg.exercises("gluteus medius"),
         lambda: kg.exercises("gluteus medius").to_json()),
        ("one muscle", "/muscles/gluteus medius", {},
         lambda: kg.muscle("gluteus medius"),
         lambda: kg.muscle("gluteus medius").model_dump_json()),
        ("one condition", "/conditions/piriformis syndrome", {},
         lambda: kg.condition("piriformis syndrome"),
         lambda: kg.condition("piriformis syndrome").model_dump_json()),
        ("SPARQL SELECT (forked, guarded)", "/sparql", {"query": sparql},
         lambda: kg.query(sparql),
         lambda: answer(kg, sparql)),
    ]

    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    server = subprocess.Popen(
        [sys.executable, "-m", "glutegraph.cli", "api", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    lines = [
        "Command: `.venv/bin/python benchmarks/bench_web.py "
        f"--seconds {args.seconds:g} --clients {args.clients}"
        + (f" --out {args.out}`" if args.out else "`"),
        "",
        f"`glutegraph api` (uvicorn, one process) on loopback against the same graph in-process "
        f"({len(kg):,} triples); {args.seconds:g} s per figure, on {os.cpu_count()} cores shared "
        "by the server and the client. Answers per second (higher is better).",
        "",
        "| question | HTTP route | API, 1 client | API, "
        f"{args.clients} clients | library call | library call + JSON |",
        "|---|---|---|---|---|---|",
    ]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("glutegraph api did not start")
            time.sleep(0.2)
        with httpx.Client(base_url=url, timeout=60) as http:
            for name, path, params, call, call_json in questions:
                def one(path: str = path, params: dict[str, str] = params) -> None:
                    http.get(path, params=params).raise_for_status()

                over_http = rate(one, args.seconds)
                together = concurrent_rate(url, path, params, args.clients, args.seconds)
                library = rate(call, args.seconds)
                library_json = rate(call_json, args.seconds)
                shown = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items())
                                if params and path != "/sparql" else "")
                if path == "/sparql":
                    shown += f"?query=SELECT ...` ({len(kg.query(sparql))} rows)`"
                row = (f"| {name} | `GET {shown}` | {over_http:,.0f} | {together:,.0f} | "
                       f"{library:,.0f} | {library_json:,.0f} |")
                print(row, flush=True)
                lines.append(row)
    finally:
        server.terminate()
        server.wait(timeout=10)
    lines += [
        "",
        "Load average of the machine (other work on it lowers every figure alike): "
        f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
        "",
        "\"library call + JSON\" is the typed call plus `model_dump_json()` (or `to_json()`), "
        "what the API must also do; for SPARQL the library column is `kg.query` (Python rows) "
        "and the next is the API's own guarded, forked run that writes SPARQL JSON results "
        "(`glutegraph.web.query.answer`).",
    ]
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
