"""The embedded triple store (pyoxigraph): opening it, filling it, reading RDF files into it.

The bundled graph and any extension files live in the store's default graph. A persistent
store (a folder on disk) also keeps, in the named graph :data:`META_GRAPH`, the version of the
bundled data it holds and a record of each extension file added to it, and in a named graph
per file a copy of that file's triples, so that reopening it is instant, a rebuild never needs
the original files, and a newer glutegraph can tell when its data is stale.

Every change to a folder is all-or-nothing, even if the process is killed part-way:

- :func:`add_extensions` writes a file's triples, their copy and its record in one pyoxigraph
  transaction (``Store.extend``, one RocksDB write batch).
- The first fill and a rebuild build a complete new store in a hidden sibling folder
  (``.NAME.glutegraph-building``), then swap it in by renaming; the old store is kept until the
  new one is in place. An interrupted swap is finished or undone the next time the folder is
  opened (:func:`recover`), under a lock file (``.NAME.glutegraph-lock``) that also keeps two
  processes from filling or rebuilding one folder at once.

Example:
    >>> from glutegraph.store import open_store
    >>> len(open_store()) > 4000
    True

"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

import pyoxigraph as ox

from glutegraph.errors import DataFileError, ExtensionFileWarning, StoreError, StoreWarning
from glutegraph.files import data_files, mapping_files, rule_files

if TYPE_CHECKING:
    from glutegraph.sparql import Backend

#: Named graph holding the store's own bookkeeping; queries never see it by default.
META_GRAPH = ox.NamedNode("urn:glutegraph:meta")
#: Named graph recording which triples the rules derived (``ontology/rules/``): each derived
#: triple is in the default graph, where every query, export and server sees it, and a copy
#: is here, so that it can be told apart from what is asserted (:func:`asserted_view`).
DERIVED_GRAPH = ox.NamedNode("urn:glutegraph:derived")
#: Named graphs where :meth:`glutegraph.KnowledgeGraph.add` stages the files it checks and
#: the nodes they touch (see :mod:`glutegraph.addition`): they exist only while it checks,
#: no query or listing sees them, and :func:`open_store` removes what a killed process left.
STAGING_GRAPHS = (ox.NamedNode("urn:glutegraph:staging"), ox.NamedNode("urn:glutegraph:focus"))
_STORE = ox.NamedNode("urn:glutegraph:store")
_DATA_VERSION = ox.NamedNode("urn:glutegraph:dataVersion")
_EXTENSION = ox.NamedNode("urn:glutegraph:extensionFile")
_FORMAT = ox.NamedNode("urn:glutegraph:storeFormat")
_FILE = ox.NamedNode("urn:glutegraph:file")
_SHA256 = ox.NamedNode("urn:glutegraph:sha256")
_BYTES = ox.NamedNode("urn:glutegraph:bytes")
_MTIME = ox.NamedNode("urn:glutegraph:mtimeNs")
_ADDED = ox.NamedNode("urn:glutegraph:added")
_COPY = ox.NamedNode("urn:glutegraph:copy")
#: The named graphs holding the copies of extension files start with this (then the SHA-256).
COPY_GRAPH_PREFIX = "urn:glutegraph:file:"
#: An extension "path" that starts with this names Python objects added, not a file.
NOT_A_FILE = "glutegraph:"
#: Version of the folder layout: 2 keeps a copy of each extension file's triples.
STORE_FORMAT = "2"

#: The largest RDF file read into memory (bytes); bigger ones belong in a triple store.
MAX_FILE_BYTES = 32 * 2**20  # a 32 MB file (277,000 triples) peaks at 1.4 GB while checked
#: Seconds :func:`open_store` waits for another process filling or rebuilding the same folder.
LOCK_WAIT_SECONDS = 60.0

#: Called with a short name before each write to an on-disk store and once when it is done.
#: Tests set it to kill the process at every step (tests/test_store_faults.py); None in use.
write_step_hook: Callable[[str], None] | None = None

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


def _step(name: str) -> None:
    if write_step_hook is not None:
        write_step_hook(name)


def write_step(name: str) -> None:
    """Mark a write step of an on-disk store, for :data:`write_step_hook` (the fault tests)."""
    _step(name)


def visible_named_graphs(store: ox.Store) -> list[ox.NamedNode | ox.BlankNode] | None:
    """Return the named graphs a query may see while :data:`STAGING_GRAPHS` exist, else None.

    None (the usual case, two look-ups) lets a query see every named graph.

    Example:
        >>> visible_named_graphs(open_store()) is None
        True

    """
    if not any(store.contains_named_graph(g) for g in STAGING_GRAPHS):
        return None
    return [g for g in store.named_graphs() if g not in STAGING_GRAPHS]


def drop_staging(store: ox.Store) -> bool:
    """Remove :data:`STAGING_GRAPHS` (left by a process killed while it checked an addition).

    Returns:
        whether there was anything to remove.

    Example:
        >>> drop_staging(open_store())
        False

    """
    found = False
    for graph in STAGING_GRAPHS:
        if store.contains_named_graph(graph):
            _step("unstage")
            store.remove_graph(graph)
            found = True
    return found


@cache
def data_version() -> str:
    """Return a short digest of the bundled RDF files; it changes whenever they change.

    Example:
        >>> len(data_version())
        16

    """
    from glutegraph.sparql import file_query

    digest = hashlib.sha256()
    for path in [*data_files(), *rule_files(), *mapping_files()]:
        digest.update(path.name.encode())
        # a rule as it runs on the whole graph: its lines for a focus change nothing it derives
        digest.update(file_query(path).encode() if path in rule_files() else path.read_bytes())
    return digest.hexdigest()[:16]


def rdf_format(path: Path) -> ox.RdfFormat:
    """Return the RDF format of a file from its suffix.

    Raises:
        DataFileError: the suffix is not one of the RDF formats glutegraph reads.

    Example:
        >>> rdf_format(Path("my-exercises.ttl"))
        <RdfFormat Turtle>

    """
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        if path.suffix.lower() in (".xlsx", ".xls", ".ods", ".numbers"):
            raise DataFileError(str(path), "is a spreadsheet: save it as CSV (UTF-8) with the "
                                "exercises or measurements template's columns (see "
                                "glutegraph.importers.table) and add the .csv file")
        raise DataFileError(str(path), f"unknown RDF file type {path.suffix!r}; use one of "
                            f"{known}, or a .csv table")
    return fmt


class ExtensionFile(NamedTuple):
    """An RDF file read for adding: its triples, and what identifies its content.

    Example:
        >>> from glutegraph.files import schema_file
        >>> schema = read_extension(schema_file())
        >>> len(schema.sha256), schema.size == schema_file().stat().st_size
        (64, True)

    """

    #: The file's absolute path when it was read.
    path: str
    #: Its triples, as quads of the default graph.
    quads: list[ox.Quad]
    #: SHA-256 of the bytes that were parsed (hex).
    sha256: str
    #: Size in bytes.
    size: int
    #: Modification time (ns) when it was read.
    mtime_ns: int

    @property
    def graph(self) -> ox.NamedNode:
        """The named graph that keeps this file's copy in a persistent store."""
        return ox.NamedNode(COPY_GRAPH_PREFIX + self.sha256)

    def record(self) -> list[ox.Quad]:
        """Return the bookkeeping quads that describe this file in :data:`META_GRAPH`."""
        key = hashlib.sha256(f"{self.path}\n{self.sha256}".encode()).hexdigest()[:32]
        node = ox.NamedNode(f"urn:glutegraph:extension:{key}")
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        values: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
            (_FILE, ox.Literal(self.path)),
            (_SHA256, ox.Literal(self.sha256)),
            (_BYTES, ox.Literal(str(self.size), datatype=_XSD_INTEGER)),
            (_MTIME, ox.Literal(str(self.mtime_ns), datatype=_XSD_INTEGER)),
            (_ADDED, ox.Literal(now, datatype=_XSD_DATETIME)),
            (_COPY, self.graph),
        ]
        quads = [ox.Quad(node, p, o, META_GRAPH) for p, o in values]
        return [*quads, ox.Quad(_STORE, _EXTENSION, ox.Literal(self.path), META_GRAPH)]


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def read_triples(path: Path | str) -> list[ox.Quad]:
    """Parse one RDF file into quads of the default graph (named graphs are flattened).

    Nothing is fetched: relative IRIs are not resolved against the network and JSON-LD
    remote contexts are not loaded.

    Raises:
        DataFileError: the file is missing, unreadable or not valid RDF; the message names
            the file, and the line and column where the parser gives them.

    Example:
        >>> from glutegraph.files import schema_file
        >>> len(read_triples(schema_file())) > 500
        True

    """
    return read_extension(path).quads


def read_extension(path: Path | str) -> ExtensionFile:
    """Read one RDF file as :func:`read_triples` does, keeping its digest, size and time.

    The digest is of the very bytes parsed, so a file that changes while it is read is
    recorded as what was added.

    Raises:
        DataFileError: as :func:`read_triples`.

    Example:
        >>> from glutegraph.files import schema_file
        >>> read_extension(schema_file()).path == str(schema_file().resolve())
        True

    """
    if "://" in str(path):
        raise DataFileError(str(path), "is a URL; glutegraph reads local files only and fetches "
                            "nothing (download the file first)")
    path = Path(path)
    fmt = rdf_format(path)
    try:
        info = path.stat()
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if max(info.st_size, len(data)) > MAX_FILE_BYTES:
            size = max(info.st_size, len(data))
            raise DataFileError(
                str(path), f"is {size / 2**20:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                "glutegraph reads into memory at once; load it into a triple store "
                "(oxigraph load) and use glutegraph.connect(), or raise "
                "glutegraph.store.MAX_FILE_BYTES")
        if fmt == ox.RdfFormat.RDF_XML:
            _check_xml(path, data)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for q in ox.parse(input=data, format=fmt)
        ]
    except FileNotFoundError as exc:
        raise DataFileError(str(path), "no such file") from exc
    except IsADirectoryError as exc:
        raise DataFileError(str(path), "is a folder, not an RDF file") from exc
    except SyntaxError as exc:
        problem = str(exc.msg or exc)
        if problem.startswith("Parser error at line"):  # the place is given separately
            problem = problem.split(": ", 1)[-1]
        raise DataFileError(str(path), _plain(problem), line=exc.lineno, column=exc.offset) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataFileError(str(path), _plain(str(exc))) from exc
    if not quads:
        raise DataFileError(str(path), "holds no triples (an empty file?)")
    return ExtensionFile(str(path.resolve()), quads, hashlib.sha256(data).hexdigest(), len(data),
                         info.st_mtime_ns)


def content_digest(path: Path, pattern: str = "*.json") -> tuple[str, int]:
    """Return the SHA-256 and size of a file, or of a folder's ``pattern`` files (sorted).

    What identifies an added file's content, or an imported data set's folder.

    Example:
        >>> from glutegraph.files import schema_file
        >>> content_digest(schema_file())[1] == schema_file().stat().st_size
        True

    """
    sha = hashlib.sha256()
    if path.is_dir():
        size = 0
        for part in sorted(path.glob(pattern)):
            data = part.read_bytes()
            sha.update(part.name.encode() + b"\0" + data)
            size += len(data)
        return sha.hexdigest(), size
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def _plain(problem: str) -> str:
    """Say a parser's problem in the user's terms where it is about something not fetched."""
    if "LoadDocumentCallback" in problem:
        return ("uses a remote JSON-LD @context, which glutegraph never fetches; put the "
                "context in the file instead")
    return problem


def _check_xml(path: Path, data: bytes) -> None:
    """Refuse XML that expands entities without bound ("billion laughs") or loads external ones.

    The stdlib expat parser (2.4 and later) stops entity amplification attacks and, as set
    up here, never reads external entities; pyoxigraph's RDF/XML parser then reads the file.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def no_external(*_: object) -> int:
        raise DataFileError(str(path), "refers to an external XML entity, which is never loaded")

    parser.ExternalEntityRefHandler = no_external
    try:
        parser.ParseFile(io.BytesIO(data))  # in chunks, as from the file: less memory
    except expat.ExpatError as exc:
        problem = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise DataFileError(str(path), f"XML refused: {problem}", line=exc.lineno,
                            column=exc.offset + 1) from exc


def load_bundled(store: ox.Store) -> None:
    """Load the bundled schema, knowledge base and mappings into the default graph; derive."""
    from glutegraph.importers.sssom import mapping_quads

    for path in data_files():
        _step(f"load {path.name}")
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)  # 3x faster than bulk_load here
    store.extend(mapping_quads())
    derive(store)


def derive_triples(store: ox.Store) -> list[ox.Triple]:
    """Add to ``store`` what the rules in ``ontology/rules/`` derive; return the new triples.

    Each rule is a CONSTRUCT query that skips what is already there, so after new data only
    the new facts come back; the rules run again, on the store with what they derived, until
    nothing new comes (one may use another's facts). Each derived triple goes into the default
    graph and its record into :data:`DERIVED_GRAPH` (:func:`as_derived` gives both quads).
    One transaction per round: use it on a store being built, or on a scratch copy, before
    anyone reads it (every caller does; a store on disk is built beside its folder).

    Example:
        >>> derive_triples(open_store())    # open_store() derived everything already
        []

    """
    derived: list[ox.Triple] = []
    for _ in range(RULE_ROUNDS):  # in place: no copy of the graph for the later rounds
        new = _rule_triples(store)
        if not new:
            break
        store.extend(as_derived(new))
        derived += new
    return derived


#: Rounds of the rules at most (each may use facts the others derived in the round before).
RULE_ROUNDS = 5


def _rule_triples(store: Backend) -> list[ox.Triple]:
    """Return what one round of every rule derives from ``store``, once each."""
    from glutegraph.sparql import file_query, run

    found: dict[ox.Triple, None] = {}
    for path in rule_files():
        found.update(dict.fromkeys(run(store, file_query(path))))
    return list(found)


def as_derived(triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    """Return each triple in the default graph and its record in :data:`DERIVED_GRAPH`."""
    return [ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in triples for graph in (ox.DefaultGraph(), DERIVED_GRAPH)]


def graph_quads(store: Backend) -> Iterator[ox.Quad]:
    """Yield the graph's triples (the default graph: asserted and derived), as quads.

    Example:
        >>> sum(1 for _ in graph_quads(open_store())) > 4000
        True

    """
    yield from store.quads_for_pattern(None, None, None, ox.DefaultGraph())


def asserted_view(store: ox.Store) -> ox.Store:
    """Return a scratch store of the asserted triples only (the graph minus the derived ones).

    Built on each call: a copy of the graph, so keep it for several questions.

    Example:
        >>> store = open_store()
        >>> len(asserted_view(store)) < sum(1 for _ in graph_quads(store))
        True

    """
    derived = {ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, DERIVED_GRAPH)}
    view = ox.Store()
    view.extend(q for q in graph_quads(store)
                if ox.Triple(q.subject, q.predicate, q.object) not in derived)
    return view


def derive(store: ox.Store) -> int:
    """Add to ``store`` what its rules derive; return how many triples (see :func:`derive_triples`).

    Example:
        >>> derive(open_store())
        0

    """
    return len(derive_triples(store))


def open_store(
    path: Path | str | None = None, *, rebuild: bool | Literal["stale"] = False
) -> ox.Store:
    """Return a store holding the bundled graph: in memory, or in the folder ``path``.

    In memory, the derived graph comes from a cache file after the first time (see
    :mod:`glutegraph.cache.bundled`).

    A folder that does not exist yet, or is empty, is filled. A folder made by an older
    glutegraph (its bundled data differs) raises :class:`StoreError` unless ``rebuild`` is
    true, in which case the bundled data is reloaded and the extension files added to the
    store are kept: from the copy the store holds, so the files need not be where they were.
    ``rebuild="stale"`` rebuilds only a store of another data version (``glutegraph serve``).

    Filling and rebuilding build the new store beside the folder and swap it in, so the
    folder holds either the old store or the new one, whatever happens. An extension file
    that has moved or changed since it was added gives an :class:`ExtensionFileWarning`.

    Raises:
        StoreError: the folder is in use, holds other data, is stale (without ``rebuild``),
            or a rebuild cannot be done; the message says what to do. The folder is unchanged.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     first = len(open_store(folder))
        ...     again = len(open_store(folder))  # reopened: nothing is parsed this time
        >>> first == again
        True

    """
    from glutegraph.names import index_names

    if path is None:  # (no name keys: each kind's names are read once, when first needed)
        from glutegraph.cache import bundled_store

        return bundled_store()  # built once per data version, then loaded from the user cache
    folder = Path(path).expanduser().resolve()  # a link: swap its target, not it
    with _folder_lock(folder):
        recover(folder)
        existing = _open_if_store(folder)
        if existing is None or (_stored_version(existing) is None and not _has_data(existing)):
            del existing  # an empty folder, or an empty Oxigraph store (closed now): fill it
            _build(folder, None, [])
            _swap(folder)
            return _open(folder)
        store = existing
        del existing
        version = _stored_version(store)
        if version is None:
            raise StoreError(
                f"{folder} holds RDF but no glutegraph bookkeeping, so glutegraph did not make "
                "it; it is left as it is. Give glutegraph a new or empty folder for its store")
        stale = version != data_version()
        if stale and not rebuild:
            raise StoreError(
                f"the store in {folder} holds glutegraph data version {version}, but this "
                f"glutegraph ships {data_version()}; open it with rebuild=True to reload the "
                "bundled data (your extension files are kept)")
        _report_extension_files(store, folder)
        drop_staging(store)  # an add() killed while it checked its files left them staged
        if not rebuild or (rebuild == "stale" and not stale):
            index_names(store)  # a store filled by an earlier release gets its name keys once
            return store
        _build(folder, store, _legacy_extensions(store, folder))
        del store  # the old store must be closed before it is set aside
        _swap(folder)
        return _open(folder)


def _open(folder: Path) -> ox.Store:
    try:
        return ox.Store(str(folder))
    except OSError as exc:
        raise StoreError(f"cannot open the store in {folder}: {_lock_hint(str(exc))}") from exc


def _open_if_store(folder: Path) -> ox.Store | None:
    """Open ``folder`` if it holds a store; None if it is missing or empty; else refuse it."""
    if not folder.exists():
        return None
    if not folder.is_dir():
        raise StoreError(f"{folder} is a file; give glutegraph a folder for its store")
    if not any(folder.iterdir()):
        return None
    if not (folder / "CURRENT").is_file():  # every RocksDB (Oxigraph) store has one
        raise StoreError(
            f"{folder} is not empty and is not a store: glutegraph keeps its store in a folder "
            "of its own and leaves this one as it is; give it a new or empty folder")
    return _open(folder)


def _lock_hint(problem: str) -> str:
    if "current process" in problem:
        return ("it is still open in this process (an old graph object holds it; drop it, or "
                "keep using it)")
    if "lock" in problem.lower():
        return "another program has it open (a `glutegraph serve`?); stop it or use a copy"
    return problem


# ---------------------------------------------------------------------- building and swapping

def _sibling(folder: Path, kind: str) -> Path:
    return folder.with_name(f".{folder.name}.glutegraph-{kind}")


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``.NAME.glutegraph-lock`` beside ``folder`` while it is checked, filled or swapped.

    Another process waits up to :data:`LOCK_WAIT_SECONDS`. The lock file is removed on
    release; a waiter that then holds a removed file tries again. (No lock without fcntl.)
    """
    if sys.platform == "win32":  # pragma: no cover - glutegraph's stores are tested on Linux
        yield
        return
    import fcntl

    lock = _sibling(folder, "lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder {lock.parent} for the store: {exc}") from exc
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the lock file {lock}: {exc}; glutegraph needs to "
                             f"write in {lock.parent} to keep a store there") from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            if time.monotonic() > deadline:
                raise StoreError(
                    f"another glutegraph process has been filling or rebuilding the store in "
                    f"{folder} for over {LOCK_WAIT_SECONDS:.0f} s; try again when it has "
                    "finished") from None
            time.sleep(0.05)
            continue
        try:  # the holder before us may have removed the file we opened: lock the new one
            same = os.stat(lock).st_ino == os.fstat(handle).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(handle)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(handle)


def recover(folder: Path | str) -> str | None:
    """Finish or undo a fill or rebuild of ``folder`` that a stopped process left half-done.

    :func:`open_store` calls this first, under the folder's lock. A new store is swapped in by
    two renames (old store aside, new store in place), so after a crash the folder holds the
    old store, the new one, or, between the renames, neither:

    - an unfinished new store (``.NAME.glutegraph-building``) is removed;
    - a finished one (``-new``) whose swap had not begun is removed: the old store stays;
    - a swap stopped between its renames is finished: the new store takes the folder;
    - the old store kept aside (``-old``) is removed once the new one is in place.

    Returns:
        what was done, for a :class:`StoreWarning` (also issued), or None if nothing was left.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     recover(folder) is None
        True

    """
    folder = Path(folder).expanduser().resolve()
    building, new, old = (_sibling(folder, k) for k in ("building", "new", "old"))
    done = []
    if building.exists():
        _remove(building)
        done.append("an unfinished fill or rebuild was removed")
    if new.exists():
        if folder.exists():
            _remove(new)
            done.append("a rebuild that had not been swapped in was undone")
        else:
            os.rename(new, folder)
            _sync_folder(folder.parent)
            done.append("an interrupted swap was finished (the new store is in place)")
    if old.exists():
        if folder.exists():
            _remove(old)
        else:  # not left by glutegraph's own order of steps; keep the data all the same
            os.rename(old, folder)
            done.append("the old store was put back")
    if not done:
        return None
    message = (f"the store in {folder} was being filled or rebuilt when a process stopped: "
               f"{'; '.join(done)}. Nothing else is needed")
    warnings.warn(StoreWarning(message), stacklevel=3)
    return message


def _build(folder: Path, old: ox.Store | None, legacy: Sequence[ExtensionFile]) -> None:
    """Build a complete store in ``.NAME.glutegraph-new`` beside ``folder``, which is untouched.

    The new content (the bundled data, ``old``'s extensions and the ``legacy`` files) goes
    into ``-building``, which is renamed ``-new`` only once it is complete and closed.
    """
    building, new = _sibling(folder, "building"), _sibling(folder, "new")
    action = "fill" if old is None else "rebuild"
    try:
        _step(f"{action}: create")
        built = ox.Store(str(building))
        _fill(built, old, legacy)
        _step(f"{action}: flush")
        built.flush()
        del built  # closes it
        _step(f"{action}: finished")
        os.rename(building, new)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            _remove(building)
        if isinstance(exc, OSError):
            raise StoreError(f"could not {action} the store in {folder}: {exc}; the folder is "
                             "unchanged") from exc
        raise


def _swap(folder: Path) -> None:
    """Put the store built by :func:`_build` in place of ``folder`` (which must be closed)."""
    new, aside = _sibling(folder, "new"), _sibling(folder, "old")
    try:
        if folder.exists():
            _step("swap: set the old store aside")
            os.rename(folder, aside)
        _step("swap: put the new store in place")
        os.rename(new, folder)
        _sync_folder(folder.parent)
    except OSError as exc:
        if aside.exists() and not folder.exists():
            os.rename(aside, folder)
        with contextlib.suppress(OSError):
            _remove(new)
        raise StoreError(
            f"could not put the new store in place of {folder} ({exc}); the folder is "
            "unchanged. If it is a mount point, keep the store in a folder inside it") from exc
    if aside.exists():
        _step("swap: remove the old store")
        _remove(aside)
    _step("swap: done")


def _fill(store: ox.Store, old: ox.Store | None, legacy: Sequence[ExtensionFile]) -> None:
    """Load the bundled data, then the extensions kept in ``old`` and the ``legacy`` files."""
    load_bundled(store)
    meta: list[ox.Quad] = []
    if old is not None:
        for graph in _copy_graphs(old):
            _step(f"copy {graph.value}")
            copy = list(old.quads_for_pattern(None, None, None, graph))
            store.extend([ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                          for q in copy] + copy)
        skip = {_DATA_VERSION, _FORMAT}
        meta += [q for q in old.quads_for_pattern(None, None, None, META_GRAPH)
                 if not (q.subject == _STORE and q.predicate in skip)]
    for extension in legacy:
        _step(f"copy {extension.path}")
        store.extend(_extension_quads([extension], copies=True))
    _step("derive")
    derive(store)  # what the rules derive from the extensions too
    _step("name keys")
    from glutegraph.names import index_names

    index_names(store)
    meta += [ox.Quad(_STORE, _DATA_VERSION, ox.Literal(data_version()), META_GRAPH),
             ox.Quad(_STORE, _FORMAT, ox.Literal(STORE_FORMAT), META_GRAPH)]
    _step("bookkeeping")
    store.extend(meta)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Ask the OS to write a folder's entries (the renames) to disk, where it can."""
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


# ---------------------------------------------------------------------- extension files

def add_extensions(
    store: ox.Store,
    files: Sequence[ExtensionFile],
    *,
    persistent: bool,
    derived: Sequence[ox.Quad] = (),
) -> None:
    """Add the files' triples to ``store`` in one transaction: all of them, or none.

    In a persistent store the same transaction keeps a copy of each file's triples (named
    graph :attr:`ExtensionFile.graph`) and its record in :data:`META_GRAPH`; ``derived`` (what
    the rules derive from the files, see :func:`derive_triples`) goes in with them. Validation
    is the caller's (:meth:`glutegraph.KnowledgeGraph.add`).

    Example:
        >>> from glutegraph.files import schema_file
        >>> store = ox.Store()
        >>> add_extensions(store, [read_extension(schema_file())], persistent=True)
        >>> extension_files(store) == [str(schema_file().resolve())]
        True

    """
    from glutegraph.names import is_keyed, key_quads

    quads = [*_extension_quads(files, copies=persistent), *derived]
    if is_keyed(store):  # their names' keys (see glutegraph.names), in the same transaction
        quads += key_quads(quads)
    _step("add")
    store.extend(quads)  # pyoxigraph: one transaction (a single RocksDB write batch)
    _step("add: done")


def already_added(store: ox.Store, extension: ExtensionFile) -> bool:
    """Whether a persistent store holds this file already (same path, same content).

    :meth:`glutegraph.KnowledgeGraph.add` skips such a file, so that adding it again (each
    ``glutegraph serve --store FOLDER --data FILE``) does not copy its blank nodes again.

    Example:
        >>> from glutegraph.files import schema_file
        >>> store, schema = ox.Store(), read_extension(schema_file())
        >>> already_added(store, schema)
        False
        >>> add_extensions(store, [schema], persistent=True)
        >>> already_added(store, schema)
        True

    """
    return any(r.path == extension.path and r.sha256 == extension.sha256 for r in _records(store))


def _extension_quads(files: Iterable[ExtensionFile], *, copies: bool) -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    for extension in files:
        quads += extension.quads
        if copies:
            graph = extension.graph
            quads += [ox.Quad(q.subject, q.predicate, q.object, graph) for q in extension.quads]
            quads += extension.record()
    return quads


def _copy_graphs(store: ox.Store) -> list[ox.NamedNode]:
    found = {q.object.value for q in store.quads_for_pattern(None, _COPY, None, META_GRAPH)
             if isinstance(q.object, ox.NamedNode)}
    return [ox.NamedNode(g) for g in sorted(found)]


class _Record(NamedTuple):
    path: str
    sha256: str
    size: int
    mtime_ns: int
    added: str


def _records(store: ox.Store) -> list[_Record]:
    fields: dict[str, dict[str, str]] = {}
    for quad in store.quads_for_pattern(None, None, None, META_GRAPH):
        if isinstance(quad.subject, ox.NamedNode) and quad.subject != _STORE:
            value = quad.object.value if not isinstance(quad.object, ox.Triple) else ""
            fields.setdefault(quad.subject.value, {})[quad.predicate.value] = value
    records = []
    for f in fields.values():
        if _FILE.value in f and _SHA256.value in f:
            records.append(_Record(f[_FILE.value], f[_SHA256.value], int(f.get(_BYTES.value, -1)),
                                   int(f.get(_MTIME.value, -1)), f.get(_ADDED.value, "?")))
    return sorted(records, key=lambda r: (r.path, r.added))


def _legacy_extensions(store: ox.Store, folder: Path) -> list[ExtensionFile]:
    """Read again the files an older glutegraph recorded without keeping a copy of them."""
    copied = {r.path for r in _records(store)}
    legacy = []
    for path in extension_files(store):
        if path in copied:
            continue
        try:
            legacy.append(read_extension(path))
        except DataFileError as exc:
            raise StoreError(
                f"cannot rebuild the store in {folder}: it was made by an older glutegraph that "
                f"kept no copy of the extension file {path}, and that file cannot be read now "
                f"({exc.problem}). Put the file back there and open the store with rebuild=True "
                "again; the store is unchanged") from exc
    return legacy


def _report_extension_files(store: ox.Store, folder: Path) -> None:
    """Warn about extension files that have moved or changed since they were added."""
    by_path: dict[str, list[_Record]] = {}
    for record in _records(store):
        by_path.setdefault(record.path, []).append(record)
    for path, records in by_path.items():
        if path.startswith(NOT_A_FILE):  # added from Python objects
            continue
        problem = _file_problem(Path(path), records)
        if problem:
            added = records[-1].added
            warnings.warn(ExtensionFileWarning(
                path, f"{problem} since it was added to the store in {folder} (on {added}). "
                "Nothing is lost: the store keeps the triples it read then, and a rebuild uses "
                "that copy. To use the file as it is now, load it into a new store folder; to "
                "stop this notice, put the original back"), stacklevel=4)
    copied = set(by_path)
    for path in extension_files(store):
        if path not in copied and not Path(path).is_file():
            warnings.warn(ExtensionFileWarning(
                path, f"is no longer there; the store in {folder} was made by an older "
                "glutegraph that kept no copy of it, so a rebuild will need it: put it back, "
                "and open the store with rebuild=True once to keep a copy"), stacklevel=4)


def _file_problem(path: Path, records: list[_Record]) -> str | None:
    try:
        info = path.stat()
    except OSError:
        return "has moved or been removed"
    if any(r.size == info.st_size and r.mtime_ns == info.st_mtime_ns for r in records):
        return None
    try:
        digest = content_digest(path)[0]
    except OSError:
        return "cannot be read"
    return None if any(r.sha256 == digest for r in records) else "has changed"


class Origins(NamedTuple):
    """Which added files stated which triples, from the copies a store keeps of them.

    Attributes:
        triples: each triple of an added file -> the files (absolute paths) that stated it.
        subjects: each subject IRI (or blank node id) of those triples -> the same files.

    Example:
        >>> Origins({}, {}).of_subject("https://w3id.org/glutegraph/kb/piriformis")
        ()

    """

    triples: dict[ox.Triple, tuple[str, ...]]
    subjects: dict[str, tuple[str, ...]]

    def of_triple(self, subject: str, predicate: str, obj: str) -> tuple[str, ...]:
        """Return the files that stated the IRI triple ``subject predicate obj`` (or none)."""
        if not self.triples:  # nothing added: the usual case, and no Triple to build
            return ()
        key = ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), ox.NamedNode(obj))
        return self.triples.get(key, ())

    def of_subject(self, subject: str) -> tuple[str, ...]:
        """Return the files that stated anything about ``subject`` (empty: none did)."""
        return self.subjects.get(subject, ())


def added_from(store: ox.Store) -> Origins:
    """Return which extension file each added triple came from (see :class:`Origins`).

    :meth:`glutegraph.KnowledgeGraph.add` keeps each file's triples in a named graph of its
    own (in memory as on disk), recorded in :data:`META_GRAPH` with the file's path; a triple
    of the bundled files is in none of them.

    Example:
        >>> from glutegraph.files import schema_file
        >>> store = ox.Store()
        >>> add_extensions(store, [read_extension(schema_file())], persistent=True)
        >>> origins = added_from(store)
        >>> origins.of_subject("https://w3id.org/glutegraph/ontology/Muscle")[0].endswith(
        ...     "glutegraph.ttl")
        True

    """
    paths: dict[str, list[str]] = {}
    for found in _records(store):
        paths.setdefault(COPY_GRAPH_PREFIX + found.sha256, []).append(found.path)
    triples: dict[ox.Triple, tuple[str, ...]] = {}
    subjects: dict[str, set[str]] = {}
    for graph, files in paths.items():
        for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            key = ox.Triple(quad.subject, quad.predicate, quad.object)
            triples[key] = tuple(sorted({*triples.get(key, ()), *files}))
            subject = quad.subject
            name = str(subject) if isinstance(subject, ox.Triple) else subject.value
            subjects.setdefault(name, set()).update(files)
    return Origins(triples, {s: tuple(sorted(f)) for s, f in subjects.items()})


def record(store: ox.Store, extensions: Iterable[str]) -> None:
    """Write the data version and the extension files into the store's bookkeeping graph.

    For a store you build yourself (:func:`glutegraph.remote.upload_store`): it replaces the
    bookkeeping in two steps. Files added with :func:`add_extensions` are recorded as they go.
    """
    store.clear_graph(META_GRAPH)
    quads = [ox.Quad(_STORE, _DATA_VERSION, ox.Literal(data_version()), META_GRAPH)]
    quads += [ox.Quad(_STORE, _EXTENSION, ox.Literal(e), META_GRAPH) for e in extensions]
    store.extend(quads)
    store.flush()


def extension_files(store: ox.Store) -> list[str]:
    """Return the extension files recorded in a persistent store, sorted."""
    quads = store.quads_for_pattern(_STORE, _EXTENSION, None, META_GRAPH)
    return sorted(
        {str(q.object) if isinstance(q.object, ox.Triple) else q.object.value for q in quads}
    )


def version_query(*, in_default_graph: bool = False) -> str:
    """Return the SPARQL query for the data version a store records (embedded or remote).

    With ``in_default_graph`` it is an ASK for the record in the default graph instead: true
    only where the default graph is the union of all graphs (see :func:`glutegraph.connect`).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     answer = open_store(folder).query(version_query())
        ...     [row[0].value == data_version() for row in answer]
        [True]

    """
    if in_default_graph:
        return f"ASK {{ {_STORE} {_DATA_VERSION} ?version }}"
    return (f"SELECT ?version WHERE {{ GRAPH {META_GRAPH} "
            f"{{ {_STORE} {_DATA_VERSION} ?version }} }}")


def _stored_version(store: ox.Store) -> str | None:
    for quad in store.quads_for_pattern(_STORE, _DATA_VERSION, None, META_GRAPH):
        if isinstance(quad.object, ox.Literal):
            return quad.object.value
    return None


def _has_data(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, None)), None) is not None
