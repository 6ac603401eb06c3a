"""The shapes and quality checks accept the bundled graph and reject broken data."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from glutegraph.cli import main
from glutegraph.rdf import load_rdflib
from glutegraph.validation import validate

PREFIXES = """
@prefix gg: <https://w3id.org/glutegraph/ontology/> .
@prefix kb: <https://w3id.org/glutegraph/kb/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
"""


def with_extra(graph: Graph, turtle: str) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    copy.parse(data=PREFIXES + turtle, format="turtle")
    return copy


def test_bundled_graph_conforms(graph):
    report = validate(graph)
    assert report.conforms, str(report)


def test_muscle_without_label_is_rejected(graph):
    data = with_extra(graph, """
        kb:mystery_muscle a gg:Muscle ;
            obo:IAO_0000115 "A muscle somebody forgot to name." ;
            dcterms:source kb:src_uberon .""")
    messages = [str(v) for v in validate(data).violations if "mystery_muscle" in v.focus]
    assert any("rdfs:label" in m for m in messages)
    assert any("origin" in m for m in messages)


def test_negative_activation_is_rejected(graph):
    data = with_extra(graph, """
        kb:act_bad a gg:ActivationMeasurement ; rdfs:label "bad figure"@en ;
            gg:exercise kb:clamshell ; gg:muscle kb:gluteus_medius ; gg:reportedBy kb:study_boren_2011 ;
            gg:meanPercentMVIC -5.0 ; gg:sdPercentMVIC 3.0 ; gg:sampleSize 10 ;
            gg:evidenceStatus gg:Primary ; dcterms:source kb:study_boren_2011 .""")
    violations = [v for v in validate(data).violations if v.focus == "kb:act_bad"]
    assert len(violations) == 1 and "0 to 500" in violations[0].message


def test_a_measurement_must_say_its_n_and_sd_or_that_they_are_missing(graph):
    data = with_extra(graph, """
        kb:act_bare a gg:ActivationMeasurement ; rdfs:label "bare figure"@en ;
            gg:exercise kb:clamshell ; gg:muscle kb:gluteus_medius ; gg:reportedBy kb:study_boren_2011 ;
            gg:meanPercentMVIC 40.0 ; gg:activationLevel gg:ModerateActivation ;
            gg:evidenceStatus gg:Primary ; dcterms:source kb:study_boren_2011 .""")
    messages = " ".join(v.message for v in validate(data).violations if v.focus == "kb:act_bare")
    assert 'gg:notReported "n"' in messages and 'gg:notReported "sd"' in messages
    said = with_extra(graph, """
        kb:act_said a gg:ActivationMeasurement ; rdfs:label "figure with its gaps said"@en ;
            gg:exercise kb:clamshell ; gg:muscle kb:gluteus_medius ; gg:reportedBy kb:study_boren_2011 ;
            gg:meanPercentMVIC 40.0 ; gg:activationLevel gg:ModerateActivation ;
            gg:notReported "sd" ; gg:notRead "n" ;
            gg:evidenceStatus gg:Primary ; dcterms:source kb:study_boren_2011 .""")
    assert not [v for v in validate(said).violations if v.focus == "kb:act_said"]


def test_a_pooled_estimate_that_is_also_a_study_result_is_rejected(graph):
    data = with_extra(graph, """
        kb:pool_twice a gg:PooledEstimate , gg:ActivationMeasurement ; rdfs:label "counted twice"@en ;
            gg:exercise kb:clamshell ; gg:muscle kb:gluteus_medius ; gg:reportedBy kb:study_neto_2020 ;
            gg:meanPercentMVIC 40.0 ; gg:activationLevel gg:ModerateActivation ; gg:sdPercentMVIC 3.0 ;
            gg:sampleSize 10 ; gg:evidenceStatus gg:Primary ; dcterms:source kb:study_neto_2020 .""")
    checks = {v.check for v in validate(data).violations if v.focus == "kb:pool_twice"}
    assert "pooled-counted-as-result-violation.rq" in checks


def test_a_progression_shortcut_needs_its_node_and_no_cycle(graph):
    data = with_extra(graph, """
        kb:barbell_hip_thrust gg:progressesTo kb:glute_bridge .""")
    checks = {v.check for v in validate(data).violations}
    assert {"progression-without-node-violation.rq", "progression-cycle-violation.rq"} <= checks


def test_unknown_verdict_is_rejected(graph):
    data = with_extra(graph, """
        kb:claim_bad a gg:Claim ; rdfs:label "a claim with a made-up verdict"@en ;
            gg:claimText "Glutes are the best muscles." ; gg:verdict gg:Probably ;
            gg:evidence kb:study_contreras_2015 ; gg:about kb:gluteus_maximus ;
            gg:evidenceStatus gg:Primary ; dcterms:source kb:source_article .""")
    messages = {v.check: v.message for v in validate(data).violations if v.focus == "kb:claim_bad"}
    assert any("verdict must be" in m for m in messages.values())
    assert any("correction" in m for m in messages.values())


def test_misspelt_reference_is_caught_by_a_quality_check(graph):
    data = with_extra(graph, "kb:clamshell gg:primaryTarget kb:gluteus_medus .")
    checks = {v.check for v in validate(data).violations}
    assert "dangling-reference-violation.rq" in checks


def test_undeclared_property_is_caught(graph):
    data = with_extra(graph, "kb:clamshell gg:primaryTarge kb:gluteus_medius .")
    found = [v for v in validate(data).violations if v.check == "undeclared-term-violation.rq"]
    assert [v.focus for v in found] == ["gg:primaryTarge"]


def test_ameliorates_without_positive_evidence_is_caught(graph):
    data = with_extra(graph, "kb:nsaids gg:ameliorates kb:piriformis_syndrome .")
    checks = {v.check for v in validate(data).violations}
    assert "ameliorates-against-evidence-violation.rq" in checks


def test_cli_validate_exit_codes(tmp_path, capsys):
    good = Path(__file__).parent / "data" / "lab_extension.ttl"
    unsourced = tmp_path / "unsourced.ttl"  # a new statement about a bundled exercise
    unsourced.write_text(PREFIXES + 'kb:clamshell gg:secondaryTarget kb:gluteus_minimus .\n')
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + "<https://example.org/x> a gg:Exercise ; gg:primaryTarget kb:nowhere .\n")
    broken = tmp_path / "broken.ttl"
    broken.write_text(PREFIXES + "kb:clamshell gg:primaryTarget .\n")
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(unsourced)]) == 1
    assert "protected knowledge: kb:clamshell" in capsys.readouterr().out
    assert main(["validate", str(bad)]) == 1
    assert "kb:nowhere" in capsys.readouterr().out
    assert main(["validate", str(broken)]) == 2
    assert "broken.ttl" in capsys.readouterr().err


def test_a_bad_file_adds_nothing(tmp_path):
    from glutegraph.errors import DataFileError
    from glutegraph.rdf import parse_file

    target = load_rdflib()
    before = len(target)
    broken = tmp_path / "half.ttl"
    broken.write_text(PREFIXES + "kb:a gg:partOf kb:b .\nkb:c gg:partOf .\n")
    with pytest.raises(DataFileError, match=r"half\.ttl"):
        parse_file(broken, target)
    assert len(target) == before


def test_duplicate_label_is_caught(graph):
    data = with_extra(graph, 'kb:piriformis_again a gg:Muscle ; rdfs:label "Piriformis"@en .')
    found = [v for v in validate(data).violations if v.check == "duplicate-label-violation.rq"]
    assert len(found) == 1 and "piriformis_again" in found[0].message


# ------------------------------------------------------------------ checking an addition

BROKEN = {
    "exercise without its fields": """
        ex:crab a gg:Exercise ; rdfs:label "crab walk"@en ; dcterms:source kb:source_article .""",
    "measurement of a blank node exercise": """
        [] a gg:ActivationMeasurement ; rdfs:label "x / y: mean 10"@en ;
           gg:exercise [ a gg:Exercise ] ; gg:muscle kb:gluteus_medius ;
           gg:meanPercentMVIC 1200.0 ; gg:evidenceStatus gg:Primary ; dcterms:source kb:study_contreras_2015 .""",
    "group without members": """
        ex:g a gg:MuscleGroup ; rdfs:label "my group"@en ; dcterms:source kb:source_article ;
           obo:IAO_0000115 "A group of my own."@en .""",
    "member joins a group": """
        ex:m a gg:Muscle ; rdfs:label "my muscle"@en ; gg:partOf kb:hamstrings ;
           dcterms:source kb:source_article .""",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_checking_an_addition_finds_what_checking_the_whole_graph_finds(name):
    """add() checks the shapes on what a file describes; the verdicts match a full check."""
    import pyoxigraph as ox

    from glutegraph.namespaces import PREFIXES
    from glutegraph.store import as_derived, derive_triples, open_store
    from glutegraph.validation import validate_addition, validate_store

    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    text = prefixes + "@prefix ex: <https://example.org/> .\n" + BROKEN[name]
    added = list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    store = open_store()
    store.extend(added)
    derived = as_derived(derive_triples(store))
    whole = validate_store(store)
    part = validate_addition(store, [*added, *derived])
    assert not whole.conforms
    assert {(v.check, v.message) for v in part.violations} == {
        (v.check, v.message) for v in whole.violations}
