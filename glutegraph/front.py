"""A front end for ``glutegraph serve``: the Oxigraph server behind guards that keep it alive.

The Oxigraph program answers SPARQL well, but exposed directly a few kilobytes of query text
end it (about 1,000 nested braces), ``SERVICE`` makes it fetch addresses a client picks, and a
few heavy queries exhaust its memory. So ``glutegraph serve`` puts :class:`FrontEnd` (a small
stdlib ``ThreadingHTTPServer``) on the public address and runs Oxigraph on a private loopback
port, under an address-space limit. For each request the front end

- refuses anything but reads: ``GET``/``POST /query`` and ``GET``/``HEAD /store`` (403 for
  ``/update`` and Graph Store writes);
- reads at most :attr:`~FrontEnd.max_request_bytes` of body, and applies
  :func:`glutegraph.guards.check_query` (400 with the reason) before Oxigraph sees the text;
- refuses ``SERVICE`` (403) unless ``allow_service`` is set;
- runs at most ``max_concurrent`` queries upstream at once; a request that finds no free slot
  within ``queue_s`` seconds gets 503 with ``Retry-After``; a query still running after
  ``light_s`` seconds needs one of ``max_heavy`` heavy slots (and frees its own), or is cut,
  so that heavy queries cannot crowd out small ones;
- gives each query ``timeout_s`` seconds: then it closes the upstream connection, answers 503,
  and restarts the Oxigraph child (which cannot cancel a query), so the work really stops;
- relays at most ``max_response_bytes`` of answer (500 past that: add a LIMIT);
- restarts Oxigraph when it dies (out of memory), and retries a query that met a restart once.

Example:
    >>> import urllib.request, urllib.parse
    >>> from glutegraph.server import OxigraphServer
    >>> with FrontEnd(OxigraphServer.for_data()) as front:
    ...     url = front.query_url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    ...     request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    ...     urllib.request.urlopen(request).read()
    b'true'

"""

from __future__ import annotations

import contextlib
import http.client
import queue
import re
import select
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from glutegraph.errors import EndpointError, GluteGraphError
from glutegraph.guards import check_query
from glutegraph.server import LOOPBACK, Endpoint, OxigraphServer, free_port
from glutegraph.values import keywords

__all__ = ["FrontEnd"]

_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)  # a quick test before the real scan
_PASSED_HEADERS = ("content-type", "content-disposition", "access-control-allow-origin",
                   "access-control-allow-methods", "access-control-allow-headers")


class FrontEnd(Endpoint):
    """The public face of ``glutegraph serve``: guards, limits and a supervised Oxigraph child.

    Args:
        upstream: a read-only :class:`OxigraphServer` (not started); it is moved to a private
            loopback port and started with an address-space limit of ``max_memory`` bytes.
        host, port: where the front end listens (0: a free port).
        timeout_s: seconds a query may run before it is cut and Oxigraph restarted.
        max_concurrent: queries running upstream at once.
        max_heavy: queries running longer than ``light_s`` seconds at once (heavy ones);
            another that runs that long is cut, so small queries keep their slots.
        light_s: seconds after which a query counts as heavy.
        queue_s: how long a request waits for a free slot before 503.
        max_request_bytes: the largest request body accepted.
        max_response_bytes: the largest answer relayed.
        max_memory: the Oxigraph child's address-space limit, in bytes (None: none).
        allow_service: let queries use SERVICE (the server would fetch other addresses).

    Example:
        >>> FrontEnd(OxigraphServer(), port=8899).query_url       # not started
        'http://127.0.0.1:8899/query'

    """

    def __init__(
        self,
        upstream: OxigraphServer,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        timeout_s: float = 30.0,
        max_concurrent: int = 4,
        max_heavy: int = 1,
        light_s: float = 1.0,
        queue_s: float = 2.0,
        max_request_bytes: int = 1_000_000,
        max_response_bytes: int = 64 * 2**20,
        max_memory: int | None = 4 * 2**30,
        allow_service: bool = False,
    ) -> None:
        self.upstream = upstream
        upstream.host, upstream.port, upstream.timeout_s = LOOPBACK, free_port(), None
        upstream.memory_limit = max_memory
        upstream.stderr = subprocess.DEVNULL  # a pipe nobody reads would fill and block it
        self.host = host
        self.port = port or free_port(host)
        self.timeout_s = timeout_s
        self.queue_s = queue_s
        self.max_request_bytes = max_request_bytes
        self.max_response_bytes = max_response_bytes
        self.allow_service = allow_service
        self.slots = threading.BoundedSemaphore(max_concurrent)
        self.max_heavy = max_heavy
        self.light_s = light_s
        self.heavy = threading.BoundedSemaphore(max_heavy)
        #: How many times Oxigraph was restarted (a query overran, or it died).
        self.restarts = 0
        self._generation = 0
        self._requests: queue.Queue[tuple[int, threading.Event]] = queue.Queue()
        self._supervisor: threading.Thread | None = None
        self._http: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Start Oxigraph and the front end; return once both answer."""
        self._supervisor = threading.Thread(target=self._supervise, daemon=True,
                                            name="glutegraph-supervisor")
        self._supervisor.start()
        self.restart(self._generation)  # Oxigraph is started by the supervisor thread
        self.restarts = 0  # the first start is no restart
        if not self._alive():
            self.stop()
            raise EndpointError(self.upstream.url, "oxigraph did not start")
        front: FrontEnd = self

        class Handler(_Handler):
            owner = front

        self._http = ThreadingHTTPServer((self.host, self.port), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True,
                                        name="glutegraph-front")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the front end and Oxigraph."""
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        if self._supervisor is not None:
            done = threading.Event()
            self._requests.put((-1, done))
            done.wait(10)
            self._supervisor = None
        self.upstream.stop()

    def wait(self) -> None:
        """Block until the front end stops (Ctrl-C in ``glutegraph serve``)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def restart(self, generation: int) -> None:
        """Restart Oxigraph, unless another thread already did since ``generation``.

        The restart runs in the supervisor thread, which lives as long as the front end:
        Linux stops the child when the thread that started it ends (see ``die_with_parent``).
        """
        done = threading.Event()
        self._requests.put((generation, done))
        done.wait(60)

    def _supervise(self) -> None:
        while True:
            generation, done = self._requests.get()
            if generation < 0:
                done.set()
                return
            try:
                if generation == self._generation:
                    process = self.upstream.process
                    if process is not None and process.poll() is None:
                        process.kill()  # it cannot cancel a query: killing stops the work
                        process.wait()
                    self.upstream._cleanup_process()
                    self.upstream.start()
                    self._generation += 1
                    self.restarts += 1
            except GluteGraphError:  # could not start: the next request tries again
                pass
            finally:
                done.set()

    def forward(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request to Oxigraph within the limits; return status, headers and body.

        Every query takes one of ``max_concurrent`` slots. One still running after
        ``light_s`` seconds is heavy: it moves to one of ``max_heavy`` heavy slots, freeing its
        slot for small queries, or, if none is free, is cut (503) and Oxigraph restarted.
        """
        if not self.slots.acquire(timeout=self.queue_s):
            return 503, {"Retry-After": "2"}, b"busy: too many queries running; retry later\n"
        held = {"slot": True, "heavy": False}
        try:
            for attempt in range(2):
                generation = self._generation
                try:
                    return self._once(method, path, body, headers, held)
                except _CutError as cut:
                    self.restart(generation)
                    return 503, {"Retry-After": "5"}, f"{cut}\n".encode()
                except OSError:  # Oxigraph died (memory) or restarted under us
                    if attempt == 0 and self._alive():
                        continue
                    self.restart(generation)
            return 503, {"Retry-After": "2"}, (
                b"the query stopped the SPARQL engine (out of memory?); it was restarted; "
                b"simplify the query\n")
        finally:
            if held["slot"]:
                self.slots.release()
            if held["heavy"]:
                self.heavy.release()

    def _alive(self) -> bool:
        process = self.upstream.process
        return process is not None and process.poll() is None

    def _promote(self, started: float, held: dict[str, bool]) -> None:
        """Move a query running past ``light_s`` to a heavy slot, or cut it (raise _CutError)."""
        if held["heavy"] or time.monotonic() - started < self.light_s:
            return
        if not self.heavy.acquire(blocking=False):
            raise _CutError(f"the server is busy with {self.max_heavy} long queries already; "
                       f"this one ran {self.light_s} s and was stopped; retry later, or "
                       "simplify it (a LIMIT, fewer joins)")
        held["heavy"] = True
        held["slot"] = False
        self.slots.release()

    def _once(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str],
        held: dict[str, bool],
    ) -> tuple[int, dict[str, str], bytes]:
        started = time.monotonic()
        deadline = started + self.timeout_s
        late = _CutError(f"the query ran longer than {self.timeout_s} s and was stopped; "
                    "simplify it (a LIMIT, fewer joins)")
        connection = http.client.HTTPConnection(LOOPBACK, self.upstream.port,
                                                timeout=self.timeout_s)
        try:
            connection.request(method, path, body=body, headers=headers)
            while True:  # wait for the answer to begin, checking the time as it goes
                now = time.monotonic()
                if now > deadline:
                    raise late
                self._promote(started, held)
                wait = deadline - now if held["heavy"] else started + self.light_s - now
                ready, _, _ = select.select([connection.sock], [], [], max(0.01, wait))
                if ready:
                    break
            connection.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                response = connection.getresponse()
            except TimeoutError:
                raise late from None
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise late
                self._promote(started, held)
                connection.sock.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    chunk = response.read1(1 << 16)
                except TimeoutError:
                    raise late from None
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_response_bytes:
                    return 500, {}, (f"the answer is larger than {self.max_response_bytes} "
                                     "bytes; add a LIMIT\n").encode()
                chunks.append(chunk)
            passed = {k: v for k, v in response.getheaders() if k.lower() in _PASSED_HEADERS}
            return response.status, passed, b"".join(chunks)
        finally:
            connection.close()  # at a timeout too: Oxigraph sees the client gone


class _CutError(Exception):
    """A query stopped by the front end (too long, or no heavy slot): Oxigraph is restarted."""


class _Handler(BaseHTTPRequestHandler):
    """One request: check it, forward it, relay the answer."""

    owner: FrontEnd
    protocol_version = "HTTP/1.1"
    server_version = "glutegraph"

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet (the server is run from tests and notebooks too)."""

    def do_GET(self) -> None:
        """Answer queries (``/query?query=``) and Graph Store reads (``/store``)."""
        self._handle("GET")

    def do_HEAD(self) -> None:
        """Answer Graph Store reads without the body."""
        self._handle("HEAD")

    def do_POST(self) -> None:
        """Answer queries (form or ``application/sparql-query``); refuse everything else."""
        self._handle("POST")

    def do_OPTIONS(self) -> None:
        """Answer a browser's CORS preflight as Oxigraph does (``glutegraph serve --cors``)."""
        self._drain()
        headers = {k: v for k, v in self.headers.items()
                   if k.lower().startswith("access-control-request") or k.lower() == "origin"}
        self._relay(self.owner.forward("OPTIONS", "/query", None, headers), "OPTIONS")

    def do_PUT(self) -> None:
        """Refuse Graph Store writes."""
        self._refuse_write()

    def do_DELETE(self) -> None:
        """Refuse Graph Store deletes."""
        self._refuse_write()

    def do_PATCH(self) -> None:
        """Refuse it."""
        self._refuse_write()

    def _refuse_write(self) -> None:
        self._drain()
        self._send(403, {}, b"this endpoint is read-only\n")

    def _drain(self) -> bytes | None:
        """Read the request body, or None if it is larger than allowed."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.owner.max_request_bytes or length < 0:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _handle(self, method: str) -> None:
        try:
            self._checked(method)
        except (ValueError, UnicodeDecodeError) as exc:
            self._send(400, {}, f"bad request: {exc}\n".encode())

    def _checked(self, method: str) -> None:
        owner = self.owner
        path, _, query_string = self.path.partition("?")
        body = self._drain() if method == "POST" else b""
        if body is None:
            self._send(413, {}, f"the request is larger than {owner.max_request_bytes} bytes\n"
                       .encode())
            return
        if path == "/store" and method in ("GET", "HEAD"):
            self._relay(owner.forward(method, self.path, None, self._accept()), method)
            return
        if path != "/query" or (method == "POST" and query_string):
            self._send(403 if method == "POST" else 404, {},
                       b"this endpoint is read-only: GET or POST /query, GET /store\n")
            return
        sparql, form = self._query_text(method, query_string, body)
        if sparql is None:
            self._send(400, {}, b"no query: send query= (form or URL), or a body of type "
                       b"application/sparql-query\n")
            return
        try:
            check_query(sparql)
        except GluteGraphError as exc:
            self._send(400, {}, f"{exc}\n".encode())
            return
        if not owner.allow_service and _SERVICE.search(sparql) and "SERVICE" in keywords(sparql):
            self._send(403, {}, b"SERVICE (the server fetching other addresses) is not allowed "
                       b"here; glutegraph serve --allow-service enables it\n")
            return
        headers = self._accept()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        self._relay(owner.forward("POST", "/query", urllib.parse.urlencode(form).encode(),
                                  headers), method)

    def _query_text(
        self, method: str, query_string: str, body: bytes
    ) -> tuple[str | None, list[tuple[str, str]]]:
        if method == "GET":
            form = urllib.parse.parse_qsl(query_string, max_num_fields=100)
        elif self.headers.get_content_type() == "application/sparql-query":
            form = [("query", body.decode("utf-8"))]
            form += urllib.parse.parse_qsl(query_string, max_num_fields=100)
        else:
            form = urllib.parse.parse_qsl(body.decode("utf-8"), max_num_fields=100)
        queries = [v for k, v in form if k == "query"]
        if len(queries) != 1 or any(k in ("update", "using-graph-uri") for k, _ in form):
            return None, form
        return queries[0], form

    def _accept(self) -> dict[str, str]:
        return {"Accept": self.headers.get("Accept") or "application/sparql-results+json"}

    def _relay(self, answer: tuple[int, dict[str, str], bytes], method: str) -> None:
        status, headers, body = answer
        self._send(status, headers, b"" if method == "HEAD" else body, len(body))

    def _send(self, status: int, headers: dict[str, str], body: bytes,
              length: int | None = None) -> None:
        with contextlib.suppress(OSError):
            self.send_response(status)
            if "Content-Type" not in {k.title() for k in headers}:
                headers = {**headers, "Content-Type": "text/plain; charset=utf-8"}
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)
