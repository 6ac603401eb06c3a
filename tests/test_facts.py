"""Entities built without pydantic (glutegraph.facts) are the typed models' JSON, field for field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import glutegraph.model_table
from glutegraph.facts import describe, values_json
from glutegraph.model_table import SHAPES
from glutegraph.models import entity_classes, shape_of, table_source


def test_the_model_table_is_written_from_the_current_models():
    written = Path(glutegraph.model_table.__file__).read_text(encoding="utf-8")
    assert written == table_source(), "run: python -m glutegraph.model_table"
    assert {c.__name__ for c in entity_classes()} == set(SHAPES)
    assert all(shape_of(c) == SHAPES[c.__name__] for c in entity_classes())


@pytest.mark.parametrize("kind", ["muscle", "nerve", "condition", "exercise", "test", "study",
                                  "action", "treatment", "claim"])
def test_plain_entities_are_the_models_json(embedded_kg, kind):
    names = embedded_kg.names
    entities = names.of_kind(kind)
    assert len(entities) >= 3
    for match in entities[:40]:
        model = embedded_kg.entity(match.iri)
        found = describe(embedded_kg.store, names.labels, embedded_kg.origins().subjects,
                         match.iri)
        assert found is not None and found[0] == type(model).__name__
        assert values_json(found[1]) == model.model_dump_json(indent=2)


def test_plain_entities_name_the_added_files(tmp_path):
    import glutegraph as gg

    lab = Path(__file__).parent / "data" / "lab_extension.ttl"
    kg = gg.load([lab])
    iri = "https://example.org/mylab/landmine_hip_thrust"
    found = describe(kg.store, kg.names.labels, kg.origins().subjects, iri, "Exercise")
    assert found is not None and found[1]["added_from"] == [str(lab.resolve())]
    assert values_json(found[1]) == kg.exercise(iri).model_dump_json(indent=2)


def test_an_entity_of_another_kind_is_none(embedded_kg):
    iri = embedded_kg.resolve("piriformis syndrome").iri
    assert describe(embedded_kg.store, embedded_kg.names.labels, {}, iri, "MuscularStructure") is None


def test_the_plain_path_needs_no_pydantic():
    code = ("import sys; from glutegraph.facts import describe; from glutegraph.store import "
            "open_store; from glutegraph.names import Labels; s = open_store(); "
            "describe(s, Labels(s), {}, 'https://w3id.org/glutegraph/kb/gluteus_medius'); "
            "print(sorted(m for m in ('pydantic', 'rich', 'rdflib', 'networkx') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.strip() == "[]"


def test_a_model_derived_outside_glutegraph_still_round_trips():
    from glutegraph.models import Muscle, Ref

    class LabMuscle(Muscle):
        note: str | None = None

    m = LabMuscle(iri="https://example.org/m", label="m",
                  innervated_by=[Ref(iri="https://example.org/n")])
    assert LabMuscle.from_rdf(m.to_triples(), m.iri) == m
