"""The Python API's contract: errors, SPARQL, extension files, the on-disk store, models."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

import glutegraph as gg
from glutegraph import models
from glutegraph.graph import close_store
from glutegraph.store import data_version, graph_quads

LAB = Path(__file__).parent / "data" / "lab_extension.ttl"


@pytest.fixture
def kg(any_kg) -> gg.KnowledgeGraph:
    """The contract holds on the embedded store and on a real Oxigraph server (conftest)."""
    return any_kg


def snapshot(kg: gg.KnowledgeGraph) -> set[str]:
    return {str(q) for q in kg.store.quads_for_pattern(None, None, None, None)}


# ------------------------------------------------------------------ import and load

def test_import_glutegraph_loads_no_heavy_module():
    code = ("import sys, glutegraph; heavy = {'rdflib', 'pyoxigraph', 'pydantic', 'networkx', "
            "'matplotlib', 'pyshacl'}; print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_gives_the_whole_bundled_graph(embedded_kg):
    kg = embedded_kg
    assert len(kg) == len(gg.load_rdflib())
    assert len(kg.to_rdflib()) == len(kg)
    assert "in-memory" in repr(kg)


# ------------------------------------------------------------------ names and errors

def test_lookup_by_label_synonym_curie_local_name_and_iri(kg):
    iri = str(gg.KB.gluteus_medius)
    for name in ("gluteus medius", "Gluteus Medius", "glute med", "UBERON:0001371",
                 "kb:gluteus_medius", "gluteus_medius", iri):
        assert kg.resolve(name).iri == iri, name


def test_an_unknown_name_suggests_the_nearest_label(kg):
    with pytest.raises(gg.UnknownNameError) as err:
        kg.muscle("gluteus medus")
    assert str(err.value) == "no muscle 'gluteus medus'; did you mean 'gluteus medius'?"
    assert err.value.suggestions == ["gluteus medius"]
    with pytest.raises(gg.UnknownNameError, match="no exercise 'hip thrustt'; did you mean"):
        kg.exercise("hip thrustt")
    with pytest.raises(gg.UnknownNameError, match="no equipment 'barbel'; did you mean 'barbell'"):
        kg.exercises(target="gluteus medius", equipment="barbel")


def test_a_name_of_the_wrong_kind_is_refused(kg):
    with pytest.raises(gg.UnknownNameError, match="no muscle 'piriformis syndrome'"):
        kg.muscle("piriformis syndrome")
    with pytest.raises(gg.UnknownNameError, match="no condition"):
        kg.condition("kb:piriformis")


def test_errors_are_glutegraph_errors_and_lookup_errors(kg):
    with pytest.raises(LookupError):
        kg.nerve("sciatic nerv")
    with pytest.raises(gg.GluteGraphError):
        kg.exercises(target="no such muscle at all")


# ------------------------------------------------------------------ SPARQL

def test_query_binds_values_as_terms_never_as_text(kg):
    hostile = 'gluteus medius"@en } ?x ?y ?z . { ?a ?b "'
    rows = kg.query("SELECT ?name ?m WHERE { ?m rdfs:label ?name }", name=hostile)
    assert rows == []
    rows = kg.query("SELECT ?name ?m WHERE { ?m rdfs:label ?name }",
                    name=ox.Literal("gluteus medius", language="en"))
    assert [gg.KB.local(r.m) for r in rows] == ["gluteus_medius"]


def test_query_returns_typed_python_values_and_variables(kg):
    rows = kg.query("""SELECT ?mean ?n WHERE { kb:act_contreras_2015_hip_thrust_upper
                       gg:meanPercentMVIC ?mean ; gg:sampleSize ?n }""")
    assert rows.variables == ["mean", "n"]
    assert rows[0] == (Decimal("69.5"), 13) and rows[0].asdict() == {"mean": Decimal("69.5"), "n": 13}


def test_ask_and_construct(kg):
    assert kg.query("ASK { kb:piriformis a gg:Muscle }") is True
    graph = kg.query("CONSTRUCT { ?m gg:innervatedBy ?n } WHERE { ?m gg:innervatedBy ?n }")
    assert len(graph) >= 10


def test_bad_sparql_names_line_and_column(kg):
    with pytest.raises(gg.QuerySyntaxError) as err:
        kg.query("SELECT ?x WHERE {\n  ?x a gg:Muscle .\n  FILTER(?x >) }")
    assert err.value.line == 3 and isinstance(err.value.column, int)
    assert f"line 3, column {err.value.column}" in str(err.value)


def test_updates_are_refused_and_change_nothing(kg):
    before = snapshot(kg)
    for update in ("INSERT DATA { kb:x a gg:Muscle }", "PREFIX ex: <http://x/>\nDELETE WHERE { ?s ?p ?o }",
                   "CLEAR ALL", "LOAD <http://example.org/x.ttl>",
                   "# select with care\n# DROP is in a comment\nDROP ALL"):
        with pytest.raises(gg.ReadOnlyError):
            kg.query(update)
    assert snapshot(kg) == before
    # a query whose comments hold update words is still a query
    assert kg.query("# delete nothing, load nothing, with care\nASK { ?s ?p ?o }") is True


def test_a_bound_variable_must_be_returned(embedded_kg):
    kg = embedded_kg  # pyoxigraph's rule; a remote endpoint takes bindings as VALUES instead
    with pytest.raises(gg.QueryError, match="add it to the SELECT clause"):
        kg.query("SELECT ?m WHERE { ?m gg:innervatedBy ?n }", n=kg.resolve("sciatic nerve"))


def test_rows_to_dataframe_needs_pandas_or_gives_a_frame(kg):
    rows = kg.query("SELECT ?m WHERE { ?m a gg:Muscle }")
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(gg.QueryError, match="pip install pandas"):
            rows.to_dataframe()
    else:
        assert rows.to_dataframe().shape == (len(rows), 1)  # one row per answer


# ------------------------------------------------------------------ extension files

def test_a_valid_extension_is_validated_merged_and_queryable():
    kg = gg.load([LAB])
    assert len(kg) > len(gg.load())
    mine = next(r for r in kg.exercises(target="gluteus medius")
                if r.exercise.label == "landmine hip thrust")
    assert (mine.best.mean_mvic, mine.best.study.label) == (Decimal("150.0"), "Lab pilot 2026")
    assert "landmine hip thrust" in {v.label for v in kg.exercise("barbell hip thrust").variants}


def test_an_extension_that_breaks_the_shapes_lists_violations_and_adds_nothing(tmp_path):
    bad = tmp_path / "bad.ttl"
    cable = LAB.read_text().replace("landmine", "cable")
    bad.write_text(cable.replace("gg:laterality gg:DoubleLeg ;", ""))
    kg = gg.load()
    before = snapshot(kg)
    with pytest.raises(gg.ShapeViolationError) as err:
        kg.add(LAB, bad)  # the good file is not added either
    assert "gg:laterality" in str(err.value) and str(bad) in str(err.value)
    assert snapshot(kg) == before
    with pytest.raises(gg.UnknownNameError):
        kg.exercise("landmine hip thrust")


def test_an_extension_that_is_not_rdf_names_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b\n")
    with pytest.raises(gg.DataFileError) as err:
        gg.load([bad])
    assert err.value.path == str(bad) and err.value.line == 4
    with pytest.raises(gg.DataFileError, match="no such file"):
        gg.load([tmp_path / "missing.ttl"])
    with pytest.raises(gg.DataFileError, match=r"unknown RDF file type '\.txt'.*or a \.csv table"):
        gg.load([tmp_path / "data.txt"])
    with pytest.raises(gg.DataFileError, match="is a spreadsheet: save it as CSV"):
        gg.load([tmp_path / "exercises.xlsx"])


# ------------------------------------------------------------------ on-disk store

def test_a_persistent_store_is_filled_once_and_keeps_extensions(tmp_path):
    folder = tmp_path / "store"
    kg = gg.load([LAB], store=folder)
    size = len(kg)
    del kg
    again = gg.load(store=folder)
    assert len(again) == size and again.persistent
    assert again.exercise("landmine hip thrust").label == "landmine hip thrust"


def test_a_store_folder_can_be_loaded_again_in_the_same_process(tmp_path):
    first = gg.load(store=tmp_path / "store")
    again = gg.load(store=tmp_path / "store")  # e.g. a notebook cell run twice
    assert again is first
    again.add(LAB)
    assert first.exercise("landmine hip thrust")


def test_a_stale_store_is_refused_then_rebuilt_with_its_extensions(tmp_path):
    folder = tmp_path / "store"
    gg.load([LAB], store=folder)
    close_store(folder)  # as if this were the next session, with a newer glutegraph
    store = ox.Store(str(folder))
    meta = ox.NamedNode("urn:glutegraph:meta")
    store.remove(next(iter(store.quads_for_pattern(None, ox.NamedNode("urn:glutegraph:dataVersion"),
                                                   None, meta))))
    store.add(ox.Quad(ox.NamedNode("urn:glutegraph:store"), ox.NamedNode("urn:glutegraph:dataVersion"),
                      ox.Literal("0000"), meta))
    del store
    with pytest.raises(gg.StoreError, match="rebuild=True"):
        gg.load(store=folder)
    rebuilt = gg.load(store=folder, rebuild=True)
    assert rebuilt.exercise("landmine hip thrust")
    assert data_version() in {q.object.value for q in rebuilt.store.quads_for_pattern(None, None, None, meta)}


def test_a_folder_with_foreign_rdf_is_not_taken_over(tmp_path):
    store = ox.Store(str(tmp_path / "other"))
    store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c")))
    del store
    with pytest.raises(gg.StoreError, match="glutegraph did not make it; it is left as it is"):
        gg.load(store=tmp_path / "other")


# ------------------------------------------------------------------ models: JSON and RDF

ROUND_TRIP = [
    ("muscle", "gluteus maximus"), ("muscle", "upper gluteus maximus"), ("action", "hip abduction"),
    ("joint", "hip joint"), ("nerve", "sciatic nerve"), ("exercise", "barbell hip thrust"),
    ("condition", "piriformis syndrome"), ("treatment", "botulinum toxin injection"),
    ("test", "FAIR test"), ("study", "study_contreras_2015"), ("claim", "claim_medius_rotation"),
]


@pytest.mark.parametrize(("kind", "name"), ROUND_TRIP)
def test_models_round_trip_through_json_and_rdf(kg, kind, name):
    model = getattr(kg, kind)(name)
    assert type(model).model_validate_json(model.model_dump_json()) == model
    assert type(model).from_rdf(model.to_rdf(), model.iri) == model
    json.loads(model.model_dump_json())  # plain JSON for apps


@pytest.mark.parametrize(("kind", "name"), ROUND_TRIP)
def test_a_models_triples_are_the_graphs_own(kg, kind, name):
    model = getattr(kg, kind)(name)
    graph = {str(t) for t in graph_quads(kg.store)}
    triples = {str(ox.Quad(t.subject, t.predicate, t.object)) for t in model.to_triples()}
    assert triples and triples <= graph


def test_every_measurement_model_carries_its_study(kg):
    found = kg.measurements()
    stored = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?m a gg:ActivationMeasurement }")[0].n
    assert len(found) == stored >= 100
    for m in found:
        assert m.study is not None and m.study in m.sources
        assert m.exercise is not None and m.muscle is not None


def test_results_export_to_json_and_records(kg):
    ranking = kg.exercises(target="lower gluteus maximus", limit=2)
    data = json.loads(ranking.to_json())
    assert data[0]["exercise"]["label"] == "barbell hip thrust"
    assert data[0]["best"]["mean_mvic"] == "86.8"
    assert ranking.to_records()[0]["exercise"] == "barbell hip thrust"
    assert str(ranking).startswith(" 1. barbell hip thrust: lower gluteus maximus 86.8 %MVIC mean")


def test_model_for_picks_the_class_from_rdf_types():
    assert models.model_for([str(gg.GG.Study)]) is models.Study
    assert models.model_for(["http://example.org/Other"]) is models.Entity
