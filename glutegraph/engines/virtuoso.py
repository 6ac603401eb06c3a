"""OpenLink Virtuoso as a scratch SPARQL server on loopback: its own database, started and stopped.

:class:`VirtuosoServer` runs ``virtuoso-t`` (Debian: ``apt-get install virtuoso-opensource``)
in the foreground with a ``virtuoso.ini`` written into a temporary folder that also holds the
database; both listeners, HTTP and ISQL, are on ``127.0.0.1``. Stopping it ends the process
and removes the folder. The tests and ``benchmarks/bench_api.py`` run glutegraph's remote
suite on it, beside Oxigraph; it is also the quickest way to try glutegraph on Virtuoso.

What differs from Oxigraph, and how glutegraph addresses it (README: "Pointing glutegraph at
Virtuoso"):

- **No default graph to store into.** The Graph Store endpoint (``/sparql-graph-crud``)
  refuses ``?default``, and a query's default graph is the union of every graph, Virtuoso's
  own system graphs included. So the data goes into a named graph (:data:`DATA_GRAPH` here;
  ``upload(graph=)``) and :func:`glutegraph.connect` is given the same ``graph=``, which it
  sends as ``default-graph-uri`` (and glutegraph's bookkeeping graphs as ``named-graph-uri``).
- **Writes need a grant.** ``/sparql`` and ``/sparql-graph-crud`` refuse updates from
  anonymous users; ``/sparql-auth`` accepts only HTTP Digest, which glutegraph does not
  speak. A writable :class:`VirtuosoServer` (the default) grants ``SPARQL_UPDATE`` to the
  ``SPARQL`` user, which is safe only because it listens on loopback and is thrown away.
- **Large uploads stall.** One Graph Store upload of a million triples held its locks for
  over ten minutes without finishing; :meth:`VirtuosoServer.bulk_load` uses Virtuoso's
  bulk loader instead (seconds).
- **Long answers are cut.** ``ResultSetMaxRows`` (10,000 in Debian's ini) truncates every
  answer: a SELECT with an ``X-SPARQL-MaxRows`` header (an ``EndpointError`` here), a
  CONSTRUCT silently (glutegraph's whole-graph reads compare it with a COUNT); ``max_rows``
  sets it (a million by default, so CONSTRUCT of a 1e5 graph is whole).
- **Its own time limit.** At ``MaxQueryExecutionTime`` (``timeout_s``) Virtuoso answers 500
  ``S1T00 ... Transaction timed out``, which glutegraph raises as
  :class:`~glutegraph.errors.QueryTimeoutError`.

Example:
    >>> import glutegraph as gg
    >>> with VirtuosoServer() as server:             # an empty one; seconds to start
    ...     _ = gg.upload(server.store_url, graph=server.graph)
    ...     gg.connect(server.query_url, graph=server.graph).muscle("glute med").label
    'gluteus medius'

"""

from __future__ import annotations

import atexit
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Self

import pyoxigraph as ox

from glutegraph.errors import EndpointError, StoreError
from glutegraph.server import LOOPBACK, Endpoint, die_with_parent, free_port

__all__ = ["DATA_GRAPH", "VirtuosoServer", "isql_program", "virtuoso_program", "write_load_file"]

#: The named graph :class:`VirtuosoServer`'s users put glutegraph's data in (any IRI will do).
DATA_GRAPH = "urn:glutegraph:data"

_INSTALL = "apt-get install virtuoso-opensource (Debian/Ubuntu)"
_INI = """\
; Written by glutegraph.engines.virtuoso for a scratch server: everything lives in this folder.
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
; the ISQL (SQL) listener, loopback only; no Unix socket
ServerPort = {host}:{isql_port}
DisableUnixSocket = 1
CaseMode = 2
; the only folder the bulk loader (ld_dir) and file functions may read
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
CheckpointInterval = 0

[HTTPServer]
ServerPort = {host}:{port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
EnabledDavVSP = 0

[SPARQL]
; answers longer than this are cut without an error: keep it above any answer you expect
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {timeout_s}
MaxQueryCostEstimationTime = 0
"""


class VirtuosoServer(Endpoint):
    """``virtuoso-t`` with a scratch database, on loopback, empty until you upload to it.

    Args:
        host: the address both listeners (HTTP and ISQL) bind; loopback unless you mean it.
        port: the HTTP port (0: a free one); ``isql_port`` likewise for ISQL.
        timeout_s: Virtuoso's own limit on each query (``MaxQueryExecutionTime``), seconds;
            0 for none.
        max_rows: the longest answer, in rows (``ResultSetMaxRows``); longer ones are cut.
        writable: let anonymous SPARQL users write (Graph Store and UPDATE); refused on a
            host other than loopback.

    Raises:
        StoreError: ``writable`` on a host other than loopback.

    Example:
        >>> server = VirtuosoServer(port=8890)
        >>> server.query_url, server.graph
        ('http://127.0.0.1:8890/sparql', 'urn:glutegraph:data')
        >>> server.store_url
        'http://127.0.0.1:8890/sparql-graph-crud'

    """

    graph = DATA_GRAPH

    def __init__(
        self,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        isql_port: int = 0,
        timeout_s: int = 60,
        max_rows: int = 1_000_000,
        writable: bool = True,
    ) -> None:
        if writable and host not in (LOOPBACK, "localhost", "::1"):
            raise StoreError(
                f"a writable Virtuoso lets anyone who reaches {host} change the graph: "
                "use host='127.0.0.1', or writable=False"
            )
        self.host = host
        self.port = port or free_port(host)
        self.isql_port = isql_port or free_port(host)
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self.writable = writable
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._password = "dba"  # Virtuoso's default for a new database; replaced at start
        self._scratch: tempfile.TemporaryDirectory[str] | None = None

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol endpoint (give it to :func:`glutegraph.connect`)."""
        return f"{self.url}/sparql"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store endpoint (give it to :func:`glutegraph.upload`)."""
        return f"{self.url}/sparql-graph-crud"

    def ini(self, folder: Path) -> str:
        """Return the ``virtuoso.ini`` text for a database in ``folder``."""
        return _INI.format(folder=folder, host=self.host, port=self.port,
                           isql_port=self.isql_port, max_rows=self.max_rows,
                           timeout_s=self.timeout_s)

    def start(self, wait: float = 60.0) -> Self:
        """Create the database, start the server, and return once it answers SPARQL.

        Raises:
            StoreError: ``virtuoso-t`` or ``isql-vt`` is not installed.
            EndpointError: the server exited or did not answer within ``wait`` seconds.

        """
        if self.process is not None:
            return self
        program = virtuoso_program()
        isql_program()  # needed too, at once after the start: fail before creating anything
        self._scratch = tempfile.TemporaryDirectory(prefix="glutegraph-virtuoso-",
                                                    ignore_cleanup_errors=True)
        self.folder = Path(self._scratch.name)
        (self.folder / "virtuoso.ini").write_text(self.ini(self.folder), encoding="utf-8")
        self.process = subprocess.Popen(
            [program, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent if sys.platform == "linux" else None,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self._log_tail()
                self.stop()
                raise EndpointError(self.url, f"virtuoso-t exited at start: {log}")
            if self.answers():
                self._secure()
                return self
            time.sleep(0.1)
        self.stop()
        raise EndpointError(self.url, f"virtuoso-t did not answer within {wait} s")

    def bulk_load(
        self, store: ox.Store, extensions: Iterable[str] = (), graph: str = DATA_GRAPH,
        timeout: float = 3600,
    ) -> int:
        """Load a store into this server with Virtuoso's bulk loader; return the data's triples.

        The same graphs as :func:`glutegraph.remote.upload_store` sends (the data into
        ``graph``, glutegraph's bookkeeping, the derived record, the names' keys), written as
        one N-Quads file in the server's folder and read by ``ld_dir`` and ``rdf_loader_run``,
        then checkpointed. Use it for large graphs: a single Graph Store upload of a million
        triples held Virtuoso 7.2's locks for over ten minutes without finishing here,
        where the loader takes seconds. It adds to what the graphs hold (a scratch server
        starts empty); connect with ``graph=`` as after an upload.

        Raises:
            StoreError: the server is not running, or the loader failed.

        """
        if self.process is None or self.folder is None:
            raise StoreError("the Virtuoso server is not running: start() it first")
        path = self.folder / "glutegraph-load.nq"
        triples = write_load_file(store, path, extensions, graph)
        try:
            self.isql(f"ld_dir('{self.folder}', '{path.name}', '{graph}'); rdf_loader_run(); "
                      "checkpoint;", timeout=timeout)
            # (isql cuts a statement at a "%": no LIKE; this server's loads are glutegraph's)
            failed = self.isql("SELECT ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
        finally:
            path.unlink(missing_ok=True)
        if failed.strip():
            raise StoreError(f"Virtuoso's bulk loader refused {path.name}: {failed.strip()[:300]}")
        return triples

    def isql(self, sql: str, timeout: float = 60) -> str:
        """Run SQL statements (``;``-separated) as ``dba`` through ``isql-vt``; return its output.

        Raises:
            StoreError: the server is not running, or a statement failed.

        """
        if self.process is None:
            raise StoreError("the Virtuoso server is not running: start() it first")
        done = subprocess.run(
            [isql_program(), f"{self.host}:{self.isql_port}", "dba", self._password,
             "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT", f"exec={sql}"],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise StoreError(f"Virtuoso refused {sql[:100]!r}: {output.strip()[:300]}")
        return output

    def graphs(self) -> list[str]:
        """Return the IRIs of the graphs the server holds, its own system graphs included.

        Read with SQL from the quad table's graph index: the SPARQL way
        (``SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }``) scans every quad, 2.5 s at 1e4.
        """
        output = self.isql("SELECT DISTINCT __id2i(G) FROM DB.DBA.RDF_QUAD;")
        return [line.strip() for line in output.splitlines() if line.strip()]

    def stop(self) -> None:
        """Stop the server and remove its database folder."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        atexit.unregister(self.stop)
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def _secure(self) -> None:
        """Replace the well-known ``dba`` password; grant anonymous writes if ``writable``."""
        password = secrets.token_hex(16)
        grant = 'GRANT SPARQL_UPDATE TO "SPARQL"; ' if self.writable else ""
        self.isql(f"{grant}USER_SET_PASSWORD ('dba', '{password}');")
        self._password = password

    def _log_tail(self) -> str:
        log = self.folder / "virtuoso.log" if self.folder else None
        if log is None or not log.exists():
            return "no log written"
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])


def write_load_file(
    store: ox.Store, path: Path, extensions: Iterable[str] = (), graph: str = DATA_GRAPH
) -> int:
    """Write what an upload of ``store`` sends as one N-Quads file for Virtuoso's bulk loader.

    The data goes into ``graph``, glutegraph's bookkeeping, derived record and names' keys into
    their own graphs (:func:`glutegraph.remote.upload_parts`). Load it on your own Virtuoso with
    ``isql``: ``ld_dir('<folder>', '<file>', '<graph>'); rdf_loader_run(); checkpoint;`` (the
    folder must be in ``DirsAllowed``). Returns the data's triples.

    Example:
        >>> import tempfile
        >>> from glutegraph.store import open_store
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     write_load_file(open_store(), Path(folder, "load.nq")) > 10_000
        True

    """
    from glutegraph.remote import upload_parts

    parts = upload_parts(store, extensions, graph)
    with path.open("wb") as out:
        for name, triples in parts:
            assert name is not None
            target = ox.NamedNode(name)
            ox.serialize((ox.Quad(t.subject, t.predicate, t.object, target) for t in triples),
                         out, format=ox.RdfFormat.N_QUADS)
    return len(parts[0][1])


def virtuoso_program() -> str:
    """Return the path of ``virtuoso-t`` (on PATH, or Debian's ``/usr/bin``).

    Raises:
        StoreError: it is not installed.

    """
    return _program("virtuoso-t")


def isql_program() -> str:
    """Return the path of Virtuoso's SQL client (``isql-vt`` on Debian, ``isql`` elsewhere)."""
    return _program("isql-vt")


#: Where Debian and a source build put Virtuoso's programs, searched after PATH.
SEARCH_PATH = "/usr/bin:/usr/local/bin"


def _program(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=SEARCH_PATH)
    if found is None:
        raise StoreError(f"Virtuoso's {name} is not installed: {_INSTALL}")
    return found
