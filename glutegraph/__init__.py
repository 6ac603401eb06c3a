"""glutegraph: a knowledge graph of the gluteal muscles.

Muscles and their regions, the joint actions they produce (and the hip position that changes
them), exercises, conditions, treatments and diagnostic tests, with the studies, EMG
measurements and article claims behind every link. The RDF sources ship inside the package.

Importing the package is cheap: rdflib, pyshacl and friends load on first use.

Example:
    >>> import glutegraph
    >>> graph = glutegraph.load_rdflib()
    >>> len(graph) > 1000
    True

"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> module that defines it, imported on first attribute access (PEP 562).
_LAZY: dict[str, str] = {
    "load_rdflib": "glutegraph.rdf",
    "validate": "glutegraph.validation",
    "ValidationReport": "glutegraph.validation",
    "GluteGraphError": "glutegraph.errors",
    "DataFileError": "glutegraph.errors",
    "ontology_dir": "glutegraph.files",
    "GG": "glutegraph.namespaces",
    "KB": "glutegraph.namespaces",
    "PREFIXES": "glutegraph.namespaces",
}

__all__ = [
    "GG",
    "KB",
    "PREFIXES",
    "DataFileError",
    "GluteGraphError",
    "ValidationReport",
    "__version__",
    "load_rdflib",
    "ontology_dir",
    "validate",
]

if TYPE_CHECKING:  # editors and type checkers see the real objects
    from glutegraph.errors import DataFileError, GluteGraphError
    from glutegraph.files import ontology_dir
    from glutegraph.namespaces import GG, KB, PREFIXES
    from glutegraph.rdf import load_rdflib
    from glutegraph.validation import ValidationReport, validate


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'glutegraph' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
