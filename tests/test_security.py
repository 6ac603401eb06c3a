"""Safe under bad input and hostile queries: no network, read-only, injection, bad files, limits.

Counts (checked below, and reported in the closing note): the network probe tries 16 inputs;
the injection suite tries every crafted name against 14 API entry points; the bad-file suite
tries 14 files; the property-based tests try a few hundred generated strings.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import PEAK_MB
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import glutegraph as gg
from glutegraph.files import data_files

HERE = Path(__file__).parent
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def snapshot(kg: gg.KnowledgeGraph) -> set[str]:

    return {str(q) for q in kg.store.quads_for_pattern(None, None, None, None)}


@pytest.fixture
def fresh():
    return gg.load()


# ---------------------------------------------------------------------- 1. no network by default

@pytest.fixture(scope="module")
def probe():
    done = subprocess.run([sys.executable, str(HERE / "security_probe.py")], capture_output=True,
                          text=True, check=True, timeout=300)
    return json.loads(done.stdout)


def test_no_input_reaches_the_network(probe):
    assert probe["hits"] == [] and probe["events"] == []  # canary and audit hook saw nothing
    assert len(probe["outcomes"]) == 16
    assert probe["control_hits"] >= 1  # and the harness would have seen it: allow_network works


@pytest.mark.parametrize(("attempt", "expected"), [
    ("SERVICE in kg.query", "NetworkAccessError"),
    ("SERVICE SILENT, lower case, nested", "NetworkAccessError"),
    ("LOAD in kg.query", "ReadOnlyError"),
    ("URL given as a file to add()", "DataFileError: http://127.0.0.1:"),
    ("URL given as a file to load()", "DataFileError"),
    ("URL given to load_rdflib()", "DataFileError"),
    ("add(remote-context.jsonld)", "remote JSON-LD @context, which glutegraph never fetches"),
    ("load_rdflib(remote-context.jsonld)", "remote JSON-LD @context"),
    ("add(external-entity.rdf)", "external XML entity, which is never loaded"),
    ("load_rdflib(external-entity.rdf)", "external XML entity"),
    ("add(imports.ttl)", "returned int"),  # added, owl:imports not followed
    ("glutegraph validate remote-context.jsonld", "returned int: 2"),
    ("glutegraph sparql with SERVICE", "returned int: 2"),
])
def test_each_network_attempt_gets_its_clear_answer(probe, attempt, expected):
    assert expected in probe["outcomes"][attempt]


# ---------------------------------------------------------------------- 2. read-only

def test_updates_change_nothing_and_the_bundled_files_stay_as_they_are(fresh):
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in data_files()}
    before = snapshot(fresh)
    for update in ("DELETE WHERE { ?s ?p ?o }", "INSERT DATA { kb:x a gg:Muscle }", "DROP ALL",
                   "CLEAR DEFAULT", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                   "# comment first\nADD DEFAULT TO <urn:x>", "  \n MOVE DEFAULT TO <urn:x>"):
        with pytest.raises(gg.ReadOnlyError):
            fresh.query(update)
    fresh.add(HERE / "data" / "lab_extension.ttl")  # adding is to the store, never to the files
    assert snapshot(fresh) > before
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in data_files()} == digests


# ---------------------------------------------------------------------- 3. injection

CRAFTED = [
    'gluteus medius"', "gluteus medius'", 'x" } ; DROP ALL ; SELECT * { "', "x' } UNION { ?s ?p ?o } #",
    "gluteus medius\n} FILTER(true) {", "# comment", "*/ --", "?s ?p ?o", "<https://w3id.org/glutegraph/kb/>",
    "kb:gluteus_medius> . ?x ?y ?z", "\\u0022", "gluteus\x00medius", "glúteo medio 臀中肌 🍑",
    "\u202egluteus medius", "x" * 100_000, "", "   ",
]

ENTRY_POINTS = {
    "resolve": lambda kg, s: kg.resolve(s),
    "muscle": lambda kg, s: kg.muscle(s),
    "exercise": lambda kg, s: kg.exercise(s),
    "condition": lambda kg, s: kg.condition(s),
    "study": lambda kg, s: kg.study(s),
    "entity": lambda kg, s: kg.entity(s),
    "muscles(action)": lambda kg, s: kg.muscles(s),
    "muscles(role)": lambda kg, s: kg.muscles("hip abduction", role=s),
    "exercises(target)": lambda kg, s: kg.exercises(target=s),
    "exercises(equipment)": lambda kg, s: kg.exercises(target="gluteus medius", equipment=s),
    "treatments": lambda kg, s: kg.treatments(s),
    "claims(verdict)": lambda kg, s: kg.claims(s),
    "conditions(involving)": lambda kg, s: kg.conditions(involving=s),
    "explain": lambda kg, s: kg.explain("piriformis", s),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_crafted_names_never_change_a_query_or_the_graph(embedded_kg, entry):
    before = len(embedded_kg)
    for name in CRAFTED:
        try:
            answer = ENTRY_POINTS[entry](embedded_kg, name)
        except (gg.UnknownNameError, gg.AmbiguousNameError):
            continue  # a clear "no such ..." is the expected answer
        assert answer in ([], None) or entry == "muscles(role)", (entry, name, answer)
        if entry == "muscles(role)":
            assert answer == []  # no role has that name: nothing matched, nothing leaked
    assert len(embedded_kg) == before


@pytest.mark.parametrize("value", CRAFTED, ids=range(len(CRAFTED)))
def test_a_crafted_binding_is_data_and_comes_back_unchanged(embedded_kg, value):
    rows = embedded_kg.query("SELECT ?v (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?v } GROUP BY ?v", v=value)
    assert rows == []  # no label equals it
    assert embedded_kg.query("SELECT ?v WHERE {}", v=value)[0].v == value


# ---------------------------------------------------------------------- 4. bad files

LAUGHS_ENTITIES = '<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
RDF_XML = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://x/">'
           '<rdf:Description rdf:about="http://x/a"><ex:p>{}</ex:p></rdf:Description></rdf:RDF>')
BAD_FILES = {
    "broken.ttl": ("@prefix ex: <http://x/> .\nex:a ex:b ex:c ;\n   ex:d .\n", "line 3"),
    "unterminated.ttl": ('<http://x/a> <http://x/b> "never closed .\n', "line 1"),
    "not-json.jsonld": ('{"@id": "http://x/a", ', "line 1, column 23"),
    "deep.jsonld": ('{"@id": "http://x/a", "http://x/p": ' + "[" * 70_000 + "1" + "]" * 70_000 + "}",
                    "stack"),
    "broken.rdf": ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><unclosed>', "XML refused"),
    "billion-laughs.rdf": (f'<?xml version="1.0"?><!DOCTYPE r [{LAUGHS_ENTITIES}]>' + RDF_XML.format("&l9;"),
                           "amplification"),
    "latin-1.ttl": ('<http://x/a> <http://x/b> "caf\xe9" .\n'.encode("latin-1"), "UTF-8"),
    "utf-16.ttl": ('<http://x/a> <http://x/b> "c" .\n'.encode("utf-16"), "line 1"),
    "empty.ttl": (b"", "holds no triples"),
    "only-comments.ttl": ("# nothing here\n", "holds no triples"),
    "binary.nt": (bytes(range(256)) * 100, "line 1"),
    "unknown.xyz": ("a,b\n", "unknown RDF file type"),
    "empty-table.csv": ("a,b\n", "has a header but no rows"),
    "wrong-columns.csv": ("a,b\n1,2\n", "The exercises template's columns are"),
    "folder.ttl": (None, "is a folder"),
    "huge.ttl": ("sparse", "more than the 32 MB"),
}


def make(folder: Path, name: str) -> Path:
    path = folder / name
    content, _ = BAD_FILES[name]
    if content is None:
        path.mkdir()
    elif content == "sparse":
        with path.open("wb") as handle:  # 300 MB on paper, nothing on disk
            handle.truncate(300 * 2**20)
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_a_typed_error_naming_it_and_the_graph_is_unchanged(tmp_path, embedded_kg, name):
    kg = gg.load()
    before = snapshot(kg)
    path = make(tmp_path, name)
    start = time.perf_counter()
    with pytest.raises(gg.DataFileError) as error:
        kg.add(HERE / "data" / "lab_extension.ttl", path)  # a good file first: neither is added
    assert time.perf_counter() - start < 30  # bounded (a generous bound, not a speed target)
    assert error.value.path == str(path) and name in str(error.value)
    assert BAD_FILES[name][1] in str(error.value)
    assert snapshot(kg) == before


def test_the_billion_laughs_file_is_refused_in_bounded_memory(tmp_path):
    path = make(tmp_path, "billion-laughs.rdf")
    code = ("import resource, glutegraph as gg\n"
            f"try:\n    gg.load([{str(path)!r}])\nexcept gg.DataFileError as e:\n    print('refused')\n"
            f"print({PEAK_MB})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=120)
    refused, megabytes = done.stdout.split()
    assert refused == "refused" and int(megabytes) < 400  # expanded, it would need about 1.2 GB


# ---------------------------------------------------------------------- 5. limits and threads

def test_a_slow_query_times_out_and_the_graph_still_answers(fresh):
    fresh.timeout = 0.3
    with pytest.raises(gg.QueryTimeoutError, match=r"0\.3 s"):
        fresh.query(SLOW)
    assert fresh.muscle("piriformis").label == "piriformis"


def test_a_result_bigger_than_max_rows_is_refused(fresh):
    fresh.max_rows = 100
    with pytest.raises(gg.ResultTooLargeError, match="more than 100 rows"):
        fresh.query("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(gg.ResultTooLargeError):
        fresh.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert len(fresh.query("SELECT * WHERE { ?s ?p ?o } LIMIT 100")) == 100


def test_eight_threads_get_the_same_answers_as_one(embedded_kg):
    work = [
        lambda: str(embedded_kg.exercises(target="gluteus medius")),
        lambda: str(embedded_kg.muscles("hip abduction")),
        lambda: embedded_kg.condition("piriformis syndrome").model_dump_json(),
        lambda: str(embedded_kg.query("SELECT ?m ?n WHERE { ?m gg:innervatedBy ?n } ORDER BY ?m ?n")),
        lambda: str(embedded_kg.explain("piriformis", "sciatica")),
        lambda: str(embedded_kg.claims("corrected")),
    ] * 8
    sequential = [w() for w in work]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda w: w(), work))
    assert concurrent == sequential


# ---------------------------------------------------------------------- 6. property-based

OUR_ERRORS = (gg.GluteGraphError,)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=200))
def test_any_string_as_a_name_raises_only_glutegraphs_errors(embedded_kg, name):
    for entry in ("resolve", "muscle", "exercises(target)", "conditions(involving)", "claims(verdict)"):
        with contextlib.suppress(OUR_ERRORS):
            ENTRY_POINTS[entry](embedded_kg, name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=300), st.integers(), st.floats(allow_nan=False),
                       st.booleans(), st.decimals(allow_nan=False, allow_infinity=False, places=3)))
def test_any_bound_value_comes_back_or_raises_only_glutegraphs_errors(embedded_kg, value):
    try:
        rows = embedded_kg.query("SELECT ?v WHERE {}", v=value)
    except OUR_ERRORS:
        return
    back = rows[0].v
    assert back == value or (isinstance(value, float) and back == pytest.approx(value))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_any_text_as_sparql_raises_only_glutegraphs_errors(embedded_kg, text):
    with contextlib.suppress(OUR_ERRORS):
        embedded_kg.query(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".ttl", ".nt", ".jsonld", ".rdf", ".trig"]))
def test_any_bytes_as_a_file_raise_only_glutegraphs_errors_and_add_nothing(tmp_path_factory, embedded_kg,
                                                                            content, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"data{suffix}"
    path.write_bytes(content)
    kg = gg.load()
    before = len(kg)
    try:
        kg.add(path)
    except OUR_ERRORS:
        assert len(kg) == before
    os.unlink(path)


@pytest.mark.parametrize("query", [
    r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }",   # escaped keyword
    "SELECT * WHERE { SERV\\u0049CE <http://127.0.0.1:9/s> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe <http://127.0.0.1:9/s> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o # SERVICE in a comment is fine\n}",
])
def test_service_cannot_be_smuggled_past_the_check(embedded_kg, query):
    if "#" in query:
        assert embedded_kg.query(query + "LIMIT 1") is not None
        return
    with pytest.raises((gg.NetworkAccessError, gg.QuerySyntaxError)):
        embedded_kg.query(query)  # refused, or not SPARQL at all: never run
