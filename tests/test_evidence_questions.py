"""Competency questions about the evidence base: the conditions a clinician meets at the hip,
their tests, treatments and cautions, the exercise catalogue and its progressions, the EMG
literature and the reviews, the anatomy they need, and the article's corrected claims.

Every question runs on the embedded store and on a real Oxigraph server (conftest's any_kg).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import glutegraph as gg


@pytest.fixture
def kg(any_kg) -> gg.KnowledgeGraph:
    return any_kg


def labels(refs) -> set[str]:
    return {r.label for r in refs}


def accuracy(condition) -> dict[str, set[tuple[Decimal, Decimal]]]:
    found: dict[str, set[tuple[Decimal, Decimal]]] = {}
    for a in condition.test_accuracy:
        found.setdefault(a.test.label, set()).add((a.sensitivity, a.specificity))
    return found


# ------------------------------------------------------------------ lateral hip pain

def test_which_conditions_present_with_lateral_hip_pain(kg):
    assert {c.label for c in kg.conditions(symptom="lateral hip pain")} == {
        "gluteal tendinopathy", "gluteal tendon tear"}


def test_what_gluteal_tendinopathy_involves_including_the_trochanteric_bursae(kg):
    gt = kg.condition("greater trochanteric pain syndrome")  # a related synonym finds it
    assert gt.label == "gluteal tendinopathy"
    assert {"gluteus medius", "gluteus minimus", "greater trochanter", "trochanteric bursa",
            "subgluteus medius bursa", "subgluteus minimus bursa"} == labels(gt.involves)


def test_gluteal_tendinopathy_codes_are_close_or_broad_matches_never_cross_references(kg):
    gt = kg.condition("gluteal tendinopathy")
    assert gt.xrefs == []
    assert set(gt.close_match_codes) == {"ICD10CM:M76.0", "ICD10CM:M70.6"}
    assert "ICD10CM:M25.55" in gt.broad_match_codes


def test_which_tests_detect_gluteal_tendinopathy_and_how_well(kg):
    found = accuracy(kg.condition("gluteal tendinopathy"))
    assert found["single-leg stance test (30 seconds)"] == {
        (Decimal("1"), Decimal("0.973")), (Decimal("0.38"), Decimal("1"))}  # Lequesne; Grimaldi
    assert found["Fearon clinical rule for greater trochanteric pain syndrome"] == {
        (Decimal("0.81"), Decimal("0.82"))}


def test_the_two_single_leg_stance_studies_used_different_reference_standards(kg):
    stance = [a for a in kg.condition("gluteal tendinopathy").test_accuracy
              if a.test.label == "single-leg stance test (30 seconds)"]
    by_study = {a.study.label.split(",")[0]: a for a in stance}
    assert set(by_study) == {"Lequesne 2008", "Grimaldi 2017"}
    assert "MRI" in by_study["Grimaldi 2017"].reference_standard
    assert by_study["Grimaldi 2017"].sample_size == 65


def test_what_treats_gluteal_tendinopathy_strongest_first(kg):
    ranked = [(t.treatment.label, t.strength.label) for t in kg.treatments("gluteal tendinopathy")]
    assert ranked[0][1] == "moderate evidence"
    assert ("load-management education plus exercise", "moderate evidence") in ranked
    assert ranked[-1] == ("wait and see", "evidence against")


def test_corticosteroid_injection_helps_short_term_but_not_at_a_year(kg):
    injection = [t for t in kg.treatments("gluteal tendinopathy")
                 if t.treatment.label == "corticosteroid injection at the greater trochanter"]
    effects = {(t.strength.label, t.effect_direction.label) for t in injection}
    assert effects == {("moderate evidence", "favours the treatment"),
                       ("evidence against", "no clear difference")}
    assert "gluteal tendinopathy" not in labels(kg.treatment(
        "corticosteroid injection at the greater trochanter").ameliorates)


def test_the_leap_trial_compares_education_and_exercise_with_injection_and_wait_and_see(kg):
    [leap] = [t for t in kg.treatments("gluteal tendinopathy")
              if t.treatment.label == "load-management education plus exercise"]
    assert "kb:study_mellor_2018" in {s.curie for s in leap.studies}
    assert "corticosteroid injection" in leap.comparator and "wait and see" in leap.comparator
    assert leap.effect_direction.label == "favours the treatment"


def test_what_to_avoid_with_gluteal_tendinopathy(kg):
    cautions = kg.cautions("gluteal tendinopathy")
    avoid = [k for k in cautions if k.advice.label == "avoid"]
    assert len(avoid) >= 3 and all("hip adduction" in labels(k.about) for k in avoid)
    assert all(k.sources for k in cautions)
    sources = {s.label for k in cautions for s in k.sources}
    assert any(s.startswith("Grimaldi") for s in sources)


def test_which_exercises_to_modify_with_gluteal_tendinopathy_and_how(kg):
    about_side_lying = kg.cautions("gluteal tendinopathy", about="side-lying hip abduction")
    assert [k.advice.label for k in about_side_lying] == ["modify"]
    assert "isometric" in about_side_lying[0].modification
    assert "clamshell" in labels(about_side_lying[0].about)


def test_an_exercise_knows_the_cautions_that_name_it(kg):
    clamshell = kg.exercise("clamshell")
    assert {k.condition.label for k in clamshell.cautions} == {"gluteal tendinopathy"}


# ------------------------------------------------------------------ the other conditions

def test_hip_osteoarthritis_has_its_identifiers_and_strong_evidence_for_exercise(kg):
    oa = kg.condition("hip osteoarthritis")
    assert {"MONDO:0006629", "MESH:D015207"} <= set(oa.xrefs)
    assert [r.curie for r in oa.exact_matches] == ["obo:MONDO_0006629"]
    [first, *_] = kg.treatments("hip osteoarthritis")
    assert (first.treatment.label, first.strength.label) == ("exercise therapy", "strong evidence")
    assert "kb:study_fransen_2014" in {s.curie for s in first.studies}


def test_multimodal_physiotherapy_for_hip_osteoarthritis_did_no_better_than_sham(kg):
    [pt] = [t for t in kg.treatments("hip osteoarthritis") if t.treatment.label == "physical therapy"]
    assert (pt.strength.label, pt.effect_direction.label) == ("evidence against", "no clear difference")
    assert "hip osteoarthritis" not in labels(kg.treatment("physical therapy").ameliorates)


def test_hip_strengthening_for_patellofemoral_pain(kg):
    found = {t.treatment.label: t.strength.label for t in kg.treatments("patellofemoral pain")}
    assert found["combined hip and knee exercise"] == "moderate evidence"
    assert found["hip strengthening exercise"] == "limited evidence"
    assert "patellofemoral pain" in labels(kg.treatment("hip strengthening exercise").ameliorates)


def test_proximal_hamstring_tendinopathy_tests_measured_against_mri(kg):
    pht = kg.condition("proximal hamstring tendinopathy")
    found = accuracy(pht)
    assert found["modified bent-knee stretch test"] == {(Decimal("0.89"), Decimal("0.91"))}
    assert found["Puranen-Orava test"] == {(Decimal("0.76"), Decimal("0.82"))}
    assert {a.sample_size for a in pht.test_accuracy} == {92}


def test_what_to_avoid_with_proximal_hamstring_tendinopathy(kg):
    advice = {k.label.partition(": ")[2]: k.advice.label for k in kg.cautions("proximal hamstring tendinopathy")}
    assert advice["avoid aggressive static hamstring stretching"] == "avoid"
    assert advice["break up prolonged sitting"] == "modify"


def test_iliotibial_band_syndrome_and_hip_abductor_strengthening(kg):
    itbs = kg.condition("iliotibial band syndrome")
    assert {"ICD10CM:M76.3"} == set(itbs.xrefs) and "iliotibial tract" in labels(itbs.involves)
    [hip] = kg.treatments("iliotibial band syndrome")
    assert (hip.treatment.label, hip.strength.label) == ("hip strengthening exercise", "limited evidence")
    assert {"Ober test", "Noble compression test"} <= labels(itbs.tests)
    assert itbs.test_accuracy == []  # no accuracy study exists for them


def test_adding_hip_strengthening_for_low_back_pain_shows_no_clear_difference(kg):
    found = {t.treatment.label: (t.strength.label, t.effect_direction.label)
             for t in kg.treatments("low back pain")}
    assert found["exercise therapy"] == ("moderate evidence", "favours the treatment")
    assert found["hip strengthening exercise"] == ("limited evidence", "no clear difference")
    assert "low back pain" not in labels(kg.treatment("hip strengthening exercise").ameliorates)


def test_superior_gluteal_nerve_injury_shows_as_trendelenburg_gait(kg):
    sgn = kg.condition("superior gluteal nerve injury")
    assert {"superior gluteal nerve", "gluteus medius", "gluteus minimus",
            "tensor fasciae latae"} == labels(sgn.involves)
    assert {"Trendelenburg gait", "pelvic drop in single-leg stance"} <= labels(sgn.symptoms)
    assert [r.curie for r in sgn.broad_matches] == ["obo:MONDO_0001397"] and sgn.xrefs == []


def test_how_well_the_trendelenburg_sign_detects_gluteal_tendon_tears(kg):
    tears = accuracy(kg.condition("gluteal tendon tear"))
    assert (Decimal("0.727"), Decimal("0.769")) in tears["Trendelenburg sign"]
    assert tears["resisted internal rotation test for gluteus medius tears"] == {
        (Decimal("0.92"), Decimal("0.85"))}


def test_piriformis_syndrome_codes_under_a_broader_sciatic_nerve_lesion(kg):
    piriformis = kg.condition("piriformis syndrome")
    assert piriformis.broad_match_codes == ["ICD10CM:G57.00"]
    assert "MONDO:0043320" in piriformis.xrefs


# ------------------------------------------------------------------ exercises and progressions

def test_exercises_for_a_beginner_include_every_level_one(kg):
    beginner = {r.exercise.label for r in kg.exercises(difficulty="beginner")}
    assert {"glute bridge", "clamshell", "goblet squat", "side-lying hip abduction"} <= beginner
    assert "barbell hip thrust" not in beginner and len(beginner) >= 40


def test_which_exercises_are_hip_dominant(kg):
    by_joint = {}
    for r in kg.exercises():
        e = kg.exercise(r.exercise.iri)
        by_joint.setdefault(e.dominant_joint.label, set()).add(e.label)
    assert {"barbell hip thrust", "glute bridge", "clamshell", "sumo deadlift"} <= by_joint["hip-dominant"]
    assert {"back squat", "goblet squat", "leg press", "split squat"} <= by_joint["knee-dominant"]


def test_a_curated_exercise_has_instructions_and_its_open_data_record(kg):
    goblet = kg.exercise("goblet squat")
    assert goblet.free_exercise_db_id == "Goblet_Squat" and goblet.difficulty.label == "beginner"
    assert goblet.instructions and len(goblet.instructions.split(". ")) >= 2
    assert goblet.dominant_joint.label == "knee-dominant"


def test_a_progression_from_the_glute_bridge(kg):
    bridge = kg.exercise("glute bridge")
    assert {"single-leg bridge", "barbell glute bridge"} <= labels(bridge.progresses_to)
    [step] = [p for p in bridge.harder_steps if p.harder.label == "single-leg bridge"]
    assert labels(step.kinds) == {"one leg instead of two"}
    assert "kb:study_philippon_2011" in {e.curie for e in step.evidence}


def test_a_squat_progression_from_body_weight_to_the_barbell(kg):
    chain = {(p.easier.label, p.harder.label) for p in kg.progressions()}
    assert {("bodyweight squat", "goblet squat"), ("goblet squat", "back squat")} <= chain


def test_what_to_do_before_the_bulgarian_split_squat(kg):
    before = labels(kg.exercise("Bulgarian split squat").regresses_to)
    assert "split squat" in before


# ------------------------------------------------------------------ EMG and reviews

def test_the_review_pools_hip_thrusts_from_five_studies(kg):
    [pooled] = kg.pooled_estimates(exercise="barbell hip thrust", review="study_neto_2020")
    assert (pooled.mean_mvic, pooled.min_mvic, pooled.max_mvic) == (
        Decimal("75.41"), Decimal("49.2"), Decimal("105"))
    assert pooled.study_count == 5 and pooled.activation_level.label == "very high activation"


def test_the_plank_figure_is_pooled_from_boren_not_counted_twice(kg):
    [pooled] = kg.pooled_estimates(review="study_macadam_2019",
                                   exercise="plank with bent-leg hip extension")
    assert [s.curie for s in pooled.pools] == ["kb:study_boren_2011"]
    results = kg.measurements(exercise="plank with bent-leg hip extension", muscle="gluteus maximus")
    assert [(m.study.curie, m.peak_mvic) for m in results] == [("kb:study_boren_2011", Decimal("106"))]


def test_boren_reported_average_peaks_not_means(kg):
    boren = kg.measurements(study="study_boren_2011")
    assert len(boren) == 10 and all(m.mean_mvic is None and m.peak_mvic for m in boren)
    assert all("mean" in m.not_read for m in boren)


def test_a_flagged_step_up_review_figure_ranks_last_and_says_why(kg):
    pooled = kg.pooled_estimates(review="study_neto_2020")
    assert pooled[-1].exercise.label == "forward step-up" and "Simenz" in pooled[-1].concerns[0]


def test_which_gluteus_medius_figures_are_very_high(kg):
    very_high = {(m.exercise.label, m.mean_mvic) for m in kg.measurements(muscle="gluteus medius")
                 if m.activation_level and m.activation_level.label == "very high activation"
                 and not m.concerns}
    assert {("side-lying hip abduction", Decimal("99.9")),
            ("side-lying hip abduction", Decimal("81"))} <= very_high


def test_side_lying_abduction_compared_across_three_studies(kg):
    found = kg.measurements(exercise="side-lying hip abduction", muscle="gluteus medius")
    assert {m.study.curie for m in found} >= {"kb:study_macaskill", "kb:study_distefano_2009",
                                              "kb:study_mcbeth_2012"}
    tfl = kg.measurements(exercise="side-lying hip abduction", muscle="tensor fasciae latae")
    assert [(m.mean_mvic, m.sd_mvic) for m in tfl if m.study.curie == "kb:study_mcbeth_2012"] == [
        (Decimal("54.3"), Decimal("19.1"))]


# ------------------------------------------------------------------ anatomy and the article

def test_the_deep_six_has_six_members(kg):
    group = kg.muscle("deep six")
    assert labels(group.parts) == {"piriformis", "superior gemellus", "inferior gemellus",
                                   "obturator internus", "obturator externus", "quadratus femoris"}
    externus = kg.muscle("obturator externus")
    assert "UBERON:0001368" in externus.xrefs and labels(externus.innervated_by) == {"obturator nerve"}


def test_uberons_gluteal_muscle_class_is_broader_than_the_three_glutei(kg):
    glutes = kg.muscle("gluteal muscles")
    assert glutes.xrefs == [] and [r.curie for r in glutes.broad_matches] == ["obo:UBERON_0002000"]
    assert labels(glutes.parts) == {"gluteus maximus", "gluteus medius", "gluteus minimus"}


def test_the_article_claims_the_evidence_does_not_support(kg):
    assert {c.label for c in kg.claims("not supported")} == {
        "squats and lunges focus the lower glutes", "the hip thrust is the number one glute exercise"}


def test_corrected_verdicts_for_minimus_extension_and_wide_stance(kg):
    assert kg.claim("claim_minimus_function").verdict.label == "qualified"
    stance = kg.claim("claim_wider_stance")
    assert stance.verdict.label == "qualified" and "load" in stance.correction
    upper = kg.claim("claim_upper_glutes_abduction")
    assert "Selkowitz 2013" in upper.correction and "fine-wire" in upper.correction
