"""`glutegraph tour` (the README's main job) and the everyday question commands, text and --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glutegraph.cli import main

COMMAND = str(Path(sys.executable).with_name("glutegraph"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_tour_gives_real_answers_and_saves_a_figure(tmp_path, embedded_kg):
    figure = tmp_path / "tour.png"
    wide = {**os.environ, "COLUMNS": "200"}  # rows unwrapped, so each answer reads as one line
    done = subprocess.run([COMMAND, "tour", "--figure", str(figure)], capture_output=True,
                          text=True, check=True, cwd=tmp_path, env=wide)
    out = " ".join(done.stdout.split())
    for answer in (
        f"{len(embedded_kg):,} triples",
        "gluteus medius │ hip abduction, pelvic stabilisation",   # the muscles and what they do
        "Highest measured activation of the upper gluteus maximus",
        "barbell hip thrust │ 69.5 │ Contreras 2015, J Appl Biomech │ 13",           # upper glutes
        "barbell hip thrust │ 86.8 │ Contreras 2015, J Appl Biomech │ 13",           # lower glutes
        "side-lying hip abduction │ 99.9 ± 17 │ MacAskill et al.",                   # gluteus medius
        "compare figures from different studies with care",
        "electrophysiological FAIR test │ 0.881 │ 0.832 │ Fishman 2002",            # piriformis syndrome
        "stretching and muscle energy technique │ moderate evidence",
        "Conditions that present with lateral hip pain",                            # lateral hip pain
        "gluteal tendinopathy │ gluteus medius, gluteus minimus, greater trochanter",
        "single-leg stance test (30 seconds) │ 1 │ 0.973 │ Lequesne 2008",
        "load-management education plus exercise │ moderate evidence │ favours the treatment",
        "What to avoid or modify",
        "│ avoid │ sustained or end-range hip adduction │",
        "corrected",                                        # the claims the evidence corrects
        f"Figure of the graph saved to {figure}",
    ):
        assert answer in out, answer
    assert figure.read_bytes().startswith(b"\x89PNG") and figure.stat().st_size > 100_000
    assert done.stderr == ""


def test_the_tour_saves_its_figure_in_the_working_folder_by_default(tmp_path):
    subprocess.run([COMMAND, "tour"], capture_output=True, check=True, cwd=tmp_path)
    assert (tmp_path / "glutegraph-tour.png").read_bytes().startswith(b"\x89PNG")


def test_muscle_as_text_and_json(capsys, embedded_kg):
    code, out, _ = run(capsys, "muscle", "glute med")
    assert code == 0 and "gluteus medius" in out and "superior gluteal nerve" in out
    assert "prime mover" in out and "UBERON:0001371" in out
    code, out, _ = run(capsys, "muscle", "glute med", "--json")
    data = json.loads(out)
    assert data == json.loads(embedded_kg.muscle("gluteus medius").model_dump_json())


def test_exercises_as_text_and_json(capsys, embedded_kg, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "exercises", "--target", "gluteus medius", "--limit", "3")
    assert code == 0 and "1 │ side-lying hip abduction │ 99.9 ± 17 │ MacAskill" in " ".join(out.split())
    code, out, _ = run(capsys, "exercises", "--target", "gluteus medius", "--limit", "3", "--json")
    data = json.loads(out)
    expected = embedded_kg.exercises(target="gluteus medius", limit=3)
    assert [d["exercise"]["label"] for d in data] == [r.exercise.label for r in expected]
    assert data[0]["best"]["mean_mvic"] == "99.9" and data[0]["best"]["sd_mvic"] == "17"


def test_condition_as_text_and_json(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "condition", "piriformis syndrome")
    words = " ".join(out.split())
    assert code == 0 and "electrophysiological FAIR test │ 0.881 │ 0.832" in words and "evidence against" in words
    data = json.loads(run(capsys, "condition", "piriformis syndrome", "--json")[1])
    assert data["label"] == "piriformis syndrome"
    assert {t["label"] for t in data["tests"]} >= {"FAIR test", "Freiberg sign"}


def test_explain_as_text_and_json(capsys):
    code, out, _ = run(capsys, "explain", "hip thrust", "lower glutes", "--paths", "1")
    assert code == 0
    assert "barbell hip thrust activates lower gluteus maximus (86.8 %MVIC mean, n=13)" in out
    assert "sources: Contreras 2015, J Appl Biomech" in out
    data = json.loads(run(capsys, "explain", "piriformis", "sciatica", "--json")[1])
    assert data[0][0]["subject"] == "piriformis syndrome" and data[0][0]["sources"]


@pytest.mark.parametrize("args", [["muscle", "gluteus medus"], ["condition", "piriformis syndrom"],
                                  ["exercises", "--target", "glute mediu"],
                                  ["explain", "piriformis", "sciatika"]])
def test_unknown_names_exit_2_with_a_suggestion(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and "did you mean" in err


def test_questions_over_a_remote_endpoint_give_the_same_json(capsys, remote):
    local = run(capsys, "exercises", "--target", "upper glutes", "--json")[1]
    answer = run(capsys, "exercises", "--target", "upper glutes", "--json", *remote.cli)[1]
    assert json.loads(answer) == json.loads(local)
