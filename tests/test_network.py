"""The networkx bridge: nodes and edges match the RDF, focused views, back to RDF, exports, paths."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from rdflib import Literal, URIRef

import glutegraph as gg
from glutegraph import network
from glutegraph.network import (
    condition_subgraph,
    exercise_muscle_graph,
    export,
    muscle_action_graph,
    neighbourhood,
    to_networkx,
    to_rdf,
)

KB = gg.KB


@pytest.fixture(scope="module")
def g(embedded_kg):
    return embedded_kg.to_networkx()


def node_labels(graph):
    return {d["label"] for _, d in graph.nodes(data=True)}


def test_every_entity_of_a_node_class_is_a_node_with_its_attributes(embedded_kg, g):
    classes = " ".join(f"gg:{c}" for c in network.KIND_OF_CLASS)
    rows = embedded_kg.query(f"SELECT DISTINCT ?e WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c ; rdfs:label ?l }}")
    assert set(g.nodes) == {r.e for r in rows}
    for node, data in g.nodes(data=True):
        assert data["iri"] == node and data["label"] and data["kind"] in network.KIND_OF_CLASS.values()
    medius = g.nodes[str(KB.gluteus_medius)]
    assert (medius["kind"], medius["curie"], medius["classes"]) == ("muscle", "kb:gluteus_medius", ["gg:Muscle"])
    assert "abductor" in medius["definition"]
    assert g.nodes[str(KB.barbell_hip_thrust)]["difficulty"] == "intermediate"
    assert g.nodes[str(KB.claim_medius_rotation)]["verdict"] == "corrected"


def test_every_direct_edge_is_a_triple_of_the_graph(embedded_kg, g):
    direct = [(u, v, d) for u, v, d in g.edges(data=True) if "evidence" not in d]
    assert len(direct) > 300
    for u, v, data in direct:
        assert embedded_kg.query(f"ASK {{ <{u}> {data['relation']} <{v}> }}"), (u, data["relation"], v)
        assert data["label"] and isinstance(data["sources"], list)


@pytest.mark.parametrize(("relation", "cls", "count"), [
    ("activates", "gg:ActivationMeasurement", 100), ("produces", "gg:ActionContribution", 39),
    ("treats", "gg:TreatmentEvidence", 25), ("detects (measured accuracy)", "gg:DiagnosticAccuracy", 15)])
def test_each_evidence_node_becomes_one_edge_with_its_figures_and_sources(embedded_kg, g, relation, cls, count):
    edges = [d for *_, d in g.edges(data=True) if d["relation"] == relation]
    n = embedded_kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?e a {cls} }}")[0].n
    assert len(edges) == n >= count
    assert all(d["sources"] for d in edges)


def test_the_hip_thrust_lower_glute_edge_carries_the_contreras_figure(g):
    data = g.get_edge_data(str(KB.barbell_hip_thrust), str(KB.gluteus_maximus_lower))
    activation = [d for d in data.values() if d["relation"] == "activates"]
    assert [(d["mean_mvic"], d["n"], d["sources"]) for d in activation] == [(86.8, 13, ["kb:study_contreras_2015"])]
    assert {d["relation"] for d in data.values()} == {"activates", "gg:primaryTarget"}


def test_activation_edges_carry_the_peak_the_reporting_study_and_quality_concerns(g):
    thrust = g.get_edge_data(str(KB.barbell_hip_thrust), str(KB.gluteus_maximus_lower))
    (lower,) = [d for d in thrust.values() if d["relation"] == "activates"]
    assert (lower["peak_mvic"], lower["study"], lower["study_label"]) == (
        216.0, "kb:study_contreras_2015", "Contreras 2015, J Appl Biomech")
    assert "quality_concern" not in lower
    boren = [d for *_, d in g.edges(data=True) if d.get("study") == "kb:study_boren_2011"]
    assert boren and all("mean_mvic" not in d and d["peak_mvic"] > 0 for d in boren)
    fatima = [d for *_, d in g.edges(data=True) if d.get("study") == "kb:study_fatima_2020"]
    assert {d["mean_mvic"] for d in fatima if d.get("quality_concern")} >= {222.9}
    assert 48.9 in {d["mean_mvic"] for d in fatima if not d.get("quality_concern")}
    rdf = to_rdf(g.subgraph([str(KB.barbell_hip_thrust), str(KB.gluteus_maximus_lower)]))
    evidence = URIRef(KB.act_contreras_2015_hip_thrust_lower)
    assert (evidence, URIRef(gg.GG.reportedBy), URIRef(KB.study_contreras_2015)) in rdf
    assert (evidence, URIRef(gg.GG.peakPercentMVIC), None) in rdf


def test_the_same_graph_comes_from_a_remote_endpoint(remote_kg, g):
    remote = remote_kg.to_networkx()
    assert set(remote.nodes) == set(g.nodes)
    assert sorted((u, v, k) for u, v, k in remote.edges(keys=True)) == sorted(g.edges(keys=True))


def test_to_networkx_gives_a_copy_the_caller_may_change(embedded_kg):
    first = embedded_kg.to_networkx()
    first.remove_node(str(KB.gluteus_medius))
    assert str(KB.gluteus_medius) in embedded_kg.to_networkx()


def test_neighbourhood_by_depth(g):
    assert list(neighbourhood(g, "piriformis syndrome", depth=0)) == [str(KB.piriformis_syndrome)]
    near = node_labels(neighbourhood(g, "piriformis syndrome"))
    assert {"piriformis", "sciatic nerve", "FAIR test", "buttock pain"} <= near
    assert "superior gluteal nerve" not in near
    assert "superior gluteal nerve" in node_labels(neighbourhood(g, "piriformis syndrome", depth=3))


def test_views_name_unknown_entities_with_a_suggestion(g):
    with pytest.raises(gg.UnknownNameError, match="did you mean 'piriformis syndrome'"):
        neighbourhood(g, "piriformis syndrom")
    with pytest.raises(gg.QueryError, match="depth"):
        neighbourhood(g, "piriformis", depth=-1)
    with pytest.raises(gg.UnknownNameError, match="no condition 'piriformis'"):
        condition_subgraph(g, "piriformis")


def test_exercise_muscle_graph_is_bipartite_and_weighted_by_the_best_activation(g):
    b = exercise_muscle_graph(g)
    exercises = {n for n, d in b.nodes(data=True) if d["bipartite"] == 0}
    assert nx.is_bipartite(b) and {b.nodes[n]["kind"] for n in exercises} == {"exercise"}
    medius = b.edges[str(KB.side_lying_hip_abduction), str(KB.gluteus_medius)]
    assert medius["weight"] == max(m for m, _ in medius["measurements"]) == 99.9
    studies = {s for _, sources in medius["measurements"] for s in sources}
    assert {"MacAskill et al., Int J Sports Phys Ther", "Distefano 2009, J Orthop Sports Phys Ther",
            "McBeth 2012, J Athl Train"} <= studies


def test_muscle_action_graph_and_condition_subgraph(g):
    ma = muscle_action_graph(g)
    assert {d["kind"] for _, d in ma.nodes(data=True)} == {"muscle", "action"}
    contributions = [e for e in g.edges(data=True) if e[2]["relation"] == "produces"]
    assert ma.number_of_edges() == len(contributions) >= 39
    around = condition_subgraph(g, "piriformis syndrome")
    assert {"piriformis", "sciatic nerve", "electrophysiological FAIR test",
            "botulinum toxin injection into piriformis",
            "nerve to piriformis"} <= node_labels(around)
    assert not {d["kind"] for _, d in around.nodes(data=True)} & {"claim", "exercise"}


def test_back_to_rdf_gives_the_graphs_own_triples(embedded_kg, g):
    def facts(graph):  # literals compared by value: 83 and 83.0 are the same decimal
        return {tuple((t.toPython(), t.datatype, t.language) if isinstance(t, Literal) else t
                      for t in triple) for triple in graph}

    rdf = to_rdf(g)
    assert len(rdf) > 1000
    assert facts(rdf) - facts(embedded_kg.to_rdflib()) == set()


def test_a_hand_made_node_and_edge_go_back_to_rdf(g):
    mine = g.copy()
    lab = "https://example.org/mylab/kettlebell_swing"
    mine.add_node(lab, iri=lab, label="kettlebell swing", classes=["gg:Exercise"], kind="exercise")
    mine.add_edge(lab, str(KB.gluteus_maximus), relation="gg:primaryTarget", label="primary target")
    rdf = to_rdf(mine)
    assert (URIRef(lab), URIRef(gg.GG.primaryTarget), URIRef(KB.gluteus_maximus)) in rdf
    assert (URIRef(lab), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("kettlebell swing", lang="en")) in rdf


@pytest.mark.parametrize("suffix", ["graphml", "gexf", "json"])
def test_exports_open_again_with_the_same_nodes_edges_and_labels(tmp_path, g, suffix):
    path = export(g, tmp_path / f"glutegraph.{suffix}")
    if suffix == "graphml":
        back = nx.read_graphml(path)
    elif suffix == "gexf":
        back = nx.read_gexf(path)
    else:
        back = nx.node_link_graph(json.loads(path.read_text()), edges="links")
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert back.nodes[str(KB.gluteus_medius)]["label"] == "gluteus medius"
    sources = [d["sources"] for _, _, d in back.edges(data=True) if "Contreras" in str(d.get("source_labels"))]
    assert sources


def test_export_refuses_an_unknown_format(tmp_path, g):
    with pytest.raises(gg.QueryError, match="graphml, gexf or json"):
        export(g, tmp_path / "x.dot")


# ---------------------------------------------------------------------- explanations

def test_why_the_hip_thrust_is_linked_to_the_lower_gluteus_maximus(embedded_kg):
    why = embedded_kg.explain("hip thrust", "lower glutes")
    first = why[0].steps[0]
    assert (first.subject, first.relation, first.object) == (
        "barbell hip thrust", "activates", "lower gluteus maximus")
    assert first.detail == "86.8 %MVIC mean, n=13" and first.sources == ("Contreras 2015, J Appl Biomech",)
    assert str(why[0]) == ("barbell hip thrust activates lower gluteus maximus (86.8 %MVIC mean, n=13) "
                           "[Contreras 2015, J Appl Biomech]")
    assert "primary target" in [s.relation for w in why for s in w.steps]


def test_what_connects_the_piriformis_to_sciatica(embedded_kg):
    why = embedded_kg.explain("piriformis", "sciatica")
    assert [str(s).split(" [")[0] for s in why[0].steps] == [
        "piriformis syndrome involves piriformis", "piriformis syndrome related condition sciatica"]
    assert all(step.sources for w in why for step in w.steps)


def test_explanations_skip_claims_and_respect_the_length_limit(embedded_kg):
    for why in embedded_kg.explain("gluteus medius", "hip internal rotation", max_paths=5):
        assert all("claim" not in s.subject.lower() for s in why.steps)
    assert embedded_kg.explain("piriformis", "sciatica", max_length=1) == []
    assert len(embedded_kg.explain("piriformis", "sciatica", max_paths=2)) == 2


def test_explain_names_an_unknown_entity(embedded_kg):
    with pytest.raises(gg.UnknownNameError, match="did you mean"):
        embedded_kg.explain("piriformis", "sciatika")


def test_to_networkx_is_fresh_after_adding_data(tmp_path):
    from pathlib import Path

    kg = gg.load()
    before = kg.to_networkx().number_of_nodes()
    kg.add(Path(__file__).parent / "data" / "lab_extension.ttl")
    assert kg.to_networkx().number_of_nodes() == before + 1  # the landmine hip thrust
    assert "landmine hip thrust" in node_labels(to_networkx(kg))


def test_several_figures_of_one_link_make_one_explanation_not_two(embedded_kg):
    why = embedded_kg.explain("side-lying hip abduction", "poor knee control", max_paths=3)
    told = [[(s.subject, s.relation, s.object) for s in w.steps] for w in why]
    assert len(told) == len({tuple(t) for t in told})  # the same path is never told twice
    first = why[0].steps[0]
    assert first.detail.startswith("99.9 %MVIC mean") and "the best-ranked of" in first.detail


def test_an_explanation_ranks_a_links_figures_as_the_api_does(embedded_kg):
    """Of the Y-balance reach's six gluteus medius figures, the flagged 222.9 is not the one told."""
    best = embedded_kg.exercises(target="gluteus medius")
    reach = next(r for r in best if r.exercise.label == "Y-balance reach")
    why = embedded_kg.explain("Y-balance reach", "gluteus medius", max_paths=1)
    detail = why[0].steps[0].detail
    assert detail.startswith(f"{reach.best.mean_mvic} %MVIC mean")
    assert "222.9" not in detail and "of 6 figures" in detail
