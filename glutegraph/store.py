"""The embedded triple store (pyoxigraph): opening it, filling it, reading RDF files into it.

The bundled graph and any extension files live in the store's default graph. A persistent
store (a folder on disk) also keeps, in the named graph :data:`META_GRAPH`, the version of the
bundled data it holds and the extension files added to it, so that reopening it is instant
and a newer glutegraph can tell when its data is stale.

Example:
    >>> from glutegraph.store import open_store
    >>> len(open_store()) > 4000
    True

"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from glutegraph.errors import DataFileError, StoreError
from glutegraph.files import data_files, rule_files

#: Named graph holding the store's own bookkeeping; queries never see it by default.
META_GRAPH = ox.NamedNode("urn:glutegraph:meta")
_STORE = ox.NamedNode("urn:glutegraph:store")
_DATA_VERSION = ox.NamedNode("urn:glutegraph:dataVersion")
_EXTENSION = ox.NamedNode("urn:glutegraph:extensionFile")

#: The largest RDF file read into memory (bytes); bigger ones belong in a triple store.
MAX_FILE_BYTES = 256 * 2**20

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


@cache
def data_version() -> str:
    """Return a short digest of the bundled RDF files; it changes whenever they change.

    Example:
        >>> len(data_version())
        16

    """
    digest = hashlib.sha256()
    for path in [*data_files(), *rule_files()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
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
        raise DataFileError(str(path), f"unknown RDF file type {path.suffix!r}; use one of {known}")
    return fmt


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
    if "://" in str(path):
        raise DataFileError(str(path), "is a URL; glutegraph reads local files only and fetches "
                            "nothing (download the file first)")
    path = Path(path)
    fmt = rdf_format(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataFileError(
                str(path), f"is {size / 2**20:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                "glutegraph reads into memory at once; load it into a triple store "
                "(oxigraph load) and use glutegraph.connect(), or raise "
                "glutegraph.store.MAX_FILE_BYTES")
        if fmt == ox.RdfFormat.RDF_XML:
            _check_xml(path)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for q in ox.parse(path=path, format=fmt)
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
    return quads


def _plain(problem: str) -> str:
    """Say a parser's problem in the user's terms where it is about something not fetched."""
    if "LoadDocumentCallback" in problem:
        return ("uses a remote JSON-LD @context, which glutegraph never fetches; put the "
                "context in the file instead")
    return problem


def _check_xml(path: Path) -> None:
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
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except expat.ExpatError as exc:
        problem = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise DataFileError(str(path), f"XML refused: {problem}", line=exc.lineno,
                            column=exc.offset + 1) from exc


def load_bundled(store: ox.Store) -> None:
    """Load the bundled schema and knowledge base into ``store``'s default graph, and derive."""
    for path in data_files():
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    derive(store)


def derive(store: ox.Store) -> int:
    """Add to the default graph what the rules in ``ontology/rules/`` derive; return how many.

    Each rule is a CONSTRUCT query that skips what is already there, so deriving again after
    new data is added derives only the new facts.

    Example:
        >>> store = open_store()
        >>> derive(store)                  # open_store() derived everything already
        0

    """
    from glutegraph.sparql import run

    derived = []
    for path in rule_files():
        derived += [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                    for t in run(store, path.read_text(encoding="utf-8"))]
    store.extend(derived)
    return len(derived)


def open_store(path: Path | str | None = None, *, rebuild: bool = False) -> ox.Store:
    """Return a store holding the bundled graph: in memory, or in the folder ``path``.

    A folder that does not exist yet is created and filled. A folder made by an older
    glutegraph (its bundled data differs) raises :class:`StoreError` unless ``rebuild`` is
    true, in which case the bundled data is reloaded and the recorded extension files are
    read again.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     first = len(open_store(folder))
        ...     again = len(open_store(folder))  # reopened: nothing is parsed this time
        >>> first == again
        True

    """
    if path is None:
        store = ox.Store()
        load_bundled(store)
        return store
    try:
        store = ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store in {path}: {_lock_hint(str(exc))}") from exc
    version = _stored_version(store)
    if version == data_version() and not rebuild:
        return store
    if version is None and _has_data(store):
        raise StoreError(f"{path} holds RDF that glutegraph did not put there; use an empty folder")
    if version is not None and not rebuild:
        raise StoreError(
            f"the store in {path} holds glutegraph data version {version}, but this glutegraph "
            f"ships {data_version()}; open it with rebuild=True to reload (extensions are kept)"
        )
    extensions = extension_files(store)
    store.clear()
    load_bundled(store)
    for extension in extensions:
        store.extend(read_triples(extension))
    derive(store)
    record(store, extensions)
    return store


def _lock_hint(problem: str) -> str:
    if "current process" in problem:
        return ("it is still open in this process (an old graph object holds it; drop it, or "
                "keep using it)")
    if "lock" in problem.lower():
        return "another program has it open (a `glutegraph serve`?); stop it or use a copy"
    return problem


def record(store: ox.Store, extensions: Iterable[str]) -> None:
    """Write the data version and the extension files into the store's bookkeeping graph."""
    store.clear_graph(META_GRAPH)
    quads = [ox.Quad(_STORE, _DATA_VERSION, ox.Literal(data_version()), META_GRAPH)]
    quads += [ox.Quad(_STORE, _EXTENSION, ox.Literal(e), META_GRAPH) for e in extensions]
    store.extend(quads)
    store.flush()


def extension_files(store: ox.Store) -> list[str]:
    """Return the extension files recorded in a persistent store, sorted."""
    quads = store.quads_for_pattern(_STORE, _EXTENSION, None, META_GRAPH)
    return sorted(
        str(q.object) if isinstance(q.object, ox.Triple) else q.object.value for q in quads
    )


def version_query() -> str:
    """Return the SPARQL query for the data version a store records (embedded or remote).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     answer = open_store(folder).query(version_query())
        ...     [row[0].value == data_version() for row in answer]
        [True]

    """
    return (f"SELECT ?version WHERE {{ GRAPH {META_GRAPH} "
            f"{{ {_STORE} {_DATA_VERSION} ?version }} }}")


def _stored_version(store: ox.Store) -> str | None:
    for quad in store.quads_for_pattern(_STORE, _DATA_VERSION, None, META_GRAPH):
        if isinstance(quad.object, ox.Literal):
            return quad.object.value
    return None


def _has_data(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, None)), None) is not None
