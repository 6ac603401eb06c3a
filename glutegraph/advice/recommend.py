"""Recommendations: which exercises for a target and a person, in what order, and why.

The reasoning follows the article the project started from, checked against the evidence: to
train a target, choose exercises that train what it does, measured where possible; begin with
simple exercises where the muscle is easy to feel and control, then add load and complexity; a
person with a condition needs a different selection.

1. **Candidates** are the curated exercises for the target (:meth:`exercises`): measured ones
   and those the curated graph lists with the target as a primary or secondary target; and
   those the rules derive train it (an action it, or the muscle it is part of, produces).
2. **Filters** leave out, each with its reason: a level above the person's, equipment they do
   not have, the wrong laterality, knee-dominant exercises when the knee must be spared, and
   what a stated condition says to avoid (an exercise, or an action it trains; with the
   caution's source). What a condition says to modify is kept, with the modification.
3. **Stages** order what is left by demand (difficulty, then isolation before compound) and
   cut it into ``stages`` groups of about the same size; every progression link in the graph
   is respected (the harder exercise never comes before the easier one). Each stage takes its
   best-evidenced exercises, shown easiest first. The evidence order is: a measured
   mean %MVIC of the target, then a peak, then a curated primary target, then a secondary one,
   then a primary target of the muscle the target is part of; last, exercises the rules derive
   (``ontology/rules/exercise-trains-muscle.rq``: they train an action the target produces).
4. **Notes** say where the graph cannot check a filter, rather than guessing.

Example:
    >>> import glutegraph as gg
    >>> plan = gg.load().recommend("upper glutes", level="beginner", equipment=["elastic band"])
    >>> [s.exercise.label for s in plan.stages[0].steps]
    ['lying knee lift', 'clamshell']

"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import pyoxigraph as ox

from glutegraph.advice.models import Excluded, Recommendation, Stage, Step
from glutegraph.errors import InvalidArgumentError
from glutegraph.guards import choice, positive_int, texts
from glutegraph.models import Caution, Exercise, Measurement, Progression, Ref
from glutegraph.results import RankedExercise

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

#: Difficulty levels (local names), easiest first.
LEVELS = ("Beginner", "Intermediate", "Expert")
#: Complexity (local names), simplest first.
COMPLEXITY = ("Isolation", "Compound")
#: Stage names by how many stages there are.
STAGE_NAMES = {
    1: ["the best-evidenced exercises"],
    2: ["contact and control", "load and complexity"],
    3: ["contact and control", "build load", "load and complexity"],
}
LATERALITY = {"single": "SingleLeg", "double": "DoubleLeg"}
BODY_WEIGHT = "https://w3id.org/glutegraph/kb/body_weight"


def recommend(
    kg: KnowledgeGraph,
    target: str,
    *,
    level: str | None = None,
    equipment: Sequence[str] | None = None,
    conditions: Sequence[str] = (),
    laterality: str | None = None,
    knee_friendly: bool = False,
    stages: int = 3,
    per_stage: int = 2,
) -> Recommendation:
    """Return a staged, explained choice of exercises for ``target`` (see the module).

    Args:
        kg: the graph to ask.
        target: a muscle, region or group ("upper glutes", "gluteus medius").
        level: the person's level (beginner, intermediate, expert): nothing harder.
        equipment: what they have ("elastic band", "barbell"; body weight is always there);
            ``None``: anything.
        conditions: conditions to screen for ("gluteal tendinopathy").
        laterality: ``"single"`` or ``"double"`` (leg), or ``None`` for both.
        knee_friendly: only hip-dominant exercises (little knee load).
        stages: how many stages (1 to 6).
        per_stage: exercises per stage (1 to 10).

    Raises:
        UnknownNameError: a name matches nothing (with suggestions).
        InvalidArgumentError: a filter has a wrong type or value.

    """
    positive_int(stages, "stages", maximum=6)
    positive_int(per_stage, "per_stage", maximum=10)
    if laterality is not None:
        choice(laterality, "laterality", LATERALITY)
    if not isinstance(knee_friendly, bool):
        raise InvalidArgumentError(f"knee_friendly must be True or False, not {knee_friendly!r}")
    for name, value in (("conditions", conditions), ("equipment", equipment)):
        if isinstance(value, str):
            raise InvalidArgumentError(f"{name} is a list of names, e.g. [{value!r}], not one "
                                       "string")
    condition_names = texts(list(conditions), "conditions") if conditions else []
    target_ref = kg.resolve(target, "muscle")
    level_rank = LEVELS.index(_local(kg.resolve(level, "difficulty").iri)) if level else None
    have = None
    if equipment is not None:
        have = {kg.resolve(e, "equipment").iri for e in texts(list(equipment), "equipment")}
        have.add(BODY_WEIGHT)
    screened = [kg.resolve(c, "condition") for c in condition_names]
    cautions = {c.iri: list(kg.cautions(c.iri)) for c in screened}

    everything = kg.exercises(target=target_ref.iri)
    ranking = [r for r in everything if r.kind != "imported"]
    notes: list[str] = []
    if len(ranking) < len(everything):
        notes.append("Records imported from data sets or your tables are not recommended: "
                     "their level, equipment and movement pattern are not curated.")
    for iri in _derived_candidates(kg, target_ref, {r.exercise.iri for r in ranking}):
        ranking.append(RankedExercise(exercise=kg._ref(iri), target=target_ref, kind="derived"))
    kept: list[tuple[RankedExercise, Exercise, list[str]]] = []
    excluded: list[Excluded] = []
    modification_sources: dict[str, list[Ref]] = {}
    for ranked in ranking:
        exercise = kg.exercise(ranked.exercise.iri)
        if exercise.imported:  # a lab's own measured exercise: not curated, not recommended
            continue
        reason, sources, modify = _screen(exercise, level_rank, have, laterality, knee_friendly,
                                          cautions, screened)
        if reason is not None:
            excluded.append(Excluded(exercise=ranked.exercise, reason=reason, sources=sources))
        else:
            kept.append((ranked, exercise, modify))
            modification_sources[exercise.iri] = sources
    for condition in screened:
        if not cautions[condition.iri]:
            notes.append(f"glutegraph holds no cautions for {condition}: the exercises are not "
                         "screened for it.")
    if not any(r.best for r, _, _ in kept):
        notes.append(f"No EMG figure of the {target_ref} is stored for these exercises: the "
                     "order rests on the curated targets, not on measurements.")

    harder = _harder_than(kg.progressions())
    if 0 < len(kept) < stages:
        notes.append(f"Only {len(kept)} exercise(s) fit these filters: {len(kept)} stage(s).")
        stages = len(kept)
    contributions = _contributions(kg, target_ref)
    parents = {r.iri for r in kg.muscle(target_ref.iri).part_of}

    def evidence(k: tuple[RankedExercise, Exercise, list[str]]) -> tuple[int, Decimal, str]:
        return _evidence_rank(k[0], k[1], contributions, parents)

    staged = _stages(kept, stages, harder, evidence)

    def pick(number: int) -> list[tuple[RankedExercise, Exercise, list[str]]]:
        members = sorted((k for k in kept if staged[k[1].iri] == number), key=evidence)
        chosen_here = sorted(members[:per_stage], key=lambda k: (_demand(k[1]), evidence(k)))
        return _in_progression_order(chosen_here, harder)  # easiest first, as linked

    # a link through an exercise the filters removed (bodyweight squat -> goblet squat -> back
    # squat, with no kettlebell) is not in the stages yet: a chosen harder step that comes
    # before its chosen easier one joins that one's stage, until none does
    while _move_harder_later({n: pick(n) for n in range(1, stages + 1)}, staged, harder):
        pass
    used = sorted(set(staged.values()))
    if len(used) < stages:  # a stage was left with nothing
        notes.append(f"{len(used)} stage(s), not {stages}: the progression links between the "
                     "exercises that fit put each harder step after its easier one.")
        renumber = {old: new for new, old in enumerate(used, 1)}
        staged = {iri: renumber[n] for iri, n in staged.items()}
        stages = len(used)
    chosen: list[Stage] = []
    names = STAGE_NAMES.get(stages) or [f"stage {i}" for i in range(1, stages + 1)]
    steps_so_far: list[Step] = []
    for number in range(1, stages + 1):
        picked = pick(number)
        steps = []
        for r, e, m in picked:  # one by one: a step can follow one of the same stage
            steps.append(_step(r, e, m, number, target_ref, contributions, harder,
                               steps_so_far, parents, modification_sources[e.iri]))
            steps_so_far.append(steps[-1])
        if len(steps) < per_stage:
            notes.append(f"Stage {number} ({names[number - 1]}) has {len(steps)} exercise(s) "
                         f"of the {per_stage} asked for: no more fit the filters there.")
        chosen.append(Stage(number=number, name=names[number - 1], steps=steps))
    profile = {"target": target_ref.label or target_ref.curie}
    if level:
        profile["level"] = LEVELS[level_rank or 0].lower()
    if have is not None:
        profile["equipment"] = ", ".join(sorted(kg.names.labels.get(i, i) for i in have))
    if screened:
        profile["conditions"] = ", ".join(c.label or c.curie for c in screened)
    if laterality:
        profile["laterality"] = f"{laterality} leg"
    if knee_friendly:
        profile["knee"] = "hip-dominant only (little knee load)"
    return Recommendation(target=target_ref, profile=profile, stages=chosen, excluded=excluded,
                          notes=notes)


def _derived_candidates(kg: KnowledgeGraph, target: Ref, known: set[str]) -> list[str]:
    """Return the exercises the rules derive train the target, not in the ranking yet.

    The target itself, a muscle it is part of, or (for a group) one of its members.
    """
    from glutegraph.sparql import iterate

    query = """SELECT DISTINCT ?target ?exercise WHERE {
      ?exercise gg:trainsMuscle ?muscle .
      { ?target gg:partOf* ?muscle } UNION { ?muscle gg:partOf+ ?target }
    } ORDER BY ?exercise"""
    rows = iterate(kg.store, query, target=ox.NamedNode(target.iri))
    return [r["exercise"].value for r in rows if r["exercise"].value not in known]


def _local(iri: str | None) -> str:
    return (iri or "").rsplit("/", 1)[-1]


def _screen(
    exercise: Exercise,
    level_rank: int | None,
    have: set[str] | None,
    laterality: str | None,
    knee_friendly: bool,
    cautions: dict[str, list[Caution]],
    screened: list[Ref],
) -> tuple[str | None, list[Ref], list[str]]:
    """Return why the exercise is left out (and the sources), or None and what to modify."""
    difficulty = _local(exercise.difficulty.iri if exercise.difficulty else None)
    if level_rank is not None:
        if difficulty not in LEVELS:
            return "no difficulty recorded, so its level cannot be checked", [], []
        if LEVELS.index(difficulty) > level_rank:
            return f"{difficulty.lower()}: above the level asked for", [], []
    if have is not None:
        missing = [e for e in exercise.equipment if e.iri not in have]
        if missing:
            return f"needs {', '.join(e.name for e in missing)}", [], []
    if laterality is not None:
        side = _local(exercise.laterality.iri if exercise.laterality else None)
        if side != LATERALITY[laterality]:
            wanted = f"{laterality}-leg"
            return (f"not a {wanted} exercise" if side else "laterality not recorded"), [], []
    if knee_friendly:
        joint = _local(exercise.dominant_joint.iri if exercise.dominant_joint else None)
        if joint != "HipDominant":
            why = ("knee-dominant: it loads the knee" if joint == "KneeDominant"
                   else "no dominant joint recorded, so its knee load cannot be checked")
            return why, [], []
    modify: list[str] = []
    modify_sources: list[Ref] = []
    trained = {exercise.iri, *(a.iri for a in exercise.actions)}
    for condition in screened:
        for caution in cautions[condition.iri]:
            about = [a for a in caution.about if a.iri in trained]
            if not about:
                continue
            what = ", ".join(a.name for a in about)
            sources = [*caution.evidence, *caution.sources]
            if _local(caution.advice.iri if caution.advice else None) == "AvoidAdvice":
                finding = f": {caution.finding}" if caution.finding else ""
                return f"avoid with {condition} ({what}){finding}", _unique(sources), []
            if caution.modification:
                modify.append(f"with {condition} ({what}): {caution.modification}")
                modify_sources += sources
    return None, _unique(modify_sources), modify


def _harder_than(progressions: Iterable[Progression]) -> dict[str, dict[str, Progression]]:
    """Return easier IRI -> {harder IRI: the progression}, for the direct links."""
    links: dict[str, dict[str, Progression]] = {}
    for p in progressions:
        if p.easier and p.harder:
            links.setdefault(p.easier.iri, {})[p.harder.iri] = p
    return links


def _reachable(start: str, harder: dict[str, dict[str, Progression]]) -> set[str]:
    seen: set[str] = set()
    todo = list(harder.get(start, {}))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += harder.get(node, {})
    return seen


def _demand(exercise: Exercise) -> tuple[int, int]:
    difficulty = _local(exercise.difficulty.iri if exercise.difficulty else None)
    complexity = _local(exercise.complexity.iri if exercise.complexity else None)
    return (LEVELS.index(difficulty) if difficulty in LEVELS else 1,
            COMPLEXITY.index(complexity) if complexity in COMPLEXITY else 1)


def _stages(
    kept: list[tuple[RankedExercise, Exercise, list[str]]],
    stages: int,
    harder: dict[str, dict[str, Progression]],
    evidence: Callable[[tuple[RankedExercise, Exercise, list[str]]], tuple[int, Decimal, str]],
) -> dict[str, int]:
    """Return each kept exercise's stage, then never before an easier step's.

    The exercises, ordered by demand (and evidence among equals), are cut into ``stages``
    groups of about the same size, so that every stage has exercises to choose from.
    """
    ordered = sorted(kept, key=lambda k: (_demand(k[1]), evidence(k)))
    stage = {k[1].iri: 1 + i * stages // len(ordered) for i, k in enumerate(ordered)}
    changed = True
    while changed:  # the progression graph has no cycles (a check refuses them)
        changed = False
        for easier, later in harder.items():
            for hard in later:
                if easier in stage and hard in stage and stage[hard] < stage[easier]:
                    stage[hard] = stage[easier]
                    changed = True
    return stage


def _move_harder_later(
    picks: dict[int, list[tuple[RankedExercise, Exercise, list[str]]]],
    stage: dict[str, int],
    harder: dict[str, dict[str, Progression]],
) -> bool:
    """Move one chosen step that is harder than a later chosen step to that step's stage.

    Returns whether a step moved. Each move puts a step in a later stage, so moves end.
    """
    chosen = [(number, k[1].iri) for number, ks in picks.items() for k in ks]
    for number, easier in chosen:
        for earlier, hard in chosen:
            if earlier < number and hard in _reachable(easier, harder):
                stage[hard] = number
                return True
    return False


def _evidence_rank(
    ranked: RankedExercise,
    exercise: Exercise,
    contributions: list[tuple[Ref, Ref, Ref | None, list[Ref]]],
    parents: set[str],
) -> tuple[int, Decimal, str]:
    """Rank by evidence, the best first.

    Measured (means, then peaks), a curated primary, then secondary target; then a primary
    target of the muscle the target is part of; then derived only, by how many of the
    target's actions (prime mover first) it trains.
    """
    from glutegraph.ranking import measurement_rank

    if ranked.best is not None:
        tier, value = measurement_rank(ranked.best)
        return (-tier, Decimal(-value), ranked.exercise.name.casefold())
    if ranked.role:
        return (10 if ranked.role == "primary" else 11, Decimal(0),
                ranked.exercise.name.casefold())
    if parents & {t.iri for t in exercise.primary_targets}:
        return (12, Decimal(0), ranked.exercise.name.casefold())
    if parents & {t.iri for t in exercise.secondary_targets}:
        return (13, Decimal(0), ranked.exercise.name.casefold())
    trained = {a.iri for a in exercise.actions}
    weight = sum(2 if role and role.iri.endswith("PrimeMover") else 1
                 for _, action, role, _ in contributions if action.iri in trained)
    return (14, Decimal(-weight), ranked.exercise.name.casefold())


def _in_progression_order(
    members: list[tuple[RankedExercise, Exercise, list[str]]],
    harder: dict[str, dict[str, Progression]],
) -> list[tuple[RankedExercise, Exercise, list[str]]]:
    """Keep the evidence order, except that an easier step always comes before a harder."""
    ordered: list[tuple[RankedExercise, Exercise, list[str]]] = []
    for member in members:
        later = _reachable(member[1].iri, harder)
        at = next((i for i, o in enumerate(ordered) if o[1].iri in later), len(ordered))
        ordered.insert(at, member)
    return ordered


def _contributions(kg: KnowledgeGraph, target: Ref) -> list[tuple[Ref, Ref, Ref | None, list[Ref]]]:
    """Return (structure, action, role, sources) for the target and the muscles it is part of."""
    found = []
    structure = kg.muscle(target.iri)  # with the muscle it is part of, or a group's members
    related = [structure, *(kg.muscle(r.iri) for r in [*structure.part_of, *structure.parts])]
    for s in related:
        for c in s.actions:
            if c.action is not None:
                found.append((s.ref, c.action, c.role, _unique([*c.sources])))
    return found


def _step(
    ranked: RankedExercise,
    exercise: Exercise,
    modify: list[str],
    number: int,
    target: Ref,
    contributions: list[tuple[Ref, Ref, Ref | None, list[Ref]]],
    harder: dict[str, dict[str, Progression]],
    before: list[Step],
    parents: set[str],
    caution_sources: list[Ref],
) -> Step:
    why: list[str] = []
    sources: list[Ref] = []
    best = ranked.best
    parent, parent_role = next(((t, r) for r, targets in (("primary", exercise.primary_targets),
                                                   ("secondary", exercise.secondary_targets))
                         for t in targets if t.iri in parents), (None, ""))
    if best is not None:
        why.append(_measured(best))
        sources += [best.study] if best.study else best.sources
        kind = "mean" if best.mean_mvic is not None else "peak"
        value = best.mean_mvic if best.mean_mvic is not None else best.peak_mvic
        evidence = f"measured: {value} %MVIC {kind} of the {best.muscle}"
    elif ranked.kind == "derived" and parent:
        evidence = f"curated {parent_role} target of the {parent.name}, no EMG figure"
        why.append(f"the curated graph lists the {parent.name} (of which the {target.name} is "
                   f"a part) as a {parent_role} target")
        sources += exercise.sources
    elif ranked.kind == "derived":
        evidence = "derived: it trains an action of the target, no EMG figure"
    else:
        evidence = f"curated {ranked.role} target, no EMG figure"
    trained = {a.iri for a in exercise.actions}
    for structure, action, role, cited in contributions:
        if action.iri in trained:
            as_role = f" as {role.name}" if role else ""
            rule = " (rule exercise-trains-muscle)" if ranked.kind == "derived" else ""
            why.append(f"trains {action.name}, which the {structure.name} produces"
                       f"{as_role}{rule}")
            sources += cited
    if ranked.role:
        why.append(f"the curated graph lists the {target} (or a part of it) as a "
                   f"{ranked.role} target")
        sources += exercise.sources
    after = None
    for step in reversed(before):
        link = harder.get(step.exercise.iri, {}).get(exercise.iri)
        if link is not None:
            how = ", ".join(k.name for k in link.kinds)
            why.append(f"a harder step after {step.exercise} ({how})")
            sources += link.evidence or link.sources
            after = step.exercise
            break
    return Step(exercise=ranked.exercise, stage=number, evidence=evidence, why=why, best=best,
                sources=_unique([*sources, *caution_sources]), after=after,
                modifications=modify)


def _measured(m: Measurement) -> str:
    n = f", n={m.sample_size}" if m.sample_size else ""
    if m.mean_mvic is not None:
        sd = f" ± {m.sd_mvic}" if m.sd_mvic is not None else ""
        return f"{m.muscle} measured at {m.mean_mvic}{sd} %MVIC, mean ({m.study}{n})"
    return f"{m.muscle} measured at {m.peak_mvic} %MVIC, peak ({m.study}{n})"


def _unique(refs: Iterable[Ref | None]) -> list[Ref]:
    return list({r.iri: r for r in refs if r is not None}.values())
