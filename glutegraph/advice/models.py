"""The answers of the advice questions: a staged recommendation, and similar exercises.

Example:
    >>> from glutegraph.models import Ref
    >>> step = Step(exercise=Ref(iri="x", label="glute bridge"), stage=1,
    ...             evidence="curated target, no EMG figure", why=["lists it"])
    >>> str(step)
    'glute bridge (curated target, no EMG figure)'

"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from glutegraph.models import Measurement, Ref

#: What every recommendation says it is.
DISCLAIMER = ("A summary of the evidence glutegraph holds, not medical advice: it does not know "
              "your history, pain or goals. See a physiotherapist or doctor for pain, injury or "
              "a condition.")


class Step(BaseModel):
    """One exercise in a recommendation: its stage, why it is there, and on what evidence.

    ``why`` is the path from the target to the exercise, in sentences: the measurement (with
    its study), the action the target produces that the exercise trains, the curated target
    link, the progression from the step before. ``modifications`` are what a stated condition
    asks to change. ``after`` is the easier exercise this one progresses from, where the graph
    has that link.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    exercise: Ref
    stage: int
    evidence: str
    why: list[str]
    best: Measurement | None = None
    sources: list[Ref] = []
    after: Ref | None = None
    modifications: list[str] = []

    def __str__(self) -> str:
        return f"{self.exercise} ({self.evidence})"

    def __repr__(self) -> str:
        from glutegraph.jupyter import short_repr

        return short_repr(self)


class Stage(BaseModel):
    """A stage of a recommendation: its number, what it is for, and its steps, in order."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    number: int
    name: str
    steps: list[Step]

    def __str__(self) -> str:
        steps = ", ".join(str(s.exercise) for s in self.steps)
        return f"Stage {self.number}: {self.name}: {steps}"

    def __repr__(self) -> str:
        from glutegraph.jupyter import short_repr

        return short_repr(self)


class Excluded(BaseModel):
    """An exercise a filter left out, and why (with the source, for a condition's caution)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    exercise: Ref
    reason: str
    sources: list[Ref] = []

    def __str__(self) -> str:
        return f"{self.exercise}: {self.reason}"

    def __repr__(self) -> str:
        from glutegraph.jupyter import short_repr

        return short_repr(self)


class Recommendation(BaseModel):
    """An ordered, staged choice of exercises for a target and a person, with its reasons.

    ``profile`` echoes the filters as understood (names resolved); ``notes`` say where the
    graph has no evidence for a filter, rather than guessing; ``excluded`` lists what the
    filters left out and why.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    target: Ref
    profile: dict[str, str]
    stages: list[Stage]
    excluded: list[Excluded] = []
    notes: list[str] = []
    disclaimer: str = DISCLAIMER

    @property
    def steps(self) -> list[Step]:
        """Every step, in order."""
        return [step for stage in self.stages for step in stage.steps]

    def __str__(self) -> str:
        wanted = ", ".join(f"{k}: {v}" for k, v in self.profile.items())
        lines = [f"Exercises for the {self.target} ({wanted})"]
        for stage in self.stages:
            lines.append(f"Stage {stage.number}: {stage.name}")
            for step in stage.steps:
                lines.append(f"  - {step}")
                lines += [f"      {reason}" for reason in step.why]
                lines += [f"      modify: {m}" for m in step.modifications]
        if self.excluded:
            lines.append(f"Left out ({len(self.excluded)}):")
            lines += [f"  - {e}" for e in self.excluded[:12]]
            if len(self.excluded) > 12:
                lines.append(f"  ... and {len(self.excluded) - 12} more")
        lines += [f"Note: {n}" for n in self.notes]
        lines.append(self.disclaimer)
        return "\n".join(lines)

    def __repr__(self) -> str:
        """One line: the target, the profile and the steps' exercises.

        Example:
            >>> from glutegraph.models import Ref
            >>> Recommendation(target=Ref(iri="x", label="gluteus medius"), profile={},
            ...                stages=[])
            <Recommendation: gluteus medius; 0 stages, 0 steps; 0 left out>

        """
        from glutegraph.jupyter import shorten

        steps = ", ".join(str(s.exercise) for s in self.steps)
        wanted = "; ".join(f"{k}: {v}" for k, v in self.profile.items())
        text = shorten(f"{self.target}{' (' + wanted + ')' if wanted else ''}; "
                       f"{len(self.stages)} stages, {len(self.steps)} steps"
                       f"{': ' + steps if steps else ''}; {len(self.excluded)} left out", 200)
        return f"<Recommendation: {text}>"

    def _repr_html_(self) -> str:
        """Stages as tables with each step's evidence and reasons, what was left out, notes."""
        from glutegraph.jupyter import recommendation_html

        return recommendation_html(self)

    def to_dataframe(self) -> Any:
        """One row per step: stage, exercise, evidence, its best figure (study, n), why.

        Needs pandas (``glutegraph[notebook]``); figures are floats, ``n`` an integer column.
        """
        from glutegraph.jupyter import measurement_record
        from glutegraph.results import figure_frame

        return figure_frame([
            {"stage": stage.number, "stage_name": stage.name, "exercise": step.exercise.name,
             "evidence": step.evidence, **measurement_record(step.best),
             "why": " ".join(step.why), "modify": " ".join(step.modifications)}
            for stage in self.stages for step in stage.steps
        ])


class SimilarExercise(BaseModel):
    """An exercise like another: what they share, how they differ, and which way is harder.

    ``direction`` is ``"harder"`` or ``"easier"`` when the graph's progressions lead from one
    to the other (``via`` names the steps), ``"variant"`` when one is a variant of the other.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    exercise: Ref
    score: float
    shared_actions: list[Ref] = []
    shared_targets: list[Ref] = []
    same: list[str] = []
    differences: list[str] = []
    direction: str | None = None
    via: list[Ref] = []

    def __str__(self) -> str:
        shared = ", ".join(r.name for r in [*self.shared_actions, *self.shared_targets])
        way = f" [{self.direction}]" if self.direction else ""
        differ = f"; differs: {'; '.join(self.differences)}" if self.differences else ""
        return f"{self.exercise}{way}: shares {shared}{differ}"

    def __repr__(self) -> str:
        from glutegraph.jupyter import short_repr

        return short_repr(self)
