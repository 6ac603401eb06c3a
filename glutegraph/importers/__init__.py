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
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glutegraph.importers.building import Import, ImportReport, Skipped
    from glutegraph.importers.free_exercise_db import import_free_exercise_db
    from glutegraph.importers.table import import_table
    from glutegraph.importers.wger import import_wger

    #: The data sets shipped with glutegraph: name -> (importer, where it reads by default).
    DATASETS: dict[str, tuple[Callable[..., Import], Callable[[], Path]]]

#: Where each public name lives: the importers load on first use, so that reading the
#: bundled mappings (:mod:`glutegraph.importers.sssom`) costs no pydantic models.
_LAZY = {
    "Import": "building", "ImportReport": "building", "Skipped": "building",
    "import_free_exercise_db": "free_exercise_db", "import_table": "table",
    "import_wger": "wger",
}


def __getattr__(name: str) -> Any:
    if name == "DATASETS":
        from glutegraph.importers import free_exercise_db, wger

        datasets = {
            "free-exercise-db": (free_exercise_db.import_free_exercise_db,
                                 free_exercise_db.locate),
            "wger": (wger.import_wger, wger.locate),
        }
        globals()["DATASETS"] = datasets
        return datasets
    if name in _LAZY:
        value = getattr(import_module(f"glutegraph.importers.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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

    datasets = __getattr__("DATASETS")
    choice(name, "dataset", datasets)
    importer: Callable[..., Import] = datasets[name][0]
    return importer(None, show_progress=show_progress)
