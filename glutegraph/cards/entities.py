"""Entities by name, in their plain form (no pydantic): what the cards show.

Example:
    >>> from glutegraph.store import open_store
    >>> entities = Entities.of_store(open_store())
    >>> entities.get("sumo squat", "exercise", "Exercise")["label"]
    'wide-stance squat'

"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from glutegraph.errors import UnknownNameError
from glutegraph.facts import describe
from glutegraph.names import NameIndex

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph
    from glutegraph.sparql import Backend


class Entities:
    """Find entities of a store by name and read their plain form (see :mod:`glutegraph.facts`).

    ``origins`` maps a subject IRI to the added files stating it (``added_from`` fields).
    """

    def __init__(self, store: Backend, names: NameIndex,
                 origins: Mapping[str, tuple[str, ...]]) -> None:
        self.store = store
        self.names = names
        self.origins = origins

    @classmethod
    def of_store(cls, store: Backend) -> Entities:
        """Return the entities of a store (the embedded one or an endpoint)."""
        origins: Mapping[str, tuple[str, ...]] = {}
        if isinstance(store, ox.Store):
            from glutegraph.store import added_from

            origins = added_from(store).subjects
        return cls(store, NameIndex.build(store), origins)

    @classmethod
    def of_graph(cls, kg: KnowledgeGraph) -> Entities:
        """Return the entities of a knowledge graph (its store, name index and added files)."""
        return cls(kg.store, kg.names, kg.origins().subjects)

    def get(self, name: str, kind: str, expected: str) -> dict[str, Any]:
        """Return the plain form of the entity ``name`` names, of ``kind`` (see names.KINDS).

        ``expected`` is the model it must be ("MuscularStructure", "Nerve", ...).

        Raises:
            UnknownNameError: no such entity (the message suggests the nearest names).
            AmbiguousNameError: two entities match equally well.

        """
        iri = self.names.resolve(name, kind).iri
        found = describe(self.store, self.names.labels, self.origins, iri, expected)
        if found is None:  # an extension typed it oddly
            raise UnknownNameError(kind, str(name))
        values: dict[str, Any] = found[1]
        return values


def names(refs: Iterable[Mapping[str, Any] | None]) -> str:
    """Join plain links (``{"iri", "label"}``) by their labels, with ", "; "-" for none.

    Example:
        >>> names([{"iri": "kb:a", "label": "gluteus medius"}, {"iri": "kb:b", "label": None}])
        'gluteus medius, kb:b'

    """
    return ", ".join(r["label"] or r["iri"] for r in refs if r is not None) or "-"
