"""The help texts' examples: ``glutegraph --help`` and every command's ``--help`` end with them."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

DESCRIPTION = """\
glutegraph: a knowledge graph of the gluteal muscles - anatomy, actions, exercises, conditions,
treatments - with the study or reference behind every link.

The question commands print tables, or JSON with --json (and CSV with --csv where the answer
is a list). They read the bundled graph plus any --data files (RDF or CSV tables, one per
--data) and --dataset (free-exercise-db, wger), an on-disk store (--store FOLDER) or a
remote graph (--endpoint URL). Options may come before or after the names.

Exit status: 0 done; 1 (validate) the data does not conform; 2 bad input or an error,
printed on stderr. Run 'glutegraph COMMAND --help' for a command's options and examples."""

EPILOG = """\
examples:
  glutegraph tour                                    a guided tour, and a figure of the graph
  glutegraph muscle "glute med"                      anatomy, nerves and roots, actions
  glutegraph exercises --target "upper glutes" --equipment barbell --limit 5
  glutegraph treatments "piriformis syndrome" --csv > treatments.csv
  glutegraph sparql 'SELECT ?m ?n WHERE { ?m gg:innervatedBy ?n }'
  source <(glutegraph completion bash)               complete commands and options in bash"""

#: Each command's examples, shown at the end of its --help.
EXAMPLES: dict[str, list[str]] = {
    "tour": ["glutegraph tour", "glutegraph tour --figure /tmp/graph.png"],
    "muscle": ['glutegraph muscle "glute med"', "glutegraph muscle piriformis --json",
               'glutegraph muscle --data my-lab.ttl "upper glutes"'],
    "exercises": [
        'glutegraph exercises --target "upper glutes" --limit 5',
        'glutegraph exercises --target "glute med" --equipment "resistance band" --csv',
        'glutegraph exercises --action "hip abduction" --difficulty beginner',
        "glutegraph exercises --equipment barbell --json"],
    "muscles": ['glutegraph muscles "hip abduction" --role "prime mover"',
                'glutegraph muscles "hip external rotation" --hip-flexion 90',
                "glutegraph muscles --csv > contributions.csv"],
    "condition": ['glutegraph condition "piriformis syndrome"',
                  'glutegraph condition "gluteal tendinopathy" --json'],
    "claims": ["glutegraph claims --verdict corrected",
               'glutegraph claims --about "gluteus medius" --json'],
    "treatments": ['glutegraph treatments "piriformis syndrome"',
                   "glutegraph treatments --csv > treatments.csv"],
    "compare": [
        'glutegraph compare "hip thrust" "back squat" -s "upper glutes" -s "lower glutes"',
        'glutegraph compare "glute bridge" "hip thrust" --structure "gluteus maximus" --csv'],
    "measurements": ['glutegraph measurements --exercise "hip thrust"',
                     'glutegraph measurements --muscle "glute med" --limit 5 --csv',
                     "glutegraph measurements --study study_contreras_2015 --json"],
    "studies": ['glutegraph studies --about "piriformis syndrome"',
                "glutegraph studies --csv > studies.csv"],
    "conditions": ['glutegraph conditions --symptom "lateral hip pain"',
                   'glutegraph conditions --involving "sciatic nerve" --json'],
    "cautions": ['glutegraph cautions "gluteal tendinopathy"',
                 'glutegraph cautions --about "clamshell" --csv'],
    "progressions": ['glutegraph progressions --exercise "glute bridge"',
                     "glutegraph progressions --csv > progressions.csv"],
    "pooled": ['glutegraph pooled --muscle "gluteus maximus"',
               'glutegraph pooled --exercise "hip thrust" --json'],
    "explain": ['glutegraph explain "hip thrust" "lower glutes"',
                "glutegraph explain piriformis sciatica --paths 1 --json"],
    "recommend": [
        'glutegraph recommend "glute med" --level beginner --condition "gluteal tendinopathy"',
        'glutegraph recommend "upper glutes" --equipment barbell --equipment bench --stages 2'],
    "similar": ['glutegraph similar "glute bridge"', 'glutegraph similar "hip thrust" --limit 3'],
    "derivation": ["glutegraph derivation 'glute bridge' gg:trainsMuscle 'gluteus maximus'"],
    "figure": ["glutegraph figure heatmap -o heatmap.png",
               'glutegraph figure heatmap --muscle "glute med" --muscle "glute min" -o med.svg',
               "glutegraph figure layers -o graph.png --kinds nerve --kinds muscle "
               "--kinds action",
               'glutegraph figure layers --muscle "hamstrings" -o hamstrings.png',
               "glutegraph figure layers --full -o whole-graph.png",
               'glutegraph figure comparison --muscle "glute med" --limit 8 -o med.png',
               'glutegraph figure anatomy --exercise "hip thrust" --exercise "back squat" '
               "-o anatomy.png"],
    "network": ["glutegraph network -o glutegraph.graphml",
                "glutegraph network -o glutegraph.gexf --dataset wger"],
    "dump-json": ["glutegraph dump-json -o glutegraph.json",
                  "glutegraph dump-json | jq '.exercises[].label'"],
    "sparql": ["glutegraph sparql 'SELECT ?muscle ?nerve WHERE { ?muscle gg:innervatedBy "
               "?nerve }'",
               "glutegraph sparql my-query.rq --format csv > answer.csv",
               "glutegraph sparql - --data my-exercises.ttl < my-query.rq"],
    "export": ["glutegraph export --format jsonld -o glutegraph.jsonld",
               "glutegraph export -f nt --data my-exercises.ttl > all.nt"],
    "validate": ["glutegraph validate", "glutegraph validate my-exercises.ttl my-table.csv"],
    "serve": ["glutegraph serve", "glutegraph serve --bind 127.0.0.1:8000 --cors",
              "glutegraph serve --store ./store --data my-exercises.ttl"],
    "api": ["glutegraph api", "glutegraph api --dataset wger --cors",
            "glutegraph api --store ./store --bind 127.0.0.1:8080"],
    "upload": ["glutegraph upload http://127.0.0.1:7878/store my-exercises.ttl",
               "glutegraph upload http://localhost:3030/glutegraph/data --replace"],
    "import": ["glutegraph import wger", "glutegraph import free-exercise-db -o fedb.ttl",
               "glutegraph import csv my-exercises.csv --store ./store --partial"],
    "completion": ["source <(glutegraph completion bash)",
                   "glutegraph completion bash > ~/.local/share/bash-completion/completions/"
                   "glutegraph",
                   "source <(glutegraph completion zsh)"],
}


class Formatter(argparse.HelpFormatter):
    """Wrap the paragraphs of a description; keep indented lines (examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            lines = paragraph.splitlines()
            if any(line.startswith(" ") or line.endswith(":") for line in lines):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append(textwrap.fill(" ".join(paragraph.split()), width,
                                                initial_indent=indent, subsequent_indent=indent))
        return "\n\n".join(paragraphs)


def add_examples(subcommands: argparse._SubParsersAction[Any]) -> None:
    """End each command's help with its examples.

    A command without a description gets its one-line help as one.
    """
    helps = {a.dest: a.help for a in subcommands._choices_actions}
    for name, command in subcommands.choices.items():
        lines = EXAMPLES.get(name)
        if lines and not command.epilog:
            command.epilog = "examples:\n" + "\n".join(f"  {line}" for line in lines)
        command.formatter_class = Formatter
        if command.description is None and helps.get(name):
            description = str(helps[name]).replace("%%", "%")
            command.description = description[0].upper() + description[1:] + "."
