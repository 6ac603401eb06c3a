"""Where the bundled RDF sources are, in a source checkout and in an installed wheel.

The repository keeps them in ``ontology/`` at its top; the wheel carries the same folder as
``glutegraph/ontology``. Layout::

    ontology/glutegraph.ttl        the schema (classes, properties, vocabularies)
    ontology/kb/*.ttl              the knowledge base, one file per subject
    ontology/shapes/*.ttl          SHACL shapes
    ontology/checks/*-violation.rq SPARQL quality checks that must return no rows
    ontology/rules/*.rq            CONSTRUCT rules whose answers join the graph (derived facts)
    ontology/mappings/*.sssom.tsv  reviewed mappings to other vocabularies and data sets

Example:
    >>> from glutegraph.files import kb_files, schema_file
    >>> schema_file().name
    'glutegraph.ttl'
    >>> any(p.name == "anatomy.ttl" for p in kb_files())
    True

"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from glutegraph.errors import GluteGraphError


@cache
def ontology_dir() -> Path:
    """Return the folder holding the bundled RDF sources.

    Example:
        >>> (ontology_dir() / "glutegraph.ttl").is_file()
        True

    """
    return _shipped("ontology", "glutegraph.ttl", "ontology files")


def _shipped(folder: str, marker: str, what: str) -> Path:
    """Return a folder shipped with glutegraph: in the wheel's package, or the checkout's top."""
    package = Path(__file__).resolve().parent
    for candidate in (package / folder, package.parent / folder):
        if (candidate / marker).exists():
            return candidate
    raise GluteGraphError(
        f"the bundled {what} are missing (looked in {package / folder} and "
        f"{package.parent / folder}); reinstall glutegraph"
    )


def schema_file() -> Path:
    """Return the schema (TBox) file."""
    return ontology_dir() / "glutegraph.ttl"


def kb_files() -> list[Path]:
    """Return the knowledge-base files, sorted by name."""
    return sorted((ontology_dir() / "kb").glob("*.ttl"))


def data_files() -> list[Path]:
    """Return every file of the graph: the schema first, then the knowledge base."""
    return [schema_file(), *kb_files()]


def shapes_files() -> list[Path]:
    """Return the SHACL shapes files."""
    return sorted((ontology_dir() / "shapes").glob("*.ttl"))


def rule_files() -> list[Path]:
    """Return the derivation rules: SPARQL CONSTRUCT queries whose answers join the graph.

    Example:
        >>> [p.name for p in rule_files()]
        ['activation-level.rq', 'exercise-trains-muscle.rq', 'functional-class.rq']

    """
    return sorted((ontology_dir() / "rules").glob("*.rq"))


def mapping_dir() -> Path:
    """Return the folder of the bundled mapping tables."""
    return ontology_dir() / "mappings"


def mapping_files() -> list[Path]:
    """Return the bundled mapping tables (SSSOM), sorted by name."""
    return sorted(mapping_dir().glob("*.sssom.tsv"))


def check_files() -> list[Path]:
    """Return the SPARQL quality checks (``*-violation.rq``), each of which must return no rows."""
    return sorted((ontology_dir() / "checks").glob("*-violation.rq"))


@cache
def datasets_dir() -> Path:
    """Return the folder of the open data sets shipped with glutegraph (``datasets/``).

    Each sub-folder holds one data set unchanged from its project, with its ``SOURCE.md``.

    Example:
        >>> sorted(p.name for p in datasets_dir().iterdir() if p.is_dir())
        ['free-exercise-db', 'wger']

    """
    return _shipped("datasets", "wger", "data sets")


def dataset_dir(name: str) -> Path:
    """Return the folder of one shipped data set (``"free-exercise-db"`` or ``"wger"``)."""
    return datasets_dir() / name
