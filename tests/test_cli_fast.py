"""The fast `glutegraph muscle`: no pydantic or rich on its path, the same answers and card."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

import glutegraph as gg
from glutegraph.cards import Entities, muscle_card, plain_text, renderable
from glutegraph.cli import _parser, main

LAB = Path(__file__).parent / "data" / "lab_extension.ttl"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _child(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120, env=env)
    return done.stdout


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_the_muscle_command_loads_no_models_and_no_rich_into_a_pipe(extra):
    code = ("import sys; from glutegraph.cli import main; "
            f"main(['muscle', 'glute med', *{extra!r}]); "
            "print(sorted(m for m in ('pydantic', 'rich', 'rdflib', 'networkx', 'dataclasses', "
            "'glutegraph.models', 'glutegraph.graph') if m in sys.modules))")
    out = _child(code)
    assert "superior gluteal nerve" in out
    assert out.splitlines()[-1] == "[]"


def test_the_json_is_the_models_json_for_every_muscle(capsys, embedded_kg):
    muscles = embedded_kg.names.of_kind("muscle")
    assert len(muscles) > 20
    for m in muscles:
        code, out, _ = run(capsys, "muscle", m.iri, "--json")
        assert code == 0
        assert out == embedded_kg.muscle(m.iri).model_dump_json(indent=2) + "\n"


def test_the_json_from_a_store_folder_and_with_added_files(capsys, tmp_path):
    folder = str(tmp_path / "store")
    code, out, _ = run(capsys, "muscle", "glute med", "--store", folder, "--json")
    assert code == 0
    assert out == gg.load(store=folder).muscle("glute med").model_dump_json(indent=2) + "\n"
    from glutegraph.graph import close_store

    close_store(folder)
    code, out, _ = run(capsys, "muscle", "glute med", "--data", str(LAB), "--json")
    kg = gg.load([LAB])
    assert code == 0 and out == kg.muscle("glute med").model_dump_json(indent=2) + "\n"
    assert "landmine hip thrust" not in out  # an exercise of the lab file: not this muscle's


def test_the_plain_card_in_a_pipe_holds_every_fact_and_action(capsys, monkeypatch, embedded_kg):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "muscle", "glute med")
    m = embedded_kg.muscle("glute med")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "gluteus medius"
    assert all(len(line) <= 80 for line in lines)
    flat = " ".join(out.split())
    for fact in (f"what {m.definition}", "also called glutaeus medius, gluteus medius muscle",
                 "identifiers FMA:22315, SCTID:181675000, UBERON:0001371",
                 "innervated by superior gluteal nerve",
                 "nerve roots superior gluteal nerve: L4, L5, S1",
                 "origin -> insertion gluteal surface of ilium -> greater trochanter",
                 "What it does action role hip position sources"):
        assert fact in flat, fact
    for c in m.actions:  # each action with its role and every source
        assert f"{c.action.label} {c.role.label} -" in flat
        assert all(s.label in flat for s in c.sources)
    monkeypatch.setenv("COLUMNS", "200")  # wide: one line per action
    out = run(capsys, "muscle", "glute med")[1]
    assert sum(line.startswith("  pelvic stabilisation ") for line in out.splitlines()) == 1


def test_a_terminal_gets_the_rich_card(embedded_kg):
    entities = Entities.of_graph(embedded_kg)
    card = muscle_card(entities, entities.get("upper glutes", "muscle", "MuscularStructure"))
    console = Console(width=80, color_system=None, force_terminal=True)
    with console.capture() as captured:
        console.print(renderable(card))
    drawn = captured.get()
    assert drawn.startswith("╭─ upper gluteus maximus ─") and "┃ action" in drawn
    assert "inferior gluteal nerve: L5, S1, S2 (that of the gluteus" in drawn
    assert " ".join(plain_text(card).split()).count("secondary mover") == 1
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "80"}
    shown = _child("from glutegraph.cli import main; main(['muscle', 'upper glutes'])", env)
    assert "╭─" in shown and "\x1b[1;36m upper gluteus maximus" in shown


def test_unknown_names_and_other_kinds_are_errors_as_before(capsys):
    code, out, err = run(capsys, "muscle", "gluteus medus")
    assert (code, out) == (2, "")
    assert err == "glutegraph: error: no muscle 'gluteus medus'; did you mean 'gluteus medius'?\n"
    code, out, err = run(capsys, "muscle", "piriformis syndrome", "--json")
    assert code == 2 and out == "" and err.startswith("glutegraph: error: no muscle ")


@pytest.mark.parametrize("argv", [
    ["muscle", "glute med"],
    ["muscle", "--json", "glute med", "--store", "x", "--timeout", "3"],
    ["exercises", "--target", "glute med", "--limit", "2", "--csv"],
    ["compare", "hip thrust", "-s", "upper glutes", "back squat"],
])
def test_the_parser_of_one_command_reads_what_the_full_parser_reads(argv):
    one = _parser(argv[0])
    commands = next(a for a in one._actions if a.dest == "command")
    assert list(commands.choices) == [argv[0]]
    assert vars(one.parse_args(argv)) == vars(_parser().parse_args(argv))
    assert commands.choices[argv[0]].format_help() == next(
        a for a in _parser()._actions if a.dest == "command").choices[argv[0]].format_help()


def test_a_narrow_last_column_goes_under_its_row_and_an_empty_listing_says_so():
    from glutegraph.cards import Card, Listing

    rows = [("hip external rotation", "prime mover", "hip extended or neutral",
             "Anatomy teaching references (UConn gluteal region module, Albany Medical "
             "College lab guide), Delp 1999, J Biomech")]
    card = Card("piriformis", [], [Listing("What it does", ("action", "role", "hip position",
                                                            "sources"), rows),
                                   Listing("Nothing here", ("a", "b"), [])])
    narrow = plain_text(card, 66).splitlines()
    at = narrow.index("  hip external rotation  prime mover  hip extended or neutral")
    assert narrow[at + 1].startswith("    Anatomy teaching references")
    assert all(len(line) <= 66 for line in narrow) and "" not in narrow[narrow.index(
        "What it does"):-3]
    assert " ".join(" ".join(narrow[at + 1:]).split()).startswith(" ".join(rows[0][3].split()))
    assert narrow[-2:] == ["Nothing here", "  (none)"]
    wide = plain_text(card, 200).splitlines()
    assert any(line.startswith("  hip external rotation") and line.endswith("J Biomech")
               for line in wide)
