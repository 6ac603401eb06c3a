"""What ``glutegraph tour`` and the everyday subcommands print, rendered with rich.

Each ``*_view`` function takes the knowledge graph and returns a rich renderable (tables and
panels); the command line prints them, and ``--json`` prints the models instead. Without a
terminal (a pipe, a file) rich writes plain text.

Example:
    >>> import glutegraph as gg
    >>> from rich.console import Console
    >>> console = Console(width=100, color_system=None)
    >>> with console.capture() as out:
    ...     console.print(exercises_view(gg.load(), "upper glutes", limit=1))
    >>> "barbell hip thrust" in out.get()
    True

"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from glutegraph.cards.parts import facts_grid, title

if TYPE_CHECKING:
    from rich.console import RenderableType

    from glutegraph.advice.models import Recommendation
    from glutegraph.graph import KnowledgeGraph
    from glutegraph.models import Ref

__all__ = [
    "condition_view",
    "exercises_view",
    "explain_view",
    "muscle_view",
    "symptom_view",
    "tour",
]

#: The gluteal muscles the tour walks through, in order.
TOUR_MUSCLES = ("gluteus maximus", "upper gluteus maximus", "lower gluteus maximus",
                "gluteus medius", "gluteus minimus", "piriformis")
#: The targets whose best-evidenced exercises the tour shows.
TOUR_TARGETS = ("upper gluteus maximus", "lower gluteus maximus", "gluteus medius")


def _names(refs: Iterable[Ref | None]) -> str:
    return ", ".join(r.label or r.iri for r in refs if r is not None) or "-"


def muscle_view(kg: KnowledgeGraph, name: str) -> RenderableType:
    """Show a muscle (or region or group): what it is, where it sits, its nerves, its actions.

    The card of :func:`glutegraph.cards.muscle_card`, which ``glutegraph muscle`` prints.
    """
    from glutegraph.cards import Entities, muscle_card, renderable

    entities = Entities.of_graph(kg)
    return renderable(muscle_card(entities, entities.get(name, "muscle", "MuscularStructure")))


def exercises_view(kg: KnowledgeGraph, target: str, *, limit: int = 5, action: str | None = None,
                   equipment: str | None = None, difficulty: str | None = None
                   ) -> RenderableType:
    """Rank the exercises for a target by the highest mean %MVIC measured, with the study.

    ``action``, ``equipment`` and ``difficulty`` narrow the exercises as in
    :meth:`~glutegraph.KnowledgeGraph.exercises`.
    """
    ranking = kg.exercises(target=target, limit=limit, action=action, equipment=equipment,
                           difficulty=difficulty)
    label = ranking[0].target.label if ranking and ranking[0].target else target
    table = Table("#", "exercise", "%MVIC ± SD", "study", "n", "load / population",
                  title=f"Highest measured activation of the {label}", title_justify="left",
                  caption="Each figure is one study's mean (or peak, where only a peak was "
                  "reported); studies differ in load, population and method, so compare "
                  "figures from different studies with care.", caption_justify="left")
    for i, r in enumerate(ranking, start=1):
        b = r.best
        if r.kind == "imported":
            tags = "; ".join(f"{t.role}{' (coarse)' if t.coarse else ''}: '{t.tag}'"
                             for t in r.tags)
            table.add_row(str(i), r.exercise.label or "", "-", f"tagged by {r.source_name}", "",
                          tags)
            continue
        if b is None:
            table.add_row(str(i), r.exercise.label or "", "-", f"{r.role} target, no EMG data",
                          "", "")
            continue
        figure = b.figure if b.sd_mvic is None else f"{b.figure} ± {b.sd_mvic}"
        table.add_row(str(i), r.exercise.label or "", figure, _names([b.study]),
                      str(b.sample_size or ""), "; ".join(x for x in (b.load, b.population) if x))
    return table


def condition_view(kg: KnowledgeGraph, name: str) -> RenderableType:
    """Show a condition: what it involves, its symptoms, tests (accuracy) and treatments."""
    c = kg.condition(name)
    facts = facts_grid({
        "what": c.definition or "-",
        "involves": _names(c.involves),
        "symptoms": _names(c.symptoms),
        "risk factors": _names(c.risk_factors),
    })
    tests = Table("test", "sensitivity", "specificity", "study", title="Tests",
                  title_justify="left")
    measured = {a.test.iri for a in c.test_accuracy if a.test}
    for a in c.test_accuracy:
        tests.add_row(_names([a.test]), f"{a.sensitivity}", f"{a.specificity}", _names([a.study]))
    for t in c.tests:
        if t.iri not in measured:
            tests.add_row(t.label or t.iri, "-", "-", "no accuracy study stored")
    treatments = Table("treatment", "evidence", "effect", "compared with", "sources",
                       title="Treatments, strongest first", title_justify="left")
    for e in kg.treatments(c.iri):
        treatments.add_row(_names([e.treatment]), _names([e.strength]),
                           _names([e.effect_direction]),
                           "; ".join(x for x in (e.comparator, e.follow_up) if x) or "-",
                           _names(e.sources))
    cautions = Table("advice", "what", "why, and what to do instead", "sources",
                     title="What to avoid or modify", title_justify="left")
    for k in kg.cautions(c.iri):
        why = k.finding or "-"
        if k.modification:
            why += f" Instead: {k.modification}"
        advice = _names([k.advice])
        what = (k.label or "").partition(": ")[2] or _names(k.about)
        what = what.removeprefix(f"{advice} ")
        cautions.add_row(advice, what, why, _names(k.sources))
    parts: list[RenderableType] = [facts]
    parts.append(tests if tests.row_count else Text("Tests: none stored for this condition."))
    parts.append(treatments if treatments.row_count
                 else Text("Treatments: none stored for this condition."))
    if cautions.row_count:
        parts.append(cautions)
    return Panel(Group(*parts), title=title(c.label or c.iri), title_align="left")


def symptom_view(kg: KnowledgeGraph, symptom: str) -> RenderableType:
    """Show the conditions that present with a symptom, with what each involves."""
    found = kg.conditions(symptom=symptom)
    table = Table("condition", "involves", "tests with measured accuracy", "treatments stored",
                  title=f"Conditions that present with {symptom}", title_justify="left")
    for c in found:
        measured = sorted({a.test.label or "" for a in c.test_accuracy if a.test})
        table.add_row(c.label or c.iri, _names(c.involves), ", ".join(measured) or "-",
                      str(len(c.treatments)))
    return table


def explain_view(kg: KnowledgeGraph, a: str, b: str, *, max_paths: int = 3) -> RenderableType:
    """Show how two entities are linked: numbered paths of sourced sentences."""
    paths = kg.explain(a, b, max_paths=max_paths)
    if not paths:
        return Text(f"No path of 4 links or fewer joins {a!r} and {b!r}.")
    parts: list[RenderableType] = []
    for i, path in enumerate(paths, start=1):
        lines = Text(f"{i}. ", style="bold")
        for step in path.steps:
            lines.append(f"{step.subject} ", style="bold")
            lines.append(step.relation, style="italic")
            lines.append(f" {step.object}", style="bold")
            if step.detail:
                lines.append(f" ({step.detail})")
            if step.sources:
                lines.append(f"\n     sources: {'; '.join(step.sources)}", style="dim")
            lines.append("\n   ")
        parts.append(lines)
    return Group(*parts)


def recommend_view(plan: Recommendation) -> RenderableType:
    """Show a recommendation: each stage's exercises with their evidence and reasons."""
    wanted = "; ".join(f"{k}: {v}" for k, v in plan.profile.items())
    table = Table("stage", "exercise", "evidence", "why (and what to modify)",
                  title=f"Recommended for the {plan.target} ({wanted})", title_justify="left",
                  caption=plan.disclaimer, caption_justify="left")
    for stage in plan.stages:
        for i, step in enumerate(stage.steps):
            reasons = "\n".join([*step.why, *(f"modify {m}" for m in step.modifications)])
            table.add_row(f"{stage.number}. {stage.name}" if i == 0 else "",
                          step.exercise.label or "", step.evidence, reasons)
    parts: list[RenderableType] = [table]
    if plan.excluded:
        left = Table("left out", "why", "sources", title=f"Left out ({len(plan.excluded)})",
                     title_justify="left")
        for e in plan.excluded[:15]:
            left.add_row(e.exercise.label or "", e.reason, _names(e.sources))
        if len(plan.excluded) > 15:
            left.add_row(f"... and {len(plan.excluded) - 15} more", "", "")
        parts.append(left)
    parts += [Text(f"Note: {n}") for n in plan.notes]
    return Group(*parts)


def similar_view(kg: KnowledgeGraph, exercise: str, *, limit: int = 5) -> RenderableType:
    """Show the exercises most like one: what they share, how they differ, which is harder."""
    this = kg.exercise(exercise)
    table = Table("exercise", "direction", "shares", "differs",
                  title=f"Exercises like the {this.label}", title_justify="left")
    for s in kg.similar(exercise, limit=limit):
        table.add_row(s.exercise.label or "", s.direction or "-",
                      ", ".join(r.name for r in [*s.shared_actions, *s.shared_targets]),
                      "; ".join(s.differences) or "-")
    return table


def tour(kg: KnowledgeGraph, figure: Path | None) -> RenderableType:
    """Return the guided tour: sizes, muscles, best exercises, two conditions, corrections.

    The conditions are piriformis syndrome and, from the symptom lateral hip pain, gluteal
    tendinopathy with its tests, treatments and what to avoid.

    ``figure``, when given, is where the layered picture of the graph is saved.
    """
    parts: list[RenderableType] = [_sizes(kg)]
    parts.append(_muscles(kg))
    parts += [exercises_view(kg, target, limit=3) for target in TOUR_TARGETS]
    parts.append(condition_view(kg, "piriformis syndrome"))
    parts.append(symptom_view(kg, "lateral hip pain"))
    parts.append(condition_view(kg, "gluteal tendinopathy"))
    parts.append(recommend_view(kg.recommend("gluteus medius", level="beginner",
                                             conditions=["gluteal tendinopathy"], stages=2)))
    parts.append(_corrections(kg))
    if figure is not None:
        from glutegraph.layered import draw

        draw(kg).savefig(figure, dpi=100)
        parts.append(Text(f"Figure of the graph saved to {Path(figure).resolve()}",
                          style="bold green"))
    return Group(*parts)


def _sizes(kg: KnowledgeGraph) -> RenderableType:
    counts = kg.query("""
        SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
          VALUES (?class ?kind ?order) {
            (gg:Muscle "muscles" 1) (gg:MuscleRegion "muscle regions" 2)
            (gg:JointAction "joint actions" 3) (gg:Exercise "exercises" 4)
            (gg:ActivationMeasurement "EMG measurements" 5)
            (gg:PooledEstimate "pooled review estimates" 6) (gg:Condition "conditions" 7)
            (gg:DiagnosticTest "diagnostic tests" 8) (gg:Treatment "treatments" 9)
            (gg:ConditionCaution "cautions" 10) (gg:Progression "progressions" 11)
            (gg:Study "studies" 12) (gg:Claim "article claims" 13) }
          ?x a ?class } GROUP BY ?kind ?order ORDER BY ?order""")
    line = ", ".join(f"{r.n} {r.kind}" for r in counts)
    return Panel(Text(f"{len(kg):,} triples: {line}. Every link names its source."),
                 title=title("glutegraph: a knowledge graph of the gluteal muscles"),
                 title_align="left")


def _muscles(kg: KnowledgeGraph) -> RenderableType:
    table = Table("muscle", "prime mover of", "also helps with", "nerve",
                  title="The muscles and what they do", title_justify="left")
    for name in TOUR_MUSCLES:
        m = kg.muscle(name)
        prime = sorted({c.action.label or "" for c in m.actions
                        if c.action and c.role and c.role.iri.endswith("PrimeMover")})
        other = sorted({c.action.label or "" for c in m.actions
                        if c.action and not (c.role and c.role.iri.endswith("PrimeMover"))}
                       - set(prime))
        nerves = m.innervated_by or [p for parent in m.part_of
                                     for p in kg.muscle(parent.iri).innervated_by]
        table.add_row(m.label or "", ", ".join(prime) or "-", ", ".join(other) or "-",
                      _names(nerves))
    return table


def _corrections(kg: KnowledgeGraph) -> RenderableType:
    table = Table("the article said", "verdict", "the evidence says",
                  title="The article's claims that the evidence corrects", title_justify="left")
    for claim in [*kg.claims("corrected"), *kg.claims("not supported")]:
        table.add_row(claim.text or claim.label or "", _names([claim.verdict]),
                      claim.correction or "-")
    return table


def as_json(value: Any) -> str:
    """Return a model, a list of models or explanations as indented JSON."""
    import json
    import sys

    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump_json(indent=2)
    # explanations exist only once their module (and networkx, 0.2 s) is loaded: no import here
    explain = sys.modules.get("glutegraph.explain")
    if (explain is not None and isinstance(value, list) and value
            and isinstance(value[0], explain.Explanation)):
        return json.dumps([[step.__dict__ for step in e.steps] for e in value], indent=2,
                          ensure_ascii=False)
    if hasattr(value, "to_json"):
        return str(value.to_json(indent=2))
    return json.dumps(value, indent=2, default=str)
