"""The typed questions that answer with a list: a table, ``--json`` (the models) or ``--csv``.

``exercises``, ``muscles``, ``claims``, ``treatments``, ``compare``, ``measurements``,
``studies``, ``conditions``, ``cautions``, ``progressions`` and ``pooled``: each is one
method of :class:`~glutegraph.KnowledgeGraph` with its filters as options. The table and the
CSV show the same rows; ``--json`` prints the typed models whole.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from glutegraph.cli.common import (
    hip_angle,
    names,
    open_graph,
    output_options,
    positive_int,
    show,
    source_options,
    table,
)

if TYPE_CHECKING:
    from glutegraph.models import Measurement
    from glutegraph.results import RankedExercise


def add_commands(commands: Any) -> None:
    """Add the list questions to the subcommands of ``glutegraph``."""
    exercises = commands.add_parser(
        "exercises", help="exercises, ranked for a target by measured activation, with filters",
        description="List exercises. With --target, rank them by the highest mean EMG "
        "activation (%MVIC) measured for it, each with its study; then the exercises that "
        "name it as a primary or secondary target without a measurement. --action, "
        "--equipment and --difficulty narrow the list.")
    exercises.add_argument("--target", metavar="NAME",
                           help="a muscle, region or group (e.g. 'upper glutes', 'glute med')")
    exercises.add_argument("--action", metavar="NAME",
                           help="only exercises that train this joint action ('hip abduction')")
    exercises.add_argument("--equipment", metavar="NAME",
                           help="only exercises that use this equipment ('barbell')")
    exercises.add_argument("--difficulty", metavar="LEVEL",
                           help="only exercises of this level: beginner, intermediate, expert")
    exercises.add_argument("--limit", type=positive_int, metavar="N",
                           help="at most N exercises (default: 10 with --target, else all)")

    muscles = commands.add_parser(
        "muscles", help="which muscles produce a joint action: role, hip position, sources",
        description="List the structures that produce ACTION (every action when left out), "
        "prime movers first, with the hip position a contribution needs and its sources.")
    muscles.add_argument("action", metavar="ACTION", nargs="?",
                         help="a joint action ('hip abduction'); default: every action")
    muscles.add_argument("--role", help="only 'prime mover' or 'secondary mover'")
    muscles.add_argument("--hip-flexion", type=hip_angle, metavar="DEGREES",
                         help="the hip flexion angle, -30 to 140: leave out contributions that "
                         "hold only in other positions")

    claims = commands.add_parser(
        "claims", help="the source article's claims with the verdict of the evidence",
        description="List the claims of the popular training article the graph started from, "
        "each with the verdict of the evidence (supported, qualified, corrected, not "
        "supported) and the correction.")
    claims.add_argument("--verdict", help="supported, qualified, corrected or not supported")
    claims.add_argument("--about", metavar="NAME",
                        help="only claims about this muscle, exercise, action, ...")

    treatments = commands.add_parser(
        "treatments", help="treatments of a condition, strongest evidence first",
        description="List treatments with the strength of their evidence, the direction of "
        "the effect and what they were compared with, strongest evidence first.")
    treatments.add_argument("condition", metavar="CONDITION", nargs="?",
                            help="a condition ('piriformis syndrome'); default: every condition")

    compare = commands.add_parser(
        "compare", help="exercises side by side: the mean %%MVIC of each structure, per study",
        description="Put EXERCISES side by side: for each, every measured mean %MVIC of each "
        "structure (a muscle includes its regions), with the study.")
    compare.add_argument("exercises", metavar="EXERCISE", nargs="+",
                         help="the exercises to compare ('hip thrust' 'back squat')")
    compare.add_argument("-s", "--structure", "--structures", dest="structures", required=True,
                         action="append", metavar="NAME",
                         help="a muscle or region to compare (repeat for more)")

    measurements = commands.add_parser(
        "measurements", help="EMG measurements, highest mean %%MVIC first, with filters",
        description="List EMG measurements (one exercise, one muscle, one study each), highest "
        "mean %MVIC first. A muscle includes its regions.")
    measurements.add_argument("--exercise", metavar="NAME", help="only this exercise")
    measurements.add_argument("--muscle", metavar="NAME", help="only this muscle or region")
    measurements.add_argument("--study", metavar="NAME",
                              help="only this study ('Contreras 2015' or study_contreras_2015)")
    measurements.add_argument("--limit", type=positive_int, metavar="N",
                              help="at most N measurements (default: all)")

    studies = commands.add_parser(
        "studies", help="the studies behind the graph, newest first",
        description="List the studies, newest first, with journal, DOI and design.")
    studies.add_argument("--about", metavar="NAME",
                         help="only studies with a measurement or finding about this "
                         "exercise, muscle or condition")
    conditions = commands.add_parser(
        "conditions", help="conditions, by what they involve or a symptom",
        description="List conditions with what they involve, their symptoms, the tests with a "
        "measured accuracy and the number of treatments stored. See 'glutegraph condition "
        "NAME' for one condition in full.")
    conditions.add_argument("--involving", metavar="NAME",
                            help="only conditions that involve this muscle, nerve or joint")
    conditions.add_argument("--symptom", metavar="NAME",
                            help="only conditions that present with this symptom "
                            "('lateral hip pain')")

    cautions = commands.add_parser(
        "cautions", help="what to avoid or modify with a condition, with sources",
        description="List what a person with a condition should avoid or modify (an "
        "exercise, action or hip position), 'avoid' advice first, with the finding and sources.")
    cautions.add_argument("condition", metavar="CONDITION", nargs="?",
                          help="a condition ('gluteal tendinopathy'); default: every condition")
    cautions.add_argument("--about", metavar="NAME",
                          help="only cautions about this exercise, action or hip position")

    progressions = commands.add_parser(
        "progressions", help="easier -> harder steps between exercises, and on what evidence",
        description="List progressions between exercises: the easier and the harder, how it is "
        "harder (load, lever, base of support, ...) and the evidence.")
    progressions.add_argument("--exercise", metavar="NAME",
                              help="only the steps into and out of this exercise")

    pooled = commands.add_parser(
        "pooled", help="reviews' pooled EMG estimates, kept apart from the studies' figures",
        description="List the pooled estimates of systematic reviews (mean, range, number of "
        "studies), highest first; those with a quality concern last. They summarise studies "
        "that 'glutegraph measurements' may also list, so the two are never mixed.")
    pooled.add_argument("--exercise", metavar="NAME", help="only this exercise")
    pooled.add_argument("--muscle", metavar="NAME", help="only this muscle or its regions")
    pooled.add_argument("--review", metavar="NAME", help="only this review")
    for command in (exercises, muscles, claims, treatments, compare, measurements, studies,
                    conditions, cautions, progressions, pooled):
        output_options(command)
        source_options(command)


#: The columns of each command's --csv (the table shows some of them).
CSV_COLUMNS: dict[str, list[str]] = {
    "exercises": ["exercise", "iri", "kind", "role", "muscle", "mean_mvic", "sd_mvic",
                  "peak_mvic", "n", "study", "load", "population"],
    "muscles": ["muscle", "action", "role", "hip position", "evidence", "sources"],
    "claims": ["claim", "verdict", "the evidence says", "about", "sources"],
    "treatments": ["treatment", "condition", "evidence", "effect", "compared with", "sources"],
    "compare": ["exercise", "structure", "muscle", "mean_mvic", "sd_mvic", "peak_mvic", "study"],
    "measurements": ["exercise", "exercise_iri", "muscle", "mean_mvic", "sd_mvic", "peak_mvic",
                     "n", "study", "load", "population"],
    "studies": ["study", "year", "title", "journal", "doi", "design", "iri"],
    "conditions": ["condition", "involves", "symptoms", "tests with measured accuracy",
                   "treatments", "iri"],
    "cautions": ["condition", "advice", "about", "why", "instead", "sources"],
    "progressions": ["easier", "harder", "harder by", "finding", "evidence"],
    "pooled": ["exercise", "muscle", "mean_mvic", "min_mvic", "max_mvic", "studies", "review",
               "concerns"],
}


def _show(args: argparse.Namespace, answer: Any, rows: Callable[[], list[dict[str, Any]]],
          view: Callable[[], object]) -> int:
    return show(args, answer, rows, view, header=CSV_COLUMNS[args.command])


def _exercises(args: argparse.Namespace) -> int:
    from glutegraph.tour import exercises_view

    kg = open_graph(args)
    filters = {"action": args.action, "equipment": args.equipment,
               "difficulty": args.difficulty}
    limit = args.limit or (10 if args.target else None)
    answer = kg.exercises(target=args.target, limit=limit, **filters)

    def view() -> object:
        if args.target and answer:
            return exercises_view(kg, args.target, limit=limit or 10, **filters)
        wanted = "; ".join(f"{k}: {v}" for k, v in filters.items() if v)
        target = f" for the {kg.resolve(args.target, 'muscle').name}" if args.target else ""
        return table(f"Exercises{target} ({wanted or 'all'})", _exercise_rows(answer),
                     ["exercise"], empty="none match these filters")

    return _show(args, answer, lambda: _exercise_rows(answer), view)


def _exercise_rows(answer: list[RankedExercise]) -> list[dict[str, Any]]:
    rows = []
    for r in answer:
        b = r.best
        row: dict[str, Any] = {"exercise": r.exercise.label or r.exercise.iri,
                               "iri": r.exercise.iri, "kind": r.kind if r.target else "",
                               "role": r.role or ""}
        if b is not None:
            row.update(_measurement_row(b))
            del row["exercise_iri"]
        rows.append(row)
    return rows


def _measurement_row(m: Measurement) -> dict[str, Any]:
    return {
        "exercise": names([m.exercise]), "exercise_iri": m.exercise.iri if m.exercise else "",
        "muscle": names([m.muscle]), "mean_mvic": m.mean_mvic, "sd_mvic": m.sd_mvic,
        "peak_mvic": m.peak_mvic, "n": m.sample_size, "study": names([m.study]),
        "load": m.load or "", "population": m.population or "",
    }


_MEASUREMENT_COLUMNS = ["exercise", "muscle", "mean_mvic", "sd_mvic", "peak_mvic", "n", "study",
                        "load", "population"]


def _muscles(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.muscles(args.action, hip_flexion=args.hip_flexion, role=args.role)

    def rows() -> list[dict[str, Any]]:
        return [{"muscle": names([c.contributor]), "action": names([c.action]),
                 "role": names([c.role]), "hip position": names(c.hip_positions),
                 "evidence": names([c.evidence_status]), "sources": names(c.sources)}
                for c in answer]

    title = f"What produces {args.action}" if args.action else "What produces each action"
    columns = ["muscle", "action", "role", "hip position", "evidence", "sources"]
    return _show(args, answer, rows, lambda: table(title, rows(), columns))


def _claims(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.claims(args.verdict, about=args.about)

    def rows() -> list[dict[str, Any]]:
        return [{"claim": c.text or c.label or c.iri, "verdict": names([c.verdict]),
                 "the evidence says": c.correction or "", "about": names(c.about),
                 "sources": names(c.evidence)} for c in answer]

    columns = ["claim", "verdict", "the evidence says", "sources"]
    return _show(args, answer, rows,
                lambda: table("The article's claims and the verdict of the evidence", rows(),
                              columns))


def _treatments(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.treatments(args.condition)

    def rows() -> list[dict[str, Any]]:
        return [{"treatment": names([e.treatment]), "condition": names([e.condition]),
                 "evidence": names([e.strength]), "effect": names([e.effect_direction]),
                 "compared with": "; ".join(x for x in (e.comparator, e.follow_up) if x),
                 "sources": names(e.studies)} for e in answer]

    columns = ["treatment", "evidence", "effect", "compared with", "sources"]
    if not args.condition:
        columns.insert(1, "condition")
    title = f"Treatments of {args.condition}" if args.condition else "Treatments"
    return _show(args, answer, rows,
                lambda: table(f"{title}, strongest evidence first", rows(), columns))


def _compare(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.compare(args.exercises, args.structures)

    def rows() -> list[dict[str, Any]]:
        found = []
        for row in answer:
            for structure, measured in row.cells.items():
                cells: list[Measurement | None] = [*measured] or [None]
                for m in cells:
                    found.append({
                        "exercise": names([row.exercise]), "structure": structure,
                        "muscle": names([m.muscle]) if m else "",
                        "mean_mvic": m.mean_mvic if m else None,
                        "sd_mvic": m.sd_mvic if m else None,
                        "peak_mvic": m.peak_mvic if m else None,
                        "study": names([m.study]) if m else "no measurement stored"})
        return found

    columns = ["exercise", "structure", "muscle", "mean_mvic", "sd_mvic", "peak_mvic", "study"]
    return _show(args, answer, rows, lambda: table(
        "Mean %MVIC side by side", rows(), columns,
        caption="Compare figures from the same study; studies differ in load, population "
        "and method."))


def _measurements(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.measurements(exercise=args.exercise, muscle=args.muscle, study=args.study)
    if args.limit:
        del answer[args.limit:]

    def rows() -> list[dict[str, Any]]:
        return [_measurement_row(m) for m in answer]

    return _show(args, answer, rows, lambda: table(
        "EMG measurements, highest mean first", rows(), _MEASUREMENT_COLUMNS))


def _studies(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.studies(about=args.about)

    def rows() -> list[dict[str, Any]]:
        return [{"study": s.label or s.iri, "year": s.year, "title": s.title or "",
                 "journal": s.journal or "", "doi": s.doi or "", "design": names([s.design]),
                 "iri": s.iri} for s in answer]

    title = f"Studies about {args.about}" if args.about else "Studies, newest first"
    return _show(args, answer, rows,
                lambda: table(title, rows(), ["study", "title", "doi", "design"]))


def _conditions(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.conditions(args.involving, symptom=args.symptom)

    def rows() -> list[dict[str, Any]]:
        return [{"condition": c.label or c.iri, "involves": names(c.involves),
                 "symptoms": names(c.symptoms),
                 "tests with measured accuracy": "; ".join(sorted(
                     {a.test.label or a.test.iri for a in c.test_accuracy if a.test})),
                 "treatments": len(c.treatments), "iri": c.iri} for c in answer]

    wanted = "; ".join(f"{k}: {v}" for k, v in (("involving", args.involving),
                                                  ("symptom", args.symptom)) if v)
    columns = ["condition", "involves", "symptoms", "tests with measured accuracy", "treatments"]
    return _show(args, answer, rows,
                lambda: table(f"Conditions ({wanted or 'all'})", rows(), columns))


def _cautions(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.cautions(args.condition, about=args.about)

    def rows() -> list[dict[str, Any]]:
        return [{"condition": names([k.condition]), "advice": names([k.advice]),
                 "about": names(k.about), "why": k.finding or "",
                 "instead": k.modification or "", "sources": names(k.evidence or k.sources)}
                for k in answer]

    columns = ["advice", "about", "why", "instead", "sources"]
    if not args.condition:
        columns.insert(0, "condition")
    title = f"With {args.condition}: what to avoid or modify" if args.condition else (
        "What to avoid or modify with each condition")
    return _show(args, answer, rows, lambda: table(title, rows(), columns))


def _progressions(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.progressions(args.exercise)

    def rows() -> list[dict[str, Any]]:
        return [{"easier": names([p.easier]), "harder": names([p.harder]),
                 "harder by": names(p.kinds), "finding": p.finding or "",
                 "evidence": names(p.evidence)} for p in answer]

    title = f"Steps into and out of {args.exercise}" if args.exercise else "Progressions"
    return _show(args, answer, rows, lambda: table(
        f"{title} (easier -> harder)", rows(), ["easier", "harder", "harder by", "evidence"]))


def _pooled(args: argparse.Namespace) -> int:
    kg = open_graph(args)
    answer = kg.pooled_estimates(exercise=args.exercise, muscle=args.muscle, review=args.review)

    def rows() -> list[dict[str, Any]]:
        return [{"exercise": names([p.exercise]), "muscle": names([p.muscle]),
                 "mean_mvic": p.mean_mvic, "min_mvic": p.min_mvic, "max_mvic": p.max_mvic,
                 "studies": p.study_count, "review": names([p.review]),
                 "concerns": "; ".join(p.concerns)} for p in answer]

    columns = ["exercise", "muscle", "mean_mvic", "min_mvic", "max_mvic", "studies", "review",
               "concerns"]
    return _show(args, answer, rows,
                lambda: table("Pooled estimates of reviews (%MVIC)", rows(), columns))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "exercises": _exercises,
    "muscles": _muscles,
    "claims": _claims,
    "treatments": _treatments,
    "compare": _compare,
    "measurements": _measurements,
    "studies": _studies,
    "conditions": _conditions,
    "cautions": _cautions,
    "progressions": _progressions,
    "pooled": _pooled,
}
