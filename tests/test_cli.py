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
