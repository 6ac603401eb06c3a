"""Protected knowledge: added files extend the bundled graph but never rewrite it.

Each attack is refused with a ProtectedKnowledgeError naming the triple and the fix, and the
graph (every quad of every graph, names, explanations) is as it was; legitimate extensions
are accepted; and an added fact is always shown with the file it came from. On the embedded
in-memory store and on an on-disk store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

import glutegraph as gg
from glutegraph.cli import main
from glutegraph.explain import Step
from glutegraph.graph import close_store
from glutegraph.protect import bundled

LAB = Path(__file__).parent / "data" / "lab_extension.ttl"

PREFIXES = """\
@prefix gg:      <https://w3id.org/glutegraph/ontology/> .
@prefix kb:      <https://w3id.org/glutegraph/kb/> .
@prefix lab:     <https://example.org/mylab/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix obo:     <http://purl.obolibrary.org/obo/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

#: A study of the user's own, to cite.
OWN_STUDY = """
lab:study_2026 a gg:Study ; rdfs:label "Lab study 2026"@en ;
    gg:firstAuthor "Doe J" ; gg:year 2026 ; gg:journal "unpublished" ;
    gg:url "https://example.org/mylab/study-2026"^^xsd:anyURI ; gg:studyDesign gg:CrossSectionalStudy ; gg:evidenceStatus gg:Primary ;
    dcterms:source lab:study_2026 .
"""

#: name -> (file text, a piece of the message that names the offending triple)
ATTACKS: dict[str, tuple[str, str]] = {
    "unsourced false fact about a bundled muscle": (
        "kb:gluteus_maximus gg:innervatedBy kb:superior_gluteal_nerve .",
        "`kb:gluteus_maximus gg:innervatedBy kb:superior_gluteal_nerve`"),
    "relabelled schema property": (
        'gg:innervatedBy rdfs:label "is not innervated by"@en .',
        'relabels the schema term gg:innervatedBy'),
    "redefined schema property range": (
        "gg:innervatedBy rdfs:range gg:Exercise .", "redefines the schema term gg:innervatedBy"),
    "new super-property of a schema property": (
        "gg:innervatedBy rdfs:subPropertyOf gg:partOf .", "redefines the schema term"),
    "new definition of a schema class": (
        'gg:Muscle obo:IAO_0000115 "A kind of exercise."@en .', "relabels the schema term gg:Muscle"),
    "retyped schema property": (
        "gg:innervatedBy a owl:DatatypeProperty .", "retypes the schema term gg:innervatedBy"),
    "relabelled ontology header": (
        '<https://w3id.org/glutegraph/ontology> rdfs:label "fake"@en .', "the schema term"),
    "undeclared gg: term given a meaning": (
        'gg:notInnervatedBy rdfs:label "not innervated by"@en .', "gg:notInnervatedBy"),
    "relabelled bundled entity": (
        'kb:gluteus_maximus rdfs:label "gluteus minimus"@en .',
        "relabels the bundled entity kb:gluteus_maximus"),
    "retyped bundled entity": (
        "kb:gluteus_maximus a gg:Exercise .", "retypes the bundled entity kb:gluteus_maximus"),
    "second value of a functional property": (
        "kb:ac_gluteus_maximus_extension gg:role gg:SecondaryMover .",
        "contradicts the bundled graph: `kb:ac_gluteus_maximus_extension gg:role "
        "gg:SecondaryMover` gives kb:ac_gluteus_maximus_extension a second gg:role"),
    "a source slipped onto a bundled entity": (
        OWN_STUDY + "kb:gluteus_maximus dcterms:source lab:study_2026 .",
        "`kb:gluteus_maximus dcterms:source <https://example.org/mylab/study_2026>`"),
    "a bundled study rewritten": (
        "kb:study_contreras_2015 gg:year 1900 .", "kb:study_contreras_2015"),
    "own node citing only a bundled study": (
        """lab:fake a gg:ActionContribution ; rdfs:label "gluteus maximus flexes the hip"@en ;
            gg:contributor kb:gluteus_maximus ; gg:action kb:hip_flexion ; gg:role gg:PrimeMover ;
            gg:evidenceStatus gg:Primary ; dcterms:source kb:study_contreras_2015 .""",
        "links to the bundled entity kb:gluteus_maximus from a node with no source of its own"),
    "own node without any source": (
        "lab:nerve_claim gg:supplies kb:gluteus_maximus .",
        "`<https://example.org/mylab/nerve_claim> gg:supplies kb:gluteus_maximus`"),
}

#: A new study with a finding about a bundled muscle, on its own node (HOW_TO_ADD's example).
FINDING = OWN_STUDY + """
lab:finding_gmax a gg:Finding ; rdfs:label "lab finding about gluteus maximus"@en ;
    gg:about kb:gluteus_maximus ; gg:reportedBy lab:study_2026 ;
    gg:finding "Gluteus maximus thickness rose after eight weeks of hip thrusts." ;
    gg:evidenceStatus gg:Primary ; dcterms:source lab:study_2026 .
"""

#: A contribution of the user's own: a (false) fact about two bundled entities, properly sourced.
CONTRIBUTION = OWN_STUDY + """
lab:ac_gmax_flexion a gg:ActionContribution ; rdfs:label "gluteus maximus in hip flexion (lab)"@en ;
    gg:contributor kb:gluteus_maximus ; gg:action kb:hip_flexion ; gg:role gg:SecondaryMover ;
    gg:evidenceStatus gg:Primary ; dcterms:source lab:study_2026 , kb:study_contreras_2015 .
"""

#: A new exercise with a measurement, in a file of its own.
EXERCISE = OWN_STUDY + """
lab:band_walk a gg:Exercise ; rdfs:label "lab band walk"@en ;
    obo:IAO_0000115 "Side steps with a resistance band above the knees, done in the lab."@en ;
    gg:trainsAction kb:hip_abduction ; gg:primaryTarget kb:gluteus_medius ;
    gg:laterality gg:SingleLeg ; gg:extensionPattern gg:HipOnlyExtension ; gg:complexity gg:Isolation ;
    gg:usesEquipment kb:elastic_band ;
    gg:dominantJoint gg:HipDominant ; gg:difficulty gg:Beginner ; dcterms:source lab:study_2026 .
lab:act_band_walk_medius a gg:ActivationMeasurement ;
    rdfs:label "lab band walk / gluteus medius: mean 40 %MVIC"@en ;
    gg:exercise lab:band_walk ; gg:muscle kb:gluteus_medius ; gg:reportedBy lab:study_2026 ;
    gg:meanPercentMVIC 40.0 ; gg:sdPercentMVIC 9.0 ; gg:sampleSize 12 ;
    gg:evidenceStatus gg:Primary ; dcterms:source lab:study_2026 .
"""


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(PREFIXES + body + "\n", encoding="utf-8")
    return path


def state(kg: gg.KnowledgeGraph) -> tuple[set[str], dict[str, str], list[str]]:
    """Every quad of every graph, the names, and an explanation: what an attack must not change."""
    assert isinstance(kg.store, ox.Store)
    quads = {str(q) for q in kg.store.quads_for_pattern(None, None, None, None)}
    why = [str(e) for e in kg.explain("gluteus maximus", "inferior gluteal nerve", max_paths=2)]
    return quads, dict(kg.names.labels), why


@pytest.fixture(scope="module", params=["in-memory", "on-disk"])
def kg(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
       ) -> Iterator[gg.KnowledgeGraph]:
    if request.param == "in-memory":
        yield gg.load()
        return
    folder = tmp_path_factory.mktemp("store") / "kg"
    yield gg.load(store=folder)
    close_store(folder)


# ------------------------------------------------------------------ attacks are refused


@pytest.mark.parametrize("name", list(ATTACKS))
def test_each_attack_is_refused_by_name_with_the_fix_and_the_graph_unchanged(
    kg: gg.KnowledgeGraph, tmp_path: Path, name: str
) -> None:
    text, named = ATTACKS[name]
    attack = write(tmp_path, "attack.ttl", text)
    before = state(kg)
    with pytest.raises(gg.ProtectedKnowledgeError) as err:
        kg.add(attack)
    message = str(err.value)
    assert named in message
    assert "attack.ttl" in message and "protected knowledge" in message
    assert "dcterms:source lab:my_study_2026" in message  # how to add it properly, by example
    assert isinstance(err.value, gg.ShapeViolationError)  # old handlers still catch it
    assert state(kg) == before


def test_the_false_fact_never_reaches_answers_or_explanations(kg: gg.KnowledgeGraph,
                                                              tmp_path: Path) -> None:
    lie = write(tmp_path, "lie.ttl", ATTACKS["unsourced false fact about a bundled muscle"][0])
    with pytest.raises(gg.ProtectedKnowledgeError):
        kg.add(lie)
    assert [n.label for n in kg.muscle("gluteus maximus").innervated_by] == [
        "inferior gluteal nerve"]
    assert kg.query("ASK { gg:innervatedBy rdfs:label ?l FILTER(CONTAINS(?l, 'not')) }") is False


def test_a_good_file_is_not_added_with_a_bad_one(kg: gg.KnowledgeGraph, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.ttl", ATTACKS["relabelled bundled entity"][0])
    before = state(kg)
    with pytest.raises(gg.ProtectedKnowledgeError, match=r"bad\.ttl"):
        kg.add(LAB, bad)
    assert state(kg) == before


def test_load_validate_and_upload_refuse_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                ) -> None:
    lie = write(tmp_path, "lie.ttl", ATTACKS["unsourced false fact about a bundled muscle"][0])
    with pytest.raises(gg.ProtectedKnowledgeError):
        gg.load([lie])
    assert main(["validate", str(lie)]) == 1
    out = capsys.readouterr().out
    assert "protected knowledge: kb:gluteus_maximus" in out and "dcterms:source" in out
    with pytest.raises(gg.ProtectedKnowledgeError):  # refused before anything is sent
        gg.upload("http://127.0.0.1:9/store", [lie])


def test_restating_a_bundled_triple_exactly_is_harmless(tmp_path: Path) -> None:
    same = write(tmp_path, "same.ttl", "kb:gluteus_maximus gg:innervatedBy kb:inferior_gluteal_nerve .")
    kg = gg.load()
    assert kg.add(same) == 0


def test_the_bundled_set_is_read_once_and_is_cached() -> None:
    assert bundled() is bundled()
    assert "https://w3id.org/glutegraph/kb/gluteus_maximus" in bundled().subjects
    assert "https://w3id.org/glutegraph/ontology/role" in bundled().functional


# ------------------------------------------------------------------ extensions are accepted


def test_the_lab_example_is_accepted_and_named_as_its_source(tmp_path: Path) -> None:
    kg = gg.load()
    assert kg.add(LAB) > 0
    mine = next(r for r in kg.exercises(target="gluteus medius")
                if r.exercise.label == "landmine hip thrust")
    assert mine.best.added_from == [str(LAB.resolve())]
    assert [s.label for s in mine.best.sources] == ["Lab pilot 2026"]
    assert kg.muscle("gluteus medius").added_from == []  # nothing about it was rewritten


@pytest.mark.parametrize("body", [EXERCISE, FINDING, CONTRIBUTION],
                         ids=["new exercise with a measurement", "new study with a finding",
                              "own contribution node"])
def test_legitimate_extensions_are_accepted(tmp_path: Path, body: str) -> None:
    kg = gg.load()
    assert kg.add(write(tmp_path, "mine.ttl", body)) > 0


def test_a_finding_about_a_bundled_muscle_is_told_with_its_file(tmp_path: Path) -> None:
    mine = write(tmp_path, "finding.ttl", FINDING)
    kg = gg.load([mine])
    finding = kg.entity("lab finding about gluteus maximus")
    assert type(finding).__name__ == "Finding"
    assert finding.added_from == [str(mine.resolve())]
    assert [s.label for s in finding.sources] == ["Lab study 2026"]


# ------------------------------------------------------------------ provenance


def steps(kg: gg.KnowledgeGraph, a: str, b: str) -> list[Step]:
    return [s for e in kg.explain(a, b, max_paths=10) for s in e.steps]


def test_an_added_fact_is_explained_with_its_file_never_with_bundled_citations_alone(
    tmp_path: Path,
) -> None:
    mine = write(tmp_path, "contribution.ttl", CONTRIBUTION)
    kg = gg.load([mine])
    added = [s for s in steps(kg, "gluteus maximus", "hip flexion")
             if "Contreras 2015" in "".join(s.sources) and s.object == "hip flexion"]
    assert added, "the added contribution is explained"
    for step in added:  # it cites a bundled study, but the file is named beside it
        assert step.added_from == (str(mine.resolve()),)
        assert "Lab study 2026" in step.sources
        assert str(step).endswith("{added from contribution.ttl}")
    [contribution] = [c for c in kg.muscles("hip flexion") if c.iri.endswith("ac_gmax_flexion")]
    assert contribution.added_from == [str(mine.resolve())]
    muscle = kg.muscle("gluteus maximus")  # nested in the bundled muscle's model, it is marked
    assert {a.action.label: a.added_from for a in muscle.actions}["hip flexion"] == [
        str(mine.resolve())]
    assert muscle.added_from == []  # the bundled muscle itself was not rewritten


def test_bundled_steps_name_no_file_and_added_ones_do(tmp_path: Path) -> None:
    kg = gg.load([LAB])
    found = steps(kg, "landmine hip thrust", "gluteus medius")
    assert found
    for step in found:
        from_lab = step.subject == "landmine hip thrust"
        assert bool(step.added_from) == from_lab, step
        assert ("{added from lab_extension.ttl}" in str(step)) == from_lab
    edges = kg.to_networkx().edges(data=True)
    assert all(d["added_from"] == [] for u, _, d in edges if not u.startswith("https://example.org/"))


def test_provenance_survives_reopening_and_rebuilding_an_on_disk_store(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    kg = gg.load([LAB], store=folder)
    want = [str(LAB.resolve())]
    assert kg.exercise("landmine hip thrust").added_from == want
    close_store(folder)
    del kg
    for rebuild in (False, True):
        again = gg.load(store=folder, rebuild=rebuild)
        assert again.exercise("landmine hip thrust").added_from == want
        line = str(again.explain("landmine hip thrust", "gluteus medius", max_paths=1)[0])
        assert re.search(r"\{added from lab_extension\.ttl\}$", line)
        with pytest.raises(gg.ProtectedKnowledgeError):  # and an attack is refused there too
            again.add(write(tmp_path, "lie.ttl", ATTACKS["relabelled bundled entity"][0]))
        close_store(folder)
        del again


def test_the_example_in_the_error_message_is_accepted(tmp_path: Path) -> None:
    from glutegraph.protect import HOW_TO_ADD

    example = HOW_TO_ADD.split("e.g.:\n", 1)[1].split("(tests/data", 1)[0]
    kg = gg.load()
    assert kg.add(write(tmp_path, "example.ttl", example)) > 0
