"""``glutegraph api``: load the graph and serve the web API with uvicorn, on loopback by default.

Example:
    >>> bind_address("127.0.0.1:8000"), bind_address("[::1]:8080")
    (('127.0.0.1', 8000), ('::1', 8080))

"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from glutegraph.errors import InvalidArgumentError

__all__ = ["LOOPBACK_HOSTS", "bind_address", "serve", "wait_until_up"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def bind_address(bind: str) -> tuple[str, int]:
    """Return ``(host, port)`` of ``HOST:PORT``.

    Raises:
        InvalidArgumentError: it is not HOST:PORT with a port from 1 to 65535.

    """
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidArgumentError(f"--bind wants HOST:PORT (a port from 1 to 65535), "
                                   f"not {bind!r}")
    return host.strip("[]"), int(port)


def serve(bind: str = "127.0.0.1:8000", *, store: Path | str | None = None,
          datasets: Sequence[str] = (), data: Sequence[Path | str] = (),
          cors: bool = False) -> int:
    """Load the graph (the bundled data, ``datasets``, ``data`` files, or a ``store``) and serve it.

    Blocks until interrupted (Ctrl-C or SIGTERM); returns the exit status.
    """
    host, port = bind_address(bind)
    import uvicorn

    from glutegraph.graph import load
    from glutegraph.web.app import create_app

    if host not in LOOPBACK_HOSTS:
        print(f"glutegraph: warning: listening on {host}: anyone who can reach this machine "
              "can query the graph", file=sys.stderr)
    kg = load(data, store=store, datasets=datasets)
    app = create_app(kg, cors=cors)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}"
    print(f"glutegraph: web API (read-only) at {url}  ({len(kg):,} triples)", flush=True)
    print(f"  docs: {url}/docs   OpenAPI: {url}/openapi.json   JSON-LD context: "
          f"{url}/context.jsonld", flush=True)
    print(f"  try: curl '{url}/exercises?target=gluteus%20medius&limit=3'", flush=True)
    print("  Ctrl-C stops it.", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    return 0


def wait_until_up(url: str, process: subprocess.Popen[str], seconds: float = 60.0) -> bool:
    """Wait until the API started as ``process`` answers ``url + "/health"``.

    Returns False when the process ends first or ``seconds`` pass (for tests and benchmarks
    that start ``glutegraph api`` in a child process; loopback addresses only).
    """
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=1) as answer:
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False
