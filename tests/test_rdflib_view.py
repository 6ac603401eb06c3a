"""kg.rdflib_view(): rdflib and pyshacl on the live pyoxigraph store, with nothing copied."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS

import glutegraph as gg
from glutegraph import namespaces
from glutegraph.errors import NetworkAccessError, QueryError, QuerySyntaxError, ReadOnlyError
from glutegraph.graph import close_store
from glutegraph.rdflib_view.store import LiveStore
from glutegraph.validation import shacl_violations, shapes_graph

GG, KB = Namespace(namespaces.GG), Namespace(namespaces.KB)  # rdflib terms
LAB = Path(__file__).parent / "data" / "lab_extension.ttl"
LAB_EXERCISE = URIRef("https://example.org/mylab/landmine_hip_thrust")

NERVES = """SELECT ?muscle ?nerve ?level WHERE {
  ?muscle a gg:Muscle ; gg:innervatedBy ?nerve .
  OPTIONAL { ?nerve gg:hasSpinalRoot/gg:spinalLevel ?level }
} ORDER BY ?muscle ?nerve ?level"""

TRAINS = "SELECT ?e ?m WHERE { ?e gg:trainsMuscle ?m } ORDER BY ?e ?m"
ASSERTED_TRAINS = """SELECT ?e ?m WHERE { ?e gg:trainsMuscle ?m
  FILTER NOT EXISTS { GRAPH <urn:glutegraph:derived> { ?e gg:trainsMuscle ?m } } } ORDER BY ?e ?m"""


@pytest.fixture(scope="module")
def kg() -> gg.KnowledgeGraph:
    return gg.load()


def strings(rows: object) -> list[tuple[str | None, ...]]:
    return [tuple(None if v is None else str(v) for v in row) for row in rows]  # type: ignore[attr-defined]


def test_the_view_reads_the_same_store_object(kg: gg.KnowledgeGraph) -> None:
    view = kg.rdflib_view()
    assert isinstance(view.store, LiveStore)
    assert view.store.pyoxigraph_store is kg.store
    assert len(view) == len(kg) > 4000


def test_making_a_view_copies_nothing(kg: gg.KnowledgeGraph) -> None:
    """Side by side: the view allocates almost nothing, the copy allocates the graph."""
    gc.collect()
    tracemalloc.start()
    try:
        view = kg.rdflib_view()
        assert len(view) == len(kg)
        _, view_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        copy = kg.to_rdflib()
        _, copy_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(copy) == len(kg)
    assert view_peak < 1_000_000, view_peak
    assert copy_peak > 20 * view_peak, (view_peak, copy_peak)


def test_rdflib_sparql_on_the_view_gives_the_rows_of_kg_query(kg: gg.KnowledgeGraph) -> None:
    view = kg.rdflib_view()
    through_rdflib = strings(view.query(NERVES))  # gg: and kb: are declared, as in kg.query
    through_kg = strings(kg.query(NERVES))
    assert through_rdflib == through_kg
    assert len(through_kg) > 20
    assert ("https://w3id.org/glutegraph/kb/gluteus_medius",
            "https://w3id.org/glutegraph/kb/superior_gluteal_nerve", "L4") in through_rdflib


def test_bindings_ask_and_construct_through_rdflib(kg: gg.KnowledgeGraph) -> None:
    view = kg.rdflib_view()
    rows = view.query("SELECT ?n WHERE { ?m gg:innervatedBy ?n }",
                      initBindings={"m": KB.gluteus_maximus})
    assert [str(r.n) for r in rows] == [str(KB.inferior_gluteal_nerve)]
    assert view.query("ASK { kb:piriformis a gg:Muscle }").askAnswer is True
    built = view.query("CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a gg:Muscle ; rdfs:label ?l }")
    assert (KB.piriformis, RDFS.label, Literal("piriformis", lang="en")) in built.graph
    # a parsed query goes to rdflib's own engine (over the view's triples): same answer
    from rdflib.plugins.sparql import prepareQuery

    prepared = prepareQuery(f"SELECT ?n WHERE {{ ?m <{GG.innervatedBy}> ?n }}")
    answer = view.query(prepared, initBindings={"m": KB.gluteus_maximus})
    assert [str(r.n) for r in answer] == [str(KB.inferior_gluteal_nerve)]


def test_the_view_keeps_kg_query_rules(kg: gg.KnowledgeGraph) -> None:
    view = kg.rdflib_view()
    with pytest.raises(NetworkAccessError):
        view.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QuerySyntaxError) as error:
        view.query("SELECT ?x WHERE { ?x gg:innervatedBy }")
    assert error.value.line == 1


def test_plain_strings_stay_plain_literals(kg: gg.KnowledgeGraph) -> None:
    """Oxigraph types them xsd:string; rdflib tells that apart, so SHACL sh:in would fail."""
    view = kg.rdflib_view()
    not_read = set(view.objects(None, GG.notRead))
    assert Literal("mean") in not_read
    assert all(o.datatype is None for o in not_read)
    assert view.value(KB.piriformis, RDFS.label) == Literal("piriformis", lang="en")


def test_pyshacl_conforms_on_the_view(kg: gg.KnowledgeGraph) -> None:
    view = kg.rdflib_view()
    conforms, _, text = pyshacl.validate(data_graph=view, shacl_graph=shapes_graph(),
                                         allow_warnings=True)
    assert conforms, text
    assert shacl_violations(view) == []


def test_pyshacl_finds_on_the_view_what_is_there(kg: gg.KnowledgeGraph) -> None:
    """A shape every innervated muscle breaks: one result per muscle kg.query finds."""
    shape = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix gg: <https://w3id.org/glutegraph/ontology/> .
        [] a sh:NodeShape ; sh:targetClass gg:Muscle ;
           sh:property [ sh:path gg:innervatedBy ; sh:maxCount 0 ] .""")
    conforms, results, _ = pyshacl.validate(data_graph=kg.rdflib_view(), shacl_graph=shape)
    focus = {str(f) for f in results.objects(None, URIRef("http://www.w3.org/ns/shacl#focusNode"))}
    innervated = {r.m for r in kg.query(
        "SELECT DISTINCT ?m WHERE { ?m a gg:Muscle ; gg:innervatedBy ?n }")}
    assert not conforms
    assert focus == innervated
    assert len(focus) > 10


def test_writes_through_the_view_are_refused_and_change_nothing(kg: gg.KnowledgeGraph) -> None:
    view = kg.rdflib_view()
    before = len(kg.store)
    triple = (URIRef("https://example.org/x"), RDFS.label, Literal("x"))
    attempts = [
        lambda: view.add(triple),
        lambda: view.addN([(*triple, view)]),
        lambda: view.remove((KB.piriformis, None, None)),
        lambda: view.update("INSERT DATA { <https://example.org/x> a gg:Muscle }"),
        lambda: view.parse(data="<https://example.org/x> <https://example.org/p> 1 .",
                           format="turtle"),
        lambda: view.set((KB.piriformis, RDFS.label, Literal("pear"))),
        lambda: view.store.destroy("/tmp"),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyError, match=r"read-only: add data with kg\.add"):
            attempt()
    assert len(kg.store) == before
    assert view.value(KB.piriformis, RDFS.label) == Literal("piriformis", lang="en")
    view.close()  # rdflib code closes graphs it is done with: the knowledge graph stays open
    assert len(kg.query("SELECT ?m WHERE { ?m a gg:Muscle }")) > 10


def test_what_kg_add_adds_is_in_an_existing_view() -> None:
    kg = gg.load()
    view = kg.rdflib_view()
    count = len(view)
    assert (LAB_EXERCISE, None, None) not in view
    added = kg.add(LAB)
    assert added > 0
    assert len(view) == len(kg) > count  # the count follows the change
    assert (LAB_EXERCISE, RDFS.label, Literal("landmine hip thrust", lang="en")) in view
    trains = "SELECT ?e ?m WHERE { ?e gg:trainsMuscle ?m } ORDER BY ?m"
    rows = strings(view.query(trains, initBindings={"e": LAB_EXERCISE}))
    assert rows == strings(kg.query(trains, e=gg.iri(str(LAB_EXERCISE))))
    assert rows  # derived from its hip extension by the rules, and seen live
    conforms, _, text = pyshacl.validate(data_graph=view, shacl_graph=shapes_graph(),
                                         allow_warnings=True)
    assert conforms, text


def test_derived_facts_are_in_the_view_as_kg_query_sees_them(kg: gg.KnowledgeGraph) -> None:
    view = kg.rdflib_view()
    bridge, maximus = KB.glute_bridge, KB.gluteus_maximus
    assert kg.derivation("glute bridge", "gg:trainsMuscle", "gluteus maximus")  # derived
    assert (bridge, GG.trainsMuscle, maximus) in view
    assert strings(view.query(TRAINS)) == strings(kg.query(TRAINS))
    # leaving the derived facts out on the view gives kg.query's asserted-only answer
    kg.inferred = False
    try:
        asserted = strings(kg.query(TRAINS))
        with pytest.raises(QueryError, match=r"kg\.inferred is False"):
            kg.rdflib_view()
    finally:
        kg.inferred = True
    assert strings(view.query(ASSERTED_TRAINS)) == asserted
    assert len(asserted) < len(strings(view.query(TRAINS)))


def test_a_remote_graph_has_no_live_view(remote_kg: gg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="SPARQLStore"):
        remote_kg.rdflib_view()


def test_an_on_disk_store_has_a_live_view_too(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    kg = gg.load(store=folder)
    try:
        view = kg.rdflib_view()
        assert view.store.pyoxigraph_store is kg.store
        assert (LAB_EXERCISE, None, None) not in view
        kg.add(LAB)  # one transaction in the on-disk store, seen through the same view
        assert (LAB_EXERCISE, RDFS.label, Literal("landmine hip thrust", lang="en")) in view
        assert len(view) == len(kg)
    finally:
        close_store(folder)


def test_a_crafted_query_on_the_view_is_a_typed_error_not_a_crash():
    """10 KB of nested brackets overflowed pyoxigraph's parser stack and killed the process
    (SIGSEGV); the view holds queries to kg.query's limits first. Run in a child process, so
    that a regression shows as a failed test, not as a dead test run."""
    import subprocess
    import sys

    code = (
        "import glutegraph as gg\n"
        "view = gg.load().rdflib_view()\n"
        "for text in ['SELECT * WHERE ' + '{' * 5000 + '}' * 5000,\n"
        "             'SELECT * WHERE { ?s ?p ?o FILTER(' + '(' * 5000 + '1' + ')' * 5000 + ') }']:\n"
        "    try:\n"
        "        view.query(text)\n"
        "    except gg.QueryTooComplexError as exc:\n"
        "        print('refused:', exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("refused: the query nests brackets more than 64 deep") == 2
