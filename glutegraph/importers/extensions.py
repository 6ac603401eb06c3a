"""Turning what :meth:`glutegraph.KnowledgeGraph.add` is given into files to add.

``add()`` takes RDF files, tables (``.csv``, ``.tsv``), finished imports
(:class:`~glutegraph.importers.Import`) and the library's own models; each becomes an
:class:`~glutegraph.store.ExtensionFile` (its triples, and what identifies its content), so
that all of them are checked, added in one transaction and kept in a named graph of their
own in the same way.

Example:
    >>> from glutegraph.models import Study
    >>> [f] = extensions_of([Study(iri="https://example.org/s", label="my study")], None)
    >>> f.path.startswith("glutegraph:models:"), len(f.quads)
    (True, 2)

"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from glutegraph.errors import SkippedRowsWarning
from glutegraph.store import NOT_A_FILE, ExtensionFile, read_extension

if TYPE_CHECKING:
    from glutegraph.importers.building import Import
    from glutegraph.names import NameIndex

#: Suffixes read as tables (see :mod:`glutegraph.importers.table`).
TABLE_SUFFIXES = (".csv", ".tsv")
#: ``path`` of what was added from Python objects, not from a file.
MODELS_PREFIX = NOT_A_FILE + "models:"


def extensions_of(items: Iterable[Any], names: NameIndex | None, *, partial: bool = False
                  ) -> list[ExtensionFile]:
    """Return each item as an extension file (tables read with ``names``)."""
    from glutegraph.importers.building import Import
    from glutegraph.models import Entity

    found: list[ExtensionFile] = []
    models: list[Entity] = []
    known: dict[str, str] = {}
    ordered = sorted(items, key=_tables_of_exercises_first)
    for item in ordered:
        if isinstance(item, Import):
            found.append(from_import(item))
        elif isinstance(item, Entity):
            models.append(item)
        elif isinstance(item, str | os.PathLike) and Path(item).suffix.lower() in TABLE_SUFFIXES:
            from glutegraph.importers.table import import_table

            done = import_table(Path(item), names, partial=partial, known=known)
            if done.report.skipped:
                warnings.warn(SkippedRowsWarning(
                    f"{item}: {len(done.report.skipped)} bad row(s) left out (partial=True): "
                    + "; ".join(f"{s.record}: {s.reason}" for s in done.report.skipped[:20])),
                    stacklevel=3)
            found.append(from_import(done))
        else:
            found.append(read_extension(item))
    if models:
        found.append(from_models(models))
    return found


def _tables_of_exercises_first(item: Any) -> int:
    """Order: everything else, then tables (exercise tables before measurement tables)."""
    if isinstance(item, str | os.PathLike) and Path(item).suffix.lower() in TABLE_SUFFIXES:
        try:
            with Path(item).open(encoding="utf-8-sig") as handle:
                header = handle.readline(4096).lower()
        except (OSError, UnicodeDecodeError):
            return 1
        return 2 if "muscle" in header and "exercise" in header else 1
    return 0


def from_import(done: Import) -> ExtensionFile:
    """Return an import as an extension file (path: the file or folder it read)."""
    try:
        mtime = Path(done.source).stat().st_mtime_ns
    except OSError:
        mtime = 0
    return ExtensionFile(done.source, done.quads, done.digest, done.size, mtime)


def from_models(models: list[Any]) -> ExtensionFile:
    """Return models (:class:`glutegraph.models.Entity`) as one extension of their triples."""
    quads: list[ox.Quad] = []
    for model in models:
        data = model.to_rdf().serialize(format="nt", encoding="utf-8")
        quads += [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                  for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    text = "\n".join(sorted(str(q) for q in quads)).encode()
    digest = hashlib.sha256(text).hexdigest()
    return ExtensionFile(MODELS_PREFIX + digest[:16], quads, digest, len(text), 0)
