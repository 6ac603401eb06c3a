"""How the evidence base is modelled: derived activation levels, pooled estimates kept apart,
what a measurement leaves out said explicitly, progressions without cycles, cautions."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import glutegraph as gg
from glutegraph.files import kb_files
from glutegraph.graph import close_store
from glutegraph.store import derive, open_store

LEVELS = ("LowActivation", "ModerateActivation", "HighActivation", "VeryHighActivation")


@pytest.fixture
def kg(any_kg) -> gg.KnowledgeGraph:
    return any_kg


def band(mean: Decimal) -> str:
    return LEVELS[0 if mean <= 20 else 1 if mean <= 40 else 2 if mean <= 60 else 3]


def test_every_figure_with_a_mean_has_the_level_its_mean_gives(kg):
    rows = kg.query("""SELECT ?m ?mean ?level WHERE {
        ?m gg:meanPercentMVIC ?mean . OPTIONAL { ?m gg:activationLevel ?level } }""")
    assert len(rows) >= 130
    wrong = [(r.m, r.mean, r.level) for r in rows
             if r.level is None or not r.level.endswith("/" + band(r.mean))]
    assert wrong == []


def test_the_levels_are_derived_not_typed_by_hand():
    typed = [p.name for p in kb_files() if "activationLevel" in p.read_text(encoding="utf-8")]
    assert typed == []


def test_a_measurement_you_add_gets_its_level(tmp_path: Path):
    mine = tmp_path / "lab.ttl"
    mine.write_text(Path("tests/data/lab_extension.ttl").read_text(encoding="utf-8"))
    kg = gg.load([mine])
    found = kg.measurements(study="Lab pilot 2026")
    assert found and all(m.activation_level is not None for m in found)
    assert {m.activation_level.label for m in found} <= {
        "low activation", "moderate activation", "high activation", "very high activation"}


def test_an_on_disk_store_keeps_the_derived_levels_through_reopen_and_rebuild(tmp_path: Path):
    folder = tmp_path / "store"
    kg = gg.load([Path("tests/data/lab_extension.ttl")], store=folder)
    assert kg.measurements(study="Lab pilot 2026")[0].activation_level.label == "very high activation"
    close_store(folder)
    del kg
    for rebuild in (False, True):
        again = gg.load(store=folder, rebuild=rebuild)
        [mine] = again.measurements(study="Lab pilot 2026")
        assert mine.activation_level.label == "very high activation"
        assert again.query("ASK { ?m gg:meanPercentMVIC ?x FILTER NOT EXISTS { ?m gg:activationLevel ?l } }") is False
        close_store(folder)
        del again


def test_a_hand_typed_level_that_contradicts_the_mean_is_refused(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix gg: <https://w3id.org/glutegraph/ontology/> .
@prefix kb: <https://w3id.org/glutegraph/kb/> .
kb:act_contreras_2015_hip_thrust_upper gg:activationLevel gg:LowActivation .
""")
    with pytest.raises(gg.ProtectedKnowledgeError, match="bundled entity"):  # not your node
        gg.load([bad])
    own = tmp_path / "own.ttl"  # on a measurement of your own, the check compares it with the mean
    own.write_text(Path("tests/data/lab_extension.ttl").read_text(encoding="utf-8").replace(
        "gg:meanPercentMVIC 150.0 ;", "gg:meanPercentMVIC 150.0 ; gg:activationLevel gg:LowActivation ;"))
    with pytest.raises(gg.ShapeViolationError, match="activation-level"):
        gg.load([own])


def test_deriving_twice_adds_nothing():
    store = open_store()
    assert derive(store) == 0


def test_pooled_estimates_are_never_study_results(kg):
    pooled = kg.pooled_estimates()
    assert len(pooled) >= 10
    results = {m.iri for m in kg.measurements()}
    assert results.isdisjoint({p.iri for p in pooled})
    for p in pooled:
        assert p.review is not None and p.exercise is not None and p.muscle is not None
        assert p.mean_mvic is not None or p.min_mvic is not None
    ranked = kg.exercises(target="gluteus maximus")
    measured = {m.iri for r in ranked for m in r.measurements}
    assert measured.isdisjoint({p.iri for p in pooled})


def test_a_pooled_estimate_names_the_studies_it_pools(kg):
    pooled = [p for p in kg.pooled_estimates() if p.pools]
    assert pooled, "at least some pooled estimates link the studies they summarise"
    studies = {s.iri for s in kg.studies()}
    assert all(s.iri in studies for p in pooled for s in p.pools)


def test_every_measurement_says_its_n_and_sd_or_that_they_are_missing(kg):
    rows = kg.query("""SELECT ?m WHERE { ?m a gg:ActivationMeasurement .
        FILTER NOT EXISTS { ?m gg:sampleSize ?n }
        FILTER NOT EXISTS { ?m gg:notReported|gg:notRead "n" } }""")
    assert rows == []
    rows = kg.query("""SELECT ?m WHERE { ?m a gg:ActivationMeasurement ; gg:meanPercentMVIC ?x .
        FILTER NOT EXISTS { ?m gg:sdPercentMVIC ?sd }
        FILTER NOT EXISTS { ?m gg:notReported|gg:notRead "sd" } }""")
    assert rows == []


def test_the_electrode_type_is_stored_where_the_study_says_it(kg):
    rows = kg.query("""SELECT ?electrode (COUNT(?m) AS ?n) WHERE { ?m a gg:ActivationMeasurement ;
        gg:electrode ?electrode } GROUP BY ?electrode""")
    counts = {r.electrode.rsplit("/", 1)[1]: r.n for r in rows}
    assert set(counts) <= {"SurfaceElectrode", "FineWireElectrode"} and counts["SurfaceElectrode"] >= 30
    hip_thrust = kg.measurements(exercise="barbell hip thrust", study="study_contreras_2015")
    assert {m.electrode.label for m in hip_thrust} == {"surface EMG"}


def test_progressions_run_one_way_and_are_backed(kg):
    steps = kg.progressions()
    assert len(steps) >= 10
    pairs = {(p.easier.iri, p.harder.iri) for p in steps}
    assert all((b, a) not in pairs for a, b in pairs)
    assert all(p.kinds and p.finding and p.sources for p in steps)
    bridge = kg.exercise("glute bridge")
    assert "single-leg bridge" in {r.label for r in bridge.progresses_to}
    assert "glute bridge" in {r.label for r in kg.exercise("single-leg bridge").regresses_to}


def test_every_exercise_has_a_level_and_a_dominant_joint(kg):
    everything = {r.exercise.iri for r in kg.exercises()}
    assert len(everything) >= 80
    by_level = set()
    for level in ("beginner", "intermediate", "expert"):
        by_level |= {r.exercise.iri for r in kg.exercises(difficulty=level)}
    assert by_level == everything
    missing = kg.query("""SELECT ?e WHERE { ?e a gg:Exercise .
        FILTER NOT EXISTS { ?e gg:dominantJoint ?d } }""")
    assert missing == []


def test_a_caution_says_avoid_or_modify_and_why(kg):
    cautions = kg.cautions()
    assert len(cautions) >= 5
    for k in cautions:
        assert k.advice is not None and k.finding and k.sources and k.about
        if k.advice.iri.endswith("ModifyAdvice"):
            assert k.modification
    advice = [k.advice.iri.endswith("AvoidAdvice") for k in cautions if k.condition and
              k.condition.label == "gluteal tendinopathy"]
    assert advice == sorted(advice, reverse=True)  # "avoid" first


def test_broad_matches_are_not_cross_references(kg):
    piriformis = kg.condition("piriformis syndrome")
    assert "ICD10CM:G57.00" in piriformis.broad_match_codes
    assert "ICD10CM:G57.00" not in piriformis.xrefs


def test_the_fair_figures_belong_to_the_electrophysiological_test(kg):
    assert kg.test("FAIR test").accuracy == []
    [acc] = kg.test("electrophysiological FAIR test").accuracy
    assert (acc.sensitivity, acc.specificity, acc.sample_size) == (
        Decimal("0.881"), Decimal("0.832"), 918)
    assert "working definition" in (acc.reference_standard or "")


def test_no_source_file_names_an_identifier_twice_under_two_meanings():
    # a CURIE typed as an exact cross-reference and as a broad/close match would say both
    text = "\n".join(p.read_text(encoding="utf-8") for p in kb_files())
    xrefs = set(re.findall(r'hasDbXref[^;.]*', text))
    broad = set(re.findall(r'(?:broad|close)MatchCode "([^"]+)"', text))
    assert not any(code in x for code in broad for x in xrefs)
