"""Benchmark of the web API: answers per second on loopback beside the same questions in-process.

Starts ``glutegraph api`` (uvicorn, one process) on a free loopback port, then for each question
counts the answers one keep-alive HTTP client gets (requests one after another), interleaved
with the answers the library gives in-process: the typed call alone, and the call plus the JSON
the API sends. Each figure is per second of wall time and per CPU second of the answering
process (the server's, from /proc; or this one's), which other work on a shared machine
disturbs less. Bounded: every loop stops after ``--seconds`` / 2, twice.

Run:  .venv/bin/python benchmarks/bench_web.py [--seconds 3] [--out benchmarks/web_results.md]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

import glutegraph as gg
from glutegraph.server import free_port
from glutegraph.web.query import answer
from glutegraph.web.serve import wait_until_up

ROOT = Path(__file__).resolve().parent.parent


def own_cpu() -> float:
    """Return the CPU seconds of this process and its finished children (forked queries)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def server_cpu(pid: int) -> float:
    """Return the CPU seconds of process ``pid`` and its finished children (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def rate(work: Callable[[], Any], seconds: float, cpu: Callable[[], float]
         ) -> tuple[float, float]:
    """Return (calls per second, calls per CPU second of ``cpu``) over ``seconds``."""
    work()  # warm
    count, cpu_start, start = 0, cpu(), time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        work()
        count += 1
    return count / elapsed, count / max(cpu() - cpu_start, 1e-9)


def main() -> None:
    """Print (and optionally write) the table of answers per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
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
        f"--seconds {args.seconds:g}"
        + (f" --out {args.out}`" if args.out else "`"),
        "",
        f"`glutegraph api` (uvicorn, one process) on loopback against the same graph in-process "
        f"({len(kg):,} triples): one client asks one question after another over a keep-alive "
        f"connection, interleaved with the same question in-process, best of two runs of "
        f"{args.seconds / 2:g} s each, on {os.cpu_count()} cores shared by the server and the "
        "client. Answers per second of wall time, and per CPU second of the process that "
        "answers (the server's own, read from /proc, or this process's; with the forked "
        "query children), which other work on the machine disturbs far less. Higher is better.",
        "",
        "| question | HTTP route | API answers/s | library answers/s | API answers per "
        "server CPU-s | library answers per CPU-s | library + JSON per CPU-s |",
        "|---|---|---|---|---|---|---|",
    ]
    try:
        if not wait_until_up(url, server):
            raise SystemExit("glutegraph api did not start")
        with httpx.Client(base_url=url, timeout=60) as http:
            for name, path, params, call, call_json in questions:
                def one(path: str = path, params: dict[str, str] = params) -> None:
                    http.get(path, params=params).raise_for_status()

                best: dict[str, tuple[float, float]] = {}
                for _ in range(2):  # interleaved, best of two: other work on the machine
                    for key, work, cpu in (("api", one, lambda: server_cpu(server.pid)),
                                           ("lib", call, own_cpu),
                                           ("json", call_json, own_cpu)):
                        found = rate(work, args.seconds / 2, cpu)
                        old = best.get(key, (0.0, 0.0))
                        best[key] = (max(old[0], found[0]), max(old[1], found[1]))
                shown = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items())
                                if params and path != "/sparql" else "")
                if path == "/sparql":
                    shown += f"?query=SELECT ...` ({len(kg.query(sparql))} rows)"
                else:
                    shown += "`"
                row = (f"| {name} | `GET {shown} | {best['api'][0]:,.0f} | {best['lib'][0]:,.0f} "
                       f"| {best['api'][1]:,.0f} | {best['lib'][1]:,.0f} | "
                       f"{best['json'][1]:,.0f} |")
                print(row, flush=True)
                lines.append(row)
            def ping() -> None:
                http.get("/health").raise_for_status()

            floor = max((rate(ping, args.seconds / 2, lambda: server_cpu(server.pid))
                         for _ in range(2)), key=lambda r: r[0])
            row = (f"| the HTTP floor: no question | `GET /health` | {floor[0]:,.0f} | | "
                   f"{floor[1]:,.0f} | | |")
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
