"""Plain JSON of every entity kind, for apps that do not speak RDF.

:func:`plain_json` returns one dict: for each kind of entity (``"exercises"``, ``"muscles"``,
``"studies"``, ...) the list of its typed models (:mod:`glutegraph.models`) in pydantic's JSON
form: links are ``{"iri": ..., "label": ...}``, figures are decimal strings ("69.5"), and the
nodes that belong to another (measurements, contributions, treatment evidence, ...) are nested
in it *and* listed under their own kind. ``glutegraph dump-json -o FILE`` writes it.

Example:
    >>> import glutegraph as gg
    >>> data = plain_json(gg.load())
    >>> len(data["exercises"]), data["muscles"][0]["label"]
    (84, 'adductor longus')
    >>> sorted(data)[:4]
    ['actions', 'cautions', 'claims', 'conditions']

"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from glutegraph import __version__
from glutegraph.models import (
    Caution,
    Claim,
    Condition,
    Contribution,
    DiagnosticAccuracy,
    DiagnosticTest,
    Entity,
    Exercise,
    Finding,
    ImportedExercise,
    Joint,
    JointAction,
    Measurement,
    Muscle,
    MuscleGroup,
    MuscleRegion,
    Nerve,
    PooledEstimate,
    Progression,
    SourceText,
    Study,
    Treatment,
    TreatmentEvidence,
)

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

__all__ = ["KINDS", "dump_json", "plain_json"]

#: The keys of the dump, with the model each list holds.
KINDS: dict[str, type[Entity]] = {
    "exercises": Exercise,
    "imported_exercises": ImportedExercise,
    "muscles": Muscle,
    "muscle_regions": MuscleRegion,
    "muscle_groups": MuscleGroup,
    "actions": JointAction,
    "joints": Joint,
    "nerves": Nerve,
    "contributions": Contribution,
    "conditions": Condition,
    "treatments": Treatment,
    "treatment_evidence": TreatmentEvidence,
    "tests": DiagnosticTest,
    "test_accuracy": DiagnosticAccuracy,
    "cautions": Caution,
    "progressions": Progression,
    "measurements": Measurement,
    "pooled_estimates": PooledEstimate,
    "findings": Finding,
    "studies": Study,
    "claims": Claim,
    "source_texts": SourceText,
}


def plain_json(kg: KnowledgeGraph) -> dict[str, Any]:
    """Return every entity of the graph as plain JSON data, one list per kind, by label.

    ``"exercises"`` holds the curated exercises; records imported from open data sets or
    your tables are under ``"imported_exercises"`` (empty unless they are loaded). A
    ``"glutegraph"`` entry names the version that wrote it.
    """
    data: dict[str, Any] = {"glutegraph": {"version": __version__, "kinds": list(KINDS)}}
    imported = {e.iri for e in kg._all(ImportedExercise)}
    for key, model in KINDS.items():
        found = kg._all(model)
        if model is Exercise:
            found = [e for e in found if e.iri not in imported]
        data[key] = [e.model_dump(mode="json") for e in found]
    return data


def dump_json(kg: KnowledgeGraph, *, indent: int | None = None) -> str:
    """Return :func:`plain_json` as JSON text (UTF-8, not ASCII-escaped)."""
    return json.dumps(plain_json(kg), indent=indent, ensure_ascii=False)
