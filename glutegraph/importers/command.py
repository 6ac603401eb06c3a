"""``glutegraph import``: read a data set or your tables, report, write Turtle or fill a store.

Example:
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "fedb.ttl"
    >>> run_import("free-exercise-db", [], output=out) == 0 and out.stat().st_size > 100_000
    True

"""

from __future__ import annotations

import sys
from pathlib import Path

from glutegraph.importers.building import Import

#: What ``glutegraph import`` reads: a shipped data set (path optional) or tables.
SOURCES = ("free-exercise-db", "wger", "csv")


def run_import(source: str, paths: list[Path], *, output: Path | None = None,
               store: Path | None = None, partial: bool = False,
               show_progress: bool = False) -> int:
    """Import, print the report on stderr, then write ``output`` or add to ``store``.

    Without ``output`` or ``store`` only the report is printed (a dry run). Returns the exit
    code (0; errors are raised as :class:`~glutegraph.errors.GluteGraphError`).
    """
    from glutegraph.errors import InvalidArgumentError

    done: list[Import] = []
    if source == "csv":
        if not paths:
            raise InvalidArgumentError("glutegraph import csv needs at least one FILE")
        from glutegraph.importers.table import import_table

        known: dict[str, str] = {}
        names = None
        if store is not None:
            from glutegraph.graph import load

            names = load(store=store).names
        done = [import_table(p, names, partial=partial, known=known) for p in paths]
    else:
        from glutegraph.importers import DATASETS

        if len(paths) > 1:
            raise InvalidArgumentError(f"glutegraph import {source} reads one file or folder")
        importer = DATASETS[source][0]
        done = [importer(paths[0] if paths else None, show_progress=show_progress)]
    for item in done:
        print(item.report, file=sys.stderr)
    if output is not None:
        if len(done) != 1:
            raise InvalidArgumentError("--output takes one table; import several into --store")
        done[0].write(output)
        print(f"wrote {len(done[0].quads)} triples to {output}", file=sys.stderr)
    if store is not None:
        from glutegraph.graph import load

        added = load(store=store).add(*done)
        print(f"added {added} triples to the store in {store}", file=sys.stderr)
    return 0
