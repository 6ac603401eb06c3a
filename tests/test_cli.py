"""The command line: `glutegraph sparql`, `export` and `validate`, their formats and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

import glutegraph as gg
from glutegraph.cli import main

LAB = Path(__file__).parent / "data" / "lab_extension.ttl"
NERVES = "SELECT ?muscle ?nerve WHERE { ?muscle gg:innervatedBy ?nerve } ORDER BY ?muscle ?nerve"
RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["tsv", "json", "xml"])
def test_sparql_results_formats_parse_back_to_the_same_answer(capsys, embedded_kg, fmt):
    code, out, _ = run(capsys, "sparql", NERVES, "--format", fmt)
    assert code == 0
    parsed = ox.parse_query_results(out.encode(), RESULT_FORMATS[fmt])
    rows = [(s["muscle"].value, s["nerve"].value) for s in parsed]
    assert rows == [(r.muscle, r.nerve) for r in embedded_kg.query(NERVES)] and len(rows) >= 10


def test_sparql_csv_is_the_w3c_csv_results_format(capsys):
    code, out, _ = run(capsys, "sparql", NERVES, "-f", "csv")
    lines = out.split("\r\n")  # SPARQL 1.1 CSV uses CRLF line ends
    assert code == 0 and lines[0] == "muscle,nerve"
    assert "https://w3id.org/glutegraph/kb/gluteus_maximus,https://w3id.org/glutegraph/kb/inferior_gluteal_nerve" in lines


def test_sparql_table_is_aligned_with_curies_and_a_row_count(capsys):
    code, out, _ = run(capsys, "sparql", NERVES)
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["muscle", "nerve"]
    assert set(lines[1]) == {"-"}
    assert "kb:gluteus_maximus" in out and "https://" not in out
    assert lines[-1] == f"({len(lines) - 3} rows)"
    assert len({line.index("kb:", 3) for line in lines[2:-1]}) == 1  # one column start


def test_sparql_ask_and_construct(capsys):
    assert run(capsys, "sparql", "ASK { kb:piriformis a gg:Muscle }")[1] == "true\n"
    assert json.loads(run(capsys, "sparql", "ASK { kb:piriformis a gg:Joint }", "-f", "json")[1]) == {
        "head": {}, "boolean": False}
    construct = "CONSTRUCT { ?m gg:innervatedBy ?n } WHERE { ?m gg:innervatedBy ?n }"
    code, turtle, _ = run(capsys, "sparql", construct)
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert code == 0 and len(graph) >= 10
    code, nt, _ = run(capsys, "sparql", construct, "-f", "nt")
    assert isomorphic(rdflib.Graph().parse(data=nt, format="nt"), graph)


def test_sparql_reads_a_query_file_and_stdin(capsys, tmp_path, monkeypatch):
    path = tmp_path / "nerves.rq"
    path.write_text("# the nerves\n" + NERVES)
    from_file = run(capsys, "sparql", str(path), "-f", "csv")
    monkeypatch.setattr(sys, "stdin", io.StringIO(NERVES))
    from_stdin = run(capsys, "sparql", "-", "-f", "csv")
    from_text = run(capsys, "sparql", NERVES, "-f", "csv")
    assert from_file == from_stdin == from_text and from_text[0] == 0


def test_sparql_with_extension_data(capsys):
    query = "SELECT ?l WHERE { <https://example.org/mylab/landmine_hip_thrust> rdfs:label ?l }"
    assert run(capsys, "sparql", query, "-f", "csv")[1].split() == ["l"]
    assert run(capsys, "sparql", query, "-f", "csv", "--data", str(LAB))[1].split() == [
        "l", "landmine", "hip", "thrust"]


@pytest.mark.parametrize(("args", "message"), [
    (["SELECT ?x WHERE {\n ?x a gg:Muscle\n FILTER( }"], "line 3"),
    (["DELETE WHERE { ?s ?p ?o }"], "read-only"),
    (["CONSTRUCT WHERE { ?s a gg:Muscle }", "-f", "csv"], "not an RDF format"),
    (["SELECT * WHERE { ?s ?p ?o }", "-f", "turtle"], "not a format for SELECT"),
    (["missing.rq"], "missing.rq"),
    (["SELECT * { ?s ?p ?o }", "--data", "no-such-file.ttl"], "no-such-file.ttl"),
])
def test_sparql_errors_exit_2_with_the_problem_on_stderr(capsys, args, message):
    code, out, err = run(capsys, "sparql", *args)
    assert code == 2 and out == ""
    assert err.startswith("glutegraph: error: ") and message in err


@pytest.mark.parametrize(("fmt", "rdflib_format"), [
    ("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_export_writes_the_whole_graph_in_each_format(tmp_path, embedded_kg, fmt, rdflib_format):
    out = tmp_path / f"glutegraph.{fmt}"
    assert main(["export", "--format", fmt, "-o", str(out)]) == 0
    exported = rdflib.Graph().parse(out, format=rdflib_format)
    assert len(exported) == len(embedded_kg)
    assert isomorphic(exported, embedded_kg.to_rdflib())


def test_export_to_stdout_includes_extension_files(capsys):
    code, out, _ = run(capsys, "export", "-f", "nt", "--data", str(LAB))
    assert code == 0 and len(out.splitlines()) == len(gg.load([LAB]))
    assert "<https://example.org/mylab/landmine_hip_thrust>" in out


def test_validate_exit_codes(tmp_path, capsys):
    assert run(capsys, "validate")[0] == 0
    assert run(capsys, "validate", str(LAB))[0] == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix gg: <https://w3id.org/glutegraph/ontology/> .\n<https://example.org/x> a gg:Exercise .\n")
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1 and "https://example.org/x" in out
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n")
    code, _, err = run(capsys, "validate", str(broken))
    assert code == 2 and "broken.ttl" in err


def test_the_installed_command_runs(tmp_path):
    command = Path(sys.executable).with_name("glutegraph")
    out = subprocess.run([str(command), "sparql", "SELECT (COUNT(*) AS ?n) { ?m a gg:Muscle }",
                          "-f", "tsv"], capture_output=True, text=True, check=True)
    muscles = gg.load().query("SELECT (COUNT(*) AS ?n) { ?m a gg:Muscle }")[0].n
    assert out.stdout.split() == ["?n", str(muscles)] and muscles >= 20


# ---------------------------------------------------------------------- the complete command line
# (issue 18: every typed question as a command, figures, networks, plain JSON, completion)

import csv as csv_module  # noqa: E402
import os  # noqa: E402

import networkx as nx  # noqa: E402

from glutegraph.cli import _parser  # noqa: E402
from glutegraph.cli.completion import subcommands  # noqa: E402
from glutegraph.cli.reference import updated  # noqa: E402
from glutegraph.cli.tables import CSV_COLUMNS  # noqa: E402

COMMAND = str(Path(sys.executable).with_name("glutegraph"))
README = Path(__file__).parents[1] / "README.md"


def rows(out: str) -> list[dict[str, str]]:
    return list(csv_module.DictReader(io.StringIO(out)))


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # table rows unwrapped


def test_exercises_filters_by_equipment_action_and_difficulty(capsys, embedded_kg):
    code, out, _ = run(capsys, "exercises", "--target", "glute med", "--equipment", "resistance band",
                       "--csv")
    found = rows(out)
    assert code == 0 and found[0]["exercise"] == "lateral band walk"
    assert found[0]["mean_mvic"] == "61" and found[0]["study"].startswith("Distefano 2009")
    band = embedded_kg.resolve("resistance band").label  # a synonym of "elastic band"
    for row in found:  # every answer uses the band
        assert band in {e.label for e in embedded_kg.exercise(row["iri"]).equipment}
    code, out, _ = run(capsys, "exercises", "--action", "hip abduction", "--difficulty", "beginner",
                       "--json")
    labels = [r["exercise"]["label"] for r in json.loads(out)]
    expected = embedded_kg.exercises(action="hip abduction", difficulty="beginner")
    assert code == 0 and labels == [r.exercise.label for r in expected]
    assert "clamshell" in labels and "barbell hip thrust" not in labels


def test_exercises_without_a_target_lists_every_exercise(capsys):
    code, out, _ = run(capsys, "exercises", "--json")
    assert code == 0 and len(json.loads(out)) == 84
    code, out, _ = run(capsys, "exercises", "--equipment", "barbell")
    assert code == 0 and "barbell hip thrust" in out and "clamshell" not in out


def test_muscles_names_who_produces_an_action(capsys):
    code, out, _ = run(capsys, "muscles", "hip abduction", "--role", "prime mover", "--csv")
    assert code == 0 and {r["muscle"] for r in rows(out)} == {"gluteus medius", "gluteus minimus"}
    flexed = rows(run(capsys, "muscles", "--hip-flexion", "90", "--csv")[1])
    assert {r["action"] for r in flexed if r["muscle"] == "piriformis"} == {
        "hip abduction", "hip internal rotation"}


def test_claims_with_verdict_and_about(capsys, wide):
    code, out, _ = run(capsys, "claims", "--verdict", "corrected", "--about", "gluteus medius",
                       "--json")
    assert code == 0 and [c["label"] for c in json.loads(out)] == [
        "gluteus medius rotates inward (adduction) and outward (abduction)"]
    code, out, _ = run(capsys, "claims", "--verdict", "corrected")
    assert code == 0 and "corrected" in out and "Rotation and abduction/adduction are" in out


def test_treatments_strongest_first(capsys, wide):
    code, out, _ = run(capsys, "treatments", "piriformis syndrome", "--csv")
    found = rows(out)
    assert code == 0 and found[0]["treatment"] == "stretching and muscle energy technique"
    assert found[0]["evidence"] == "moderate evidence" and found[-1]["evidence"] == "evidence against"
    code, out, _ = run(capsys, "treatments", "piriformis syndrome")
    assert "Treatments of piriformis syndrome, strongest evidence first" in out


def test_compare_puts_exercises_side_by_side(capsys, wide):
    code, out, _ = run(capsys, "compare", "hip thrust", "back squat", "-s", "upper glutes",
                       "--structure", "lower glutes")
    words = " ".join(out.split())
    assert code == 0
    assert "barbell hip thrust │ upper gluteus maximus │ upper gluteus maximus │ 69.5" in words
    assert "back squat │ lower gluteus maximus │ lower gluteus maximus │ 45.4" in words
    found = rows(run(capsys, "compare", "glute bridge", "hip thrust", "-s", "upper glutes",
                     "--csv")[1])
    assert found[0] == {"exercise": "glute bridge", "structure": "upper gluteus maximus",
                        "muscle": "", "mean_mvic": "", "sd_mvic": "", "peak_mvic": "",
                        "study": "no measurement stored"}
    assert found[1]["mean_mvic"] == "69.5"


def test_measurements_with_filters(capsys):
    code, out, _ = run(capsys, "measurements", "--exercise", "hip thrust", "--study",
                       "study_contreras_2015", "--csv")
    assert code == 0 and [(r["muscle"], r["mean_mvic"]) for r in rows(out)] == [
        ("vastus lateralis", "99.5"), ("lower gluteus maximus", "86.8"),
        ("upper gluteus maximus", "69.5"), ("biceps femoris", "40.8")]
    top = json.loads(run(capsys, "measurements", "--muscle", "glute med", "--limit", "2",
                         "--json")[1])
    assert len(top) == 2 and float(top[0]["mean_mvic"]) >= float(top[1]["mean_mvic"])


def test_studies_about_an_entity(capsys):
    code, out, _ = run(capsys, "studies", "--about", "piriformis syndrome", "--json")
    assert code == 0 and [s["label"] for s in json.loads(out)][:2] == [
        "Vij 2021, Anesth Pain Med", "Chen & Nizar 2013, Pain Pract"]
    found = rows(run(capsys, "studies", "--csv")[1])
    assert len(found) > 100 and found[0]["year"] >= found[-1]["year"]


def test_muscle_lists_the_nerve_roots(capsys, wide):
    out = " ".join(run(capsys, "muscle", "gluteus maximus")[1].split())
    assert "nerve roots inferior gluteal nerve: L5, S1, S2" in out
    out = " ".join(run(capsys, "muscle", "upper glutes")[1].split())  # a region: its muscle's
    assert "inferior gluteal nerve: L5, S1, S2 (that of the gluteus maximus)" in out
    out = " ".join(run(capsys, "muscle", "glute med")[1].split())
    assert "superior gluteal nerve: L4, L5, S1" in out


def test_options_work_before_and_after_the_names(capsys):
    code, out, err = run(capsys, "muscle", "--data", str(LAB), "glute med")
    assert code == 0 and "gluteus medius" in out and err == ""
    assert run(capsys, "muscle", "glute med", "--data", str(LAB))[1] == out
    code, out, _ = run(capsys, "compare", "hip thrust", "-s", "upper glutes", "back squat", "--csv")
    assert code == 0 and [r["exercise"] for r in rows(out)] == ["barbell hip thrust", "back squat"]
    code, out, _ = run(capsys, "recommend", "--equipment", "barbell", "--equipment", "bench",
                       "lower glutes", "--level", "expert", "--json")
    assert code == 0 and json.loads(out)["profile"]["equipment"] == "barbell, bench, body weight"


@pytest.mark.parametrize("args", [
    ["exercises", "--target", "glute med", "--limit", "0"],
    ["exercises", "--limit", "-1"],
    ["exercises", "--limit", "three"],
    ["measurements", "--limit", "0"],
    ["similar", "glute bridge", "--limit", "0"],
    ["explain", "piriformis", "sciatica", "--paths", "0"],
    ["recommend", "glutes", "--stages", "-2"],
    ["sparql", "ASK {}", "--max-memory-mb", "0"],
    ["muscle", "piriformis", "--timeout", "nan"],
    ["muscles", "--hip-flexion", "200"],
    ["figure", "comparison", "-o", "x.png", "--dpi", "0"],
])
def test_bad_numbers_are_usage_errors(capsys, args):
    with pytest.raises(SystemExit) as stopped:
        main(args)
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == ""
    option = next(a for a in args if a.startswith("--") and a not in ("--target",))
    assert f"argument {option}: must be" in err and "not '" in err


def test_a_closed_pipe_ends_quietly():
    for pipeline in (f"{COMMAND} exercises --target 'glute med' | head -1",
                     f"{COMMAND} dump-json --indent 2 | head -c 100",
                     f"{COMMAND} studies --csv | head -2"):
        done = subprocess.run(["bash", "-c", f"set -o pipefail; {pipeline}"], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, (pipeline, done.stderr)
        assert done.stderr == "" and done.stdout.strip(), pipeline


def test_every_command_and_argument_has_help_and_examples():
    top = _parser()
    text = top.format_help()
    assert "``" not in text and "examples:\n  glutegraph tour" in text
    for name, command in subcommands(top).items():
        usage = command.format_help()
        assert f"examples:\n  glutegraph {name}" in usage or (
            name == "completion" and "examples:\n  source <(glutegraph completion bash)" in usage), name
        assert command.description, name
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.metavar or action.dest}"


def test_readme_holds_the_current_command_line_reference():
    text = README.read_text(encoding="utf-8")
    assert updated(text) == text, "run: python -m glutegraph.cli.reference"
    for name in ("exercises", "compare", "figure", "network", "dump-json", "completion"):
        assert f"<code>glutegraph {name}</code>" in text


def test_figures_are_saved_and_named_by_their_absolute_path(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for kind, name in (("heatmap", "heat.png"), ("comparison", "med.svg"), ("layers", "g.pdf")):
        extra = ["--muscle", "glute med"] if kind == "comparison" else []
        code, out, _ = run(capsys, "figure", kind, "-o", name, *extra)
        assert code == 0 and out.strip() == f"saved the {kind} figure to {tmp_path / name}"
    assert (tmp_path / "heat.png").read_bytes().startswith(b"\x89PNG")
    svg = (tmp_path / "med.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "side-lying hip abduction" in svg
    assert (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = run(capsys, "figure", "heatmap", "-o", str(tmp_path / "no" / "such" / "x.png"))
    assert code == 2 and "cannot write it" in err


def test_network_writes_graphml_that_networkx_reads_back(tmp_path, capsys, embedded_kg):
    path = tmp_path / "glutegraph.graphml"
    code, out, _ = run(capsys, "network", "-o", str(path))
    back = nx.read_graphml(path)
    graph = embedded_kg.to_networkx()
    assert code == 0 and str(path) in out
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["https://w3id.org/glutegraph/kb/piriformis"]["label"] == "piriformis"
    code, _, err = run(capsys, "network", "-o", str(tmp_path / "g.xyz"))
    assert code == 2 and "--format" in err


def test_dump_json_holds_every_kind_as_plain_json(tmp_path, capsys, embedded_kg):
    path = tmp_path / "glutegraph.json"
    code, out, _ = run(capsys, "dump-json", "-o", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert code == 0 and str(path) in out
    assert len(data["exercises"]) == 84 and data["imported_exercises"] == []
    assert len(data["studies"]) == len(embedded_kg.studies())
    assert len(data["measurements"]) == len(embedded_kg.measurements())
    for kind in ("muscles", "nerves", "conditions", "treatments", "claims", "actions"):
        assert data[kind], kind
    thrust = next(e for e in data["exercises"] if e["label"] == "barbell hip thrust")
    assert "69.5" in {m["mean_mvic"] for m in thrust["measurements"]}
    nerve = next(n for n in data["nerves"] if n["label"] == "inferior gluteal nerve")
    assert {r["iri"].rsplit("_", 1)[1] for r in nerve["spinal_roots"]} == {"L5", "S1", "S2"}
    with_lab = json.loads(run(capsys, "dump-json", "--data", str(LAB))[1])
    assert "landmine hip thrust" in {e["label"] for e in with_lab["exercises"]}


def test_completion_scripts_complete_in_bash(tmp_path, capsys):
    code, script, _ = run(capsys, "completion", "bash")
    (tmp_path / "gg.bash").write_text(script)
    probe = """source {path}
t() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=(); _glutegraph;
      echo "${{COMPREPLY[*]}}"; }}
t glutegraph comp
t glutegraph exercises --eq
t glutegraph sparql -f ts
t glutegraph figure hea
t glutegraph network --data x.ttl --form
""".format(path=tmp_path / "gg.bash")
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    assert code == 0 and done.stdout.splitlines() == [
        "compare completion", "--equipment", "tsv", "heatmap", "--format"]
    zsh = run(capsys, "completion", "zsh")[1]
    assert "bashcompinit" in zsh and "complete -o default -F _glutegraph glutegraph" in zsh


def test_the_tour_names_its_figure_by_its_absolute_path(tmp_path):
    wide = {**os.environ, "COLUMNS": "300"}
    done = subprocess.run([COMMAND, "tour"], capture_output=True, text=True, check=True,
                          cwd=tmp_path, env=wide)
    assert f"Figure of the graph saved to {tmp_path / 'glutegraph-tour.png'}" in done.stdout


def test_conditions_cautions_progressions_and_pooled_estimates(capsys, embedded_kg):
    found = rows(run(capsys, "conditions", "--symptom", "lateral hip pain", "--csv")[1])
    assert [r["condition"] for r in found] == ["gluteal tendinopathy", "gluteal tendon tear"]
    assert "single-leg stance test (30 seconds)" in found[0]["tests with measured accuracy"]
    involving = json.loads(run(capsys, "conditions", "--involving", "sciatic nerve", "--json")[1])
    assert [c["label"] for c in involving] == ["deep gluteal syndrome", "piriformis syndrome",
                                               "sciatica"]
    cautions = rows(run(capsys, "cautions", "gluteal tendinopathy", "--csv")[1])
    assert cautions[0]["advice"] == "avoid" and "hip adduction" in cautions[0]["about"]
    about = rows(run(capsys, "cautions", "--about", "clamshell", "--csv")[1])
    assert [(r["condition"], r["advice"]) for r in about] == [("gluteal tendinopathy", "modify")]
    steps = rows(run(capsys, "progressions", "--exercise", "glute bridge", "--csv")[1])
    assert ("glute bridge", "single-leg bridge", "one leg instead of two") in {
        (r["easier"], r["harder"], r["harder by"]) for r in steps}
    pooled = rows(run(capsys, "pooled", "--exercise", "hip thrust", "--csv")[1])
    thrust = next(r for r in pooled if r["review"].startswith("Krause Neto 2020"))
    assert (thrust["mean_mvic"], thrust["min_mvic"], thrust["max_mvic"], thrust["studies"]) == (
        "75.41", "49.2", "105", "5")
    assert len(pooled) == len(embedded_kg.pooled_estimates(exercise="hip thrust"))


@pytest.mark.parametrize("command", sorted(CSV_COLUMNS))
def test_csv_has_its_header_even_without_answers(capsys, command):
    narrow = {"exercises": ["--target", "glute med", "--equipment", "barbell", "--difficulty",
                            "beginner"],
              "muscles": ["hip abduction", "--role", "no such role"],
              "claims": ["--verdict", "corrected", "--about", "piriformis syndrome"],
              "treatments": ["sciatica"], "compare": ["glute bridge", "-s", "piriformis"],
              "measurements": ["--exercise", "glute bridge", "--muscle", "piriformis"],
              "studies": ["--about", "hip joint"], "conditions": ["--symptom", "lateral hip pain",
                                                                  "--involving", "piriformis"],
              "cautions": ["--about", "back squat"], "progressions": ["--exercise", "machine hip abduction"],
              "pooled": ["--review", "study_contreras_2015"]}[command]
    code, out, err = run(capsys, command, *narrow, "--csv")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS[command])
    assert len(lines) <= 2  # none, or one row (compare says "no measurement stored")


@pytest.mark.parametrize("args", [["claims", "--verdict", "corrected", "--csv"],
                                  ["treatments", "piriformis syndrome", "--json"],
                                  ["measurements", "--exercise", "hip thrust", "--csv"],
                                  ["conditions", "--symptom", "lateral hip pain", "--json"]])
def test_list_commands_over_a_remote_endpoint_give_the_same_answers(capsys, remote, args):
    local = run(capsys, *args)
    answer = run(capsys, *args, *remote.cli)
    assert answer == local and local[0] == 0 and len(local[1]) > 200


def test_dump_json_over_a_remote_endpoint(capsys, remote):
    local = json.loads(run(capsys, "dump-json")[1])
    answer = json.loads(run(capsys, "dump-json", *remote.cli)[1])
    assert len(answer["exercises"]) == 84
    assert answer == local
