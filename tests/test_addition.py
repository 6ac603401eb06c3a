"""kg.add() checks an addition where it is, without a copy of the graph, with the same verdicts.

Each focused quality check is compared with the same check run on the whole graph (a scratch
copy with the addition, derived in full): the rows it adds are exactly the rows the focused
check finds. What the rules derive from an addition is compared with a full re-derivation.
"""

from __future__ import annotations

import re
import threading
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest

import glutegraph as gg
from glutegraph.addition import addition_violations, derive_addition, staged
from glutegraph.addition.focus import focused
from glutegraph.errors import ShapeViolationError
from glutegraph.files import check_files, rule_files
from glutegraph.graph import KnowledgeGraph
from glutegraph.sparql import file_query, run
from glutegraph.store import (
    DERIVED_GRAPH,
    STAGING_GRAPHS,
    derive_triples,
    graph_quads,
    open_store,
)
from glutegraph.validation import Violation, store_check_violations

LAB = Path(__file__).parent / "data" / "lab_extension.ttl"
PREFIXES = """\
@prefix gg:      <https://w3id.org/glutegraph/ontology/> .
@prefix kb:      <https://w3id.org/glutegraph/kb/> .
@prefix lab:     <https://example.org/mylab/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix obo:     <http://purl.obolibrary.org/obo/> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
"""

#: check file -> (Turtle already in the graph, the addition): each addition breaks that check.
CASES: dict[str, tuple[str, str]] = {
    "activation-level-violation.rq": (
        "", "lab:m gg:meanPercentMVIC 75.0 ; gg:activationLevel gg:LowActivation ."),
    "ameliorates-against-evidence-violation.rq": (  # a new evidence node on a bundled pair
        "", "lab:e gg:treatment kb:gluteal_tendon_repair ; gg:condition kb:gluteal_tendon_tear ;"
            " gg:evidenceStrength gg:EvidenceAgainst ."),
    "ameliorates-without-evidence-violation.rq": ("", "lab:t gg:ameliorates lab:c ."),
    "dangling-reference-violation.rq": ("", "lab:x gg:primaryTarget kb:gluteus_medus ."),
    "definition-repeats-label-violation.rq": (
        "", 'lab:x rdfs:label "Wall Sit"@en ; obo:IAO_0000115 "wall sit."@en .'),
    "duplicate-label-violation.rq": (
        "", 'kb:my_thrust a gg:Exercise ; rdfs:label "Barbell HIP thrust"@en .'),
    "duplicate-progression-violation.rq": (  # a second node for a bundled step
        "", "lab:p a gg:Progression ; gg:easierExercise kb:single_leg_wall_squat ;"
            " gg:harderExercise kb:single_leg_squat ."),
    "duplicate-xref-violation.rq": ("", 'lab:x oboInOwl:hasDbXref "ICD10CM:M76.3" .'),
    "kb-entity-without-source-violation.rq": (
        "", 'kb:my_thing a gg:Exercise ; rdfs:label "my thing"@en .'),
    "measurement-target-mismatch-violation.rq": (  # an old figure becomes a gluteal one
        "lab:m a gg:ActivationMeasurement ; gg:exercise lab:ex ; gg:muscle lab:region ;"
        " gg:meanPercentMVIC 90.0 . lab:ex gg:primaryTarget kb:piriformis .",
        "lab:region gg:partOf kb:gluteus_maximus ."),
    "missing-label-violation.rq": ("", "kb:my_thing a gg:Exercise ."),
    "not-reported-and-given-violation.rq": (
        "", 'lab:m gg:notReported "sd" ; gg:sdPercentMVIC 3.0 .'),
    "pooled-counted-as-result-violation.rq": (
        "", "lab:m a gg:PooledEstimate , gg:ActivationMeasurement ."),
    "progression-cycle-violation.rq": (  # the step back closes a cycle of old steps
        "lab:a gg:progressesTo lab:b . lab:b gg:progressesTo lab:c .",
        "lab:c gg:progressesTo lab:a ."),
    "progression-without-node-violation.rq": ("", "lab:a gg:progressesTo lab:b ."),
    "undeclared-term-violation.rq": ("", "lab:x a gg:Exercize ; gg:primaryTarge lab:y ."),
}

#: More cases, for the other alternative of a check (the new node on the other side of a pair:
#: an IRI that sorts after the bundled one) or a rule-derived fact that breaks a check.
MORE_CASES: list[tuple[str, str, str]] = [
    ("duplicate-progression-violation.rq", "",
     "<https://zz.example/p> a gg:Progression ; gg:easierExercise kb:single_leg_wall_squat ;"
     " gg:harderExercise kb:single_leg_squat ."),
    ("duplicate-xref-violation.rq", "", '<https://zz.example/x> oboInOwl:hasDbXref "ICD10CM:M76.3" .'),
    ("ameliorates-against-evidence-violation.rq",  # a new shortcut against old evidence
     "lab:e gg:treatment lab:t ; gg:condition lab:c ; gg:effectDirection gg:FavoursComparator .",
     "lab:t gg:ameliorates lab:c ."),
    ("dangling-reference-violation.rq", "",  # a blank node: focused all the same
     "[] a gg:Exercise ; gg:trainsAction kb:hip_extension ; gg:variantOf kb:my_lost_node ."),
]


def turtle(text: str) -> list[ox.Quad]:
    return list(ox.parse((PREFIXES + text).encode(), format=ox.RdfFormat.TURTLE))


@pytest.fixture(scope="module")
def bundled() -> ox.Store:
    return open_store()


def with_base(bundled: ox.Store, base: str) -> ox.Store:
    """Return the bundled graph with ``base`` in it (derived in full), as if added unchecked."""
    if not base:
        return bundled
    store = ox.Store()
    store.extend(bundled.quads_for_pattern(None, None, None, None))
    store.extend(turtle(base))
    derive_triples(store)
    return store


def whole_graph(store: ox.Store, addition: list[ox.Quad]) -> set[Violation]:
    """The rows the addition adds to every check, each check run on a scratch copy."""
    scratch = ox.Store()
    scratch.extend(graph_quads(store))
    scratch.extend(addition)
    derive_triples(scratch)
    return set(store_check_violations(scratch)) - set(store_check_violations(store))


def focused_answer(store: ox.Store, addition: list[ox.Quad]) -> set[Violation]:
    quads = set(store.quads_for_pattern(None, None, None, None))
    with staged(store) as staging:
        added = staging.stage(addition)
        found = set(addition_violations(staging, [*added, *derive_addition(staging, added)]))
    assert set(store.quads_for_pattern(None, None, None, None)) == quads  # nothing left
    return found


def test_every_check_file_has_a_case_and_can_be_focused():
    assert {p.name for p in check_files()} == set(CASES)
    for path in [*check_files(), *rule_files()]:
        text = path.read_text(encoding="utf-8")
        assert focused(text), path.name
        assert "UNDEF" not in file_query(path) and "LATERAL" not in file_query(path)


@pytest.mark.parametrize(("check", "base", "addition"), [
    *((check, *CASES[check]) for check in sorted(CASES)), *MORE_CASES])
def test_a_focused_check_finds_what_the_whole_graph_check_adds(bundled, check, base, addition):
    store, quads = with_base(bundled, base), turtle(addition)  # (one parse: one blank node)
    expected = whole_graph(store, quads)
    assert any(v.check == check for v in expected), expected  # the case does break it
    assert focused_answer(store, quads) == expected


def test_a_good_addition_brings_no_violation(bundled):
    lab = list(ox.parse(path=str(LAB), format=ox.RdfFormat.TURTLE))
    assert whole_graph(bundled, lab) == set()
    assert focused_answer(bundled, lab) == set()


def test_what_the_rules_derive_equals_a_full_re_derivation(bundled):
    # a new prime mover of hip extension: every exercise of hip extension trains it (through
    # the contribution), and it joins the functional class; the lab exercise trains the
    # bundled movers (through the exercise), its figure gets a level
    addition = turtle("lab:c a gg:ActionContribution ; gg:contributor lab:muscle ;"
                      " gg:action kb:hip_extension ; gg:role gg:PrimeMover .")
    addition += list(ox.parse(path=str(LAB), format=ox.RdfFormat.TURTLE))
    scratch = ox.Store()
    scratch.extend(graph_quads(bundled))
    scratch.extend(addition)
    expected = set(derive_triples(scratch))
    with staged(bundled) as staging:
        found = derive_addition(staging, staging.stage(addition))
    assert len(found) == len(set(found)) and set(found) == expected
    assert len(expected) > 20  # both rules fired, from both sides


def test_kg_add_records_the_same_derived_triples_as_a_full_derivation():
    kg = gg.load()
    before = set(kg.store.quads_for_pattern(None, None, None, DERIVED_GRAPH))
    scratch = ox.Store()
    scratch.extend(graph_quads(kg.store))
    scratch.extend(ox.parse(path=str(LAB), format=ox.RdfFormat.TURTLE))
    expected = set(derive_triples(scratch))
    added = kg.add(LAB)
    recorded = {ox.Triple(q.subject, q.predicate, q.object)
                for q in set(kg.store.quads_for_pattern(None, None, None, DERIVED_GRAPH)) - before}
    assert recorded == expected and expected
    triples = len(list(ox.parse(path=str(LAB), format=ox.RdfFormat.TURTLE)))
    assert added == triples + len(expected)  # the file's triples and what they derive
    assert not any(kg.store.contains_named_graph(g) for g in STAGING_GRAPHS)


def test_kg_add_refuses_each_check_with_the_whole_graph_violations(tmp_path):
    kg = gg.load()
    for check in ("dangling-reference-violation.rq", "duplicate-label-violation.rq",
                  "progression-without-node-violation.rq"):
        _, addition = CASES[check]
        path = tmp_path / f"{check}.ttl"
        path.write_text(PREFIXES + "lab:s dcterms:source lab:s .\n" + re.sub(
            r" \.$", " ; dcterms:source lab:s .", addition), encoding="utf-8")
        expected = whole_graph(kg.store, list(ox.parse(path=str(path),
                                                       format=ox.RdfFormat.TURTLE)))
        before = len(kg)
        with pytest.raises(ShapeViolationError) as refused:
            kg.add(path)
        checks = {v for v in refused.value.violations if v.check.endswith(".rq")}
        assert checks == expected and any(v.check == check for v in checks)
        assert len(kg) == before  # nothing half-applied
        assert not any(kg.store.contains_named_graph(g) for g in STAGING_GRAPHS)


def test_a_violation_the_graph_held_already_is_not_the_files(tmp_path):
    """add_datasets adds without checks: a violation already there does not refuse a good file.

    (Before, the checks ran on the whole graph, so one old violation refused every add().)
    """
    kg = gg.load()
    kg.store.extend(turtle("lab:old gg:primaryTarget kb:gluteus_medus ."))  # unchecked
    assert any(v.check == "dangling-reference-violation.rq"
               for v in store_check_violations(kg.store))
    assert kg.add(LAB) > 33  # the good file is added
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + "lab:s2 dcterms:source lab:s2 .\n"
                   "lab:new gg:primaryTarget kb:gluteus_medus ; dcterms:source lab:s2 .\n",
                   encoding="utf-8")
    with pytest.raises(ShapeViolationError) as refused:
        kg.add(bad)
    dangling = [v for v in refused.value.violations if v.check.startswith("dangling")]
    assert [v.message.split(" | ")[0] for v in dangling] == ["https://example.org/mylab/new"]


def test_nothing_else_sees_the_staged_addition(bundled):
    kg = KnowledgeGraph(bundled)
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = {r[0] for r in run(bundled, graphs)}
    view = kg.rdflib_view()
    contexts = {str(c.identifier) for c in view.store.contexts()}  # type: ignore[attr-defined]
    with staged(bundled) as staging:
        staging.stage(turtle("lab:x rdfs:label \"x\" ."))
        staging.focus_on(turtle("lab:x rdfs:label \"x\" ."))
        assert all(bundled.contains_named_graph(g) for g in STAGING_GRAPHS)
        assert {r[0] for r in run(bundled, graphs)} == named
        assert {str(c.identifier) for c in view.store.contexts()} == contexts  # type: ignore[attr-defined]
        seen = {str(getattr(c, "identifier", c)) for _, found in view.store.triples(
            (None, None, None)) for c in found}  # type: ignore[attr-defined]
        assert seen and not seen & {g.value for g in STAGING_GRAPHS}
        assert kg.query("ASK { ?s rdfs:label \"x\" }") is False
    assert not any(bundled.contains_named_graph(g) for g in STAGING_GRAPHS)


def test_an_error_removes_the_staging(bundled):
    with pytest.raises(RuntimeError), staged(bundled) as staging:
        staging.stage(turtle("lab:x rdfs:label \"x\" ."))
        raise RuntimeError("boom")
    assert not any(bundled.contains_named_graph(g) for g in STAGING_GRAPHS)


def test_a_staging_left_by_a_killed_process_is_removed_at_the_next_open(tmp_path):
    folder = tmp_path / "store"
    store = open_store(folder)
    count = len(store)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, STAGING_GRAPHS[0])
                 for q in turtle("lab:x rdfs:label \"x\" ."))
    store.flush()
    del store
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reopened = open_store(folder)
    assert not any(reopened.contains_named_graph(g) for g in STAGING_GRAPHS)
    assert len(reopened) == count


def test_concurrent_adds_to_two_graphs_stage_one_at_a_time(tmp_path):
    graphs = [gg.load(), gg.load()]
    copies = []
    for i in range(2):
        path = tmp_path / f"lab{i}.ttl"
        path.write_text(LAB.read_text(encoding="utf-8").replace("/mylab/", f"/mylab{i}/"),
                        encoding="utf-8")
        copies.append(path)
    results: list[object] = [None, None]

    def add(i: int) -> None:
        try:
            results[i] = graphs[i].add(copies[i])
        except Exception as exc:  # reported by the assertion
            results[i] = exc

    threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] == results[1] and isinstance(results[0], int) and results[0] > 33
