"""Similar exercises: the same actions and targets, the same movement pattern.

Two exercises are similar when they train the same actions and target the same muscles;
the score adds how much of each they share (Jaccard, 0 to 1 each), half a point for each
pattern they have in common (hip-only or hip-and-knee extension, single or double leg, hip- or
knee-dominant, isolation or compound), up to half a point for shared equipment, and a point
when the graph links them directly as a progression or a variant (half, through other steps).
Each answer says what they share, how they differ (pattern, equipment, level), and, where the
graph's progressions lead from one to the other, which way is harder and through which steps.

Example:
    >>> import glutegraph as gg
    >>> near = gg.load().similar("Bulgarian split squat", limit=3)
    >>> near[0].exercise.label
    'split squat'
    >>> near[0].direction
    'easier'

"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glutegraph.advice.models import SimilarExercise
from glutegraph.guards import positive_int
from glutegraph.models import Exercise, Ref

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

#: The pattern fields compared, with how they are named in answers.
PATTERN = {
    "extension_pattern": "extension pattern",
    "laterality": "laterality",
    "dominant_joint": "dominant joint",
    "complexity": "complexity",
}


def similar(kg: KnowledgeGraph, exercise: str, *, limit: int = 5) -> list[SimilarExercise]:
    """Return the curated exercises most like ``exercise``, most similar first.

    Raises:
        UnknownNameError: no exercise has that name.
        InvalidArgumentError: ``limit`` is not a positive int.

    """
    positive_int(limit, "limit", maximum=100)
    this = kg.exercise(exercise)
    steps = {(p.easier.iri, p.harder.iri) for p in kg.progressions() if p.easier and p.harder}
    found = []
    for other in kg.exercises():
        if other.exercise.iri == this.iri:
            continue
        that = kg.exercise(other.exercise.iri)
        answer = _compare(this, that, steps)
        if answer is not None:
            found.append(answer)
    found.sort(key=lambda s: (-s.score, s.exercise.name))
    return found[:limit]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _compare(this: Exercise, that: Exercise, steps: set[tuple[str, str]]
             ) -> SimilarExercise | None:
    actions = {r.iri: r for r in this.actions}
    targets = {r.iri: r for r in [*this.primary_targets, *this.secondary_targets]}
    their_actions = {r.iri for r in that.actions}
    their_targets = {r.iri for r in [*that.primary_targets, *that.secondary_targets]}
    shared_actions = [actions[i] for i in sorted(actions.keys() & their_actions)]
    shared_targets = [targets[i] for i in sorted(targets.keys() & their_targets)]
    if not shared_actions or not shared_targets:
        return None
    same, differences = [], []
    for field, name in PATTERN.items():
        mine, theirs = getattr(this, field), getattr(that, field)
        if mine is not None and theirs is not None:
            if mine.iri == theirs.iri:
                same.append(f"{name}: {mine}")
            else:
                differences.append(f"{name}: {theirs} (not {mine})")
    mine_kit = {e.iri for e in this.equipment}
    their_kit = {e.iri for e in that.equipment}
    if mine_kit != their_kit:
        differences.append(f"equipment: {', '.join(e.name for e in that.equipment) or 'none'} "
                           f"(not {', '.join(e.name for e in this.equipment) or 'none'})")
    if this.difficulty and that.difficulty and this.difficulty.iri != that.difficulty.iri:
        differences.append(f"level: {that.difficulty} (not {this.difficulty})")
    direction, via = _direction(this.iri, that.iri, steps)
    if direction is None and ({r.iri for r in this.variant_of} & {that.iri}
                              or {r.iri for r in that.variant_of} & {this.iri}):
        direction = "variant"
    score = (_jaccard(set(actions), their_actions) + _jaccard(set(targets), their_targets)
             + 0.5 * len(same) + 0.5 * _jaccard(mine_kit, their_kit)
             + (1.0 if direction and not via else 0.5 if direction else 0.0))
    return SimilarExercise(exercise=that.ref, score=round(score, 3),
                           shared_actions=shared_actions, shared_targets=shared_targets,
                           same=same, differences=differences, direction=direction, via=via)


def _direction(a: str, b: str, steps: set[tuple[str, str]]) -> tuple[str | None, list[Ref]]:
    """Return "harder" if progressions lead from a to b, "easier" if from b to a (and the path)."""
    for start, end, word in ((a, b, "harder"), (b, a, "easier")):
        path = _path(start, end, steps)
        if path:
            return word, [Ref(iri=i) for i in path[1:-1]]
    return None, []


def _path(start: str, end: str, steps: set[tuple[str, str]]) -> list[str]:
    frontier, came = [start], {start: start}
    while frontier:
        node = frontier.pop(0)
        if node == end:
            path = [end]
            while path[-1] != start:
                path.append(came[path[-1]])
            return path[::-1]
        for easier, harder in steps:
            if easier == node and harder not in came:
                came[harder] = node
                frontier.append(harder)
    return []
