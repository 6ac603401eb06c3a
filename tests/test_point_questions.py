"""Point questions bind their values into the text each named query is written for; the name
index is read lazily, per kind, and kept up to date by add().

No timings here (see benchmarks/bench_api.py and bench_open.py): the tests count and read the
queries that reach the store.
"""

from __future__ import annotations

import gc
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import glutegraph as gg
from glutegraph import names as names_module
from glutegraph import questions as questions_module
from glutegraph import sparql as sparql_module
from glutegraph.graph import KnowledgeGraph, close_store
from glutegraph.models import (
    Condition,
    DiagnosticTest,
    Entity,
    Exercise,
    Joint,
    JointAction,
    Measurement,
    MuscularStructure,
    Nerve,
    Treatment,
    incoming,
    model_for,
)
from glutegraph.names import KEYS_GRAPH, NAME_PREDICATES, NameIndex, index_names, is_keyed
from glutegraph.remote import SparqlEndpoint, upload_store
from glutegraph.server import OxigraphServer
from glutegraph.sparql import iri, iterate, named_query
from glutegraph.store import open_store

DATA = Path(__file__).parent / "data"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every query the name index sends to the store, in order."""
    queries: list[str] = []
    real = names_module.iterate

    def recording(store: Any, sparql: str, **bindings: Any) -> Any:
        queries.append(sparql)
        return real(store, sparql, **bindings)

    monkeypatch.setattr(names_module, "iterate", recording)
    return queries


class RecordingEndpoint(SparqlEndpoint):
    """A real endpoint client that records the text of every query it sends."""

    def __init__(self, url: str) -> None:
        super().__init__(url, timeout=60)
        self.queries: list[str] = []

    def query(self, query: str, **kwargs: Any) -> Any:
        self.queries.append(query)
        return super().query(query, **kwargs)


def whole(name: str) -> str:
    """The text of a named query with no value given: it reads the whole graph."""
    return named_query(name)


# ---------------------------------------------------------------------- binding values


def test_a_value_is_data_in_a_values_block_never_query_text():
    hostile = 'x" } } DROP ALL ; SELECT * { ?s ?p "'
    text = named_query("labels", iri=[ox.NamedNode("urn:x:a")])
    assert "VALUES ?iri { <urn:x:a> }" in text
    text = named_query("describe_out", focus=ox.Literal(hostile))
    assert text.count("VALUES ?focus {") == 1
    assert '"x\\" } } DROP ALL ; SELECT * { ?s ?p \\""' in text  # escaped inside the literal
    assert list(ox.Store().query(text, prefixes={})) == []  # parses: one literal, no update


def test_a_filter_not_given_is_left_out_not_compared_with_a_sentinel():
    with_both = named_query("exercises", action=iri("kb:hip_abduction"),
                            equipment=iri("kb:barbell"))
    assert "gg:trainsAction ?action" in with_both and "gg:usesEquipment" in with_both
    assert "gg:difficulty" not in with_both
    for name in ("exercises", "measurements", "claims", "cautions", "conditions_involving",
                 "treatment_evidence", "progressions", "pooled", "exercise_activation"):
        assert "urn:glutegraph:any" not in named_query(name)


def test_a_value_the_query_has_no_place_for_is_refused():
    with pytest.raises(gg.QueryError, match=r"\?nothing"):
        named_query("describe", nothing=iri("kb:piriformis"))
    with pytest.raises(gg.QueryError, match="IRIs and literals"):
        named_query("describe", focus=ox.BlankNode())


def test_describe_binds_the_focus_in_every_branch_of_its_union():
    text = named_query("describe", focus=iri("kb:piriformis"))
    branches = text.count("UNION") + 1
    assert text.count("VALUES ?focus { <https://w3id.org/glutegraph/kb/piriformis> }") == branches


# ---------------------------------------------------------------------- the lazy name index


def unkeyed_store() -> ox.Store:
    """The bundled graph in memory: no name keys."""
    store = open_store()
    assert not is_keyed(store)
    return store


def test_opening_a_graph_reads_no_names(sent):
    kg = KnowledgeGraph(open_store())
    assert sent == []
    assert kg.names.labels.get("https://w3id.org/glutegraph/kb/piriformis") == "piriformis"
    assert sent == []  # a label is an index lookup, not a query


def keyed_store() -> ox.Store:
    """The bundled graph with its name keys, as in an on-disk store glutegraph filled."""
    store = open_store()
    index_names(store)
    assert is_keyed(store)
    return store


def test_an_on_disk_store_has_the_name_keys(tmp_path):
    kg = gg.load(store=tmp_path / "store")
    try:
        assert is_keyed(kg.store) and kg.names.keyed
        assert kg.muscle("Glute-Med").label == "gluteus medius"
    finally:
        close_store(tmp_path / "store")


def test_a_name_is_found_by_its_key_and_one_query_about_its_entities(sent):
    index = NameIndex.build(keyed_store())
    assert index.resolve("Glute  Med", "muscle").curie == "kb:gluteus_medius"
    [read] = sent  # about the entities with that key, among the muscles
    assert 'VALUES ?key { "glute med" }' in read and "ontology/MuscleRegion>" in read
    assert index.resolve("kb:sciatic_nerve").label == "sciatic nerve"  # an IRI: one entity
    assert "VALUES ?entity { <https://w3id.org/glutegraph/kb/sciatic_nerve> }" in sent[-1]
    assert whole("names") not in sent and whole("labels") not in sent


def test_the_keys_find_every_spelling_of_a_name():
    gg_, rdfs = "https://w3id.org/glutegraph/ontology/", "http://www.w3.org/2000/01/rdf-schema#"
    store = ox.Store()
    for node, label in (("urn:x:a", "Twin Name"), ("urn:x:b", "twin-name")):
        store.add(ox.Quad(ox.NamedNode(node), ox.NamedNode(RDF_TYPE), ox.NamedNode(gg_ + "Muscle")))
        store.add(ox.Quad(ox.NamedNode(node), ox.NamedNode(rdfs + "label"), ox.Literal(label)))
    index_names(store)
    with pytest.raises(gg.AmbiguousNameError, match=r"Twin Name.*twin-name"):
        NameIndex.build(store).resolve("TWIN  NAME", "muscle")


def test_without_keys_a_name_is_looked_up_among_its_kind_read_once(sent):
    index = NameIndex.build(unkeyed_store())
    assert index.resolve("glute med", "muscle").curie == "kb:gluteus_medius"
    assert index.resolve("piriformis", "muscle").curie == "kb:piriformis"
    [read] = sent  # one query for the muscles, kept for the second name
    assert "ontology/MuscleRegion>" in read and "VALUES ?type" in read
    assert "VALUES ?entity" not in read


def test_keyed_and_unkeyed_stores_resolve_every_name_alike():
    keyed, unkeyed = NameIndex.build(keyed_store()), NameIndex.build(unkeyed_store())
    for name, kind in [("glute med", "muscle"), ("UBERON:0001371", None), ("sumo squat", None),
                       ("hip thrust", "exercise"), ("piriformis_syndrome", "condition"),
                       ("lateral hip pain", "symptom"), ("gluteus_maximus", None)]:
        assert keyed.resolve(name, kind) == unkeyed.resolve(name, kind)


def test_an_iri_of_the_wrong_kind_still_names_what_it_is():
    with pytest.raises(gg.UnknownNameError, match="piriformis"):
        NameIndex.build(open_store()).resolve("kb:piriformis", "exercise")


def test_suggestions_for_a_large_kind_come_from_the_trigram_index(monkeypatch):
    monkeypatch.setattr(names_module, "SUGGESTION_POOL", 5)  # the bundled kinds are "large" now
    index = NameIndex.build(keyed_store())  # (a typo reads the kind's names, keyed or not)
    with pytest.raises(gg.UnknownNameError, match="did you mean 'gluteus medius'"):
        index.resolve("gluteus medus", "muscle")
    muscles = index._by_kind["muscle"]
    assert muscles.trigrams is not None and len(muscles.names) > 5
    assert "gluteus medius" in muscles.near("gluteus medus")
    assert len(muscles.near("gluteus medus")) == 5


def test_add_writes_the_keys_of_the_new_names_with_them():
    kg = KnowledgeGraph(keyed_store())
    with pytest.raises(gg.UnknownNameError):
        kg.resolve("landmine hip thrust", "exercise")
    kg.add(DATA / "lab_extension.ttl")
    assert kg.resolve("Landmine Hip-Thrust", "exercise").iri.endswith("landmine_hip_thrust")
    assert kg.names.labels.get("https://example.org/mylab/landmine_hip_thrust") \
        == "landmine hip thrust"
    keys = kg.store.quads_for_pattern(None, None, ox.Literal("landmine hip thrust"), KEYS_GRAPH)
    assert [q.subject.value for q in keys] == ["https://example.org/mylab/landmine_hip_thrust"]
    fresh = NameIndex.build(kg.store)  # found by the keys add() wrote, reading no kind
    assert fresh.resolve("landmine hip thrust", "exercise").label == "landmine hip thrust"
    assert fresh._by_kind == {}


def test_add_updates_the_names_of_a_kind_read_so_far(sent):
    kg = KnowledgeGraph(unkeyed_store())
    assert kg.resolve("hip thrust", "exercise").label == "barbell hip thrust"
    with pytest.raises(gg.UnknownNameError):
        kg.resolve("landmine hip thrust", "exercise")
    assert len(sent) == 1
    kg.add(DATA / "lab_extension.ttl")
    assert sent[1:] and all("VALUES ?entity" in q for q in sent[1:])  # only what was added
    assert kg.resolve("landmine hip thrust", "exercise").iri.endswith("landmine_hip_thrust")
    assert kg.resolve("hip thrust", "exercise").label == "barbell hip thrust"


# ---------------------------------------------------------------------- an endpoint


def test_connect_reads_no_names_and_a_question_takes_a_few_round_trips(oxigraph_server):
    endpoint = RecordingEndpoint(oxigraph_server.query_url)
    kg = KnowledgeGraph(endpoint)
    assert endpoint.queries == []
    muscle = kg.muscle("gluteus medius")
    assert muscle.innervated_by[0].label == "superior gluteal nerve"
    # whether it has name keys (yes: upload sends them), the entities with the name's key, the
    # muscle's label, its description, the labels of what it links to
    first = len(endpoint.queries)
    assert first == 5
    assert kg.names.keyed and kg.names._by_kind == {}  # no kind read whole
    assert whole("names") not in endpoint.queries and whole("labels") not in endpoint.queries
    assert all("VALUES" in q for q in endpoint.queries[1:])  # each about what it needs
    kg.muscle("gluteus minimus")
    assert len(endpoint.queries) - first == 4  # the keys are known to be there
    assert kg.muscle("gluteus medius") == muscle


def copies(store: ox.Store, n: int) -> ox.Store:
    """The graph of ``store`` and ``n`` copies of its kb: entities, each renamed (IRI and names)."""
    kb = "https://w3id.org/glutegraph/kb/"
    names = {p.value for p in NAME_PREDICATES}
    quads = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    bigger = ox.Store()
    bigger.extend(quads)

    def renamed(term: Any, i: int, name: bool) -> Any:
        if isinstance(term, ox.NamedNode) and term.value.startswith(kb):
            return ox.NamedNode(f"{term.value}__c{i}")
        if name and isinstance(term, ox.Literal):
            return ox.Literal(f"{term.value} #{i}", language=term.language)
        return term

    for i in range(1, n + 1):
        bigger.extend(ox.Quad(renamed(q.subject, i, False), q.predicate,
                              renamed(q.object, i, q.predicate.value in names))
                      for q in quads if str(q.subject).startswith("<" + kb))
    return bigger


QUESTIONS = [
    lambda kg: kg.muscle("gluteus medius"),
    lambda kg: kg.entity("piriformis"),
    lambda kg: kg.conditions(involving="sciatic nerve"),
    lambda kg: kg.exercises(target="gluteus medius", limit=5),
    lambda kg: kg.measurements(muscle="gluteus maximus"),
]


def test_an_uploaded_graph_answers_in_as_many_round_trips_whatever_its_size():
    counts = []
    for n in (0, 4):  # the bundled graph, and five times as many entities and names
        store = copies(open_store(), n)
        with OxigraphServer() as server:
            sent = upload_store(server.store_url, store)
            endpoint = RecordingEndpoint(server.query_url)
            kg = KnowledgeGraph(endpoint)
            answers, trips = [], []
            for question in QUESTIONS:
                before = len(endpoint.queries)
                answers.append(question(kg))
                trips.append(len(endpoint.queries) - before)
            assert kg.names._by_kind == {}  # no kind's names read whole
        counts.append((sent, trips, answers))
    (small, trips_small, answers_small), (large, trips_large, answers_large) = counts
    assert large > 4 * small
    assert trips_large == trips_small
    assert answers_large == answers_small  # the copies' names differ: the same entities answer


def test_an_endpoint_serving_an_on_disk_store_finds_names_by_their_keys(tmp_path):
    folder = tmp_path / "store"
    kg = gg.load(store=folder)
    close_store(folder)
    del kg
    gc.collect()  # nothing holds the store now: the server may open it
    with OxigraphServer(folder, read_only=True) as server:
        endpoint = RecordingEndpoint(server.query_url)
        remote = KnowledgeGraph(endpoint)
        assert remote.muscle("Glute-Med").label == "gluteus medius"
        assert remote.names.keyed and remote.names._by_kind == {}  # no kind read whole
        assert any('VALUES ?key { "glute med" }' in q for q in endpoint.queries)
        with pytest.raises(gg.UnknownNameError, match="gluteus medius"):  # typos still helped
            remote.muscle("gluteus medus")


# ---------------------------------------------------------------------- what a model reads


KINDS_AND_MODELS = [("muscle", MuscularStructure), ("action", JointAction), ("joint", Joint),
                    ("nerve", Nerve), ("exercise", Exercise), ("condition", Condition),
                    ("treatment", Treatment), ("test", DiagnosticTest)]


def test_a_model_read_with_only_its_links_is_the_model_read_with_every_link():
    kg = gg.load([DATA / "lab_extension.ttl"], datasets=["free-exercise-db"])
    checked = 0
    for kind, model in KINDS_AND_MODELS:
        for match in kg.names.of_kind(kind):
            every = kg._facts(named_query("describe", focus=iri(match.iri)))  # every link
            built = model_for(every.types(match.iri))  # (a spinal root is no Nerve: None)
            expected = every.build(built, match.iri) if issubclass(built, model) else None
            assert kg._describe(match.iri, model) == expected, match.iri
            checked += expected is not None
    assert checked > 900  # (the data set's records are exercises too)


def test_a_muscle_is_described_without_the_measurements_pointing_at_it():
    kg = gg.load()
    focus = iri("kb:gluteus_medius")
    links = [iri(p) for p in incoming(MuscularStructure) or []]
    assert sorted(link.value.rpartition("/")[2] for link in links) == ["contributor", "partOf"]
    needed = list(iterate(kg.store, named_query("describe", focus=focus, **{"in": links})))
    every = list(iterate(kg.store, named_query("describe", focus=focus)))
    assert 0 < len(needed) < len(every) / 5  # its EMG measurements point at it, unread
    assert incoming(Entity) is None  # any kind: every link


def test_conditions_involving_a_structure_are_described_in_one_query(monkeypatch):
    kg = gg.load()
    sent: list[str] = []
    real = sparql_module.run  # every query goes through it (the describing in glutegraph.facts)
    monkeypatch.setattr(sparql_module, "run",
                        lambda store, sparql, *a, **k: sent.append(sparql) or real(store, sparql,
                                                                                   *a, **k))
    found = kg.conditions(involving="sciatic nerve")
    assert [c.label for c in found] == ["deep gluteal syndrome", "piriformis syndrome", "sciatica"]
    [described] = [q for q in sent if "?focus" in q]
    assert described.count("kb/sciatica>") == described.count("kb/piriformis_syndrome>") >= 2
    assert found[1].treatments and found[1].tests  # nested evidence and incoming links read


def test_a_figure_that_is_not_a_finite_number_is_left_out_of_the_model():
    gg_ = "https://w3id.org/glutegraph/ontology/"
    node = ox.NamedNode("urn:x:m")
    def fact(predicate: str, value: str) -> ox.Triple:
        return ox.Triple(node, ox.NamedNode(gg_ + predicate), ox.Literal(value, datatype=DECIMAL))

    triples = [ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(gg_ + "ActivationMeasurement")),
               fact("meanPercentMVIC", "NaN"), fact("peakPercentMVIC", "INF"),
               fact("sdPercentMVIC", "4.5")]
    measurement = Measurement.from_rdf(triples, node.value)  # pydantic refused NaN: no error now
    assert (measurement.mean_mvic, measurement.peak_mvic) == (None, None)
    assert measurement.sd_mvic == Decimal("4.5")


def test_many_conditions_are_described_in_batches_with_the_same_answers(monkeypatch):
    kg = gg.load()
    whole_batch = kg.conditions(involving="sciatic nerve")
    sent: list[str] = []
    real = sparql_module.run  # every query goes through it (the describing in glutegraph.facts)
    monkeypatch.setattr(sparql_module, "run",
                        lambda store, sparql, *a, **k: sent.append(sparql) or real(store, sparql,
                                                                                   *a, **k))
    monkeypatch.setattr(questions_module, "FETCH_BATCH", 2)  # three conditions: two queries
    assert kg.conditions(involving="sciatic nerve") == whole_batch
    assert len([q for q in sent if "?focus" in q]) == 2
