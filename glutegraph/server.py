"""A SPARQL 1.1 endpoint for the graph: the ``oxigraph`` server, started and stopped from Python.

glutegraph does not implement a server. :class:`OxigraphServer` runs the ``oxigraph`` program
(the ``oxigraph`` package on PyPI, installed with ``pip install 'glutegraph[server]'``) on a
loopback port: read-only over a folder holding the glutegraph store (what ``glutegraph serve``
does), or writable and in memory, an empty triple store to :func:`~glutegraph.remote.upload` to.

Example:
    >>> import urllib.request, urllib.parse, json
    >>> with OxigraphServer.for_data() as server:       # the bundled graph, read-only
    ...     form = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    ...     request = urllib.request.Request(server.query_url, data=form.encode(),
    ...                                      headers={"Accept": "application/sparql-results+json"})
    ...     answer = json.load(urllib.request.urlopen(request))
    >>> int(answer["results"]["bindings"][0]["n"]["value"]) > 4000
    True

"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Self

from glutegraph.errors import EndpointError, StoreError

__all__ = ["Endpoint", "OxigraphServer", "free_port", "oxigraph_program"]

LOOPBACK = "127.0.0.1"
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Endpoint:
    """The URLs of a SPARQL server listening on ``host`` and ``port`` (IPv6 hosts bracketed).

    Example:
        >>> e = Endpoint(); e.host, e.port = "::1", 7878
        >>> e.query_url
        'http://[::1]:7878/query'

    """

    host: str
    port: int

    @property
    def url(self) -> str:
        """The server's base URL (``http://host:port``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint (give it to :func:`glutegraph.connect`)."""
        return f"{self.url}/query"

    def answers(self) -> bool:
        """Whether the server answers an ``ASK {}`` at :attr:`query_url` now (any HTTP status)."""
        try:
            with urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=1):
                return True
        except urllib.error.HTTPError:
            return True  # it answered, even if not with 200
        except OSError:
            return False

    def start(self) -> Self:
        """Start the server (a subclass says how) and return it, ready for queries."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop the server and remove what it made (a subclass says how)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class OxigraphServer(Endpoint):
    """The ``oxigraph`` SPARQL server as a child process, on loopback unless told otherwise.

    Args:
        location: the store folder to serve; None for an empty in-memory store (writable only).
        host: the address to listen on. Anything but loopback exposes the graph to the network.
        port: the port; 0 picks a free one.
        read_only: refuse updates and Graph Store writes (``oxigraph serve-read-only``).
        timeout_s: the server's own limit on each query, in seconds.
        cors: allow cross-origin requests (for browser tools such as YASGUI).

    Example:
        >>> with OxigraphServer() as server:          # empty and writable, on a free port
        ...     server.query_url.startswith("http://127.0.0.1:")
        True

    """

    def __init__(
        self,
        location: Path | str | None = None,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        read_only: bool = False,
        timeout_s: int | None = 30,
        cors: bool = False,
    ) -> None:
        if read_only and location is None:
            raise StoreError("a read-only server needs a store folder (location=)")
        self.location = Path(location) if location is not None else None
        self.host = host
        self.port = port or free_port(host)
        self.read_only = read_only
        self.timeout_s = timeout_s
        self.cors = cors
        #: The child's address-space limit in bytes (``RLIMIT_AS``; None: none). Set by
        #: :class:`glutegraph.front.FrontEnd`, so that a heavy query ends Oxigraph, not the host.
        self.memory_limit: int | None = None
        #: Where the child's error output goes: a pipe read if it fails to start, or DEVNULL
        #: for a long-running server whose per-request messages nobody reads.
        self.stderr: int = subprocess.PIPE
        self.process: subprocess.Popen[bytes] | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None

    @classmethod
    def for_data(
        cls,
        extra: Iterable[Path | str] = (),
        *,
        store: Path | str | None = None,
        host: str = LOOPBACK,
        port: int = 0,
        timeout_s: int | None = 30,
        cors: bool = False,
    ) -> OxigraphServer:
        """Return a read-only server over the bundled graph plus ``extra`` files.

        The graph is written to ``store`` (a folder, kept; rebuilt only if an older glutegraph
        made it, keeping the files added to it, see :func:`glutegraph.load`) or to a scratch
        folder removed when the server stops. The files are validated first, as
        :func:`glutegraph.load` does. The other arguments are the constructor's.
        """
        import pyoxigraph as ox

        from glutegraph.graph import close_store, load

        scratch = None
        if store is None:
            # The store's engine may still write into the folder while it is removed.
            scratch = tempfile.TemporaryDirectory(prefix="glutegraph-store-",
                                                  ignore_cleanup_errors=True)
            store = scratch.name
        try:
            kg = load(extra, store=store, rebuild="stale")  # files are validated before they go in
        except BaseException:
            if scratch is not None:  # a bad file: remove the scratch store now, not at exit
                close_store(store)
                scratch.cleanup()
            raise
        assert isinstance(kg.store, ox.Store)
        kg.store.flush()
        close_store(store)
        del kg  # close the store before the server opens it
        server = cls(store, host=host, port=port, read_only=True, timeout_s=timeout_s, cors=cors)
        server._scratch = scratch
        return server

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store endpoint (give it to :func:`glutegraph.upload`)."""
        return f"{self.url}/store"

    def command(self) -> list[str]:
        """Return the ``oxigraph`` command line this server runs."""
        args = [oxigraph_program(), "serve-read-only" if self.read_only else "serve"]
        if self.location is not None:
            args += ["--location", str(self.location)]
        args += ["--bind", f"{self.host}:{self.port}"]
        if self.timeout_s is not None:
            args += ["--timeout-s", str(self.timeout_s)]
        if self.cors:
            args.append("--cors")
        return args

    def start(self, wait: float = 20.0) -> Self:
        """Start the server and return once it answers (or raise :class:`EndpointError`)."""
        if self.process is not None:
            return self
        self.process = subprocess.Popen(
            self.command(),
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            preexec_fn=self._prepare_child if sys.platform == "linux" else None,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                problem = self.process.stderr.read().decode() if self.process.stderr else ""
                self._cleanup()
                raise EndpointError(self.url, f"oxigraph exited at start: {problem.strip()}")
            if self.answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise EndpointError(self.url, f"oxigraph did not answer within {wait} s")

    def stop(self) -> None:
        """Stop the server (and remove its scratch store, if it made one)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        atexit.unregister(self.stop)
        self._cleanup()

    def _prepare_child(self) -> None:
        """In the child, before exec: die with the parent, and limit memory if asked."""
        die_with_parent()
        if self.memory_limit is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (self.memory_limit, self.memory_limit))

    def _cleanup_process(self) -> None:
        """Forget the (stopped) child, closing its pipe."""
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def _cleanup(self) -> None:
        self._cleanup_process()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None


def die_with_parent() -> None:
    """In the child, before exec: ask Linux to stop the server if its parent dies.

    Linux ties this to the thread that started the server, so start it from a thread that
    lives as long as you need it (the main thread, in scripts and notebooks).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not glibc/musl: the atexit hook still stops it
        pass


def oxigraph_program() -> str:
    """Return the path of the ``oxigraph`` program (beside this Python first, then on PATH).

    Raises:
        StoreError: it is not installed.

    """
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise StoreError(
            "the oxigraph server is not installed: pip install 'glutegraph[server]' "
            "(or the 'oxigraph' package)"
        )
    return found


def free_port(host: str = LOOPBACK) -> int:
    """Return a TCP port that is free on ``host`` right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with contextlib.closing(socket.socket(family, socket.SOCK_STREAM)) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
