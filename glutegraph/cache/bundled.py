"""The bundled graph, derived once and kept as an N-Quads file in the user's cache folder.

Building the bundled graph means parsing the Turtle sources, reading the mapping tables and
running the derivation rules: about 60 ms on every start of a process. :func:`bundled_store`
does that once per release of the data, writes the result (every quad: the graph and the
record of what the rules derived) to ``bundled-KEY.nq`` in :func:`cache_folder`, and later
loads that file instead (N-Quads, already checked: about a third of the time).

The file is never trusted blindly:

- ``KEY`` is a digest of the shipped ontology files (:func:`glutegraph.store.data_version`),
  glutegraph's version, :data:`CACHE_FORMAT` and the code that builds the graph
  (:data:`BUILDERS`): other data or code gives another file name.
- Its first line records the key, the SHA-256 and the size of the rest and the number of quads; a
  file whose digest or count differs (truncated, edited, half-written by another tool) is
  ignored and written again.
- It is written to a temporary file in the same folder and renamed into place, so a reader
  sees the old file, the new one, or none: never a part.
- A cache folder that cannot be written (a read-only home) is no error: the graph is built in
  memory, as without a cache. ``GLUTEGRAPH_CACHE_DIR`` chooses another folder; set to an
  empty string it turns the cache off.

Example:
    >>> store = bundled_store()
    >>> len(store) == len(bundled_store())     # the second one comes from the cache file
    True

"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import pyoxigraph as ox

#: The environment variable naming the cache folder ("" turns the cache off).
CACHE_ENV = "GLUTEGRAPH_CACHE_DIR"
#: Version of the cache file's layout: a change gives new file names.
CACHE_FORMAT = "1"
_MAGIC = b"# glutegraph bundled graph"


def cache_folder() -> Path | None:
    """Return the folder of glutegraph's cache files; None when the cache is turned off.

    ``$GLUTEGRAPH_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/glutegraph``, else
    ``~/.cache/glutegraph``.

    Example:
        >>> import os
        >>> saved = dict(os.environ)
        >>> os.environ["GLUTEGRAPH_CACHE_DIR"] = "/tmp/gg-cache"
        >>> str(cache_folder())
        '/tmp/gg-cache'
        >>> os.environ["GLUTEGRAPH_CACHE_DIR"] = ""         # no cache
        >>> cache_folder() is None
        True
        >>> os.environ.clear(); os.environ.update(saved)

    """
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative value is to be ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "glutegraph"


#: The modules whose code builds the bundled graph: a change to one (a checkout being worked
#: on) gives another key, as a change to the data does.
BUILDERS = tuple(Path(__file__).resolve().parents[1] / name
                 for name in ("store.py", "importers/sssom.py", "cache/bundled.py"))


def cache_key() -> str:
    """Return the digest naming the cache file of this glutegraph and these ontology files.

    It covers the data (:func:`glutegraph.store.data_version`), glutegraph's version, the
    cache format and the code of :data:`BUILDERS`.
    """
    from glutegraph import __version__
    from glutegraph.store import data_version

    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{__version__}\n{data_version()}".encode())
    for path in BUILDERS:
        with contextlib.suppress(OSError):  # (a build without sources: the version decides)
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_path() -> Path | None:
    """Return where the bundled graph's cache file is (or would be); None: no cache."""
    folder = cache_folder()
    return None if folder is None else folder / f"bundled-{cache_key()}.nq"


def bundled_store() -> ox.Store:
    """Return a new in-memory store holding the derived bundled graph, from the cache if it can.

    A missing, stale or damaged cache file is (re)written after the graph is built; if it
    cannot be written the graph is still returned.
    """
    path = cache_path()
    if path is not None:
        store = _read(path)
        if store is not None:
            return store
    from glutegraph.store import load_bundled

    store = ox.Store()
    load_bundled(store)
    if path is not None:
        _write(store, path)
    return store


def _read(path: Path) -> ox.Store | None:
    """Return the store the cache file holds, or None if it is missing or fails a check."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    fields = header.split()
    if not header.startswith(_MAGIC) or len(fields) != 8:
        return None
    key, digest, size, quads = fields[4:]
    if (key != path.stem.removeprefix("bundled-").encode() or size != str(len(body)).encode()
            or digest.decode() != hashlib.sha256(body).hexdigest()):
        return None
    store = ox.Store()
    try:  # checked when it was written, and unchanged since (the digest): no need to validate
        store.load(body, format=ox.RdfFormat.N_QUADS, lenient=True)
    except (SyntaxError, ValueError, OSError):
        return None
    return store if quads == str(len(store)).encode() else None


def _write(store: ox.Store, path: Path) -> None:
    """Write the store to ``path`` atomically; forget old files. Errors are ignored."""
    body = store.dump(format=ox.RdfFormat.N_QUADS)
    assert body is not None  # (None only when writing to a file)
    key = path.stem.removeprefix("bundled-").encode()
    header = b" ".join([_MAGIC, key, hashlib.sha256(body).hexdigest().encode(),
                        str(len(body)).encode(), str(len(store)).encode()])
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    except OSError:  # a read-only home, a full disk: build in memory next time too
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(header + b"\n" + body)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return
    _forget_old(path.parent)


#: Cache files kept (the newest): a few checkouts or releases in use side by side each keep
#: theirs; older ones go.
FILES_KEPT = 4


def _forget_old(folder: Path) -> None:
    """Remove all but the :data:`FILES_KEPT` newest cache files of ``folder``."""
    found = []
    for path in folder.glob("bundled-*.nq"):
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(found, reverse=True)[FILES_KEPT:]:
        with contextlib.suppress(OSError):
            path.unlink()
