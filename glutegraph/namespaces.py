"""Namespace IRIs and the prefixes glutegraph declares in every query and serialisation.

Example:
    >>> from glutegraph.namespaces import GG, KB
    >>> str(KB.gluteus_medius)
    'https://w3id.org/glutegraph/kb/gluteus_medius'
    >>> str(GG.Muscle)
    'https://w3id.org/glutegraph/ontology/Muscle'

"""

from __future__ import annotations

from collections.abc import Mapping


class Namespace(str):
    """A namespace IRI; attribute or item access appends a local name (like rdflib's)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self + name

    def __getitem__(self, name: str) -> str:  # type: ignore[override]
        return self + name

    def local(self, iri: str) -> str:
        """Return the local name of an IRI in this namespace (the IRI itself when outside it).

        Example:
            >>> KB.local("https://w3id.org/glutegraph/kb/piriformis")
            'piriformis'

        """
        return iri[len(self):] if iri.startswith(self) else iri

    def term(self, name: str) -> str:
        """Return the IRI of ``name`` in this namespace.

        Example:
            >>> KB.term("piriformis")
            'https://w3id.org/glutegraph/kb/piriformis'

        """
        return self + name


GG = Namespace("https://w3id.org/glutegraph/ontology/")
KB = Namespace("https://w3id.org/glutegraph/kb/")
#: Records imported from data sets and users' tables live under this, apart from kb:.
DATA_IRI = "https://w3id.org/glutegraph/data/"

#: Prefix -> namespace IRI, pre-declared for SPARQL and used when serialising.
PREFIXES: dict[str, str] = {
    "gg": str(GG),
    "kb": str(KB),
    "fedb": DATA_IRI + "free-exercise-db/",
    "wger": DATA_IRI + "wger/",
    "table": DATA_IRI + "table/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "obo": "http://purl.obolibrary.org/obo/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "bibo": "http://purl.org/ontology/bibo/",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def sparql_prologue(prefixes: Mapping[str, str] | None = None) -> str:
    """Return PREFIX declarations for ``prefixes`` (default: every prefix in :data:`PREFIXES`).

    Example:
        >>> sparql_prologue().splitlines()[0]
        'PREFIX gg: <https://w3id.org/glutegraph/ontology/>'

    """
    chosen = PREFIXES if prefixes is None else prefixes
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in chosen.items()) + "\n"
