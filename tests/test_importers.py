"""The open exercise databases and your own tables, in the same graph (issue 14).

The importers run on small fixtures written for these tests (tests/data/importers/) and on the
real data sets: the copies shipped in datasets/, and the originals in ../shared/data when that
folder is there (they must be the same bytes). The enlarged graph passes the same shapes and
checks as the bundled one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import glutegraph as gg
from glutegraph.errors import DataFileError, TableError
from glutegraph.files import dataset_dir
from glutegraph.graph import close_store
from glutegraph.importers import import_free_exercise_db, import_wger
from glutegraph.importers.sssom import (
    NO_TERM_FOUND,
    mapping_file,
    mapping_files,
    read_mappings,
)
from glutegraph.models import ImportedExercise
from glutegraph.namespaces import PREFIXES
from glutegraph.validation import validate_store

HERE = Path(__file__).parent / "data" / "importers"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FEDB = PREFIXES["fedb"]
WGER = PREFIXES["wger"]
PYTHON = sys.executable


@pytest.fixture(scope="module")
def enlarged() -> gg.KnowledgeGraph:
    return gg.load(datasets=["free-exercise-db", "wger"])


def _table(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ free-exercise-db


def test_free_exercise_db_fixture_imports_good_records_and_reports_each_bad_one():
    done = import_free_exercise_db(HERE / "free-exercise-db-small.json")
    report = done.report
    assert (report.records, report.imported, len(report.skipped)) == (7, 2, 5)
    assert {(s.record, s.reason) for s in report.skipped} == {
        ("Bad_Level", "level: not one of the values the source's schema allows"),
        ("No_Name", "name: field required"),
        ("Unknown_Muscle", "primaryMuscles: not one of the values the source's schema allows"),
        ("Lateral_Step", "id: the same id again"),
        ("record 7", "record: not a JSON object"),
    }
    assert report.matched == 1  # Barbell_Hip_Thrust is the curated barbell hip thrust
    assert report.triples == len(done.quads) > 0
    assert report.muscle_tags == 4 and report.muscle_tags_mapped == 4
    text = str(report)
    assert "2 of 7 records imported" in text and "skipped 1: name: field required" in text


def test_a_free_exercise_db_record_keeps_its_provenance_and_source_words():
    done = import_free_exercise_db(HERE / "free-exercise-db-small.json")
    store = ox.Store()
    store.extend(done.quads)
    record = ImportedExercise.from_rdf([ox.Triple(q.subject, q.predicate, q.object)
                                        for q in done.quads], FEDB + "exercise/Barbell_Hip_Thrust")
    assert record.label == "Barbell Hip Thrust" and record.identifier == "Barbell_Hip_Thrust"
    assert record.license and record.license.iri == "https://unlicense.org/"
    assert [s.curie for s in record.sources] == ["kb:src_free_exercise_db"]
    assert record.level == "intermediate"
    assert record.source_instructions == "Sit with the bar over the hips. Drive the hips up."
    assert record.images == ["https://raw.githubusercontent.com/yuhonas/free-exercise-db/main/"
                             "exercises/Barbell_Hip_Thrust/0.jpg"]
    assert {r.iri for r in record.tagged_primary} == {FEDB + "muscle/glutes"}
    assert {r.iri for r in record.tagged_secondary} == {FEDB + "muscle/calves",
                                                         FEDB + "muscle/hamstrings"}


@pytest.mark.parametrize("where", ["shipped", "shared"])
def test_the_real_free_exercise_db_imports_whole(where):
    path = dataset_dir("free-exercise-db") / "exercises.json"
    if where == "shared":
        original = SHARED / "free-exercise-db" / "exercises.json"
        assert not original.parent.exists() or original.read_bytes() == path.read_bytes(), \
            "the shipped copy differs from ../shared/data"
        path = original if original.exists() else path
    done = import_free_exercise_db(path)
    matches = read_mappings(mapping_file("exercise-matches"))
    exact = {m.subject_id for m in matches.rows
             if m.subject_id.startswith("fedb:") and m.predicate == "skos:exactMatch"}
    assert done.report.records == done.report.imported == 873
    assert done.report.skipped == []
    assert done.report.matched == len(exact) >= 48
    assert done.report.muscle_tags_mapped / done.report.muscle_tags > 0.4


# ------------------------------------------------------------------ wger


def test_wger_fixture_attributes_every_text_and_skips_what_it_cannot_read():
    done = import_wger(HERE / "wger-small")
    report = done.report
    assert (report.records, report.imported) == (5, 2)
    assert {(s.record, s.reason) for s in report.skipped} == {
        ("exercise 11", "muscles: id 99 is not in the vocabulary files"),
        ("exercise 12", "no name in any known language"),
        ("exercise 14", "uuid: Input should be a valid UUID, invalid character: found `n` at 0"),
    }
    assert report.notes == ["translation 104 was left out: name: String should have at least "
                            "1 character"]
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in done.quads]
    record = ImportedExercise.from_rdf(triples, WGER + "exercise/11111111-1111-4111-8111-111111111111")
    assert record.label == "Barbell hip thrust (wger)"  # the English name labels it
    assert record.other_names == ["Hip bridge on bench", "Hüftstoß mit Langhantel"]
    assert record.creator == "tester"
    assert record.license.iri == "https://creativecommons.org/licenses/by-sa/4.0/deed.en"
    # the HTML description is plain text; what a script held is dropped, not kept as text
    assert record.source_instructions == "Shoulders on a bench; drive the hips up."
    store = ox.Store()
    store.extend(done.quads)
    rows = store.query("""
        SELECT ?name ?author WHERE {
          ?text <https://w3id.org/glutegraph/ontology/translationOf> ?exercise ;
                <http://www.w3.org/2004/02/skos/core#prefLabel> ?name ;
                <http://purl.org/dc/terms/creator> ?author ;
                <http://purl.org/dc/terms/license> ?licence }""")
    assert {(r["name"].value, r["author"].value) for r in rows} == {
        ("Hüftstoß mit Langhantel", "schreiber"), ("Barbell hip thrust (wger)", "writer"),
        ("Glute squeeze (wger)", "writer")}
    no_author = ImportedExercise.from_rdf(triples, WGER + "exercise/44444444-4444-4444-8444-444444444444")
    assert no_author.creator is None and no_author.license is not None  # said, not invented


@pytest.mark.parametrize("where", ["shipped", "shared"])
def test_the_real_wger_data_imports_whole(where):
    folder = dataset_dir("wger")
    if where == "shared" and (SHARED / "wger").exists():
        for path in folder.glob("*.json"):
            assert path.read_bytes() == (SHARED / "wger" / path.name).read_bytes(), path.name
        folder = SHARED / "wger"
    done = import_wger(folder)
    matches = read_mappings(mapping_file("exercise-matches"))
    exact = {m.subject_id for m in matches.rows
             if m.subject_id.startswith("wger:") and m.predicate == "skos:exactMatch"}
    assert done.report.records == done.report.imported == 872 and done.report.skipped == []
    assert done.report.matched == len(exact) > 40
    assert done.report.texts > 1000  # names in other languages and aliases


# ------------------------------------------------------------------ mappings as data


def test_every_source_muscle_term_is_mapped_or_said_to_have_no_counterpart():
    fedb = read_mappings(mapping_file("free-exercise-db-muscles"))
    schema = json.loads((dataset_dir("free-exercise-db") / "schema.json").read_text())
    terms = set(schema["properties"]["primaryMuscles"]["items"][0]["enum"])
    assert {m.subject_label for m in fedb.rows} == terms
    wger = read_mappings(mapping_file("wger-muscles"))
    muscles = json.loads((dataset_dir("wger") / "muscles.json").read_text())
    assert {m.subject_id for m in wger.rows} == {f"wger:muscle/{m['pk']}" for m in muscles}
    for table in (fedb, wger):
        for m in table.rows:
            assert m.justification == "semapv:ManualMappingCuration"
            assert (m.confidence is None) == (m.object_id == NO_TERM_FOUND), m


def test_every_mapping_object_is_a_glutegraph_term():
    store = gg.load().store
    for path in mapping_files():
        table = read_mappings(path)
        for m in table.rows:
            if m.found:
                iri = ox.NamedNode(table.expand(m.object_id))
                assert next(iter(store.quads_for_pattern(iri, None, None)), None), (path.name, m)


@pytest.mark.parametrize("problem, text", [
    ("predicate", "fedb:muscle/x\tx\tskos:sameAs\tkb:piriformis\tp\tsemapv:ManualMappingCuration\t0.5\tc"),
    ("confidence", "fedb:muscle/x\tx\tskos:exactMatch\tkb:piriformis\tp\tsemapv:ManualMappingCuration\t1.5\tc"),
    ("prefix", "nope:muscle/x\tx\tskos:exactMatch\tkb:piriformis\tp\tsemapv:ManualMappingCuration\t0.5\tc"),
    ("fields", "fedb:muscle/x\tx\tskos:exactMatch\tkb:piriformis"),
])
def test_a_broken_mapping_table_names_its_line(tmp_path, problem, text):
    header = mapping_file("wger-muscles").read_text().split("subject_id")[0]
    columns = "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tconfidence\tcomment"
    path = _table(tmp_path, f"{problem}.sssom.tsv", header + columns + "\n" + text + "\n")
    with pytest.raises(DataFileError) as error:
        read_mappings(path)
    expected = {"predicate": "unknown predicate", "confidence": "not a number from 0 to 1",
                "prefix": "prefix 'nope'", "fields": "has 4 fields, not 8"}[problem]
    assert expected in str(error.value)
    assert problem == "prefix" or error.value.line == header.count("\n") + 2


# ------------------------------------------------------------------ one graph, one API


def test_the_enlarged_graph_passes_the_same_shapes_and_checks(enlarged):
    assert len(enlarged) > len(gg.load()) + 35_000
    report = validate_store(enlarged.store)
    assert report.conforms, str(report)[:3000]


def test_every_imported_node_names_its_data_set_and_every_record_its_id_and_licence(enlarged):
    rows = enlarged.query("""
        SELECT DISTINCT ?node WHERE {
          ?node ?p ?o .
          FILTER(STRSTARTS(STR(?node), STR(fedb:)) || STRSTARTS(STR(?node), STR(wger:)))
          FILTER(?p NOT IN (skos:exactMatch, skos:closeMatch, skos:narrowMatch, skos:broadMatch))
          FILTER NOT EXISTS { ?node dcterms:source ?dataset . ?dataset a gg:DatasetSource }
        }""")
    assert list(rows) == []  # only the bundled mapping links are about nodes without one
    missing = enlarged.query("""
        SELECT ?record WHERE { ?record a gg:ImportedExercise .
          FILTER NOT EXISTS { ?record dcterms:identifier ?id ; dcterms:license ?licence } }""")
    assert list(missing) == []


def test_a_curated_exercise_keeps_its_name_and_shows_its_matched_records(enlarged):
    thrust = enlarged.exercise("Barbell Hip Thrust")  # free-exercise-db has this name too
    assert thrust.curie == "kb:barbell_hip_thrust" and not thrust.imported
    by_source = {r.sources[0].curie: r for r in thrust.records}
    assert {"kb:src_free_exercise_db", "kb:src_wger"} <= set(by_source)
    fedb = by_source["kb:src_free_exercise_db"]
    assert fedb.identifier == "Barbell_Hip_Thrust" and fedb.images and fedb.source_instructions
    assert thrust.free_exercise_db_id == "Barbell_Hip_Thrust"
    # without the data sets the curated exercise still knows which record it is
    assert gg.load().exercise("glute bridge").free_exercise_db_id == "Butt_Lift_Bridge"


def test_imported_exercises_are_found_by_name_in_any_language(enlarged):
    zercher = enlarged.exercise("Zercher Squats")
    assert zercher.imported and zercher.curie == "fedb:exercise/Zercher_Squats"
    german = enlarged.exercise("Bulgarische geteilte Kniebeugen links")
    assert german.imported and german.label == "Bulgarian split squats left"
    assert "Sentadilla búlgara izquierda" in german.other_names


def test_exercises_for_a_target_rank_measured_then_curated_then_imported(enlarged):
    answers = enlarged.exercises(target="gluteus maximus")
    kinds = [a.kind for a in answers]
    assert kinds == sorted(kinds, key=["measured", "curated", "imported"].index)
    bundled = gg.load().exercises(target="gluteus maximus")
    assert kinds.count("measured") == sum(1 for a in bundled if a.best) > 20
    assert [a.exercise for a in answers[:len(bundled)]] == [a.exercise for a in bundled]
    imported = [a for a in answers if a.kind == "imported"]
    assert imported and all(a.source and a.tags for a in imported)
    wger = [a for a in imported if a.source.curie == "kb:src_wger"]
    assert wger and all(t.mapped_to.curie == "kb:gluteus_maximus" and not t.coarse
                        for a in wger for t in a.tags if t.tag.label == "Gluteus maximus")
    # a record that is the same as a curated exercise is answered by the curated one
    same = {FEDB + "exercise/Barbell_Hip_Thrust", FEDB + "exercise/Butt_Lift_Bridge"}
    assert not same & {a.exercise.iri for a in imported}


def test_a_coarse_tag_is_said_to_be_coarse(enlarged):
    answers = enlarged.exercises(target="gluteus medius")
    tagged = {a.exercise.label: a for a in answers if a.kind == "imported"}
    lateral = [a for a in tagged.values()
               if any(t.tag.label == "abductors" for t in a.tags)]
    assert lateral and all(t.coarse and t.predicate == "skos:narrowMatch"
                           for a in lateral for t in a.tags if t.tag.label == "abductors")
    assert "coarse" in str(lateral[0])


def test_filters_apply_to_imported_records(enlarged):
    beginner = enlarged.exercises(target="gluteus maximus", difficulty="beginner")
    levels = {enlarged.exercise(a.exercise.iri).level for a in beginner if a.kind == "imported"}
    assert levels == {"beginner"}
    # records carry no actions: with an action filter only curated exercises answer
    assert {a.kind for a in enlarged.exercises(target="gluteus maximus",
                                               action="hip extension")} <= {"measured", "curated"}


# ------------------------------------------------------------------ your own tables

EXERCISES = """name,level,equipment,primary_muscles,secondary_muscles,instructions,same_as
Banded crab walk,beginner,elastic band,glute med,,"Band above the knees, half squat, step sideways.",
Coach's hip thrust,intermediate,barbell; bench,gluteus maximus,hamstrings,,barbell hip thrust
"""
MEASUREMENTS = """exercise,muscle,study,mean_mvic,sd_mvic,n,year,url,status
Banded crab walk,gluteus medius,Club pilot 2026,41.5,9.2,12,2026,https://example.org/pilot,primary
Banded crab walk,upper gluteus maximus,Club pilot 2026,22,,,2026,https://example.org/pilot,
"""


def test_a_coach_adds_exercises_and_measurements_from_tables(tmp_path):
    kg = gg.load()
    before = len(kg)
    exercises = _table(tmp_path, "my-exercises.csv", EXERCISES)
    measured = _table(tmp_path, "my-measurements.csv", MEASUREMENTS)
    added = kg.add(measured, exercises)  # in either order: exercise tables are read first
    assert added > 20 and len(kg) == before + added
    crab = kg.exercise("banded crab walk")
    assert crab.imported and crab.level == "beginner" and crab.row == 2
    assert [r.curie for r in crab.tagged_primary] == ["kb:gluteus_medius"]
    assert [r.curie for r in crab.source_equipment] == ["kb:elastic_band"]
    assert crab.added_from == [str(exercises.resolve())]
    figures = kg.measurements(exercise="banded crab walk")
    assert [(m.muscle.label, m.mean_mvic, m.sample_size) for m in figures] == [
        ("gluteus medius", 41.5, 12), ("upper gluteus maximus", 22, None)]
    assert figures[1].not_reported == ["n", "sd"]
    assert figures[0].activation_level.label == "high activation"  # derived for added data too
    answers = kg.exercises(target="gluteus medius")
    crab_answer = next(a for a in answers if a.exercise.label == "Banded crab walk")
    assert crab_answer.kind == "measured" and crab_answer.best.mean_mvic == 41.5
    # the row that is the same as a curated exercise links to it
    thrust = kg.exercise("barbell hip thrust")
    assert "Coach's hip thrust" in [r.label for r in thrust.records]


def test_a_bad_row_is_named_and_nothing_is_added_unless_partial(tmp_path):
    kg = gg.load()
    before = len(kg)
    bad = _table(tmp_path, "bad.csv", "name,level,primary_muscles\n"
                 "Good one,beginner,glute max\n"
                 "Typo level,expart,glute max\n"
                 "Typo muscle,beginner,gluteus medus\n"
                 ",beginner,glute max\n")
    with pytest.raises(TableError) as error:
        kg.add(bad)
    assert len(kg) == before
    assert (3, "level", "no difficulty 'expart'; did you mean 'expert'?") in error.value.problems
    assert any(p[:2] == (4, "primary_muscles") and "did you mean 'gluteus medius'" in p[2]
               for p in error.value.problems)
    assert (5, "name", "required, and empty") in error.value.problems
    assert "3 bad rows; nothing was added" in str(error.value)
    with pytest.warns(gg.SkippedRowsWarning, match="3 bad row"):
        added = kg.add(bad, partial=True)
    assert added > 0 and kg.exercise("Good one").imported
    with pytest.raises(gg.UnknownNameError):
        kg.exercise("Typo level")


def test_a_table_with_unknown_columns_lists_the_template(tmp_path):
    path = _table(tmp_path, "wrong.csv", "exercise name,lvl\nA,b\n")
    with pytest.raises(TableError, match="The exercises template's columns are: name, id"):
        gg.load().add(path)


@pytest.mark.parametrize("content, problem", [
    (b"\xff\xfe n\x00a\x00m\x00e\x00", "is not UTF-8 text"),
    (b"", "is empty"),
    (b"name,level\n", "has a header but no rows"),
    (b"name\n" + b'"' + b"x" * 200_000 + b'"\n', "is not a table"),
])
def test_a_table_that_cannot_be_read_is_a_typed_error(tmp_path, content, problem):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=problem):
        gg.load().add(path)


def test_table_text_is_data_never_query_text(tmp_path):
    kg = gg.load()
    name = 'x" } ; DROP ALL ; SELECT * { ?s ?p "'
    kg.add(_table(tmp_path, "odd.csv", f"name,instructions\n\"{name.replace(chr(34), 2 * chr(34))}\",=cmd|' /C calc'!A0 to be kept as text\n"))
    odd = kg.exercise(name)
    assert odd.label == name and odd.source_instructions.startswith("=cmd")
    assert len(kg.exercises()) > 80  # the graph still answers


def test_models_can_be_added_as_they_are(tmp_path):
    from glutegraph.models import Ref, Study

    kg = gg.load()
    study = Study(iri="https://example.org/lab/pilot", label="Lab pilot", year=2026,
                  url="https://example.org/lab/pilot", design=Ref(iri=PREFIXES["gg"] + "CrossSectionalStudy"),
                  evidence_status=Ref(iri=PREFIXES["gg"] + "Primary"))
    assert kg.add(study) > 0
    assert kg.study("Lab pilot").year == 2026


# ------------------------------------------------------------------ stores and the command line


def test_an_on_disk_store_imports_a_data_set_once_and_keeps_it_through_a_rebuild(tmp_path):
    folder = tmp_path / "store"
    kg = gg.load(store=folder, datasets=["wger"])
    size = len(kg)
    assert kg.add_datasets("wger") == 0  # held already
    close_store(folder)
    del kg
    code = ("import glutegraph as gg, sys; kg = gg.load(store=sys.argv[1], datasets=['wger']); "
            "print(len(kg), kg.exercise('Bulgarian split squats left').imported)")
    done = subprocess.run([PYTHON, "-c", code, str(folder)], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == [str(size), "True"]
    rebuilt = gg.load(store=folder, rebuild=True)
    assert len(rebuilt) == size and rebuilt.exercise("Bulgarian split squats left").imported


def test_the_import_command_reports_writes_turtle_and_fills_a_store(tmp_path):
    out = tmp_path / "wger.ttl"
    done = subprocess.run([PYTHON, "-m", "glutegraph.cli", "import", "wger", str(HERE / "wger-small"),
                           "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2 of 5 records imported" in done.stderr and "skipped 1: no name in any known language" in done.stderr
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))) == len(
        import_wger(HERE / "wger-small").quads) > 50
    store = tmp_path / "store"
    table = _table(tmp_path, "mine.csv", EXERCISES)
    done = subprocess.run([PYTHON, "-m", "glutegraph.cli", "import", "csv", str(table),
                           "--store", str(store)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "added" in done.stderr, done.stderr
    done = subprocess.run([PYTHON, "-m", "glutegraph.cli", "exercises", "--target", "glute med",
                           "--store", str(store), "--limit", "100", "--json"],
                          capture_output=True, text=True, timeout=120)
    answers = json.loads(done.stdout)
    crab = next(a for a in answers if a["exercise"]["label"] == "Banded crab walk")
    assert crab["kind"] == "imported" and crab["tags"][0]["coarse"] is False


def test_the_import_command_refuses_a_bad_table_with_its_rows(tmp_path):
    bad = _table(tmp_path, "bad.csv", "name,level\nA,expart\n")
    done = subprocess.run([PYTHON, "-m", "glutegraph.cli", "import", "csv", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "row 2, column level" in done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------ hostile input


@pytest.mark.parametrize("content, problem", [
    ('{"id": "x"}', "is not a list of exercises"),
    ("[" * 100_000 + "]" * 100_000, "cannot be read as JSON"),
    ('[{"id": "a"', "is not JSON"),
])
def test_a_data_set_file_that_is_not_what_it_should_be_is_a_typed_error(tmp_path, content, problem):
    path = _table(tmp_path, "exercises.json", content)
    with pytest.raises(DataFileError, match=problem):
        import_free_exercise_db(path)


def test_a_wger_folder_missing_a_file_names_it(tmp_path):
    for path in (HERE / "wger-small").glob("*.json"):
        if path.name != "licenses.json":
            (tmp_path / path.name).write_bytes(path.read_bytes())
    with pytest.raises(DataFileError, match=r"licenses\.json: no such file"):
        import_wger(tmp_path)
    with pytest.raises(DataFileError, match="is not a folder"):
        import_wger(tmp_path / "licenses.json")


def test_an_oversized_source_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr("glutegraph.importers.records.MAX_SOURCE_BYTES", 1000)
    path = _table(tmp_path, "exercises.json", "[" + ",".join(["{}"] * 1000) + "]")
    with pytest.raises(DataFileError, match="more than the 0 MB an importer reads"):
        import_free_exercise_db(path)


def test_a_long_import_can_show_progress_and_gives_the_same_triples(capsys):
    quiet = import_wger(HERE / "wger-small")
    shown = import_wger(HERE / "wger-small", show_progress=True)
    assert set(shown.quads) == set(quiet.quads) and shown.report.imported == 2


def test_validate_checks_a_table_like_an_rdf_file(tmp_path):
    good = _table(tmp_path, "good.csv", EXERCISES)
    done = subprocess.run([PYTHON, "-m", "glutegraph.cli", "validate", str(good)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "conforms" in done.stdout, done.stdout + done.stderr
    bad = _table(tmp_path, "bad.csv", "name,level\nA,expart\n")
    done = subprocess.run([PYTHON, "-m", "glutegraph.cli", "validate", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "row 2, column level" in done.stderr


def test_an_edited_table_is_refused_with_what_to_do_and_partial_rows_are_warned(tmp_path):
    kg = gg.load()
    sheet = _table(tmp_path, "lib.csv", "name,level\nFrog pump,beginner\n")
    kg.add(sheet)
    sheet.write_text("name,level\nFrog pump,intermediate\n", encoding="utf-8")
    before = len(kg)
    with pytest.raises(gg.DataFileError, match=r"already holds a table named lib\.csv"):
        kg.add(sheet)
    assert len(kg) == before
    other = _table(tmp_path, "more.csv", "name,level\nHip airplane,expert\nBad,expart\n")
    with pytest.warns(gg.SkippedRowsWarning, match="row 3: level"):
        kg.add(other, partial=True)
    assert kg.exercise("hip airplane").level == "expert"


def test_your_table_names_rank_before_the_data_sets_and_texts_credit_their_authors(tmp_path):
    kg = gg.load(datasets=["wger"])
    kg.add(_table(tmp_path, "club.csv", "name,level\nBanded Clamshell,beginner\n"))
    assert kg.exercise("banded clamshell").curie == "table:club/exercise/banded_clamshell"
    squat = kg.exercise("wger:exercise/edc3f6b7-96b0-4967-90d7-bba9d7d442cb")
    assert squat.creator == "admin" and squat.instructions_credit == "hektkaso"
    assert {t.language for t in squat.texts} >= {"en"} and squat.license.label == "CC-BY-SA 4"
