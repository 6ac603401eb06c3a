"""Importers: open exercise databases and your own tables, beside the curated graph.

One module per format, each reading records into pydantic models
(:mod:`glutegraph.importers.records`), skipping a bad record with its id and reason, and
returning an :class:`Import` (triples and an :class:`ImportReport`):

- :func:`import_free_exercise_db`: free-exercise-db's ``exercises.json``;
- :func:`import_wger`: a folder of wger's fixtures;
- :func:`import_table`: your exercises or EMG measurements as a CSV table.

How the sources' own terms (muscle tags, equipment) relate to glutegraph's, and which
source exercises are the same as curated ones, is data: the reviewed SSSOM tables in
``ontology/mappings/`` (:mod:`glutegraph.importers.sssom`). Imported records live under
``https://w3id.org/glutegraph/data/`` (``fedb:``, ``wger:``), apart from ``kb:``, each with
its data set, id, licence and author.

Copies of both data sets ship with glutegraph (``datasets/``); :data:`DATASETS` names them.

Example:
    >>> import glutegraph as gg
    >>> kg = gg.load(datasets=["free-exercise-db"])
    >>> kg.exercise("Barbell Hip Thrust").label     # the curated exercise takes the name
    'barbell hip thrust'

"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from glutegraph.importers import free_exercise_db, wger
from glutegraph.importers.building import Import, ImportReport, Skipped
from glutegraph.importers.free_exercise_db import import_free_exercise_db
from glutegraph.importers.table import import_table
from glutegraph.importers.wger import import_wger

#: The data sets shipped with glutegraph: name -> (importer, where it reads by default).
DATASETS: dict[str, tuple[Callable[..., Import], Callable[[], Path]]] = {
    "free-exercise-db": (import_free_exercise_db, free_exercise_db.locate),
    "wger": (import_wger, wger.locate),
}

__all__ = [
    "DATASETS",
    "Import",
    "ImportReport",
    "Skipped",
    "import_dataset",
    "import_free_exercise_db",
    "import_table",
    "import_wger",
]


def import_dataset(name: str, *, show_progress: bool = False) -> Import:
    """Import the shipped copy of a data set (one of :data:`DATASETS`).

    Raises:
        InvalidArgumentError: ``name`` is not one of :data:`DATASETS`.

    """
    from glutegraph.guards import choice

    choice(name, "dataset", DATASETS)
    return DATASETS[name][0](None, show_progress=show_progress)
