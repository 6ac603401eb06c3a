"""The questions users ask, as methods of the knowledge graph, each backed by a named query.

Names given to these methods are looked up in the graph's name index first (so a typo gets a
"did you mean"), and only the IRIs found are bound into the queries in ``glutegraph/queries``.

Example:
    >>> import glutegraph as gg
    >>> kg = gg.load()
    >>> print(kg.exercises(target="gluteus medius", limit=3))
     1. side-lying hip abduction: gluteus medius 99.9 %MVIC mean
        (MacAskill et al., Int J Sports Phys Ther; young, healthy adults; 10RM) [+4 more]
     2. standing hip abduction: gluteus medius 64.68 %MVIC mean (Sinsurin 2015, ...) [+2 more]
     3. single-leg squat: gluteus medius 64 %MVIC mean (Distefano 2009, ...) [+7 more]

"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from glutegraph.errors import GluteGraphError
from glutegraph.facts import describe_query as plain_describe_query
from glutegraph.facts import read_facts
from glutegraph.guards import angle, positive_int, text, texts
from glutegraph.models import (
    Caution,
    Claim,
    Condition,
    Contribution,
    Entity,
    Facts,
    Measurement,
    PooledEstimate,
    Progression,
    Ref,
    Study,
    TreatmentEvidence,
    model_for,
    nests,
)
from glutegraph.names import FETCH_BATCH, normalise
from glutegraph.namespaces import PREFIXES
from glutegraph.ranking import measurement_rank
from glutegraph.results import ComparisonRow, RankedExercise, Results, TagMatch
from glutegraph.sparql import Backend, iterate, named_query, run
from glutegraph.store import Origins
from glutegraph.terms import curie, expand

if TYPE_CHECKING:
    from glutegraph.advice.models import Recommendation, SimilarExercise
    from glutegraph.names import NameIndex

E = TypeVar("E", bound=Entity)

REPORTED_BY = PREFIXES["gg"] + "reportedBy"

#: Evidence strengths, strongest first, for ranking treatments.
STRENGTH_ORDER = (
    "StrongEvidence",
    "ModerateEvidence",
    "LimitedEvidence",
    "ConflictingEvidence",
    "NoTrialFound",
    "EvidenceAgainst",
)


class Questions:
    """Typed questions over the graph; mixed into :class:`~glutegraph.graph.KnowledgeGraph`."""

    store: Backend
    names: NameIndex
    _origins: Origins | None = None

    def origins(self) -> Origins:
        """Return which added file stated which triple (cached until the next :meth:`add`).

        Empty for a graph on a remote endpoint, which keeps no copies of added files.

        Example:
            >>> import glutegraph as gg
            >>> kg = gg.load(["tests/data/lab_extension.ttl"])
            >>> [p.rsplit("/", 1)[-1] for p in
            ...  kg.origins().of_subject("https://example.org/mylab/landmine_hip_thrust")]
            ['lab_extension.ttl']

        """
        if self._origins is None:
            from glutegraph.store import added_from

            self._origins = (added_from(self.store) if isinstance(self.store, ox.Store)
                             else Origins({}, {}))
        return self._origins

    def resolve(self, name: str | Ref | Entity, kind: str | None = None) -> Ref:  # pragma: no cover
        """Return a Ref to the named entity (KnowledgeGraph defines it)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ building models

    def _facts(self, sparql: str) -> Facts:
        """Run a query returning ?s ?p ?o and group its triples for building models."""
        return read_facts(self.store, sparql,
                          Facts(labels=self.names.labels, origins=self.origins().subjects))

    def _table(self, name: str, **values: Any) -> tuple[dict[str, int], list[ox.QuerySolution]]:
        """Return the rows of a named query and the position of each variable in a row.

        Read a row by position (``row[at["s"]]``): by variable name it costs ten times more.
        From an endpoint, the labels of the rows' IRIs are fetched too (one round trip).
        """
        answer = run(self.store, named_query(name, **values))
        assert isinstance(answer, ox.QuerySolutions)
        at = {v.value: i for i, v in enumerate(answer.variables)}
        rows = list(answer)
        if rows and not isinstance(self.store, ox.Store):
            self.names.labels.fetch(t.value for r in rows for t in r
                                    if isinstance(t, ox.NamedNode))
        return at, rows

    def _rows(self, name: str, **values: Any) -> list[dict[str, Any]]:
        """Return the rows of a named query as dicts, variable -> term (None: unbound)."""
        at, rows = self._table(name, **values)
        return [{v: row[i] for v, i in at.items()} for row in rows]

    def _describe(self, iri: str, expected: type[E]) -> E | None:
        """Return the model of ``iri``, or None when the graph does not type it as ``expected``.

        ``Entity`` means any kind, so everything that might be nested is fetched.
        """
        return self._described([iri], expected)[0]

    def _described(self, iris: list[str], expected: type[E]) -> list[E | None]:
        """Return the models of ``iris`` (as :meth:`_describe`), one query per 400 of them."""
        found: list[E | None] = []
        for at in range(0, len(iris), FETCH_BATCH):
            batch = iris[at:at + FETCH_BATCH]
            name, values = describe_query(expected, batch)
            facts = self._facts(named_query(name, **values))
            for iri in batch:
                model = model_for(facts.types(iri))
                found.append(facts.build(model, iri) if issubclass(model, expected) else None)
        return found

    # ------------------------------------------------------------------ function

    def muscles(
        self,
        action: str | None = None,
        *,
        hip_flexion: float | None = None,
        role: str | None = None,
    ) -> Results[Contribution]:
        """Return which structures produce an action: muscle, action, role, hip position, sources.

        Args:
            action: a joint action ("hip abduction"); every action when left out.
            hip_flexion: a hip flexion angle in degrees, from -30 to 140; contributions that
                only hold in other hip positions are left out (piriformis rotates outward at 0
                degrees, inward at 90).
            role: "prime mover" or "secondary mover".

        Raises:
            InvalidArgumentError: ``hip_flexion`` is not a finite number from -30 to 140, or
                ``role`` is not text.

        Example:
            >>> import glutegraph as gg
            >>> kg = gg.load()
            >>> prime = kg.muscles("hip abduction", role="prime mover")
            >>> sorted({c.contributor.label for c in prime})
            ['gluteus medius', 'gluteus minimus']
            >>> sorted({c.action.label for c in kg.muscles(hip_flexion=90)
            ...         if c.contributor.label == "piriformis"})
            ['hip abduction', 'hip internal rotation']

        """
        bindings: dict[str, Any] = {"action": self._iri(action, "action")}
        if hip_flexion is not None:
            bindings["angle"] = angle(hip_flexion, "hip_flexion")  # finite, -30 to 140 degrees
        wanted_role = normalise(text(role, "role")) if role is not None else None  # "": none
        labels = self.names.labels
        found = []
        for row in self._rows("muscles_for_action", **bindings):
            role_iri = row["role"].value
            if wanted_role is not None and wanted_role not in (
                normalise(labels.get(role_iri, "")),
                normalise(_local(role_iri)),
            ):
                continue
            position = row["position"]
            status = row["status"]
            sources = row["sources"].value.split() if row["sources"] else []
            found.append(
                Contribution(
                    iri=row["contribution"].value,
                    label=labels.get(row["contribution"].value),
                    contributor=self._ref(row["structure"].value),
                    action=self._ref(row["act"].value),
                    role=self._ref(role_iri),
                    hip_positions=[self._ref(position.value)] if position else [],
                    evidence_status=self._ref(status.value) if status else None,
                    sources=sorted((self._ref(s) for s in sources), key=lambda r: r.name),
                    added_from=list(self.origins().of_subject(row["contribution"].value)),
                )
            )
        found.sort(
            key=lambda c: (
                c.action.name if c.action else "",
                _role_rank(c),
                c.contributor.name if c.contributor else "",
            )
        )
        return Results(found)

    # ------------------------------------------------------------------ exercises

    def exercises(
        self,
        target: str | None = None,
        *,
        action: str | None = None,
        equipment: str | None = None,
        difficulty: str | None = None,
        limit: int | None = None,
    ) -> Results[RankedExercise]:
        """Return exercises, ranked for a target muscle or region by measured EMG activation.

        Exercises with a measurement of the target (or of its regions) come first, highest
        mean %MVIC first, each with its study; then exercises that name the target as a
        primary, then a secondary, target without a measurement.

        Args:
            target: a muscle, region or group ("upper gluteus maximus", "glute med").
            action: only exercises that train this action ("hip abduction").
            equipment: only exercises that use this equipment ("barbell", "body weight").
            difficulty: only exercises of this level ("beginner").
            limit: at most this many answers (a positive int).

        Raises:
            InvalidArgumentError: ``limit`` is not a positive int.

        Example:
            >>> import glutegraph as gg
            >>> top = gg.load().exercises(target="upper gluteus maximus")[0]
            >>> top.exercise.label, top.best.mean_mvic, top.best.study.label
            ('barbell hip thrust', Decimal('69.5'), 'Contreras 2015, J Appl Biomech')

        """
        if limit is not None:
            positive_int(limit, "limit")
        bindings = {
            "action": self._iri(action, "action"),
            "equipment": self._iri(equipment, "equipment"),
            "difficulty": self._iri(difficulty, "difficulty"),
        }
        if target is None:
            listed = self._rows("exercises", **bindings)
            refs = sorted({self._ref(r["exercise"].value) for r in listed}, key=lambda r: r.name)
            return Results([RankedExercise(exercise=r) for r in refs][:limit])
        target_ref = self.resolve(target, "muscle")
        bindings["target"] = ox.NamedNode(target_ref.iri)
        by_exercise: dict[str, dict[str, set[str]]] = {}
        facts = Facts(labels=self.names.labels, origins=self.origins().subjects)
        at, rows = self._table("exercise_activation", **bindings)
        exercise_at, role_at, s_at, p_at, o_at = (at[v] for v in ("exercise", "role", "s", "p",
                                                                  "o"))
        add = facts.add
        for row in rows:
            entry = by_exercise.get(row[exercise_at].value)
            if entry is None:
                entry = by_exercise[row[exercise_at].value] = {"roles": set(), "measured": set()}
            s, role = row[s_at], row[role_at]
            if s is not None:
                add(s, row[p_at], row[o_at])
                entry["measured"].add(s.value)
            elif role is not None:
                entry["roles"].add(_local(role.value))
        ranked = []
        for exercise, entry in by_exercise.items():
            built = [facts.build(Measurement, m) for m in entry["measured"]]
            measured = sorted(_by_iri(built), key=measurement_rank, reverse=True)
            roles = entry["roles"]
            role = (
                "primary"
                if "primaryTarget" in roles
                else "secondary"
                if "secondaryTarget" in roles
                else None
            )
            ranked.append(
                RankedExercise(
                    exercise=self._ref(exercise),
                    target=target_ref,
                    role=role,
                    best=measured[0] if measured else None,
                    measurements=measured,
                    kind="measured" if measured else "curated",
                )
            )
        if bindings["action"] is None:  # records carry no actions: an action filter drops them
            ranked += self._tagged(target_ref, bindings, set(by_exercise))
        ranked.sort(key=_exercise_rank)
        return Results(ranked[:limit])

    def _tagged(self, target: Ref, bindings: dict[str, ox.NamedNode | None], answered: set[str]
                ) -> list[RankedExercise]:
        """Return the imported records that tag the target and are not answered already."""
        found: dict[str, tuple[str, list[TagMatch]]] = {}
        del bindings["action"]
        for row in self._rows("exercise_tags", **bindings):
            record = row["record"].value
            if record in answered:  # measured (a lab's own exercise): ranked with the figures
                continue
            if row["same"] is not None:  # the same as a curated exercise: the curated graph
                continue  # answers for it (with the record nested), not the record's coarse tags
            role = "primary" if row["role"].value.endswith("Primary") else "secondary"
            within = row["within"].value == "true"
            predicate = curie(row["predicate"].value)
            match = TagMatch(tag=self._ref(row["tag"].value), role=role,
                             mapped_to=self._ref(row["mapped"].value), predicate=predicate,
                             coarse=not within or predicate == "skos:narrowMatch",
                             broader=not within)
            entry = found.setdefault(record, (row["source"].value, []))
            entry[1].append(match)
        return [RankedExercise(exercise=self._ref(record), target=target, kind="imported",
                               role=_best_role(tags), source=self._ref(source),
                               tags=_closest(tags))
                for record, (source, tags) in found.items()]

    def recommend(
        self,
        target: str,
        *,
        level: str | None = None,
        equipment: list[str] | None = None,
        conditions: list[str] | tuple[str, ...] = (),
        laterality: str | None = None,
        knee_friendly: bool = False,
        stages: int = 3,
        per_stage: int = 2,
    ) -> Recommendation:
        """Return a staged, explained choice of exercises for a target and a person.

        Contact and control first, then load and complexity; the best evidence first within a
        stage; every progression link respected; a condition's cautions applied (what to
        avoid is left out with its source, what to modify is said). See
        :mod:`glutegraph.advice.recommend`. A summary of evidence, not medical advice.

        Args:
            target: a muscle, region or group ("upper glutes").
            level: beginner, intermediate or expert: nothing harder is chosen.
            equipment: what the person has (body weight always); None: anything.
            conditions: conditions to screen for ("gluteal tendinopathy").
            laterality: "single" or "double" (leg); None: both.
            knee_friendly: only hip-dominant exercises (little knee load).
            stages: number of stages (1-6).
            per_stage: exercises in each stage (1-10).

        Example:
            >>> import glutegraph as gg
            >>> plan = gg.load().recommend("lower glutes", level="expert",
            ...                            equipment=["barbell", "bench"])
            >>> [s.exercise.label for s in plan.stages[1].steps]
            ['barbell glute bridge', 'barbell hip thrust']

        """
        from glutegraph.advice.recommend import recommend

        return recommend(self, target, level=level, equipment=equipment,  # type: ignore[arg-type]
                         conditions=conditions, laterality=laterality,
                         knee_friendly=knee_friendly, stages=stages, per_stage=per_stage)

    def similar(self, exercise: str, *, limit: int = 5) -> Results[SimilarExercise]:
        """Return the curated exercises most like ``exercise`` (actions, targets, pattern).

        Each says what it shares, how it differs and which way is harder, where the graph's
        progressions link them (see :mod:`glutegraph.advice.similar`).

        Example:
            >>> import glutegraph as gg
            >>> [s.exercise.label for s in gg.load().similar("glute bridge", limit=2)]
            ['banded glute bridge', 'barbell glute bridge']

        """
        from glutegraph.advice.similar import similar

        return Results(similar(self, exercise, limit=limit))  # type: ignore[arg-type]

    def measurements(
        self,
        *,
        exercise: str | None = None,
        muscle: str | None = None,
        study: str | None = None,
    ) -> Results[Measurement]:
        """Return EMG measurements, highest mean %MVIC first, filtered by exercise, muscle, study.

        A muscle includes its regions (gluteus maximus includes upper and lower).

        Example:
            >>> import glutegraph as gg
            >>> kg = gg.load()
            >>> for m in kg.measurements(exercise="hip thrust", study="study_contreras_2015"):
            ...     print(m.muscle.label, m.mean_mvic)
            vastus lateralis 99.5
            lower gluteus maximus 86.8
            upper gluteus maximus 69.5
            biceps femoris 40.8

        """
        bindings = {
            "exercise": self._iri(exercise, "exercise"),
            "muscle": self._iri(muscle, "muscle"),
            "study": self._iri(study, "study"),
        }
        facts = self._facts(named_query("measurements", **bindings))
        found = [facts.build(Measurement, s) for s in facts.out]
        return Results(sorted(_by_iri(found), key=_by_mean, reverse=True))

    def pooled_estimates(
        self,
        *,
        exercise: str | None = None,
        muscle: str | None = None,
        review: str | None = None,
    ) -> Results[PooledEstimate]:
        """Return reviews' pooled estimates (kept apart from study results), highest first.

        Estimates with a quality concern come after the others.

        A review's figure summarises studies that :meth:`measurements` may also hold, so the
        two are never mixed: each estimate names the studies it ``pools``.

        Args:
            exercise: only estimates for this exercise.
            muscle: only estimates for this structure or its regions.
            review: only estimates from this review.

        """
        facts = self._facts(
            named_query("pooled", exercise=self._iri(exercise, "exercise"),
                        muscle=self._iri(muscle, "muscle"), review=self._iri(review, "study"))
        )
        found = [facts.build(PooledEstimate, s) for s in facts.out]
        found.sort(key=lambda p: (bool(p.concerns), -(p.mean_mvic or p.max_mvic or 0)))
        return Results(found)

    def compare(
        self, exercises: Iterable[str], muscles: Iterable[str] | str
    ) -> Results[ComparisonRow]:
        """Put exercises side by side: for each, the mean %MVIC of each structure, per study.

        Example:
            >>> import glutegraph as gg
            >>> print(gg.load().compare(["hip thrust", "back squat"],
            ...                         ["upper gluteus maximus", "lower gluteus maximus"]))
             1. barbell hip thrust:
                upper gluteus maximus: 69.5 (Contreras 2015, J Appl Biomech) |
                lower gluteus maximus: 86.8 (Contreras 2015, J Appl Biomech)
             2. back squat:
                upper gluteus maximus: 29.4 (Contreras 2015, J Appl Biomech) |
                lower gluteus maximus: 45.4 (Contreras 2015, J Appl Biomech)

        """
        exercise_refs = [self.resolve(e, "exercise") for e in texts(exercises, "exercises")]
        muscle_refs = [self.resolve(m, "muscle") for m in texts(muscles, "muscles")]
        if not exercise_refs or not muscle_refs:
            raise GluteGraphError("compare() needs at least one exercise and one muscle")
        rows = []
        for ex in exercise_refs:
            cells = {}
            for mu in muscle_refs:
                found = self.measurements(exercise=ex.iri, muscle=mu.iri)
                cells[mu.name] = [m for m in found if m.muscle is not None]
            rows.append(ComparisonRow(exercise=ex, cells=cells))
        return Results(rows)

    # ------------------------------------------------------------------ conditions

    def conditions(
        self, involving: str | None = None, *, symptom: str | None = None
    ) -> Results[Condition]:
        """Return conditions, each with symptoms, tests, treatments, findings and cautions.

        Args:
            involving: a muscle, nerve or joint; only conditions that involve it (or one of its
                regions), directly or through a finding, are returned.
            symptom: only conditions that present with this symptom ("lateral hip pain").

        Example:
            >>> import glutegraph as gg
            >>> [c.label for c in gg.load().conditions(involving="sciatic nerve")]
            ['deep gluteal syndrome', 'piriformis syndrome', 'sciatica']

        """
        if involving is None and symptom is None:
            return Results(self._all(Condition))
        involved = None if involving is None else ox.NamedNode(self.resolve(involving).iri)
        rows = iterate(self.store, named_query("conditions_involving", involved=involved,
                                               symptom=self._iri(symptom, "symptom")))
        found = self._described([r["condition"].value for r in rows], Condition)
        return Results(sorted((c for c in found if c is not None), key=_by_label))

    def treatments(self, condition: str | None = None) -> Results[TreatmentEvidence]:
        """Return treatments with the strength of their evidence, strongest first.

        Example:
            >>> import glutegraph as gg
            >>> for t in gg.load().treatments("piriformis syndrome")[:2]:
            ...     print(t.treatment.label, "-", t.strength.label)
            stretching and muscle energy technique - moderate evidence
            botulinum toxin injection into piriformis - limited evidence

        """
        facts = self._facts(
            named_query("treatment_evidence", condition=self._iri(condition, "condition"))
        )
        found = [facts.build(TreatmentEvidence, s) for s in facts.out]
        found.sort(
            key=lambda t: (_strength_rank(t.strength), t.treatment.name if t.treatment else "")
        )
        return Results(found)

    def cautions(
        self, condition: str | None = None, *, about: str | None = None
    ) -> Results[Caution]:
        """Return what to avoid or modify with a condition, "avoid" advice first, with sources.

        Args:
            condition: only cautions for this condition ("gluteal tendinopathy").
            about: only cautions about this exercise, action or hip position.

        """
        about_iri = None if about is None else ox.NamedNode(self.resolve(about).iri)
        facts = self._facts(
            named_query("cautions", condition=self._iri(condition, "condition"), about=about_iri)
        )
        found = [facts.build(Caution, s) for s in facts.out]
        found.sort(key=lambda c: (not _is(c.advice, "AvoidAdvice"), _by_label(c)))
        return Results(found)

    # ------------------------------------------------------------------ progressions

    def progressions(self, exercise: str | None = None) -> Results[Progression]:
        """Return progressions between exercises: easier -> harder, how, and on what evidence.

        Args:
            exercise: only the steps into and out of this exercise.

        """
        facts = self._facts(
            named_query("progressions", exercise=self._iri(exercise, "exercise"))
        )
        found = [facts.build(Progression, s) for s in facts.out]
        found.sort(key=lambda p: (_name(p.easier), _name(p.harder)))
        return Results(found)

    # ------------------------------------------------------------------ evidence

    def claims(self, verdict: str | None = None, *, about: str | None = None) -> Results[Claim]:
        """Return the source article's claims with the verdict of the evidence on each.

        Args:
            verdict: supported, qualified, corrected or not supported.
            about: only claims about this entity (a muscle, exercise, action, ...).

        Example:
            >>> import glutegraph as gg
            >>> [c.label for c in gg.load().claims("corrected", about="gluteus medius")]
            ['gluteus medius rotates inward (adduction) and outward (abduction)']

        """
        verdict_iri = None
        if verdict is not None:
            verdict_iri = ox.NamedNode(self.resolve(verdict, "verdict").iri)
        about_iri = None if about is None else ox.NamedNode(self.resolve(about).iri)
        facts = self._facts(named_query("claims", verdict=verdict_iri, about=about_iri))
        found = sorted((facts.build(Claim, s) for s in facts.out), key=_by_label)
        return Results(found)

    def studies(self, *, about: str | None = None) -> Results[Study]:
        """Return the studies, newest first.

        Args:
            about: only studies with a measurement or finding about this entity (an exercise,
                a muscle, a condition).

        Example:
            >>> import glutegraph as gg
            >>> [s.label for s in gg.load().studies(about="piriformis syndrome")][:2]
            ['Vij 2021, Anesth Pain Med', 'Chen & Nizar 2013, Pain Pract']

        """
        found = self._all(Study)
        if about is not None:
            ref = self.resolve(about)
            facts = self._facts(named_query("describe", focus=ox.NamedNode(ref.iri)))
            reported = {
                s
                for node in facts.out
                if node != ref.iri
                for s in (t.value for t in facts.out[node].get(REPORTED_BY, []))
            }
            found = [s for s in found if s.iri in reported]
        found.sort(key=lambda s: (-(s.year or 0), s.label or s.iri))
        return Results(found)

    # ------------------------------------------------------------------ helpers

    def _iri(self, name: str | None, kind: str) -> ox.NamedNode | None:
        """Return the IRI a name means, or None (the filter is left out) for no name."""
        return None if name is None else ox.NamedNode(self.resolve(name, kind).iri)

    def _ref(self, iri: str) -> Ref:
        return Ref(iri=iri, label=self.names.labels.get(iri))

    def _all(self, model: type[E]) -> list[E]:
        kind = ox.NamedNode(expand(model.RDF_TYPE or "") or "")
        query = "describe_kind" if nests(model) else "describe_kind_out"
        facts = self._facts(named_query(query, kind=kind))
        focus = [s for s in facts.out if kind.value in facts.types(s)]
        built = [facts.build(model, s) for s in focus]
        return sorted(built, key=_by_label)


def describe_query(expected: type[Entity], iris: list[str]) -> tuple[str, dict[str, Any]]:
    """Return the named query (and its values) that reads the models of ``iris`` as ``expected``.

    :func:`glutegraph.facts.describe_query` for the model's name: ``describe_out`` for a model
    that reads no link pointing at it; else ``describe`` with only the links its model reads.

    Example:
        >>> from glutegraph.models import Muscle, Study
        >>> describe_query(Study, ["urn:x:a"])[0]
        'describe_out'
        >>> name, values = describe_query(Muscle, ["urn:x:a"])
        >>> name, [p.value.rpartition("/")[2] for p in values["in"]]
        ('describe', ['contributor', 'partOf'])

    """
    return plain_describe_query(expected.__name__, iris)


def _local(iri: str) -> str:
    return iri.rstrip("/").rpartition("/")[2].rpartition("#")[2]


def _name(ref: Ref | None) -> str:
    return ref.name if ref else ""


def _is(ref: Ref | None, local: str) -> bool:
    return ref is not None and _local(ref.iri) == local


def _by_label(e: Entity) -> str:
    return (e.label or e.iri).casefold()


def _role_rank(c: Contribution) -> int:
    return 0 if c.role and c.role.iri.endswith("PrimeMover") else 1


def _by_iri(measurements: list[Measurement]) -> list[Measurement]:
    """Return the measurements in IRI order: equal figures then rank the same on every engine.

    Rows come in the order the engine sends them (Oxigraph and Virtuoso differ), and from a
    set in another order in every process; sorting by a figure keeps the order of ties.
    """
    return sorted(measurements, key=lambda m: m.iri)


def _by_mean(m: Measurement) -> Decimal:
    return m.mean_mvic if m.mean_mvic is not None else Decimal(-1)


def _exercise_rank(r: RankedExercise) -> tuple[int, float, str]:
    if r.best is not None:
        tier, value = measurement_rank(r.best)
        return (3 - tier, -value, r.exercise.name)
    if r.kind == "imported":  # primary before secondary, a precise tag before a coarse one
        return (6 + _tag_rank(r.tags[0])[0], 0.0, r.exercise.name.casefold())
    return (4 if r.role == "primary" else 5, 0.0, r.exercise.name)


def _tag_rank(tag: TagMatch) -> tuple[int, str]:
    return (2 * (tag.role != "primary") + tag.coarse, tag.tag.name)


def _closest(tags: list[TagMatch]) -> list[TagMatch]:
    """Return one match per tag and role: the most precise (within the target, not coarse)."""
    best: dict[tuple[str, str], TagMatch] = {}
    for tag in sorted(tags, key=lambda t: (t.coarse, t.broader, t.predicate != "skos:exactMatch")):
        best.setdefault((tag.tag.iri, tag.role), tag)
    return sorted(best.values(), key=_tag_rank)


def _best_role(tags: list[TagMatch]) -> str:
    return "primary" if any(t.role == "primary" for t in tags) else "secondary"


def _strength_rank(strength: Ref | None) -> int:
    local = _local(strength.iri) if strength else ""
    return STRENGTH_ORDER.index(local) if local in STRENGTH_ORDER else len(STRENGTH_ORDER)
