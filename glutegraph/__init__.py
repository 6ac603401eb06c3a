"""glutegraph: a knowledge graph of the gluteal muscles.

Muscles and their regions, the joint actions they produce (and the hip position that changes
them), exercises, conditions, treatments and diagnostic tests, with the studies, EMG
measurements and article claims behind every link. The RDF sources ship inside the package.

Importing the package is cheap: rdflib, pyshacl and friends load on first use.

Example:
    >>> import glutegraph as gg
    >>> kg = gg.load()
    >>> kg.exercises(target="gluteus medius")[0].exercise.label
    'side-lying hip abduction'
    >>> gg.iri("kb:piriformis")
    <NamedNode value=https://w3id.org/glutegraph/kb/piriformis>
    >>> gg.curie("https://w3id.org/glutegraph/kb/piriformis")
    'kb:piriformis'

"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> module that defines it, imported on first attribute access (PEP 562).
_LAZY: dict[str, str] = {
    "load": "glutegraph.graph",
    "KnowledgeGraph": "glutegraph.graph",
    "iri": "glutegraph.terms",
    "curie": "glutegraph.terms",
    "load_rdflib": "glutegraph.rdf",
    "validate": "glutegraph.validation",
    "ValidationReport": "glutegraph.validation",
    "GluteGraphError": "glutegraph.errors",
    "DataFileError": "glutegraph.errors",
    "TableError": "glutegraph.errors",
    "SkippedRowsWarning": "glutegraph.errors",
    "UnknownNameError": "glutegraph.errors",
    "AmbiguousNameError": "glutegraph.errors",
    "QueryError": "glutegraph.errors",
    "QuerySyntaxError": "glutegraph.errors",
    "ReadOnlyError": "glutegraph.errors",
    "ProtectedKnowledgeError": "glutegraph.errors",
    "ShapeViolationError": "glutegraph.errors",
    "StoreError": "glutegraph.errors",
    "StoreWarning": "glutegraph.errors",
    "ExtensionFileWarning": "glutegraph.errors",
    "QueryTimeoutError": "glutegraph.errors",
    "EndpointError": "glutegraph.errors",
    "MissingDataError": "glutegraph.errors",
    "NetworkAccessError": "glutegraph.errors",
    "ResultTooLargeError": "glutegraph.errors",
    "QueryTooComplexError": "glutegraph.errors",
    "QueryResourceError": "glutegraph.errors",
    "InvalidArgumentError": "glutegraph.errors",
    "NotAcceptableError": "glutegraph.errors",
    "connect": "glutegraph.remote",
    "upload": "glutegraph.remote",
    "OxigraphServer": "glutegraph.server",
    "to_networkx": "glutegraph.network",
    "draw": "glutegraph.layered",
    "activation_heatmap": "glutegraph.figures",
    "exercise_comparison": "glutegraph.figures",
    "anatomy_figure": "glutegraph.pictures.anatomy",
    "interactive": "glutegraph.html",
    "ontology_dir": "glutegraph.files",
    "GG": "glutegraph.namespaces",
    "KB": "glutegraph.namespaces",
    "PREFIXES": "glutegraph.namespaces",
}

__all__ = [
    "GG",
    "KB",
    "PREFIXES",
    "AmbiguousNameError",
    "DataFileError",
    "EndpointError",
    "ExtensionFileWarning",
    "GluteGraphError",
    "InvalidArgumentError",
    "KnowledgeGraph",
    "MissingDataError",
    "NetworkAccessError",
    "NotAcceptableError",
    "OxigraphServer",
    "ProtectedKnowledgeError",
    "QueryError",
    "QueryResourceError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooComplexError",
    "ReadOnlyError",
    "ResultTooLargeError",
    "ShapeViolationError",
    "SkippedRowsWarning",
    "StoreError",
    "StoreWarning",
    "TableError",
    "UnknownNameError",
    "ValidationReport",
    "__version__",
    "activation_heatmap",
    "anatomy_figure",
    "connect",
    "curie",
    "draw",
    "exercise_comparison",
    "interactive",
    "iri",
    "load",
    "load_rdflib",
    "ontology_dir",
    "to_networkx",
    "upload",
    "validate",
]

if TYPE_CHECKING:  # editors and type checkers see the real objects
    from glutegraph.errors import (
        AmbiguousNameError,
        DataFileError,
        EndpointError,
        ExtensionFileWarning,
        GluteGraphError,
        InvalidArgumentError,
        MissingDataError,
        NetworkAccessError,
        NotAcceptableError,
        ProtectedKnowledgeError,
        QueryError,
        QueryResourceError,
        QuerySyntaxError,
        QueryTimeoutError,
        QueryTooComplexError,
        ReadOnlyError,
        ResultTooLargeError,
        ShapeViolationError,
        SkippedRowsWarning,
        StoreError,
        StoreWarning,
        TableError,
        UnknownNameError,
    )
    from glutegraph.figures import activation_heatmap, exercise_comparison
    from glutegraph.files import ontology_dir
    from glutegraph.graph import KnowledgeGraph, load
    from glutegraph.html import interactive
    from glutegraph.layered import draw
    from glutegraph.namespaces import GG, KB, PREFIXES
    from glutegraph.network import to_networkx
    from glutegraph.pictures.anatomy import anatomy_figure
    from glutegraph.rdf import load_rdflib
    from glutegraph.remote import connect, upload
    from glutegraph.server import OxigraphServer
    from glutegraph.terms import curie, iri
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
