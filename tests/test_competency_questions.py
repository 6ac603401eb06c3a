"""Competency questions: each test is a question a user asks, answered from the RDF files alone."""

from __future__ import annotations

from decimal import Decimal

from conftest import ask, kb

# ------------------------------------------------------------------ muscles and anatomy

def test_which_muscles_abduct_the_hip(graph):
    rows = ask(graph, """
        SELECT DISTINCT ?muscle WHERE {
          ?c gg:action kb:hip_abduction ; gg:contributor ?part .
          ?part gg:partOf* ?muscle . ?muscle a gg:Muscle .
        }""")
    muscles = {r[0] for r in rows}
    assert {"gluteus_medius", "gluteus_minimus", "tensor_fasciae_latae", "piriformis",
            "gluteus_maximus"} <= muscles
    assert "iliopsoas" not in muscles


def test_which_muscles_are_prime_movers_of_hip_abduction(graph):
    rows = ask(graph, """
        SELECT ?muscle WHERE { ?c gg:action kb:hip_abduction ; gg:role gg:PrimeMover ;
                                 gg:contributor ?muscle . }""")
    assert {r[0] for r in rows} == {"gluteus_medius", "gluteus_minimus"}


def test_what_innervates_gluteus_medius_and_from_which_roots(graph):
    rows = ask(graph, """
        SELECT ?nerve ?level WHERE { kb:gluteus_medius gg:innervatedBy ?nerve .
          ?nerve gg:hasSpinalRoot/gg:spinalLevel ?level } ORDER BY ?level""")
    assert {r[0] for r in rows} == {"superior_gluteal_nerve"}
    assert [r[1] for r in rows] == ["L4", "L5", "S1"]


def test_gluteus_maximus_is_innervated_by_inferior_gluteal_nerve_l5_to_s2(graph):
    rows = ask(graph, """
        SELECT ?level WHERE { kb:gluteus_maximus gg:innervatedBy/gg:hasSpinalRoot ?r .
          ?r gg:spinalLevel ?level ; gg:spinalOrder ?o } ORDER BY ?o""")
    assert [r[0] for r in rows] == ["L5", "S1", "S2"]


def test_which_muscles_does_the_superior_gluteal_nerve_supply(graph):
    rows = ask(graph, "SELECT ?m WHERE { ?m gg:innervatedBy kb:superior_gluteal_nerve }")
    assert {r[0] for r in rows} == {"gluteus_medius", "gluteus_minimus", "tensor_fasciae_latae"}


def test_where_does_gluteus_maximus_insert(graph):
    rows = ask(graph, "SELECT ?site WHERE { kb:gluteus_maximus gg:hasInsertion ?site }")
    assert {r[0] for r in rows} == {"iliotibial_tract", "gluteal_tuberosity"}


def test_which_muscles_insert_on_the_greater_trochanter(graph):
    rows = ask(graph, "SELECT ?m WHERE { ?m gg:hasInsertion kb:greater_trochanter }")
    assert {"gluteus_medius", "gluteus_minimus", "piriformis"} <= {r[0] for r in rows}


def test_what_is_the_uberon_id_of_gluteus_medius(graph):
    rows = ask(graph, """SELECT ?x WHERE { kb:gluteus_medius oboInOwl:hasDbXref ?x
                          FILTER STRSTARTS(?x, "UBERON:") }""")
    assert rows == [("UBERON:0001371",)]


def test_which_regions_does_gluteus_maximus_have(graph):
    rows = ask(graph, "SELECT ?r WHERE { ?r a gg:MuscleRegion ; gg:partOf kb:gluteus_maximus }")
    assert {r[0] for r in rows} == {"gluteus_maximus_upper", "gluteus_maximus_lower"}


def test_upper_and_lower_gluteus_maximus_act_differently_in_the_frontal_plane(graph):
    rows = ask(graph, """SELECT ?region ?action WHERE {
        ?c gg:contributor ?region ; gg:action ?action . ?region gg:partOf kb:gluteus_maximus }""")
    assert set(rows) == {("gluteus_maximus_upper", "hip_abduction"),
                         ("gluteus_maximus_lower", "hip_adduction")}


def test_antagonists_of_gluteus_maximus_via_opposing_actions(graph):
    rows = ask(graph, """
        SELECT DISTINCT ?antagonist WHERE {
          ?c1 gg:contributor kb:gluteus_maximus ; gg:action ?a ; gg:role gg:PrimeMover .
          ?a gg:opposes|^gg:opposes ?b .  # gg:opposes is symmetric; data states one direction
          ?c2 gg:action ?b ; gg:role gg:PrimeMover ; gg:contributor ?antagonist .
        }""")
    assert {"iliopsoas", "gluteus_minimus"} <= {r[0] for r in rows}


def test_which_muscles_does_the_sciatic_nerve_run_near(graph):
    rows = ask(graph, "SELECT ?place WHERE { kb:sciatic_nerve gg:locatedIn ?place }")
    assert "greater_sciatic_foramen" in {r[0] for r in rows}
    rows = ask(graph, "SELECT ?m WHERE { ?m gg:locatedIn kb:greater_sciatic_foramen ; a gg:Muscle }")
    assert rows == [("piriformis",)]


# ------------------------------------------------------------------ position-dependent actions

POSITION_QUERY = """
    SELECT ?action ?status WHERE {
      ?c gg:contributor ?muscle ; gg:action ?action ; gg:evidenceStatus ?status .
      # a contribution with no position holds throughout; one with a position only inside its range
      FILTER NOT EXISTS { ?c gg:inHipPosition ?p . ?p gg:hipFlexionMin ?lo ; gg:hipFlexionMax ?hi .
                          FILTER(?angle < ?lo || ?angle > ?hi) }
    }"""


def test_what_does_piriformis_do_with_the_hip_extended(graph):
    rows = ask(graph, POSITION_QUERY, muscle=kb("piriformis"), angle=Decimal(0))
    assert {r[0] for r in rows} == {"hip_external_rotation"}


def test_what_does_piriformis_do_at_90_degrees_of_hip_flexion(graph):
    rows = ask(graph, POSITION_QUERY, muscle=kb("piriformis"), angle=Decimal(90))
    assert {r[0] for r in rows} == {"hip_abduction", "hip_internal_rotation"}


def test_the_60_degree_reversal_of_piriformis_is_marked_unconfirmed(graph):
    rows = ask(graph, POSITION_QUERY, muscle=kb("piriformis"), angle=Decimal(70))
    statuses = {r[1] for r in rows}
    assert rows and all(s.endswith("Unconfirmed") for s in statuses)


def test_anterior_and_posterior_gluteus_medius_rotate_in_opposite_directions(graph):
    rows = ask(graph, """SELECT ?region ?action WHERE { ?c gg:contributor ?region ; gg:action ?action .
        ?region gg:partOf kb:gluteus_medius FILTER(CONTAINS(STR(?action), "rotation")) }""")
    assert set(rows) == {("gluteus_medius_anterior", "hip_internal_rotation"),
                         ("gluteus_medius_posterior", "hip_external_rotation")}


# ------------------------------------------------------------------ exercises and activation

def test_which_exercises_target_upper_gluteus_maximus_by_measured_activation(graph):
    rows = ask(graph, """
        SELECT ?exercise ?mean ?study WHERE {
          ?m gg:muscle kb:gluteus_maximus_upper ; gg:exercise ?exercise ;
             gg:meanPercentMVIC ?mean ; gg:reportedBy ?study . } ORDER BY DESC(?mean)""")
    assert rows[0] == ("barbell_hip_thrust", Decimal("69.5"), "study_contreras_2015")
    assert rows[1][:2] == ("back_squat", Decimal("29.4"))


def test_hip_thrust_vs_back_squat_for_upper_and_lower_gluteus_maximus(graph):
    rows = ask(graph, """
        SELECT ?region ?exercise ?mean ?peak ?load ?n WHERE {
          ?m gg:reportedBy kb:study_contreras_2015 ; gg:muscle ?region ; gg:exercise ?exercise ;
             gg:meanPercentMVIC ?mean ; gg:peakPercentMVIC ?peak ; gg:load ?load ; gg:sampleSize ?n .
          FILTER(?region IN (kb:gluteus_maximus_upper, kb:gluteus_maximus_lower)) }""")
    table = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    assert table[("gluteus_maximus_lower", "barbell_hip_thrust")] == (Decimal("86.8"), Decimal("216"))
    assert table[("gluteus_maximus_lower", "back_squat")] == (Decimal("45.4"), Decimal("130"))
    assert {r[4] for r in rows} == {"estimated 10RM"} and {r[5] for r in rows} == {13}


def test_which_exercises_train_hip_abduction_with_evidence_above_60_percent(graph):
    rows = ask(graph, """
        SELECT DISTINCT ?exercise WHERE {
          ?exercise gg:trainsAction kb:hip_abduction .
          ?m a gg:ActivationMeasurement ; gg:exercise ?exercise ; gg:muscle kb:gluteus_medius ;
             gg:meanPercentMVIC ?v FILTER(?v > 60) }""")
    assert {r[0] for r in rows} == {"side_lying_hip_abduction", "lateral_band_walk",
                                    "standing_hip_abduction"}


def test_best_measured_exercise_for_gluteus_medius(graph):
    rows = ask(graph, """SELECT ?exercise ?v WHERE { ?m a gg:ActivationMeasurement ;
        gg:muscle kb:gluteus_medius ; gg:exercise ?exercise ; gg:meanPercentMVIC ?v
        FILTER NOT EXISTS { ?m gg:qualityConcern ?why } } ORDER BY DESC(?v) LIMIT 1""")
    assert rows == [("side_lying_hip_abduction", Decimal("99.9"))]


def test_which_exercises_are_hip_only_extension(graph):
    rows = ask(graph, "SELECT ?e WHERE { ?e gg:extensionPattern gg:HipOnlyExtension }")
    assert {"barbell_hip_thrust", "glute_bridge", "prone_hip_extension"} <= {r[0] for r in rows}
    assert "back_squat" not in {r[0] for r in rows}


def test_which_single_leg_exercises_need_no_equipment(graph):
    rows = ask(graph, """SELECT ?e WHERE { ?e gg:laterality gg:SingleLeg ; gg:usesEquipment kb:body_weight
        FILTER NOT EXISTS { ?e gg:usesEquipment ?other FILTER(?other != kb:body_weight) } }""")
    names = {r[0] for r in rows}
    assert {"single_leg_bridge", "side_lying_hip_abduction", "prone_hip_extension"} <= names
    assert "clamshell" not in names  # often done with a band
    assert "lunge" not in names  # also uses dumbbells


def test_beginner_exercises_from_free_exercise_db(graph):
    rows = ask(graph, "SELECT ?e ?record WHERE { ?e gg:difficulty gg:Beginner . "
                      "?record skos:exactMatch ?e FILTER(STRSTARTS(STR(?record), STR(fedb:))) }")
    assert ("glute_bridge", "https://w3id.org/glutegraph/data/free-exercise-db/exercise/Butt_Lift_Bridge") in rows


def test_every_exercise_the_article_names_is_in_the_graph(graph):
    rows = ask(graph, "SELECT ?e WHERE { ?e a gg:Exercise ; dcterms:source kb:source_article }")
    assert {"barbell_hip_thrust", "wide_stance_squat", "lunge", "bulgarian_split_squat",
            "lateral_band_walk", "lying_knee_lift"} <= {r[0] for r in rows}


def test_wide_stance_squat_is_a_squat_variant_with_evidence(graph):
    rows = ask(graph, """SELECT ?study WHERE { kb:wide_stance_squat gg:variantOf kb:back_squat .
        ?f gg:about kb:wide_stance_squat ; gg:reportedBy ?study }""")
    assert {r[0] for r in rows} == {"study_paoli_2009", "study_mccaw_1999"}


# ------------------------------------------------------------------ conditions, tests, treatments

def test_what_is_piriformis_syndromes_mesh_id(graph):
    rows = ask(graph, """SELECT ?x WHERE { kb:piriformis_syndrome oboInOwl:hasDbXref ?x
                          FILTER STRSTARTS(?x, "MESH:") }""")
    assert rows == [("MESH:D055958",)]


def test_what_links_the_piriformis_to_sciatic_pain(graph):
    rows = ask(graph, """SELECT ?condition WHERE { ?condition gg:involves kb:piriformis , kb:sciatic_nerve ;
        gg:relatedCondition kb:sciatica }""")
    assert rows == [("piriformis_syndrome",)]


def test_which_tests_detect_piriformis_syndrome_with_accuracy(graph):
    rows = ask(graph, """SELECT ?test ?sens ?spec WHERE { ?test gg:detects kb:piriformis_syndrome .
        OPTIONAL { ?a gg:test ?test ; gg:sensitivity ?sens ; gg:specificity ?spec } }""")
    tests = {r[0]: (r[1], r[2]) for r in rows}
    assert {"fair_test", "fair_electrophysiological_test", "freiberg_sign", "pace_sign", "beatty_manoeuvre"} <= set(tests)
    assert tests["fair_electrophysiological_test"] == (Decimal("0.881"), Decimal("0.832"))
    assert tests["fair_test"] == (None, None)  # the bedside form has no accuracy study
    assert tests["freiberg_sign"] == (None, None)


def test_what_treats_piriformis_syndrome_and_how_good_is_the_evidence(graph):
    rows = ask(graph, """SELECT ?treatment ?strength WHERE { ?te gg:condition kb:piriformis_syndrome ;
        gg:treatment ?treatment ; gg:evidenceStrength ?strength }""")
    strength = {r[0]: r[1].rsplit("/", 1)[-1] for r in rows}
    assert strength["deep_tissue_massage"] == "NoTrialFound"
    assert strength["nsaids"] == "NoTrialFound"
    assert strength["corticosteroid_injection"] == "EvidenceAgainst"
    assert strength["stretching_and_met"] == "ModerateEvidence"


def test_treatments_asserted_to_ameliorate_are_exactly_the_positively_evidenced(graph):
    asserted = {r[0] for r in ask(graph,
        "SELECT ?t WHERE { ?t gg:ameliorates kb:piriformis_syndrome }")}
    assert asserted == {"physical_therapy", "stretching_and_met", "local_anaesthetic_injection",
                        "botulinum_toxin_injection"}


def test_which_conditions_involve_gluteus_medius(graph):
    rows = ask(graph, "SELECT ?c WHERE { ?c gg:involves kb:gluteus_medius }")
    assert {"reduced_hip_stability", "gluteal_tendinopathy", "low_back_pain",
            "poor_knee_control"} <= {r[0] for r in rows}


def test_how_much_do_glutes_shrink_in_bed_rest(graph):
    rows = ask(graph, """SELECT ?muscle ?v WHERE { ?f gg:reportedBy kb:study_tran_2021 ; gg:value ?v ;
        gg:about ?muscle . ?muscle a gg:Muscle }""")
    assert dict(rows) == {"gluteus_maximus": Decimal("-9.2"), "gluteus_medius": Decimal("-8.0"),
                          "gluteus_minimus": Decimal("-10.5")}


def test_does_hip_weakness_cause_knee_pain_carries_its_caveat(graph):
    rows = ask(graph, """SELECT ?text WHERE { ?f gg:condition kb:patellofemoral_pain ; gg:finding ?text }""")
    assert any("rather than cause" in r[0] for r in rows)


# ------------------------------------------------------------------ claims and evidence

def test_which_article_claims_are_corrected_and_by_which_studies(graph):
    rows = ask(graph, """SELECT ?claim ?study WHERE { ?claim gg:verdict gg:Corrected ;
        gg:evidence ?study . ?study a gg:Study }""")
    claims = {r[0] for r in rows}
    assert claims == {"claim_maximus_function", "claim_hip_thrust_same_weight"}
    assert ("claim_hip_thrust_same_weight", "study_plotkin_2023") in rows


def test_the_medius_rotation_claim_is_corrected_by_reference_works(graph):
    rows = ask(graph, "SELECT ?v ?corr WHERE { kb:claim_medius_rotation gg:verdict ?v ; gg:correction ?corr }")
    assert rows[0][0].endswith("Corrected") and "different movements" in rows[0][1]


def test_the_lower_glutes_squat_claim_is_not_supported_with_numbers(graph):
    rows = ask(graph, """SELECT ?corr WHERE { kb:claim_lower_glutes_squats gg:verdict gg:NotSupported ;
        gg:correction ?corr }""")
    assert "86.8" in rows[0][0] and "45.4" in rows[0][0]


def test_every_claim_cites_the_article_and_has_a_verdict(graph):
    rows = ask(graph, """SELECT ?c WHERE { ?c a gg:Claim
        FILTER NOT EXISTS { ?c dcterms:source kb:source_article ; gg:verdict ?v } }""")
    assert rows == []
    assert len(ask(graph, "SELECT ?c WHERE { ?c a gg:Claim }")) >= 20


def test_training_principle_muscle_contact_first(graph):
    rows = ask(graph, """SELECT ?e ?verdict WHERE { kb:principle_muscle_contact_first gg:recommends ?e ;
        gg:statedIn/gg:verdict ?verdict }""")
    assert {r[0] for r in rows} == {"barbell_hip_thrust", "lying_knee_lift"}
    assert {r[1] for r in rows} == {str(__import__("glutegraph").GG.Qualified)}


def test_studies_with_doi_and_their_measurement_counts(graph):
    rows = ask(graph, """SELECT ?study ?doi (COUNT(?m) AS ?n) WHERE { ?study bibo:doi ?doi .
        ?m gg:reportedBy ?study ; a gg:ActivationMeasurement } GROUP BY ?study ?doi ORDER BY DESC(?n)""")
    counts = {r[0]: (r[1], r[2]) for r in rows}
    assert counts["study_contreras_2015"] == ("10.1123/jab.2014-0301", 8)
    assert counts["study_mccurdy_2018"][1] == 6


def test_unconfirmed_facts_are_marked(graph):
    rows = ask(graph, "SELECT ?x WHERE { ?x gg:evidenceStatus gg:Unconfirmed }")
    assert {"lying_knee_lift", "study_botox_pmid12447093", "hip_flexed_beyond_60"} <= {r[0] for r in rows}
